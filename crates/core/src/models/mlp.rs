//! The `mlp` kind: a multi-layer perceptron (scikit-learn's MLPClassifier / MLPRegressor),
//! trained one epoch per step. The network itself is in `mlp_net.rs`, the epoch loop and
//! stopping rule in `mlp_fit.rs`.
//!
//! Classification uses a softmax output with cross-entropy (one logistic unit for two
//! classes, as scikit-learn); regression an identity output with squared error. Unlike
//! scikit-learn, regression targets are standardised before training and predictions mapped
//! back (as a `TransformedTargetRegressor` with a `StandardScaler` would): with raw prices
//! in the hundreds of thousands, the default learning rate would need thousands of epochs.

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::explain::{EpochScores, Explanation, NetworkView};
use super::mlp_fit::{EpochReport, EpochStats, Fit, FitConfig, FitJob, FitTargets, STREAM_INIT};
use super::mlp_net::{to_f32, Activation, Loss, NetRecord, Network, ACTIVATIONS};
use super::mlp_optim::{solver_param_info, SolverSettings};
use super::record::{self, num};
use super::{Model, Prediction, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{auto_or_int, check_choice, check_float, check_int_list, int_list, Domain, ParamInfo};
use crate::data::prep::Prepared;
use crate::data::Task;
use crate::metrics::{classification, regression};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlpParams {
    /// Units in each hidden layer, input side first. Read from `[64, 32]`, `64` or "64, 32".
    #[serde(deserialize_with = "int_list")]
    pub hidden_layer_sizes: Vec<u32>,
    /// relu, tanh, logistic (sigmoid) or identity.
    pub activation: String,
    /// adam or sgd.
    pub solver: String,
    /// Strength of the L2 penalty on the weights.
    pub alpha: f64,
    /// Rows per mini-batch; 0 (or "auto") means min(200, rows).
    #[serde(deserialize_with = "auto_or_int")]
    pub batch_size: u32,
    pub learning_rate_init: f64,
    /// Epochs at most.
    pub max_iter: u32,
    /// sgd only.
    pub momentum: f64,
    pub nesterovs_momentum: bool,
    /// Adam's decay rates and stabiliser.
    pub beta_1: f64,
    pub beta_2: f64,
    pub epsilon: f64,
    /// Share of hidden units switched off at random in each batch (not in scikit-learn).
    pub dropout: f64,
    /// Stop when the validation loss stops improving (on the page's validation part).
    pub early_stopping: bool,
    pub n_iter_no_change: u32,
    pub tol: f64,
}

impl Default for MlpParams {
    fn default() -> Self {
        // scikit-learn's defaults throughout.
        MlpParams {
            hidden_layer_sizes: vec![100],
            activation: "relu".into(),
            solver: "adam".into(),
            alpha: 1e-4,
            batch_size: 0,
            learning_rate_init: 1e-3,
            max_iter: 200,
            momentum: 0.9,
            nesterovs_momentum: true,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-8,
            dropout: 0.0,
            early_stopping: false,
            n_iter_no_change: 10,
            tol: 1e-4,
        }
    }
}

pub const MAX_UNITS: i64 = 1024;
pub const MAX_LAYERS: usize = 8;

fn float(min: f64, max: f64, log: bool, min_exclusive: bool) -> Domain {
    Domain::Float { min, max, log, min_exclusive }
}

/// The mlp's schema: its layers, activation and dropout around the solver settings every
/// network kind shares (`solver_param_info`). The autoencoder rewords some.
pub fn param_info() -> Vec<ParamInfo> {
    let p = ParamInfo::new;
    let batch_size = p("batch_size", Domain::Int { min: 0, max: 1_000_000 },
          "Rows per mini-batch; the weights move once per batch. Small batches take more, noisier steps per epoch. 0 means auto: 200, or all rows when there are fewer.", true);
    let mut info = vec![
        p("hidden_layer_sizes", Domain::IntList { min: 1, max: MAX_UNITS, min_len: 1, max_len: MAX_LAYERS },
          "How many units (neurons) each hidden layer has, from the input side: \"100\" is one layer of 100, \"16, 8\" two layers. More units and layers can bend the boundary more, and overfit more.", false),
        p("activation", Domain::Choice { options: ACTIVATIONS },
          "What each hidden unit does with its weighted sum: relu keeps positive values and zeroes the rest; tanh and logistic (the sigmoid) squash it into a smooth S; identity leaves it linear, so the whole network can only draw straight boundaries.", false),
    ];
    info.extend(solver_param_info(10_000, batch_size));
    let after_batch = info.iter().position(|i| i.name == "batch_size").expect("listed") + 1;
    info.insert(after_batch, p("dropout", float(0.0, 0.9, false, false),
          "Share of hidden units switched off at random for each mini-batch while training, so no unit can rely on another; a way to fight overfitting. Not part of scikit-learn.", true));
    info
}

impl MlpParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int_list(&p, "hidden_layer_sizes", &self.hidden_layer_sizes)?;
        self.validate_training(&p)
    }

    /// Everything but the layer sizes (the autoencoder describes those its own way).
    pub fn validate_training(&self, p: &[ParamInfo]) -> Result<()> {
        check_choice(p, "activation", &self.activation)?;
        check_float(p, "dropout", self.dropout)?;
        self.solver_settings().check(p)
    }

    fn solver_settings(&self) -> SolverSettings<'_> {
        SolverSettings {
            solver: &self.solver,
            learning_rate_init: self.learning_rate_init,
            max_iter: self.max_iter,
            alpha: self.alpha,
            batch_size: self.batch_size,
            momentum: self.momentum,
            nesterovs_momentum: self.nesterovs_momentum,
            beta_1: self.beta_1,
            beta_2: self.beta_2,
            epsilon: self.epsilon,
            n_iter_no_change: self.n_iter_no_change,
            tol: self.tol,
        }
    }

    pub fn activation(&self) -> Activation {
        Activation::from_name(&self.activation).expect("validated")
    }

    pub fn fit_config(&self) -> FitConfig {
        FitConfig {
            solver: self.solver_settings().solver(),
            learning_rate_init: self.learning_rate_init,
            alpha: self.alpha as f32,
            batch_size: self.batch_size as usize,
            dropout: self.dropout as f32,
            max_iter: self.max_iter as usize,
            early_stopping: self.early_stopping,
            n_iter_no_change: self.n_iter_no_change as usize,
            tol: self.tol,
        }
    }
}

