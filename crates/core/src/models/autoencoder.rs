//! The `autoencoder` kind: anomaly detection without labels. A network learns to rebuild
//! each training row's features through a narrow middle layer (d -> 8 -> 3 -> 8 -> d for
//! `hidden_layer_sizes = [8, 3]`), so it can only keep what is typical of the data. Rows
//! it rebuilds badly are unusual: their reconstruction error (the mean squared difference
//! over the scaled features) is the anomaly score.
//!
//! The target is never used for fitting: the training rows, attacks included ("mostly
//! normal" data), go in unlabelled. The target only scores the flags, so the kind asks for
//! a two-class target (such as `is_anomaly`) and predicts for each row the probabilities
//! `[1 - s, s]` with `s = e / (e + t)`: `e` is the row's error and `t` the threshold, the
//! error exceeded by a share `contamination` of the training rows (scikit-learn's name in
//! its outlier detectors). `s` rises with `e`, so ROC and precision-recall curves are those
//! of the raw error, and `s > 0.5` (the most probable class) means `e > t`: a flag.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::explain::{AnomalyView, Explanation};
use super::mlp::{hidden_activations, network_view, param_info as mlp_param_info, MlpParams, MAX_LAYERS, MAX_UNITS};
use super::mlp_fit::{EpochReport, Fit, FitJob, FitTargets, STREAM_INIT};
use super::mlp_net::{to_f32, Loss, NetRecord, Network};
use super::record::{self, num};
use super::{Model, Prediction, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{auto_or_int, check_float, check_int_list, int_list, Domain, ParamInfo};
use crate::base::sort::sort_indices_desc;
use crate::data::prep::Prepared;

/// The network's training settings are those of `mlp` (see `MlpParams`); the layer sizes
/// describe the encoder only, and the decoder mirrors them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoencoderParams {
    /// Encoder layer sizes, the last one the bottleneck: [8, 3] builds d-8-3-8-d.
    #[serde(deserialize_with = "int_list")]
    pub hidden_layer_sizes: Vec<u32>,
    pub activation: String,
    pub solver: String,
    pub alpha: f64,
    #[serde(deserialize_with = "auto_or_int")]
    pub batch_size: u32,
    pub learning_rate_init: f64,
    pub max_iter: u32,
    pub momentum: f64,
    pub nesterovs_momentum: bool,
    pub beta_1: f64,
    pub beta_2: f64,
    pub epsilon: f64,
    pub dropout: f64,
    pub early_stopping: bool,
    pub n_iter_no_change: u32,
    pub tol: f64,
    /// Share of training rows expected to be anomalies: sets the threshold.
    pub contamination: f64,
}

