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

mod params;
mod tree;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::explain::{AnomalyView, Explanation};
use super::record::Fit;
use super::{Model, Prediction, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::sort::sort_indices_desc;
use crate::data::prep::Prepared;
use crate::data::Task;
use params::CONTAMINATION_ALLOWED;
pub use params::{param_info, Contamination, IsolationForestParams, MaxSamples, AUTO_SAMPLES};
pub use tree::{average_path_length, IsolationTree};

const BINS: usize = 40;
const MAX_FLAGGED: usize = 500;

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
        crate::base::json::to_value(self).expect("a record serialises")
    }

    /// A model from its record, checked: every index in range, every tree a tree, every
    /// number finite. Errors name the field (`model.trees[3].left[5]`).
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<IsolationForestModel> {
        let mut m: IsolationForestModel = serde_json::from_value(v)
            .map_err(|e| Error::model_file("model", format!("is not an isolation forest ({e})")))?;
        if m.n_features == 0 {
            return Err(Error::model_file("model.n_features", "is 0: the forest needs at least one column"));
        }
        if m.n_features != fit.n_features {
            return Err(Error::model_file(
                "model.n_features",
                format!("is {}, the saved preprocessing gives {} columns", m.n_features, fit.n_features),
            ));
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
pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(IsolationForestModel::from_record(v, fit)?))
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

    fn record(&self) -> Option<serde_json::Value> {
        Some(IsolationForestModel::record(self))
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
        sort_indices_desc(&mut flagged, &|i| validation[i]);
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
        let d = crate::base::json::to_value(&IsolationForestParams::default()).unwrap();
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
