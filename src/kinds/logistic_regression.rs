//! Logistic regression.

use super::{Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::logistic::{self, LogisticParams, LogisticTrainer};
use crate::models::Trainer;

pub const KIND: Kind = Kind {
    name: "logistic_regression",
    title: "Logistic regression",
    about: "A weighted sum of the features turned into class probabilities. Fast, interpretable, \
            and the baseline to beat; it draws straight boundaries between classes.",
    glossary: "Adds up the features with learned weights and turns the sum into class probabilities. Fast, easy to \
               explain, and the baseline to beat.",
    tasks: &[Task::Classification],
    family: Family::Supervised,
    anomaly: false,
    score: None,
    step_unit: "epoch",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: logistic::param_info,
    sweep: Some(Sweep { param: "C", lo: 1e-3, hi: 1e3, descending: false }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::logistic::load(v, f).map(super::Fitted::Supervised),
    sklearn: None,
    spark: None,
};

impl Describe for LogisticParams {
    fn validate(&self) -> Result<()> {
        LogisticParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, _seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(LogisticTrainer::new(self.clone(), data).map(|t| Box::new(t) as Box<dyn Trainer>))
    }
}
