//! CART growing shared by `decision_tree` and `random_forest`, as scikit-learn's dense
//! best splitter: per node and candidate feature, sort the node's rows by value and scan
//! every boundary between distinct values. Missing values (NaN) are tried on both sides
//! and go where the split is better (scikit-learn 1.3+); a column of category indices is
//! split by a subset of categories, found by ordering the categories by their mean target
//! and scanning that order like numbers. The tree grows one depth level per call, so the
//! page can animate it. Rows carry weights (bootstrap counts in a forest).

use ndarray::Array2;

use crate::base::rng::Rng;

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

/// Scores one candidate boundary, with the missing rows on either side.
#[allow(clippy::too_many_arguments)]
fn consider(
    s: &mut Scratch,
    set: &Settings,
    (nl, wl): (usize, f64),
    (nr, wr): (usize, f64),
    (nm, wm): (usize, f64),
    best: &mut Split,
    mut record: impl FnMut(&mut Split, bool),
) {
    let msl = set.min_samples_leaf;
    let k = s.total.len();
    for missing_left in [false, true] {
        if missing_left && nm == 0 {
            break;
        }
        let (nl2, nr2) = if missing_left { (nl + nm, nr) } else { (nl, nr + nm) };
        if nl2 < msl || nr2 < msl {
            continue;
        }
        let (wl2, wr2) = if missing_left { (wl + wm, wr) } else { (wl, wr + wm) };
        for c in 0..k {
            let (l, m) = (s.left[c], s.miss[c]);
            let r = s.total[c] - l;
            s.a[c] = if missing_left { l + m } else { l };
            s.b[c] = if missing_left { r } else { r + m };
        }
        let score = proxy(set.criterion, &s.a, wl2, &s.b, wr2);
        if score > best.score {
            best.score = score;
            record(best, missing_left);
        }
    }
}

fn reset(s: &mut Scratch, k: usize) {
    for v in [&mut s.total, &mut s.left, &mut s.miss, &mut s.a, &mut s.b] {
        v.clear();
        v.resize(k, 0.0);
    }
}

/// Numeric feature `f`: sort the node's rows by value and try every boundary. Returns
/// false when the feature is constant in the node.
#[allow(clippy::too_many_arguments)]
fn scan_numeric(
    s: &mut Scratch,
    set: &Settings,
    y: &Labels,
    w: &[f64],
    rows: &[u32],
    col: &[f64],
    f: usize,
    best: &mut Split,
) -> bool {
    reset(s, y.n_stats());
    s.pairs.clear();
    let (mut nm, mut wm, mut wt) = (0, 0.0, 0.0);
    for &r in rows {
        let (v, wr) = (col[r as usize], w[r as usize]);
        if v.is_nan() {
            nm += 1;
            wm += wr;
            y.add(&mut s.miss, r as usize, wr);
        } else {
            s.pairs.push((v, r));
            wt += wr;
            y.add(&mut s.total, r as usize, wr);
        }
    }
    let m = s.pairs.len();
    if m == 0 {
        return false;
    }
    s.pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    if s.pairs[0].0 == s.pairs[m - 1].0 && nm == 0 {
        return false;
    }
    let mut wl = 0.0;
    for i in 0..m - 1 {
        let (v, r) = s.pairs[i];
        let wr = w[r as usize];
        wl += wr;
        y.add(&mut s.left, r as usize, wr);
        let next = s.pairs[i + 1].0;
        if next <= v {
            continue;
        }
        let (nl, nr) = (i + 1, m - i - 1);
        // Scan the pairs by index so that `s` can be lent to `consider`.
        consider(s, set, (nl, wl), (nr, wt - wl), (nm, wm), best, |b, ml| {
            let mut t = v / 2.0 + next / 2.0;
            if t == next || t.is_infinite() {
                t = v;
            }
            *b = Split {
                score: b.score,
                feature: f,
                categorical: false,
                threshold: t,
                cats_left: vec![],
                missing_left: ml,
            };
        });
    }
    if nm > 0 {
        // Every present value left, missing rows right.
        consider_missing_only(s, set, (m, wt), (nm, wm), best, |b| {
            *b = Split {
                score: b.score,
                feature: f,
                categorical: false,
                threshold: f64::INFINITY,
                cats_left: vec![],
                missing_left: false,
            };
        });
    }
    true
}

