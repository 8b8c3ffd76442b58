//! Gaussian naive Bayes: each class is a bell curve per feature, features taken as
//! independent. Fitted in one step (means and variances), as scikit-learn's GaussianNB.

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::record::{self, num, Fit};
use super::{Model, Prediction};
use crate::base::error::{Error, Result};
use crate::base::schema::{check_float, Domain, ParamInfo};
use crate::data::prep::Prepared;
use crate::data::Task;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NaiveBayesParams {
    /// Added to every variance, as a share of the largest feature variance, so a feature
    /// that is constant within a class does not divide by zero.
    pub var_smoothing: f64,
}

impl Default for NaiveBayesParams {
    fn default() -> Self {
        NaiveBayesParams { var_smoothing: 1e-9 }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![ParamInfo::new("var_smoothing", Domain::Float { min: 0.0, max: 1.0, log: true, min_exclusive: false }, "A little extra spread added to every bell curve. Raising it makes the model less sure of itself when a feature barely varies.", true)]
}

impl NaiveBayesParams {
    pub fn validate(&self) -> Result<()> {
        check_float(&param_info(), "var_smoothing", self.var_smoothing)
    }
}

#[derive(Debug, Clone)]
pub struct NaiveBayesModel {
    /// (classes, features)
    mean: Array2<f64>,
    var: Array2<f64>,
    log_prior: Array1<f64>,
}

impl NaiveBayesModel {
    /// Fit on raw rows and labels (classes 0..k); every class must have a row.
    pub fn fit_xy(params: &NaiveBayesParams, x: &Array2<f64>, y: &[u32], k: usize) -> Result<NaiveBayesModel> {
        let d = x.ncols();
        let mut count = vec![0usize; k];
        let mut mean = Array2::zeros((k, d));
        for (row, &c) in x.rows().into_iter().zip(y) {
            count[c as usize] += 1;
            mean.row_mut(c as usize).scaled_add(1.0, &row);
        }
        if let Some(c) = count.iter().position(|&n| n == 0) {
            return Err(Error::Data(format!("class number {c} has no training rows; naive Bayes needs every class")));
        }
        for (c, &n) in count.iter().enumerate() {
            mean.row_mut(c).mapv_inplace(|v| v / n as f64);
        }
        let mut var = Array2::zeros((k, d));
        for (row, &c) in x.rows().into_iter().zip(y) {
            let c = c as usize;
            for j in 0..d {
                let diff = row[j] - mean[[c, j]];
                var[[c, j]] += diff * diff;
            }
        }
        // Smoothing relative to the largest variance of any feature over all rows.
        let n = x.nrows() as f64;
        let max_var = (0..d)
            .map(|j| {
                let m = x.column(j).sum() / n;
                x.column(j).iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n
            })
            .fold(0.0, f64::max);
        let eps = params.var_smoothing * max_var;
        for (c, &nc) in count.iter().enumerate() {
            var.row_mut(c).mapv_inplace(|v| v / nc as f64 + eps);
        }
        if var.iter().any(|&v| v <= 0.0) {
            return Err(Error::Data(
                "a feature is constant within a class and var_smoothing is 0; raise var_smoothing".into(),
            ));
        }
        let log_prior = count.iter().map(|&c| libm::log(c as f64 / n)).collect();
        Ok(NaiveBayesModel { mean, var, log_prior })
    }

    pub fn fit(params: &NaiveBayesParams, data: &Prepared) -> Result<NaiveBayesModel> {
        NaiveBayesModel::fit_xy(params, &data.train.x, data.train.y.labels(), data.class_names.len())
    }
}

impl Model for NaiveBayesModel {
    fn record(&self) -> Option<serde_json::Value> {
        Some(self.to_record())
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        let k = self.log_prior.len();
        let mut p = Array2::zeros((x.nrows(), k));
        for (i, row) in x.rows().into_iter().enumerate() {
            for c in 0..k {
                let mut jll = self.log_prior[c];
                for (j, &v) in row.iter().enumerate() {
                    let var = self.var[[c, j]];
                    let diff = v - self.mean[[c, j]];
                    jll -= 0.5 * (libm::log(2.0 * std::f64::consts::PI * var) + diff * diff / var);
                }
                p[[i, c]] = jll;
            }
            // Softmax of the joint log-likelihoods, shifted for stability.
            let mut row = p.row_mut(i);
            let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            row.mapv_inplace(|v| libm::exp(v - m));
            let s = row.sum();
            row /= s;
        }
        Prediction::Proba(p)
    }

    fn size_bytes(&self) -> usize {
        (self.mean.len() + self.var.len() + self.log_prior.len()) * std::mem::size_of::<f64>()
    }
}

// ---- model file record -----------------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct Record {
    n_classes: usize,
    n_features: usize,
    /// n_classes x n_features, row-major.
    #[serde(with = "num::many")]
    mean: Vec<f64>,
    #[serde(with = "num::many")]
    var: Vec<f64>,
    #[serde(with = "num::many")]
    log_prior: Vec<f64>,
}

impl NaiveBayesModel {
    fn to_record(&self) -> serde_json::Value {
        record::to_value(&Record {
            n_classes: self.mean.nrows(),
            n_features: self.mean.ncols(),
            mean: self.mean.iter().copied().collect(),
            var: self.var.iter().copied().collect(),
            log_prior: self.log_prior.to_vec(),
        })
    }

    /// A model file's record, checked against the file's preprocessing and target.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<NaiveBayesModel> {
        let s: Record = record::parse(v)?;
        if fit.task != Task::Classification {
            return record::err("model", "this kind needs a target with classes");
        }
        record::features("model.n_features", s.n_features, fit)?;
        record::classes("model.n_classes", s.n_classes, fit)?;
        let n = record::product("model.mean", s.n_classes, s.n_features)?;
        record::len("model.mean", s.mean.len(), n)?;
        record::len("model.var", s.var.len(), n)?;
        record::len("model.log_prior", s.log_prior.len(), s.n_classes)?;
        record::finite("model.mean", &s.mean)?;
        record::finite("model.log_prior", &s.log_prior)?;
        if let Some(i) = s.var.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
            return record::err(format!("model.var[{i}]"), format!("{} is not a positive finite variance", s.var[i]));
        }
        Ok(NaiveBayesModel {
            mean: record::matrix(s.n_classes, s.n_features, s.mean),
            var: record::matrix(s.n_classes, s.n_features, s.var),
            log_prior: Array1::from(s.log_prior),
        })
    }
}

pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(NaiveBayesModel::from_record(v, fit)?))
}
