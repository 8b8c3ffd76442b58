//! The training loop shared by the `mlp` and `autoencoder` kinds: one epoch of shuffled
//! mini-batches per call, and scikit-learn's stopping rule.
//!
//! Stopping, as scikit-learn's MLP: after each epoch a monitored value is compared with
//! the best so far; an epoch that does not beat it by `tol` counts as no improvement, and
//! training stops after more than `n_iter_no_change` such epochs in a row. Without early
//! stopping the value is the training objective (the epoch's mean batch loss plus the
//! penalty). With early stopping it is the loss on the validation rows (scikit-learn
//! watches the validation *score* of a slice it holds out of the training rows; the loss
//! is smoother on small validation parts and is the curve the page draws), and the best
//! weights seen are restored when training ends.

use super::mlp_net::{Dropout, Network, Targets, Workspace};
use super::mlp_optim::{Optimizer, Solver};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;

/// Random streams derived from the state's seed.
pub const STREAM_SHUFFLE: u64 = 0x6d6c_7001;
pub const STREAM_DROPOUT: u64 = 0x6d6c_7002;
/// The stream the weights are drawn from.
pub const STREAM_INIT: u64 = 0x6d6c_7000;

/// The training settings of a network, resolved from a kind's hyperparameters.
#[derive(Debug, Clone)]
pub struct FitConfig {
    pub solver: Solver,
    pub learning_rate_init: f64,
    pub alpha: f32,
    /// 0: scikit-learn's "auto", min(200, rows).
    pub batch_size: usize,
    pub dropout: f32,
    pub max_iter: usize,
    pub early_stopping: bool,
    pub n_iter_no_change: usize,
    pub tol: f64,
}

impl FitConfig {
    /// Rows per mini-batch for `rows` training rows.
    pub fn batch_rows(&self, rows: usize) -> usize {
        let b = if self.batch_size == 0 { 200 } else { self.batch_size };
        b.clamp(1, rows.max(1))
    }
}

/// What a network learns to produce for each training row.
#[derive(Debug, Clone)]
pub enum FitTargets {
    Classes(Vec<u32>),
    /// `rows x outputs` values.
    Values(Vec<f32>),
    /// The row's own inputs (an autoencoder).
    Inputs,
}

/// Means over one epoch's batches, weighted by their sizes (as scikit-learn's
/// `loss_curve_`, and what Keras shows as the training loss and accuracy): computed while
/// the weights still change, with dropout on.
#[derive(Debug, Clone, Copy)]
pub struct EpochStats {
    /// Mean loss per row, without the penalty.
    pub loss: f64,
    /// The loss plus the weight penalty: what the solver lowers.
    pub objective: f64,
    /// Classification: share of rows whose most likely class was right.
    pub accuracy: Option<f64>,
}

/// Validation scores after an epoch run elsewhere (on the GPU).
#[derive(Debug, Clone, Copy)]
pub struct ValidationStats {
    /// Mean loss per row, in the training loss's units (what early stopping watches).
    pub loss: f64,
    pub accuracy: Option<f64>,
}

/// What an epoch run elsewhere (on the GPU) reports.
#[derive(Debug, Clone, Copy)]
pub struct EpochReport {
    pub train: EpochStats,
    pub validation: Option<ValidationStats>,
    /// The stopping rule ended training (or `max_iter` was reached); with early stopping
    /// the best weights are back in place.
    pub done: bool,
}

/// Everything another device needs to train a network as `Fit` would: the network as it
/// stands, the rows and targets, the validation rows watched after each epoch, the
/// settings and the seed.
pub struct FitJob {
    pub net: Network,
    pub x: Vec<f32>,
    pub targets: FitTargets,
    pub validation: Option<(Vec<f32>, FitTargets)>,
    pub config: FitConfig,
    pub seed: u32,
}

pub struct Fit {
    pub net: Network,
    seed: u32,
    config: FitConfig,
    opt: Optimizer,
    ws: Workspace,
    /// Training rows, row-major.
    x: Vec<f32>,
    rows: usize,
    targets: FitTargets,
    order: Vec<usize>,
    shuffle: Rng,
    dropout: Rng,
    batch_x: Vec<f32>,
    batch_classes: Vec<u32>,
    batch_values: Vec<f32>,
    epochs: usize,
    best: f64,
    no_improvement: usize,
    /// Early stopping: the weights with the lowest validation loss so far.
    best_net: Option<Network>,
    stopped_at: Option<usize>,
}

