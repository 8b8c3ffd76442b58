//! UMAP.

use ndarray::Array2;

use super::{Describe, Family, Kind, Sizes, ANY_TASK, F64, IDX};
use crate::base::error::Result;
use crate::data::prep::Encoding;
use crate::embed::umap::{self, Umap, UmapParams};
use crate::unsupervised::Unsupervised;
use super::export::{typed, Estimator, SparkModel};
use super::pca::{spark_pca, stand_in_note};
use crate::data::Task;
use serde_json::Value;

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
    views: &[],
    axis: Some("UMAP {}"),
    picture_note: Some("Only closeness between points means something here, not the axes or the distances between groups."),
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
    sklearn,
    spark,
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

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: UmapParams = typed(KIND.name, params)?;
    let mut e = Estimator::new("umap", "UMAP", ABOUT)
        .set("n_neighbors", &p.n_neighbors)
        .set("min_dist", &p.min_dist)
        .set("spread", &p.spread);
    e.import = "import umap  # pip install umap-learn".into();
    e.class = "umap.UMAP".into();
    // 0 is mlplay's "automatic", umap-learn's default.
    let e = if p.n_epochs > 0 { e.set("n_epochs", &p.n_epochs) } else { e };
    Ok(e.set("learning_rate", &p.learning_rate)
        .set("negative_sample_rate", &p.negative_sample_rate)
        .set("init", &p.init)
        .arg("random_state", "SEED")
        .note(
            "UMAP comes from the umap-learn package, not scikit-learn (pip install umap-learn). Its random steps differ \
             from mlplay's, so the layout differs; the neighbourhoods it keeps should not.",
        ))
}

fn spark(_params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    Ok(spark_pca("2".into(), task, ABOUT).note(stand_in_note("UMAP", "UMAP (with umap-learn)")))
}

const ABOUT: &str =
    "UMAP builds a graph linking every row to its n_neighbors nearest rows and lays that graph out in 2-D, \
    keeping neighbours together; min_dist sets how tightly rows may pack.";
