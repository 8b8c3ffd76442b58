//! Models that learn from the features alone: clusterings (k-means, DBSCAN) and
//! projections (PCA, t-SNE, UMAP). Like supervised trainers they advance one step at a
//! time (a Lloyd iteration, a gradient-descent iteration, an epoch) so the page can
//! animate them; each can say at any step which cluster every row is in and/or where it
//! lies in 2-D.

use ndarray::Array2;

use crate::base::error::Result;
use crate::metrics::Metrics;

/// Cluster of each row; `NOISE` for DBSCAN's noise points.
pub const NOISE: i32 = -1;

pub trait Unsupervised {
    /// Advance by one step on `x` (the same matrix every call: scaled features, no
    /// missing values).
    fn step(&mut self, x: &Array2<f64>) -> Result<()>;
    fn steps_done(&self) -> usize;
    /// May shrink when the method converges early.
    fn steps_total(&self) -> usize;
    fn is_done(&self) -> bool {
        self.steps_done() >= self.steps_total()
    }
    /// While the method sets itself up over its first steps (UMAP's neighbour graph and
    /// start): what it is doing and the share of that done. Those steps are not counted.
    fn phase(&self) -> Option<(&'static str, f64)> {
        None
    }
    /// Share of the whole fit done, set-up included.
    fn progress(&self) -> f64 {
        self.steps_done() as f64 / self.steps_total().max(1) as f64
    }
    /// Cluster index of every row (clusterings), as fitted so far.
    fn labels(&self) -> Option<Vec<i32>> {
        None
    }
    /// Coordinates of every row, n x 2 or n x 3 (projections), as fitted so far.
    fn embedding(&self) -> Option<Array2<f64>> {
        None
    }
    /// What the method measures about itself so far: `inertia`, `kl_divergence`,
    /// `explained_variance_ratio_1`, ... (scikit-learn's names where they exist).
    fn metrics(&self) -> Metrics {
        Metrics::new()
    }
    /// The metric each step lowers, when there is one (k-means' `inertia`, t-SNE's
    /// `kl_divergence`): the session reports it as the step's loss, its learning curve.
    fn objective(&self) -> Option<&'static str> {
        None
    }
    /// Core, border or noise for every row (DBSCAN).
    fn point_kinds(&self) -> Option<&[dbscan::PointKind]> {
        None
    }
    /// What a model file keeps to apply the fit to new rows (`x`: the fitted rows), read
    /// back by the kind's loader as a `Placer`; `None` when the method cannot place new
    /// rows (t-SNE, UMAP).
    fn record(&self, _x: &Array2<f64>) -> Option<serde_json::Value> {
        None
    }
}

/// Where a saved clustering or projection puts new rows.
#[derive(Debug, Clone)]
pub enum Placed {
    /// Cluster per row; `NOISE` for DBSCAN's noise.
    Clusters(Vec<i32>),
    /// Coordinates, one row per input row (PCA).
    Coordinates(Array2<f64>),
}

/// A fitted clustering or projection read back from its record: it places new rows.
pub trait Placer {
    fn place(&self, x: &Array2<f64>) -> Result<Placed>;
    /// The record it was read from (saving a reloaded session writes it again).
    fn record(&self) -> serde_json::Value;
}

use crate::cluster::dbscan;