impl Default for AutoencoderParams {
    fn default() -> Self {
        let m = MlpParams::default();
        AutoencoderParams {
            hidden_layer_sizes: vec![8, 3],
            activation: "tanh".into(),
            solver: m.solver,
            alpha: m.alpha,
            batch_size: m.batch_size,
            learning_rate_init: 0.01,
            max_iter: m.max_iter,
            momentum: m.momentum,
            nesterovs_momentum: m.nesterovs_momentum,
            beta_1: m.beta_1,
            beta_2: m.beta_2,
            epsilon: m.epsilon,
            dropout: m.dropout,
            early_stopping: m.early_stopping,
            n_iter_no_change: m.n_iter_no_change,
            tol: m.tol,
            contamination: 0.01,
        }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    let mut p = mlp_param_info();
    for info in &mut p {
        match info.name {
            "hidden_layer_sizes" => {
                info.domain = Domain::IntList { min: 1, max: MAX_UNITS, min_len: 1, max_len: MAX_LAYERS / 2 };
                info.help =
                    "The encoder's layers, the last one the bottleneck; the decoder mirrors them, so \"8, 3\" builds \
                             inputs-8-3-8-inputs. A narrow bottleneck can only pass on what is typical of the rows.";
            }
            "early_stopping" => {
                info.help =
                    "Stop once the reconstruction error on the validation part has not improved for n_iter_no_change \
                             epochs, and keep the best weights seen."
            }
            _ => {}
        }
    }
    p.push(ParamInfo::new(
        "contamination",
        Domain::Float { min: 0.0, max: 0.5, log: true, min_exclusive: true },
        "The share of rows you expect to be anomalies. The threshold is set so that this share of the training rows \
               is flagged; lower it for fewer, surer flags.",
        false,
    ));
    p
}

impl AutoencoderParams {
    /// The network settings as an `mlp` would take them.
    fn as_mlp(&self) -> MlpParams {
        MlpParams {
            hidden_layer_sizes: self.hidden_layer_sizes.clone(),
            activation: self.activation.clone(),
            solver: self.solver.clone(),
            alpha: self.alpha,
            batch_size: self.batch_size,
            learning_rate_init: self.learning_rate_init,
            max_iter: self.max_iter,
            momentum: self.momentum,
            nesterovs_momentum: self.nesterovs_momentum,
            beta_1: self.beta_1,
            beta_2: self.beta_2,
            epsilon: self.epsilon,
            dropout: self.dropout,
            early_stopping: self.early_stopping,
            n_iter_no_change: self.n_iter_no_change,
            tol: self.tol,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int_list(&p, "hidden_layer_sizes", &self.hidden_layer_sizes)?;
        self.as_mlp().validate_training(&p)?;
        check_float(&p, "contamination", self.contamination)
    }
}

const BINS: usize = 40;
const MAX_FLAGGED: usize = 500;

/// A fitted autoencoder with its threshold.
#[derive(Debug, Clone)]
pub struct AutoencoderModel {
    pub net: Network,
    /// Reconstruction error at which a row is flagged (s = 0.5).
    pub threshold: f64,
    pub(crate) view: Option<AnomalyView>,
}

/// Mean squared reconstruction error of each of the `n` rows of `x`.
fn errors(net: &Network, x: &[f32], n: usize) -> Vec<f64> {
    let d = net.n_inputs();
    let out = net.outputs(x, n);
    x[..n * d]
        .chunks_exact(d)
        .zip(out.chunks_exact(d))
        .map(|(a, b)| a.iter().zip(b).map(|(&a, &b)| (a as f64 - b as f64).powi(2)).sum::<f64>() / d as f64)
        .collect()
}

/// numpy's default (linear) quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos - pos.floor());
    let next = sorted[(i + 1).min(sorted.len() - 1)];
    sorted[i] + (next - sorted[i]) * frac
}

impl AutoencoderModel {
    pub fn reconstruction_errors(&self, x: &Array2<f64>) -> Vec<f64> {
        errors(&self.net, &to_f32(x), x.nrows())
    }
}

impl Model for AutoencoderModel {
    fn record(&self) -> Option<serde_json::Value> {
        Some(self.to_record())
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        let e = self.reconstruction_errors(x);
        let t = self.threshold.max(f64::MIN_POSITIVE);
        Prediction::Proba(Array2::from_shape_fn((e.len(), 2), |(i, c)| {
            let s = e[i] / (e[i] + t);
            if c == 1 {
                s
            } else {
                1.0 - s
            }
        }))
    }

    fn size_bytes(&self) -> usize {
        self.net.n_params() * std::mem::size_of::<f32>()
    }

    fn explain(&self) -> Explanation {
        Explanation { network: Some(network_view(&self.net, None)), anomaly: self.view.clone(), ..Default::default() }
    }

    fn hidden_activations(&self, x: &Array2<f64>) -> Option<Vec<Array2<f64>>> {
        Some(hidden_activations(&self.net, x))
    }

    fn anomaly_scores(&self, x: &Array2<f64>) -> Option<Vec<f64>> {
        Some(self.reconstruction_errors(x))
    }
}

/// Log-spaced bin edges over the errors, and the bin of a value (clamped to the ends).
struct Bins {
    edges: Vec<f64>,
}

impl Bins {
    fn over(sorted: &[f64]) -> Bins {
        let hi = sorted.last().copied().unwrap_or(1.0).max(f64::MIN_POSITIVE);
        let lo = sorted.iter().copied().find(|&e| e > 0.0).unwrap_or(hi).max(hi * 1e-6);
        let hi = if hi > lo { hi } else { lo * 10.0 };
        let ratio = hi / lo;
        Bins { edges: (0..=BINS).map(|i| lo * libm::pow(ratio, i as f64 / BINS as f64)).collect() }
    }

