//! Gaussian naive Bayes.

use super::{Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::bayes::{self, NaiveBayesModel, NaiveBayesParams};
use crate::models::{FitOnce, Trainer};
use super::export::{spark_call, spark_import, spark_xy, typed, Estimator, SparkModel};
use crate::base::error::Error;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "naive_bayes",
    title: "Naive Bayes (Gaussian)",
    about: "Learns a typical value and spread of every feature for each class, then asks which class makes a row \
            most likely. Trains instantly and needs little data; it assumes features are independent.",
    glossary: "Learns, for each class, the typical value and spread of every feature, and picks the class under which \
               a row is most likely. Fast and sturdy with little data.",
    tasks: &[Task::Classification],
    family: Family::Supervised,
    anomaly: false,
    views: &[],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "step",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: bayes::param_info,
    sweep: Some(Sweep { param: "var_smoothing", lo: 1e-9, hi: 1.0, descending: true }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::bayes::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for NaiveBayesParams {
    fn validate(&self) -> Result<()> {
        NaiveBayesParams::validate(self)
    }

    fn trainer(&self, _data: &Prepared, _seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        let p = self.clone();
        Some(Ok(Box::new(FitOnce::new(move |d: &Prepared| NaiveBayesModel::fit(&p, d)))))
    }
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: NaiveBayesParams = typed(KIND.name, params)?;
    Ok(Estimator::new("sklearn.naive_bayes", "GaussianNB", ABOUT).set("var_smoothing", &p.var_smoothing))
}

fn spark(_params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    if task != Task::Classification {
        return Err(Error::Data("naive_bayes cannot be exported to Spark MLlib for a regression target".into()));
    }
    let mut args = spark_xy();
    args.push(("modelType", "\"gaussian\"".into()));
    let imports = vec![spark_import("classification", "NaiveBayes")];
    // var_smoothing reaches the scikit-learn export; Spark has no such knob.
    Ok(SparkModel::new(imports, spark_call("NaiveBayes", &args), ABOUT, true)
        .note("Spark's Gaussian naive Bayes has no var_smoothing; it adds no extra variance."))
}

const ABOUT: &str =
    "Gaussian naive Bayes assumes that, within each class, every feature follows a bell curve of its own, \
    independently of the others (the \"naive\" part). It estimates those curves from the training rows and picks the \
    class that makes the row most likely.";
