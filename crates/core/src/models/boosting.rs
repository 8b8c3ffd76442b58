//! Histogram gradient boosting, as scikit-learn's HistGradientBoostingClassifier and
//! HistGradientBoostingRegressor: each round fits small trees to the gradients of the
//! loss (log-loss, or squared error) on binned features, and adds them, shrunk by the
//! learning rate, to the running prediction. Binary classification grows one tree per
//! round on the log-odds; with more classes, one tree per class per round (softmax).
//! Missing values and categories are handled natively by the trees.

use std::sync::OnceLock;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::boosting_hist::Binned;
use super::boosting_importance::permutation_importance;
use super::boosting_tree::{Node, Tree, LEAF};
use super::explain::{Explanation, Importances};
use super::record::{self, num, Fit};
use super::{Model, Prediction};
use crate::base::error::Result;
use crate::base::schema::{check_choice, check_float, check_int, Domain, ParamInfo};
use crate::data::Target;
use crate::data::Task;

pub use super::boosting_train::BoostingTrainer;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoostingParams {
    pub learning_rate: f64,
    pub max_iter: i64,
    pub max_leaf_nodes: i64,
    /// `None`: no limit on depth (only `max_leaf_nodes`).
    pub max_depth: Option<i64>,
    pub min_samples_leaf: i64,
    pub l2_regularization: f64,
    pub max_bins: i64,
    /// "auto" (on with more than 10,000 rows), "on" or "off".
    pub early_stopping: String,
    pub n_iter_no_change: i64,
    pub tol: f64,
}

impl Default for BoostingParams {
    fn default() -> Self {
        BoostingParams {
            learning_rate: 0.1,
            max_iter: 100,
            max_leaf_nodes: 31,
            max_depth: None,
            min_samples_leaf: 20,
            l2_regularization: 0.0,
            max_bins: 255,
            early_stopping: "auto".into(),
            n_iter_no_change: 10,
            tol: 1e-7,
        }
    }
}

fn float(min: f64, max: f64, log: bool, min_exclusive: bool) -> Domain {
    Domain::Float { min, max, log, min_exclusive }
}

pub fn param_info() -> Vec<ParamInfo> {
    let p = ParamInfo::new;
    vec![
        p("learning_rate", float(0.0, 10.0, true, true),
          "How much each new tree corrects the previous ones. Small steps need more rounds but usually generalise better.", false),
        p("max_iter", Domain::Int { min: 1, max: 10_000 },
          "Number of boosting rounds (trees added one after another). More rounds fit the training data ever more closely.", false),
        p("max_leaf_nodes", Domain::Int { min: 2, max: 10_000 },
          "Most leaves in each tree. Bigger trees capture more interactions between features but can overfit.", false),
        p("max_depth", Domain::Int { min: 1, max: 1000 },
          "Deepest a tree may grow (empty: no limit beyond max_leaf_nodes).", true),
        p("min_samples_leaf", Domain::Int { min: 1, max: 1_000_000 },
          "Fewest training rows a leaf may hold. Larger values ignore small groups of rows and smooth the model.", false),
        p("l2_regularization", float(0.0, 1e6, false, false),
          "Shrinks the value of each leaf towards zero, most for leaves with few rows. Raise it to calm an overfitting model.", true),
        p("max_bins", Domain::Int { min: 2, max: 255 },
          "Each feature is cut into at most this many bins (by quantiles) before training. Fewer bins train faster and coarser.", true),
        p("early_stopping", Domain::Choice { options: &["auto", "on", "off"] },
          "Stop adding trees once the loss on the validation part stops improving (auto: on when there are more than 10,000 rows). Uses this page's validation part, not a split of its own.", false),
        p("n_iter_no_change", Domain::Int { min: 1, max: 1000 },
          "With early stopping: how many rounds without improvement to wait before stopping.", true),
        p("tol", float(0.0, 1.0, false, false),
          "With early stopping: the least drop in validation loss that counts as an improvement.", true),
    ]
}

