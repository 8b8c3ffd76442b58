//! UMAP (uniform manifold approximation and projection) as umap-learn: a weighted graph
//! of each row's nearest neighbours, then a 2-D layout found by stochastic gradient
//! descent that pulls graph neighbours together and pushes random other rows apart.
//!
//! As umap-learn 0.5: neighbour distances are made relative to each row's nearest one
//! (rho) and scaled (sigma, binary search so the weights sum to log2(n_neighbors)); the
//! graph is the fuzzy union A + A^T - A*A^T, edges below max / n_epochs dropped; every
//! edge is sampled once per `epochs_per_sample` epochs with `negative_sample_rate`
//! repulsions, the rate falling linearly; the curve 1 / (1 + a d^(2b)) is fitted to
//! `min_dist`/`spread` by least squares. Differences: neighbours are exact (kd-tree up to 8
//! columns, else an O(n^2) scan up to 8,000 rows, NN-descent beyond), f64 throughout, the
//! spectral start is by Chebyshev-filtered subspace iteration (`spectral`), falling back
//! to PCA when the graph is not connected (umap-learn lays components out separately);
//! the power in the forces is a polynomial one (`fastpow`, same bits native and wasm), and
//! all forces of one edge sample are taken at its starting position (umap-learn moves the
//! point between them), so its negative samples go two at a time (`pow_pos2`, wasm SIMD).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::common::{check_input, knn_graph, pca_project};
use super::fastpow::{pow_pos, pow_pos2};
use super::spectral;
use crate::error::{Error, Result};
use crate::models::params::{check_choice, check_float, check_int, Domain, ParamInfo};
use crate::rng::Rng;
use crate::unsupervised::Unsupervised;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UmapParams {
    pub n_neighbors: u32,
    pub min_dist: f64,
    pub spread: f64,
    /// 0 means automatic: 500 epochs up to 10,000 rows, 200 beyond, as umap-learn.
    pub n_epochs: u32,
    pub learning_rate: f64,
    pub negative_sample_rate: u32,
    /// "spectral", "pca" or "random".
    pub init: String,
}

impl Default for UmapParams {
    fn default() -> Self {
        UmapParams {
            n_neighbors: 15,
            min_dist: 0.1,
            spread: 1.0,
            n_epochs: 0,
            learning_rate: 1.0,
            negative_sample_rate: 5,
            init: "spectral".into(),
        }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo {
            name: "n_neighbors",
            domain: Domain::Int { min: 2, max: 200 },
            default: 15.into(),
            help: "How many nearest rows (counting the row itself) each row is connected to. Few neighbours show fine local detail; many show the larger structure.",
            advanced: false,
        },
        ParamInfo {
            name: "min_dist",
            domain: Domain::Float { min: 0.0, max: 10.0, log: false, min_exclusive: false },
            default: 0.1.into(),
            help: "How tightly points may pack together in the picture. Small values give dense clumps; larger values spread each cluster out. At most spread.",
            advanced: false,
        },
        ParamInfo {
            name: "spread",
            domain: Domain::Float { min: 0.01, max: 10.0, log: true, min_exclusive: false },
            default: 1.0.into(),
            help: "The overall scale of the picture, together with min_dist: how far apart embedded points count as unrelated.",
            advanced: true,
        },
        ParamInfo {
            name: "n_epochs",
            domain: Domain::Int { min: 0, max: 5000 },
            default: 0.into(),
            help: "How many passes over the graph's edges. 0 means automatic: 500 for up to 10,000 rows, 200 for more.",
            advanced: true,
        },
        ParamInfo {
            name: "learning_rate",
            domain: Domain::Float { min: 0.0, max: 100.0, log: false, min_exclusive: true },
            default: 1.0.into(),
            help: "Step size at the first epoch; it shrinks to zero by the last.",
            advanced: true,
        },
        ParamInfo {
            name: "negative_sample_rate",
            domain: Domain::Int { min: 1, max: 100 },
            default: 5.into(),
            help: "How many random rows each point is pushed away from per pull towards a neighbour. More separates clusters better but is slower.",
            advanced: true,
        },
        ParamInfo {
            name: "init",
            domain: Domain::Choice { options: &["spectral", "pca", "random"] },
            default: "spectral".into(),
            help: "Starting layout: spectral uses the graph's own shape (usually best), pca the two main directions of the data, random a random square.",
            advanced: true,
        },
    ]
}

