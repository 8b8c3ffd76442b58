//! Isolation forest, as scikit-learn's IsolationForest: anomaly detection without labels.
//! Each tree splits a random sample of `max_samples` training rows at random (a random
//! feature, a random threshold in its range) until every row stands alone or the depth
//! limit ceil(log2(max_samples)) is reached. Unusual rows are isolated in few splits, so a
//! short average path length E[h(x)] over the trees marks an anomaly. The score
//! `s = 2^(-E[h(x)] / c(max_samples))` (c: the average path length of a sample of that size)
//! lies in (0, 1]; larger is more anomalous. scikit-learn's `score_samples` is `-s`.
//!
//! The target is never used for fitting. As for the autoencoder, it only scores the flags:
//! the kind asks for a two-class target (such as `is_anomaly`) and predicts `[1 - p, p]`
//! with `p = s / (s + t)`, `t` the score threshold: 0.5 for `contamination = "auto"`
//! (scikit-learn's offset_ of -0.5), else the score a share `contamination` of the training
//! rows exceed (scikit-learn's percentile). `p > 0.5` exactly when `s > t`: a flag.
//!
//! One step grows one tree from its own seeded stream; running sums of the path lengths of
//! the training and validation rows keep each step's scores, threshold and histogram cheap.
//! The losses plotted per step are the mean scores of the training and validation rows.

mod tree;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::explain::{AnomalyView, Explanation};
use super::{Model, Prediction, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{check_float, check_int, Domain, ParamInfo};
use crate::data::prep::Prepared;
use crate::data::Task;
pub use tree::{average_path_length, IsolationTree};

/// `max_samples = "auto"` takes this many rows per tree (or all, when fewer).
pub const AUTO_SAMPLES: usize = 256;
const BINS: usize = 40;
const MAX_FLAGGED: usize = 500;

/// A number, or "auto", as the page's select, `--set` and links give it.
fn auto_or_number(v: &serde_json::Value) -> Option<Option<serde_json::Number>> {
    match v {
        serde_json::Value::String(s) if s.trim() == "auto" => Some(None),
        serde_json::Value::String(s) => {
            let s = s.trim();
            let n = if s.contains(['.', 'e', 'E']) { None } else { s.parse::<i64>().ok().map(Into::into) };
            n.or_else(|| s.parse::<f64>().ok().and_then(serde_json::Number::from_f64)).map(Some)
        }
        serde_json::Value::Number(n) => Some(Some(n.clone())),
        _ => None,
    }
}

/// Rows each tree is grown from: "auto" (min(256, n)), a count, or a share of the rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxSamples {
    Auto,
    Count(u64),
    Fraction(f64),
}

/// The expected share of anomalies: "auto" (threshold 0.5) or a share in (0, 0.5].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Contamination {
    Auto,
    Fraction(f64),
}

const MAX_SAMPLES_ALLOWED: &str =
    "auto, a whole number of rows from 1, or a share of the rows greater than 0 and at most 1";
const CONTAMINATION_ALLOWED: &str = "auto, or a share greater than 0 and at most 0.5";

impl std::fmt::Display for MaxSamples {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            MaxSamples::Auto => f.write_str("auto"),
            MaxSamples::Count(n) => write!(f, "{n}"),
            MaxSamples::Fraction(x) => write!(f, "{x}"),
        }
    }
}

impl std::fmt::Display for Contamination {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Contamination::Auto => f.write_str("auto"),
            Contamination::Fraction(x) => write!(f, "{x}"),
        }
    }
}

impl Serialize for MaxSamples {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            MaxSamples::Auto => s.serialize_str("auto"),
            MaxSamples::Count(n) => s.serialize_u64(*n),
            MaxSamples::Fraction(x) => s.serialize_f64(*x),
        }
    }
}

impl<'de> Deserialize<'de> for MaxSamples {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match auto_or_number(&v) {
            Some(None) => Ok(MaxSamples::Auto),
            // A whole number is a count (negative ones are left for validate() to name).
            Some(Some(n)) => {
                Ok(n.as_u64().map_or_else(|| MaxSamples::Fraction(n.as_f64().unwrap_or(f64::NAN)), MaxSamples::Count))
            }
            None => Err(serde::de::Error::custom(format!("max_samples: {v} is not allowed: {MAX_SAMPLES_ALLOWED}"))),
        }
    }
}

impl Serialize for Contamination {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Contamination::Auto => s.serialize_str("auto"),
            Contamination::Fraction(x) => s.serialize_f64(*x),
        }
    }
}

