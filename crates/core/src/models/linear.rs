//! Linear regression and ridge regression, fitted exactly in one step as scikit-learn's
//! LinearRegression and Ridge: centre X and y (so the intercept is not penalised), solve
//! for the weights through an SVD, then recover the intercept from the means. Least
//! squares keeps the minimum-norm answer when columns are collinear or constant.
//! Gradient descent for linear regression lives in `linear_gd.rs`, the lasso in `lasso.rs`.

use std::borrow::Cow;

use nalgebra::{DMatrix, DVector, SVD};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::explain::{Coefficients, Explanation};
use super::record::{self, num, Fit};
use super::{Model, Prediction};
use crate::base::error::{Error, Result};
use crate::base::schema::{check_choice, check_float, check_int, Domain, ParamInfo};
use crate::data::Task;

pub const SOLVERS: &[&str] = &["lstsq", "gradient_descent"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinearRegressionParams {
    pub fit_intercept: bool,
    /// "lstsq" (exact, one step) or "gradient_descent" (one epoch per step).
    pub solver: String,
    /// Epochs of gradient descent (ignored by lstsq).
    pub max_iter: u32,
    /// Step of gradient descent: every epoch moves by this times the gradient (too large diverges).
    pub learning_rate: f64,
}

impl Default for LinearRegressionParams {
    fn default() -> Self {
        LinearRegressionParams { fit_intercept: true, solver: "lstsq".into(), max_iter: 200, learning_rate: 0.1 }
    }
}

pub fn fit_intercept_info() -> ParamInfo {
    ParamInfo::new("fit_intercept", Domain::Bool, "Whether the model learns a constant offset. Turn it off only when the target is zero whenever all features are zero.", true)
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo::new("solver", Domain::Choice { options: SOLVERS }, "lstsq computes the best weights directly in one step; gradient_descent walks downhill one epoch at a time so you can watch the error fall.", false),
        fit_intercept_info(),
        ParamInfo::new("max_iter", Domain::Int { min: 1, max: 100_000 }, "Epochs of gradient descent. Each epoch looks at every training row once and moves the weights downhill.", false),
        ParamInfo::new("learning_rate", Domain::Float { min: 0.0, max: 100.0, log: true, min_exclusive: true }, "Size of each gradient step. Too large and the steps overshoot the lowest point until training diverges (the page says so and keeps the last good weights); too small and training crawls. Scaled features let it be larger.", true),
    ]
}

impl LinearRegressionParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_choice(&p, "solver", &self.solver)?;
        check_int(&p, "max_iter", self.max_iter as i64)?;
        check_float(&p, "learning_rate", self.learning_rate)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RidgeParams {
    pub alpha: f64,
    pub fit_intercept: bool,
}

impl Default for RidgeParams {
    fn default() -> Self {
        RidgeParams { alpha: 1.0, fit_intercept: true }
    }
}

pub fn ridge_param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo::new(
            "alpha",
            Domain::Float { min: 0.0, max: 1e6, log: true, min_exclusive: false },
            "How strongly large weights are punished. Raising it shrinks all weights towards zero: a smoother, \
                   less overfitted model; 0 is plain linear regression.",
            false,
        ),
        fit_intercept_info(),
    ]
}

impl RidgeParams {
    pub fn validate(&self) -> Result<()> {
        check_float(&ridge_param_info(), "alpha", self.alpha)
    }
}

/// A fitted linear predictor: `x . coef + intercept`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub coef: Vec<f64>,
    pub intercept: f64,
}

impl LinearModel {
    pub fn predict_values(&self, x: &Array2<f64>) -> Array1<f64> {
        let d = self.coef.len();
        let rows = row_major(x);
        if d == 0 {
            return Array1::from_elem(x.nrows(), self.intercept);
        }
        rows.chunks_exact(d).map(|r| self.intercept + dot(r, &self.coef)).collect()
    }

    /// Exact least squares (minimum-norm when the solution is not unique).
    pub fn least_squares(x: &Array2<f64>, y: &[f64], fit_intercept: bool) -> Result<LinearModel> {
        LinearModel::ridge(x, y, 0.0, fit_intercept)
    }

    /// Minimises |y - Xw - b|^2 + alpha |w|^2; alpha = 0 is least squares.
    pub fn ridge(x: &Array2<f64>, y: &[f64], alpha: f64, fit_intercept: bool) -> Result<LinearModel> {
        check_rows(x, y)?;
        let c = Centred::new(x, y, fit_intercept);
        let coef = solve_svd(c.x, c.y, alpha)?;
        Ok(LinearModel { intercept: intercept(&c.x_mean, c.y_mean, &coef), coef })
    }
}

impl Model for LinearModel {
    fn record(&self) -> Option<serde_json::Value> {
        Some(self.to_record())
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        Prediction::Values(self.predict_values(x))
    }

    fn size_bytes(&self) -> usize {
        (self.coef.len() + 1) * std::mem::size_of::<f64>()
    }

    fn explain(&self) -> Explanation {
        let coefficients = Coefficients {
            // The target's name is not known to the model.
            outputs: vec!["value".into()],
            weights: vec![self.coef.clone()],
            intercepts: vec![self.intercept],
        };
        Explanation { coefficients: Some(coefficients), ..Default::default() }
    }
}

