//! mlplay's upper layers, code that runs once per click: `kinds` (each model kind as a
//! plugin), `state` (the shareable state and its link codec), `engine` (sessions, evaluation),
//! `app` (exercises, model files, exports), `charts`, and `web`, the only place that speaks
//! to JavaScript. Optimised for size (see the workspace's Cargo.toml); the layers below come
//! from `mlplay-core` under their usual paths.

#[cfg(any(target_arch = "wasm32", feature = "native-gpu"))]
pub use mlplay_core::gpu;
pub use mlplay_core::{base, cluster, data, embed, linalg, metrics, models, unsupervised};
pub use mlplay_core::{Error, Result};

pub mod kinds;

pub mod state;

pub mod engine;

pub mod app;

pub mod charts;

#[cfg(target_arch = "wasm32")]
pub mod web;
