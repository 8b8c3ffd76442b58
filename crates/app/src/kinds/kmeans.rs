//! k-means clustering.

use ndarray::Array2;

use super::{View, Describe, Family, Kind, Sizes, ANY_TASK, IDX};
use crate::base::error::Result;
use crate::cluster::kmeans::{self, KMeans, KMeansParams};
use crate::data::prep::Encoding;
use crate::unsupervised::Unsupervised;
use super::export::{spark_call, spark_import, typed, Estimator, SparkModel};
use crate::base::py;
use crate::data::Task;
use serde_json::Value;

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
    views: &[View::Centres, View::Elbow],
    axis: None,
    picture_note: Some("Crosses mark the cluster centres; watch them move as k-means iterates."),
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
    sklearn,
    spark,
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

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: KMeansParams = typed(KIND.name, params)?;
    Ok(Estimator::new("sklearn.cluster", "KMeans", ABOUT)
        .set("n_clusters", &p.n_clusters)
        .set("n_init", &p.n_init)
        .set("max_iter", &p.max_iter)
        .set("tol", &p.tol)
        .arg("random_state", "SEED"))
}

fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: KMeansParams = typed(KIND.name, params)?;
    let args = vec![
        ("featuresCol", "\"_features\"".to_string()),
        ("k", p.n_clusters.to_string()),
        ("maxIter", p.max_iter.to_string()),
        ("tol", py::number(p.tol)),
        ("seed", "SEED".into()),
    ];
    let imports = vec![spark_import("clustering", "KMeans")];
    Ok(SparkModel::new(imports, spark_call("KMeans", &args), ABOUT, task == Task::Classification).note(
        "Spark starts with k-means|| (a parallel k-means++) and runs it once; scikit-learn's n_init restarts have no counterpart.",
    ))
}

const ABOUT: &str =
    "k-means places n_clusters centres, gives each row to its nearest centre, moves every centre to the \
    middle of its rows, and repeats until nothing moves. It finds round groups of similar size; the inertia (sum of \
    squared distances to the centres) says how tight they are.";
