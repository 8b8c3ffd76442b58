//! t-SNE.

use ndarray::Array2;

use super::{Describe, Family, Kind, Sizes, ANY_TASK, F64, IDX};
use crate::base::error::Result;
use crate::data::prep::Encoding;
use crate::embed::tsne::{self, Tsne, TsneParams};
use crate::unsupervised::Unsupervised;
use super::export::{typed, Estimator, SparkModel};
use super::pca::{spark_pca, stand_in_note};
use crate::base::py;
use crate::data::Task;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "tsne",
    title: "t-SNE projection",
    about: "Draws high-dimensional rows in 2-D so that rows close together stay close together. Good at showing \
            groups; distances between groups and their sizes mean little.",
    glossary: "Places every row in 2-D so that rows that are neighbours in the full data stay neighbours. Sizes of \
               and distances between groups in the picture are not meaningful.",
    tasks: ANY_TASK,
    family: Family::Projection,
    anomaly: false,
    views: &[],
    axis: Some("t-SNE {}"),
    picture_note: Some("Only closeness between points means something here, not the axes or the distances between groups."),
    score: None,
    step_unit: "iteration",
    curve: Some((
        "KL divergence",
        "KL divergence, evaluated every 50 iterations. It drops sharply when the early exaggeration ends \
             (iteration 250) and the layout relaxes.",
    )),
    gpu: false,
    encoding: Encoding::Dense,
    params: tsne::param_info,
    sweep: None,
    no_sweep: false,
    self_training_base: false,
    loader: |_, _| Ok(super::Fitted::EmbeddingOnly),
    sklearn,
    spark,
};

impl Describe for TsneParams {
    fn validate(&self) -> Result<()> {
        TsneParams::validate(self)
    }

    fn fitter(&self, x: &Array2<f64>, seed: u32) -> Option<Result<Box<dyn Unsupervised>>> {
        Some(Tsne::new(self, x, seed).map(|f| Box::new(f) as Box<dyn Unsupervised>))
    }

    fn memory(&self, s: Sizes) -> u64 {
        // Exact t-SNE keeps n x n affinities and n x n distances.
        if self.method == "exact" {
            return 2 * s.rows * s.rows * F64;
        }
        // Barnes-Hut and fft: k = 3 * perplexity + 1 neighbours, each stored as (index, distance),
        // its affinity, and both directions as (row, column, value) while they are merged.
        let k = ((3.0 * self.perplexity + 1.0) as u64).min(s.rows.saturating_sub(1));
        let grid = if tsne::method_for(&self.method, s.rows as usize) == "fft" {
            tsne::fft_grid_bytes(s.rows as usize)
        } else {
            0
        };
        s.rows * k * (IDX + F64 + F64 + 2 * (2 * IDX + F64)) + s.rows * s.features.min(50) * F64 + grid
    }
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: TsneParams = typed(KIND.name, params)?;
    let e = Estimator::new("sklearn.manifold", "TSNE", ABOUT).arg("n_components", "2").set("perplexity", &p.perplexity);
    let e = if p.learning_rate > 0.0 {
        e.arg("learning_rate", py::number(p.learning_rate))
    } else {
        e.arg("learning_rate", "\"auto\"")
    };
    // fft (and auto on many rows): scikit-learn has none; its barnes_hut approximates the same forces.
    let e = if p.method == "exact" || p.method == "barnes_hut" {
        e
    } else {
        e.note(
            "mlplay's fft method (which auto uses from 15,000 rows) has no scikit-learn counterpart (openTSNE's \
             negative_gradient_method=\"fft\" is one): barnes_hut approximates the same forces another way.",
        )
    };
    // pca_components: mlplay's own reduction before the neighbour search; scikit-learn has none.
    Ok(e.set("early_exaggeration", &p.early_exaggeration)
        .set("max_iter", &p.max_iter)
        .set("method", &if p.method == "exact" { "exact" } else { "barnes_hut" })
        .set("angle", &p.angle)
        .set("init", &p.init)
        .arg("random_state", "SEED")
        .note(
            "t-SNE starts from a random layout (or PCA) and follows its own random steps: the picture is not the page's, \
             but the groups that form should be.",
        ))
}

fn spark(_params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    Ok(spark_pca("2".into(), task, ABOUT).note(stand_in_note("t-SNE", "t-SNE")))
}

const ABOUT: &str = "t-SNE places the rows in 2-D so that rows close together in the data stay close together in the \
    picture; perplexity is roughly how many neighbours each row pays attention to. Distances between far-apart groups \
    in the picture mean little.";
