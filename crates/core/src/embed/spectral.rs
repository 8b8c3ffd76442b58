//! Spectral layout of a weighted graph (UMAP's default start): the eigenvectors of the
//! normalised Laplacian I - D^-1/2 W D^-1/2 with the smallest non-zero eigenvalues, i.e.
//! those of N = D^-1/2 W D^-1/2 with the largest eigenvalues below the trivial one (1,
//! eigenvector sqrt(degree), projected out throughout).
//!
//! A dense eigendecomposition is O(n^3) (too slow past ~1,000 rows). Plain power iteration
//! on a large graph crawls: the wanted eigenvalues all sit just below 1, and each step
//! shrinks the unwanted part only by about the gap. So this runs Chebyshev-filtered
//! subspace iteration: a degree-`DEGREE` Chebyshev polynomial of N, damping [-1, cut]
//! (cut = the block's smallest Ritz value, so the wanted ones lie above it) and growing
//! what lies above, costs `DEGREE` sparse products but shrinks the unwanted part about as
//! much as gap^-1/2 times more power steps would. A Rayleigh-Ritz rotation follows each
//! filter; it stops at a residual tolerance or a cap on sparse products, so on large
//! graphs the result can be approximate, which for a starting layout is enough. The block
//! is stored row-major (n x b) so one pass over the graph serves all b vectors.

use nalgebra::{DMatrix, SymmetricEigen};

use crate::base::rng::Rng;

const EXTRA: usize = 6;
const DEGREE: usize = 12;
/// At most this many products with N per block vector (filters and Rayleigh-Ritz).
const MAX_PRODUCTS: usize = 600;
/// Residual of the wanted unit vectors; umap-learn asks scipy's eigsh for 1e-4 too.
const TOL: f64 = 1e-4;

