//! Logistic regression trained by full-batch gradient descent, one epoch per step, so the
//! log-loss can be watched falling. Binary problems use one sigmoid output, multiclass a
//! softmax (multinomial) as scikit-learn does. The objective is scikit-learn's with an L2
//! penalty: mean log-loss + |W|^2 / (2 C n); the intercept is not penalised.

use ndarray::{Array1, Array2, Axis};
use serde::{Deserialize, Serialize};

use super::params::{check_float, check_int, Domain, ParamInfo};
use super::{loss_of, KindInfo, Model, Prediction, StepReport, Trainer};
use crate::data::prep::Prepared;
use crate::data::Task;
use crate::error::{Error, Result};
use crate::metrics::classification::log_loss;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogisticParams {
    /// Inverse of the L2 regularisation strength (scikit-learn's `C`).
    #[serde(rename = "C")]
    pub c: f64,
    /// Epochs of gradient descent.
    pub max_iter: u32,
    /// Initial gradient step; halved automatically whenever a step would raise the loss,
    /// so a too-large value slows training instead of making it diverge. (scikit-learn's
    /// lbfgs solver has no such knob; gradient descent is used so each epoch is visible.)
    pub learning_rate: f64,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams { c: 1.0, max_iter: 100, learning_rate: 1.0 }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo {
            name: "C",
            domain: Domain::Float { min: 0.0, max: 1e6, log: true, min_exclusive: true },
            default: 1.0.into(),
            help: "How free the weights are. Small C keeps weights small (simpler, smoother boundary); large C lets the model fit the training data more closely.",
            advanced: false,
        },
        ParamInfo {
            name: "max_iter",
            domain: Domain::Int { min: 1, max: 100_000 },
            default: 100.into(),
            help: "Number of training epochs. Each epoch looks at every training row once and nudges the weights downhill.",
            advanced: false,
        },
        ParamInfo {
            name: "learning_rate",
            domain: Domain::Float { min: 0.0, max: 100.0, log: true, min_exclusive: true },
            default: 1.0.into(),
            help: "Size of the first step downhill. Too large and mlplay halves it for you; too small and training crawls.",
            advanced: true,
        },
    ]
}

pub fn info() -> KindInfo {
    KindInfo {
        kind: "logistic_regression",
        title: "Logistic regression",
        about: "A weighted sum of the features turned into class probabilities. Fast, interpretable, \
                and the baseline to beat; it draws straight boundaries between classes.",
        tasks: vec![Task::Classification],
        params: param_info(),
    }
}

impl LogisticParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_float(&p, "C", self.c)?;
        check_int(&p, "max_iter", self.max_iter as i64)?;
        check_float(&p, "learning_rate", self.learning_rate)
    }
}

/// Fitted weights: one column per output (1 for binary, k for multiclass).
#[derive(Debug, Clone)]
pub struct LogisticModel {
    pub coef: Array2<f64>, // (features, outputs)
    pub intercept: Array1<f64>,
    pub n_classes: usize,
}

impl LogisticModel {
    fn logits(&self, x: &Array2<f64>) -> Array2<f64> {
        x.dot(&self.coef) + &self.intercept
    }

    fn proba_from_logits(&self, z: &Array2<f64>) -> Array2<f64> {
        if self.n_classes == 2 {
            let mut p = Array2::zeros((z.nrows(), 2));
            for (i, &zi) in z.column(0).iter().enumerate() {
                let s = 1.0 / (1.0 + libm::exp(-zi));
                p[[i, 0]] = 1.0 - s;
                p[[i, 1]] = s;
            }
            p
        } else {
            let mut p = z.clone();
            for mut row in p.rows_mut() {
                let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
                row.mapv_inplace(|v| libm::exp(v - m));
                let s = row.sum();
                row /= s;
            }
            p
        }
    }
}

impl Model for LogisticModel {
    fn predict(&self, x: &Array2<f64>) -> Prediction {
        Prediction::Proba(self.proba_from_logits(&self.logits(x)))
    }

    fn size_bytes(&self) -> usize {
        (self.coef.len() + self.intercept.len()) * std::mem::size_of::<f64>()
    }
}

pub struct LogisticTrainer {
    params: LogisticParams,
    model: LogisticModel,
    step_size: f64,
    epoch: usize,
    /// Targets as an (n, outputs) matrix of 0/1.
    y_onehot: Array2<f64>,
}

impl LogisticTrainer {
    pub fn new(params: LogisticParams, data: &Prepared) -> Result<LogisticTrainer> {
        let k = data.class_names.len();
        let y = data.train.y.labels();
        let present = (0..k as u32).filter(|c| y.contains(c)).count();
        if present < 2 {
            return Err(Error::Data("the training split holds only one class; there is nothing to tell apart".into()));
        }
        let outputs = if k == 2 { 1 } else { k };
        let mut y_onehot = Array2::zeros((y.len(), outputs));
        for (i, &c) in y.iter().enumerate() {
            if k == 2 {
                y_onehot[[i, 0]] = c as f64;
            } else {
                y_onehot[[i, c as usize]] = 1.0;
            }
        }
        let d = data.train.x.ncols();
        let model = LogisticModel { coef: Array2::zeros((d, outputs)), intercept: Array1::zeros(outputs), n_classes: k };
        Ok(LogisticTrainer { step_size: params.learning_rate, params, model, epoch: 0, y_onehot })
    }

    /// The penalised objective on the training rows.
    fn objective(&self, m: &LogisticModel, x: &Array2<f64>, y: &[u32]) -> f64 {
        let p = m.proba_from_logits(&m.logits(x));
        log_loss(y, &p) + m.coef.iter().map(|w| w * w).sum::<f64>() / (2.0 * self.params.c * x.nrows() as f64)
    }
}

impl Trainer for LogisticTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        let x = &data.train.x;
        let y = data.train.y.labels();
        let n = x.nrows() as f64;
        let z = self.model.logits(x);
        // d(loss)/d(logits) is (p - y) for both the sigmoid and the softmax form.
        let p = self.model.proba_from_logits(&z);
        let p_out = if self.model.n_classes == 2 { p.slice(ndarray::s![.., 1..2]).to_owned() } else { p };
        let g = (p_out - &self.y_onehot) / n;
        let grad_w = x.t().dot(&g) + &self.model.coef / (self.params.c * n);
        let grad_b = g.sum_axis(Axis(0));

        // Backtracking: halve the step until the objective does not rise.
        let before = self.objective(&self.model, x, y);
        let mut accepted = None;
        for _ in 0..40 {
            let trial = LogisticModel {
                coef: &self.model.coef - &(&grad_w * self.step_size),
                intercept: &self.model.intercept - &(&grad_b * self.step_size),
                n_classes: self.model.n_classes,
            };
            let after = self.objective(&trial, x, y);
            if after.is_finite() && after <= before {
                accepted = Some(trial);
                break;
            }
            self.step_size *= 0.5;
        }
        if let Some(m) = accepted {
            self.model = m;
        } else if !before.is_finite() {
            return Err(Error::Training("the loss is not a finite number; check the data for extreme values".into()));
        }
        self.epoch += 1;

        Ok(StepReport {
            train_loss: loss_of(&self.model, &data.train).unwrap_or(f64::NAN),
            validation_loss: loss_of(&self.model, &data.validation),
        })
    }

    fn steps_done(&self) -> usize {
        self.epoch
    }

    fn steps_total(&self) -> usize {
        self.params.max_iter as usize
    }

    fn model(&self) -> Option<&dyn Model> {
        Some(&self.model)
    }
}
