//! t-SNE (t-distributed stochastic neighbour embedding) as scikit-learn's TSNE: rows that
//! are near each other in the data are pulled together in 2-D, the rest pushed apart.
//!
//! Each row's neighbours get probabilities from a Gaussian whose width is found by binary
//! search so that its perplexity (an effective number of neighbours) is `perplexity`;
//! the layout minimises the KL divergence to Student-t similarities in 2-D by gradient
//! descent with momentum and per-coordinate gains, the first 250 iterations with the
//! probabilities exaggerated (clusters form) and momentum 0.5, then 0.8. "barnes_hut"
//! looks at the 3 * perplexity nearest neighbours only and approximates the repulsion
//! with a quadtree (`tsne_bh`); "fft" looks at the same neighbours and interpolates the
//! repulsion on a grid, convolved by FFT (`tsne_fft`, as openTSNE's default for large
//! data), O(n) per iteration; "auto" (the default) is barnes_hut below `FFT_MIN_ROWS` rows
//! and fft from there; "exact" uses every pair (O(n^2) memory and time).
//!
//! Differences from scikit-learn: all in f64; `kl_divergence` is computed every
//! `KL_EVERY` iterations (and at the last) and is always against the true (not
//! exaggerated) probabilities; for barnes_hut and fft it is exact over the neighbour pairs
//! with the normalisation sum approximated (by the quadtree, as scikit-learn's, or the grid). `pca_components`
//! (not in scikit-learn) first reduces wide data by PCA.
//!
//! barnes_hut and fft find the neighbours and calibrate their probabilities in the first `step`
//! calls, in pieces (`phase` says which and how far), so the page shows progress on large
//! data instead of a frozen bar, and a wasm engine runs each piece as optimised code (V8
//! swaps it in between calls, never during one).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::common::{check_input, pca_project, KnnJob};
use super::phase_times::PhaseTimes;
use super::tsne_affinity::{calibrate_row, dense_affinity, setup_share, symmetrised, Affinity, Stage, CALIBRATE_ROWS};
use super::tsne_bh::QuadTree;
use super::tsne_fft::FftRepulsion;
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{check_choice, check_float, check_int, Domain, ParamInfo};
use crate::metrics::Metrics;
use crate::unsupervised::Unsupervised;

/// Iterations with exaggerated probabilities and the low momentum.
pub const EXPLORATION_ITER: usize = 250;
/// How often the KL divergence is evaluated (it costs a logarithm per pair).
pub const KL_EVERY: usize = 10;
/// Stop when the KL divergence has not improved over this many iterations (after exploration).
const ITER_WITHOUT_PROGRESS: usize = 300;
const CHECK_EVERY: usize = 50;
const MIN_GRAD_NORM: f64 = 1e-7;
const MIN_GAIN: f64 = 0.01;
/// "exact" keeps an n x n matrix: beyond this many rows it would not fit a browser tab.
pub const EXACT_MAX_ROWS: usize = 5000;
/// From this many rows "auto" interpolates the repulsion by FFT: the FFT's grid has at least
/// 300^2 cells however few the rows, so it pays only on many rows. Measured natively, one
/// thread (`node bench/embed_crossover.mjs`, 2026-12-06, after the transforms on split
/// planes): fft took 1.00x Barnes-Hut's CPU time at 10,000 rows and 0.83x at 20,000
/// (before them: 1.47x, 1.01x, and 0.86x at 50,000); between the two.
pub const FFT_MIN_ROWS: usize = 15000;

/// Memory of fft's grids on `n` rows, for a layout about sqrt(n) wide (a 70,000-row
/// layout spans about 100 to 250 units).
pub fn fft_grid_bytes(n: usize) -> u64 {
    super::tsne_fft::grid_bytes((n as f64).sqrt())
}

