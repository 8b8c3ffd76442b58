//! Scores of a clustering, as scikit-learn computes them: the silhouette (how much closer
//! each row is to its own cluster than to the next nearest) and the adjusted Rand index
//! (agreement with known classes, 0 for chance, 1 for identical up to renaming).

use std::collections::BTreeMap;

use ndarray::Array2;

use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::linalg::neighbors::dist2;

/// `m` distinct row indices out of `n`, chosen by `seed`, in increasing order
/// (all rows when m >= n).
pub fn sample_rows(n: usize, m: usize, seed: u64) -> Vec<usize> {
    if m >= n {
        return (0..n).collect();
    }
    // Partial Fisher-Yates: the first m positions end up a uniform sample.
    let mut rng = Rng::derive(seed, 0x5a3e_11e5);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..m {
        let j = i + rng.below((n - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx.truncate(m);
    idx.sort_unstable();
    idx
}

/// Renames any labels to 0..k-1 in increasing order of the original label.
fn dense<L: Ord + Copy>(labels: &[L]) -> (Vec<usize>, usize) {
    let mut names = BTreeMap::new();
    for &l in labels {
        names.entry(l).or_insert(0usize);
    }
    for (i, v) in names.values_mut().enumerate() {
        *v = i;
    }
    (labels.iter().map(|l| names[l]).collect(), names.len())
}

/// Mean silhouette coefficient over all rows (Euclidean), exactly as
/// `sklearn.metrics.silhouette_score`: a row alone in its cluster scores 0. Every distinct
/// label is a cluster (DBSCAN's noise label too, as in scikit-learn). Costs rows^2
/// distance computations but only O(rows + clusters) memory; see
/// `silhouette_score_sampled` for large data.
pub fn silhouette_score(x: &Array2<f64>, labels: &[i32]) -> Result<f64> {
    let n = x.nrows();
    if labels.len() != n {
        return Err(Error::Data(format!("{} labels for {} rows", labels.len(), n)));
    }
    let (lab, k) = dense(labels);
    if k < 2 || k > n.saturating_sub(1) {
        return Err(Error::Data(format!(
            "the silhouette needs between 2 and rows - 1 ({}) clusters, there are {k}",
            n.saturating_sub(1)
        )));
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(Error::Data("the silhouette cannot use missing or infinite values".into()));
    }
    let d = x.ncols();
    let xs = crate::linalg::flat(x);
    let mut size = vec![0usize; k];
    for &l in &lab {
        size[l] += 1;
    }
    let mut sums = vec![0.0; k];
    let mut total = 0.0;
    for i in 0..n {
        sums.iter_mut().for_each(|s| *s = 0.0);
        let xi = &xs[i * d..(i + 1) * d];
        for j in 0..n {
            sums[lab[j]] += dist2(xi, &xs[j * d..(j + 1) * d]).sqrt();
        }
        let own = lab[i];
        if size[own] == 1 {
            continue;
        }
        let a = sums[own] / (size[own] - 1) as f64;
        let b = (0..k).filter(|&c| c != own).map(|c| sums[c] / size[c] as f64).fold(f64::INFINITY, f64::min);
        let m = a.max(b);
        if m > 0.0 {
            total += (b - a) / m;
        }
    }
    Ok(total / n as f64)
}

/// The silhouette on a seeded sample of at most `max_rows` rows (distances among the
/// sampled rows only, as scikit-learn's `sample_size`), for data too large for the exact
/// score. Equals `silhouette_score` when the data has at most `max_rows` rows.
pub fn silhouette_score_sampled(x: &Array2<f64>, labels: &[i32], max_rows: usize, seed: u64) -> Result<f64> {
    if x.nrows() <= max_rows {
        return silhouette_score(x, labels);
    }
    if labels.len() != x.nrows() {
        return Err(Error::Data(format!("{} labels for {} rows", labels.len(), x.nrows())));
    }
    let rows = sample_rows(x.nrows(), max_rows, seed);
    let sub: Vec<i32> = rows.iter().map(|&r| labels[r]).collect();
    silhouette_score(&x.select(ndarray::Axis(0), &rows), &sub)
}

/// Adjusted Rand index between two labelings of the same rows, as
/// `sklearn.metrics.adjusted_rand_score` (from the pair confusion matrix, in exact
/// integer arithmetic). Symmetric; label values only need to be comparable.
pub fn adjusted_rand_score<A: Ord + Copy, B: Ord + Copy>(labels_true: &[A], labels_pred: &[B]) -> Result<f64> {
    let n = labels_true.len();
    if labels_pred.len() != n {
        return Err(Error::Data(format!("{n} true labels but {} predicted", labels_pred.len())));
    }
    let (t, kt) = dense(labels_true);
    let (p, kp) = dense(labels_pred);
    let mut cont: BTreeMap<(usize, usize), i128> = BTreeMap::new();
    let (mut n_c, mut n_k) = (vec![0i128; kt], vec![0i128; kp]);
    for (&a, &b) in t.iter().zip(&p) {
        *cont.entry((a, b)).or_insert(0) += 1;
        n_c[a] += 1;
        n_k[b] += 1;
    }
    let n = n as i128;
    let sum_sq: i128 = cont.values().map(|v| v * v).sum();
    let tp = sum_sq - n;
    let fp = cont.iter().map(|(&(_, b), v)| v * n_k[b]).sum::<i128>() - sum_sq;
    let fn_ = cont.iter().map(|(&(a, _), v)| v * n_c[a]).sum::<i128>() - sum_sq;
    let tn = n * n - fp - fn_ - sum_sq;
    if fn_ == 0 && fp == 0 {
        return Ok(1.0);
    }
    Ok(2.0 * (tp * tn - fn_ * fp) as f64 / ((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn)) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ari_hand_cases() {
        assert_eq!(adjusted_rand_score(&[0, 0, 1, 1], &[5, 5, 2, 2]).unwrap(), 1.0);
        assert_eq!(adjusted_rand_score(&[0, 0, 0], &[1, 1, 1]).unwrap(), 1.0);
        // scikit-learn's docstring: ARI([0, 0, 1, 2], [0, 0, 1, 1]) = 0.57...
        let v = adjusted_rand_score(&[0, 0, 1, 2], &[0, 0, 1, 1]).unwrap();
        assert!((v - 0.5714285714285714).abs() < 1e-15, "{v}");
        assert!(adjusted_rand_score(&[0, 1], &[0]).is_err());
    }

    #[test]
    fn silhouette_rejects_one_cluster_and_samples_deterministically() {
        let x = Array2::from_shape_fn((50, 2), |(i, j)| (i * 7 % 11) as f64 + j as f64 * (i % 2) as f64 * 100.0);
        assert!(silhouette_score(&x, &[0; 50]).is_err());
        let l: Vec<i32> = (0..50).map(|i| i % 2).collect();
        let full = silhouette_score(&x, &l).unwrap();
        assert_eq!(silhouette_score_sampled(&x, &l, 100, 1).unwrap(), full);
        let a = silhouette_score_sampled(&x, &l, 20, 1).unwrap();
        assert_eq!(a, silhouette_score_sampled(&x, &l, 20, 1).unwrap());
        assert!(full > 0.5 && a > 0.5);
        assert_eq!(sample_rows(10, 4, 3).len(), 4);
    }
}