impl<'de> Deserialize<'de> for Contamination {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match auto_or_number(&v) {
            Some(None) => Ok(Contamination::Auto),
            Some(Some(n)) => Ok(Contamination::Fraction(n.as_f64().unwrap_or(f64::NAN))),
            None => {
                Err(serde::de::Error::custom(format!("contamination: {v} is not allowed: {CONTAMINATION_ALLOWED}")))
            }
        }
    }
}

impl MaxSamples {
    /// Rows per tree out of `n` training rows (scikit-learn's max_samples_), at least 2 so
    /// that c(max_samples) is positive.
    pub fn count(&self, n: usize) -> usize {
        let k = match *self {
            MaxSamples::Auto => AUTO_SAMPLES.min(n),
            MaxSamples::Count(c) => usize::try_from(c).unwrap_or(usize::MAX).min(n),
            MaxSamples::Fraction(f) => (f * n as f64) as usize,
        };
        k.clamp(2.min(n), n)
    }

    fn validate(&self) -> Result<()> {
        let ok = match *self {
            MaxSamples::Auto => true,
            MaxSamples::Count(c) => c >= 1,
            MaxSamples::Fraction(f) => f > 0.0 && f <= 1.0,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::param("max_samples", self, MAX_SAMPLES_ALLOWED))
        }
    }
}

