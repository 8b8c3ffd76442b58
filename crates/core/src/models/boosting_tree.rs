//! One regression tree of histogram gradient boosting, grown leaf-wise (the leaf whose
//! best split gains most is split next) from gradient/hessian histograms, as
//! scikit-learn's `TreeGrower`. Only the smaller child's histogram is built from its rows;
//! the sibling's is the parent's minus it. Buffers live in the `Grower` and are reused
//! from node to node and tree to tree.

use serde::{Deserialize, Serialize};

use super::boosting_hist::{self as hist, Bin, Binned, Binner, STRIDE};
use super::record::{is_default, num};

/// Least hessian sum on either side of a split (scikit-learn's `min_hessian_to_split`).
const MIN_HESSIAN: f64 = 1e-3;
/// Smoothing of a category's gradient/hessian ratio and the most categories sent left
/// (LightGBM's and scikit-learn's `MIN_CAT_SUPPORT`, `MAX_CAT_THRESHOLD`).
const CAT_SMOOTH: f64 = 10.0;
const MAX_CAT_LEFT: usize = 32;
pub const LEAF: u32 = u32::MAX;

/// A node serialises itself into the model file; fields at their default (a leaf's) are
/// left out, so most nodes are short.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// `LEAF` for a leaf (absent in a file).
    #[serde(default = "leaf", skip_serializing_if = "is_leaf")]
    pub feature: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub bin: u8,
    #[serde(default, skip_serializing_if = "is_default")]
    pub missing_left: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub is_cat: bool,
    /// Numeric split in raw units: `x <= threshold` goes left.
    #[serde(default, skip_serializing_if = "is_default", with = "num::one")]
    pub threshold: f64,
    /// Categorical split: bins (category indices) that go left.
    #[serde(default, skip_serializing_if = "is_default")]
    pub cats: [u64; 4],
    #[serde(default, skip_serializing_if = "is_default")]
    pub left: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub right: u32,
    /// Leaf output (learning rate applied); the node's own value for splits.
    #[serde(with = "num::one")]
    pub value: f64,
    #[serde(default, skip_serializing_if = "is_default", with = "num::one")]
    pub gain: f64,
    pub samples: u32,
}

fn leaf() -> u32 {
    LEAF
}

