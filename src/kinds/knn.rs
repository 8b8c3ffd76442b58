//! k-nearest neighbours.

use super::{Describe, Family, Kind, Sizes, Sweep, ANY_TASK, IDX};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::knn::{self, KnnModel, KnnParams};
use crate::models::{FitOnce, Trainer};

pub const KIND: Kind = Kind {
    name: "knn",
    title: "k-nearest neighbours",
    about: "Answers like the most similar rows it has seen: no training, just remembering. Simple and often good \
            on small data, but every prediction searches the training set, so it is slow to use on big data.",
    glossary: "Predicts like the k most similar training rows. Nothing to train, but each prediction compares the row \
               with every training row, so it gets slow on big data.",
    tasks: ANY_TASK,
    family: Family::Supervised,
    anomaly: false,
    score: None,
    step_unit: "step",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: knn::param_info,
    sweep: Some(Sweep { param: "n_neighbors", lo: 1.0, hi: 30.0, descending: true }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::knn::load(v, f).map(super::Fitted::Supervised),
    sklearn: None,
    spark: None,
};

impl Describe for KnnParams {
    fn validate(&self) -> Result<()> {
        KnnParams::validate(self)
    }

    fn trainer(&self, _data: &Prepared, _seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        let p = self.clone();
        Some(Ok(Box::new(FitOnce::new(move |d: &Prepared| KnnModel::fit(&p, d)))))
    }

    /// A kd-tree over a copy of the rows.
    fn memory(&self, s: Sizes) -> u64 {
        2 * s.matrix() + s.rows * 2 * IDX
    }
}