/// Number of connected components of the graph given as compressed rows.
pub fn components(indptr: &[usize], indices: &[usize]) -> usize {
    let n = indptr.len() - 1;
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    let mut count = 0;
    for s in 0..n {
        if seen[s] {
            continue;
        }
        count += 1;
        seen[s] = true;
        stack.push(s);
        while let Some(i) = stack.pop() {
            for &j in &indices[indptr[i]..indptr[i + 1]] {
                if !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
    }
    count
}

/// N = D^-1/2 W D^-1/2 in compressed rows, applied to a row-major block of b columns.
struct Op {
    indptr: Vec<usize>,
    indices: Vec<usize>,
    w: Vec<f64>,
    b: usize,
}

impl Op {
    fn apply(&self, x: &[f64], out: &mut [f64]) {
        let b = self.b;
        for (i, o) in out.chunks_exact_mut(b).enumerate() {
            o.fill(0.0);
            for t in self.indptr[i]..self.indptr[i + 1] {
                let (j, w) = (self.indices[t], self.w[t]);
                o.iter_mut().zip(&x[j * b..(j + 1) * b]).for_each(|(o, x)| *o += w * x);
            }
        }
    }
}

/// `dim` columns (n x dim, row-major) of the spectral layout of a connected symmetric graph.
#[cfg(test)]
pub fn layout(indptr: &[usize], indices: &[usize], weights: &[f64], dim: usize, seed: u32) -> Vec<f64> {
    let mut job = Spectral::new(indptr, indices, weights, dim, seed);
    while !job.advance() {}
    job.finish()
}

/// `layout` in pieces (one filter and rotation each), so a caller can report progress.
pub struct Spectral {
    op: Op,
    n: usize,
    dim: usize,
    trivial: Vec<f64>,
    v: Vec<f64>,
    av: Vec<f64>,
    t0: Vec<f64>,
    t1: Vec<f64>,
    products: usize,
    /// The first and the latest residual, for the progress estimate.
    residuals: (f64, f64),
    done: bool,
}

impl Spectral {
    pub fn new(indptr: &[usize], indices: &[usize], weights: &[f64], dim: usize, seed: u32) -> Spectral {
        let n = indptr.len() - 1;
        let b = (dim + EXTRA).min(n - 1);
        let deg: Vec<f64> = (0..n).map(|i| weights[indptr[i]..indptr[i + 1]].iter().sum::<f64>()).collect();
        let inv_sqrt: Vec<f64> = deg.iter().map(|&d| if d > 0.0 { 1.0 / d.sqrt() } else { 0.0 }).collect();
        let norm = deg.iter().sum::<f64>().sqrt();
        let trivial: Vec<f64> = deg.iter().map(|&d| d.sqrt() / norm).collect();
        let mut w = vec![0.0; weights.len()];
        for i in 0..n {
            for t in indptr[i]..indptr[i + 1] {
                w[t] = inv_sqrt[i] * weights[t] * inv_sqrt[indices[t]];
            }
        }
        let op = Op { indptr: indptr.to_vec(), indices: indices.to_vec(), w, b };
        let mut rng = Rng::derive(seed as u64, 0x5bec);
        let mut v: Vec<f64> = (0..n * b).map(|_| rng.normal()).collect();
        orthonormalise(&mut v, b, &trivial);
        let z = vec![0.0; n * b];
        Spectral {
            op,
            n,
            dim,
            trivial,
            v,
            av: z.clone(),
            t0: z.clone(),
            t1: z,
            products: 0,
            residuals: (f64::NAN, f64::NAN),
            done: false,
        }
    }

    /// Share of the work done, roughly: the residual's way down to the tolerance on a log
    /// scale, or the products spent, whichever is further.
    pub fn fraction(&self) -> f64 {
        if self.done {
            return 1.0;
        }
        let (first, last) = self.residuals;
        let by_residual = (first / last).ln() / (first / TOL).ln();
        let by_products = self.products as f64 / MAX_PRODUCTS as f64;
        if by_residual.is_finite() {
            by_residual.max(by_products).clamp(0.0, 1.0)
        } else {
            by_products
        }
    }

    /// A Rayleigh-Ritz rotation and, unless converged, one filter; true when done.
    pub fn advance(&mut self) -> bool {
        if self.done {
            return true;
        }
        let (n, b, dim) = (self.n, self.op.b, self.dim);
        let (v, av) = (&mut self.v, &mut self.av);
        // Rayleigh-Ritz: rotate the block to the Ritz vectors of span(v), largest first.
        self.op.apply(v, av);
        self.products += 1;
        let h = DMatrix::from_fn(b, b, |r, c| col_dot(v, av, b, r, c));
        let h = (&h + h.transpose()) * 0.5;
        let eig = SymmetricEigen::new(h);
        let mut order: Vec<usize> = (0..b).collect();
        crate::base::sort::sort_indices_desc(&mut order, &|i| eig.eigenvalues[i]);
        let q = DMatrix::from_fn(b, b, |r, c| eig.eigenvectors[(r, order[c])]);
        rotate(v, &q, b);
        rotate(av, &q, b);
        let theta: Vec<f64> = order.iter().map(|&e| eig.eigenvalues[e]).collect();
        let residual = (0..dim)
            .map(|c| (0..n).map(|i| (av[i * b + c] - theta[c] * v[i * b + c]).powi(2)).sum::<f64>().sqrt())
            .fold(0.0, f64::max);
        if self.residuals.0.is_nan() {
            self.residuals.0 = residual;
        }
        self.residuals.1 = residual;
        if residual < TOL || self.products + DEGREE + 1 > MAX_PRODUCTS {
            self.done = true;
            return true;
        }
        // Filter: T_DEGREE of N mapped so that [-1, cut] becomes [-1, 1]. The Ritz values
        // are below the true eigenvalues, so the wanted ones lie above cut.
        let cut = theta[b - 1].max(0.0);
        let (e, c) = ((cut + 1.0) / 2.0, (cut - 1.0) / 2.0);
        let (t0, t1) = (&mut self.t0, &mut self.t1);
        // t0 = v, t1 = (N v - c v) / e (av holds N v already).
        t0.copy_from_slice(v);
        t1.iter_mut().zip(av.iter()).zip(v.iter()).for_each(|((o, a), x)| *o = (a - c * x) / e);
        for _ in 1..DEGREE {
            self.op.apply(t1, av);
            self.products += 1;
            // t0 <- 2 (N t1 - c t1) / e - t0, then swap so t1 is the newest.
            t0.iter_mut().zip(av.iter()).zip(t1.iter()).for_each(|((o, a), x)| *o = 2.0 * (a - c * x) / e - *o);
            std::mem::swap(t0, t1);
        }
        std::mem::swap(v, t1);
        orthonormalise(v, b, &self.trivial);
        false
    }

    /// The layout, n x dim row-major, once `advance` said done.
    pub fn finish(self) -> Vec<f64> {
        let (b, dim) = (self.op.b, self.dim);
        let mut out = vec![0.0; self.n * dim];
        for i in 0..self.n {
            out[i * dim..(i + 1) * dim].copy_from_slice(&self.v[i * b..i * b + dim]);
        }
        out
    }
}

/// Dot product of columns r of `x` and c of `y` (row-major, b columns).
fn col_dot(x: &[f64], y: &[f64], b: usize, r: usize, c: usize) -> f64 {
    x.chunks_exact(b).zip(y.chunks_exact(b)).map(|(a, z)| a[r] * z[c]).sum()
}

/// x <- x q for a row-major n x b block and a b x b matrix.
fn rotate(x: &mut [f64], q: &DMatrix<f64>, b: usize) {
    let mut tmp = vec![0.0; b];
    for row in x.chunks_exact_mut(b) {
        for (c, t) in tmp.iter_mut().enumerate() {
            *t = (0..b).map(|r| row[r] * q[(r, c)]).sum();
        }
        row.copy_from_slice(&tmp);
    }
}

/// Modified Gram-Schmidt of the columns against `fixed` (unit) and each other, twice; a
/// collapsed column is replaced by a coordinate vector so the block keeps its rank.
fn orthonormalise(v: &mut [f64], b: usize, fixed: &[f64]) {
    let n = fixed.len();
    for c in 0..b {
        for pass in 0..2 {
            let a: f64 = (0..n).map(|i| v[i * b + c] * fixed[i]).sum();
            (0..n).for_each(|i| v[i * b + c] -= a * fixed[i]);
            for p in 0..c {
                let a = col_dot(v, v, b, c, p);
                (0..n).for_each(|i| v[i * b + c] -= a * v[i * b + p]);
            }
            let norm = col_dot(v, v, b, c, c).sqrt();
            if norm > 1e-12 {
                (0..n).for_each(|i| v[i * b + c] /= norm);
            } else if pass == 0 {
                (0..n).for_each(|i| v[i * b + c] = if i == c % n { 1.0 } else { 0.0 });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ring of three loosely joined cliques with noisy weights: its second and third
    /// eigenvectors span the same plane as a dense solver's.
    #[test]
    fn matches_a_dense_eigendecomposition() {
        let n = 150;
        let mut rng = Rng::new(3);
        let mut dense = DMatrix::<f64>::zeros(n, n);
        for i in 0..n {
            for j in 0..i {
                let same = i / 50 == j / 50;
                let linked =
                    same && rng.uniform() < 0.3 || (j + 1 == i || (i == n - 1 && j == 0)) && rng.uniform() < 0.8;
                if linked {
                    let w = 0.2 + rng.uniform();
                    dense[(i, j)] = w;
                    dense[(j, i)] = w;
                }
            }
        }
        let (mut indptr, mut indices, mut weights) = (vec![0], Vec::new(), Vec::new());
        for i in 0..n {
            for j in 0..n {
                if dense[(i, j)] > 0.0 {
                    indices.push(j);
                    weights.push(dense[(i, j)]);
                }
            }
            indptr.push(indices.len());
        }
        assert_eq!(components(&indptr, &indices), 1);
        let y = layout(&indptr, &indices, &weights, 2, 7);
        assert_eq!(y, layout(&indptr, &indices, &weights, 2, 7), "seeded");
        let deg: Vec<f64> = (0..n).map(|i| dense.row(i).sum()).collect();
        let nrm = DMatrix::from_fn(n, n, |i, j| dense[(i, j)] / (deg[i] * deg[j]).sqrt());
        let eig = SymmetricEigen::new(nrm);
        let mut order: Vec<usize> = (0..n).collect();
        crate::base::sort::sort_indices_desc(&mut order, &|i| eig.eigenvalues[i]);
        // Each computed column lies in the span of the dense eigenvectors 2 and 3.
        for c in 0..2 {
            let col: Vec<f64> = (0..n).map(|i| y[i * 2 + c]).collect();
            let along: f64 =
                (1..3).map(|e| (0..n).map(|i| col[i] * eig.eigenvectors[(i, order[e])]).sum::<f64>().powi(2)).sum();
            assert!((along - 1.0).abs() < 1e-6, "column {c}: {along}");
        }
    }
}
