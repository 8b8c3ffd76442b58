//! Random forest, as scikit-learn's RandomForestClassifier / RandomForestRegressor: each
//! tree is grown in full on a bootstrap sample of the training rows, looking at a random
//! subset of `max_features` features per split; the forest averages the trees' class
//! proportions (or values). One step adds one tree. Running sums of every tree's
//! predictions on the train and validation rows keep the per-step losses cheap, and the
//! rows a tree did not see give the out-of-bag score. When the last tree is in, the
//! permutation importances are measured on (up to `PERMUTATION_ROWS` of) the validation
//! rows: the mean drop in accuracy (R² for regression) over 5 shuffles of each column.
//!
//! `max_features` is "auto" by default: sqrt for classification, all features for
//! regression (scikit-learn's defaults; "auto" was scikit-learn's old name for them).
//!
//! Each tree draws from its own seeded stream, so trees are grown a batch at a time, one per
//! thread (`par`), and then added one per step in order: the same forest on any number of
//! threads.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::explain::{Explanation, Importances};
use super::record::{self, num, Fit};
use super::tree::{
    check_task, criterion_for, labels_of, normalised, shared_param_info, to_prediction, tree_outputs, validate_shared,
    TreeRecord,
};
use super::tree_build::{Columns, FlatTree, Grower, Settings};
use super::{Model, Prediction, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{check_int, Domain, ParamInfo};
use crate::data::prep::Prepared;
use crate::data::Task;
use crate::metrics::{classification, regression};

/// Validation rows used for permutation importances (a seeded sample when there are more).
pub const PERMUTATION_ROWS: usize = 2000;
const PERMUTATION_REPEATS: usize = 5;

/// "auto", "sqrt", "log2", "all", or a fraction of the features in (0, 1].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaxFeatures {
    Fraction(f64),
    Rule(String),
}

impl MaxFeatures {
    /// Features examined per split out of `d`.
    pub fn count(&self, d: usize, task: Task) -> usize {
        let d_f = d as f64;
        let n = match self {
            MaxFeatures::Fraction(f) => (f * d_f) as usize,
            MaxFeatures::Rule(r) => match (r.as_str(), task) {
                ("sqrt", _) | ("auto", Task::Classification) => libm::sqrt(d_f) as usize,
                ("log2", _) => libm::log2(d_f) as usize,
                _ => d,
            },
        };
        n.clamp(1, d.max(1))
    }

