//! Permutation importance of a boosted model on binned validation rows: the mean drop in
//! accuracy (or R²) when one column's values are shuffled among the rows. Only the trees
//! that split on the column can change, so only those are re-evaluated.

use super::boosting::BoostingModel;
use super::boosting_hist::Binned;
use super::boosting_tree::LEAF;
use crate::base::rng::Rng;
use crate::data::Target;
use crate::metrics::regression;

/// Rows and shuffles used (kept small: it runs once, after the last round).
const ROWS: usize = 1000;
const REPEATS: usize = 3;
/// Largest trees x rows table of cached tree outputs.
const CACHE: usize = 4_000_000;

/// Accuracy or R² of raw scores stored output-major.
fn score(raw: &[f64], n: usize, k: usize, y: &Target) -> f64 {
    match y {
        Target::Values(y) => regression::r2(y, raw),
        Target::Classes { labels, .. } => {
            let hit = |i: usize| {
                let pred = if k == 1 {
                    (raw[i] > 0.0) as usize
                } else {
                    (0..k).fold(0, |b, c| if raw[c * n + i] > raw[b * n + i] { c } else { b })
                };
                pred == labels[i] as usize
            };
            (0..n).filter(|&i| hit(i)).count() as f64 / n as f64
        }
    }
}

/// The (seeded) validation rows the importances are measured on.
pub fn pick_rows(val: &Binned, y: &Target, seed: u64) -> (Binned, Target) {
    let mut rows: Vec<usize> = (0..val.n_rows).collect();
    if rows.len() > ROWS {
        Rng::derive(seed, 41).shuffle(&mut rows);
        rows.truncate(ROWS);
        rows.sort_unstable();
    }
    let n_features = val.codes.len() / val.n_rows.max(1);
    let mut b = Binned { codes: Vec::with_capacity(rows.len() * n_features), n_rows: rows.len() };
    for f in 0..n_features {
        let col = val.col(f);
        b.codes.extend(rows.iter().map(|&i| col[i]));
    }
    (b, y.select(&rows))
}

pub fn permutation_importance(m: &BoostingModel, b: &Binned, y: &Target, seed: u64) -> Vec<f64> {
    let mut rng = Rng::derive(seed, 42);
    let (n, k, mb) = (b.n_rows, m.k, m.missing_bin);
    let mut b = b.clone();
    let cached = m.trees.len() * n <= CACHE;
    let contrib: Vec<f64> = if cached {
        m.trees.iter().flat_map(|t| (0..n).map(|i| t.predict_binned(&b, i, mb)).collect::<Vec<_>>()).collect()
    } else {
        Vec::new()
    };
    let mut base_raw = vec![0.0; n * k];
    for c in 0..k {
        base_raw[c * n..(c + 1) * n].fill(m.baseline[c]);
    }
    for (t, tree) in m.trees.iter().enumerate() {
        let c = t % k;
        for i in 0..n {
            base_raw[c * n + i] += if cached { contrib[t * n + i] } else { tree.predict_binned(&b, i, mb) };
        }
    }
    let base = score(&base_raw, n, k, y);
    let mut raw = base_raw.clone();
    (0..m.n_features)
        .map(|f| {
            let using: Vec<usize> = (0..m.trees.len())
                .filter(|&t| m.trees[t].nodes.iter().any(|nd| nd.feature != LEAF && nd.feature as usize == f))
                .collect();
            if using.is_empty() {
                return 0.0;
            }
            let saved = b.col(f).to_vec();
            let mut drop = 0.0;
            for _ in 0..REPEATS {
                // Old outputs come from the unshuffled rows.
                let old: Vec<f64> = if cached {
                    Vec::new()
                } else {
                    using
                        .iter()
                        .flat_map(|&t| (0..n).map(|i| m.trees[t].predict_binned(&b, i, mb)).collect::<Vec<_>>())
                        .collect()
                };
                rng.shuffle(&mut b.codes[f * n..(f + 1) * n]);
                raw.copy_from_slice(&base_raw);
                for (u, &t) in using.iter().enumerate() {
                    let c = t % k;
                    for i in 0..n {
                        let before = if cached { contrib[t * n + i] } else { old[u * n + i] };
                        raw[c * n + i] += m.trees[t].predict_binned(&b, i, mb) - before;
                    }
                }
                drop += base - score(&raw, n, k, y);
                b.codes[f * n..(f + 1) * n].copy_from_slice(&saved);
            }
            drop / REPEATS as f64
        })
        .collect()
}