/// The method "auto" stands for on `n` rows (other methods stand for themselves).
pub fn method_for(method: &str, n: usize) -> &str {
    match method {
        "auto" if n >= FFT_MIN_ROWS => "fft",
        "auto" => "barnes_hut",
        m => m,
    }
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TsneParams {
    pub perplexity: f64,
    /// 0 means "auto": max(n / early_exaggeration / 4, 50), as scikit-learn.
    pub learning_rate: f64,
    pub early_exaggeration: f64,
    pub max_iter: u32,
    /// "auto", "barnes_hut", "fft" or "exact".
    pub method: String,
    pub angle: f64,
    /// "pca" or "random".
    pub init: String,
    /// Reduce to this many principal components first when there are more columns; 0 = never.
    pub pca_components: u32,
}

impl Default for TsneParams {
    fn default() -> Self {
        TsneParams {
            perplexity: 30.0,
            learning_rate: 0.0,
            early_exaggeration: 12.0,
            max_iter: 1000,
            method: "auto".into(),
            angle: 0.5,
            init: "pca".into(),
            pca_components: 50,
        }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo::new("perplexity", Domain::Float { min: 1.0, max: 200.0, log: true, min_exclusive: false }, "Roughly how many neighbours each point tries to stay close to. Small values show fine local groups; large values keep more of the overall shape. Must be less than the number of rows.", false),
        ParamInfo::new("learning_rate", Domain::Float { min: 0.0, max: 10000.0, log: false, min_exclusive: false }, "Step size of the gradient descent; 0 means automatic (rows / early_exaggeration / 4, at least 50). Too small and points stay bunched; too large and the picture scatters into a ball.", true),
        ParamInfo::new("early_exaggeration", Domain::Float { min: 1.0, max: 100.0, log: false, min_exclusive: false }, "During the first 250 iterations, neighbours attract this many times more strongly, so clusters form and separate early.", true),
        ParamInfo::new("max_iter", Domain::Int { min: EXPLORATION_ITER as i64, max: 10000 }, "How many gradient-descent iterations at most (it stops earlier when the layout stops improving).", false),
        ParamInfo::new("method", Domain::Choice { options: &["auto", "barnes_hut", "fft", "exact"] }, "How the pushes between all pairs of points are computed. barnes_hut groups far points together (fast for many rows). fft spreads the points over a grid and sums the pushes with a fast Fourier transform (fastest for very many rows). auto: barnes_hut below 15,000 rows, fft from there. exact compares every pair of rows, slow beyond a few thousand.", true),
        ParamInfo::new("angle", Domain::Float { min: 0.0, max: 1.0, log: false, min_exclusive: false }, "For barnes_hut: how small a far group must look to be treated as one point. Larger is faster but rougher; 0 is exact.", true),
        ParamInfo::new("init", Domain::Choice { options: &["pca", "random"] }, "Starting layout: pca starts from the two main directions of the data (keeps the global shape better); random starts from a tiny random cloud.", true),
        ParamInfo::new("pca_components", Domain::Int { min: 0, max: 1000 }, "When the data has more columns than this, first compress it to this many with PCA (faster, less noise). 0 never compresses.", true),
    ]
}

impl TsneParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_float(&p, "perplexity", self.perplexity)?;
        check_float(&p, "learning_rate", self.learning_rate)?;
        check_float(&p, "early_exaggeration", self.early_exaggeration)?;
        check_int(&p, "max_iter", self.max_iter as i64)?;
        check_choice(&p, "method", &self.method)?;
        check_float(&p, "angle", self.angle)?;
        check_choice(&p, "init", &self.init)?;
        check_int(&p, "pca_components", self.pca_components as i64)
    }
}

pub struct Tsne {
    n: usize,
    /// Neighbours per row (barnes_hut) and the target perplexity.
    k: usize,
    perplexity: f64,
    stage: Stage,
    /// Share of the progress bar the set-up takes (a rough estimate of its cost).
    setup_share: f64,
    /// Layout, n x 2 row-major.
    y: Vec<f64>,
    update: Vec<f64>,
    gains: Vec<f64>,
    grad: Vec<f64>,
    p: Affinity,
    exaggeration: f64,
    learning_rate: f64,
    theta2: f64,
    max_iter: usize,
    done: usize,
    total: usize,
    kl: Option<f64>,
    best_error: f64,
    best_iter: usize,
    repulsion: Repulsion,
    /// Repulsion per point, reused across steps.
    neg: Vec<f64>,
    times: PhaseTimes,
}

