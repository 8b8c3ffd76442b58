//! mlplay: a machine-learning playground whose core runs natively and in the browser.
//!
//! The layout of the modules is the architecture: `data` loads and splits tables,
//! `models` trains step by step, `metrics` scores predictions, `eval` times and reports
//! a run, `state` is the shareable state and its link codec, `session` ties them into
//! the engine that the browser worker and the CLI both drive, `export` writes an experiment
//! as scikit-learn or Spark code, `charts` draws, and `web` is the only place that speaks to
//! JavaScript.

#[cfg(any(target_arch = "wasm32", feature = "native-gpu"))]
pub use mlplay_core::gpu;
pub use mlplay_core::{base, cluster, data, embed, linalg, metrics, models, unsupervised};
pub use mlplay_core::{Error, Result};

#[cfg(target_arch = "wasm32")]
pub use mlplay_app::web;
pub use mlplay_app::{app, charts, engine, kinds, state};