impl Fit {
    pub fn new(net: Network, x: Vec<f32>, targets: FitTargets, config: FitConfig, seed: u32) -> Fit {
        let rows = x.len() / net.n_inputs();
        let opt = Optimizer::new(config.solver, config.learning_rate_init, &net);
        Fit {
            net,
            seed,
            opt,
            ws: Workspace::default(),
            x,
            rows,
            targets,
            order: (0..rows).collect(),
            shuffle: Rng::derive(seed.into(), STREAM_SHUFFLE),
            dropout: Rng::derive(seed.into(), STREAM_DROPOUT),
            batch_x: vec![],
            batch_classes: vec![],
            batch_values: vec![],
            epochs: 0,
            best: f64::INFINITY,
            no_improvement: 0,
            best_net: None,
            stopped_at: None,
            config,
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn x(&self) -> &[f32] {
        &self.x
    }

    pub fn early_stopping(&self) -> bool {
        self.config.early_stopping
    }

    pub fn epochs(&self) -> usize {
        self.epochs
    }

    /// The untrained network's loss on the first (up to 1,000) training rows: what a
    /// diverging run is measured against.
    pub fn initial_loss(&self) -> f64 {
        let (d, outputs) = (self.net.n_inputs(), self.net.n_outputs());
        let n = self.rows.min(1000);
        let x = &self.x[..n * d];
        let targets = match &self.targets {
            FitTargets::Classes(y) => Targets::Classes(&y[..n]),
            FitTargets::Values(y) => Targets::Values(&y[..n * outputs]),
            FitTargets::Inputs => Targets::Values(x),
        };
        self.net.gradient(x, n, targets, 0.0, None, &mut Workspace::default()).0
    }

    /// End training after `epoch` epochs with the weights in `good` (the last epoch's,
    /// before the one that diverged).
    pub fn halt(&mut self, epoch: usize, good: &Network) {
        self.net.clone_from(good);
        self.epochs = epoch;
        self.stopped_at = Some(epoch);
    }

    /// `max_iter`, or the epoch training stopped at.
    pub fn epochs_total(&self) -> usize {
        self.stopped_at.unwrap_or(self.config.max_iter)
    }

    fn batch_size(&self) -> usize {
        self.config.batch_rows(self.rows)
    }

    /// One pass over the training rows in shuffled mini-batches, one update per batch.
    pub fn epoch(&mut self) -> Result<EpochStats> {
        let d = self.net.n_inputs();
        let outputs = self.net.n_outputs();
        let batch = self.batch_size();
        self.shuffle.shuffle(&mut self.order);
        let (mut loss, mut objective, mut correct) = (0.0, 0.0, 0usize);
        for idx in self.order.chunks(batch) {
            let n = idx.len();
            self.batch_x.clear();
            idx.iter().for_each(|&i| self.batch_x.extend_from_slice(&self.x[i * d..(i + 1) * d]));
            let targets = match &self.targets {
                FitTargets::Classes(y) => {
                    self.batch_classes.clear();
                    self.batch_classes.extend(idx.iter().map(|&i| y[i]));
                    Targets::Classes(&self.batch_classes)
                }
                FitTargets::Values(y) => {
                    self.batch_values.clear();
                    idx.iter().for_each(|&i| self.batch_values.extend_from_slice(&y[i * outputs..(i + 1) * outputs]));
                    Targets::Values(&self.batch_values)
                }
                FitTargets::Inputs => Targets::Values(&self.batch_x),
            };
            let dropout =
                (self.config.dropout > 0.0).then_some(Dropout { rate: self.config.dropout, rng: &mut self.dropout });
            let (l, penalty) = self.net.gradient(&self.batch_x, n, targets, self.config.alpha, dropout, &mut self.ws);
            if !(l + penalty).is_finite() {
                return Err(Error::Training(format!(
                    "the loss became infinite at epoch {}; lower learning_rate_init, or scale the features",
                    self.epochs + 1
                )));
            }
            loss += l * n as f64;
            objective += (l + penalty) * n as f64;
            if let FitTargets::Classes(_) = self.targets {
                correct += count_correct(self.ws.outputs(), &self.batch_classes);
            }
            self.opt.update(&mut self.net, &self.ws.grad_w, &self.ws.grad_b);
        }
        self.epochs += 1;
        let rows = self.rows as f64;
        let accuracy = matches!(self.targets, FitTargets::Classes(_)).then(|| correct as f64 / rows);
        Ok(EpochStats { loss: loss / rows, objective: objective / rows, accuracy })
    }

    /// The job for another device, from the current weights on; `validation` as given.
    pub fn job(&self, validation: Option<(Vec<f32>, FitTargets)>) -> FitJob {
        FitJob {
            net: self.net.clone(),
            x: self.x.clone(),
            targets: self.targets.clone(),
            validation: validation.filter(|(x, _)| !x.is_empty()),
            config: self.config.clone(),
            seed: self.seed,
        }
    }

    /// Count an epoch run elsewhere and apply the stopping rule to `monitored`; `net`,
    /// when the weights were read back, replaces the network (after the rule, so at the
    /// end it is the other device's best). Returns whether training is over.
    pub fn external_epoch(&mut self, monitored: f64, net: Option<Network>) -> bool {
        self.epochs += 1;
        let done = self.observe(monitored);
        if let Some(n) = net {
            self.net = n;
        }
        done
    }

    /// After an epoch: apply the stopping rule to `monitored` (the training objective, or
    /// with early stopping the validation loss). Returns whether training is over; with
    /// early stopping the best weights are then back in `net`.
    pub fn observe(&mut self, monitored: f64) -> bool {
        if monitored > self.best - self.config.tol {
            self.no_improvement += 1;
        } else {
            self.no_improvement = 0;
        }
        if monitored < self.best {
            self.best = monitored;
            if self.config.early_stopping {
                self.best_net = Some(self.net.clone());
            }
        }
        let done = self.no_improvement > self.config.n_iter_no_change || self.epochs >= self.config.max_iter;
        if done {
            self.stopped_at = Some(self.epochs);
            if let Some(best) = self.best_net.take() {
                self.net = best;
            }
        }
        done
    }
}

/// Rows whose largest logit (or, with one logit, its sign) names the right class.
pub fn count_correct(logits: &[f32], y: &[u32]) -> usize {
    let k = logits.len() / y.len().max(1);
    if k == 1 {
        return logits.iter().zip(y).filter(|(&z, &c)| (z > 0.0) == (c == 1)).count();
    }
    logits
        .chunks_exact(k)
        .zip(y)
        .filter(|(z, &c)| {
            let best = (0..k).fold(0, |b, j| if z[j] > z[b] { j } else { b });
            best == c as usize
        })
        .count()
}