fn is_leaf(f: &u32) -> bool {
    *f == LEAF
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

fn in_set(cats: &[u64; 4], c: u8) -> bool {
    cats[(c >> 6) as usize] >> (c & 63) & 1 == 1
}

impl Tree {
    /// Output for row `i` of binned data.
    pub fn predict_binned(&self, b: &Binned, i: usize, missing_bin: u8) -> f64 {
        let mut n = &self.nodes[0];
        while n.feature != LEAF {
            let c = b.codes[n.feature as usize * b.n_rows + i];
            let left = if c == missing_bin {
                n.missing_left
            } else if n.is_cat {
                in_set(&n.cats, c)
            } else {
                c <= n.bin
            };
            n = &self.nodes[if left { n.left } else { n.right } as usize];
        }
        n.value
    }

    /// Output for one row in raw units (category indices for categorical columns).
    pub fn predict_row(&self, row: &[f64]) -> f64 {
        let mut n = &self.nodes[0];
        while n.feature != LEAF {
            let v = row[n.feature as usize];
            let left = if v.is_nan() {
                n.missing_left
            } else if n.is_cat {
                // `bin` holds the number of training categories; others read as missing.
                if v >= 0.0 && v < n.bin as f64 {
                    in_set(&n.cats, v as u8)
                } else {
                    n.missing_left
                }
            } else {
                v <= n.threshold
            };
            n = &self.nodes[if left { n.left } else { n.right } as usize];
        }
        n.value
    }
}

#[derive(Debug, Clone, Copy)]
pub struct GrowParams {
    pub max_leaf_nodes: usize,
    pub max_depth: Option<usize>,
    pub min_samples_leaf: usize,
    pub l2: f64,
    pub learning_rate: f64,
}

#[derive(Debug, Clone, Copy)]
struct Split {
    gain: f64,
    feature: usize,
    bin: u8,
    missing_left: bool,
    is_cat: bool,
    cats: [u64; 4],
    n_left: u32,
    g_left: f64,
    h_left: f64,
}

/// A leaf that may still be split.
struct Open {
    node: usize,
    start: usize,
    end: usize,
    depth: usize,
    g: f64,
    h: f64,
    hist: Vec<Bin>,
    split: Split,
}

pub struct Grower {
    pub binned: Binned,
    pub binner: Binner,
    p: GrowParams,
    /// Row indices, each node owning a contiguous range.
    partition: Vec<u32>,
    scratch: Vec<u32>,
    og: Vec<f32>,
    oh: Vec<f32>,
    pool: Vec<Vec<Bin>>,
    cat_order: Vec<(f64, u8)>,
    /// Leaves of the last tree: (start, end, value) into `partition`.
    pub leaves: Vec<(usize, usize, f64)>,
}

fn score(g: f64, h: f64, l2: f64) -> f64 {
    g * g / (h + l2 + 1e-15)
}

impl Grower {
    pub fn new(binned: Binned, binner: Binner, p: GrowParams) -> Grower {
        let n = binned.n_rows;
        Grower {
            binned,
            binner,
            p,
            partition: Vec::with_capacity(n),
            scratch: vec![0; n],
            og: Vec::with_capacity(n),
            oh: Vec::with_capacity(n),
            pool: Vec::new(),
            cat_order: Vec::with_capacity(STRIDE),
            leaves: Vec::new(),
        }
    }

    pub fn partition(&self) -> &[u32] {
        &self.partition
    }

    fn take_hist(&mut self) -> Vec<Bin> {
        self.pool.pop().unwrap_or_else(|| vec![Bin::default(); self.binner.n_bins.len() * STRIDE])
    }

    fn leaf_value(&self, g: f64, h: f64) -> f64 {
        -self.p.learning_rate * g / (h + self.p.l2 + 1e-15)
    }

    /// Grow one tree on gradients `g` and hessians `h` (empty: all hessians 1).
    pub fn grow(&mut self, g: &[f32], h: &[f32]) -> Tree {
        let n = self.binned.n_rows;
        self.partition.clear();
        self.partition.extend(0..n as u32);
        self.leaves.clear();
        let mut tree = Tree::default();
        let gs: f64 = g.iter().map(|&v| v as f64).sum();
        let hs: f64 = if h.is_empty() { n as f64 } else { h.iter().map(|&v| v as f64).sum() };
        tree.nodes.push(self.new_node(gs, hs, n));
        let mut open: Vec<Open> = Vec::new();
        if self.can_split(n, hs, 0) {
            let mut hst = self.take_hist();
            hist::build(&mut hst, &self.binned, None, g, h);
            self.consider(&mut tree, &mut open, 0, 0, n, 0, gs, hs, hst);
        }
        let mut n_leaves = 1;
        while n_leaves < self.p.max_leaf_nodes && !open.is_empty() {
            let best = (0..open.len()).fold(0, |b, i| if open[i].split.gain > open[b].split.gain { i } else { b });
            let o = open.swap_remove(best);
            self.split(&mut tree, &mut open, o, g, h);
            n_leaves += 1;
        }
        for o in open.drain(..) {
            self.leaves.push((o.start, o.end, tree.nodes[o.node].value));
            self.pool.push(o.hist);
        }
        tree
    }

    fn new_node(&self, g: f64, h: f64, samples: usize) -> Node {
        Node {
            feature: LEAF,
            bin: 0,
            missing_left: false,
            is_cat: false,
            threshold: 0.0,
            cats: [0; 4],
            left: 0,
            right: 0,
            value: self.leaf_value(g, h),
            gain: 0.0,
            samples: samples as u32,
        }
    }

    fn can_split(&self, n: usize, h: f64, depth: usize) -> bool {
        n >= 2 * self.p.min_samples_leaf && h >= 2.0 * MIN_HESSIAN && self.p.max_depth.is_none_or(|d| depth < d)
    }

    /// Find the node's best split; keep it open if there is one, else it is a leaf.
    #[allow(clippy::too_many_arguments)]
    fn consider(
        &mut self,
        tree: &mut Tree,
        open: &mut Vec<Open>,
        node: usize,
        start: usize,
        end: usize,
        depth: usize,
        g: f64,
        h: f64,
        hst: Vec<Bin>,
    ) {
        match self.best_split(&hst, g, h, end - start) {
            Some(split) => open.push(Open { node, start, end, depth, g, h, hist: hst, split }),
            None => {
                self.leaves.push((start, end, tree.nodes[node].value));
                self.pool.push(hst);
            }
        }
    }

    fn split(&mut self, tree: &mut Tree, open: &mut Vec<Open>, o: Open, g: &[f32], h: &[f32]) {
        let s = o.split;
        let f = s.feature;
        // Which bin codes go left, as a table so partitioning does not branch on the kind.
        let mut goes_left = [false; STRIDE];
        for (c, l) in goes_left.iter_mut().enumerate() {
            let c = c as u8;
            *l = if c == self.binner.missing_bin {
                s.missing_left
            } else if s.is_cat {
                in_set(&s.cats, c)
            } else {
                c <= s.bin
            };
        }
        let col = self.binned.col(f);
        let (mut l, mut r) = (o.start, 0);
        // Branch-free: each row is written to both sides, and only one side advances.
        for k in o.start..o.end {
            let row = self.partition[k];
            let left = goes_left[col[row as usize] as usize] as usize;
            self.partition[l] = row;
            self.scratch[r] = row;
            l += left;
            r += 1 - left;
        }
        self.partition[l..o.end].copy_from_slice(&self.scratch[..r]);
        debug_assert_eq!(l - o.start, s.n_left as usize);

        let (gl, hl, gr, hr) = (s.g_left, s.h_left, o.g - s.g_left, o.h - s.h_left);
        let (nl, nr) = (l - o.start, o.end - l);
        let li = tree.nodes.len();
        tree.nodes.push(self.new_node(gl, hl, nl));
        tree.nodes.push(self.new_node(gr, hr, nr));
        let parent = &mut tree.nodes[o.node];
        parent.feature = f as u32;
        parent.bin = if s.is_cat { self.binner.n_bins[f] as u8 } else { s.bin };
        parent.missing_left = s.missing_left;
        parent.is_cat = s.is_cat;
        parent.threshold = if s.is_cat { 0.0 } else { self.binner.threshold(f, s.bin) };
        parent.cats = s.cats;
        parent.left = li as u32;
        parent.right = li as u32 + 1;
        parent.gain = s.gain;

        let depth = o.depth + 1;
        let (split_l, split_r) = (self.can_split(nl, hl, depth), self.can_split(nr, hr, depth));
        let mut parent_hist = o.hist;
        if !split_l && !split_r {
            self.leaves.push((o.start, l, tree.nodes[li].value));
            self.leaves.push((l, o.end, tree.nodes[li + 1].value));
            self.pool.push(parent_hist);
            return;
        }
        // Build the smaller child; the parent's histogram becomes the larger one's.
        let small_left = nl <= nr;
        let (s0, s1) = if small_left { (o.start, l) } else { (l, o.end) };
        let mut small = self.take_hist();
        self.og.clear();
        self.oh.clear();
        let rows = &self.partition[s0..s1];
        self.og.extend(rows.iter().map(|&r| g[r as usize]));
        if !h.is_empty() {
            self.oh.extend(rows.iter().map(|&r| h[r as usize]));
        }
        hist::build(&mut small, &self.binned, Some(&self.partition[s0..s1]), &self.og, &self.oh);
        hist::subtract(&mut parent_hist, &small);
        let (hist_l, hist_r) = if small_left { (small, parent_hist) } else { (parent_hist, small) };
        for (node, a, b, gg, hh, can, hst) in
            [(li, o.start, l, gl, hl, split_l, hist_l), (li + 1, l, o.end, gr, hr, split_r, hist_r)]
        {
            if can {
                self.consider(tree, open, node, a, b, depth, gg, hh, hst);
            } else {
                self.leaves.push((a, b, tree.nodes[node].value));
                self.pool.push(hst);
            }
        }
    }

    /// The split of largest positive gain over all features, or `None`.
    fn best_split(&mut self, hst: &[Bin], g: f64, h: f64, n: usize) -> Option<Split> {
        let mut best: Option<Split> = None;
        let base = score(g, h, self.p.l2);
        let min_leaf = self.p.min_samples_leaf as u32;
        let n = n as u32;
        let l2 = self.p.l2;
        let mb = self.binner.missing_bin as usize;
        for f in 0..self.binner.n_bins.len() {
            let hf = &hst[f * STRIDE..(f + 1) * STRIDE];
            let nb = self.binner.n_bins[f];
            let miss = hf[mb];
            let mut consider =
                |gain: f64, bin: u8, missing_left: bool, cats: Option<[u64; 4]>, nl: u32, gl: f64, hl: f64| {
                    if gain > 0.0 && best.is_none_or(|b| gain > b.gain) {
                        let is_cat = cats.is_some();
                        best = Some(Split {
                            gain,
                            feature: f,
                            bin,
                            missing_left,
                            is_cat,
                            cats: cats.unwrap_or([0; 4]),
                            n_left: nl,
                            g_left: gl,
                            h_left: hl,
                        });
                    }
                };
            let ok =
                |nl: u32, hl: f64| nl >= min_leaf && n - nl >= min_leaf && hl >= MIN_HESSIAN && h - hl >= MIN_HESSIAN;
            if self.binner.categorical[f] {
                self.cat_order.clear();
                for (c, b) in hf[..nb].iter().enumerate().chain(std::iter::once((mb, &miss))) {
                    if b.n > 0 {
                        self.cat_order.push((b.g / (b.h + CAT_SMOOTH), c as u8));
                    }
                }
                let used = self.cat_order.len();
                if used <= 1 {
                    continue;
                }
                crate::base::sort::sort_by(&mut self.cat_order, &|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let max_left = MAX_CAT_LEFT.min(used.div_ceil(2));
                for rev in [false, true] {
                    let (mut nl, mut gl, mut hl) = (0u32, 0.0, 0.0);
                    let mut cats = [0u64; 4];
                    for i in 0..max_left {
                        let c = self.cat_order[if rev { used - 1 - i } else { i }].1;
                        let b = hf[c as usize];
                        (nl, gl, hl) = (nl + b.n, gl + b.g, hl + b.h);
                        cats[(c >> 6) as usize] |= 1 << (c & 63);
                        if nl < min_leaf || hl < MIN_HESSIAN {
                            continue;
                        }
                        if n - nl < min_leaf || h - hl < MIN_HESSIAN {
                            break;
                        }
                        let gain = score(gl, hl, l2) + score(g - gl, h - hl, l2) - base;
                        let ml = if miss.n > 0 { in_set(&cats, mb as u8) } else { nl > n - nl };
                        consider(gain, 0, ml, Some(cats), nl, gl, hl);
                    }
                }
                continue;
            }
            // Missing values right: thresholds below the last bin, and "all values left"
            // when there are missing values to send right.
            let end = if miss.n > 0 { nb } else { nb - 1 };
            let (mut nl, mut gl, mut hl) = (0u32, 0.0, 0.0);
            for (t, b) in hf[..end].iter().enumerate() {
                (nl, gl, hl) = (nl + b.n, gl + b.g, hl + b.h);
                if !ok(nl, hl) {
                    continue;
                }
                let gain = score(gl, hl, l2) + score(g - gl, h - hl, l2) - base;
                // With no missing values here, they go where most rows went.
                let ml = miss.n == 0 && nl > n - nl;
                consider(gain, t as u8, ml, None, nl, gl, hl);
            }
            if miss.n == 0 {
                continue;
            }
            // Missing values left.
            let (mut nl, mut gl, mut hl) = (miss.n, miss.g, miss.h);
            for (t, b) in hf[..nb - 1].iter().enumerate() {
                (nl, gl, hl) = (nl + b.n, gl + b.g, hl + b.h);
                if !ok(nl, hl) {
                    continue;
                }
                let gain = score(gl, hl, l2) + score(g - gl, h - hl, l2) - base;
                consider(gain, t as u8, true, None, nl, gl, hl);
            }
        }
        best
    }
}
