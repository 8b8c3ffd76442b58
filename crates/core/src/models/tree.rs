//! Decision tree (CART) for classification and regression, as scikit-learn's
//! DecisionTreeClassifier / DecisionTreeRegressor. It reads features in their own units
//! (`Encoding::Native`), splits categories by subsets and routes missing values itself.
//! One step grows one more depth level, so the page can show the tree growing.
//!
//! `criterion` is "auto" by default: gini for classification, squared_error for
//! regression (scikit-learn's defaults); naming a criterion of the other task is an error.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::explain::{Explanation, Importances, TreeNode};
use super::record::{self, num, Fit};
use super::tree_build::{Columns, Criterion, FlatTree, Grower, Labels, Node, Settings, CATEGORY, LEAF, NUMERIC};
use super::{loss_of, Model, Prediction, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{check_choice, check_int, Domain, ParamInfo};
use crate::data::prep::Prepared;
use crate::data::Task;

mod rules_text;
pub use rules_text::rules;

/// Levels of the tree given in `explain()`; deeper nodes are shown as leaves (the full
/// tree of a large data set has thousands of nodes).
pub const EXPLAIN_DEPTH: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TreeParams {
    /// "auto", "gini", "entropy", "log_loss" or "squared_error".
    pub criterion: String,
    /// `None` (null): grow until leaves are pure or too small to split, as scikit-learn.
    pub max_depth: Option<u32>,
    pub min_samples_split: u32,
    pub min_samples_leaf: u32,
}

impl Default for TreeParams {
    fn default() -> Self {
        TreeParams { criterion: "auto".into(), max_depth: None, min_samples_split: 2, min_samples_leaf: 1 }
    }
}

/// The parameters trees and forests share.
pub fn shared_param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo::new("max_depth", Domain::Int { min: 1, max: 64 }, "How many questions a row may be asked on its way to a leaf. Shallow trees are simple and may underfit; empty means no limit, and a deep tree can memorise the training rows.", false),
        ParamInfo::new("min_samples_leaf", Domain::Int { min: 1, max: 100_000 }, "Fewest training rows a leaf may hold. Raising it stops the tree from carving out tiny groups, which smooths its answers.", false),
        ParamInfo::new("min_samples_split", Domain::Int { min: 2, max: 100_000 }, "Fewest training rows a node needs before it may be split further.", true),
        ParamInfo::new("criterion", Domain::Choice { options: &["auto", "gini", "entropy", "log_loss", "squared_error"] }, "How the purity of a group is measured when choosing a split. auto: gini for classes, squared_error for numbers; entropy (same as log_loss) is the information-theory alternative to gini.", true),
    ]
}

/// Checks the shared fields (the forest has the same ones).
pub fn validate_shared(criterion: &str, max_depth: Option<u32>, min_split: u32, min_leaf: u32) -> Result<()> {
    let p = shared_param_info();
    check_choice(&p, "criterion", criterion)?;
    if let Some(d) = max_depth {
        check_int(&p, "max_depth", d as i64)?;
    }
    check_int(&p, "min_samples_split", min_split as i64)?;
    check_int(&p, "min_samples_leaf", min_leaf as i64)
}

impl TreeParams {
    pub fn validate(&self) -> Result<()> {
        validate_shared(&self.criterion, self.max_depth, self.min_samples_split, self.min_samples_leaf)
    }
}

/// The criterion to use for `task`; a criterion of the other task is an error.
pub fn criterion_for(name: &str, task: Task) -> Result<Criterion> {
    match (name, task) {
        ("auto" | "gini", Task::Classification) => Ok(Criterion::Gini),
        ("entropy" | "log_loss", Task::Classification) => Ok(Criterion::Entropy),
        ("auto" | "squared_error", Task::Regression) => Ok(Criterion::SquaredError),
        (_, Task::Classification) => {
            Err(Error::param("criterion", name, "auto, gini, entropy or log_loss for a classification target"))
        }
        (_, Task::Regression) => Err(Error::param("criterion", name, "auto or squared_error for a regression target")),
    }
}

/// The training target as the grower reads it.
pub fn labels_of(data: &Prepared) -> Labels<'_> {
    match data.task {
        Task::Classification => Labels::Classes(data.train.y.labels(), data.class_names.len()),
        Task::Regression => Labels::Values(data.train.y.values()),
    }
}