impl BoostingParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_float(&p, "learning_rate", self.learning_rate)?;
        check_int(&p, "max_iter", self.max_iter)?;
        check_int(&p, "max_leaf_nodes", self.max_leaf_nodes)?;
        if let Some(d) = self.max_depth {
            check_int(&p, "max_depth", d)?;
        }
        check_int(&p, "min_samples_leaf", self.min_samples_leaf)?;
        check_float(&p, "l2_regularization", self.l2_regularization)?;
        check_int(&p, "max_bins", self.max_bins)?;
        check_choice(&p, "early_stopping", &self.early_stopping)?;
        check_int(&p, "n_iter_no_change", self.n_iter_no_change)?;
        check_float(&p, "tol", self.tol)
    }
}

#[derive(Debug, Clone)]
pub struct BoostingModel {
    /// Starting raw prediction per output: the log-odds / log-priors, or the mean.
    pub(super) baseline: Vec<f64>,
    /// Round by round, `k` trees per round.
    pub(super) trees: Vec<Tree>,
    /// Outputs: 1 for regression and binary classification, else the number of classes.
    pub(super) k: usize,
    /// 0 for regression.
    pub(super) n_classes: usize,
    pub(super) n_features: usize,
    pub(super) missing_bin: u8,
    /// Summed split gains per feature.
    pub(super) split_gain: Vec<f64>,
    /// Validation rows for permutation importance, kept once training ends; the
    /// importances are measured on first request (they are not part of fitting).
    pub(super) permutation_rows: Option<(Binned, Target)>,
    pub(super) permutation: OnceLock<Vec<f64>>,
    pub(super) seed: u64,
}

/// Probabilities from raw scores stored output-major (`raw[c * n + i]`).
pub fn proba_from_raw(raw: &[f64], n: usize, k: usize) -> Array2<f64> {
    if k == 1 {
        return Array2::from_shape_fn((n, 2), |(i, c)| {
            let p = 1.0 / (1.0 + libm::exp(-raw[i]));
            if c == 1 {
                p
            } else {
                1.0 - p
            }
        });
    }
    let mut out = Array2::zeros((n, k));
    for (i, mut row) in out.rows_mut().into_iter().enumerate() {
        let top = (0..k).map(|c| raw[c * n + i]).fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for c in 0..k {
            row[c] = libm::exp(raw[c * n + i] - top);
            sum += row[c];
        }
        row /= sum;
    }
    out
}

impl BoostingModel {
    pub fn n_iter(&self) -> usize {
        self.trees.len() / self.k
    }

    /// Raw scores of rows in raw units, output-major.
    pub fn raw(&self, x: &Array2<f64>) -> Vec<f64> {
        let n = x.nrows();
        let x = x.as_standard_layout();
        let xs = x.as_slice().expect("standard layout");
        let p = x.ncols().max(1);
        let mut raw: Vec<f64> = (0..self.k).flat_map(|c| std::iter::repeat_n(self.baseline[c], n)).collect();
        // Blocks of rows small enough to stay in cache while every tree walks them.
        const BLOCK: usize = 128;
        for start in (0..n).step_by(BLOCK) {
            let end = (start + BLOCK).min(n);
            for (t, tree) in self.trees.iter().enumerate() {
                let c = t % self.k;
                for (i, o) in (start..end).zip(&mut raw[c * n + start..c * n + end]) {
                    *o += tree.predict_row(&xs[i * p..(i + 1) * p]);
                }
            }
        }
        raw
    }
}

impl Model for BoostingModel {
    fn record(&self) -> Option<serde_json::Value> {
        Some(self.to_record())
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        let raw = self.raw(x);
        if self.n_classes == 0 {
            Prediction::Values(raw.into())
        } else {
            Prediction::Proba(proba_from_raw(&raw, x.nrows(), self.k))
        }
    }

    fn size_bytes(&self) -> usize {
        let nodes: usize = self.trees.iter().map(|t| t.nodes.len()).sum();
        nodes * std::mem::size_of::<super::boosting_tree::Node>() + self.baseline.len() * 8
    }