impl Tsne {
    /// Calibrates the probabilities and places the starting layout; `step` then iterates.
    pub fn new(params: &TsneParams, x: &Array2<f64>, seed: u32) -> Result<Tsne> {
        params.validate()?;
        check_input(x, "t-SNE")?;
        let n = x.nrows();
        if params.perplexity >= n as f64 {
            return Err(Error::param("perplexity", params.perplexity, &format!("less than the number of rows ({n})")));
        }
        let exact = params.method == "exact";
        if exact && n > EXACT_MAX_ROWS {
            return Err(Error::param(
                "method",
                "exact",
                &format!("barnes_hut for more than {EXACT_MAX_ROWS} rows (this data has {n})"),
            ));
        }
        let reduced = (params.pca_components > 0 && x.ncols() > params.pca_components as usize)
            .then(|| pca_project(x, params.pca_components as usize));
        let xr = reduced.as_ref().unwrap_or(x);
        let (k, d) = ((n - 1).min((3.0 * params.perplexity + 1.0) as usize), xr.ncols());
        let (p, stage) = if exact {
            (dense_affinity(xr, params.perplexity), Stage::Ready)
        } else {
            let job = KnnJob::new(xr, k);
            (
                Affinity::Sparse { indptr: vec![0; n + 1], indices: vec![], values: vec![] },
                Stage::Neighbours { job, reduced },
            )
        };
        let setup_share = setup_share(&stage, n, d, k, params.max_iter as usize);
        let y = initial_layout(x, &params.init, seed);
        let learning_rate = if params.learning_rate > 0.0 {
            params.learning_rate
        } else {
            (n as f64 / params.early_exaggeration / 4.0).max(50.0)
        };
        Ok(Tsne {
            n,
            k,
            perplexity: params.perplexity,
            stage,
            setup_share,
            update: vec![0.0; 2 * n],
            gains: vec![1.0; 2 * n],
            grad: vec![0.0; 2 * n],
            y,
            p,
            exaggeration: params.early_exaggeration,
            learning_rate,
            theta2: params.angle * params.angle,
            max_iter: params.max_iter as usize,
            done: 0,
            total: params.max_iter as usize,
            kl: None,
            best_error: f64::INFINITY,
            best_iter: 0,
            repulsion: if method_for(&params.method, n) == "fft" {
                Repulsion::Fft(Box::default())
            } else {
                Repulsion::Tree(QuadTree::default())
            },
            neg: vec![0.0; 2 * n],
            times: PhaseTimes::new("t-SNE gradient"),
        })
    }

    /// One piece of the sparse methods' set-up.
    fn advance_setup(&mut self, x: &Array2<f64>) {
        let (n, k) = (self.n, self.k);
        match std::mem::replace(&mut self.stage, Stage::Ready) {
            Stage::Neighbours { mut job, reduced } => {
                if job.advance(reduced.as_ref().unwrap_or(x)) {
                    let (idx, d2) = job.finish();
                    self.stage = Stage::Calibrate { idx, d2, cond: vec![0.0; n * k], at: 0 };
                } else {
                    self.stage = Stage::Neighbours { job, reduced };
                }
            }
            Stage::Calibrate { idx, d2, mut cond, at } => {
                // Each row's search is its own: rows by pieces over the threads.
                let end = n.min(at + CALIBRATE_ROWS);
                let perplexity = self.perplexity;
                crate::base::par::map_chunks_mut(&mut cond[at * k..end * k], 64 * k, |first, rows| {
                    for (r, out) in rows.chunks_exact_mut(k).enumerate() {
                        let i = at + first / k + r;
                        calibrate_row(&d2[i * k..(i + 1) * k], perplexity, out);
                    }
                });
                if end < n {
                    self.stage = Stage::Calibrate { idx, d2, cond, at: end };
                } else {
                    self.p = symmetrised(n, k, &idx, &cond);
                }
            }
            Stage::Ready => {}
        }
    }

    /// The step size in use (the "auto" value resolved).
    pub fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    /// The KL divergence of the current layout (cost as a gradient evaluation; 0 before
    /// the set-up is done).
    pub fn kl_divergence(&mut self) -> f64 {
        let mut grad = std::mem::take(&mut self.grad);
        let kl = self.gradient(1.0, true, &mut grad);
        self.grad = grad;
        kl.expect("asked for")
    }

