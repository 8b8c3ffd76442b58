//! The lasso: linear regression with an L1 penalty, which pushes weak weights to exactly
//! zero. Minimises scikit-learn's objective (1/(2n)) |y - Xw - b|^2 + alpha |w|_1 by cyclic
//! coordinate descent, one sweep over all features per step. It stops as scikit-learn's
//! Lasso does: once the largest weight change of a sweep is below `tol` times the largest
//! weight, and the duality gap (an upper bound on the distance to the optimum) is below
//! `tol` times |y - mean(y)|^2.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::linear::{check_rows, dot, fit_intercept_info, intercept, Centred, LinearModel};
use super::{loss_of, Model, StepReport, Trainer};
use crate::base::error::Result;
use crate::base::schema::{check_float, check_int, Domain, ParamInfo};
use crate::data::prep::Prepared;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LassoParams {
    pub alpha: f64,
    pub max_iter: u32,
    pub tol: f64,
    pub fit_intercept: bool,
}

impl Default for LassoParams {
    fn default() -> Self {
        LassoParams { alpha: 1.0, max_iter: 1000, tol: 1e-4, fit_intercept: true }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo::new("alpha", Domain::Float { min: 0.0, max: 1e6, log: true, min_exclusive: true }, "How strongly weights are punished. Raising it sets more weights to exactly zero, keeping only the \
                   features that matter most. (For no penalty at all, use linear regression.)", false),
        ParamInfo::new("max_iter", Domain::Int { min: 1, max: 1_000_000 }, "Most sweeps over the features. Each sweep adjusts every weight once; training stops earlier once the weights settle.", true),
        ParamInfo::new("tol", Domain::Float { min: 0.0, max: 1.0, log: true, min_exclusive: false }, "How settled the weights must be before training stops. Smaller is more exact but takes more sweeps.", true),
        fit_intercept_info(),
    ]
}

impl LassoParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_float(&p, "alpha", self.alpha)?;
        check_int(&p, "max_iter", self.max_iter as i64)?;
        check_float(&p, "tol", self.tol)
    }
}

/// Coordinate descent state on centred data, in scikit-learn's scaling (|.|^2 / 2 + alpha n |w|_1).
pub struct LassoTrainer {
    params: LassoParams,
    data: Centred,
    norms2: Vec<f64>,
    resid: Vec<f64>,
    w: Vec<f64>,
    /// The duality gap that counts as converged.
    gap_tol: f64,
    sweeps: usize,
    converged: bool,
    model: LinearModel,
}

impl LassoTrainer {
    pub fn new(params: LassoParams, x: &Array2<f64>, y: &[f64]) -> Result<LassoTrainer> {
        check_rows(x, y)?;
        let data = Centred::new(x, y, params.fit_intercept);
        let n = data.y.len();
        let norms2 = data.x.as_slice().chunks_exact(n).map(|c| dot(c, c)).collect();
        let resid: Vec<f64> = data.y.iter().copied().collect();
        let gap_tol = params.tol * dot(&resid, &resid);
        let d = x.ncols();
        let model = LinearModel { coef: vec![0.0; d], intercept: data.y_mean };
        Ok(LassoTrainer { params, data, norms2, resid, w: vec![0.0; d], gap_tol, sweeps: 0, converged: false, model })
    }

    /// One pass over every feature; returns the training MSE afterwards.
    pub fn sweep(&mut self) -> f64 {
        let n = self.resid.len();
        let l1 = self.params.alpha * n as f64;
        let (mut w_max, mut dw_max) = (0.0f64, 0.0f64);
        for (j, col) in self.data.x.as_slice().chunks_exact(n).enumerate() {
            let nj = self.norms2[j];
            if nj == 0.0 {
                continue;
            }
            let old = self.w[j];
            // Correlation of column j with the residual left when its own weight is removed.
            let rho = dot(col, &self.resid) + old * nj;
            let new = rho.signum() * (rho.abs() - l1).max(0.0) / nj;
            if new != old {
                let delta = old - new;
                self.resid.iter_mut().zip(col).for_each(|(r, v)| *r += delta * v);
            }
            self.w[j] = new;
            dw_max = dw_max.max((new - old).abs());
            w_max = w_max.max(new.abs());
        }
        self.sweeps += 1;
        let last = self.sweeps >= self.params.max_iter as usize;
        if w_max == 0.0 || dw_max / w_max <= self.params.tol || last {
            self.converged = self.gap() <= self.gap_tol;
        }
        self.model =
            LinearModel { intercept: intercept(&self.data.x_mean, self.data.y_mean, &self.w), coef: self.w.clone() };
        // The centred residual equals the residual of the model with its intercept.
        dot(&self.resid, &self.resid) / n as f64
    }

    /// Duality gap of the current weights (scikit-learn's formulation for the lasso).
    fn gap(&self) -> f64 {
        let n = self.resid.len();
        let l1 = self.params.alpha * n as f64;
        let r = &self.resid;
        let dual_norm = self.data.x.as_slice().chunks_exact(n).map(|c| dot(c, r).abs()).fold(0.0, f64::max);
        let r2 = dot(r, r);
        let ry = dot(r, self.data.y.as_slice());
        let scale = if dual_norm > l1 { l1 / dual_norm } else { 1.0 };
        let primal = 0.5 * r2 + l1 * self.w.iter().map(|v| v.abs()).sum::<f64>();
        let dual = -0.5 * scale * scale * r2 + scale * ry;
        primal - dual
    }

    pub fn into_model(self) -> LinearModel {
        self.model
    }
}

impl Trainer for LassoTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        let train_loss = self.sweep();
        Ok(StepReport { train_loss, validation_loss: loss_of(&self.model, &data.validation) })
    }

    fn steps_done(&self) -> usize {
        self.sweeps
    }

    fn steps_total(&self) -> usize {
        if self.converged {
            self.sweeps
        } else {
            self.params.max_iter as usize
        }
    }

    fn model(&self) -> Option<&dyn Model> {
        Some(&self.model)
    }
}

/// Sweep until converged or `max_iter`; returns the model and the sweeps used.
pub fn fit_xy(params: &LassoParams, x: &Array2<f64>, y: &[f64]) -> Result<(LinearModel, usize)> {
    let mut t = LassoTrainer::new(params.clone(), x, y)?;
    while !t.is_done() {
        t.sweep();
    }
    let sweeps = t.sweeps;
    Ok((t.into_model(), sweeps))
}
