//! Gradient descent you can watch: the training loss of a linear or logistic model over two
//! of its parameters (slope and intercept on one feature; on more, the two largest weights
//! with every other parameter held at its fitted value), and the path an optimiser (plain
//! gradient descent, momentum or Adam, one full-batch step per epoch) takes across it.
//! Nothing here halves a step that overshoots: a too-large learning rate visibly bounces
//! and runs away, and the run says where it diverged.

use ndarray::Array2;
use serde::Serialize;

use super::linear::{check_rows, dot, row_major, LinearModel};
use crate::base::error::{Error, Result};
use crate::base::sort::sort_indices;

/// What is minimised: the mean squared error (linear regression), or scikit-learn's
/// logistic objective, mean log-loss + |w|^2 / (2 C n) (labels 0 and 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Objective {
    Squared,
    Logistic { c: f64 },
}

pub const OPTIMIZERS: &[&str] = &["sgd", "momentum", "adam"];
/// scikit-learn's MLP defaults for the momentum and Adam coefficients.
const MOMENTUM: f64 = 0.9;
const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const EPSILON: f64 = 1e-8;
/// At most this many rows enter the surface of a logistic loss (each grid cell costs a
/// pass over them); the path always uses every training row.
const SURFACE_ROWS: usize = 20_000;
const MAX_EPOCHS: usize = 10_000;

#[derive(Debug, Clone)]
pub struct DescentSpec {
    /// "sgd" (plain full-batch gradient descent), "momentum" or "adam".
    pub optimizer: String,
    pub learning_rate: f64,
    pub epochs: usize,
    /// Cells per side of the loss surface.
    pub grid: usize,
}

