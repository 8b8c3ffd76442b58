//! Pieces t-SNE and UMAP share: input checks, the k-nearest-neighbour graph of the rows
//! and a small PCA (for reducing many columns and for the starting layout).

use nalgebra::{DMatrix, SymmetricEigen};
use ndarray::Array2;

use super::nn_descent::NnDescent;
use crate::base::error::{Error, Result};
use crate::linalg::neighbors::{tree_pays, KdTree, Scan};

/// Fewer rows than this cannot be laid out meaningfully (and break the calibrations).
pub const MIN_ROWS: usize = 4;

pub fn check_input(x: &Array2<f64>, method: &str) -> Result<()> {
    if x.nrows() < MIN_ROWS {
        return Err(Error::Data(format!("{method} needs at least {MIN_ROWS} rows, the data has {}", x.nrows())));
    }
    if x.ncols() == 0 {
        return Err(Error::Data(format!("{method} needs at least one feature column")));
    }
    if let Some(at) = x.iter().position(|v| !v.is_finite()) {
        let (r, c) = (at / x.ncols() + 1, at % x.ncols() + 1);
        return Err(Error::Data(format!(
            "{method} needs finite numbers, but row {r}, column {c} (counting from 1) is missing or not finite"
        )));
    }
    Ok(())
}

/// Above this many rows (in dimensions where a kd-tree does not pay), neighbours are found
/// approximately by NN-descent instead of an exact O(n^2) scan.
pub const EXACT_KNN_ROWS: usize = 8000;

/// The k nearest other rows by a kd-tree (few columns).
fn tree_knn(x: &Array2<f64>, k: usize) -> (Vec<usize>, Vec<f64>) {
    let (n, d) = x.dim();
    let x = x.as_standard_layout().into_owned();
    let flat = x.as_slice().expect("standard layout");
    let tree = KdTree::build(&x);
    // Rows by pieces over the threads, joined in row order.
    let pieces = crate::base::par::map_ranges(n, 512, |rows| {
        let (mut idx, mut dist) = (Vec::with_capacity(rows.len() * k), Vec::with_capacity(rows.len() * k));
        let mut found = Vec::with_capacity(k + 1);
        for i in rows {
            tree.nearest_into(&flat[i * d..(i + 1) * d], k + 1, &mut found);
            // Duplicates of row i may come before it: drop i itself, wherever it is.
            for &(d2, j) in found.iter().filter(|f| f.1 != i).take(k) {
                idx.push(j);
                dist.push(d2);
            }
        }
        (idx, dist)
    });
    let (mut idx, mut dist) = (Vec::with_capacity(n * k), Vec::with_capacity(n * k));
    for (i, d) in pieces {
        idx.extend(i);
        dist.extend(d);
    }
    (idx, dist)
}

/// The k nearest other rows of every row, found in pieces so a caller can report progress
/// between them: a kd-tree in few dimensions (fast, one piece); otherwise an exact scan up
/// to `EXACT_KNN_ROWS` rows, a strip of rows at a time, and NN-descent beyond, a block of
/// rows of a round at a time.
pub enum KnnJob {
    Tree { k: usize, done: Option<(Vec<usize>, Vec<f64>)> },
    Scan(Scan),
    Descent(Box<NnDescent>),
}

impl KnnJob {
    pub fn new(x: &Array2<f64>, k: usize) -> KnnJob {
        let (n, d) = x.dim();
        if tree_pays(n, d) {
            KnnJob::Tree { k, done: None }
        } else if n <= EXACT_KNN_ROWS {
            KnnJob::Scan(Scan::new(n, k))
        } else {
            KnnJob::Descent(Box::new(NnDescent::new(
                x.as_standard_layout().as_slice().expect("standard layout"),
                n,
                d,
                k,
                n as u64,
            )))
        }
    }

    /// One piece of work on the same `x` as `new`; true once the graph is complete.
    pub fn advance(&mut self, x: &Array2<f64>) -> bool {
        let flat = x.as_standard_layout();
        let flat = flat.as_slice().expect("standard layout");
        match self {
            KnnJob::Tree { k, done } => {
                if done.is_none() {
                    *done = Some(tree_knn(x, *k));
                }
                true
            }
            KnnJob::Scan(scan) => scan.advance(flat, x.ncols()),
            KnnJob::Descent(job) => job.advance(flat),
        }
    }

    pub fn is_descent(&self) -> bool {
        matches!(self, KnnJob::Descent(_))
    }

    /// Share of the work done, roughly.
    pub fn fraction(&self) -> f64 {
        match self {
            KnnJob::Tree { done, .. } => f64::from(u8::from(done.is_some())),
            KnnJob::Scan(scan) => scan.fraction(),
            KnnJob::Descent(job) => job.fraction(),
        }
    }

    /// (row indices, squared distances), n x k flat, closest first, once `advance` said done.
    pub fn finish(self) -> (Vec<usize>, Vec<f64>) {
        match self {
            KnnJob::Tree { done, .. } => done.expect("advanced to the end"),
            KnnJob::Scan(scan) => scan.finish(),
            KnnJob::Descent(job) => job.finish(),
        }
    }
}

/// Rows projected on the first `m` principal axes (centred; each axis signed so that its
/// largest loading is positive, for a deterministic picture).
pub fn pca_project(x: &Array2<f64>, m: usize) -> Array2<f64> {
    let (n, d) = x.dim();
    let m = m.min(d);
    let mean: Vec<f64> = (0..d).map(|j| x.column(j).sum() / n as f64).collect();
    let mut xc = vec![0.0; n * d];
    for (i, row) in x.rows().into_iter().enumerate() {
        for j in 0..d {
            xc[i * d + j] = row[j] - mean[j];
        }
    }
    let mut cov = DMatrix::<f64>::zeros(d, d);
    for row in xc.chunks_exact(d) {
        for a in 0..d {
            let ra = row[a];
            if ra != 0.0 {
                for b in a..d {
                    cov[(a, b)] += ra * row[b];
                }
            }
        }
    }
    for a in 0..d {
        for b in 0..a {
            cov[(a, b)] = cov[(b, a)];
        }
    }
    let eig = SymmetricEigen::new(cov);
    let mut order: Vec<usize> = (0..d).collect();
    crate::base::sort::sort_indices_desc(&mut order, &|i| eig.eigenvalues[i]);
    let mut out = Array2::zeros((n, m));
    for (c, &e) in order.iter().take(m).enumerate() {
        let v = eig.eigenvectors.column(e);
        let big = (0..d).fold(0, |best, j| if v[j].abs() > v[best].abs() { j } else { best });
        let sign = if v[big] < 0.0 { -1.0 } else { 1.0 };
        for (i, row) in xc.chunks_exact(d).enumerate() {
            out[[i, c]] = sign * row.iter().zip(v.iter()).map(|(a, b)| a * b).sum::<f64>();
        }
    }
    out
}

/// The box around a 2-D layout (n x 2, row-major): (min x, min y, max x, max y).
pub(super) fn extent(y: &[f64]) -> (f64, f64, f64, f64) {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for p in y.chunks_exact(2) {
        x0 = x0.min(p[0]);
        x1 = x1.max(p[0]);
        y0 = y0.min(p[1]);
        y1 = y1.max(p[1]);
    }
    (x0, y0, x1, y1)
}