impl Contamination {
    fn validate(&self) -> Result<()> {
        match *self {
            Contamination::Fraction(f) if !(f > 0.0 && f <= 0.5) => {
                Err(Error::param("contamination", self, CONTAMINATION_ALLOWED))
            }
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IsolationForestParams {
    pub n_estimators: u32,
    pub max_samples: MaxSamples,
    pub contamination: Contamination,
    /// Share of the features each tree draws (without replacement) and splits on.
    pub max_features: f64,
    /// Draw each tree's rows with replacement.
    pub bootstrap: bool,
}

impl Default for IsolationForestParams {
    fn default() -> Self {
        IsolationForestParams {
            n_estimators: 100,
            max_samples: MaxSamples::Auto,
            contamination: Contamination::Auto,
            max_features: 1.0,
            bootstrap: false,
        }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo {
            name: "n_estimators",
            domain: Domain::Int { min: 1, max: 1000 },
            default: 100.into(),
            help: "Number of trees. Each isolates rows with random cuts; more trees average the path lengths more \
                   steadily, at the price of time.",
            advanced: false,
        },
        ParamInfo {
            name: "contamination",
            domain: Domain::Choice { options: &["auto", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2"] },
            default: "auto".into(),
            help: "The share of rows you expect to be anomalies. auto flags rows scoring above 0.5; a share such as \
                   0.01 sets the threshold so that this share of the training rows is flagged.",
            advanced: false,
        },
        ParamInfo {
            name: "max_samples",
            domain: Domain::Choice { options: &["auto", "64", "128", "256", "512", "1024", "0.5", "1.0"] },
            default: "auto".into(),
            help: "Rows each tree is grown from, drawn at random: auto takes 256 (all rows when there are fewer). \
                   A whole number is a count, a number such as 0.5 a share of the training rows. Small samples \
                   keep anomalies from hiding among each other.",
            advanced: true,
        },
        ParamInfo {
            name: "max_features",
            domain: Domain::Float { min: 0.0, max: 1.0, log: false, min_exclusive: true },
            default: 1.0.into(),
            help: "Share of the features each tree may cut on, drawn at random per tree. 1 uses them all.",
            advanced: true,
        },
        ParamInfo {
            name: "bootstrap",
            domain: Domain::Bool,
            default: false.into(),
            help: "Draw each tree's rows with replacement (some repeated) instead of without.",
            advanced: true,
        },
    ]
}

impl IsolationForestParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int(&p, "n_estimators", self.n_estimators.into())?;
        self.max_samples.validate()?;
        self.contamination.validate()?;
        check_float(&p, "max_features", self.max_features)
    }
}

/// A fitted isolation forest with its threshold. Serialises as its model-file record
/// (`record`, `load`); the anomaly view is not part of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IsolationForestModel {
    n_features: usize,
    /// Rows each tree was grown from (scikit-learn's max_samples_): scores divide by c(it).
    max_samples: usize,
    contamination: Contamination,
    /// Rows scoring above it are flagged (scikit-learn's -offset_).
    threshold: f64,
    trees: Vec<IsolationTree>,
    #[serde(skip)]
    view: Option<AnomalyView>,
}

/// Score of a row whose path lengths over `n_trees` trees sum to `sum`.
fn score(sum: f64, n_trees: usize, c: f64) -> f64 {
    libm::exp2(-(sum / n_trees as f64) / c)
}

/// numpy's default (linear) quantile of `v` (non-empty), which it reorders: a selection,
/// not a sort, as every step needs it.
fn quantile(v: &mut [f64], q: f64) -> f64 {
    let pos = q * (v.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos - pos.floor());
    let (_, at, above) = v.select_nth_unstable_by(i, f64::total_cmp);
    let at = *at;
    let next = above.iter().copied().min_by(f64::total_cmp).unwrap_or(at);
    at + (next - at) * frac
}

impl IsolationForestModel {
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    pub fn n_trees(&self) -> usize {
        self.trees.len()
    }

    /// The score at which rows are flagged.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Each row's path lengths summed over the trees, rows in pieces over the threads (each
    /// row sums its trees in order, as the trainer's running sums do).
    fn path_sums(&self, x: &Array2<f64>) -> Vec<f64> {
        let x = x.as_standard_layout();
        let (n, d) = x.dim();
        let flat = x.as_slice().expect("standard layout");
        let mut sums = vec![0.0; n];
        crate::base::par::map_chunks_mut(&mut sums, 1024, |first, part| {
            let rows = &flat[first * d..(first + part.len()) * d];
            self.trees.iter().for_each(|t| t.add_path_lengths(rows, d, part));
        });
        sums
    }

    /// Each row's score in (0, 1]; larger is more anomalous (scikit-learn's -score_samples).
    pub fn scores(&self, x: &Array2<f64>) -> Vec<f64> {
        let c = average_path_length(self.max_samples);
        self.path_sums(x).into_iter().map(|s| score(s, self.trees.len(), c)).collect()
    }

    /// The fitted model as a model file stores it.
    pub fn record(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a record serialises")
    }

    /// A model from its record, checked: every index in range, every tree a tree, every
    /// number finite. Errors name the field (`model.trees[3].left[5]`).
    pub fn from_record(v: serde_json::Value) -> Result<IsolationForestModel> {
        let mut m: IsolationForestModel = serde_json::from_value(v)
            .map_err(|e| Error::model_file("model", format!("is not an isolation forest ({e})")))?;
        if m.n_features == 0 {
            return Err(Error::model_file("model.n_features", "is 0: the forest needs at least one column"));
        }
        if m.max_samples < 2 {
            return Err(Error::model_file(
                "model.max_samples",
                format!("is {}: trees grow from at least 2 rows", m.max_samples),
            ));
        }
        if m.trees.is_empty() {
            return Err(Error::model_file("model.trees", "is empty: the forest has no tree"));
        }
        if !(m.threshold.is_finite() && m.threshold >= 0.0) {
            return Err(Error::model_file(
                "model.threshold",
                format!("{} is not a finite score of 0 or more", m.threshold),
            ));
        }
        if let Contamination::Fraction(f) = m.contamination {
            if !(f > 0.0 && f <= 0.5) {
                return Err(Error::model_file("model.contamination", format!("{f} is not {CONTAMINATION_ALLOWED}")));
            }
        }
        let n_features = m.n_features;
        for (i, t) in m.trees.iter_mut().enumerate() {
            t.check_and_finish(&format!("model.trees[{i}]"), n_features)?;
        }
        Ok(m)
    }
}

/// The kind's loader: a checked record to a model.
pub fn load(v: serde_json::Value) -> Result<Box<dyn Model>> {
    Ok(Box::new(IsolationForestModel::from_record(v)?))
}

impl Model for IsolationForestModel {
    fn predict(&self, x: &Array2<f64>) -> Prediction {
        let s = self.scores(x);
        let t = self.threshold.max(f64::MIN_POSITIVE);
        Prediction::Proba(Array2::from_shape_fn((s.len(), 2), |(i, c)| {
            let p = s[i] / (s[i] + t);
            if c == 1 {
                p
            } else {
                1.0 - p
            }
        }))
    }

    /// Per node: a feature (4 bytes), a threshold (8), a child (4) and a row count (4).
    fn size_bytes(&self) -> usize {
        self.trees.iter().map(|t| t.n_nodes() * 20).sum()
    }

    fn explain(&self) -> Explanation {
        Explanation { anomaly: self.view.clone(), ..Default::default() }
    }

    fn anomaly_scores(&self, x: &Array2<f64>) -> Option<Vec<f64>> {
        Some(self.scores(x))
    }
}

/// Log-spaced bin edges over the scores (the page's histogram has a log axis), and the bin
/// of a value, clamped to the ends.
struct Bins {
    edges: Vec<f64>,
}

impl Bins {
    fn over(values: &[f64]) -> Bins {
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let hi = if hi.is_finite() { hi.max(f64::MIN_POSITIVE) } else { 1.0 };
        let lo = values.iter().copied().filter(|&e| e > 0.0).fold(hi, f64::min).max(hi * 1e-6);
        let hi = if hi > lo { hi } else { lo * 2.0 };
        let ratio = hi / lo;
        Bins { edges: (0..=BINS).map(|i| lo * libm::pow(ratio, i as f64 / BINS as f64)).collect() }
    }

    fn count(&self, values: impl Iterator<Item = f64>) -> Vec<usize> {
        let mut counts = vec![0; BINS];
        for v in values {
            counts[self.edges[1..BINS].partition_point(|&edge| edge <= v)] += 1;
        }
        counts
    }
}

pub struct IsolationForestTrainer {
    n_estimators: usize,
    bootstrap: bool,
    /// Features each tree draws.
    n_features: usize,
    seed: u32,
    model: IsolationForestModel,
    train_sum: Vec<f64>,
    validation_sum: Vec<f64>,
}

impl IsolationForestTrainer {
    pub fn new(params: &IsolationForestParams, data: &Prepared, seed: u32) -> Result<IsolationForestTrainer> {
        params.validate()?;
        let (n, d) = data.train.x.dim();
        if data.task != Task::Classification || data.class_names.len() != 2 {
            return Err(Error::Data(format!(
                "an isolation forest flags rows as normal or anomalous, so it needs a target with two classes (such \
                 as is_anomaly), used only to score the flags; this one has {}",
                if data.task == Task::Classification { data.class_names.len().to_string() } else { "numbers".into() }
            )));
        }
        if n < 2 {
            return Err(Error::Data("an isolation forest needs at least 2 training rows".into()));
        }
        if d == 0 {
            return Err(Error::Data("there are no feature columns to split on".into()));
        }
        let n_features = ((params.max_features * d as f64) as usize).clamp(1, d);
        Ok(IsolationForestTrainer {
            n_estimators: params.n_estimators as usize,
            bootstrap: params.bootstrap,
            n_features,
            seed,
            model: IsolationForestModel {
                n_features: d,
                max_samples: params.max_samples.count(n),
                contamination: params.contamination,
                threshold: 0.5,
                trees: vec![],
                view: None,
            },
            train_sum: vec![0.0; n],
            validation_sum: vec![0.0; data.validation.n_rows()],
        })
    }

    /// The forest so far, as its own type (`model` gives it as a `Model`).
    pub fn fitted(&self) -> Option<&IsolationForestModel> {
        (!self.model.trees.is_empty()).then_some(&self.model)
    }

    /// Threshold and histogram from the trees so far; the mean scores of both parts.
    fn publish(&mut self, data: &Prepared) -> (f64, Option<f64>) {
        let m = &self.model;
        let c = average_path_length(m.max_samples);
        let to_scores = |sums: &[f64]| sums.iter().map(|&s| score(s, m.trees.len(), c)).collect::<Vec<f64>>();
        let validation = to_scores(&self.validation_sum);
        let mut train = to_scores(&self.train_sum);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let losses = (mean(&train), (!validation.is_empty()).then(|| mean(&validation)));
        let threshold = match m.contamination {
            Contamination::Auto => 0.5,
            Contamination::Fraction(f) => quantile(&mut train, 1.0 - f),
        };
        let above = train.iter().filter(|&&s| s > threshold).count();
        let bins = Bins::over(&train);
        let labels = data.validation.y.labels();
        let by_label = |c: u32| bins.count(validation.iter().zip(labels).filter(|(_, &l)| l == c).map(|(&s, _)| s));
        let mut flagged: Vec<usize> = (0..validation.len()).filter(|&i| validation[i] > threshold).collect();
        flagged.sort_by(|&a, &b| validation[b].total_cmp(&validation[a]));
        flagged.truncate(MAX_FLAGGED);
        let view = AnomalyView {
            threshold,
            contamination: above as f64 / train.len() as f64,
            median_train_error: quantile(&mut train, 0.5),
            train: bins.count(train.iter().copied()),
            validation_normal: by_label(0),
            validation_anomalous: by_label(1),
            flagged_errors: flagged.iter().map(|&i| validation[i]).collect(),
            flagged,
            edges: bins.edges,
        };
        self.model.threshold = threshold;
        self.model.view = Some(view);
        losses
    }
}

/// Adds one tree's path lengths of the rows of `x` to `sums`, rows in pieces over threads.
fn accumulate(tree: &IsolationTree, x: &Array2<f64>, sums: &mut [f64]) {
    let x = x.as_standard_layout();
    let d = x.ncols();
    let flat = x.as_slice().expect("standard layout");
    crate::base::par::map_chunks_mut(sums, 4096, |first, part| {
        tree.add_path_lengths(&flat[first * d..(first + part.len()) * d], d, part);
    });
}

impl Trainer for IsolationForestTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        let t = self.model.trees.len();
        if t >= self.n_estimators {
            return Err(Error::Training("this forest already has all its trees".into()));
        }
        let mut rng = Rng::derive(self.seed.into(), 1 + t as u64);
        let tree =
            IsolationTree::grow(&data.train.x, self.model.max_samples, self.n_features, self.bootstrap, &mut rng);
        accumulate(&tree, &data.train.x, &mut self.train_sum);
        accumulate(&tree, &data.validation.x, &mut self.validation_sum);
        self.model.trees.push(tree);
        let (train_loss, validation_loss) = self.publish(data);
        Ok(StepReport { train_loss, validation_loss })
    }