    fn validate(&self) -> Result<()> {
        let ok = match self {
            MaxFeatures::Fraction(f) => *f > 0.0 && *f <= 1.0,
            MaxFeatures::Rule(r) => ["auto", "sqrt", "log2", "all"].contains(&r.as_str()),
        };
        let shown = match self {
            MaxFeatures::Fraction(f) => f.to_string(),
            MaxFeatures::Rule(r) => r.clone(),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::param(
                "max_features",
                shown,
                "auto, sqrt, log2, all, or a fraction greater than 0 and at most 1",
            ))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForestParams {
    pub n_estimators: u32,
    pub criterion: String,
    pub max_depth: Option<u32>,
    pub min_samples_split: u32,
    pub min_samples_leaf: u32,
    pub max_features: MaxFeatures,
    pub bootstrap: bool,
    pub oob_score: bool,
}

impl Default for ForestParams {
    fn default() -> Self {
        ForestParams {
            n_estimators: 100,
            criterion: "auto".into(),
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: MaxFeatures::Rule("auto".into()),
            bootstrap: true,
            // scikit-learn's default is false; the score is nearly free here and worth seeing.
            oob_score: true,
        }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    let mut p = vec![ParamInfo::new(
        "n_estimators",
        Domain::Int { min: 1, max: 1000 },
        "Number of trees. More trees vote more steadily, at the price of time; past a point accuracy stops improving.",
        false,
    )];
    p.extend(shared_param_info());
    p.extend([
        ParamInfo::new("max_features", Domain::Choice { options: &["auto", "sqrt", "log2", "all"] }, "Features each split may choose from, drawn at random: fewer makes the trees differ more. auto: sqrt for classes, all for numbers; a fraction such as 0.5 also works.", true),
        ParamInfo::new("bootstrap", Domain::Bool, "Train each tree on a random resample of the rows (some repeated, about a third left out), so the trees differ.", true),
        ParamInfo::new("oob_score", Domain::Bool, "Score each row with the trees that never saw it (out-of-bag): a free estimate of accuracy on new data.", true),
    ]);
    p
}

impl ForestParams {
    pub fn validate(&self) -> Result<()> {
        check_int(&param_info(), "n_estimators", self.n_estimators as i64)?;
        validate_shared(&self.criterion, self.max_depth, self.min_samples_split, self.min_samples_leaf)?;
        self.max_features.validate()
    }
}

#[derive(Debug, Clone)]
pub struct ForestModel {
    trees: Vec<FlatTree>,
    task: Task,
    n_out: usize,
    /// Sum over trees of each tree's normalised impurity importances.
    importance: Vec<f64>,
    permutation: Option<Vec<f64>>,
    oob_score: Option<f64>,
}

impl ForestModel {
    /// The trees' mean output per row; rows by pieces over the threads (each row still sums
    /// its trees in order).
    fn outputs(&self, x: &Array2<f64>) -> Vec<f64> {
        let n = self.trees.len().max(1) as f64;
        let pieces = crate::base::par::map_ranges(x.nrows(), 1024, |rows| {
            let part = x.slice(ndarray::s![rows, ..]).to_owned();
            let mut out = vec![0.0; part.nrows() * self.n_out];
            for t in &self.trees {
                t.add_predictions(&part, &mut out);
            }
            out.iter_mut().for_each(|v| *v /= n);
            out
        });
        pieces.concat()
    }
}

impl Model for ForestModel {
    fn record(&self) -> Option<serde_json::Value> {
        Some(self.to_record())
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        to_prediction(self.task, self.n_out, self.outputs(x))
    }

    fn size_bytes(&self) -> usize {
        self.trees.iter().map(|t| t.size_bytes()).sum()
    }

    fn explain(&self) -> Explanation {
        let mut e = Explanation {
            importances: Some(Importances {
                impurity: normalised(&self.importance),
                permutation: self.permutation.clone(),
            }),
            ..Default::default()
        };
        if let Some(s) = self.oob_score {
            e.scores.insert("oob_score".into(), s);
        }
        e
    }
}

/// Accuracy of a classifier or R² of a regressor on `n_out`-wide outputs.
fn score(task: Task, part_y: &crate::data::Target, out: Vec<f64>, n_out: usize) -> f64 {
    match to_prediction(task, n_out, out) {
        Prediction::Proba(p) => classification::accuracy(part_y.labels(), &classification::argmax_rows(&p)),
        Prediction::Values(v) => regression::r2(part_y.values(), v.as_slice().expect("contiguous")),
    }
}

/// Loss of the averaged outputs: log-loss or mean squared error.
fn loss(task: Task, y: &crate::data::Target, sum: &[f64], n_trees: usize, n_out: usize) -> f64 {
    let mean: Vec<f64> = sum.iter().map(|v| v / n_trees as f64).collect();
    match to_prediction(task, n_out, mean) {
        Prediction::Proba(p) => classification::log_loss(y.labels(), &p),
        Prediction::Values(v) => regression::mse(y.values(), v.as_slice().expect("contiguous")),
    }
}

pub struct ForestTrainer {
    params: ForestParams,
    cols: Columns,
    set: Settings,
    seed: u32,
    model: ForestModel,
    train_sum: Vec<f64>,
    val_sum: Vec<f64>,
    oob_sum: Vec<f64>,
    oob_votes: Vec<u32>,
    /// Trees grown ahead by the last batch, waiting for their step.
    pending: std::collections::VecDeque<Grown>,
}

/// One tree and what its step adds: importances, bootstrap weights and its predictions.
struct Grown {
    tree: FlatTree,
    importance: Vec<f64>,
    weights: Vec<f64>,
    on_train: Vec<f64>,
    on_validation: Vec<f64>,
}

impl ForestTrainer {
    pub fn new(params: &ForestParams, data: &Prepared, seed: u32) -> Result<ForestTrainer> {
        let n = data.train.n_rows();
        if n == 0 {
            return Err(Error::Data("the training split is empty; give it a larger share of the rows".into()));
        }
        let d = data.train.x.ncols();
        let set = Settings {
            criterion: criterion_for(&params.criterion, data.task)?,
            max_depth: params.max_depth,
            min_samples_split: params.min_samples_split as usize,
            min_samples_leaf: params.min_samples_leaf as usize,
            max_features: params.max_features.count(d, data.task),
        };
        let n_out = match data.task {
            Task::Classification => data.class_names.len(),
            Task::Regression => 1,
        };
        let model = ForestModel {
            trees: vec![],
            task: data.task,
            n_out,
            importance: vec![0.0; d],
            permutation: None,
            oob_score: None,
        };
        Ok(ForestTrainer {
            params: params.clone(),
            cols: Columns::new(&data.train.x, &data.categorical),
            set,
            seed,
            model,
            train_sum: vec![0.0; n * n_out],
            val_sum: vec![0.0; data.validation.n_rows() * n_out],
            oob_sum: vec![0.0; n * n_out],
            oob_votes: vec![0; n],
            pending: Default::default(),
        })
    }

    /// Bootstrap counts as row weights (all ones without bootstrap), as scikit-learn.
    fn sample_weights(&self, rng: &mut Rng) -> Vec<f64> {
        let n = self.cols.n_rows();
        let mut w = vec![if self.params.bootstrap { 0.0 } else { 1.0 }; n];
        if self.params.bootstrap {
            for _ in 0..n {
                w[rng.below(n as u64) as usize] += 1.0;
            }
        }
        w
    }

    fn oob_score(&self, data: &Prepared) -> Option<f64> {
        let rows: Vec<usize> = (0..self.oob_votes.len()).filter(|&i| self.oob_votes[i] > 0).collect();
        if rows.is_empty() {
            return None;
        }
        let k = self.model.n_out;
        let out: Vec<f64> = rows
            .iter()
            .flat_map(|&i| self.oob_sum[i * k..(i + 1) * k].iter().map(move |v| v / self.oob_votes[i] as f64))
            .collect();
        Some(score(data.task, &data.train.y.select(&rows), out, k))
    }

    /// Mean drop of the validation score when each column is shuffled.
    fn permutation_importances(&self, data: &Prepared) -> Option<Vec<f64>> {
        let n = data.validation.n_rows();
        if n < 2 {
            return None;
        }
        let mut rng = Rng::derive(self.seed as u64, 0x9e3);
        let mut rows: Vec<usize> = (0..n).collect();
        if n > PERMUTATION_ROWS {
            rng.shuffle(&mut rows);
            rows.truncate(PERMUTATION_ROWS);
            rows.sort_unstable();
        }
        let x = data.validation.x.select(ndarray::Axis(0), &rows);
        let y = data.validation.y.select(&rows);
        let k = self.model.n_out;
        let base = score(data.task, &y, self.model.outputs(&x), k);
        let mut drops = vec![0.0; x.ncols()];
        let mut shuffled = x.clone();
        for (j, drop) in drops.iter_mut().enumerate() {
            let mut col: Vec<f64> = x.column(j).to_vec();
            for _ in 0..PERMUTATION_REPEATS {
                rng.shuffle(&mut col);
                shuffled.column_mut(j).iter_mut().zip(&col).for_each(|(a, b)| *a = *b);
                *drop += (base - score(data.task, &y, self.model.outputs(&shuffled), k)) / PERMUTATION_REPEATS as f64;
            }
            shuffled.column_mut(j).assign(&x.column(j));
        }
        Some(drops)
    }
}

impl ForestTrainer {
    /// Tree number `t`, from its own stream.
    fn grow(&self, data: &Prepared, t: usize) -> Grown {
        let mut rng = Rng::derive(self.seed as u64, 1 + t as u64);
        let weights = self.sample_weights(&mut rng);
        let y = labels_of(data);
        let (mut grower, mut tree) = Grower::new(&self.cols, &y, weights.clone(), self.set, rng);
        while grower.grow_level(&self.cols, &y, &mut tree) {}
        let on_train = tree_outputs(&tree, &data.train.x);
        let on_validation = tree_outputs(&tree, &data.validation.x);
        Grown { importance: normalised(&grower.importance), tree, weights, on_train, on_validation }
    }
}

impl Trainer for ForestTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        let t = self.model.trees.len();
        if t >= self.steps_total() {
            return Err(Error::Training("this forest already has all its trees".into()));
        }
        if self.pending.is_empty() {
            let batch = crate::base::par::threads().min(self.steps_total() - t);
            let this = &*self;
            self.pending.extend(crate::base::par::map_each(batch, |i| this.grow(data, t + i)));
        }
        let Grown { tree, importance, weights, on_train, on_validation } =
            self.pending.pop_front().expect("a batch was grown");
        for (a, b) in self.model.importance.iter_mut().zip(importance) {
            *a += b;
        }
        let k = self.model.n_out;
        for (i, w) in weights.iter().enumerate() {
            if *w == 0.0 {
                self.oob_votes[i] += 1;
                self.oob_sum[i * k..(i + 1) * k]
                    .iter_mut()
                    .zip(&on_train[i * k..(i + 1) * k])
                    .for_each(|(a, b)| *a += b);
            }
        }
        self.train_sum.iter_mut().zip(&on_train).for_each(|(a, b)| *a += b);
        self.val_sum.iter_mut().zip(&on_validation).for_each(|(a, b)| *a += b);
        self.model.trees.push(tree);
        let n_trees = t + 1;
        if n_trees == self.steps_total() {
            if self.params.oob_score && self.params.bootstrap {
                self.model.oob_score = self.oob_score(data);
            }
            self.model.permutation = self.permutation_importances(data);
        }
        Ok(StepReport {
            train_loss: loss(data.task, &data.train.y, &self.train_sum, n_trees, k),
            validation_loss: (data.validation.n_rows() > 0)
                .then(|| loss(data.task, &data.validation.y, &self.val_sum, n_trees, k)),
        })
    }

    fn steps_done(&self) -> usize {
        self.model.trees.len()
    }

    fn steps_total(&self) -> usize {
        self.params.n_estimators as usize
    }

    fn model(&self) -> Option<&dyn Model> {
        (!self.model.trees.is_empty()).then_some(&self.model as &dyn Model)
    }
}

// ---- model file record -----------------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct Record {
    task: Task,
    n_features: usize,
    n_out: usize,
    trees: Vec<TreeRecord>,
    #[serde(with = "num::many")]
    importance: Vec<f64>,
    #[serde(default, with = "num::opt", skip_serializing_if = "Option::is_none")]
    oob_score: Option<f64>,
}

