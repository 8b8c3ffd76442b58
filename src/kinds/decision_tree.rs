//! The decision tree.

use super::{Describe, Family, Kind, Sizes, Sweep, ANY_TASK, F64, IDX};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::tree::{self, TreeParams, TreeTrainer};
use crate::models::Trainer;

pub const KIND: Kind = Kind {
    name: "decision_tree",
    title: "Decision tree",
    about: "A flowchart of yes/no questions about the features, learned from the data. Easy to read and \
            needs no scaling, but a deep tree memorises noise.",
    glossary: "A flowchart of yes/no questions about the features, learned from the data. Easy to read; a deep tree \
               memorises its training rows.",
    tasks: ANY_TASK,
    family: Family::Supervised,
    anomaly: false,
    score: None,
    step_unit: "level",
    curve: None,
    gpu: false,
    encoding: Encoding::Native,
    params: tree::shared_param_info,
    sweep: Some(Sweep { param: "max_depth", lo: 1.0, hi: 15.0, descending: false }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::tree::load(v, f).map(super::Fitted::Supervised),
    sklearn: None,
    spark: None,
};

impl Describe for TreeParams {
    fn validate(&self) -> Result<()> {
        TreeParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(TreeTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// The tree grown out: up to two nodes (about 48 bytes and a value per output) per
    /// leaf, a leaf per distinct row.
    fn memory(&self, s: Sizes) -> u64 {
        let leaves = leaf_cap(s.rows / self.min_samples_leaf.max(1) as u64, self.max_depth);
        2 * leaves * (48 + s.n_out * F64) + s.rows * 2 * IDX
    }
}

/// At most `leaves` leaves, and no more than a tree of `max_depth` levels holds.
pub(super) fn leaf_cap(leaves: u64, max_depth: Option<u32>) -> u64 {
    match max_depth {
        Some(d) if d < 40 => leaves.min(1 << d),
        _ => leaves,
    }
    .max(1)
}