/// Importances normalised to sum to 1 (all zeros for a single leaf), as scikit-learn.
pub fn normalised(imp: &[f64]) -> Vec<f64> {
    let total: f64 = imp.iter().sum();
    imp.iter().map(|v| if total > 0.0 { v / total } else { 0.0 }).collect()
}

/// A tree's predictions for every row: `n_out` numbers per row, row after row.
pub fn tree_outputs(tree: &FlatTree, x: &Array2<f64>) -> Vec<f64> {
    let mut out = vec![0.0; x.nrows() * tree.n_out];
    tree.add_predictions(x, &mut out);
    out
}

/// Turns `n_out` numbers per row into a prediction.
pub fn to_prediction(task: Task, n_out: usize, out: Vec<f64>) -> Prediction {
    match task {
        Task::Classification => {
            Prediction::Proba(Array2::from_shape_vec((out.len() / n_out.max(1), n_out), out).expect("n_out per row"))
        }
        Task::Regression => Prediction::Values(out.into()),
    }
}

#[derive(Debug, Clone)]
pub struct TreeModel {
    tree: FlatTree,
    task: Task,
    /// Unnormalised impurity decrease per feature.
    importance: Vec<f64>,
}

impl TreeModel {
    pub fn to_node(&self, node: usize, depth_left: usize) -> TreeNode {
        let n = &self.tree.nodes[node];
        let (samples, value, impurity) = (n.samples as usize, self.tree.value(node).to_vec(), n.impurity);
        if n.kind == LEAF || depth_left == 0 {
            return TreeNode::Leaf { samples, value, impurity };
        }
        let category = n.kind == CATEGORY;
        TreeNode::Split {
            samples,
            value,
            impurity,
            feature: n.feature as usize,
            threshold: (!category).then_some(n.threshold),
            categories_left: category.then(|| self.tree.categories_left(n)),
            missing_left: n.missing_left,
            left: Box::new(self.to_node(n.left as usize, depth_left - 1)),
            right: Box::new(self.to_node(n.right as usize, depth_left - 1)),
        }
    }
}

impl Model for TreeModel {
    fn record(&self) -> Option<serde_json::Value> {
        Some(self.to_record())
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        to_prediction(self.task, self.tree.n_out, tree_outputs(&self.tree, x))
    }

    fn size_bytes(&self) -> usize {
        self.tree.size_bytes()
    }

    fn explain(&self) -> Explanation {
        Explanation {
            importances: Some(Importances { impurity: normalised(&self.importance), permutation: None }),
            tree: Some(self.to_node(0, EXPLAIN_DEPTH)),
            ..Default::default()
        }
    }
}

pub struct TreeTrainer {
    cols: Columns,
    grower: Grower,
    model: TreeModel,
    depth: usize,
    total: usize,
}

impl TreeTrainer {
    pub fn new(params: &TreeParams, data: &Prepared, seed: u32) -> Result<TreeTrainer> {
        let n = data.train.n_rows();
        if n == 0 {
            return Err(Error::Data("the training split is empty; give it a larger share of the rows".into()));
        }
        let set = Settings {
            criterion: criterion_for(&params.criterion, data.task)?,
            max_depth: params.max_depth,
            min_samples_split: params.min_samples_split as usize,
            min_samples_leaf: params.min_samples_leaf as usize,
            max_features: data.train.x.ncols(),
        };
        let cols = Columns::new(&data.train.x, &data.categorical);
        let (grower, tree) = Grower::new(&cols, &labels_of(data), vec![1.0; n], set, Rng::derive(seed as u64, 0x7ee));
        // A tree on n rows is at most n - 1 levels deep; the bound shrinks when it stops.
        let total = if grower.is_done() { 1 } else { params.max_depth.map_or(n - 1, |d| d as usize).max(1) };
        let importance = vec![0.0; cols.cols.len()];
        Ok(TreeTrainer { cols, grower, model: TreeModel { tree, task: data.task, importance }, depth: 0, total })
    }
}

impl Trainer for TreeTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        if self.depth < self.total {
            self.grower.grow_level(&self.cols, &labels_of(data), &mut self.model.tree);
            self.model.importance.clone_from(&self.grower.importance);
            self.depth += 1;
            if self.grower.is_done() {
                self.total = self.depth;
            }
        }
        Ok(StepReport {
            train_loss: loss_of(&self.model, &data.train).unwrap_or(f64::NAN),
            validation_loss: loss_of(&self.model, &data.validation),
        })
    }

    fn steps_done(&self) -> usize {
        self.depth
    }

    fn steps_total(&self) -> usize {
        self.total
    }

    fn model(&self) -> Option<&dyn Model> {
        Some(&self.model)
    }
}

