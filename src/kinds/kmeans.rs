//! k-means clustering.

use ndarray::Array2;

use super::{Describe, Family, Kind, Sizes, ANY_TASK, IDX};
use crate::base::error::Result;
use crate::cluster::kmeans::{self, KMeans, KMeansParams};
use crate::data::prep::Encoding;
use crate::unsupervised::Unsupervised;

pub const KIND: Kind = Kind {
    name: "kmeans",
    title: "k-means clustering",
    about: "Places k centres, gives each row to its nearest centre, moves each centre to the middle of its rows, and \
            repeats. Finds round groups of similar size; you choose how many.",
    glossary: "Places k centres, assigns every row to its nearest centre, moves each centre to the mean of its rows, \
               and repeats until nothing changes.",
    tasks: ANY_TASK,
    family: Family::Clustering,
    anomaly: false,
    score: None,
    step_unit: "iteration",
    curve: Some((
        "inertia",
        "Inertia after each iteration: it falls as the centres settle, and jumps up where another restart \
             (n_init) begins from new centres.",
    )),
    gpu: false,
    encoding: Encoding::Dense,
    params: kmeans::param_info,
    sweep: None,
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::cluster::kmeans::load(v, f).map(super::Fitted::Placer),
    sklearn: None,
    spark: None,
};

impl Describe for KMeansParams {
    fn validate(&self) -> Result<()> {
        KMeansParams::validate(self)
    }

    fn fitter(&self, x: &Array2<f64>, seed: u32) -> Option<Result<Box<dyn Unsupervised>>> {
        Some(
            crate::cluster::check_x(x, "k-means")
                .and_then(|_| KMeans::new(self, x.nrows(), seed))
                .map(|f| Box::new(f) as Box<dyn Unsupervised>),
        )
    }

    fn memory(&self, s: Sizes) -> u64 {
        s.matrix() + s.rows * IDX
    }
}
