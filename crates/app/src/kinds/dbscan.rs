//! DBSCAN clustering.

use ndarray::Array2;

use super::{View, Describe, Family, Kind, Sizes, ANY_TASK, IDX};
use crate::base::error::Result;
use crate::cluster::dbscan::{self, Dbscan, DbscanParams};
use crate::data::prep::Encoding;
use crate::unsupervised::Unsupervised;
use super::export::{spark_call, spark_import, typed, Estimator, SparkModel};
use crate::data::Task;
use serde_json::Value;

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
    views: &[View::KDistance],
    axis: None,
    picture_note: Some("Filled dots are core points, rings are border points, grey crosses are noise."),
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
    sklearn,
    spark,
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

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: DbscanParams = typed(KIND.name, params)?;
    Ok(Estimator::new("sklearn.cluster", "DBSCAN", ABOUT).set("eps", &p.eps).set("min_samples", &p.min_samples))
}

/// MLlib has no DBSCAN: bisecting k-means, with the number of groups left to the reader.
fn spark(_params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let args = vec![("featuresCol", "\"_features\"".to_string()), ("k", "K".into()), ("seed", "SEED".into())];
    let imports = vec![spark_import("clustering", "BisectingKMeans")];
    Ok(SparkModel::new(imports, spark_call("BisectingKMeans", &args), ABOUT, task == Task::Classification).note(
        "Spark MLlib has no DBSCAN (density-based clustering that finds the number of groups and marks noise). \
         The nearest it has is BisectingKMeans, which splits the data in two again and again until there are K \
         groups: set K to the number of clusters you expect (mlplay's DBSCAN reports how many it found). It \
         finds round groups and marks no row as noise.",
    ))
}

const ABOUT: &str =
    "DBSCAN groups rows that lie in dense regions: a row with at least min_samples rows within distance \
    eps is a core row, core rows close to each other share a cluster, and rows near no core row are noise (label -1). \
    It finds the number of clusters itself.";