// ---- model file record -----------------------------------------------------------------

/// A node as a model file stores it; fields at their default (0, false) are left out:
/// most nodes are leaves.
#[derive(Serialize, Deserialize)]
struct NodeRecord {
    /// 0 leaf, 1 numeric split, 2 category split.
    #[serde(default, skip_serializing_if = "record::is_default")]
    kind: u8,
    #[serde(default, skip_serializing_if = "record::is_default")]
    feature: u32,
    #[serde(default, skip_serializing_if = "record::is_default")]
    left: u32,
    #[serde(default, skip_serializing_if = "record::is_default")]
    right: u32,
    #[serde(default, skip_serializing_if = "record::is_default", with = "num::one")]
    threshold: f64,
    #[serde(default, skip_serializing_if = "record::is_default")]
    missing_left: bool,
    #[serde(default, skip_serializing_if = "record::is_default")]
    cat_start: u32,
    #[serde(default, skip_serializing_if = "record::is_default")]
    cat_len: u32,
    samples: u32,
    #[serde(with = "num::one")]
    impurity: f64,
}

/// A CART tree: node 0 is the root, children come after their parent.
#[derive(Serialize, Deserialize)]
pub(crate) struct TreeRecord {
    n_out: usize,
    nodes: Vec<NodeRecord>,
    /// n_out numbers per node.
    #[serde(with = "num::many")]
    values: Vec<f64>,
    cat_words: Vec<u64>,
}

impl TreeRecord {
    pub(crate) fn of(t: &FlatTree) -> TreeRecord {
        let nodes = t
            .nodes
            .iter()
            .map(|n| NodeRecord {
                kind: n.kind,
                feature: n.feature,
                left: n.left,
                right: n.right,
                threshold: n.threshold,
                missing_left: n.missing_left,
                cat_start: n.cat_start,
                cat_len: n.cat_len,
                samples: n.samples,
                impurity: n.impurity,
            })
            .collect();
        TreeRecord { n_out: t.n_out, nodes, values: t.values.clone(), cat_words: t.cat_words.clone() }
    }

    pub(crate) fn n_out(&self) -> usize {
        self.n_out
    }

    /// Node indices in range, children after their parent (so every walk ends), features
    /// and category words in range, values finite.
    pub(crate) fn check(self, field: &str, fit: &Fit) -> Result<FlatTree> {
        let t = self;
        record::equal(&format!("{field}.n_out"), t.n_out, fit.n_out(), "what the target implies")?;
        if t.nodes.is_empty() {
            return record::err(format!("{field}.nodes"), "is empty; a tree needs a root");
        }
        let values = format!("{field}.values");
        record::len(&values, t.values.len(), record::product(&values, t.nodes.len(), t.n_out)?)?;
        record::finite(&values, &t.values)?;
        let n = t.nodes.len();
        for (i, node) in t.nodes.iter().enumerate() {
            let at = |what: &str| format!("{field}.nodes[{i}].{what}");
            match node.kind {
                LEAF => continue,
                NUMERIC if node.threshold.is_nan() => return record::err(at("threshold"), "is NaN"),
                NUMERIC => {}
                CATEGORY => {
                    let end = node.cat_start as usize + node.cat_len as usize;
                    if end > t.cat_words.len() {
                        return record::err(
                            at("cat_len"),
                            format!(
                                "words {}..{end} run past the {} category words",
                                node.cat_start,
                                t.cat_words.len()
                            ),
                        );
                    }
                }
                k => {
                    return record::err(
                        at("kind"),
                        format!("{k} is not 0 (leaf), 1 (numeric split) or 2 (category split)"),
                    )
                }
            }
            if node.feature as usize >= fit.n_features {
                return record::err(
                    at("feature"),
                    format!("{} is not below the {} model inputs", node.feature, fit.n_features),
                );
            }
            record::children(at, i, n, node.left, node.right)?;
        }
        let nodes = t
            .nodes
            .iter()
            .map(|n| Node {
                kind: n.kind,
                missing_left: n.missing_left,
                feature: n.feature,
                left: n.left,
                right: n.right,
                threshold: n.threshold,
                cat_start: n.cat_start,
                cat_len: n.cat_len,
                samples: n.samples,
                weight: n.samples as f64,
                impurity: n.impurity,
            })
            .collect();
        Ok(FlatTree { nodes, values: t.values, n_out: t.n_out, cat_words: t.cat_words })
    }
}