/// A fitted network.
#[derive(Debug, Clone)]
pub struct MlpModel {
    pub net: Network,
    /// Regression: the network predicts `(y - mean) / std`.
    pub(crate) y_mean: f64,
    pub(crate) y_std: f64,
    pub(crate) history: EpochScores,
}

impl MlpModel {
    /// Probabilities from logits: softmax, or [1 - s, s] from one logistic unit.
    fn proba(&self, z: &[f32], n: usize) -> Array2<f64> {
        let k = self.net.n_outputs();
        if k == 1 {
            return Array2::from_shape_fn((n, 2), |(i, c)| {
                let s = 1.0 / (1.0 + libm::exp(-(z[i] as f64)));
                if c == 1 {
                    s
                } else {
                    1.0 - s
                }
            });
        }
        let mut p = Array2::zeros((n, k));
        for (mut row, z) in p.rows_mut().into_iter().zip(z.chunks_exact(k)) {
            let m = z.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)) as f64;
            row.iter_mut().zip(z).for_each(|(p, &v)| *p = libm::exp(v as f64 - m));
            let s = row.sum();
            row /= s;
        }
        p
    }
}

impl Model for MlpModel {
    fn record(&self) -> Option<serde_json::Value> {
        Some(self.to_record())
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        let z = self.net.outputs(&to_f32(x), x.nrows());
        match self.net.loss {
            Loss::Squared => {
                Prediction::Values(Array1::from_iter(z.iter().map(|&v| v as f64 * self.y_std + self.y_mean)))
            }
            _ => Prediction::Proba(self.proba(&z, x.nrows())),
        }
    }

    fn size_bytes(&self) -> usize {
        self.net.n_params() * std::mem::size_of::<f32>()
    }

    fn explain(&self) -> Explanation {
        Explanation { network: Some(network_view(&self.net, Some(self.history.clone()))), ..Default::default() }
    }