    fn count(&self, errors: impl Iterator<Item = f64>) -> Vec<usize> {
        let mut counts = vec![0; BINS];
        for e in errors {
            let i = self.edges[1..BINS].partition_point(|&edge| edge <= e);
            counts[i] += 1;
        }
        counts
    }
}

pub struct AutoencoderTrainer {
    fit: Fit,
    model: AutoencoderModel,
    contamination: f64,
    validation_x: Vec<f32>,
}

impl AutoencoderTrainer {
    pub fn new(params: &AutoencoderParams, data: &Prepared, seed: u32) -> Result<AutoencoderTrainer> {
        let (n, d) = data.train.x.dim();
        if data.class_names.len() != 2 {
            return Err(Error::Data(format!(
                "an autoencoder flags rows as normal or anomalous, so it needs a target with two classes (such as \
                 is_anomaly), used only to score the flags; this one has {}",
                data.class_names.len()
            )));
        }
        if n < 2 {
            return Err(Error::Data("an autoencoder needs at least 2 training rows".into()));
        }
        if d == 0 {
            return Err(Error::Data("there are no feature columns to rebuild".into()));
        }
        if params.early_stopping && data.validation.n_rows() == 0 {
            return Err(Error::param("early_stopping", true, "false when the split has no validation rows"));
        }
        let enc: Vec<usize> = params.hidden_layer_sizes.iter().map(|&h| h as usize).collect();
        let sizes: Vec<usize> =
            std::iter::once(d).chain(enc.iter().copied()).chain(enc.iter().rev().skip(1).copied()).chain([d]).collect();
        let mlp = params.as_mlp();
        let net = Network::new(&sizes, mlp.activation(), Loss::Squared, &mut Rng::derive(seed.into(), STREAM_INIT));
        Ok(AutoencoderTrainer {
            model: AutoencoderModel { net: net.clone(), threshold: f64::INFINITY, view: None },
            fit: Fit::new(net, to_f32(&data.train.x), FitTargets::Inputs, mlp.fit_config(), seed),
            contamination: params.contamination,
            validation_x: to_f32(&data.validation.x),
        })
    }