impl UmapParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int(&p, "n_neighbors", self.n_neighbors as i64)?;
        check_float(&p, "min_dist", self.min_dist)?;
        check_float(&p, "spread", self.spread)?;
        if self.min_dist > self.spread {
            return Err(Error::param("min_dist", self.min_dist, &format!("at most spread ({})", self.spread)));
        }
        check_int(&p, "n_epochs", self.n_epochs as i64)?;
        check_float(&p, "learning_rate", self.learning_rate)?;
        check_int(&p, "negative_sample_rate", self.negative_sample_rate as i64)?;
        check_choice(&p, "init", &self.init)
    }
}

pub struct Umap {
    n: usize,
    /// Layout, n x 2 row-major.
    y: Vec<f64>,
    head: Vec<u32>,
    tail: Vec<u32>,
    epochs_per_sample: Vec<f64>,
    next_sample: Vec<f64>,
    epochs_per_negative: Vec<f64>,
    next_negative: Vec<f64>,
    a: f64,
    b: f64,
    learning_rate: f64,
    n_epochs: usize,
    epoch: usize,
    /// State of the negative-sample generator (seeded from the run's `Rng`).
    neg_state: u64,
    /// The start actually used (spectral falls back to pca on a disconnected graph).
    init_used: &'static str,
}

impl Umap {
    /// Builds the neighbour graph and the starting layout; `step` then runs the epochs.
    pub fn new(params: &UmapParams, x: &Array2<f64>, seed: u32) -> Result<Umap> {
        params.validate()?;
        check_input(x, "UMAP")?;
        let n = x.nrows();
        let k = params.n_neighbors as usize;
        if k >= n {
            return Err(Error::param("n_neighbors", k, &format!("less than the number of rows ({n})")));
        }
        let n_epochs = if params.n_epochs > 0 { params.n_epochs as usize } else if n <= 10_000 { 500 } else { 200 };
        let default_epochs = if n <= 10_000 { 500 } else { 200 };
        let (indptr, indices, mut weights) = fuzzy_graph(x, k);
        // Edges too weak to be sampled even once are dropped.
        let wmax = weights.iter().cloned().fold(0.0, f64::max);
        let cut = wmax / (if n_epochs > 10 { n_epochs } else { default_epochs }) as f64;
        weights.iter_mut().for_each(|w| {
            if *w < cut {
                *w = 0.0
            }
        });
        let mut rng = Rng::derive(seed as u64, 0x0a9);
        let (y, init_used) = initial_layout(x, &params.init, &indptr, &indices, &weights, seed, &mut rng);
        let (mut head, mut tail, mut eps) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..n {
            for t in indptr[i]..indptr[i + 1] {
                if weights[t] > 0.0 {
                    head.push(i as u32);
                    tail.push(indices[t] as u32);
                    eps.push(wmax / weights[t]);
                }
            }
        }
        let rate = params.negative_sample_rate as f64;
        let epochs_per_negative: Vec<f64> = eps.iter().map(|e| e / rate).collect();
        let (a, b) = find_ab_params(params.spread, params.min_dist);
        Ok(Umap {
            n,
            y,
            head,
            tail,
            next_sample: eps.clone(),
            epochs_per_sample: eps,
            next_negative: epochs_per_negative.clone(),
            epochs_per_negative,
            a,
            b,
            learning_rate: params.learning_rate,
            n_epochs,
            epoch: 0,
            neg_state: rng.next_u64(),
            init_used,
        })
    }

    /// The fitted curve parameters (umap-learn's `_a`, `_b`).
    pub fn ab(&self) -> (f64, f64) {
        (self.a, self.b)
    }

    pub fn init_used(&self) -> &'static str {
        self.init_used
    }

    pub fn n_edges(&self) -> usize {
        self.head.len()
    }
}

