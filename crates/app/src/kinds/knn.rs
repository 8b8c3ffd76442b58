//! k-nearest neighbours.

use super::{Describe, Family, Kind, Sizes, Sweep, ANY_TASK, IDX};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::knn::{self, KnnModel, KnnParams};
use crate::models::{FitOnce, Trainer};
use super::export::{pick, spark_call, spark_import, spark_module, spark_xy, typed, Estimator, SparkModel};
use crate::data::Task;
use serde_json::Value;

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
    views: &[],
    axis: None,
    picture_note: None,
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
    sklearn,
    spark,
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

fn sklearn(params: &Value, task: Task) -> Result<Estimator> {
    let p: KnnParams = typed(KIND.name, params)?;
    let class = pick(task, "KNeighborsClassifier", "KNeighborsRegressor");
    Ok(Estimator::new("sklearn.neighbors", class, ABOUT).set("n_neighbors", &p.n_neighbors).set("weights", &p.weights))
}

/// MLlib has no k-NN: a random forest also draws local, non-linear boundaries.
fn spark(_params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let class = pick(task, "RandomForestClassifier", "RandomForestRegressor");
    let mut args = spark_xy();
    args.extend([("numTrees", "100".to_string()), ("maxDepth", "12".into()), ("seed", "SEED".into())]);
    let imports = vec![spark_import(spark_module(task), class)];
    Ok(SparkModel::new(imports, spark_call(class, &args), ABOUT, task == Task::Classification).note(
        "Spark MLlib has no k-nearest-neighbours model (its BucketedRandomProjectionLSH finds approximate \
         neighbours but does not predict). This script uses the nearest thing MLlib has that, like k-NN, \
         draws local, non-linear boundaries: a random forest. Expect similar, not identical, scores.",
    ))
}

const ABOUT: &str = "k-nearest neighbours learns nothing up front: to answer for a row it finds the n_neighbors training \
    rows closest to it (distance on the scaled features) and lets them vote (or averages their values). weights=\"distance\" \
    gives closer neighbours more say.";
