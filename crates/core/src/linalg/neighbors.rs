//! Nearest-neighbour search: a kd-tree for few dimensions and an exhaustive scan, giving
//! the same answers. Neighbours are ordered by (squared distance, row index), so ties in
//! distance go to the earlier row in both, and the results are identical.
//!
//! The kd-tree is written here rather than taken from a crate: `kiddo` fixes the
//! dimension at compile time (ours is the data's), and the `kdtree` crate stores a `Vec`
//! per point and breaks ties by insertion order. Ours is ~150 lines over one flat
//! array and costs the wasm bundle less than either.

use ndarray::Array2;

/// Rows per leaf: below this a scan is cheaper than descending further.
const LEAF: usize = 16;

/// Squared Euclidean distance, the same bits in every search. Four running sums let the
/// compiler use vector registers (a single sum is a chain of dependent additions).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
pub fn dist2(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| (x - y) * (x - y)).sum();
    for (x, y) in ca.zip(cb) {
        for j in 0..4 {
            acc[j] += (x[j] - y[j]) * (x[j] - y[j]);
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// `dist2` above with its four sums in two wasm SIMD registers (lanes 0, 1 and 2, 3), the
/// same operations lane by lane, so the same bits (LLVM does not vectorise it for wasm).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
pub fn dist2(a: &[f64], b: &[f64]) -> f64 {
    use core::arch::wasm32::*;
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| (x - y) * (x - y)).sum();
    let (mut lo, mut hi) = (f64x2_splat(0.0), f64x2_splat(0.0));
    for (x, y) in ca.zip(cb) {
        // SAFETY: x and y hold 4 f64 each; v128 loads need no alignment in wasm.
        let (x0, x1, y0, y1) = unsafe {
            let (px, py) = (x.as_ptr() as *const v128, y.as_ptr() as *const v128);
            (v128_load(px), v128_load(px.add(1)), v128_load(py), v128_load(py.add(1)))
        };
        let (d0, d1) = (f64x2_sub(x0, y0), f64x2_sub(x1, y1));
        lo = f64x2_add(lo, f64x2_mul(d0, d0));
        hi = f64x2_add(hi, f64x2_mul(d1, d1));
    }
    let l = |v: v128| (f64x2_extract_lane::<0>(v), f64x2_extract_lane::<1>(v));
    let ((a0, a1), (a2, a3)) = (l(lo), l(hi));
    (a0 + a1) + (a2 + a3) + tail
}

/// Whether a kd-tree pays off: it prunes well only in few dimensions, and for a handful
/// of rows a scan is as fast.
pub fn tree_pays(rows: usize, dims: usize) -> bool {
    dims <= 8 && rows > 64
}

/// Keeps the k best (d2, index) pairs seen so far, sorted, in a reused buffer.
#[inline]
fn offer(best: &mut Vec<(f64, usize)>, k: usize, cand: (f64, usize)) {
    // Most candidates lose to the current k-th: reject them before any bookkeeping.
    if best.len() == k && best.last().is_some_and(|w| cand.0 > w.0) {
        return;
    }
    offer_slow(best, k, cand);
}

fn offer_slow(best: &mut Vec<(f64, usize)>, k: usize, cand: (f64, usize)) {
    let before = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    if best.len() == k {
        if before(&cand, best.last().expect("k > 0")).is_ge() {
            return;
        }
        best.pop();
    }
    let at = best.partition_point(|b| before(b, &cand).is_lt());
    best.insert(at, cand);
}

/// The k nearest rows of `points` to `query` by exhaustive scan, closest first.
pub fn brute_nearest(points: &Array2<f64>, query: &[f64], k: usize, out: &mut Vec<(f64, usize)>) {
    out.clear();
    let d = points.ncols();
    let flat = points.as_slice().expect("row-major points");
    for (i, p) in flat.chunks_exact(d.max(1)).enumerate().take(points.nrows()) {
        offer(out, k, (dist2(p, query), i));
    }
}

/// The k nearest other rows of each of the n rows of `flat` (row-major, d columns), by an
/// exhaustive scan, as (rows, squared distances), n x k flat, closest first, the same as
/// `brute_nearest` per row without the row itself.
pub fn all_nearest(flat: &[f64], n: usize, d: usize, k: usize) -> (Vec<usize>, Vec<f64>) {
    let mut scan = Scan::new(n, k);
    while !scan.advance(flat, d) {}
    scan.finish()
}

/// `all_nearest` in pieces (a strip of rows against all later rows each). Each pair's
/// distance is computed once and offered to both rows (half the work), in blocks of rows
/// that stay in cache. Being called many times also lets a wasm engine swap in its
/// optimised code for the next piece (it cannot while one call runs).
pub struct Scan {
    n: usize,
    k: usize,
    best: Vec<Vec<(f64, usize)>>,
    /// The k-th distance of each full list: most pairs lose to both and are dropped there.
    worst: Vec<f64>,
    /// First row of the next strip.
    at: usize,
}

const BLOCK: usize = 64;

impl Scan {
    pub fn new(n: usize, k: usize) -> Scan {
        Scan { n, k, best: (0..n).map(|_| Vec::with_capacity(k + 1)).collect(), worst: vec![f64::INFINITY; n], at: 0 }
    }

    /// Share of the pairs done.
    pub fn fraction(&self) -> f64 {
        let left = (self.n - self.at.min(self.n)) as f64;
        1.0 - left * left / (self.n as f64 * self.n as f64)
    }

    /// The next strip; true when all pairs are done.
    #[inline(never)]
    pub fn advance(&mut self, flat: &[f64], d: usize) -> bool {
        let (n, k, bi) = (self.n, self.k, self.at);
        if bi >= n {
            return true;
        }
        let row = |i: usize| &flat[i * d..(i + 1) * d];
        let take = |best: &mut Vec<(f64, usize)>, worst: &mut f64, cand: (f64, usize)| {
            if cand.0 <= *worst {
                offer_slow(best, k, cand);
                if best.len() == k {
                    *worst = best[k - 1].0;
                }
            }
        };
        for bj in (bi..n).step_by(BLOCK) {
            for i in bi..(bi + BLOCK).min(n) {
                let (ri, from) = (row(i), if bj == bi { i + 1 } else { bj });
                for j in from..(bj + BLOCK).min(n) {
                    let d2 = dist2(ri, row(j));
                    take(&mut self.best[i], &mut self.worst[i], (d2, j));
                    take(&mut self.best[j], &mut self.worst[j], (d2, i));
                }
            }
        }
        self.at = bi + BLOCK;
        self.at >= n
    }

    pub fn finish(self) -> (Vec<usize>, Vec<f64>) {
        let (mut idx, mut dist) = (Vec::with_capacity(self.n * self.k), Vec::with_capacity(self.n * self.k));
        for b in self.best {
            idx.extend(b.iter().map(|e| e.1));
            dist.extend(b.iter().map(|e| e.0));
        }
        (idx, dist)
    }
}

#[derive(Debug, Clone)]
enum Node {
    Leaf {
        start: usize,
        end: usize,
    },
    /// Points under `left` have `coord <= value` along `dim`, those under `right` `>= value`.
    Split {
        dim: usize,
        value: f64,
        left: usize,
        right: usize,
    },
}

#[derive(Debug, Clone)]
pub struct KdTree {
    dims: usize,
    /// Points in tree order, row-major.
    points: Vec<f64>,
    /// Original row of each point in tree order.
    rows: Vec<usize>,
    nodes: Vec<Node>,
}

impl KdTree {
    pub fn build(points: &Array2<f64>) -> KdTree {
        let dims = points.ncols();
        let mut rows: Vec<usize> = (0..points.nrows()).collect();
        let mut nodes = Vec::new();
        if !rows.is_empty() {
            build_node(points, &mut rows, 0, &mut nodes);
        }
        let mut flat = Vec::with_capacity(rows.len() * dims);
        for &r in &rows {
            flat.extend(points.row(r).iter());
        }
        KdTree { dims, points: flat, rows, nodes }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn size_bytes(&self) -> usize {
        self.points.len() * 8
            + self.rows.len() * std::mem::size_of::<usize>()
            + self.nodes.len() * std::mem::size_of::<Node>()
    }

    /// The points as the rows they were built from, in their original order.
    pub fn points_in_row_order(&self) -> Array2<f64> {
        let mut out = Array2::zeros((self.rows.len(), self.dims));
        for (i, &r) in self.rows.iter().enumerate() {
            out.row_mut(r).iter_mut().zip(self.point(i)).for_each(|(o, &v)| *o = v);
        }
        out
    }

    fn point(&self, i: usize) -> &[f64] {
        &self.points[i * self.dims..(i + 1) * self.dims]
    }

    /// The k nearest rows to `query` as (squared distance, row), closest first.
    pub fn nearest(&self, query: &[f64], k: usize) -> Vec<(f64, usize)> {
        let mut out = Vec::with_capacity(k);
        self.nearest_into(query, k, &mut out);
        out
    }

    /// As `nearest`, into a buffer reused across queries.
    pub fn nearest_into(&self, query: &[f64], k: usize, out: &mut Vec<(f64, usize)>) {
        out.clear();
        if k > 0 && !self.is_empty() {
            self.search(0, query, k, out);
        }
    }

    fn search(&self, node: usize, q: &[f64], k: usize, best: &mut Vec<(f64, usize)>) {
        match self.nodes[node] {
            Node::Leaf { start, end } => {
                for i in start..end {
                    offer(best, k, (dist2(self.point(i), q), self.rows[i]));
                }
            }
            Node::Split { dim, value, left, right } => {
                let diff = q[dim] - value;
                let (near, far) = if diff <= 0.0 { (left, right) } else { (right, left) };
                self.search(near, q, k, best);
                // Equal distance may still hide an earlier row: prune only when farther.
                if best.len() < k || diff * diff <= best.last().expect("full").0 {
                    self.search(far, q, k, best);
                }
            }
        }
    }

    /// Rows within `radius` of `query` (distance <= radius), in row order.
    pub fn within(&self, query: &[f64], radius: f64) -> Vec<usize> {
        let mut out = Vec::new();
        self.within_into(query, radius, &mut out);
        out.sort_unstable();
        out
    }

    /// As `within`, in no particular order, into a buffer reused across queries.
    pub fn within_into(&self, query: &[f64], radius: f64, out: &mut Vec<usize>) {
        out.clear();
        if !self.is_empty() {
            self.collect_within(0, query, radius * radius, out);
        }
    }

    /// How many rows lie within `radius` of `query`, counting no further than `limit`.
    pub fn count_within(&self, query: &[f64], radius: f64, limit: usize) -> usize {
        if self.is_empty() {
            return 0;
        }
        self.count_node(0, query, radius * radius, limit)
    }

    fn collect_within(&self, node: usize, q: &[f64], r2: f64, out: &mut Vec<usize>) {
        match self.nodes[node] {
            Node::Leaf { start, end } => {
                out.extend((start..end).filter(|&i| dist2(self.point(i), q) <= r2).map(|i| self.rows[i]));
            }
            Node::Split { dim, value, left, right } => {
                let diff = q[dim] - value;
                let (near, far) = if diff <= 0.0 { (left, right) } else { (right, left) };
                self.collect_within(near, q, r2, out);
                if diff * diff <= r2 {
                    self.collect_within(far, q, r2, out);
                }
            }
        }
    }

    fn count_node(&self, node: usize, q: &[f64], r2: f64, limit: usize) -> usize {
        match self.nodes[node] {
            Node::Leaf { start, end } => (start..end).filter(|&i| dist2(self.point(i), q) <= r2).take(limit).count(),
            Node::Split { dim, value, left, right } => {
                let diff = q[dim] - value;
                let (near, far) = if diff <= 0.0 { (left, right) } else { (right, left) };
                let got = self.count_node(near, q, r2, limit);
                if got < limit && diff * diff <= r2 {
                    got + self.count_node(far, q, r2, limit - got)
                } else {
                    got
                }
            }
        }
    }
}

/// Build the subtree over `rows[..]` (which start at `offset` in tree order); returns its
/// node index. Splits at the median of the widest dimension.
fn build_node(points: &Array2<f64>, rows: &mut [usize], offset: usize, nodes: &mut Vec<Node>) -> usize {
    let id = nodes.len();
    nodes.push(Node::Leaf { start: offset, end: offset + rows.len() });
    if rows.len() <= LEAF {
        return id;
    }
    let spread = |j: usize| {
        let (lo, hi) = rows.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &r| {
            let v = points[[r, j]];
            (lo.min(v), hi.max(v))
        });
        hi - lo
    };
    let dim = (0..points.ncols()).map(|j| (spread(j), j)).fold((-1.0, 0), |a, b| if b.0 > a.0 { b } else { a }).1;
    let mid = rows.len() / 2;
    rows.select_nth_unstable_by(mid, |&a, &b| points[[a, dim]].total_cmp(&points[[b, dim]]).then(a.cmp(&b)));
    let value = points[[rows[mid], dim]];
    let (lo, hi) = rows.split_at_mut(mid);
    let left = build_node(points, lo, offset, nodes);
    let right = build_node(points, hi, offset + mid, nodes);
    nodes[id] = Node::Split { dim, value, left, right };
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::rng::Rng;

    fn random(n: usize, d: usize, rng: &mut Rng, grid: bool) -> Array2<f64> {
        // On a grid many distances tie, which tests the tie-breaking.
        Array2::from_shape_fn((n, d), |_| if grid { rng.below(5) as f64 } else { rng.normal() })
    }

    #[test]
    fn kd_tree_finds_the_same_neighbours_as_a_scan() {
        let mut rng = Rng::new(3);
        for (n, d, grid) in
            [(500, 2, false), (1000, 3, false), (300, 8, false), (400, 2, true), (17, 1, false), (1, 2, false)]
        {
            let pts = random(n, d, &mut rng, grid);
            let tree = KdTree::build(&pts);
            let queries = random(50, d, &mut rng, grid);
            let mut brute = Vec::new();
            for q in queries.rows() {
                let q = q.to_vec();
                for k in [1, 5, 20] {
                    let k = k.min(n);
                    brute_nearest(&pts, &q, k, &mut brute);
                    assert_eq!(tree.nearest(&q, k), brute, "n={n} d={d} k={k}");
                }
                let r = if grid { 1.0 } else { 0.5 };
                let scan: Vec<usize> = (0..n).filter(|&i| dist2(pts.row(i).as_slice().unwrap(), &q) <= r * r).collect();
                assert_eq!(tree.within(&q, r), scan, "within, n={n} d={d}");
                for limit in [1, 3, n] {
                    assert_eq!(tree.count_within(&q, r, limit), scan.len().min(limit), "count, n={n} d={d}");
                }
            }
        }
    }

    #[test]
    fn all_nearest_is_the_scan_without_the_row_itself() {
        let mut rng = Rng::new(4);
        for (n, d, grid, k) in [(300, 5, false, 7), (200, 3, true, 10), (150, 20, false, 149), (70, 1, true, 3)] {
            let pts = random(n, d, &mut rng, grid);
            let (idx, dist) = all_nearest(pts.as_slice().unwrap(), n, d, k);
            let mut found = Vec::new();
            for i in 0..n {
                brute_nearest(&pts, pts.row(i).as_slice().unwrap(), k + 1, &mut found);
                let want: Vec<(f64, usize)> = found.iter().cloned().filter(|e| e.1 != i).take(k).collect();
                let got: Vec<(f64, usize)> = (0..k).map(|t| (dist[i * k + t], idx[i * k + t])).collect();
                assert_eq!(got, want, "n={n} d={d} row {i}");
            }
        }
    }

    #[test]
    fn empty_and_duplicate_points() {
        let tree = KdTree::build(&Array2::zeros((0, 2)));
        assert!(tree.nearest(&[0.0, 0.0], 3).is_empty() && tree.within(&[0.0, 0.0], 1.0).is_empty());
        let same = Array2::from_elem((100, 2), 1.0);
        let tree = KdTree::build(&same);
        assert_eq!(tree.nearest(&[1.0, 1.0], 3), vec![(0.0, 0), (0.0, 1), (0.0, 2)]);
        assert_eq!(tree.within(&[0.0, 1.0], 1.0).len(), 100);
    }
}
