//! The engine: a `Session` turns a state and a data set into steps and snapshots; the
//! memory budget and the evaluation (metrics, timing, curves) belong to it.

pub mod budget;
pub mod eval;
pub mod rows;
pub mod session;
