//! Scores of predictions, named as scikit-learn names them.

pub mod classification;
pub mod clustering;
pub mod curves;
pub mod embedding;
pub mod regression;

use std::collections::BTreeMap;

/// Metric name -> value, in a stable order for JSON and tables.
pub type Metrics = BTreeMap<String, f64>;