    fn steps_done(&self) -> usize {
        self.model.trees.len()
    }

    fn steps_total(&self) -> usize {
        self.n_estimators
    }

    fn model(&self) -> Option<&dyn Model> {
        (!self.model.trees.is_empty()).then_some(&self.model as &dyn Model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_as_numpy() {
        let mut v = [10.0, 2.0, 4.0, 1.0, 3.0];
        assert_eq!(quantile(&mut v, 0.5), 3.0);
        assert!((quantile(&mut v, 0.9) - 7.6).abs() < 1e-12);
        assert_eq!(quantile(&mut v, 1.0), 10.0);
        assert_eq!(quantile(&mut [2.0], 0.99), 2.0);
    }

    #[test]
    fn max_samples_as_scikit_learn() {
        assert_eq!(MaxSamples::Auto.count(10_000), 256);
        assert_eq!(MaxSamples::Auto.count(100), 100);
        assert_eq!(MaxSamples::Count(500).count(300), 300);
        assert_eq!(MaxSamples::Fraction(0.5).count(301), 150);
        assert_eq!(MaxSamples::Fraction(0.001).count(300), 2);
    }

    #[test]
    fn params_read_auto_numbers_and_text() {
        let p: IsolationForestParams =
            serde_json::from_str(r#"{"max_samples": "128", "contamination": "0.05", "max_features": 0.5}"#).unwrap();
        assert_eq!((p.max_samples, p.contamination), (MaxSamples::Count(128), Contamination::Fraction(0.05)));
        let p: IsolationForestParams = serde_json::from_str(r#"{"max_samples": 0.25}"#).unwrap();
        assert_eq!(p.max_samples, MaxSamples::Fraction(0.25));
        let d = serde_json::to_value(IsolationForestParams::default()).unwrap();
        assert_eq!(
            d,
            serde_json::json!({"n_estimators": 100, "max_samples": "auto", "contamination": "auto", "max_features": 1.0, "bootstrap": false})
        );
        assert_eq!(serde_json::from_value::<IsolationForestParams>(d).unwrap(), IsolationForestParams::default());
        let e = serde_json::from_str::<IsolationForestParams>(r#"{"max_samples": "many"}"#).unwrap_err();
        assert!(e.to_string().contains("max_samples"), "{e}");
    }

    #[test]
    fn bins_cover_the_scores() {
        let scores = [0.5, 0.3, 0.7, 0.4];
        let b = Bins::over(&scores);
        assert_eq!(b.edges.len(), BINS + 1);
        assert!((b.edges[0] - 0.3).abs() < 1e-12 && (b.edges[BINS] - 0.7).abs() < 1e-12);
        let c = b.count(scores.iter().copied().chain([0.1, 0.9]));
        assert_eq!((c[0], c[BINS - 1], c.iter().sum::<usize>()), (2, 2, 6));
    }
}
