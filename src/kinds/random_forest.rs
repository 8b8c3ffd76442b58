//! The random forest.

use super::decision_tree::leaf_cap;
use super::{Describe, Family, Kind, Sizes, Sweep, ANY_TASK, F64, IDX};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::forest::{self, ForestParams, ForestTrainer};
use crate::models::Trainer;

pub const KIND: Kind = Kind {
    name: "random_forest",
    title: "Random forest",
    about: "Many decision trees, each trained on a resample of the rows with random feature choices, voting \
            together. Strong with no tuning and hard to overfit, but slower and harder to read than one tree.",
    glossary: "Many decision trees, each trained on a random resample of the rows and features, voting together. Much \
               steadier than one tree.",
    tasks: ANY_TASK,
    family: Family::Supervised,
    anomaly: false,
    score: None,
    step_unit: "tree",
    curve: None,
    gpu: false,
    encoding: Encoding::Native,
    params: forest::param_info,
    sweep: Some(Sweep { param: "max_depth", lo: 1.0, hi: 15.0, descending: false }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::forest::load(v, f).map(super::Fitted::Supervised),
    sklearn: None,
    spark: None,
};

impl Describe for ForestParams {
    fn validate(&self) -> Result<()> {
        ForestParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(ForestTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// Every tree grown out: up to two nodes (about 48 bytes and a value per output) per
    /// leaf, a leaf per distinct sampled row (63% of them with bootstrap).
    fn memory(&self, s: Sizes) -> u64 {
        let sampled = if self.bootstrap { s.rows * 632 / 1000 } else { s.rows };
        let leaves = leaf_cap(sampled / self.min_samples_leaf.max(1) as u64, self.max_depth);
        self.n_estimators as u64 * 2 * leaves * (48 + s.n_out * F64) + s.rows * 2 * IDX
    }
}
