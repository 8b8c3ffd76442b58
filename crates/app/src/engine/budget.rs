//! The memory budget: how many bytes a dataset and a model will need, estimated from the
//! sizes alone, so work that would not fit is refused before it starts (in the page a tab
//! that runs out of memory dies without a word). The page and the CLI use the same limit,
//! so a link that runs in one runs in the other.
//!
//! Sizes are counted as the wasm build lays them out (4-byte indices): the browser is
//! where memory is tight. Estimates are upper bounds of the largest structures, not exact.

use crate::base::error::Result;
use crate::base::memory::{check, data_bytes, LIMIT_BYTES};
use crate::kinds::{ModelSpec, Sizes};

/// Extra bytes the model needs on top of the data while it trains (each kind's estimate,
/// in its description in `kinds`).
pub fn model_bytes(model: &ModelSpec, rows: u64, features: u64, n_out: u64) -> u64 {
    model.memory(Sizes { rows, features, n_out })
}

/// The check a session makes before it prepares the data and builds the model.
pub fn check_session(model: &ModelSpec, rows: usize, columns: usize, features: usize, n_out: usize) -> Result<()> {
    let (r, f) = (rows as u64, features as u64);
    let need = data_bytes(r, columns as u64, f) + model_bytes(model, r, f, n_out as u64);
    let what = match model {
        ModelSpec::Tsne(p) => format!("t-SNE ({}) on {rows} rows", p.method),
        m => format!("{} on {rows} rows x {features} features", m.kind()),
    };
    check(&what, need, LIMIT_BYTES)
}