/// Dot product with four running sums, which the compiler can vectorise.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a4, b4) = (a[..n].chunks_exact(4), b[..n].chunks_exact(4));
    let tail: f64 = a4.remainder().iter().zip(b4.remainder()).map(|(p, q)| p * q).sum();
    let mut acc = [0.0; 4];
    for (p, q) in a4.zip(b4) {
        for k in 0..4 {
            acc[k] += p[k] * q[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// The rows of `x` as one flat row-major slice (copied only if `x` is not laid out so).
pub(crate) fn row_major(x: &Array2<f64>) -> Cow<'_, [f64]> {
    match x.as_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(x.iter().copied().collect()),
    }
}

/// Training rows a linear model can use: at least one, every value a finite number.
pub(crate) fn check_rows(x: &Array2<f64>, y: &[f64]) -> Result<()> {
    if x.nrows() == 0 || y.is_empty() {
        return Err(Error::Data("the training split has no rows".into()));
    }
    if x.ncols() == 0 {
        return Err(Error::Data("there are no feature columns to learn from".into()));
    }
    if x.nrows() != y.len() {
        return Err(Error::Data(format!("{} feature rows but {} target values", x.nrows(), y.len())));
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(Error::Data(
            "a feature holds a missing or infinite value; linear models need every value filled in (choose an imputer)"
                .into(),
        ));
    }
    if y.iter().any(|v| !v.is_finite()) {
        return Err(Error::Data("the target holds a missing or infinite value".into()));
    }
    Ok(())
}

/// X and y with their training means removed (when fitting an intercept), X column-major.
pub(crate) struct Centred {
    pub x: DMatrix<f64>,
    pub y: DVector<f64>,
    pub x_mean: Vec<f64>,
    pub y_mean: f64,
}

impl Centred {
    pub fn new(x: &Array2<f64>, y: &[f64], fit_intercept: bool) -> Centred {
        let (n, d) = x.dim();
        let mut x_mean = vec![0.0; d];
        let mut y_mean = 0.0;
        if fit_intercept {
            for row in row_major(x).chunks_exact(d.max(1)).take(n) {
                x_mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
            }
            x_mean.iter_mut().for_each(|m| *m /= n as f64);
            y_mean = y.iter().sum::<f64>() / n as f64;
        }
        let mut xc = DMatrix::from_row_slice(n, d, &row_major(x));
        for (mut col, m) in xc.column_iter_mut().zip(&x_mean) {
            col.add_scalar_mut(-m);
        }
        let yc = DVector::from_iterator(n, y.iter().map(|v| v - y_mean));
        Centred { x: xc, y: yc, x_mean, y_mean }
    }
}

pub(crate) fn intercept(x_mean: &[f64], y_mean: f64, coef: &[f64]) -> f64 {
    y_mean - dot(x_mean, coef)
}

/// Weights minimising |y - Xw|^2 + alpha |w|^2 through the SVD X = U S V^T:
/// w = V diag(s / (s^2 + alpha)) U^T y. With alpha = 0, singular values below a relative
/// cutoff count as zero (numpy's lstsq rule), giving the minimum-norm solution. Tall X is
/// first reduced by QR to its d x d triangle, which has the same singular values.
fn solve_svd(x: DMatrix<f64>, y: DVector<f64>, alpha: f64) -> Result<Vec<f64>> {
    let (n, d) = x.shape();
    if d == 0 {
        return Ok(Vec::new());
    }
    let (a, b) = if n > d {
        let qr = x.qr();
        let mut qty = y;
        qr.q_tr_mul(&mut qty);
        (qr.r(), qty.rows(0, d).into_owned())
    } else {
        (x, y)
    };
    let svd = SVD::try_new(a, true, true, f64::EPSILON, 100_000)
        .ok_or_else(|| Error::Training("the least-squares solve did not converge".into()))?;
    let (u, v_t, s) = (svd.u.expect("u computed"), svd.v_t.expect("v computed"), svd.singular_values);
    let s_max = s.iter().fold(0.0f64, |a, &b| a.max(b));
    let cutoff = s_max * f64::EPSILON * n.max(d) as f64;
    let uty = u.transpose() * b;
    let mut scaled = uty;
    for (k, z) in scaled.iter_mut().enumerate() {
        let sk = s[k];
        *z *= if alpha > 0.0 {
            sk / (sk * sk + alpha)
        } else if sk > cutoff {
            1.0 / sk
        } else {
            0.0
        };
    }
    let w = v_t.transpose() * scaled;
    if w.iter().any(|v| !v.is_finite()) {
        return Err(Error::Training(
            "the weights came out as non-finite numbers; check the data for extreme values".into(),
        ));
    }
    Ok(w.iter().copied().collect())
}

// ---- model file record -----------------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct Record {
    n_features: usize,
    #[serde(with = "num::many")]
    coef: Vec<f64>,
    #[serde(with = "num::one")]
    intercept: f64,
}

impl LinearModel {
    fn to_record(&self) -> serde_json::Value {
        record::to_value(&Record { n_features: self.coef.len(), coef: self.coef.clone(), intercept: self.intercept })
    }

    /// A model file's record, checked against the file's preprocessing and target.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<LinearModel> {
        let s: Record = record::parse(v)?;
        if fit.task != Task::Regression {
            return record::err("model", "a linear regression needs a numeric target");
        }
        record::features("model.n_features", s.n_features, fit)?;
        record::len("model.coef", s.coef.len(), s.n_features)?;
        record::finite("model.coef", &s.coef)?;
        record::finite("model.intercept", &[s.intercept])?;
        Ok(LinearModel { coef: s.coef, intercept: s.intercept })
    }
}

/// linear_regression, ridge and lasso from a model file.
pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(LinearModel::from_record(v, fit)?))
}