/// Present values left, missing right (only that side, unlike `consider`).
fn consider_missing_only(
    s: &mut Scratch,
    set: &Settings,
    (n, wt): (usize, f64),
    (nm, wm): (usize, f64),
    best: &mut Split,
    record: impl FnOnce(&mut Split),
) {
    if n < set.min_samples_leaf || nm < set.min_samples_leaf {
        return;
    }
    let score = proxy(set.criterion, &s.total, wt, &s.miss, wm);
    if score > best.score {
        best.score = score;
        record(best);
    }
}

/// Categorical feature `f`: order the categories present by mean target (share of the
/// node's majority class for several classes) and try every boundary in that order.
#[allow(clippy::too_many_arguments)]
fn scan_categories(
    s: &mut Scratch,
    set: &Settings,
    y: &Labels,
    w: &[f64],
    rows: &[u32],
    col: &[f64],
    n_cats: usize,
    f: usize,
    best: &mut Split,
) -> bool {
    let k = y.n_stats();
    reset(s, k);
    s.cat_n.clear();
    s.cat_n.resize(n_cats, 0);
    s.cat_w.clear();
    s.cat_w.resize(n_cats, 0.0);
    s.cat_s.clear();
    s.cat_s.resize(n_cats * k, 0.0);
    let (mut nm, mut wm, mut wt) = (0, 0.0, 0.0);
    for &r in rows {
        let (v, wr) = (col[r as usize], w[r as usize]);
        if v.is_nan() || v as usize >= n_cats {
            nm += 1;
            wm += wr;
            y.add(&mut s.miss, r as usize, wr);
        } else {
            let c = v as usize;
            s.cat_n[c] += 1;
            s.cat_w[c] += wr;
            wt += wr;
            y.add(&mut s.cat_s[c * k..(c + 1) * k], r as usize, wr);
            y.add(&mut s.total, r as usize, wr);
        }
    }
    let key_class = match y {
        Labels::Classes(_, 2) => 1,
        Labels::Classes(..) => (0..k).max_by(|&a, &b| s.total[a].total_cmp(&s.total[b]).then(b.cmp(&a))).unwrap_or(0),
        Labels::Values(_) => 0,
    };
    s.order.clear();
    for c in (0..n_cats).filter(|&c| s.cat_n[c] > 0) {
        s.order.push((s.cat_s[c * k + key_class] / s.cat_w[c], c));
    }
    if s.order.is_empty() || (s.order.len() == 1 && nm == 0) {
        return false;
    }
    s.order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let m: usize = s.order.iter().map(|&(_, c)| s.cat_n[c]).sum();
    let (mut nl, mut wl) = (0, 0.0);
    for i in 0..s.order.len() - 1 {
        let c = s.order[i].1;
        nl += s.cat_n[c];
        wl += s.cat_w[c];
        for j in 0..k {
            s.left[j] += s.cat_s[c * k + j];
        }
        let before = best.score;
        consider(s, set, (nl, wl), (m - nl, wt - wl), (nm, wm), best, |b, ml| {
            *b = Split {
                score: b.score,
                feature: f,
                categorical: true,
                threshold: 0.0,
                cats_left: vec![],
                missing_left: ml,
            };
        });
        if best.score > before {
            best.cats_left = s.order[..=i].iter().map(|&(_, c)| c).collect();
        }
    }
    if nm > 0 {
        let before = best.score;
        consider_missing_only(s, set, (m, wt), (nm, wm), best, |b| {
            *b = Split {
                score: b.score,
                feature: f,
                categorical: true,
                threshold: 0.0,
                cats_left: vec![],
                missing_left: false,
            };
        });
        if best.score > before {
            best.cats_left = s.order.iter().map(|&(_, c)| c).collect();
        }
    }
    true
}