    /// Fills `grad` with the gradient of KL(P * exaggeration || Q); returns KL(P || Q) when asked.
    fn gradient(&mut self, exaggeration: f64, want_error: bool, grad: &mut [f64]) -> Option<f64> {
        let n = self.n;
        let y = &self.y;
        match &self.p {
            Affinity::Sparse { indptr, indices, values } => {
                // Points by pieces over the threads; the pieces' sums add up in order.
                const PIECE: usize = 512;
                self.times.start();
                let sum_q = match &mut self.repulsion {
                    Repulsion::Fft(fft) => fft.repulsion(y, &mut self.neg),
                    Repulsion::Tree(tree) => {
                        tree.build(y);
                        let (tree, theta2) = (&*tree, self.theta2);
                        let sums = crate::base::par::map_chunks_mut(&mut self.neg, 2 * PIECE, |first, neg| {
                            let (mut sum_q, mut stack) = (0.0, Vec::new());
                            for (i, f) in (first / 2..).zip(neg.chunks_exact_mut(2)) {
                                let mut force = [0.0; 2];
                                sum_q += tree.repulsion(y, i, theta2, &mut force, &mut stack);
                                f.copy_from_slice(&force);
                            }
                            sum_q
                        });
                        sums.iter().sum()
                    }
                };
                self.times.lap("repulsion");
                let neg = &self.neg;
                let kls = crate::base::par::map_chunks_mut(&mut grad[..2 * n], 2 * PIECE, |first, grad| {
                    let mut kl = 0.0;
                    for (i, g) in (first / 2..).zip(grad.chunks_exact_mut(2)) {
                        let (yi0, yi1) = (y[2 * i], y[2 * i + 1]);
                        let (mut f0, mut f1) = (0.0, 0.0);
                        for k in indptr[i]..indptr[i + 1] {
                            let j = indices[k];
                            let (d0, d1) = (yi0 - y[2 * j], yi1 - y[2 * j + 1]);
                            let q = 1.0 / (1.0 + d0 * d0 + d1 * d1);
                            let pq = values[k] * exaggeration * q;
                            f0 += pq * d0;
                            f1 += pq * d1;
                            if want_error {
                                kl += values[k]
                                    * libm::log(values[k].max(f64::MIN_POSITIVE) / (q / sum_q).max(f64::MIN_POSITIVE));
                            }
                        }
                        g[0] = 4.0 * (f0 - neg[2 * i] / sum_q);
                        g[1] = 4.0 * (f1 - neg[2 * i + 1] / sum_q);
                    }
                    kl
                });
                self.times.lap("attraction");
                want_error.then(|| kls.iter().sum())
            }
            Affinity::Dense(p) => {
                let mut z = 0.0;
                for i in 0..n {
                    for j in i + 1..n {
                        let (d0, d1) = (y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
                        z += 1.0 / (1.0 + d0 * d0 + d1 * d1);
                    }
                }
                z *= 2.0;
                grad.iter_mut().for_each(|g| *g = 0.0);
                let mut kl = 0.0;
                for i in 0..n {
                    let row = &p[i * n..(i + 1) * n];
                    let (mut g0, mut g1) = (0.0, 0.0);
                    for j in i + 1..n {
                        let (d0, d1) = (y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
                        let q = 1.0 / (1.0 + d0 * d0 + d1 * d1);
                        let f = (row[j] * exaggeration - q / z) * q;
                        g0 += f * d0;
                        g1 += f * d1;
                        grad[2 * j] -= 4.0 * f * d0;
                        grad[2 * j + 1] -= 4.0 * f * d1;
                        if want_error && row[j] > 0.0 {
                            kl += 2.0 * row[j] * libm::log(row[j] / (q / z).max(f64::MIN_POSITIVE));
                        }
                    }
                    grad[2 * i] += 4.0 * g0;
                    grad[2 * i + 1] += 4.0 * g1;
                }
                want_error.then_some(kl)
            }
        }
    }
}

impl Unsupervised for Tsne {
    fn objective(&self) -> Option<&'static str> {
        Some("kl_divergence")
    }

    fn step(&mut self, x: &Array2<f64>) -> Result<()> {
        if x.nrows() != self.n {
            return Err(Error::Data(format!("t-SNE was set up for {} rows, got {}", self.n, x.nrows())));
        }
        if !matches!(self.stage, Stage::Ready) {
            self.advance_setup(x);
            return Ok(());
        }
        if self.is_done() {
            return Ok(());
        }
        let it = self.done;
        if it == EXPLORATION_ITER {
            // scikit-learn runs the second stage as a fresh descent: momentum and gains restart.
            self.update.iter_mut().for_each(|u| *u = 0.0);
            self.gains.iter_mut().for_each(|g| *g = 1.0);
            self.best_error = f64::INFINITY;
            self.best_iter = it;
        }
        let exploring = it < EXPLORATION_ITER;
        let (exaggeration, momentum) = if exploring { (self.exaggeration, 0.5) } else { (1.0, 0.8) };
        let check = !exploring && (it + 1) % CHECK_EVERY == 0;
        let want_error = (it + 1) % KL_EVERY == 0 || it + 1 == self.max_iter || check;
        let mut grad = std::mem::take(&mut self.grad);
        let error = self.gradient(exaggeration, want_error, &mut grad);
        let mut norm2 = 0.0;
        for (((&g, gain), u), y) in grad.iter().zip(&mut self.gains).zip(&mut self.update).zip(&mut self.y) {
            *gain = if *u * g < 0.0 { *gain + 0.2 } else { *gain * 0.8 }.max(MIN_GAIN);
            let g = g * *gain;
            norm2 += g * g;
            *u = momentum * *u - self.learning_rate * g;
            *y += *u;
        }
        self.grad = grad;
        if let Some(e) = error {
            if !e.is_finite() {
                return Err(Error::Training(format!(
                    "t-SNE diverged at iteration {}; try a smaller learning_rate",
                    it + 1
                )));
            }
            self.kl = Some(e);
        }
        self.done += 1;
        if check {
            let e = error.expect("computed on checks");
            if e < self.best_error {
                self.best_error = e;
                self.best_iter = it;
            } else if it - self.best_iter > ITER_WITHOUT_PROGRESS {
                self.total = self.done;
            }
            if norm2.sqrt() <= MIN_GRAD_NORM {
                self.total = self.done;
            }
        }
        Ok(())
    }

    fn steps_done(&self) -> usize {
        self.done
    }

    fn steps_total(&self) -> usize {
        self.total
    }

    fn phase(&self) -> Option<(&'static str, f64)> {
        match &self.stage {
            Stage::Neighbours { job, .. } => Some(("finding nearest neighbours", job.fraction())),
            Stage::Calibrate { at, .. } => Some(("calibrating perplexity", *at as f64 / self.n as f64)),
            Stage::Ready => None,
        }
    }

    fn progress(&self) -> f64 {
        let s = self.setup_share;
        match &self.stage {
            Stage::Neighbours { job, .. } => s * 0.8 * job.fraction(),
            Stage::Calibrate { at, .. } => s * (0.8 + 0.2 * *at as f64 / self.n as f64),
            Stage::Ready => s + (1.0 - s) * self.done as f64 / self.total.max(1) as f64,
        }
    }

    fn embedding(&self) -> Option<Array2<f64>> {
        Some(Array2::from_shape_vec((self.n, 2), self.y.clone()).expect("n x 2"))
    }

    /// `kl_divergence` as of the last iteration that evaluated it (every `KL_EVERY`).
    fn metrics(&self) -> Metrics {
        let mut m = Metrics::new();
        if let Some(kl) = self.kl {
            m.insert("kl_divergence".into(), kl);
        }
        m
    }
}

/// How the repulsion over all pairs is approximated (the sparse methods).
enum Repulsion {
    Tree(QuadTree),
    Fft(Box<FftRepulsion>),
}

/// Starting layout with standard deviation 1e-4, as scikit-learn (PCA scaled, or Gaussian).
fn initial_layout(x: &Array2<f64>, init: &str, seed: u32) -> Vec<f64> {
    let n = x.nrows();
    if init == "pca" {
        let pc = pca_project(x, 2);
        let mean = pc.column(0).sum() / n as f64;
        let sd = (pc.column(0).iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64).sqrt();
        if pc.ncols() == 2 && sd > 0.0 {
            return pc.iter().map(|v| v / sd * 1e-4).collect();
        }
    }
    let mut rng = Rng::derive(seed as u64, 0x75e);
    (0..2 * n).map(|_| 1e-4 * rng.normal()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_affinity_is_symmetric_and_sums_to_one() {
        let mut rng = Rng::new(1);
        let x = Array2::from_shape_fn((60, 3), |_| rng.normal());
        let params = TsneParams { perplexity: 5.0, method: "barnes_hut".into(), ..TsneParams::default() };
        let mut m = Tsne::new(&params, &x, 0).unwrap();
        while m.phase().is_some() {
            m.step(&x).unwrap();
        }
        assert_eq!(m.steps_done(), 0, "set-up pieces are not iterations");
        let Affinity::Sparse { indptr, indices, values } = &m.p else { panic!() };
        assert!((values.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let get = |i: usize, j: usize| (indptr[i]..indptr[i + 1]).find(|&k| indices[k] == j).map(|k| values[k]);
        for i in 0..60 {
            for k in indptr[i]..indptr[i + 1] {
                assert_eq!(get(indices[k], i), Some(values[k]));
            }
        }
    }

    #[test]
    fn fft_gradient_matches_the_exact_gradient() {
        // Four clusters in 5-D, laid out for 300 iterations by fft; then the gradient at that
        // layout by fft and with the repulsion summed over every pair (the quadtree at angle 0).
        let mut rng = Rng::new(2);
        let x = Array2::from_shape_fn((600, 5), |(i, _)| rng.normal() + 4.0 * (i % 4) as f64);
        let params = TsneParams { perplexity: 10.0, method: "fft".into(), max_iter: 300, ..TsneParams::default() };
        let mut m = Tsne::new(&params, &x, 0).unwrap();
        assert!(matches!(m.repulsion, Repulsion::Fft(_)));
        while !m.is_done() {
            m.step(&x).unwrap();
        }
        let grad = |m: &mut Tsne, repulsion: Repulsion, angle: f64| {
            (m.repulsion, m.theta2) = (repulsion, angle * angle);
            let mut g = vec![0.0; 2 * m.n];
            let kl = m.gradient(1.0, true, &mut g).unwrap();
            (g, kl)
        };
        let (fft, kl_fft) = grad(&mut m, Repulsion::Fft(Box::default()), 0.0);
        let (bh, _) = grad(&mut m, Repulsion::Tree(QuadTree::default()), 0.5);
        let (exact, kl_exact) = grad(&mut m, Repulsion::Tree(QuadTree::default()), 0.0);
        let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|a| a * a).sum::<f64>().sqrt();
        let off = |g: &[f64]| norm(&mut g.iter().zip(&exact).map(|(a, b)| a - b)) / norm(&mut exact.iter().copied());
        let side = m.y.chunks_exact(2).fold(0.0f64, |a, p| a.max(p[0].abs()).max(p[1].abs()));
        println!(
            "half-width {side:.1}: gradient off by {:.2e} (barnes_hut: {:.2e}), KL {kl_fft} vs {kl_exact}",
            off(&fft),
            off(&bh)
        );
        // Both about equally far (fft with openTSNE's boxes: 6.8e-2, barnes_hut 7.0e-2).
        assert!(off(&fft) < 1e-1 && off(&fft) < 1.25 * off(&bh), "{} vs barnes_hut {}", off(&fft), off(&bh));
        // The KL is off by the log of the normalisation's ratio (here about 2.5e-3).
        assert!((kl_fft - kl_exact).abs() < 5e-3, "{kl_fft} vs {kl_exact}");
    }

    #[test]
    fn auto_switches_at_the_stated_size() {
        assert_eq!(method_for("auto", FFT_MIN_ROWS - 1), "barnes_hut");
        assert_eq!(method_for("auto", FFT_MIN_ROWS), "fft");
        assert_eq!(method_for("barnes_hut", 10 * FFT_MIN_ROWS), "barnes_hut");
        let help = param_info().into_iter().find(|p| p.name == "method").unwrap().help;
        let stated = FFT_MIN_ROWS.to_string();
        let stated = format!("{},{}", &stated[..stated.len() - 3], &stated[stated.len() - 3..]);
        assert!(help.contains(&format!("barnes_hut below {stated} rows")), "{help}");
    }
}
