//! CART growing shared by `decision_tree` and `random_forest`, as scikit-learn's dense
//! best splitter: per node and candidate feature, sort the node's rows by value and scan
//! every boundary between distinct values. Missing values (NaN) are tried on both sides
//! and go where the split is better (scikit-learn 1.3+); a column of category indices is
//! split by a subset of categories, found by ordering the categories by their mean target
//! and scanning that order like numbers. The tree grows one depth level per call, so the
//! page can animate it. Rows carry weights (bootstrap counts in a forest).

use ndarray::Array2;

use crate::base::rng::Rng;

mod scan;
use scan::{scan_categories, scan_numeric};

/// Node kinds in `FlatTree`.
pub const LEAF: u8 = 0;
pub const NUMERIC: u8 = 1;
pub const CATEGORY: u8 = 2;

/// Below this a node counts as pure (scikit-learn's EPSILON).
const PURE: f64 = f64::EPSILON;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    Gini,
    Entropy,
    SquaredError,
}

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub criterion: Criterion,
    pub max_depth: Option<u32>,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
    /// Features examined per split (all of them for a plain decision tree).
    pub max_features: usize,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: u8,
    pub missing_left: bool,
    pub feature: u32,
    pub left: u32,
    pub right: u32,
    /// Numeric split: `x <= threshold` goes left.
    pub threshold: f64,
    /// Category split: words `[cat_start, cat_start + cat_len)` of `FlatTree::cat_words`,
    /// a bit set of the categories that go left.
    pub cat_start: u32,
    pub cat_len: u32,
    pub samples: u32,
    pub weight: f64,
    pub impurity: f64,
}

/// A fitted tree in flat arrays (node 0 is the root), cheap to walk and to store.
#[derive(Debug, Clone)]
pub struct FlatTree {
    pub nodes: Vec<Node>,
    /// `n_out` numbers per node: class proportions, or the mean target.
    pub values: Vec<f64>,
    pub n_out: usize,
    pub cat_words: Vec<u64>,
}

impl FlatTree {
    pub fn value(&self, node: usize) -> &[f64] {
        &self.values[node * self.n_out..(node + 1) * self.n_out]
    }

    /// Whether a row goes left at split node `n`.
    fn goes_left(&self, n: &Node, v: f64) -> bool {
        if v.is_nan() {
            return n.missing_left;
        }
        if n.kind == NUMERIC {
            return v <= n.threshold;
        }
        let c = v as usize;
        let w = c / 64;
        w < n.cat_len as usize && (self.cat_words[n.cat_start as usize + w] >> (c % 64)) & 1 == 1
    }

    pub fn leaf_of(&self, row: &[f64]) -> usize {
        let mut i = 0;
        loop {
            let n = &self.nodes[i];
            if n.kind == LEAF {
                return i;
            }
            i = if self.goes_left(n, row[n.feature as usize]) { n.left } else { n.right } as usize;
        }
    }

    /// Categories (indices) that go left at a category split.
    pub fn categories_left(&self, n: &Node) -> Vec<u32> {
        let words = &self.cat_words[n.cat_start as usize..(n.cat_start + n.cat_len) as usize];
        (0..words.len() as u32 * 64).filter(|&c| (words[c as usize / 64] >> (c % 64)) & 1 == 1).collect()
    }

    pub fn size_bytes(&self) -> usize {
        self.nodes.len() * std::mem::size_of::<Node>() + (self.values.len() + self.cat_words.len()) * 8
    }

    /// Adds the tree's output for every row of `x` into `out` (`n_out` per row).
    pub fn add_predictions(&self, x: &Array2<f64>, out: &mut [f64]) {
        let d = x.ncols();
        let owned;
        let flat = match x.as_slice() {
            Some(s) => s,
            None => {
                owned = x.iter().copied().collect::<Vec<f64>>();
                &owned
            }
        };
        for (row, o) in flat.chunks_exact(d.max(1)).zip(out.chunks_exact_mut(self.n_out)) {
            let leaf = self.leaf_of(row);
            o.iter_mut().zip(self.value(leaf)).for_each(|(a, b)| *a += b);
        }
    }
}

/// The training features column by column (split search reads one column at a time).
pub struct Columns {
    pub cols: Vec<Vec<f64>>,
    pub categorical: Vec<bool>,
    /// Number of categories of each categorical column (largest index + 1).
    pub n_cats: Vec<usize>,
}

impl Columns {
    pub fn new(x: &Array2<f64>, categorical: &[bool]) -> Columns {
        let cols: Vec<Vec<f64>> = x.columns().into_iter().map(|c| c.to_vec()).collect();
        let categorical: Vec<bool> = (0..cols.len()).map(|j| categorical.get(j).copied().unwrap_or(false)).collect();
        let n_cats =
            cols.iter()
                .zip(&categorical)
                .map(|(c, &cat)| {
                    if cat {
                        c.iter().filter(|v| !v.is_nan()).fold(0.0f64, |a, &b| a.max(b + 1.0)) as usize
                    } else {
                        0
                    }
                })
                .collect();
        Columns { cols, categorical, n_cats }
    }

