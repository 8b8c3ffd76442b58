//! The memory budget: how many bytes a dataset and a model will need, estimated from the
//! sizes alone, so work that would not fit is refused before it starts (in the page a tab
//! that runs out of memory dies without a word). The page and the CLI use the same limit,
//! so a link that runs in one runs in the other.
//!
//! Sizes are counted as the wasm build lays them out (4-byte indices): the browser is
//! where memory is tight. Estimates are upper bounds of the largest structures, not exact.

use crate::base::error::Result;
use crate::base::memory::{check, data_bytes, LIMIT_BYTES};
use crate::models::ModelSpec;

const F64: u64 = 8;
const IDX: u64 = 4;

/// Extra bytes the model needs on top of the data while it trains.
pub fn model_bytes(model: &ModelSpec, rows: u64, features: u64, n_out: u64) -> u64 {
    let matrix = rows * features * F64;
    match model {
        // Exact t-SNE keeps n x n affinities and n x n distances.
        ModelSpec::Tsne(p) if p.method == "exact" => 2 * rows * rows * F64,
        // Barnes-Hut: k = 3 * perplexity + 1 neighbours, each stored as (index, distance),
        // its affinity, and both directions as (row, column, value) while they are merged.
        ModelSpec::Tsne(p) => {
            let k = ((3.0 * p.perplexity + 1.0) as u64).min(rows.saturating_sub(1));
            rows * k * (IDX + F64 + F64 + 2 * (2 * IDX + F64)) + rows * features.min(50) * F64
        }
        // The neighbour graph (index, distance, candidate flags) and its fuzzy union.
        ModelSpec::Umap(p) => rows * p.n_neighbors as u64 * 3 * (IDX + F64) + matrix,
        // A kd-tree over a copy of the rows.
        ModelSpec::Knn(_) | ModelSpec::Dbscan(_) => 2 * matrix + rows * 2 * IDX,
        // The centred copy and its singular vectors.
        ModelSpec::Pca(_) => 2 * matrix,
        ModelSpec::Kmeans(_) => matrix + rows * IDX,
        // Every tree grown out: up to two nodes (about 48 bytes and a value per output) per
        // leaf, a leaf per distinct sampled row (63% of them with bootstrap).
        ModelSpec::RandomForest(p) => {
            let sampled = if p.bootstrap { rows * 632 / 1000 } else { rows };
            let leaves = leaf_cap(sampled / p.min_samples_leaf.max(1) as u64, p.max_depth);
            p.n_estimators as u64 * 2 * leaves * (48 + n_out * F64) + rows * 2 * IDX
        }
        ModelSpec::DecisionTree(p) => {
            let leaves = leaf_cap(rows / p.min_samples_leaf.max(1) as u64, p.max_depth);
            2 * leaves * (48 + n_out * F64) + rows * 2 * IDX
        }
        // One byte per binned cell, gradients and predictions per row and output.
        ModelSpec::GradientBoosting(_) => rows * features + rows * n_out.max(1) * 3 * F64,
        // Activations of a batch are small; the rows' predictions for the loss are not.
        ModelSpec::Mlp(_) | ModelSpec::Autoencoder(_) => rows * n_out.max(features) * F64 * 2,
        _ => rows * n_out.max(1) * F64 * 2,
    }
}

fn leaf_cap(leaves: u64, max_depth: Option<u32>) -> u64 {
    match max_depth {
        Some(d) if d < 40 => leaves.min(1 << d),
        _ => leaves,
    }
    .max(1)
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
