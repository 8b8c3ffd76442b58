//! Histogram gradient boosting.

use super::{Describe, Family, Kind, Sizes, Sweep, ANY_TASK, F64};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::boosting::{self, BoostingParams, BoostingTrainer};
use crate::models::Trainer;

pub const KIND: Kind = Kind {
    name: "gradient_boosting",
    title: "Gradient boosting",
    about: "Adds small trees one after another, each fixing the errors of the ones before. Often the most \
            accurate model on tables of mixed data; reads missing values and text categories as they are.",
    glossary: "Trees added one at a time, each correcting the mistakes of the ones before. Usually the strongest model \
               on tables of data.",
    tasks: ANY_TASK,
    family: Family::Supervised,
    anomaly: false,
    score: None,
    step_unit: "round",
    curve: None,
    gpu: false,
    encoding: Encoding::Native,
    params: boosting::param_info,
    sweep: Some(Sweep { param: "max_iter", lo: 1.0, hi: 200.0, descending: false }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::boosting::load(v, f).map(super::Fitted::Supervised),
    sklearn: None,
    spark: None,
};

impl Describe for BoostingParams {
    fn validate(&self) -> Result<()> {
        BoostingParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(BoostingTrainer::new(self.clone(), data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// One byte per binned cell, gradients and predictions per row and output.
    fn memory(&self, s: Sizes) -> u64 {
        s.rows * s.features + s.rows * s.n_out.max(1) * 3 * F64
    }
}
