//! Self-training around a base classifier from the registry.

use super::{self_training_bases, spec_from_json, Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::semi::{self, SelfTrainingParams, SelfTrainingTrainer};
use crate::models::Trainer;

pub const KIND: Kind = Kind {
    name: "self_training",
    title: "Self-training (semi-supervised)",
    about: "Learns from a few labelled rows, then labels the rest itself where it is confident and learns again. \
            Useful when labels are scarce; confident mistakes can snowball, so compare with the labelled-only baseline.",
    glossary: "A semi-supervised method: train on the rows that have labels, then label the unlabelled rows the model \
               is confident about, and train again.",
    tasks: &[Task::Classification],
    family: Family::Supervised,
    anomaly: false,
    score: None,
    step_unit: "round",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: || semi::param_info(self_training_bases()),
    sweep: Some(Sweep { param: "threshold", lo: 0.5, hi: 0.95, descending: false }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::semi::load(v, f, &super::load_base).map(super::Fitted::Supervised),
    sklearn: None,
    spark: None,
};

impl Describe for SelfTrainingParams {
    fn validate(&self) -> Result<()> {
        SelfTrainingParams::validate(self, self_training_bases())
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        // The base, with its default hyperparameters, handed down as a trainer factory.
        let base = match spec_from_json(serde_json::json!({ "kind": self.estimator })) {
            Ok(b) => b,
            Err(e) => return Some(Err(e)),
        };
        let make = Box::new(move |d: &Prepared, seed: u32| base.trainer(d, seed));
        Some(SelfTrainingTrainer::new(self.clone(), data, seed, make).map(|t| Box::new(t) as Box<dyn Trainer>))
    }
}
