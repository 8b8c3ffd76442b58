//! Evaluation of a run: its report, the cost of the model (time and size), cross-validation
//! and validation curves.

pub mod baseline;
pub mod cross_val;
pub mod evaluation;
pub mod report;
pub mod surface;
pub mod timing;
pub mod unsupervised_report;
pub mod validation_curve;