impl Default for DescentSpec {
    fn default() -> Self {
        DescentSpec { optimizer: "sgd".into(), learning_rate: 0.1, epochs: 100, grid: 60 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DescentView {
    /// Names of the two parameters drawn (x axis, y axis).
    pub axes: [String; 2],
    /// What the picture shows, in a sentence (which parameters are held where).
    pub caption: String,
    pub loss_name: String,
    pub grid: usize,
    pub x_range: [f64; 2],
    pub y_range: [f64; 2],
    /// `grid` x `grid` losses, row by row from the lowest y up, x increasing in each row.
    pub surface: Vec<f64>,
    /// The parameters after each epoch, from the start (epoch 0).
    pub path: Vec<[f64; 2]>,
    pub path_loss: Vec<f64>,
    /// The exact minimum: least squares, or Newton's method on the logistic objective.
    pub optimum: [f64; 2],
    pub optimum_loss: f64,
    pub optimum_label: String,
    /// First epoch whose loss is within 0.1% of the minimum's (above the minimum).
    pub converged_at: Option<usize>,
    pub diverged_at: Option<usize>,
    /// The divergence note, as the page shows a training note.
    pub note: Option<String>,
}

/// A loss that stopped being a number, or ten times the starting loss and a hundred times
/// the best so far: the steps are too large and the parameters run away (the MLP's rule).
pub fn explodes(loss: f64, first: f64, best: f64) -> bool {
    !loss.is_finite() || (loss > 10.0 * first && loss > 100.0 * best.min(first))
}

/// The note a run that diverged leaves: `kept` says which parameters were kept, if any.
pub fn divergence_note(epoch: usize, loss: f64, kept: &str) -> String {
    let what = if loss.is_finite() {
        format!("the loss jumped to {loss:.3e}")
    } else {
        "the loss stopped being a number".into()
    };
    format!("training diverged at epoch {epoch} ({what}): lower learning_rate{kept}")
}

/// The rows with a constant column appended (the intercept is the last parameter).
struct Problem {
    rows: Vec<f64>,
    y: Vec<f64>,
    /// Parameters per row: the features and the intercept.
    p: usize,
    objective: Objective,
}

fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl Problem {
    fn new(x: &Array2<f64>, y: &[f64], objective: Objective) -> Result<Problem> {
        check_rows(x, y)?;
        if let Objective::Logistic { c } = objective {
            if !(c > 0.0 && c.is_finite()) {
                return Err(Error::param("C", c, "a positive number"));
            }
            if y.iter().any(|&v| v != 0.0 && v != 1.0) {
                return Err(Error::Data("the logistic loss needs labels 0 and 1".into()));
            }
        }
        let d = x.ncols();
        let src = row_major(x);
        let mut rows = Vec::with_capacity(y.len() * (d + 1));
        for r in src.chunks_exact(d.max(1)).take(y.len()) {
            rows.extend_from_slice(&r[..d]);
            rows.push(1.0);
        }
        Ok(Problem { rows, y: y.to_vec(), p: d + 1, objective })
    }

    fn n(&self) -> usize {
        self.y.len()
    }

    /// The objective at `theta`, and its gradient into `grad` when given.
    fn loss(&self, theta: &[f64], mut grad: Option<&mut [f64]>) -> f64 {
        if let Some(g) = grad.as_deref_mut() {
            g.iter_mut().for_each(|v| *v = 0.0);
        }
        let n = self.n() as f64;
        let mut total = 0.0;
        for (r, &t) in self.rows.chunks_exact(self.p).zip(&self.y) {
            let z = dot(r, theta);
            let (l, dz) = match self.objective {
                Objective::Squared => ((z - t) * (z - t), 2.0 * (z - t)),
                Objective::Logistic { .. } => (softplus(z) - t * z, sigmoid(z) - t),
            };
            total += l;
            if let Some(g) = grad.as_deref_mut() {
                g.iter_mut().zip(r).for_each(|(gj, v)| *gj += dz * v);
            }
        }
        let mut loss = total / n;
        if let Some(g) = grad.as_deref_mut() {
            g.iter_mut().for_each(|v| *v /= n);
        }
        if let Objective::Logistic { c } = self.objective {
            // The intercept (last) is not penalised.
            let lambda = 1.0 / (c * n);
            let w = &theta[..self.p - 1];
            loss += 0.5 * lambda * w.iter().map(|v| v * v).sum::<f64>();
            if let Some(g) = grad {
                g.iter_mut().zip(w).for_each(|(gj, wj)| *gj += lambda * wj);
            }
        }
        loss
    }

    /// The exact minimum: least squares, or damped Newton steps on the logistic objective
    /// (strictly convex with the penalty, so the minimum is finite even on separable data).
    fn optimum(&self, x: &Array2<f64>) -> Result<Vec<f64>> {
        match self.objective {
            Objective::Squared => {
                let m = LinearModel::least_squares(x, &self.y, true)?;
                Ok(m.coef.iter().copied().chain([m.intercept]).collect())
            }
            Objective::Logistic { c } => Ok(self.newton(c)),
        }
    }

    fn newton(&self, c: f64) -> Vec<f64> {
        let p = self.p;
        let n = self.n() as f64;
        let lambda = 1.0 / (c * n);
        let mut theta = vec![0.0; p];
        let mut grad = vec![0.0; p];
        for _ in 0..100 {
            let loss = self.loss(&theta, Some(&mut grad));
            let mut h = vec![0.0; p * p];
            for r in self.rows.chunks_exact(p) {
                let s = sigmoid(dot(r, &theta));
                let wgt = s * (1.0 - s) / n;
                for i in 0..p {
                    for j in 0..=i {
                        h[i * p + j] += wgt * r[i] * r[j];
                    }
                }
            }
            for i in 0..p {
                for j in 0..i {
                    h[j * p + i] = h[i * p + j];
                }
                h[i * p + i] += if i + 1 < p { lambda } else { 1e-12 };
            }
            let step = solve(h, grad.clone(), p);
            let mut t = 1.0;
            let mut moved = false;
            for _ in 0..40 {
                let trial: Vec<f64> = theta.iter().zip(&step).map(|(a, s)| a - t * s).collect();
                if self.loss(&trial, None) <= loss {
                    theta = trial;
                    moved = true;
                    break;
                }
                t *= 0.5;
            }
            let size = step.iter().fold(0.0f64, |m, s| m.max((t * s).abs()));
            if !moved || size < 1e-12 {
                break;
            }
        }
        theta
    }
}

/// Solve `a x = b` (`a` is `p` x `p`, row-major) by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, p: usize) -> Vec<f64> {
    for k in 0..p {
        let piv = (k..p).max_by(|&i, &j| a[i * p + k].abs().total_cmp(&a[j * p + k].abs())).unwrap_or(k);
        if piv != k {
            for j in 0..p {
                a.swap(k * p + j, piv * p + j);
            }
            b.swap(k, piv);
        }
        let d = a[k * p + k];
        if d.abs() < 1e-300 {
            continue;
        }
        for i in k + 1..p {
            let f = a[i * p + k] / d;
            if f != 0.0 {
                for j in k..p {
                    a[i * p + j] -= f * a[k * p + j];
                }
                b[i] -= f * b[k];
            }
        }
    }
    let mut x = vec![0.0; p];
    for k in (0..p).rev() {
        let s: f64 = (k + 1..p).map(|j| a[k * p + j] * x[j]).sum();
        let d = a[k * p + k];
        x[k] = if d.abs() < 1e-300 { 0.0 } else { (b[k] - s) / d };
    }
    x
}

/// One optimiser's state for the two free parameters.
struct Optimizer {
    kind: String,
    lr: f64,
    velocity: [f64; 2],
    second: [f64; 2],
    t: i32,
}

impl Optimizer {
    fn step(&mut self, at: &mut [f64; 2], g: [f64; 2]) {
        self.t += 1;
        for i in 0..2 {
            match self.kind.as_str() {
                "momentum" => {
                    self.velocity[i] = MOMENTUM * self.velocity[i] - self.lr * g[i];
                    at[i] += self.velocity[i];
                }
                "adam" => {
                    self.velocity[i] = BETA1 * self.velocity[i] + (1.0 - BETA1) * g[i];
                    self.second[i] = BETA2 * self.second[i] + (1.0 - BETA2) * g[i] * g[i];
                    let m = self.velocity[i] / (1.0 - BETA1.powi(self.t));
                    let v = self.second[i] / (1.0 - BETA2.powi(self.t));
                    at[i] -= self.lr * m / (v.sqrt() + EPSILON);
                }
                _ => at[i] -= self.lr * g[i],
            }
        }
    }
}

/// The loss surface and the optimiser's path for rows `x` (features as the model sees
/// them) and target `y` (values, or labels 0/1 for the logistic objective).
pub fn descent_view(
    x: &Array2<f64>,
    y: &[f64],
    names: &[String],
    objective: Objective,
    spec: &DescentSpec,
) -> Result<DescentView> {
    if !OPTIMIZERS.contains(&spec.optimizer.as_str()) {
        return Err(Error::param("optimizer", &spec.optimizer, "sgd, momentum or adam"));
    }
    if !(spec.learning_rate > 0.0 && spec.learning_rate.is_finite()) {
        return Err(Error::param("learning_rate", spec.learning_rate, "a positive number"));
    }
    if x.ncols() == 0 {
        return Err(Error::Data("there are no feature columns to learn from".into()));
    }
    let problem = Problem::new(x, y, objective)?;
    let best = problem.optimum(x)?;
    let d = x.ncols();
    let name = |j: usize| names.get(j).cloned().unwrap_or_else(|| format!("feature {}", j + 1));
    // The two parameters drawn: slope and intercept, or the two largest weights.
    let (a, b) = if d == 1 {
        (0, 1)
    } else {
        let mut order: Vec<usize> = (0..d).collect();
        sort_indices(&mut order, &|i, j| best[j].abs().total_cmp(&best[i].abs()).then(i.cmp(&j)));
        (order[0], order[1])
    };
    let (axes, caption) = if d == 1 {
        (
            [format!("slope (weight of {})", name(0)), "intercept".to_string()],
            "The training loss over the slope and the intercept.".to_string(),
        )
    } else {
        (
            [format!("weight of {}", name(a)), format!("weight of {}", name(b))],
            format!(
                "The training loss over the two largest weights ({} and {}); {} held at {} fitted value{}, and only \
                 these two move along the path.",
                name(a),
                name(b),
                if d == 2 {
                    "the intercept is".to_string()
                } else {
                    format!("the other {} weights and the intercept are", d - 2)
                },
                if d == 2 { "its" } else { "their" },
                if d == 2 { "" } else { "s" },
            ),
        )
    };
    let mut theta = best.clone();
    let at = |theta: &mut Vec<f64>, p: [f64; 2]| {
        theta[a] = p[0];
        theta[b] = p[1];
    };

    // The path from zero, one full-batch step per epoch.
    let epochs = spec.epochs.min(MAX_EPOCHS);
    let mut opt =
        Optimizer { kind: spec.optimizer.clone(), lr: spec.learning_rate, velocity: [0.0; 2], second: [0.0; 2], t: 0 };
    let mut pos = [0.0, 0.0];
    at(&mut theta, pos);
    let mut grad = vec![0.0; problem.p];
    let first = problem.loss(&theta, None);
    let (mut path, mut path_loss) = (vec![pos], vec![first]);
    let (mut lowest, mut diverged_at, mut note) = (first, None, None);
    for epoch in 1..=epochs {
        at(&mut theta, pos);
        problem.loss(&theta, Some(&mut grad));
        opt.step(&mut pos, [grad[a], grad[b]]);
        at(&mut theta, pos);
        let loss = problem.loss(&theta, None);
        if explodes(loss, first, lowest) {
            if loss.is_finite() && pos.iter().all(|v| v.is_finite()) {
                path.push(pos);
                path_loss.push(loss);
            }
            diverged_at = Some(epoch);
            note = Some(divergence_note(epoch, loss, ""));
            break;
        }
        lowest = lowest.min(loss);
        path.push(pos);
        path_loss.push(loss);
    }
    at(&mut theta, [best[a], best[b]]);
    let optimum_loss = problem.loss(&theta, None);
    let tolerance = 1e-3 * optimum_loss.abs().max(1e-12);
    let converged_at = path_loss.iter().position(|&l| l - optimum_loss <= tolerance);

    // The window: the start and the minimum with a margin, widened for the path's
    // overshoots when they stay near (a run that diverged leaves through the edge).
    let opt_pt = [best[a], best[b]];
    let mut half = [0.0f64; 2];
    for i in 0..2 {
        half[i] = (1.3 * (path[0][i] - opt_pt[i]).abs()).max(0.25 * (opt_pt[i].abs() + 1.0));
    }
    let base = half;
    for p in &path {
        for i in 0..2 {
            let off = (p[i] - opt_pt[i]).abs();
            if off <= 3.0 * base[i] {
                half[i] = half[i].max(1.1 * off);
            }
        }
    }
    let x_range = [opt_pt[0] - half[0], opt_pt[0] + half[0]];
    let y_range = [opt_pt[1] - half[1], opt_pt[1] + half[1]];
    let n = spec.grid.clamp(10, 150);
    let surface = surface(&problem, &theta, (a, b), x_range, y_range, n);
    let loss_name = match objective {
        Objective::Squared => "mean squared error".to_string(),
        Objective::Logistic { c } => format!("log-loss + |w|²/(2·C·n), C = {c}"),
    };
    let optimum_label = match objective {
        Objective::Squared => "least-squares solution",
        Objective::Logistic { .. } => "minimum",
    };
    Ok(DescentView {
        axes,
        caption,
        loss_name,
        grid: n,
        x_range,
        y_range,
        surface,
        path,
        path_loss,
        optimum: opt_pt,
        optimum_loss,
        optimum_label: optimum_label.into(),
        converged_at,
        diverged_at,
        note,
    })
}

/// The loss over an `n` x `n` grid of the free parameters `(a, b)`, the rest as in `theta`.
fn surface(problem: &Problem, theta: &[f64], (a, b): (usize, usize), xr: [f64; 2], yr: [f64; 2], n: usize) -> Vec<f64> {
    let cell = |r: [f64; 2], k: usize| r[0] + (r[1] - r[0]) * k as f64 / (n - 1) as f64;
    // Per row: the score without the two free parameters, and their two inputs.
    let mut base = theta.to_vec();
    base[a] = 0.0;
    base[b] = 0.0;
    let rows = problem.n();
    let every = rows.div_ceil(SURFACE_ROWS).max(1);
    let parts: Vec<(f64, f64, f64, f64)> = problem
        .rows
        .chunks_exact(problem.p)
        .zip(&problem.y)
        .step_by(every)
        .map(|(r, &t)| (dot(r, &base), r[a], r[b], t))
        .collect();
    let m = parts.len() as f64;
    let mut out = Vec::with_capacity(n * n);
    match problem.objective {
        Objective::Squared => {
            // Exact and cheap: the mean of (r + u a + v b)^2 from six sums.
            let (mut srr, mut sra, mut srb, mut saa, mut sab, mut sbb) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
            for &(z, xa, xb, t) in &parts {
                let r = z - t;
                srr += r * r;
                sra += r * xa;
                srb += r * xb;
                saa += xa * xa;
                sab += xa * xb;
                sbb += xb * xb;
            }
            for j in 0..n {
                let v = cell(yr, j);
                for i in 0..n {
                    let u = cell(xr, i);
                    let s = srr + 2.0 * u * sra + 2.0 * v * srb + u * u * saa + 2.0 * u * v * sab + v * v * sbb;
                    out.push((s / m).max(0.0));
                }
            }
        }
        Objective::Logistic { c } => {
            let lambda = 1.0 / (c * rows as f64);
            let fixed: f64 =
                theta[..problem.p - 1].iter().enumerate().filter(|(j, _)| *j != a && *j != b).map(|(_, w)| w * w).sum();
            let intercept = problem.p - 1;
            for j in 0..n {
                let v = cell(yr, j);
                for i in 0..n {
                    let u = cell(xr, i);
                    let s: f64 = parts
                        .iter()
                        .map(|&(z, xa, xb, t)| {
                            let z = z + u * xa + v * xb;
                            softplus(z) - t * z
                        })
                        .sum();
                    let sq =
                        fixed + if a != intercept { u * u } else { 0.0 } + if b != intercept { v * v } else { 0.0 };
                    out.push(s / m + 0.5 * lambda * sq);
                }
            }
        }
    }
    out
}
