//! The lasso.

use super::{Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::lasso::{self, LassoParams, LassoTrainer};
use crate::models::Trainer;

pub const KIND: Kind = Kind {
    name: "lasso",
    title: "Lasso regression",
    about: "Linear regression that sets the weights of unhelpful features to exactly zero (an L1 penalty). \
            Use it to find the few features that matter.",
    glossary: "Linear regression with an L1 penalty (strength alpha) that pushes unhelpful weights to exactly zero, so \
               it also picks features.",
    tasks: &[Task::Regression],
    family: Family::Supervised,
    anomaly: false,
    score: None,
    step_unit: "sweep",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: lasso::param_info,
    sweep: Some(Sweep { param: "alpha", lo: 1e-3, hi: 1e3, descending: true }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::linear::load(v, f).map(super::Fitted::Supervised),
    sklearn: None,
    spark: None,
};

impl Describe for LassoParams {
    fn validate(&self) -> Result<()> {
        LassoParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, _seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(
            LassoTrainer::new(self.clone(), &data.train.x, data.train.y.values())
                .map(|t| Box::new(t) as Box<dyn Trainer>),
        )
    }
}