    pub fn n_rows(&self) -> usize {
        self.cols.first().map_or(0, |c| c.len())
    }
}

/// The target of the training rows.
pub enum Labels<'a> {
    Classes(&'a [u32], usize),
    Values(&'a [f64]),
}

impl Labels<'_> {
    /// Numbers of statistics per node: class weights, or the weighted sum of targets.
    fn n_stats(&self) -> usize {
        match self {
            Labels::Classes(_, k) => *k,
            Labels::Values(_) => 1,
        }
    }

    #[inline]
    fn add(&self, stats: &mut [f64], r: usize, w: f64) {
        match self {
            Labels::Classes(y, _) => stats[y[r] as usize] += w,
            Labels::Values(y) => stats[0] += w * y[r],
        }
    }
}

fn xlogx(v: f64) -> f64 {
    if v > 0.0 {
        v * libm::log(v)
    } else {
        0.0
    }
}

/// What the scan maximises: minus the children's weighted impurity, up to a constant.
fn proxy(c: Criterion, l: &[f64], wl: f64, r: &[f64], wr: f64) -> f64 {
    match c {
        Criterion::Gini => l.iter().map(|v| v * v).sum::<f64>() / wl + r.iter().map(|v| v * v).sum::<f64>() / wr,
        Criterion::Entropy => {
            l.iter().map(|&v| xlogx(v)).sum::<f64>() - xlogx(wl) + r.iter().map(|&v| xlogx(v)).sum::<f64>() - xlogx(wr)
        }
        Criterion::SquaredError => l[0] * l[0] / wl + r[0] * r[0] / wr,
    }
}

#[derive(Debug, Clone, Default)]
struct Split {
    score: f64,
    feature: usize,
    categorical: bool,
    threshold: f64,
    /// Category split: the categories that go left.
    cats_left: Vec<usize>,
    missing_left: bool,
}

/// Reusable buffers of the split search, so the hot loops do not allocate.
#[derive(Default)]
struct Scratch {
    pairs: Vec<(f64, u32)>,
    total: Vec<f64>,
    left: Vec<f64>,
    miss: Vec<f64>,
    a: Vec<f64>,
    b: Vec<f64>,
    cat_n: Vec<usize>,
    cat_w: Vec<f64>,
    cat_s: Vec<f64>,
    order: Vec<(f64, usize)>,
}

/// A node waiting to be split: its rows are `rows[start..end]`.
struct Open {
    node: usize,
    start: usize,
    end: usize,
    depth: u32,
}

/// Grows one tree level by level over `Columns`; owns the row order and the frontier.
pub struct Grower {
    set: Settings,
    weights: Vec<f64>,
    rows: Vec<u32>,
    open: Vec<Open>,
    rng: Rng,
    feats: Vec<usize>,
    s: Scratch,
    /// Weighted impurity decrease per feature (scikit-learn's importances, unnormalised).
    pub importance: Vec<f64>,
}

impl Grower {
    /// Starts a tree whose root holds the rows with positive `weights`; returns the
    /// grower and the root-only tree.
    pub fn new(cols: &Columns, y: &Labels, weights: Vec<f64>, set: Settings, rng: Rng) -> (Grower, FlatTree) {
        let rows: Vec<u32> = (0..weights.len() as u32).filter(|&r| weights[r as usize] > 0.0).collect();
        let d = cols.cols.len();
        let mut g = Grower {
            set,
            weights,
            open: vec![],
            rng,
            feats: (0..d).collect(),
            s: Scratch::default(),
            importance: vec![0.0; d],
            rows,
        };
        let mut tree = FlatTree { nodes: vec![], values: vec![], n_out: y.n_stats(), cat_words: vec![] };
        let n = g.rows.len();
        g.add_node(&mut tree, y, 0, n, 0);
        (g, tree)
    }

    pub fn is_done(&self) -> bool {
        self.open.is_empty()
    }