    /// Split-gain importances (normalised to sum 1; scikit-learn's HGB has no impurity
    /// importances) and permutation importances on the validation part.
    fn explain(&self) -> Explanation {
        let total: f64 = self.split_gain.iter().sum();
        let gain = self.split_gain.iter().map(|g| if total > 0.0 { g / total } else { 0.0 }).collect();
        let permutation = self
            .permutation_rows
            .as_ref()
            .map(|(b, y)| self.permutation.get_or_init(|| permutation_importance(self, b, y, self.seed)).clone());
        let mut e =
            Explanation { importances: Some(Importances { impurity: gain, permutation }), ..Default::default() };
        e.scores.insert("n_iter".into(), self.n_iter() as f64);
        e
    }
}

/// Per feature: total gain of the splits on it in `tree`, added to `acc`.
pub fn add_split_gains(tree: &Tree, acc: &mut [f64]) {
    for n in tree.nodes.iter().filter(|n| n.feature != LEAF) {
        acc[n.feature as usize] += n.gain;
    }
}

// ---- model file record -----------------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct Record {
    n_features: usize,
    /// Trees per round: 1 for regression and two classes, else one per class.
    k: usize,
    /// 0 for regression.
    n_classes: usize,
    missing_bin: u8,
    #[serde(with = "num::many")]
    baseline: Vec<f64>,
    #[serde(with = "num::many")]
    split_gain: Vec<f64>,
    /// Each tree as its list of nodes.
    trees: Vec<Vec<Node>>,
}

impl BoostingModel {
    fn to_record(&self) -> serde_json::Value {
        record::to_value(&Record {
            n_features: self.n_features,
            k: self.k,
            n_classes: self.n_classes,
            missing_bin: self.missing_bin,
            baseline: self.baseline.clone(),
            split_gain: self.split_gain.clone(),
            trees: self.trees.iter().map(|t| t.nodes.clone()).collect(),
        })
    }

    /// A model file's record, checked against the file's preprocessing and target.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<BoostingModel> {
        let s: Record = record::parse(v)?;
        record::features("model.n_features", s.n_features, fit)?;
        let (k, n_classes) = match fit.task {
            Task::Regression => (1, 0),
            Task::Classification => (if fit.n_classes() == 2 { 1 } else { fit.n_classes() }, fit.n_classes()),
        };
        record::equal("model.n_classes", s.n_classes, n_classes, "what the target implies")?;
        record::equal("model.k", s.k, k, "what the target implies")?;
        record::len("model.baseline", s.baseline.len(), k)?;
        record::finite("model.baseline", &s.baseline)?;
        record::len("model.split_gain", s.split_gain.len(), s.n_features)?;
        if s.trees.len() % k != 0 {
            return record::err("model.trees", format!("{} trees are not whole rounds of {k}", s.trees.len()));
        }
        for (t, nodes) in s.trees.iter().enumerate() {
            let n = nodes.len();
            if n == 0 {
                return record::err(format!("model.trees[{t}]"), "is empty; a tree needs a root");
            }
            for (i, node) in nodes.iter().enumerate() {
                let at = |what: &str| format!("model.trees[{t}][{i}].{what}");
                if !node.value.is_finite() {
                    return record::err(at("value"), format!("{} is not a finite number", node.value));
                }
                if node.feature == LEAF {
                    continue;
                }
                if node.feature as usize >= s.n_features {
                    return record::err(
                        at("feature"),
                        format!("{} is not below the {} model inputs", node.feature, s.n_features),
                    );
                }
                if node.threshold.is_nan() {
                    return record::err(at("threshold"), "is NaN");
                }
                record::children(at, i, n, node.left, node.right)?;
            }
        }
        Ok(BoostingModel {
            baseline: s.baseline,
            trees: s.trees.into_iter().map(|nodes| Tree { nodes }).collect(),
            k: s.k,
            n_classes: s.n_classes,
            n_features: s.n_features,
            missing_bin: s.missing_bin,
            split_gain: s.split_gain,
            permutation_rows: None,
            permutation: OnceLock::new(),
            seed: 0,
        })
    }
}

pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(BoostingModel::from_record(v, fit)?))
}
