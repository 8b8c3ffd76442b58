//! One isolation tree, as scikit-learn's `ExtraTreeRegressor(max_features=1,
//! splitter="random")` inside IsolationForest: at each node a feature drawn at random among
//! those not constant on the node's rows, a threshold uniform between their min and max,
//! rows with `x <= threshold` to the left; a node stops at the depth limit or with one row.
//! A row's path length is the depth of the leaf it reaches plus `c(n)`, the average depth
//! still to go in an unbuilt subtree of the leaf's `n` training rows.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::rng::Rng;

/// Features whose range over a node's rows is at most this are constant there
/// (scikit-learn's FEATURE_THRESHOLD).
const FEATURE_THRESHOLD: f64 = 1e-7;

/// `feature` of a leaf.
pub const LEAF: i32 = -1;

/// Average path length of an unsuccessful search in a binary search tree of `n` rows,
/// `2 H(n-1) - 2 (n-1) / n` with `H(i) ~ ln(i) + Euler's gamma`, as scikit-learn writes it.
pub fn average_path_length(n: usize) -> f64 {
    match n {
        0 | 1 => 0.0,
        2 => 1.0,
        _ => {
            let m = (n - 1) as f64;
            2.0 * (libm::log(m) + 0.577_215_664_901_532_9) - 2.0 * m / n as f64
        }
    }
}

/// The depth limit of a tree grown on `psi` rows: ceil(log2(max(psi, 2))).
pub fn depth_limit(psi: usize) -> usize {
    let psi = psi.max(2);
    (0..usize::BITS as usize).find(|&d| 1usize.checked_shl(d as u32).is_none_or(|p| p >= psi)).unwrap_or(64)
}

/// Nodes in arrays, parents before children; a split's right child follows its left.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IsolationTree {
    /// The column split on, or `LEAF`.
    pub(super) feature: Vec<i32>,
    /// Rows with `x <= threshold` go left (0 at leaves).
    #[serde(deserialize_with = "floats_or_null")]
    pub(super) threshold: Vec<f64>,
    /// The left child of a split (0 at leaves).
    pub(super) left: Vec<u32>,
    /// Rows of the tree's sample that reached the node.
    pub(super) n_samples: Vec<u32>,
    /// Leaves: depth + c(n_samples), what a row ending there adds to its path length.
    #[serde(skip)]
    path: Vec<f64>,
}

/// Numbers, with `null` (how serde_json writes NaN) read as NaN, so that the checks after
/// parsing name the bad value's place rather than serde failing on its type.
fn floats_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<f64>, D::Error> {
    let v: Vec<Option<f64>> = Deserialize::deserialize(d)?;
    Ok(v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
}

impl IsolationTree {
    pub fn n_nodes(&self) -> usize {
        self.feature.len()
    }

    /// Grows a tree on `psi` rows of `x` drawn by `rng` (with replacement when `bootstrap`),
    /// looking at `n_features` columns drawn without replacement.
    pub fn grow(x: &Array2<f64>, psi: usize, n_features: usize, bootstrap: bool, rng: &mut Rng) -> IsolationTree {
        let (n, d) = x.dim();
        let rows = if bootstrap { (0..psi).map(|_| rng.below(n as u64) as usize).collect() } else { draw(n, psi, rng) };
        let features = if n_features < d { draw(d, n_features, rng) } else { (0..d).collect() };
        // The sample column by column: each node scans one feature over its rows.
        let k = features.len();
        let mut cols = vec![0.0; k * psi];
        for (f, &j) in features.iter().enumerate() {
            for (i, &r) in rows.iter().enumerate() {
                cols[f * psi + i] = x[[r, j]];
            }
        }
        let max_depth = depth_limit(psi);
        let mut t = IsolationTree::default();
        t.push();
        let mut idx: Vec<u32> = (0..psi as u32).collect();
        let mut candidates = Vec::with_capacity(k);
        // (node, first row, end row, depth), depth first.
        let mut stack = vec![(0usize, 0usize, psi, 0usize)];
        while let Some((node, lo, hi, depth)) = stack.pop() {
            t.n_samples[node] = (hi - lo) as u32;
            let split = if depth < max_depth && hi - lo >= 2 {
                candidates.clear();
                candidates.extend(0..k);
                pick_split(&cols, psi, &idx[lo..hi], &mut candidates, rng)
            } else {
                None
            };
            let Some((f, threshold)) = split else {
                t.path[node] = depth as f64 + average_path_length(hi - lo);
                continue;
            };
            let col = &cols[f * psi..(f + 1) * psi];
            let mid = lo + partition(&mut idx[lo..hi], |i| col[i as usize] <= threshold);
            let left = t.n_nodes();
            t.push();
            t.push();
            t.feature[node] = features[f] as i32;
            t.threshold[node] = threshold;
            t.left[node] = left as u32;
            stack.push((left + 1, mid, hi, depth + 1));
            stack.push((left, lo, mid, depth + 1));
        }
        t
    }

    fn push(&mut self) {
        self.feature.push(LEAF);
        self.threshold.push(0.0);
        self.left.push(0);
        self.n_samples.push(0);
        self.path.push(0.0);
    }

    /// The path length of `row`.
    #[inline]
    pub fn path_length(&self, row: &[f64]) -> f64 {
        let mut i = 0;
        loop {
            let f = self.feature[i];
            if f < 0 {
                return self.path[i];
            }
            // NaN goes right, as in scikit-learn's trees without missing-value support.
            let left = self.left[i] as usize;
            i = if row[f as usize] <= self.threshold[i] { left } else { left + 1 };
        }
    }

    /// Adds each row's path length to `sums` (one per row of `x`, which is row-major).
    pub fn add_path_lengths(&self, x: &[f64], d: usize, sums: &mut [f64]) {
        for (s, row) in sums.iter_mut().zip(x.chunks_exact(d.max(1))) {
            *s += self.path_length(row);
        }
    }

    /// Checks a tree read from a record (field names start with `at`) against the
    /// forest's `n_features`, and fills in what is derived from it.
    pub fn check_and_finish(&mut self, at: &str, n_features: usize) -> Result<()> {
        let n = self.feature.len();
        let err = |field: String, message: String| Err(Error::model_file(field, message));
        if n == 0 {
            return err(format!("{at}.feature"), "is empty: a tree has at least its root".into());
        }
        for (name, len) in
            [("threshold", self.threshold.len()), ("left", self.left.len()), ("n_samples", self.n_samples.len())]
        {
            if len != n {
                return err(format!("{at}.{name}"), format!("holds {len} values, the tree has {n} nodes"));
            }
        }
        let mut depth = vec![0usize; n];
        self.path = vec![0.0; n];
        for i in 0..n {
            let f = self.feature[i];
            if f == LEAF {
                if self.n_samples[i] == 0 {
                    return err(format!("{at}.n_samples[{i}]"), "is 0: every leaf holds at least one row".into());
                }
                self.path[i] = depth[i] as f64 + average_path_length(self.n_samples[i] as usize);
                continue;
            }
            if f < 0 || f as usize >= n_features {
                return err(format!("{at}.feature[{i}]"), format!("{f} is not a column (the model has {n_features})"));
            }
            if !self.threshold[i].is_finite() {
                return err(format!("{at}.threshold[{i}]"), format!("{} is not a finite number", self.threshold[i]));
            }
            let left = self.left[i] as usize;
            if left <= i || left + 1 >= n {
                return err(
                    format!("{at}.left[{i}]"),
                    format!("node {left} is not a pair of nodes after node {i} (the tree has {n} nodes)"),
                );
            }
            depth[left] = depth[i] + 1;
            depth[left + 1] = depth[i] + 1;
        }
        Ok(())
    }
}

/// `k` distinct indices of `0..n` in random order (a partial Fisher-Yates shuffle).
fn draw(n: usize, k: usize, rng: &mut Rng) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    for i in 0..k.min(n) {
        let j = i + rng.below((n - i) as u64) as usize;
        all.swap(i, j);
    }
    all.truncate(k);
    all
}

