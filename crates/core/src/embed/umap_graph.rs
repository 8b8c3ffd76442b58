//! UMAP's fuzzy neighbour graph, its starting layout and the curve fitted to min_dist, as
//! umap-learn 0.5 builds them (see `umap`).

use crate::base::rng::Rng;

use super::spectral;

/// The fuzzy simplicial set: symmetric weights in compressed rows (sorted by column).
pub struct Graph {
    pub indptr: Vec<usize>,
    pub indices: Vec<usize>,
    pub weights: Vec<f64>,
    pub wmax: f64,
}

impl Graph {
    /// Whether every row is linked to every other (through edges of weight > 0).
    pub fn connected(&self) -> bool {
        let n = self.indptr.len() - 1;
        let (mut ip, mut ix) = (vec![0], Vec::new());
        for i in 0..n {
            ix.extend((self.indptr[i]..self.indptr[i + 1]).filter(|&t| self.weights[t] > 0.0).map(|t| self.indices[t]));
            ip.push(ix.len());
        }
        spectral::components(&ip, &ix) == 1
    }
}

/// The graph of n rows from their `n_neighbors - 1` nearest others (`knn`: indices and
/// squared distances, closest first); edges weaker than the strongest / `cut_epochs` (too
/// weak to be sampled even once) get weight 0.
pub fn fuzzy_graph(n: usize, n_neighbors: usize, (idx, d2): (Vec<usize>, Vec<f64>), cut_epochs: usize) -> Graph {
    let k = n_neighbors - 1;
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
    let wmax = weights.iter().cloned().fold(0.0, f64::max);
    let cut = wmax / cut_epochs as f64;
    weights.iter_mut().filter(|w| **w < cut).for_each(|w| *w = 0.0);
    Graph { indptr, indices, weights, wmax }
}

/// Start as umap-learn: `raw` (spectral or PCA) scaled to at most 10 in absolute value plus
/// N(0, 1e-4) noise, or (None) uniform in [-10, 10]; then each axis rescaled to [0, 10].
pub fn start_layout(n: usize, raw: Option<Vec<f64>>, rng: &mut Rng) -> Vec<f64> {
    let mut y = match raw {
        None => (0..2 * n).map(|_| rng.uniform() * 20.0 - 10.0).collect::<Vec<f64>>(),
        Some(raw) => {
            let raw = if raw.len() == 2 * n { raw } else { vec![0.0; 2 * n] };
            let big = raw.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let scale = if big > 0.0 { 10.0 / big } else { 1.0 };
            raw.iter().map(|v| v * scale + 1e-4 * rng.normal()).collect()
        }
    };
    for c in 0..2 {
        let (lo, hi) =
            (0..n).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), i| (lo.min(y[2 * i + c]), hi.max(y[2 * i + c])));
        let range = if hi > lo { hi - lo } else { 1.0 };
        for i in 0..n {
            y[2 * i + c] = 10.0 * (y[2 * i + c] - lo) / range;
        }
    }
    y
}

/// a and b of the curve 1 / (1 + a d^(2b)) closest (least squares on 300 points over
/// [0, 3 spread]) to 1 below min_dist and exp(-(d - min_dist) / spread) beyond, as
/// umap-learn's find_ab_params; Levenberg-Marquardt from (1, 1) like scipy's curve_fit.
pub fn find_ab_params(spread: f64, min_dist: f64) -> (f64, f64) {
    let xs: Vec<f64> = (0..300).map(|i| 3.0 * spread * i as f64 / 299.0).collect();
    let ys: Vec<f64> =
        xs.iter().map(|&x| if x < min_dist { 1.0 } else { libm::exp(-(x - min_dist) / spread) }).collect();
    let cost = |a: f64, b: f64| -> f64 {
        xs.iter()
            .zip(&ys)
            .map(|(&x, &y)| {
                let r = 1.0 / (1.0 + a * libm::pow(x, 2.0 * b)) - y;
                r * r
            })
            .sum()
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
