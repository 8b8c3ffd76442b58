//! Evaluation of a run: its report and the cost of the model (time and size).

pub mod baseline;
pub mod evaluation;
pub mod report;
pub mod surface;
pub mod timing;