impl ForestModel {
    fn to_record(&self) -> serde_json::Value {
        record::to_value(&Record {
            task: self.task,
            n_features: self.importance.len(),
            n_out: self.n_out,
            trees: self.trees.iter().map(TreeRecord::of).collect(),
            importance: self.importance.clone(),
            oob_score: self.oob_score,
        })
    }

    /// A model file's record, checked against the file's preprocessing and target.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<ForestModel> {
        let s: Record = record::parse(v)?;
        check_task(s.task, fit)?;
        record::features("model.n_features", s.n_features, fit)?;
        record::len("model.importance", s.importance.len(), s.n_features)?;
        record::equal("model.n_out", s.n_out, fit.n_out(), "what the target implies")?;
        let mut trees = Vec::with_capacity(s.trees.len());
        for (t, tree) in s.trees.into_iter().enumerate() {
            record::equal(&format!("model.trees[{t}].n_out"), tree.n_out(), s.n_out, "the forest's n_out")?;
            trees.push(tree.check(&format!("model.trees[{t}]"), fit)?);
        }
        Ok(ForestModel {
            trees,
            task: s.task,
            n_out: s.n_out,
            importance: s.importance,
            permutation: None,
            oob_score: s.oob_score,
        })
    }
}

pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(ForestModel::from_record(v, fit)?))
}
