//! Clusterings and projections in a model file: what each keeps to place new rows, how it
//! places them, and a finished fitter that replays the saved per-row results in a session.

use ndarray::Array2;

use super::fitted::{Fitted, SavedDbscan, SavedKmeans, SavedPca};
use crate::base::error::Result;
use crate::cluster::dbscan::PointKind;
use crate::embed::pca::Pca;
use crate::linalg::neighbors::dist2;
use crate::metrics::Metrics;
use crate::unsupervised::{Unsupervised, NOISE};

pub fn kmeans(centers: &Array2<f64>) -> Fitted {
    Fitted::Kmeans(SavedKmeans {
        n_clusters: centers.nrows(),
        n_features: centers.ncols(),
        centers: centers.iter().copied().collect(),
    })
}

pub fn pca(p: &Pca) -> Fitted {
    Fitted::Pca(SavedPca {
        n_components: p.components.nrows(),
        n_features: p.mean.len(),
        mean: p.mean.clone(),
        components: p.components.iter().copied().collect(),
        explained_variance_ratio: p.explained_variance_ratio.clone(),
    })
}

pub fn dbscan(eps: f64, x: &Array2<f64>, labels: &[i32], kinds: &[PointKind]) -> Fitted {
    let core: Vec<usize> = (0..kinds.len()).filter(|&i| kinds[i] == PointKind::Core).collect();
    Fitted::Dbscan(SavedDbscan {
        eps,
        n_features: x.ncols(),
        core_points: core.iter().flat_map(|&i| x.row(i).to_vec()).collect(),
        core_labels: core.iter().map(|&i| labels[i]).collect(),
    })
}

fn rows(x: &Array2<f64>) -> Vec<f64> {
    x.as_standard_layout().iter().copied().collect()
}

/// The nearest of `points` (row-major, `d` wide) to `q`, with its squared distance; the
/// first on ties.
fn nearest(points: &[f64], d: usize, q: &[f64]) -> Option<(usize, f64)> {
    points.chunks_exact(d.max(1)).map(|p| dist2(p, q)).enumerate().fold(None, |best, (i, d2)| match best {
        Some((_, b)) if b <= d2 => best,
        _ => Some((i, d2)),
    })
}

/// Cluster of each new row (k-means: nearest centre; DBSCAN: the cluster of the nearest
/// core row within eps, else noise).
pub fn assign(f: &Fitted, x: &Array2<f64>) -> Option<Vec<i32>> {
    let xs = rows(x);
    let d = x.ncols().max(1);
    match f {
        Fitted::Kmeans(s) => Some(
            xs.chunks_exact(d).map(|q| nearest(&s.centers, s.n_features, q).map_or(NOISE, |(i, _)| i as i32)).collect(),
        ),
        Fitted::Dbscan(s) => Some(
            xs.chunks_exact(d)
                .map(|q| match nearest(&s.core_points, s.n_features, q) {
                    Some((i, d2)) if d2 <= s.eps * s.eps => s.core_labels[i],
                    _ => NOISE,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// PCA coordinates of new rows: (x - mean) . components^T.
pub fn project(s: &SavedPca, x: &Array2<f64>) -> Array2<f64> {
    let comps = Array2::from_shape_vec((s.n_components, s.n_features), s.components.clone()).expect("checked shape");
    let mean = ndarray::ArrayView1::from(&s.mean[..]);
    (x - &mean).dot(&comps.t())
}

/// A clustering or projection read from a file: finished, answering with the saved
/// labels, coordinates and metrics of the rows it was fitted on.
pub struct Restored {
    pub fitted: Fitted,
    pub labels: Option<Vec<i32>>,
    pub embedding: Option<Array2<f64>>,
    pub metrics: Metrics,
}

impl Unsupervised for Restored {
    fn step(&mut self, _x: &Array2<f64>) -> Result<()> {
        Ok(())
    }
    fn steps_done(&self) -> usize {
        1
    }
    fn steps_total(&self) -> usize {
        1
    }
    fn labels(&self) -> Option<Vec<i32>> {
        self.labels.clone()
    }
    fn embedding(&self) -> Option<Array2<f64>> {
        self.embedding.clone()
    }
    fn metrics(&self) -> Metrics {
        self.metrics.clone()
    }
    fn saved(&self, _x: &Array2<f64>) -> Option<Fitted> {
        Some(self.fitted.clone())
    }
}
