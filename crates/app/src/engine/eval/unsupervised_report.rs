//! The report of a clustering or projection: what `mlplay run --json` prints for the
//! unsupervised kinds, with their metrics at top level (there is no train/validation split).

use ndarray::Array2;
use serde::Serialize;

use crate::data::Target;
use crate::kinds::Family;
use crate::metrics::clustering::{adjusted_rand_score, silhouette_score_sampled};
use crate::metrics::embedding::{trustworthiness_sampled, EXACT_ROWS};
use crate::metrics::Metrics;
use crate::unsupervised::NOISE;

/// Rows on which the silhouette is scored (exact silhouette costs rows^2 distances).
const SILHOUETTE_ROWS: usize = 5000;

#[derive(Debug, Clone, Serialize)]
pub struct UnsupervisedReport {
    pub family: Family,
    pub model: String,
    pub params: serde_json::Value,
    pub dataset: String,
    pub rows: usize,
    pub metrics: Metrics,
    pub timing: UnsupervisedTiming,
    pub link: String,
    pub notes: Vec<String>,
    /// Cluster of every row (-1: DBSCAN's noise), in the data's row order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<i32>>,
    /// Coordinates of every row ([x, y] or [x, y, z]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding: Option<Vec<Vec<f64>>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnsupervisedTiming {
    /// Set-up (neighbour graph, affinities) and every step.
    pub fit_ms: f64,
}

/// What a finished fit scores: the method's own figures (`own`), then for clusterings the
/// silhouette and, when the data has class labels, the adjusted Rand index against them
/// (labels are never used for fitting); for projections the trustworthiness at k = 5 and
/// 15. Scores that are undefined here (one cluster, too few rows) are left out, not zeroed.
pub fn score(
    family: Family,
    own: Metrics,
    x: &Array2<f64>,
    labels: Option<&[i32]>,
    embedding: Option<&Array2<f64>>,
    target: &Target,
    seed: u32,
) -> Metrics {
    let mut m = own;
    if let (Family::Clustering, Some(l)) = (family, labels) {
        let found = l.iter().filter(|&&c| c != NOISE).max().map_or(0, |&c| c as usize + 1);
        m.insert("n_clusters".into(), found as f64);
        if let Ok(s) = silhouette_score_sampled(x, l, SILHOUETTE_ROWS, seed as u64) {
            m.insert("silhouette".into(), s);
        }
        if let Target::Classes { labels: truth, .. } = target {
            if let Ok(ari) = adjusted_rand_score(truth, l) {
                m.insert("adjusted_rand".into(), ari);
            }
        }
    }
    if let (Family::Projection, Some(e)) = (family, embedding) {
        for k in [5, 15] {
            if let Ok(t) = trustworthiness_sampled(x, e, k, EXACT_ROWS, seed as u64) {
                m.insert(format!("trustworthiness_{k}"), t);
            }
        }
    }
    m
}
