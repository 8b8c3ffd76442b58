//! The `cnn` on another device (the GPU): the job handed over (`CnnJob`: the network as it
//! stands, the rows, the settings and where the random stream is) and the epochs that
//! device ran, recorded as `CnnTrainer::step` records its own. A child of `cnn`, so it sees
//! the trainer's fields.

use super::{CnnParams, CnnTrainer, STREAM_SHUFFLE};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::data::prep::Prepared;
use crate::models::cnn_net::CnnNet;
use crate::models::mlp_fit::{EpochReport, FitConfig};
use crate::models::StepReport;

/// Everything another device needs to train a `cnn` as `CnnTrainer` would.
pub struct CnnJob {
    pub net: CnnNet,
    /// Training rows (`rows x net.n_inputs()`) and their classes.
    pub x: Vec<f32>,
    pub y: Vec<u32>,
    /// Validation rows and classes, watched after each epoch.
    pub validation: Option<(Vec<f32>, Vec<u32>)>,
    pub config: FitConfig,
    pub seed: u32,
    /// Epochs the CPU has run already.
    pub epochs: usize,
}

impl CnnJob {
    /// The row order and the shuffle stream as the CPU trainer holds them after `epochs`
    /// epochs, so the next epoch's batches are the ones the CPU would take.
    pub fn shuffle(&self) -> (Vec<usize>, Rng) {
        let mut order: Vec<usize> = (0..self.y.len()).collect();
        let mut rng = Rng::derive(self.seed.into(), STREAM_SHUFFLE);
        (0..self.epochs).for_each(|_| rng.shuffle(&mut order));
        (order, rng)
    }
}

/// The training settings, in the MLP's terms (no dropout).
pub(super) fn fit_config(p: &CnnParams, rows: usize) -> FitConfig {
    FitConfig {
        solver: p.solver_settings().solver(),
        learning_rate_init: p.learning_rate_init,
        alpha: p.alpha as f32,
        batch_size: (p.batch_size as usize).clamp(1, rows.max(1)),
        dropout: 0.0,
        max_iter: p.max_iter as usize,
        early_stopping: p.early_stopping,
        n_iter_no_change: p.n_iter_no_change as usize,
        tol: p.tol,
    }
}

impl CnnTrainer {
    pub(super) fn job(&self, data: &Prepared) -> Option<CnnJob> {
        if self.is_done_here() {
            return None;
        }
        let v = &data.validation;
        let validation = (v.n_rows() > 0).then(|| {
            let x: Vec<f32> = self.validation_x.iter().map(|&v| v as f32).collect();
            (x, v.y.labels().to_vec())
        });
        Some(CnnJob {
            net: self.model.net.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
            validation,
            config: self.config.clone(),
            seed: self.seed,
            epochs: self.epochs,
        })
    }

    fn is_done_here(&self) -> bool {
        self.stopped_at.is_some() || self.epochs >= self.max_iter
    }

    /// Record an epoch the GPU ran; `net`, when its weights were read back, becomes the
    /// model (after the stopping rule: at the end it is the GPU's best).
    pub(super) fn apply_gpu_epoch(&mut self, e: &EpochReport, net: Option<CnnNet>) -> Result<StepReport> {
        if self.is_done_here() {
            return Err(Error::Training("this network has finished training".into()));
        }
        self.epochs += 1;
        self.model.history.train.push(e.train.accuracy.unwrap_or(f64::NAN));
        if let Some(v) = e.validation {
            self.model.history.validation.push(v.accuracy.unwrap_or(f64::NAN));
        }
        let monitored = match e.validation {
            Some(v) if self.early_stopping => v.loss,
            _ => e.train.objective,
        };
        self.observe(monitored);
        // The GPU keeps its own best weights; the copies `observe` made here are stale.
        self.best_net = None;
        if let Some(n) = net {
            self.model.net = n;
        }
        let report = StepReport { train_loss: e.train.loss, validation_loss: e.validation.map(|v| v.loss) };
        self.last = Some(report);
        Ok(report)
    }

    pub(super) fn set_net(&mut self, net: CnnNet) -> Result<()> {
        if net.param_shapes() != self.model.net.param_shapes() {
            return Err(Error::Training("the network read back from the GPU has another shape".into()));
        }
        self.model.net = net;
        Ok(())
    }
}
