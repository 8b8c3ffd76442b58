//! Clusterings: k-means (one Lloyd iteration per step) and DBSCAN. Both implement
//! `unsupervised::Unsupervised`; `check_x` is the input check they share with PCA.

pub mod dbscan;
pub mod kmeans;
mod kmeans_assign;
mod kmeans_lanes;
mod kmeans_seed;

pub(crate) use crate::linalg::flat;

use ndarray::Array2;

use crate::base::error::{Error, Result};

/// Rejects what no unsupervised method can work with: fewer than two rows, no columns,
/// or a value that is missing or infinite (the page imputes before this; the CLI and
/// tests may not).
pub fn check_x(x: &Array2<f64>, what: &str) -> Result<()> {
    if x.nrows() < 2 {
        return Err(Error::Data(format!("{what} needs at least 2 rows, the data has {}", x.nrows())));
    }
    if x.ncols() == 0 {
        return Err(Error::Data(format!("{what} needs at least one feature column")));
    }
    if let Some(at) = x.iter().position(|v| !v.is_finite()) {
        let (r, c) = (at / x.ncols(), at % x.ncols());
        return Err(Error::Data(format!(
            "{what} cannot use missing or infinite values (row {r}, column {c}); impute or drop them first"
        )));
    }
    Ok(())
}

/// The nearest of `points` (row-major, `d` wide) to `q`, with its squared distance; the
/// first on ties. How saved clusterings place new rows.
pub(crate) fn nearest(points: &[f64], d: usize, q: &[f64]) -> Option<(usize, f64)> {
    points.chunks_exact(d.max(1)).map(|p| crate::linalg::neighbors::dist2(p, q)).enumerate().fold(
        None,
        |best, (i, d2)| match best {
            Some((_, b)) if b <= d2 => best,
            _ => Some((i, d2)),
        },
    )
}

/// The rows of `x` in row-major order, `x.ncols()` (at least 1) at a time.
pub(crate) fn rows_of(x: &Array2<f64>) -> Vec<f64> {
    x.as_standard_layout().iter().copied().collect()
}
