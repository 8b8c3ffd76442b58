//! Spectral layout of a weighted graph (UMAP's default start): the eigenvectors of the
//! normalised Laplacian I - D^-1/2 W D^-1/2 with the smallest non-zero eigenvalues.
//!
//! A dense eigendecomposition is O(n^3) (too slow past ~1,000 rows), so this runs block
//! power iteration on the sparse M = (I + D^-1/2 W D^-1/2) / 2, whose largest eigenvalues
//! are those wanted, with the trivial eigenvector sqrt(degree) projected out and a
//! Rayleigh-Ritz rotation every few iterations. It stops at a residual tolerance or an
//! iteration cap, so on large graphs the result can be approximate, which for a starting
//! layout is enough.

use nalgebra::{DMatrix, SymmetricEigen};

use crate::rng::Rng;

const EXTRA: usize = 6;
const MAX_ITER: usize = 600;
const RITZ_EVERY: usize = 10;
const TOL: f64 = 1e-6;

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

/// `dim` columns (n x dim, row-major) of the spectral layout of a connected symmetric graph.
pub fn layout(indptr: &[usize], indices: &[usize], weights: &[f64], dim: usize, seed: u32) -> Vec<f64> {
    let n = indptr.len() - 1;
    let b = (dim + EXTRA).min(n - 1);
    let deg: Vec<f64> = (0..n).map(|i| weights[indptr[i]..indptr[i + 1]].iter().sum::<f64>()).collect();
    let inv_sqrt: Vec<f64> = deg.iter().map(|&d| if d > 0.0 { 1.0 / d.sqrt() } else { 0.0 }).collect();
    let norm = deg.iter().sum::<f64>().sqrt();
    let trivial: Vec<f64> = deg.iter().map(|&d| d.sqrt() / norm).collect();
    let apply = |v: &[f64], out: &mut [f64]| {
        for i in 0..n {
            let mut s = 0.0;
            for k in indptr[i]..indptr[i + 1] {
                s += weights[k] * inv_sqrt[indices[k]] * v[indices[k]];
            }
            out[i] = 0.5 * (v[i] + inv_sqrt[i] * s);
        }
    };
    let mut rng = Rng::derive(seed as u64, 0x5bec);
    // Block stored as b vectors of length n.
    let mut v: Vec<Vec<f64>> = (0..b).map(|_| (0..n).map(|_| rng.normal()).collect()).collect();
    orthonormalise(&mut v, &trivial);
    let mut w: Vec<Vec<f64>> = vec![vec![0.0; n]; b];
    for it in 1..=MAX_ITER {
        for c in 0..b {
            apply(&v[c], &mut w[c]);
        }
        if it % RITZ_EVERY == 0 || it == MAX_ITER {
            // Rotate to the Ritz vectors of span(v) and check the wanted ones' residuals.
            let h = DMatrix::from_fn(b, b, |r, c| dot(&v[r], &w[c]));
            let h = (&h + h.transpose()) * 0.5;
            let eig = SymmetricEigen::new(h);
            let mut order: Vec<usize> = (0..b).collect();
            order.sort_by(|&a, &c| eig.eigenvalues[c].total_cmp(&eig.eigenvalues[a]));
            let rotate = |src: &[Vec<f64>]| -> Vec<Vec<f64>> {
                order
                    .iter()
                    .map(|&e| {
                        let mut out = vec![0.0; n];
                        for (r, col) in src.iter().enumerate() {
                            let s = eig.eigenvectors[(r, e)];
                            out.iter_mut().zip(col).for_each(|(o, x)| *o += s * x);
                        }
                        out
                    })
                    .collect()
            };
            let (rv, rw) = (rotate(&v), rotate(&w));
            let residual = (0..dim)
                .map(|c| {
                    let theta = eig.eigenvalues[order[c]];
                    rw[c].iter().zip(&rv[c]).map(|(a, x)| (a - theta * x) * (a - theta * x)).sum::<f64>().sqrt()
                })
                .fold(0.0, f64::max);
            v = rv;
            if residual < TOL || it == MAX_ITER {
                break;
            }
            w = rw;
        }
        std::mem::swap(&mut v, &mut w);
        orthonormalise(&mut v, &trivial);
    }
    let mut out = vec![0.0; n * dim];
    for c in 0..dim {
        for i in 0..n {
            out[i * dim + c] = v[c][i];
        }
    }
    out
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Modified Gram-Schmidt against `fixed` (unit) and each other; a collapsed vector is
/// replaced by a coordinate vector so the block keeps its rank.
fn orthonormalise(v: &mut [Vec<f64>], fixed: &[f64]) {
    for c in 0..v.len() {
        for pass in 0..2 {
            let a = dot(&v[c], fixed);
            v[c].iter_mut().zip(fixed).for_each(|(x, f)| *x -= a * f);
            for p in 0..c {
                let (done, rest) = v.split_at_mut(c);
                let a = dot(&rest[0], &done[p]);
                rest[0].iter_mut().zip(&done[p]).for_each(|(x, f)| *x -= a * f);
            }
            let norm = dot(&v[c], &v[c]).sqrt();
            if norm > 1e-12 {
                v[c].iter_mut().for_each(|x| *x /= norm);
            } else if pass == 0 {
                let n = v[c].len();
                v[c].iter_mut().enumerate().for_each(|(i, x)| *x = if i == c % n { 1.0 } else { 0.0 });
            }
        }
    }
}