/// The task a tree record says it was grown for: it must be the file's target's.
pub(crate) fn check_task(task: Task, fit: &Fit) -> Result<()> {
    if task != fit.task {
        return record::err("model.task", "is not the target's task");
    }
    Ok(())
}

#[derive(Serialize, Deserialize)]
struct Record {
    task: Task,
    n_features: usize,
    tree: TreeRecord,
    #[serde(with = "num::many")]
    importance: Vec<f64>,
}

impl TreeModel {
    fn to_record(&self) -> serde_json::Value {
        record::to_value(&Record {
            task: self.task,
            n_features: self.importance.len(),
            tree: TreeRecord::of(&self.tree),
            importance: self.importance.clone(),
        })
    }

    /// A model file's record, checked against the file's preprocessing and target.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<TreeModel> {
        let s: Record = record::parse(v)?;
        check_task(s.task, fit)?;
        record::features("model.n_features", s.n_features, fit)?;
        record::len("model.importance", s.importance.len(), s.n_features)?;
        let tree = s.tree.check("model.tree", fit)?;
        Ok(TreeModel { tree, task: s.task, importance: s.importance })
    }
}

pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(TreeModel::from_record(v, fit)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(samples: usize, value: Vec<f64>) -> Box<TreeNode> {
        Box::new(TreeNode::Leaf { samples, value, impurity: 0.0 })
    }

    fn iris_like() -> TreeNode {
        let inner = TreeNode::Split {
            samples: 100,
            value: vec![0.0, 0.5, 0.5],
            impurity: 0.5,
            feature: 1,
            threshold: Some(1.75),
            categories_left: None,
            missing_left: true,
            left: leaf(54, vec![0.0, 0.9074, 0.0926]),
            right: leaf(46, vec![0.0, 0.0, 1.0]),
        };
        TreeNode::Split {
            samples: 150,
            value: vec![1.0 / 3.0; 3],
            impurity: 0.667,
            feature: 0,
            threshold: Some(2.45),
            categories_left: None,
            missing_left: false,
            left: leaf(50, vec![1.0, 0.0, 0.0]),
            right: Box::new(inner),
        }
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rules_read_like_the_tree() {
        let f = names(&["petal_length", "petal_width"]);
        let k = names(&["setosa", "versicolor", "virginica"]);
        let text = rules(&iris_like(), &f, &[vec![], vec![]], &k, 5);
        assert_eq!(
            text,
            "if petal_length <= 2.45 then setosa (50 rows)\nelse\n  if petal_width <= 1.75 or missing then versicolor (54 rows, 91%)\n  else virginica (46 rows)\n"
        );
        // Depth 1: the inner split is summarised.
        let short = rules(&iris_like(), &f, &[vec![], vec![]], &k, 1);
        assert_eq!(short, "if petal_length <= 2.45 then setosa (50 rows)\nelse versicolor (100 rows, 50%) ...\n");
    }

    #[test]
    fn rules_name_categories_and_regression_values() {
        let node = TreeNode::Split {
            samples: 10,
            value: vec![5.0],
            impurity: 1.0,
            feature: 0,
            threshold: None,
            categories_left: Some(vec![0, 2]),
            missing_left: false,
            left: leaf(6, vec![3.25]),
            right: leaf(4, vec![8.0]),
        };
        let text = rules(&node, &names(&["island"]), &[names(&["Biscoe", "Dream", "Torgersen"])], &[], 3);
        assert_eq!(text, "if island in {Biscoe, Torgersen} then 3.25 (6 rows)\nelse 8 (4 rows)\n");
    }

    #[test]
    fn criterion_must_fit_the_task() {
        assert_eq!(criterion_for("auto", Task::Regression).unwrap(), Criterion::SquaredError);
        assert_eq!(criterion_for("log_loss", Task::Classification).unwrap(), Criterion::Entropy);
        let e = criterion_for("gini", Task::Regression).unwrap_err();
        assert!(e.to_string().contains("criterion = gini"), "{e}");
        assert!(criterion_for("squared_error", Task::Classification).is_err());
        let e = TreeParams { max_depth: Some(0), ..Default::default() }.validate().unwrap_err();
        assert!(e.to_string().contains("max_depth = 0"), "{e}");
        assert!(TreeParams { min_samples_leaf: 0, ..Default::default() }.validate().is_err());
    }
}
