//! Principal component analysis.

use ndarray::Array2;

use super::{View, Describe, Family, Kind, Sizes, ANY_TASK};
use crate::base::error::Result;
use crate::data::prep::Encoding;
use crate::embed::pca::{self, Pca, PcaParams};
use crate::unsupervised::Unsupervised;
use super::export::{spark_call, spark_import, typed, Estimator, SparkModel};
use crate::data::Task;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "pca",
    title: "PCA (principal components)",
    about: "Rotates the data onto the directions along which it varies most. The first few components often keep \
            most of the information in far fewer columns; exact and fast.",
    glossary: "Principal component analysis: new axes along which the data varies most, each at right angles to the \
               previous ones. Keeping the first few compresses the data with the least loss.",
    tasks: ANY_TASK,
    family: Family::Projection,
    anomaly: false,
    views: &[View::Scree, View::ThreeD],
    axis: Some("PC{}"),
    picture_note: Some("Axes are the first two principal components."),
    score: None,
    step_unit: "step",
    curve: Some((
        "no loss",
        "PCA is exact and fits in one step: there is no curve to show.",
    )),
    gpu: false,
    encoding: Encoding::Dense,
    params: pca::param_info,
    sweep: None,
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::embed::pca::load(v, f).map(super::Fitted::Placer),
    sklearn,
    spark,
};

impl Describe for PcaParams {
    fn validate(&self) -> Result<()> {
        PcaParams::validate(self)
    }

    fn fitter(&self, _x: &Array2<f64>, _seed: u32) -> Option<Result<Box<dyn Unsupervised>>> {
        Some(Pca::new(self).map(|f| Box::new(f) as Box<dyn Unsupervised>))
    }

    /// The centred copy and its singular vectors.
    fn memory(&self, s: Sizes) -> u64 {
        2 * s.matrix()
    }
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: PcaParams = typed(KIND.name, params)?;
    Ok(Estimator::new("sklearn.decomposition", "PCA", ABOUT).set("n_components", &p.n_components))
}

fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: PcaParams = typed(KIND.name, params)?;
    Ok(spark_pca(p.n_components.to_string(), task, ABOUT))
}

/// MLlib's PCA to `k` dimensions; t-SNE and UMAP become it too, for want of their own.
pub(super) fn spark_pca(k: String, task: Task, about: &str) -> SparkModel {
    let args = vec![("inputCol", "\"_features\"".to_string()), ("outputCol", "\"_embedding\"".into()), ("k", k)];
    SparkModel::new(vec![spark_import("feature", "PCA")], spark_call("PCA", &args), about, task == Task::Classification)
}

/// The note of a projection MLlib lacks: `name` as the reader knows it, `local` how the
/// scikit-learn export runs it.
pub(super) fn stand_in_note(name: &str, local: &str) -> String {
    format!(
        "Spark MLlib has no {name}. The nearest it has is PCA to 2 dimensions: a straight-line projection, \
         which keeps the big directions of spread but not the small neighbourhoods {name} keeps. On one machine, \
         the scikit-learn export of this experiment runs {local} itself."
    )
}

const ABOUT: &str = "Principal component analysis finds the directions along which the rows vary most (the principal \
    components) and describes every row by its position along the first n_components of them. The explained \
    variance ratio says how much of the spread each direction keeps.";
