//! The report of one run: what `mlplay run --json` prints and the page shows.

use serde::Serialize;

use crate::data::Task;
use crate::metrics::Metrics;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PartMetrics {
    pub train: Metrics,
    pub validation: Metrics,
    /// Absent until a final evaluation is asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<Metrics>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub fit_ms: f64,
    pub predict_us_per_row: f64,
    /// One row at a time: median and 99th percentile, microseconds.
    pub latency_us_p50: f64,
    pub latency_us_p99: f64,
    pub model_bytes: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub task: Task,
    pub model: String,
    pub params: serde_json::Value,
    pub dataset: String,
    /// Rows in train, validation and test.
    pub rows: [usize; 3],
    pub metrics: PartMetrics,
    /// The same metrics for always answering with the training class shares (or mean).
    pub baseline: PartMetrics,
    pub timing: Timing,
    /// Weights, tree or importances of the fitted model, where the kind has them.
    pub explanation: crate::models::explain::Explanation,
    /// The share hash that reproduces this run in the page.
    pub link: String,
    pub notes: Vec<String>,
}