    fn hidden_activations(&self, x: &Array2<f64>) -> Option<Vec<Array2<f64>>> {
        Some(hidden_activations(&self.net, x))
    }
}

/// Every hidden unit's output for the (preprocessed) rows `x`: one `rows x units` matrix
/// per hidden layer.
pub fn hidden_activations(net: &Network, x: &Array2<f64>) -> Vec<Array2<f64>> {
    let n = x.nrows();
    net.hidden_outputs(&to_f32(x), n)
        .into_iter()
        .map(|h| {
            let units = h.len() / n.max(1);
            Array2::from_shape_vec((n, units), h.into_iter().map(f64::from).collect()).expect("rows x units")
        })
        .collect()
}

/// The network's shape and its weights, one list per unit of each layer (the weights are
/// stored input-major: `w[i * units + j]` joins input `i` to unit `j`).
pub fn network_view(net: &Network, epochs: Option<EpochScores>) -> NetworkView {
    let per_unit = |l: usize| {
        let (d, h) = (net.sizes[l], net.sizes[l + 1]);
        let w = &net.weights[l];
        (0..h).map(|j| (0..d).map(|i| w[i * h + j] as f64).collect()).collect::<Vec<Vec<f64>>>()
    };
    NetworkView {
        layer_sizes: net.sizes.clone(),
        activation: ACTIVATIONS[[Activation::Relu, Activation::Tanh, Activation::Logistic, Activation::Identity]
            .iter()
            .position(|&a| a == net.activation)
            .expect("a known activation")]
        .to_string(),
        first_layer: per_unit(0),
        first_layer_bias: net.biases[0].iter().map(|&b| b as f64).collect(),
        later_layers: (1..net.weights.len()).map(per_unit).collect(),
        epochs,
    }
}

pub struct MlpTrainer {
    fit: Fit,
    model: MlpModel,
    /// Validation rows as the network reads them.
    validation_x: Vec<f32>,
    task: Task,
    /// Regression: sum of squares of the scaled training targets around their mean.
    train_sst: f64,
    /// Training losses of the untrained network and the lowest so far, to tell divergence.
    first_loss: f64,
    best_loss: f64,
    last: Option<StepReport>,
    /// The epoch whose loss exploded (or stopped being a number); training ended there.
    diverged: Option<(usize, f64)>,
}

impl MlpTrainer {
    pub fn new(params: &MlpParams, data: &Prepared, seed: u32) -> Result<MlpTrainer> {
        let (n, d) = data.train.x.dim();
        if n == 0 {
            return Err(Error::Data("the training split is empty".into()));
        }
        if d == 0 {
            return Err(Error::Data("there are no feature columns to learn from".into()));
        }
        if params.early_stopping && data.validation.n_rows() == 0 {
            return Err(Error::param("early_stopping", true, "false when the split has no validation rows"));
        }
        let (loss, outputs, targets, y_mean, y_std, metric) = match data.task {
            Task::Classification => {
                let k = data.class_names.len();
                let y = data.train.y.labels();
                if (0..k as u32).filter(|c| y.contains(c)).count() < 2 {
                    return Err(Error::Data(
                        "the training split holds only one class; there is nothing to tell apart".into(),
                    ));
                }
                let (loss, outputs) = if k == 2 { (Loss::Logistic, 1) } else { (Loss::Softmax, k) };
                (loss, outputs, FitTargets::Classes(y.to_vec()), 0.0, 1.0, "accuracy")
            }
            Task::Regression => {
                let y = data.train.y.values();
                let mean = y.iter().sum::<f64>() / n as f64;
                let var = y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
                let std = if var > 0.0 { var.sqrt() } else { 1.0 };
                let scaled = y.iter().map(|v| ((v - mean) / std) as f32).collect();
                (Loss::Squared, 1, FitTargets::Values(scaled), mean, std, "r2")
            }
        };
        let train_sst = match data.task {
            Task::Regression => data.train.y.values().iter().map(|v| ((v - y_mean) / y_std).powi(2)).sum(),
            Task::Classification => 0.0,
        };
        let sizes: Vec<usize> =
            std::iter::once(d).chain(params.hidden_layer_sizes.iter().map(|&h| h as usize)).chain([outputs]).collect();
        let net = Network::new(&sizes, params.activation(), loss, &mut Rng::derive(seed.into(), STREAM_INIT));
        let history = EpochScores { metric: metric.into(), ..Default::default() };
        let fit = Fit::new(net.clone(), to_f32(&data.train.x), targets, params.fit_config(), seed);
        Ok(MlpTrainer {
            model: MlpModel { net, y_mean, y_std, history },
            first_loss: fit.initial_loss(),
            fit,
            validation_x: to_f32(&data.validation.x),
            task: data.task,
            train_sst,
            best_loss: f64::INFINITY,
            last: None,
            diverged: None,
        })
    }