    /// Threshold and histogram from the current network.
    fn publish(&mut self, data: &Prepared, validation_errors: &[f64]) {
        let net = &self.fit.net;
        let mut train = errors(net, self.fit.x(), self.fit.rows());
        train.sort_by(f64::total_cmp);
        let threshold = quantile(&train, 1.0 - self.contamination);
        let bins = Bins::over(&train);
        let labels = data.validation.y.labels();
        let by_label =
            |c: u32| bins.count(validation_errors.iter().zip(labels).filter(|(_, &l)| l == c).map(|(&e, _)| e));
        let mut flagged: Vec<usize> =
            (0..validation_errors.len()).filter(|&i| validation_errors[i] > threshold).collect();
        sort_indices_desc(&mut flagged, &|i| validation_errors[i]);
        flagged.truncate(MAX_FLAGGED);
        let view = AnomalyView {
            threshold,
            contamination: self.contamination,
            median_train_error: quantile(&train, 0.5),
            train: bins.count(train.iter().copied()),
            validation_normal: by_label(0),
            validation_anomalous: by_label(1),
            flagged_errors: flagged.iter().map(|&i| validation_errors[i]).collect(),
            flagged,
            edges: bins.edges,
        };
        self.model.net.clone_from(net);
        self.model.threshold = threshold;
        self.model.view = Some(view);
    }
}

impl Trainer for AutoencoderTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        if self.is_done() {
            return Err(Error::Training("this autoencoder has finished training".into()));
        }
        let stats = self.fit.epoch()?;
        let d = self.fit.net.n_inputs() as f64;
        let nv = data.validation.n_rows();
        let validation_errors = errors(&self.fit.net, &self.validation_x, nv);
        // Per-row errors are means over the features; the loss sums half-squares over them.
        let validation_loss = (nv > 0).then(|| validation_errors.iter().sum::<f64>() / nv as f64);
        let monitored = match validation_loss {
            Some(v) if self.fit.early_stopping() => v * d / 2.0,
            _ => stats.objective,
        };
        if self.fit.observe(monitored) {
            // The best weights may be back: score the validation rows with them.
            let validation_errors = errors(&self.fit.net, &self.validation_x, nv);
            self.publish(data, &validation_errors);
        } else {
            self.publish(data, &validation_errors);
        }
        Ok(StepReport { train_loss: stats.loss * 2.0 / d, validation_loss })
    }

    fn fit_job(&self, _data: &Prepared) -> Option<FitJob> {
        Some(self.fit.job(Some((self.validation_x.clone(), FitTargets::Inputs))))
    }

    fn apply_epoch(&mut self, data: &Prepared, e: &EpochReport, net: Option<Network>) -> Result<StepReport> {
        if self.is_done() {
            return Err(Error::Training("this autoencoder has finished training".into()));
        }
        // The GPU's losses sum half-squares over the features; the page shows means.
        let d = self.fit.net.n_inputs() as f64;
        let validation_loss = e.validation.map(|v| v.loss * 2.0 / d);
        let monitored = match e.validation {
            Some(v) if self.fit.early_stopping() => v.loss,
            _ => e.train.objective,
        };
        let read = net.is_some();
        self.fit.external_epoch(monitored, net);
        if read {
            let validation_errors = errors(&self.fit.net, &self.validation_x, data.validation.n_rows());
            self.publish(data, &validation_errors);
        }
        Ok(StepReport { train_loss: e.train.loss * 2.0 / d, validation_loss })
    }

    fn set_network(&mut self, data: &Prepared, net: Network) -> Result<()> {
        self.fit.net = net;
        let validation_errors = errors(&self.fit.net, &self.validation_x, data.validation.n_rows());
        self.publish(data, &validation_errors);
        Ok(())
    }

    fn steps_done(&self) -> usize {
        self.fit.epochs()
    }

    fn steps_total(&self) -> usize {
        self.fit.epochs_total()
    }

    fn model(&self) -> Option<&dyn Model> {
        Some(&self.model)
    }
}

// ---- model file record -----------------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct Record {
    net: NetRecord,
    #[serde(with = "num::one")]
    threshold: f64,
}

impl AutoencoderModel {
    fn to_record(&self) -> serde_json::Value {
        record::to_value(&Record { net: NetRecord::of(&self.net), threshold: self.threshold })
    }

    /// A model file's record, checked against the file's preprocessing and target.
    pub fn from_record(v: serde_json::Value, fit: &record::Fit) -> Result<AutoencoderModel> {
        let s: Record = record::parse(v)?;
        let net = s.net.check("model.net", fit.n_features, fit.n_features, "squared")?;
        record::classes("model (autoencoder classes)", 2, fit)?;
        if !(s.threshold.is_finite() && s.threshold >= 0.0) {
            return record::err("model.threshold", format!("{} is not a finite error of 0 or more", s.threshold));
        }
        Ok(AutoencoderModel { net, threshold: s.threshold, view: None })
    }
}

pub fn load(v: serde_json::Value, fit: &record::Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(AutoencoderModel::from_record(v, fit)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_as_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.9) - 7.6).abs() < 1e-12);
        assert_eq!(quantile(&v, 1.0), 10.0);
        assert_eq!(quantile(&[2.0], 0.99), 2.0);
    }

    #[test]
    fn bins_cover_the_errors_and_clamp() {
        let sorted = [0.0, 0.01, 0.1, 1.0, 10.0];
        let b = Bins::over(&sorted);
        assert_eq!(b.edges.len(), BINS + 1);
        assert!((b.edges[0] - 0.01).abs() < 1e-12 && (b.edges[BINS] - 10.0).abs() < 1e-9);
        let c = b.count(sorted.iter().copied().chain([100.0]));
        assert_eq!((c[0], c[BINS - 1], c.iter().sum::<usize>()), (2, 2, 6));
    }
}
