//! mlplay: a machine-learning playground whose core runs natively and in the browser.
//!
//! The layout of the modules is the architecture: `data` loads and splits tables,
//! `models` trains step by step, `metrics` scores predictions, `eval` times and reports
//! a run, `state` is the shareable state and its link codec, `session` ties them into
//! the engine that the browser worker and the CLI both drive, `export` writes an experiment
//! as scikit-learn or Spark code, `charts` draws, and `web` is the only place that speaks to
//! JavaScript.

pub mod base;
pub mod linalg;

pub mod data;
pub mod metrics;

pub mod cluster;
pub mod embed;
#[cfg(any(target_arch = "wasm32", feature = "native-gpu"))]
pub mod gpu;
pub mod models;
pub mod unsupervised;

pub mod kinds;

pub mod state;

pub mod engine;

pub mod app;

pub mod charts;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use base::error::{Error, Result};
