//! The memory budget: how many bytes a dataset and a model will need, estimated from the
//! sizes alone, so work that would not fit is refused before it starts (in the page a tab
//! that runs out of memory dies without a word). The page and the CLI use the same limit,
//! so a link that runs in one runs in the other.
//!
//! Sizes are counted as the wasm build lays them out (4-byte indices): the browser is
//! where memory is tight. Estimates are upper bounds of the largest structures, not exact.

use crate::error::{Error, Result};
use crate::models::ModelSpec;

/// What one wasm instance may use: wasm32 addresses 4 GiB, and growing the memory past
/// about 2 GB fails in some browsers (the whole block is copied on growth).
pub const LIMIT_BYTES: u64 = 2_000_000_000;

const F64: u64 = 8;
const IDX: u64 = 4;

/// Bytes of the data itself for `rows` rows of `columns` raw columns, `features` of them
/// after encoding (one-hot columns counted): the parsed table, the dataset's matrix and the
/// prepared (imputed, scaled) matrix live at once while a session starts.
pub fn data_bytes(rows: u64, columns: u64, features: u64) -> u64 {
    rows * (columns * F64 + features * F64 * 2 + 2 * F64)
}

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

/// "3.1 GB", "740 MB": decimal units, as file sizes are shown.
pub fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else {
        format!("{:.0} MB", (b / 1e6).max(1.0))
    }
}

/// Refuse `need` bytes over `limit`, naming both and what needs them.
pub fn check(what: &str, need: u64, limit: u64) -> Result<()> {
    if need <= limit {
        return Ok(());
    }
    Err(Error::TooLarge(format!(
        "{what} needs about {} in memory; the limit is {} (a browser tab cannot hold more): use fewer rows{}",
        human(need),
        human(limit),
        if what.contains("t-SNE") { ", or PCA/UMAP" } else { "" }
    )))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human(3_100_000_000), "3.1 GB");
        assert_eq!(human(740_000_000), "740 MB");
        assert_eq!(human(10), "1 MB");
        let e = check("this dataset", 3_100_000_000, 2_000_000_000).unwrap_err().to_string();
        assert!(e.contains("about 3.1 GB") && e.contains("limit is 2.0 GB"), "{e}");
        assert!(check("this dataset", 1_000, 2_000).is_ok());
    }
}
