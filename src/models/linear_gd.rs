//! Linear regression by full-batch gradient descent on the mean squared error, one epoch
//! per step, so the fitted line (or plane) can be watched moving and the loss falling.
//! As in logistic.rs, the step is halved whenever it would raise the loss, so a too-large
//! learning rate slows training instead of making it diverge.

use ndarray::Array2;

use super::linear::{check_rows, dot, row_major, LinearModel, LinearRegressionParams};
use super::{loss_of, Model, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::data::prep::Prepared;

pub struct GradientTrainer {
    params: LinearRegressionParams,
    model: LinearModel,
    step_size: f64,
    epoch: usize,
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
        Ok(GradientTrainer { step_size: params.learning_rate, params, model, epoch: 0 })
    }

    /// One epoch over all rows; returns the training MSE afterwards.
    pub fn epoch(&mut self, x: &Array2<f64>, y: &[f64]) -> Result<f64> {
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
        // d(MSE)/dw = 2/n X^T e; the intercept moves only when it is fitted.
        grad.iter_mut().for_each(|g| *g *= 2.0 / n);
        grad_b = if self.params.fit_intercept { grad_b * 2.0 / n } else { 0.0 };

        let start = self.step_size;
        let mut loss = before;
        let mut accepted = None;
        for _ in 0..40 {
            let s = self.step_size;
            let trial: Vec<f64> = w.iter().zip(&grad).map(|(wj, g)| wj - s * g).collect();
            let tb = b - s * grad_b;
            let after = mse(&rows, y, &trial, tb);
            if after.is_finite() && after <= before {
                accepted = Some((trial, tb));
                loss = after;
                break;
            }
            self.step_size *= 0.5;
        }
        match accepted {
            Some((coef, intercept)) => self.model = LinearModel { coef, intercept },
            None if !before.is_finite() => {
                return Err(Error::Training(
                    "the loss is not a finite number; check the data for extreme values".into(),
                ))
            }
            // Already at the bottom to rounding: keep the step for later epochs.
            None => self.step_size = start,
        }
        self.epoch += 1;
        Ok(loss)
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
        self.params.max_iter as usize
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
    }
    Ok(t.model)
}
