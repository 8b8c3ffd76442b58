//! DBSCAN clustering.

use ndarray::Array2;

use super::{Describe, Family, Kind, Sizes, ANY_TASK, IDX};
use crate::base::error::Result;
use crate::cluster::dbscan::{self, Dbscan, DbscanParams};
use crate::data::prep::Encoding;
use crate::unsupervised::Unsupervised;

pub const KIND: Kind = Kind {
    name: "dbscan",
    title: "DBSCAN clustering",
    about: "Grows clusters from rows that have many close neighbours and calls isolated rows noise. Finds groups of \
            any shape and decides how many there are, but needs a sensible distance eps.",
    glossary: "Clusters rows that have at least min_samples neighbours within distance eps (core points), plus rows \
               near them (border points); the rest is noise.",
    tasks: ANY_TASK,
    family: Family::Clustering,
    anomaly: false,
    score: None,
    step_unit: "step",
    curve: Some((
        "no loss",
        "DBSCAN fits in one pass: there is no curve to show.",
    )),
    gpu: false,
    encoding: Encoding::Dense,
    params: dbscan::param_info,
    sweep: None,
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::cluster::dbscan::load(v, f).map(super::Fitted::Placer),
    sklearn: None,
    spark: None,
};

impl Describe for DbscanParams {
    fn validate(&self) -> Result<()> {
        DbscanParams::validate(self)
    }

    fn fitter(&self, _x: &Array2<f64>, _seed: u32) -> Option<Result<Box<dyn Unsupervised>>> {
        Some(Dbscan::new(self).map(|f| Box::new(f) as Box<dyn Unsupervised>))
    }

    /// A kd-tree over a copy of the rows.
    fn memory(&self, s: Sizes) -> u64 {
        2 * s.matrix() + s.rows * 2 * IDX
    }
}
