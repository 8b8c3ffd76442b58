//! The decision tree.

use super::{View, Describe, Family, Kind, Sizes, Sweep, ANY_TASK, F64, IDX};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::tree::{self, TreeParams, TreeTrainer};
use crate::models::Trainer;
use super::export::{pick, spark_call, spark_import, spark_module, spark_xy, typed, Estimator, SparkModel};
use crate::data::Task;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "decision_tree",
    title: "Decision tree",
    about: "A flowchart of yes/no questions about the features, learned from the data. Easy to read and \
            needs no scaling, but a deep tree memorises noise.",
    glossary: "A flowchart of yes/no questions about the features, learned from the data. Easy to read; a deep tree \
               memorises its training rows.",
    tasks: ANY_TASK,
    family: Family::Supervised,
    anomaly: false,
    views: &[View::Tree],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "level",
    curve: None,
    gpu: false,
    encoding: Encoding::Native,
    params: tree::shared_param_info,
    sweep: Some(Sweep { param: "max_depth", lo: 1.0, hi: 15.0, descending: false }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::tree::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for TreeParams {
    fn validate(&self) -> Result<()> {
        TreeParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(TreeTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// The tree grown out: up to two nodes (about 48 bytes and a value per output) per
    /// leaf, a leaf per distinct row.
    fn memory(&self, s: Sizes) -> u64 {
        let leaves = leaf_cap(s.rows / self.min_samples_leaf.max(1) as u64, self.max_depth);
        2 * leaves * (48 + s.n_out * F64) + s.rows * 2 * IDX
    }
}

/// At most `leaves` leaves, and no more than a tree of `max_depth` levels holds.
pub(super) fn leaf_cap(leaves: u64, max_depth: Option<u32>) -> u64 {
    match max_depth {
        Some(d) if d < 40 => leaves.min(1 << d),
        _ => leaves,
    }
    .max(1)
}

fn sklearn(params: &Value, task: Task) -> Result<Estimator> {
    let p: TreeParams = typed(KIND.name, params)?;
    let e = Estimator::new("sklearn.tree", pick(task, "DecisionTreeClassifier", "DecisionTreeRegressor"), ABOUT);
    Ok(tree_args(e, &p.criterion, &p.max_depth, p.min_samples_split, p.min_samples_leaf).arg("random_state", "SEED"))
}

/// criterion, max_depth and the sample limits; "auto" means scikit-learn's own default.
pub(super) fn tree_args(e: Estimator, criterion: &str, max_depth: &Option<u32>, split: u32, leaf: u32) -> Estimator {
    let e = match criterion {
        "" | "auto" => e,
        c => e.set("criterion", &c),
    };
    e.set("max_depth", max_depth).set("min_samples_split", &split).set("min_samples_leaf", &leaf)
}

fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: TreeParams = typed(KIND.name, params)?;
    let class = pick(task, "DecisionTreeClassifier", "DecisionTreeRegressor");
    let mut args = spark_xy();
    args.push(("maxDepth", spark_depth(p.max_depth)));
    args.push(("minInstancesPerNode", p.min_samples_leaf.to_string()));
    args.extend([("impurity", impurity(task, &p.criterion)), ("maxBins", "max_bins".into()), ("seed", "SEED".into())]);
    let imports = vec![spark_import(spark_module(task), class)];
    Ok(SparkModel::new(imports, spark_call(class, &args), ABOUT, task == Task::Classification).note(TREE_NOTE))
}

/// `max_depth` (None: unlimited) within Spark's limit of 30.
pub(super) fn spark_depth(max_depth: Option<u32>) -> String {
    max_depth.map_or(30, |d| d.min(30)).to_string()
}

/// Spark's impurity for a scikit-learn criterion.
pub(super) fn impurity(task: Task, criterion: &str) -> String {
    match (task == Task::Classification, criterion) {
        (false, _) => "\"variance\"",
        (true, "entropy" | "log_loss") => "\"entropy\"",
        (true, _) => "\"gini\"",
    }
    .into()
}

pub(super) const TREE_NOTE: &str = "Spark bins every numeric feature into maxBins values before growing trees (mlplay and \
    scikit-learn try every boundary), and limits depth to 30. Text columns are categories for Spark's trees, split \
    into groups as mlplay does.";

const ABOUT: &str =
    "A decision tree asks yes/no questions about the features (\"petal_length <= 2.45?\"), each chosen to \
    make the groups it creates as pure as possible, until the groups are pure or too small (max_depth, \
    min_samples_split, min_samples_leaf). A deep tree can memorise the training rows: watch the gap between training \
    and validation scores.";