    /// A loss that is not a number, or ten times the untrained network's and a hundred
    /// times the best so far: the steps are too large and the weights run away.
    fn explodes(&self, loss: f64) -> bool {
        !loss.is_finite() || (loss > 10.0 * self.first_loss && loss > 100.0 * self.best_loss.min(self.first_loss))
    }

    /// Stop at `epoch`, keeping the network of the epoch before; its losses stand for this one.
    fn diverge(&mut self, epoch: usize, loss: f64) -> StepReport {
        self.fit.halt(epoch, &self.model.net);
        self.diverged = Some((epoch, loss));
        // Diverged in the first epoch: the untrained network's loss, in the curve's units.
        let untrained = match self.task {
            Task::Classification => self.first_loss,
            Task::Regression => 2.0 * self.first_loss * self.model.y_std * self.model.y_std,
        };
        self.last.unwrap_or(StepReport { train_loss: untrained, validation_loss: None })
    }

    /// Validation loss (log-loss, or MSE in the target's units), the value early stopping
    /// watches (in the training loss's units), and the validation score.
    fn validate(&self, data: &Prepared) -> Option<(f64, f64, f64)> {
        let part = &data.validation;
        if part.n_rows() == 0 {
            return None;
        }
        let z = self.fit.net.outputs(&self.validation_x, part.n_rows());
        Some(match self.task {
            Task::Classification => {
                let p = self.model.proba(&z, part.n_rows());
                let y = part.y.labels();
                let loss = classification::log_loss(y, &p);
                (loss, loss, classification::accuracy(y, &classification::argmax_rows(&p)))
            }
            Task::Regression => {
                let pred: Vec<f64> = z.iter().map(|&v| v as f64 * self.model.y_std + self.model.y_mean).collect();
                let mse = regression::mse(part.y.values(), &pred);
                (mse, mse / (2.0 * self.model.y_std * self.model.y_std), regression::r2(part.y.values(), &pred))
            }
        })
    }
}

impl MlpTrainer {
    /// The loss and score the page plots for an epoch's training statistics.
    fn train_scores(&self, stats: &EpochStats) -> (f64, f64) {
        match self.task {
            Task::Classification => (stats.loss, stats.accuracy.unwrap_or(f64::NAN)),
            // The loss is half the squared error of the scaled target.
            Task::Regression => {
                let sse = 2.0 * stats.loss * self.fit.rows() as f64;
                (2.0 * stats.loss * self.model.y_std * self.model.y_std, 1.0 - sse / self.train_sst)
            }
        }
    }

    fn record(&mut self, train_score: f64, validation: Option<(f64, f64, f64)>) {
        let h = &mut self.model.history;
        h.train.push(train_score);
        if let Some((_, _, score)) = validation {
            h.validation.push(score);
        }
    }
}

