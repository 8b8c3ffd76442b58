//! Logistic regression's record in a model file, checked when read back.

use ndarray::Array1;
use serde::{Deserialize, Serialize};

use super::LogisticModel;
use crate::base::error::Result;
use crate::data::Task;
use crate::models::record::{self, num, Fit};
use crate::models::Model;

#[derive(Serialize, Deserialize)]
struct Record {
    n_features: usize,
    /// 1 for two classes (the second's log-odds), else one per class.
    n_outputs: usize,
    n_classes: usize,
    /// n_features x n_outputs, row-major.
    #[serde(with = "num::many")]
    coef: Vec<f64>,
    #[serde(with = "num::many")]
    intercept: Vec<f64>,
}

impl LogisticModel {
    pub(super) fn to_record(&self) -> serde_json::Value {
        record::to_value(&Record {
            n_features: self.coef.nrows(),
            n_outputs: self.coef.ncols(),
            n_classes: self.n_classes,
            coef: self.coef.iter().copied().collect(),
            intercept: self.intercept.to_vec(),
        })
    }

    /// A model file's record, checked against the file's preprocessing and target.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<LogisticModel> {
        let s: Record = record::parse(v)?;
        if fit.task != Task::Classification {
            return record::err("model", "this kind needs a target with classes");
        }
        record::features("model.n_features", s.n_features, fit)?;
        record::classes("model.n_classes", s.n_classes, fit)?;
        let outputs = if s.n_classes == 2 { 1 } else { s.n_classes };
        record::equal("model.n_outputs", s.n_outputs, outputs, "what the number of classes implies")?;
        record::len("model.coef", s.coef.len(), record::product("model.coef", s.n_features, s.n_outputs)?)?;
        record::len("model.intercept", s.intercept.len(), s.n_outputs)?;
        record::finite("model.coef", &s.coef)?;
        record::finite("model.intercept", &s.intercept)?;
        Ok(LogisticModel {
            coef: record::matrix(s.n_features, s.n_outputs, s.coef),
            intercept: Array1::from(s.intercept),
            n_classes: s.n_classes,
            class_names: fit.classes.to_vec(),
        })
    }
}

pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(LogisticModel::from_record(v, fit)?))
}
