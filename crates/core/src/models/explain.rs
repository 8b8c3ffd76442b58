//! What the page can show about a fitted model beyond its predictions: weights of linear
//! models, the tree of a decision tree, feature importances of ensembles, and scores a
//! model computes about itself (out-of-bag accuracy, labels added by self-training).
//! Features are indices into `Prepared::feature_names`.

use serde::Serialize;

use crate::metrics::Metrics;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Explanation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coefficients: Option<Coefficients>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importances: Option<Importances>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree: Option<TreeNode>,
    /// The tree as indented if/else rules with names and the data's units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
    /// Self-training: labels added per round, and the labels-only baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_training: Option<SelfTrainingLog>,
    /// Neural networks: layer sizes, first-layer weights, scores per epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkView>,
    /// Autoencoder: the reconstruction errors and the threshold that flags anomalies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anomaly: Option<AnomalyView>,
    /// Scores the model measures itself, e.g. `oob_score`.
    #[serde(skip_serializing_if = "Metrics::is_empty")]
    pub scores: Metrics,
    /// Names of the model's input columns, which the indices above refer to (filled in
    /// by the session, which knows them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feature_names: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub class_names: Vec<String>,
    /// Category names of each categorical input column (trees split on them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub category_names: Vec<Vec<String>>,
}

impl Explanation {
    /// The explanation with the names its indices refer to (the session knows them), and a
    /// tree's rules written with those names and categories; `class_names` empty for
    /// regression.
    pub fn named(mut self, feature_names: &[String], class_names: &[String], category_names: &[Vec<String>]) -> Self {
        self.feature_names = feature_names.to_vec();
        self.class_names = class_names.to_vec();
        if let Some(tree) = &self.tree {
            self.rules = Some(super::tree::rules(tree, feature_names, category_names, class_names, 8));
        }
        self
    }
}

/// Weights of a linear model: one row per output (one for regression and binary
/// classification, one per class for multinomial), one weight per input column.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Coefficients {
    /// What each row predicts: the target name, the positive class, or each class.
    pub outputs: Vec<String>,
    pub weights: Vec<Vec<f64>>,
    pub intercepts: Vec<f64>,
}

/// Per input column; each list sums to 1 (impurity) or is a drop in score (permutation).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Importances {
    pub impurity: Vec<f64>,
    /// Mean drop in validation score when the column is shuffled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permutation: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TreeNode {
    Leaf {
        samples: usize,
        /// Class proportions, or the mean value for regression.
        value: Vec<f64>,
        impurity: f64,
    },
    Split {
        samples: usize,
        value: Vec<f64>,
        impurity: f64,
        feature: usize,
        /// Numeric split: rows with `x <= threshold` go left.
        #[serde(skip_serializing_if = "Option::is_none")]
        threshold: Option<f64>,
        /// Categorical split: rows whose category index is in this list go left.
        #[serde(skip_serializing_if = "Option::is_none")]
        categories_left: Option<Vec<u32>>,
        /// Where rows with a missing value go (learned during fitting).
        missing_left: bool,
        left: Box<TreeNode>,
        right: Box<TreeNode>,
    },
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SelfTrainingLog {
    pub labelled: usize,
    pub unlabelled: usize,
    pub added_per_round: Vec<usize>,
    /// Validation accuracy of the base model trained on the labelled rows alone.
    pub baseline_accuracy: f64,
}

/// A neural network's shape, what its first layer looks for, and the weights after it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NetworkView {
    /// Units per layer: inputs, each hidden layer, outputs.
    pub layer_sizes: Vec<usize>,
    pub activation: String,
    /// One list per unit of the first hidden layer: its weight on each input column (with
    /// 64 inputs, as the digits, an 8x8 picture of what the unit responds to).
    pub first_layer: Vec<Vec<f64>>,
    pub first_layer_bias: Vec<f64>,
    /// The weights of every later layer, one list per unit of that layer: its weight on
    /// each unit of the layer before (the last list is the output layer's).
    pub later_layers: Vec<Vec<Vec<f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epochs: Option<EpochScores>,
}

/// A score after every epoch (`accuracy` for classification, `r2` for regression). The
/// training score is the mean over the epoch's mini-batches while the weights moved (with
/// dropout on), as Keras reports it; the validation score is measured after the epoch.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct EpochScores {
    pub metric: String,
    pub train: Vec<f64>,
    pub validation: Vec<f64>,
}

/// An autoencoder's view of the rows: how badly it rebuilds them. A row's error is the
/// mean squared difference between its (scaled) features and their reconstruction.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnomalyView {
    /// Rows with a larger error are flagged (the second class; probability 0.5 here).
    pub threshold: f64,
    /// The share of training rows above the threshold, as asked for.
    pub contamination: f64,
    pub median_train_error: f64,
    /// Bin edges (bins + 1), evenly spaced on a log scale: the errors span decades.
    pub edges: Vec<f64>,
    /// Training rows per bin (errors beyond the edges counted in the end bins).
    pub train: Vec<usize>,
    /// Validation rows per bin, split by their label: normal (first class) and anomalous.
    pub validation_normal: Vec<usize>,
    pub validation_anomalous: Vec<usize>,
    /// Validation rows flagged, by position in the validation part, largest error first
    /// (at most 500), with their errors.
    pub flagged: Vec<usize>,
    pub flagged_errors: Vec<f64>,
}
