//! Linear regression by full-batch gradient descent on the mean squared error, one epoch
//! per step, so the fitted line (or plane) can be watched moving and the loss falling.
//! Each epoch takes exactly one step of `learning_rate` times the gradient, as the descent
//! view (descent.rs) draws it: a too-large learning rate overshoots the minimum, and once
//! the loss runs away training stops with a note, keeping the weights of the epoch before.

use ndarray::Array2;

use super::descent::{divergence_note, explodes};
use super::linear::{check_rows, dot, row_major, LinearModel, LinearRegressionParams};
use super::{loss_of, Model, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::data::prep::Prepared;

pub struct GradientTrainer {
    params: LinearRegressionParams,
    model: LinearModel,
    epoch: usize,
    /// The loss of the starting weights and the lowest so far, to tell divergence.
    first_loss: Option<f64>,
    best_loss: f64,
    /// The epoch whose loss ran away, and that loss; training ended there.
    diverged: Option<(usize, f64)>,
}

/// Mean squared error of `w, b` on flat row-major rows.
fn mse(rows: &[f64], y: &[f64], w: &[f64], b: f64) -> f64 {
    let s: f64 = rows.chunks_exact(w.len()).zip(y).map(|(r, &t)| (b + dot(r, w) - t).powi(2)).sum();
    s / y.len() as f64
}

impl GradientTrainer {
    pub fn new(params: LinearRegressionParams, x: &Array2<f64>, y: &[f64]) -> Result<GradientTrainer> {
        check_rows(x, y)?;
        let model = LinearModel { coef: vec![0.0; x.ncols()], intercept: 0.0 };
        Ok(GradientTrainer { params, model, epoch: 0, first_loss: None, best_loss: f64::INFINITY, diverged: None })
    }

    /// Whether the loss ran away (training stopped there).
    pub fn diverged(&self) -> bool {
        self.diverged.is_some()
    }

    /// One epoch over all rows; returns the training MSE afterwards (after a divergence,
    /// that of the weights kept).
    pub fn epoch(&mut self, x: &Array2<f64>, y: &[f64]) -> Result<f64> {
        if self.diverged.is_some() {
            return Err(Error::Training("training diverged; lower learning_rate and train again".into()));
        }
        let rows = row_major(x);
        let (w, b) = (&self.model.coef, self.model.intercept);
        let n = y.len() as f64;
        let mut grad = vec![0.0; w.len()];
        let (mut grad_b, mut before) = (0.0, 0.0);
        for (r, &t) in rows.chunks_exact(w.len()).zip(y) {
            let e = b + dot(r, w) - t;
            before += e * e;
            grad_b += e;
            grad.iter_mut().zip(r).for_each(|(g, v)| *g += e * v);
        }
        before /= n;
        if !before.is_finite() {
            return Err(Error::Training("the loss is not a finite number; check the data for extreme values".into()));
        }
        let first = *self.first_loss.get_or_insert(before);
        self.best_loss = self.best_loss.min(before);
        // d(MSE)/dw = 2/n X^T e; the intercept moves only when it is fitted.
        let s = self.params.learning_rate;
        let coef: Vec<f64> = w.iter().zip(&grad).map(|(wj, g)| wj - s * g * 2.0 / n).collect();
        let intercept = if self.params.fit_intercept { b - s * grad_b * 2.0 / n } else { b };
        let after = mse(&rows, y, &coef, intercept);
        self.epoch += 1;
        if explodes(after, first, self.best_loss) {
            self.diverged = Some((self.epoch, after));
            return Ok(before);
        }
        self.best_loss = self.best_loss.min(after);
        self.model = LinearModel { coef, intercept };
        Ok(after)
    }
}

impl Trainer for GradientTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        let train_loss = self.epoch(&data.train.x, data.train.y.values())?;
        Ok(StepReport { train_loss, validation_loss: loss_of(&self.model, &data.validation) })
    }

    fn steps_done(&self) -> usize {
        self.epoch
    }

    fn steps_total(&self) -> usize {
        match self.diverged {
            Some((epoch, _)) => epoch,
            None => self.params.max_iter as usize,
        }
    }

    fn notes(&self) -> Vec<String> {
        let Some((epoch, loss)) = self.diverged else { return vec![] };
        let kept = if epoch > 1 {
            format!("; the weights of epoch {} are kept", epoch - 1)
        } else {
            "; the starting weights (all zero) are kept".into()
        };
        vec![divergence_note(epoch, loss, &kept)]
    }

    fn model(&self) -> Option<&dyn Model> {
        Some(&self.model)
    }
}

/// Run all `max_iter` epochs on (x, y).
pub fn fit_xy(params: &LinearRegressionParams, x: &Array2<f64>, y: &[f64]) -> Result<LinearModel> {
    let mut t = GradientTrainer::new(params.clone(), x, y)?;
    for _ in 0..params.max_iter {
        t.epoch(x, y)?;
        if t.diverged() {
            break;
        }
    }
    Ok(t.model)
}
