//! UMAP.

use ndarray::Array2;

use super::{Describe, Family, Kind, Sizes, ANY_TASK, F64, IDX};
use crate::base::error::Result;
use crate::data::prep::Encoding;
use crate::embed::umap::{self, Umap, UmapParams};
use crate::unsupervised::Unsupervised;

pub const KIND: Kind = Kind {
    name: "umap",
    title: "UMAP projection",
    about: "Builds a graph of each row's nearest neighbours and lays it out in 2-D. Shows groups like t-SNE, \
            usually faster, and keeps a little more of the larger structure.",
    glossary: "Builds a graph linking each row to its nearest neighbours and lays the graph out in 2-D. Like t-SNE, \
               but usually faster and keeping more of the large-scale shape.",
    tasks: ANY_TASK,
    family: Family::Projection,
    anomaly: false,
    score: None,
    step_unit: "epoch",
    curve: Some((
        "no loss",
        "UMAP has no loss it tracks: watch the layout settle on the plot instead (one step per epoch).",
    )),
    gpu: false,
    encoding: Encoding::Dense,
    params: umap::param_info,
    sweep: None,
    no_sweep: false,
    self_training_base: false,
    loader: |_, _| Ok(super::Fitted::EmbeddingOnly),
    sklearn: None,
    spark: None,
};

impl Describe for UmapParams {
    fn validate(&self) -> Result<()> {
        UmapParams::validate(self)
    }

    fn fitter(&self, x: &Array2<f64>, seed: u32) -> Option<Result<Box<dyn Unsupervised>>> {
        Some(Umap::new(self, x, seed).map(|f| Box::new(f) as Box<dyn Unsupervised>))
    }

    /// The neighbour graph (index, distance, candidate flags) and its fuzzy union.
    fn memory(&self, s: Sizes) -> u64 {
        s.rows * self.n_neighbors as u64 * 3 * (IDX + F64) + s.matrix()
    }
}
