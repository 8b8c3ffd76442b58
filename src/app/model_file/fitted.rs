//! The fitted parameters of every kind as they are written in a model file: plain lists
//! and declared sizes, tagged by `kind`. `From<&Model>` writes them; `check` (in
//! `check.rs`) validates a file's copy before `into_model` builds a model from it.

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::num;
use crate::data::Task;
use crate::models::autoencoder::AutoencoderModel;
use crate::models::bayes::NaiveBayesModel;
use crate::models::boosting::BoostingModel;
use crate::models::boosting_tree::{Node as BoostNode, Tree as BoostTree};
use crate::models::forest::ForestModel;
use crate::models::knn::{KnnModel, KnnTarget};
use crate::models::linear::LinearModel;
use crate::models::logistic::LogisticModel;
use crate::models::mlp::MlpModel;
use crate::models::mlp_net::{Activation, Loss, Network, ACTIVATIONS};
use crate::models::tree::TreeModel;
use crate::models::tree_build::{FlatTree, Node};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fitted {
    /// linear_regression, ridge and lasso.
    Linear(SavedLinear),
    Logistic(SavedLogistic),
    Knn(SavedKnn),
    NaiveBayes(SavedBayes),
    DecisionTree(SavedTreeModel),
    RandomForest(SavedForest),
    GradientBoosting(SavedBoosting),
    Mlp(SavedMlp),
    Autoencoder(SavedAutoencoder),
    /// The last base model of self-training (it predicts alone).
    SelfTraining(SavedSelfTraining),
    Kmeans(SavedKmeans),
    Pca(SavedPca),
    Dbscan(SavedDbscan),
    /// t-SNE and UMAP: coordinates of the fitted rows only (in `rows`).
    Embedding(SavedEmbedding),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedLinear {
    pub n_features: usize,
    #[serde(with = "num::many")]
    pub coef: Vec<f64>,
    #[serde(with = "num::one")]
    pub intercept: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedLogistic {
    pub n_features: usize,
    /// 1 for two classes (the second's log-odds), else one per class.
    pub n_outputs: usize,
    pub n_classes: usize,
    /// n_features x n_outputs, row-major.
    #[serde(with = "num::many")]
    pub coef: Vec<f64>,
    #[serde(with = "num::many")]
    pub intercept: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedKnn {
    pub n_features: usize,
    pub n_rows: usize,
    pub n_neighbors: usize,
    pub by_distance: bool,
    /// The training rows, n_rows x n_features, row-major (k-NN keeps its data).
    #[serde(with = "num::many")]
    pub x: Vec<f64>,
    /// Classification: a class per row and the number of classes.
    #[serde(default)]
    pub labels: Vec<u32>,
    #[serde(default)]
    pub n_classes: usize,
    /// Regression: a value per row.
    #[serde(default, with = "num::many")]
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedBayes {
    pub n_classes: usize,
    pub n_features: usize,
    /// n_classes x n_features, row-major.
    #[serde(with = "num::many")]
    pub mean: Vec<f64>,
    #[serde(with = "num::many")]
    pub var: Vec<f64>,
    #[serde(with = "num::many")]
    pub log_prior: Vec<f64>,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Fields at their default (0, false) are left out of the file: most nodes are leaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedNode {
    /// 0 leaf, 1 numeric split, 2 category split.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: u8,
    #[serde(default, skip_serializing_if = "is_default")]
    pub feature: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub left: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub right: u32,
    #[serde(default, skip_serializing_if = "is_default", with = "num::one")]
    pub threshold: f64,
    #[serde(default, skip_serializing_if = "is_default")]
    pub missing_left: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub cat_start: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub cat_len: u32,
    pub samples: u32,
    #[serde(with = "num::one")]
    pub impurity: f64,
}

/// A CART tree: node 0 is the root, children come after their parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTree {
    pub n_out: usize,
    pub nodes: Vec<SavedNode>,
    /// n_out numbers per node.
    #[serde(with = "num::many")]
    pub values: Vec<f64>,
    pub cat_words: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTreeModel {
    pub task: Task,
    pub n_features: usize,
    pub tree: SavedTree,
    #[serde(with = "num::many")]
    pub importance: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedForest {
    pub task: Task,
    pub n_features: usize,
    pub n_out: usize,
    pub trees: Vec<SavedTree>,
    #[serde(with = "num::many")]
    pub importance: Vec<f64>,
    #[serde(default, with = "num::opt", skip_serializing_if = "Option::is_none")]
    pub oob_score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedBoostNode {
    /// Absent (or 4294967295) for a leaf.
    #[serde(default = "leaf", skip_serializing_if = "is_leaf")]
    pub feature: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub bin: u8,
    #[serde(default, skip_serializing_if = "is_default")]
    pub missing_left: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub is_cat: bool,
    #[serde(default, skip_serializing_if = "is_default", with = "num::one")]
    pub threshold: f64,
    #[serde(default, skip_serializing_if = "is_default")]
    pub cats: [u64; 4],
    #[serde(default, skip_serializing_if = "is_default")]
    pub left: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub right: u32,
    #[serde(with = "num::one")]
    pub value: f64,
    #[serde(default, skip_serializing_if = "is_default", with = "num::one")]
    pub gain: f64,
    pub samples: u32,
}

fn leaf() -> u32 {
    crate::models::boosting_tree::LEAF
}

fn is_leaf(f: &u32) -> bool {
    *f == leaf()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedBoosting {
    pub n_features: usize,
    /// Trees per round: 1 for regression and two classes, else one per class.
    pub k: usize,
    /// 0 for regression.
    pub n_classes: usize,
    pub missing_bin: u8,
    #[serde(with = "num::many")]
    pub baseline: Vec<f64>,
    #[serde(with = "num::many")]
    pub split_gain: Vec<f64>,
    pub trees: Vec<Vec<SavedBoostNode>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedLayer {
    /// inputs x outputs, row-major.
    #[serde(with = "num::many32")]
    pub weights: Vec<f32>,
    #[serde(with = "num::many32")]
    pub biases: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedNet {
    /// Units per layer, inputs first.
    pub sizes: Vec<usize>,
    pub activation: String,
    /// softmax, logistic or squared.
    pub loss: String,
    pub layers: Vec<SavedLayer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedMlp {
    pub net: SavedNet,
    /// Regression: the network predicts (y - y_mean) / y_std.
    #[serde(with = "num::one")]
    pub y_mean: f64,
    #[serde(with = "num::one")]
    pub y_std: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAutoencoder {
    pub net: SavedNet,
    #[serde(with = "num::one")]
    pub threshold: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSelfTraining {
    pub base: Box<Fitted>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedKmeans {
    pub n_clusters: usize,
    pub n_features: usize,
    /// n_clusters x n_features, row-major.
    #[serde(with = "num::many")]
    pub centers: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPca {
    pub n_components: usize,
    pub n_features: usize,
    #[serde(with = "num::many")]
    pub mean: Vec<f64>,
    /// n_components x n_features, row-major.
    #[serde(with = "num::many")]
    pub components: Vec<f64>,
    #[serde(with = "num::many")]
    pub explained_variance_ratio: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedDbscan {
    #[serde(with = "num::one")]
    pub eps: f64,
    pub n_features: usize,
    /// The core rows, n_core x n_features, and each one's cluster: a new row joins the
    /// cluster of a core row within eps (the nearest), else it is noise.
    #[serde(with = "num::many")]
    pub core_points: Vec<f64>,
    pub core_labels: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedEmbedding {
    pub method: String,
    pub note: String,
}

pub const EMBEDDING_NOTE: &str = "t-SNE and UMAP place only the rows they were fitted on; their coordinates are in \
`rows.embedding` and they cannot place new rows (fit again with the new rows included)";

// ---- writing ------------------------------------------------------------------------

fn flat(x: &Array2<f64>) -> Vec<f64> {
    x.iter().copied().collect()
}

impl From<&LinearModel> for Fitted {
    fn from(m: &LinearModel) -> Fitted {
        Fitted::Linear(SavedLinear { n_features: m.coef.len(), coef: m.coef.clone(), intercept: m.intercept })
    }
}

impl From<&LogisticModel> for Fitted {
    fn from(m: &LogisticModel) -> Fitted {
        Fitted::Logistic(SavedLogistic {
            n_features: m.coef.nrows(),
            n_outputs: m.coef.ncols(),
            n_classes: m.n_classes,
            coef: flat(&m.coef),
            intercept: m.intercept.to_vec(),
        })
    }
}

impl From<&KnnModel> for Fitted {
    fn from(m: &KnnModel) -> Fitted {
        let x = m.training_rows();
        let (labels, n_classes, values) = match &m.target {
            KnnTarget::Classes { labels, n_classes } => (labels.clone(), *n_classes, vec![]),
            KnnTarget::Values(v) => (vec![], 0, v.clone()),
        };
        Fitted::Knn(SavedKnn {
            n_features: x.ncols(),
            n_rows: x.nrows(),
            n_neighbors: m.k,
            by_distance: m.by_distance,
            x: flat(&x),
            labels,
            n_classes,
            values,
        })
    }
}

impl From<&NaiveBayesModel> for Fitted {
    fn from(m: &NaiveBayesModel) -> Fitted {
        Fitted::NaiveBayes(SavedBayes {
            n_classes: m.mean.nrows(),
            n_features: m.mean.ncols(),
            mean: flat(&m.mean),
            var: flat(&m.var),
            log_prior: m.log_prior.to_vec(),
        })
    }
}

fn save_tree(t: &FlatTree) -> SavedTree {
    let nodes = t
        .nodes
        .iter()
        .map(|n| SavedNode {
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
    SavedTree { n_out: t.n_out, nodes, values: t.values.clone(), cat_words: t.cat_words.clone() }
}

impl From<&TreeModel> for Fitted {
    fn from(m: &TreeModel) -> Fitted {
        Fitted::DecisionTree(SavedTreeModel {
            task: m.task,
            n_features: m.importance.len(),
            tree: save_tree(&m.tree),
            importance: m.importance.clone(),
        })
    }
}

impl From<&ForestModel> for Fitted {
    fn from(m: &ForestModel) -> Fitted {
        Fitted::RandomForest(SavedForest {
            task: m.task,
            n_features: m.importance.len(),
            n_out: m.n_out,
            trees: m.trees.iter().map(save_tree).collect(),
            importance: m.importance.clone(),
            oob_score: m.oob_score,
        })
    }
}

impl From<&BoostingModel> for Fitted {
    fn from(m: &BoostingModel) -> Fitted {
        let node = |n: &BoostNode| SavedBoostNode {
            feature: n.feature,
            bin: n.bin,
            missing_left: n.missing_left,
            is_cat: n.is_cat,
            threshold: n.threshold,
            cats: n.cats,
            left: n.left,
            right: n.right,
            value: n.value,
            gain: n.gain,
            samples: n.samples,
        };
        Fitted::GradientBoosting(SavedBoosting {
            n_features: m.n_features,
            k: m.k,
            n_classes: m.n_classes,
            missing_bin: m.missing_bin,
            baseline: m.baseline.clone(),
            split_gain: m.split_gain.clone(),
            trees: m.trees.iter().map(|t| t.nodes.iter().map(node).collect()).collect(),
        })
    }
}

fn loss_name(l: Loss) -> &'static str {
    match l {
        Loss::Softmax => "softmax",
        Loss::Logistic => "logistic",
        Loss::Squared => "squared",
    }
}

pub(crate) fn loss_of_name(name: &str) -> Option<Loss> {
    Some(match name {
        "softmax" => Loss::Softmax,
        "logistic" => Loss::Logistic,
        "squared" => Loss::Squared,
        _ => return None,
    })
}

fn save_net(net: &Network) -> SavedNet {
    let all = [Activation::Relu, Activation::Tanh, Activation::Logistic, Activation::Identity];
    let activation = ACTIVATIONS[all.iter().position(|&a| a == net.activation).expect("a known activation")];
    SavedNet {
        sizes: net.sizes.clone(),
        activation: activation.to_string(),
        loss: loss_name(net.loss).to_string(),
        layers: net
            .weights
            .iter()
            .zip(&net.biases)
            .map(|(w, b)| SavedLayer { weights: w.clone(), biases: b.clone() })
            .collect(),
    }
}

impl From<&MlpModel> for Fitted {
    fn from(m: &MlpModel) -> Fitted {
        Fitted::Mlp(SavedMlp { net: save_net(&m.net), y_mean: m.y_mean, y_std: m.y_std })
    }
}

impl From<&AutoencoderModel> for Fitted {
    fn from(m: &AutoencoderModel) -> Fitted {
        Fitted::Autoencoder(SavedAutoencoder { net: save_net(&m.net), threshold: m.threshold })
    }
}

// ---- reading (after `check`) ----------------------------------------------------------

/// A reloaded self-training model: its base predicts, and it saves as self-training again.
struct SelfTrained(Box<dyn crate::models::Model>);

impl crate::models::Model for SelfTrained {
    fn predict(&self, x: &Array2<f64>) -> crate::models::Prediction {
        self.0.predict(x)
    }
    fn size_bytes(&self) -> usize {
        self.0.size_bytes()
    }
    fn explain(&self) -> crate::models::explain::Explanation {
        self.0.explain()
    }
    fn saved(&self) -> Option<Fitted> {
        Some(Fitted::SelfTraining(SavedSelfTraining { base: Box::new(self.0.saved()?) }))
    }
}

fn load_tree(t: &SavedTree) -> FlatTree {
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
    FlatTree { nodes, values: t.values.clone(), n_out: t.n_out, cat_words: t.cat_words.clone() }
}

pub(crate) fn load_net(s: &SavedNet) -> Network {
    Network {
        sizes: s.sizes.clone(),
        activation: Activation::from_name(&s.activation).expect("checked"),
        loss: loss_of_name(&s.loss).expect("checked"),
        weights: s.layers.iter().map(|l| l.weights.clone()).collect(),
        biases: s.layers.iter().map(|l| l.biases.clone()).collect(),
    }
}

fn matrix(rows: usize, cols: usize, v: &[f64]) -> Array2<f64> {
    Array2::from_shape_vec((rows, cols), v.to_vec()).expect("checked shape")
}

impl Fitted {
    /// The model for a checked supervised entry; `None` for clusterings and projections.
    pub(crate) fn supervised(&self, class_names: &[String]) -> crate::Result<Option<Box<dyn crate::models::Model>>> {
        use std::sync::OnceLock;
        Ok(Some(match self {
            Fitted::Linear(s) => Box::new(LinearModel { coef: s.coef.clone(), intercept: s.intercept }),
            Fitted::Logistic(s) => Box::new(LogisticModel {
                coef: matrix(s.n_features, s.n_outputs, &s.coef),
                intercept: Array1::from(s.intercept.clone()),
                n_classes: s.n_classes,
                class_names: class_names.to_vec(),
            }),
            Fitted::Knn(s) => {
                let target = if s.n_classes > 0 {
                    KnnTarget::Classes { labels: s.labels.clone(), n_classes: s.n_classes }
                } else {
                    KnnTarget::Values(s.values.clone())
                };
                Box::new(KnnModel::from_rows(
                    &matrix(s.n_rows, s.n_features, &s.x),
                    target,
                    s.n_neighbors,
                    s.by_distance,
                )?)
            }
            Fitted::NaiveBayes(s) => Box::new(NaiveBayesModel {
                mean: matrix(s.n_classes, s.n_features, &s.mean),
                var: matrix(s.n_classes, s.n_features, &s.var),
                log_prior: Array1::from(s.log_prior.clone()),
            }),
            Fitted::DecisionTree(s) => {
                Box::new(TreeModel { tree: load_tree(&s.tree), task: s.task, importance: s.importance.clone() })
            }
            Fitted::RandomForest(s) => Box::new(ForestModel {
                trees: s.trees.iter().map(load_tree).collect(),
                task: s.task,
                n_out: s.n_out,
                importance: s.importance.clone(),
                permutation: None,
                oob_score: s.oob_score,
            }),
            Fitted::GradientBoosting(s) => Box::new(BoostingModel {
                baseline: s.baseline.clone(),
                trees: s
                    .trees
                    .iter()
                    .map(|t| BoostTree {
                        nodes: t
                            .iter()
                            .map(|n| BoostNode {
                                feature: n.feature,
                                bin: n.bin,
                                missing_left: n.missing_left,
                                is_cat: n.is_cat,
                                threshold: n.threshold,
                                cats: n.cats,
                                left: n.left,
                                right: n.right,
                                value: n.value,
                                gain: n.gain,
                                samples: n.samples,
                            })
                            .collect(),
                    })
                    .collect(),
                k: s.k,
                n_classes: s.n_classes,
                n_features: s.n_features,
                missing_bin: s.missing_bin,
                split_gain: s.split_gain.clone(),
                permutation_rows: None,
                permutation: OnceLock::new(),
                seed: 0,
            }),
            Fitted::Mlp(s) => Box::new(MlpModel {
                net: load_net(&s.net),
                y_mean: s.y_mean,
                y_std: s.y_std,
                history: Default::default(),
            }),
            Fitted::Autoencoder(s) => {
                Box::new(AutoencoderModel { net: load_net(&s.net), threshold: s.threshold, view: None })
            }
            Fitted::SelfTraining(s) => {
                let base = s.base.supervised(class_names)?.expect("checked: a supervised base");
                Box::new(SelfTrained(base))
            }
            Fitted::Kmeans(_) | Fitted::Pca(_) | Fitted::Dbscan(_) | Fitted::Embedding(_) => return Ok(None),
        }))
    }
}