/// A random feature among `candidates` that is not constant on `rows`, and a threshold
/// uniform in [min, max) of it; `None` when every candidate is constant.
fn pick_split(
    cols: &[f64],
    psi: usize,
    rows: &[u32],
    candidates: &mut Vec<usize>,
    rng: &mut Rng,
) -> Option<(usize, f64)> {
    while !candidates.is_empty() {
        let j = rng.below(candidates.len() as u64) as usize;
        let f = candidates[j];
        let col = &cols[f * psi..(f + 1) * psi];
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &r in rows {
            let v = col[r as usize];
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if hi <= lo + FEATURE_THRESHOLD || hi.is_nan() || lo.is_nan() {
            candidates.swap_remove(j);
            continue;
        }
        let t = lo + (hi - lo) * rng.uniform();
        // As scikit-learn: a threshold rounded up to the max would send every row left.
        return Some((f, if t >= hi { lo } else { t }));
    }
    None
}

/// Moves the items for which `left` holds to the front; returns how many there are.
fn partition(items: &mut [u32], left: impl Fn(u32) -> bool) -> usize {
    let mut k = 0;
    for i in 0..items.len() {
        if left(items[i]) {
            items.swap(i, k);
            k += 1;
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_path_lengths_as_scikit_learn() {
        assert_eq!(average_path_length(1), 0.0);
        assert_eq!(average_path_length(2), 1.0);
        // sklearn.ensemble._iforest._average_path_length([256]) and ([3]).
        assert!((average_path_length(256) - 10.244_770_920_119_917).abs() < 1e-12);
        assert!((average_path_length(3) - 1.207_392_357_589_623).abs() < 1e-12);
    }

    #[test]
    fn depth_limits() {
        let got: Vec<usize> = [1, 2, 3, 4, 5, 255, 256, 257].iter().map(|&p| depth_limit(p)).collect();
        assert_eq!(got, vec![1, 1, 2, 2, 3, 8, 8, 9]);
    }

    #[test]
    fn a_tree_isolates_its_rows() {
        let x = Array2::from_shape_fn((64, 3), |(i, j)| ((i * 7 + j * 13) % 64) as f64);
        let t = IsolationTree::grow(&x, 64, 3, false, &mut Rng::new(5));
        // Every leaf's rows sum to the sample; splits have two children after them.
        let leaves: u32 = (0..t.n_nodes()).filter(|&i| t.feature[i] == LEAF).map(|i| t.n_samples[i]).sum();
        assert_eq!(leaves, 64);
        let mut again = t.clone();
        again.path.clear();
        again.check_and_finish("tree", 3).unwrap();
        assert_eq!(again, t);
        // Depth 6 separates 64 distinct rows: most leaves hold one row.
        assert!(t.n_nodes() > 64, "{} nodes", t.n_nodes());
    }

    #[test]
    fn constant_columns_are_never_split() {
        let x = Array2::from_shape_fn((32, 2), |(i, j)| if j == 0 { 1.0 } else { i as f64 });
        let t = IsolationTree::grow(&x, 32, 2, true, &mut Rng::new(1));
        assert!(t.feature.iter().all(|&f| f == LEAF || f == 1));
        let flat = Array2::<f64>::ones((10, 2));
        let t = IsolationTree::grow(&flat, 10, 2, false, &mut Rng::new(1));
        assert_eq!((t.n_nodes(), t.path[0]), (1, average_path_length(10)));
    }
}
