//! mlplay's lower layers, the code the training loops run in: `base` (errors, RNG, threads),
//! `linalg`, `data` (tables, splits, preprocessing), `metrics`, and the algorithms (`models`,
//! `cluster`, `embed`, `gpu`). Its own crate so that it is optimised for speed while the
//! layers above (`mlplay-app`) are optimised for size: the wasm is the first visit's download.

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

pub use base::error::{Error, Result};