impl Trainer for MlpTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        if self.is_done() {
            return Err(Error::Training("this network has finished training".into()));
        }
        let epoch = self.fit.epochs() + 1;
        let stats = match self.fit.epoch() {
            Ok(s) if !self.explodes(s.loss) => s,
            Ok(s) => return Ok(self.diverge(epoch, s.loss)),
            Err(Error::Training(_)) => return Ok(self.diverge(epoch, f64::INFINITY)),
            Err(e) => return Err(e),
        };
        self.best_loss = self.best_loss.min(stats.loss);
        let validation = self.validate(data);
        let (train_loss, train_score) = self.train_scores(&stats);
        self.record(train_score, validation);
        let monitored = match validation {
            Some((_, watched, _)) if self.fit.early_stopping() => watched,
            _ => stats.objective,
        };
        self.fit.observe(monitored);
        self.model.net.clone_from(&self.fit.net);
        let report = StepReport { train_loss, validation_loss: validation.map(|v| v.0) };
        self.last = Some(report);
        Ok(report)
    }

    fn notes(&self) -> Vec<String> {
        let Some((epoch, loss)) = self.diverged else { return vec![] };
        let what = if loss.is_finite() {
            format!("the loss jumped to {loss:.3e}")
        } else {
            "the loss stopped being a number".into()
        };
        let kept = if epoch > 1 {
            format!("the network of epoch {} is kept", epoch - 1)
        } else {
            "the untrained network is kept".into()
        };
        vec![format!("training diverged at epoch {epoch} ({what}): lower learning_rate_init; {kept}")]
    }

    fn fit_job(&self, data: &Prepared) -> Option<FitJob> {
        let v = &data.validation;
        let targets = match self.task {
            Task::Classification => FitTargets::Classes(v.y.labels().to_vec()),
            Task::Regression => FitTargets::Values(
                v.y.values().iter().map(|y| ((y - self.model.y_mean) / self.model.y_std) as f32).collect(),
            ),
        };
        Some(self.fit.job((v.n_rows() > 0).then(|| (self.validation_x.clone(), targets))))
    }

    fn apply_epoch(&mut self, data: &Prepared, e: &EpochReport, net: Option<Network>) -> Result<StepReport> {
        if self.is_done() {
            return Err(Error::Training("this network has finished training".into()));
        }
        let (train_loss, train_score) = self.train_scores(&e.train);
        // The GPU's validation loss is in the training loss's units: (shown, watched, score).
        let validation = e.validation.map(|v| match self.task {
            Task::Classification => (v.loss, v.loss, v.accuracy.unwrap_or(f64::NAN)),
            Task::Regression => {
                let y = data.validation.y.values();
                let mean = y.iter().sum::<f64>() / y.len().max(1) as f64;
                let var = y.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / y.len().max(1) as f64;
                let mse = 2.0 * v.loss * self.model.y_std * self.model.y_std;
                (mse, v.loss, 1.0 - mse / var)
            }
        });
        self.record(train_score, validation);
        let monitored = match validation {
            Some((_, watched, _)) if self.fit.early_stopping() => watched,
            _ => e.train.objective,
        };
        let read = net.is_some();
        self.fit.external_epoch(monitored, net);
        if read {
            self.model.net.clone_from(&self.fit.net);
        }
        Ok(StepReport { train_loss, validation_loss: validation.map(|v| v.0) })
    }

    fn set_network(&mut self, _data: &Prepared, net: Network) -> Result<()> {
        self.model.net.clone_from(&net);
        self.fit.net = net;
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
    /// Regression: the network predicts (y - y_mean) / y_std.
    #[serde(with = "num::one")]
    y_mean: f64,
    #[serde(with = "num::one")]
    y_std: f64,
}

impl MlpModel {
    fn to_record(&self) -> serde_json::Value {
        record::to_value(&Record { net: NetRecord::of(&self.net), y_mean: self.y_mean, y_std: self.y_std })
    }

    /// A model file's record, checked against the file's preprocessing and target.
    pub fn from_record(v: serde_json::Value, fit: &record::Fit) -> Result<MlpModel> {
        let s: Record = record::parse(v)?;
        let (outputs, loss) = match fit.task {
            Task::Regression => (1, "squared"),
            Task::Classification if fit.n_classes() == 2 => (1, "logistic"),
            Task::Classification => (fit.n_classes(), "softmax"),
        };
        let net = s.net.check("model.net", fit.n_features, outputs, loss)?;
        record::finite("model.y_mean", &[s.y_mean])?;
        if !(s.y_std.is_finite() && s.y_std > 0.0) {
            return record::err("model.y_std", format!("{} is not a positive finite number", s.y_std));
        }
        Ok(MlpModel { net, y_mean: s.y_mean, y_std: s.y_std, history: Default::default() })
    }
}

pub fn load(v: serde_json::Value, fit: &record::Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(MlpModel::from_record(v, fit)?))
}