/// A uniform row in [0, n) for negative sampling: splitmix64 and a multiply-shift range
/// reduction (bias below n / 2^32, irrelevant here), much cheaper than ChaCha in wasm.
#[inline]
fn below(state: &mut u64, n: u64) -> usize {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (((z >> 32) * n) >> 32) as usize
}

#[inline]
fn clip(v: f64) -> f64 {
    v.clamp(-4.0, 4.0)
}

impl Unsupervised for Umap {
    fn step(&mut self, x: &Array2<f64>) -> Result<()> {
        if x.nrows() != self.n {
            return Err(Error::Data(format!("UMAP was set up for {} rows, got {}", self.n, x.nrows())));
        }
        if self.is_done() {
            return Ok(());
        }
        let epoch = self.epoch;
        let fepoch = epoch as f64;
        // umap-learn lowers the rate after each epoch from the epoch's own index.
        let alpha = self.learning_rate * (1.0 - epoch.saturating_sub(1) as f64 / self.n_epochs as f64);
        let (a, b) = (self.a, self.b);
        let (two_ab, two_b) = (2.0 * a * b, 2.0 * b);
        let y = &mut self.y[..2 * self.n];
        let n = self.n as u64;
        let mut state = self.neg_state;
        let (head, tail) = (&self.head[..], &self.tail[..]);
        let (eps, next) = (&self.epochs_per_sample[..head.len()], &mut self.next_sample[..head.len()]);
        let (epn, next_neg) = (&self.epochs_per_negative[..head.len()], &mut self.next_negative[..head.len()]);
        for e in 0..head.len() {
            if next[e] > fepoch {
                continue;
            }
            let (j, k) = (head[e] as usize, tail[e] as usize);
            // Every force of this sample is taken at j's position before the sample, so the
            // negative samples do not wait on one another (a chain of ~40 dependent
            // operations each otherwise); umap-learn moves j between them, a change of
            // order alpha^2 in a step.
            let (yj0, yj1) = (y[2 * j], y[2 * j + 1]);
            let (dx, dy) = (yj0 - y[2 * k], yj1 - y[2 * k + 1]);
            let d2 = dx * dx + dy * dy;
            // Attraction -2ab d^(2(b-1)) / (1 + a d^2b), with d^(2(b-1)) = d^2b / d^2.
            let coeff = if d2 > 0.0 {
                let pb = pow_pos(d2, b);
                -two_ab * pb / (d2 * (a * pb + 1.0))
            } else {
                0.0
            };
            let (g0, g1) = (clip(coeff * dx) * alpha, clip(coeff * dy) * alpha);
            y[2 * k] -= g0;
            y[2 * k + 1] -= g1;
            let (mut s0, mut s1) = (g0, g1);
            next[e] += eps[e];
            let n_neg = (((fepoch - next_neg[e]) / epn[e]) as i64).max(0);
            // Negatives two at a time (one SIMD power for both in wasm), summed in draw
            // order; j itself (still at yj0, yj1) is at distance 0 and skipped.
            let mut left = n_neg;
            while left > 0 {
                let k0 = below(&mut state, n);
                let k1 = if left > 1 { below(&mut state, n) } else { k0 };
                let (dx0, dy0) = (yj0 - y[2 * k0], yj1 - y[2 * k0 + 1]);
                let (dx1, dy1) = (yj0 - y[2 * k1], yj1 - y[2 * k1 + 1]);
                let d2 = [dx0 * dx0 + dy0 * dy0, dx1 * dx1 + dy1 * dy1];
                let pb = pow_pos2(d2, b);
                for (t, (dx, dy)) in [(dx0, dy0), (dx1, dy1)].into_iter().enumerate().take(left.min(2) as usize) {
                    if d2[t] > 0.0 {
                        let coeff = two_b / ((0.001 + d2[t]) * (a * pb[t] + 1.0));
                        s0 += clip(coeff * dx) * alpha;
                        s1 += clip(coeff * dy) * alpha;
                    }
                }
                left -= 2;
            }
            y[2 * j] = yj0 + s0;
            y[2 * j + 1] = yj1 + s1;
            next_neg[e] += n_neg as f64 * epn[e];
        }
        self.neg_state = state;
        self.epoch += 1;
        Ok(())
    }

