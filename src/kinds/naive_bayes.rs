//! Gaussian naive Bayes.

use super::{Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::bayes::{self, NaiveBayesModel, NaiveBayesParams};
use crate::models::{FitOnce, Trainer};

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
    sklearn: None,
    spark: None,
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
