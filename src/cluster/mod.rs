//! Clusterings: k-means (one Lloyd iteration per step) and DBSCAN. Both implement
//! `unsupervised::Unsupervised`; `check_x` is the input check they share with PCA.

pub mod dbscan;
pub mod kmeans;

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
