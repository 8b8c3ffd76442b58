//! A clustering or projection read from a model file, as a finished fitter in a session:
//! it answers with the saved labels, coordinates and metrics of the rows it was fitted on.

use ndarray::Array2;
use serde_json::Value;

use crate::base::error::Result;
use crate::metrics::Metrics;
use crate::unsupervised::Unsupervised;

pub struct Restored {
    /// The record it was read from (`None` for t-SNE and UMAP, which keep none).
    pub record: Option<Value>,
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
    fn record(&self, _x: &Array2<f64>) -> Option<Value> {
        self.record.clone()
    }
}