    fn steps_done(&self) -> usize {
        self.epoch
    }

    fn steps_total(&self) -> usize {
        self.n_epochs
    }

    fn embedding(&self) -> Option<Array2<f64>> {
        Some(Array2::from_shape_vec((self.n, 2), self.y.clone()).expect("n x 2"))
    }
}

/// The fuzzy simplicial set: symmetric weights in compressed rows (sorted by column).
fn fuzzy_graph(x: &Array2<f64>, n_neighbors: usize) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let n = x.nrows();
    // umap-learn's n_neighbors counts the row itself.
    let k = n_neighbors - 1;
    let (idx, d2) = knn_graph(x, k);
    let dist: Vec<f64> = d2.iter().map(|v| v.sqrt()).collect();
    let mean_all = dist.iter().sum::<f64>() / (n * (k + 1)) as f64;
    let target = libm::log2(n_neighbors as f64);
    let mut trip: Vec<(usize, usize, f64, bool)> = Vec::with_capacity(2 * n * k);
    for i in 0..n {
        let row = &dist[i * k..(i + 1) * k];
        let rho = row.iter().cloned().find(|&d| d > 0.0).unwrap_or(0.0);
        let (mut lo, mut hi, mut mid) = (0.0, f64::INFINITY, 1.0);
        for _ in 0..64 {
            let psum: f64 = row.iter().map(|&d| if d - rho > 0.0 { libm::exp(-(d - rho) / mid) } else { 1.0 }).sum();
            if (psum - target).abs() < 1e-5 {
                break;
            }
            if psum > target {
                hi = mid;
                mid = (lo + hi) / 2.0;
            } else {
                lo = mid;
                mid = if hi == f64::INFINITY { mid * 2.0 } else { (lo + hi) / 2.0 };
            }
        }
        // As umap-learn, sigma never falls below 1e-3 of the mean neighbour distance
        // (its self-distance 0 included in that row mean).
        let floor = if rho > 0.0 { 1e-3 * row.iter().sum::<f64>() / (k + 1) as f64 } else { 1e-3 * mean_all };
        let sigma = mid.max(floor);
        for (t, &d) in row.iter().enumerate() {
            let w = if d - rho <= 0.0 || sigma == 0.0 { 1.0 } else { libm::exp(-(d - rho) / sigma) };
            let j = idx[i * k + t];
            trip.push((i, j, w, false));
            trip.push((j, i, w, true));
        }
    }
    trip.sort_unstable_by_key(|t| (t.0, t.1, t.3));
    let mut indptr = vec![0; n + 1];
    let (mut indices, mut weights) = (Vec::new(), Vec::new());
    let mut t = 0;
    while t < trip.len() {
        let (i, j, w, _) = trip[t];
        // A (i, j) and a transposed (i, j) from A[j, i]: union a + b - ab.
        let w = if t + 1 < trip.len() && (trip[t + 1].0, trip[t + 1].1) == (i, j) {
            let v = trip[t + 1].2;
            t += 2;
            w + v - w * v
        } else {
            t += 1;
            w
        };
        indices.push(j);
        weights.push(w);
        indptr[i + 1] += 1;
    }
    for i in 0..n {
        indptr[i + 1] += indptr[i];
    }
    (indptr, indices, weights)
}

