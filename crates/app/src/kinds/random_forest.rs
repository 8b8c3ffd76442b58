//! The random forest.

use super::decision_tree::leaf_cap;
use super::{Describe, Family, Kind, Sizes, Sweep, ANY_TASK, F64, IDX};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::forest::{self, ForestParams, ForestTrainer};
use crate::models::Trainer;
use super::decision_tree::{impurity, spark_depth, tree_args, TREE_NOTE};
use super::export::{pick, python, spark_call, spark_import, spark_module, spark_xy, typed, Estimator, SparkModel};
use crate::base::py;
use crate::data::Task;
use crate::models::forest::MaxFeatures;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "random_forest",
    title: "Random forest",
    about: "Many decision trees, each trained on a resample of the rows with random feature choices, voting \
            together. Strong with no tuning and hard to overfit, but slower and harder to read than one tree.",
    glossary: "Many decision trees, each trained on a random resample of the rows and features, voting together. Much \
               steadier than one tree.",
    tasks: ANY_TASK,
    family: Family::Supervised,
    anomaly: false,
    views: &[],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "tree",
    curve: None,
    gpu: false,
    encoding: Encoding::Native,
    params: forest::param_info,
    sweep: Some(Sweep { param: "max_depth", lo: 1.0, hi: 15.0, descending: false }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::forest::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for ForestParams {
    fn validate(&self) -> Result<()> {
        ForestParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(ForestTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// Every tree grown out: up to two nodes (about 48 bytes and a value per output) per
    /// leaf, a leaf per distinct sampled row (63% of them with bootstrap).
    fn memory(&self, s: Sizes) -> u64 {
        let sampled = if self.bootstrap { s.rows * 632 / 1000 } else { s.rows };
        let leaves = leaf_cap(sampled / self.min_samples_leaf.max(1) as u64, self.max_depth);
        self.n_estimators as u64 * 2 * leaves * (48 + s.n_out * F64) + s.rows * 2 * IDX
    }
}

fn sklearn(params: &Value, task: Task) -> Result<Estimator> {
    let p: ForestParams = typed(KIND.name, params)?;
    let class = pick(task, "RandomForestClassifier", "RandomForestRegressor");
    let e = Estimator::new("sklearn.ensemble", class, ABOUT).set("n_estimators", &p.n_estimators);
    let mut e = tree_args(e, &p.criterion, &p.max_depth, p.min_samples_split, p.min_samples_leaf);
    // "auto" was scikit-learn's old name for its defaults (sqrt for classes, all for amounts).
    match &p.max_features {
        MaxFeatures::Rule(r) if r == "all" => e = e.arg("max_features", "None"),
        MaxFeatures::Rule(r) if r == "auto" => {}
        m => e = e.set("max_features", m),
    }
    e = e.set("bootstrap", &p.bootstrap);
    if p.bootstrap {
        e = e.set("oob_score", &p.oob_score);
    }
    Ok(e.arg("random_state", "SEED").arg("n_jobs", "-1").note(
        "The trees are grown from different random draws than mlplay's (another random generator), so the scores \
         differ a little even on the same rows.",
    ))
}

fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: ForestParams = typed(KIND.name, params)?;
    let class = pick(task, "RandomForestClassifier", "RandomForestRegressor");
    let features = match &p.max_features {
        MaxFeatures::Rule(r) if r == "auto" => pick(task, "\"sqrt\"", "\"all\"").to_string(),
        MaxFeatures::Rule(r) => py::string(r),
        MaxFeatures::Fraction(f) => py::string(&Value::from(*f).to_string()),
    };
    let mut args = spark_xy();
    args.push(("numTrees", p.n_estimators.to_string()));
    args.push(("maxDepth", spark_depth(p.max_depth)));
    args.push(("minInstancesPerNode", p.min_samples_leaf.to_string()));
    args.push(("featureSubsetStrategy", features));
    args.push(("bootstrap", python(&p.bootstrap)));
    args.extend([("impurity", impurity(task, &p.criterion)), ("maxBins", "max_bins".into()), ("seed", "SEED".into())]);
    let imports = vec![spark_import(spark_module(task), class)];
    Ok(SparkModel::new(imports, spark_call(class, &args), ABOUT, task == Task::Classification).note(TREE_NOTE))
}

const ABOUT: &str =
    "A random forest grows n_estimators decision trees, each on a bootstrap sample of the training rows \
    (drawn with replacement) and looking at a random subset of the features (max_features) at each question, then \
    averages their answers. The trees make different mistakes, so the average is steadier than any one tree. The \
    out-of-bag score (oob_score) rates each tree on the rows it did not see.";