    /// Splits every open node once (one more depth level); false when nothing is left.
    pub fn grow_level(&mut self, cols: &Columns, y: &Labels, tree: &mut FlatTree) -> bool {
        for o in std::mem::take(&mut self.open) {
            let Some(split) = self.best_split(cols, y, &o) else { continue };
            let (mid, n_missing) = self.partition(cols, &o, &split);
            let left = self.add_node(tree, y, o.start, mid, o.depth + 1);
            let right = self.add_node(tree, y, mid, o.end, o.depth + 1);
            let (p, l, r) = (&tree.nodes[o.node], &tree.nodes[left], &tree.nodes[right]);
            self.importance[split.feature] += p.weight * p.impurity - l.weight * l.impurity - r.weight * r.impurity;
            // No missing value seen here: a missing one later follows the bigger child.
            let missing_left = if n_missing > 0 { split.missing_left } else { l.samples >= r.samples };
            let (cat_start, cat_len) = if split.categorical {
                let n_words = split.cats_left.iter().max().map_or(0, |m| m / 64 + 1);
                let start = tree.cat_words.len();
                tree.cat_words.resize(start + n_words, 0);
                for &c in &split.cats_left {
                    tree.cat_words[start + c / 64] |= 1 << (c % 64);
                }
                (start as u32, n_words as u32)
            } else {
                (0, 0)
            };
            let n = &mut tree.nodes[o.node];
            n.kind = if split.categorical { CATEGORY } else { NUMERIC };
            (n.feature, n.threshold, n.missing_left) = (split.feature as u32, split.threshold, missing_left);
            (n.left, n.right, n.cat_start, n.cat_len) = (left as u32, right as u32, cat_start, cat_len);
        }
        !self.open.is_empty()
    }

    /// Appends a leaf for `rows[start..end]` and opens it when it may still be split.
    fn add_node(&mut self, tree: &mut FlatTree, y: &Labels, start: usize, end: usize, depth: u32) -> usize {
        let (mut weight, mut stats, mut sum_sq) = (0.0, vec![0.0; y.n_stats()], 0.0);
        for &r in &self.rows[start..end] {
            let (r, w) = (r as usize, self.weights[r as usize]);
            weight += w;
            y.add(&mut stats, r, w);
            if let Labels::Values(v) = y {
                sum_sq += w * v[r] * v[r];
            }
        }
        let safe_w = if weight > 0.0 { weight } else { 1.0 };
        let impurity = match self.set.criterion {
            Criterion::Gini => 1.0 - stats.iter().map(|c| (c / safe_w) * (c / safe_w)).sum::<f64>(),
            Criterion::Entropy => {
                -stats.iter().filter(|&&c| c > 0.0).map(|&c| c / safe_w * libm::log2(c / safe_w)).sum::<f64>()
            }
            Criterion::SquaredError => (sum_sq / safe_w - (stats[0] / safe_w).powi(2)).max(0.0),
        };
        stats.iter_mut().for_each(|v| *v /= safe_w);
        let id = tree.nodes.len();
        let samples = end - start;
        tree.nodes.push(Node {
            kind: LEAF,
            missing_left: false,
            feature: 0,
            left: 0,
            right: 0,
            threshold: 0.0,
            cat_start: 0,
            cat_len: 0,
            samples: samples as u32,
            weight,
            impurity,
        });
        tree.values.extend(stats);
        let s = &self.set;
        let splittable = s.max_depth.is_none_or(|m| depth < m)
            && samples >= s.min_samples_split
            && samples >= 2 * s.min_samples_leaf
            && impurity > PURE;
        if splittable {
            self.open.push(Open { node: id, start, end, depth });
        }
        id
    }

    /// The best split over up to `max_features` non-constant features drawn at random.
    fn best_split(&mut self, cols: &Columns, y: &Labels, o: &Open) -> Option<Split> {
        let mut best = Split { score: f64::NEG_INFINITY, ..Default::default() };
        let d = self.feats.len();
        let mut visited = 0;
        for i in 0..d {
            if visited >= self.set.max_features {
                break;
            }
            let j = i + self.rng.below((d - i) as u64) as usize;
            self.feats.swap(i, j);
            let f = self.feats[i];
            let rows = &self.rows[o.start..o.end];
            let varied = if cols.categorical[f] {
                scan_categories(
                    &mut self.s,
                    &self.set,
                    y,
                    &self.weights,
                    rows,
                    &cols.cols[f],
                    cols.n_cats[f],
                    f,
                    &mut best,
                )
            } else {
                scan_numeric(&mut self.s, &self.set, y, &self.weights, rows, &cols.cols[f], f, &mut best)
            };
            visited += varied as usize;
        }
        best.score.is_finite().then_some(best)
    }

    /// Moves the rows going left to the front of the node's range; returns the boundary
    /// and how many rows had the split's feature missing.
    fn partition(&mut self, cols: &Columns, o: &Open, split: &Split) -> (usize, usize) {
        let col = &cols.cols[split.feature];
        let goes_left = |v: f64| {
            if v.is_nan() {
                split.missing_left
            } else if split.categorical {
                split.cats_left.contains(&(v as usize))
            } else {
                v <= split.threshold
            }
        };
        let rows = &mut self.rows[o.start..o.end];
        let (mut mid, mut n_missing) = (0, 0);
        for i in 0..rows.len() {
            let v = col[rows[i] as usize];
            n_missing += v.is_nan() as usize;
            if goes_left(v) {
                rows.swap(i, mid);
                mid += 1;
            }
        }
        (o.start + mid, n_missing)
    }
}