/// Start as umap-learn: spectral or PCA scaled to at most 10 in absolute value plus
/// N(0, 1e-4) noise, or uniform in [-10, 10]; then each axis rescaled to [0, 10].
fn initial_layout(
    x: &Array2<f64>,
    init: &str,
    indptr: &[usize],
    indices: &[usize],
    weights: &[f64],
    seed: u32,
    rng: &mut Rng,
) -> (Vec<f64>, &'static str) {
    let n = x.nrows();
    let (mut y, used) = match init {
        "random" => ((0..2 * n).map(|_| rng.uniform() * 20.0 - 10.0).collect::<Vec<f64>>(), "random"),
        _ => {
            // Zero-weight edges still count as links here; drop them for connectivity.
            let connected = {
                let (mut ip, mut ix) = (vec![0], Vec::new());
                for i in 0..n {
                    ix.extend((indptr[i]..indptr[i + 1]).filter(|&t| weights[t] > 0.0).map(|t| indices[t]));
                    ip.push(ix.len());
                }
                spectral::components(&ip, &ix) == 1
            };
            let (raw, used) = if init == "spectral" && connected {
                (spectral::layout(indptr, indices, weights, 2, seed), "spectral")
            } else {
                (pca_project(x, 2).iter().cloned().collect::<Vec<f64>>(), "pca")
            };
            let raw = if raw.len() == 2 * n { raw } else { vec![0.0; 2 * n] };
            let big = raw.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let scale = if big > 0.0 { 10.0 / big } else { 1.0 };
            (raw.iter().map(|v| v * scale + 1e-4 * rng.normal()).collect(), used)
        }
    };
    for c in 0..2 {
        let (lo, hi) = (0..n).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), i| (lo.min(y[2 * i + c]), hi.max(y[2 * i + c])));
        let range = if hi > lo { hi - lo } else { 1.0 };
        for i in 0..n {
            y[2 * i + c] = 10.0 * (y[2 * i + c] - lo) / range;
        }
    }
    (y, used)
}

/// a and b of the curve 1 / (1 + a d^(2b)) closest (least squares on 300 points over
/// [0, 3 spread]) to 1 below min_dist and exp(-(d - min_dist) / spread) beyond, as
/// umap-learn's find_ab_params; Levenberg-Marquardt from (1, 1) like scipy's curve_fit.
pub fn find_ab_params(spread: f64, min_dist: f64) -> (f64, f64) {
    let xs: Vec<f64> = (0..300).map(|i| 3.0 * spread * i as f64 / 299.0).collect();
    let ys: Vec<f64> = xs.iter().map(|&x| if x < min_dist { 1.0 } else { libm::exp(-(x - min_dist) / spread) }).collect();
    let cost = |a: f64, b: f64| -> f64 {
        xs.iter().zip(&ys).map(|(&x, &y)| {
            let r = 1.0 / (1.0 + a * libm::pow(x, 2.0 * b)) - y;
            r * r
        }).sum()
    };
    let (mut a, mut b, mut lambda) = (1.0, 1.0, 1e-3);
    let mut c = cost(a, b);
    for _ in 0..200 {
        // Normal equations J^T J + lambda diag, J^T r.
        let (mut jaa, mut jab, mut jbb, mut ga, mut gb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&x, &y) in xs.iter().zip(&ys) {
            if x <= 0.0 {
                continue; // the curve is 1 at 0 whatever a, b: no gradient
            }
            let p = libm::pow(x, 2.0 * b);
            let den = 1.0 + a * p;
            let r = 1.0 / den - y;
            let da = -p / (den * den);
            let db = -a * p * 2.0 * libm::log(x) / (den * den);
            jaa += da * da;
            jab += da * db;
            jbb += db * db;
            ga += da * r;
            gb += db * r;
        }
        let mut improved = false;
        for _ in 0..20 {
            let (m00, m11) = (jaa * (1.0 + lambda), jbb * (1.0 + lambda));
            let det = m00 * m11 - jab * jab;
            if det == 0.0 || !det.is_finite() {
                break;
            }
            let sa = -(m11 * ga - jab * gb) / det;
            let sb = -(m00 * gb - jab * ga) / det;
            let nc = cost(a + sa, b + sb);
            if nc.is_finite() && nc < c {
                let rel = (c - nc) / c.max(f64::MIN_POSITIVE);
                a += sa;
                b += sb;
                c = nc;
                lambda = (lambda / 10.0).max(1e-12);
                improved = rel > 1e-15;
                break;
            }
            lambda *= 10.0;
        }
        if !improved {
            break;
        }
    }
    (a, b)
}
