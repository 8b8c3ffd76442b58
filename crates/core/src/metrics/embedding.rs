//! How faithfully a low-dimensional embedding keeps each row's neighbourhood:
//! `trustworthiness` as `sklearn.manifold.trustworthiness` (Euclidean in both spaces).
//! 1 means every row's k nearest neighbours in the embedding are also among its closest
//! rows in the original space; rows pulled in from far away lower it.

use ndarray::Array2;

use super::clustering::sample_rows;
use crate::base::error::{Error, Result};
use crate::linalg::flat;
use crate::linalg::neighbors::{brute_nearest, dist2, tree_pays, KdTree};

/// Rows above which `trustworthiness` gets slow (rows^2 distances: ~25 million at 5,000,
/// a fraction of a second natively); larger data should use `trustworthiness_sampled`.
pub const EXACT_ROWS: usize = 5000;

/// Exact trustworthiness with `k` neighbours. Instead of scikit-learn's rows x rows rank
/// table it ranks each row's embedded neighbours against one row of original distances at
/// a time, so memory is O(rows * k) and time O(rows^2 * features). Ties in original
/// distance rank the lower row first (scikit-learn's argsort leaves them unspecified).
pub fn trustworthiness(x: &Array2<f64>, embedding: &Array2<f64>, k: usize) -> Result<f64> {
    let n = x.nrows();
    if embedding.nrows() != n {
        return Err(Error::Data(format!("the embedding has {} rows, the data {n}", embedding.nrows())));
    }
    if k == 0 || 2 * k >= n {
        return Err(Error::param(
            "n_neighbors",
            k,
            &format!("at least 1 and less than half the rows ({})", n as f64 / 2.0),
        ));
    }
    if x.iter().chain(embedding.iter()).any(|v| !v.is_finite()) {
        return Err(Error::Data("trustworthiness cannot use missing or infinite values".into()));
    }
    let near = embedded_neighbours(embedding, k);
    let (d, xs) = (x.ncols(), flat(x));
    let mut dist = vec![0.0; n];
    let mut penalty: i64 = 0;
    for i in 0..n {
        let xi = &xs[i * d..(i + 1) * d];
        for (j, v) in dist.iter_mut().enumerate() {
            *v = dist2(xi, &xs[j * d..(j + 1) * d]);
        }
        for &j in &near[i * k..(i + 1) * k] {
            // 1-based rank of j among i's original neighbours (i itself excluded).
            let dj = dist[j];
            let rank = 1 + (0..n).filter(|&m| m != i && (dist[m] < dj || (dist[m] == dj && m < j))).count() as i64;
            penalty += (rank - k as i64).max(0);
        }
    }
    let (nf, kf) = (n as f64, k as f64);
    Ok(1.0 - penalty as f64 * (2.0 / ((n * k) as f64 * (2.0 * nf - 3.0 * kf - 1.0))))
}

/// Trustworthiness on a seeded sample of at most `max_rows` rows (neighbours among the
/// sampled rows only); the exact score when the data has at most `max_rows` rows.
pub fn trustworthiness_sampled(
    x: &Array2<f64>,
    embedding: &Array2<f64>,
    k: usize,
    max_rows: usize,
    seed: u64,
) -> Result<f64> {
    if x.nrows() <= max_rows || embedding.nrows() != x.nrows() {
        return trustworthiness(x, embedding, k);
    }
    let rows = sample_rows(x.nrows(), max_rows, seed);
    trustworthiness(&x.select(ndarray::Axis(0), &rows), &embedding.select(ndarray::Axis(0), &rows), k)
}

/// The k nearest other rows of every row of `e`, flat n x k (a row itself is skipped even
/// when duplicates tie with it).
fn embedded_neighbours(e: &Array2<f64>, k: usize) -> Vec<usize> {
    let n = e.nrows();
    let e = e.as_standard_layout().into_owned();
    let tree = tree_pays(n, e.ncols()).then(|| KdTree::build(&e));
    let mut out = Vec::with_capacity(n * k);
    let mut buf = Vec::with_capacity(k + 1);
    for (i, q) in e.rows().into_iter().enumerate() {
        let q = q.as_slice().expect("standard layout");
        match &tree {
            Some(t) => t.nearest_into(q, k + 1, &mut buf),
            None => brute_nearest(&e, q, k + 1, &mut buf),
        }
        out.extend(buf.iter().map(|&(_, j)| j).filter(|&j| j != i).take(k));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_embedding_scores_one_and_bad_k_is_rejected() {
        let x = Array2::from_shape_fn((40, 3), |(i, j)| (i as f64) * (j as f64 + 1.0) + (i * i % 7) as f64 * 0.01);
        let e = x.slice(ndarray::s![.., ..2]).to_owned();
        assert!((trustworthiness(&x, &x, 5).unwrap() - 1.0).abs() < 1e-15);
        assert!(trustworthiness(&x, &e, 5).unwrap() > 0.9);
        let err = trustworthiness(&x, &e, 20).unwrap_err();
        assert!(err.to_string().contains("n_neighbors"), "{err}");
        let s = trustworthiness_sampled(&x, &e, 3, 20, 1).unwrap();
        assert!(s > 0.8 && s == trustworthiness_sampled(&x, &e, 3, 20, 1).unwrap());
    }
}
