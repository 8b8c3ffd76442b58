//! k-means' assignment step: every row to its nearest centre, with Hamerly's bounds so
//! that most rows of a late iteration need one distance instead of k.
//!
//! Each row is handled once, start to end: its distance to its own centre, the bound test,
//! the k distances when the test fails (four centres at a time), then its share of the
//! inertia, so rows add up in row order within a piece and pieces in piece order. The
//! nearest centre is the one at the smallest squared distance (ties to the lower index).
//!
//! Cluster sums and counts are kept between assignments: a row that changes cluster moves
//! its values from the old sum to the new one, and rows that stay are not read for them.
//! Each piece collects its moves and pieces add them in piece order, so the threads never
//! change the bits; plain Lloyd keeps its sums the same way, so bounds on or off give the
//! same bits too.
//!
//! Bounds (Hamerly 2010): each row keeps a lower bound on its distance to every centre but
//! its own, lowered by how far the other centres moved since it was set. A row whose
//! distance to its own centre is below that bound (or below half the distance from its
//! centre to the next one) keeps its label without the k distances. The tests keep a
//! margin larger than the rounding of the distances, so a row skipped is a row whose
//! distances would have chosen the same centre: labels, centres and inertia are bit for
//! bit those of computing every distance.

use super::kmeans_lanes::{add_row, dist2, dist2_many, sub_row, Lanes, Narrow};

/// Rows per piece of parallel work.
pub(super) const PIECE: usize = 2048;

/// Relative slack on square roots and on distances between centres.
const SLACK: f64 = 1e-9;

/// What a row's bounds need between assignments.
#[derive(Debug, Clone, Default)]
pub(super) struct Bounds {
    /// Per row, a lower bound on its distance to every centre but its own.
    lower: Vec<f64>,
    /// Per centre, an upper bound on how far it moved since the bounds were last updated.
    moved: Vec<f64>,
    /// The bounds describe the current labels (false before a restart's first assignment).
    known: bool,
    /// Never skip a row (plain Lloyd: for checks and timings).
    pub off: bool,
    /// Two-lane registers only, even where the processor has wider ones (for checks).
    pub narrow: bool,
    /// Rows whose k distances were computed, over the fit so far.
    pub scored: usize,
    /// Per-cluster sums and counts of the rows under the current labels, kept between
    /// assignments so that only rows that change cluster move their values.
    sums: Vec<f64>,
    counts: Vec<usize>,
    /// `sums` and `counts` describe the current labels.
    sums_known: bool,
}

impl Bounds {
    /// Forget the bounds (a new restart starts from new centres).
    pub(super) fn reset(&mut self) {
        self.known = false;
        self.sums_known = false;
    }

    /// The kept per-cluster sums and counts.
    pub(super) fn kept(&self) -> (&[f64], &[usize]) {
        (&self.sums, &self.counts)
    }

    /// Row `i` (values `xi`) moves from cluster `from` to the empty cluster `to` (the
    /// relocation of an empty cluster): the kept sums follow, and the row's lower bound,
    /// which excluded its old centre, is forgotten.
    pub(super) fn relocate(&mut self, i: usize, xi: &[f64], from: usize, to: usize) {
        let d = xi.len();
        for (j, v) in xi.iter().enumerate() {
            self.sums[from * d + j] -= v;
            self.sums[to * d + j] = *v;
        }
        self.counts[from] -= 1;
        self.counts[to] = 1;
        self.lower[i] = 0.0;
    }

    /// Centre `c` moved by `dist2` (squared).
    pub(super) fn centre_moved(&mut self, c: usize, dist2: f64) {
        self.moved[c] += dist2.sqrt() * (1.0 + SLACK);
    }
}

/// One assignment's results (the sums and counts, when asked for, are kept in `Bounds`).
pub(super) struct Assigned {
    pub labels: Vec<u32>,
    pub inertia: f64,
    /// Rows whose label differs from the previous assignment's (all rows when none).
    pub changed: usize,
}

/// What one piece of rows adds to an assignment.
struct Piece {
    labels: Vec<u32>,
    inertia: f64,
    changed: usize,
    scored: usize,
    /// The piece's rows' sums and counts, or with `moves` what its changed rows move.
    sums: Vec<f64>,
    counts: Vec<i64>,
}

/// What every piece reads.
struct Scene<'a> {
    x: &'a [f64],
    d: usize,
    k: usize,
    centers: &'a [f64],
    /// The labels the bounds describe (empty on a restart's first assignment).
    prev: &'a [u32],
    /// Bounds may skip rows.
    known: bool,
    /// Per centre: a lower bound on its distance to the nearest other centre, and the most
    /// any other centre moved.
    sep: Vec<f64>,
    other_moved: Vec<f64>,
    /// A row keeps its label when bound² · keep > its squared distance to its centre.
    keep: f64,
    /// Below 1 by more than the relative rounding of a squared distance.
    low: f64,
    want_sums: bool,
    /// Sums are kept: a piece adds only what its changed rows move.
    moves: bool,
    /// Each row's nearest centre and squared distance, already known (k-means++ found
    /// them on the way: see `assign`).
    seeded: Option<(&'a [u32], &'a [f64])>,
}

/// Labels every row of `x` (n x d, row-major) with its nearest of `centers` (k x d) and
/// sums the squared distances; with `want_sums`, also keeps per-cluster sums and counts
/// in `bounds`. `prev` are the labels the bounds describe. Pieces of rows go over the
/// threads; their sums add up in piece order, rows within a piece in row order.
/// `seeded`: on a restart's first assignment, each row's nearest centre and squared
/// distance as k-means++ left them (the bits `nearest` would compute, ties to the lower
/// index as there), so that no row computes its k distances; its lower bound is then 0.
pub(super) fn assign(
    x: &[f64],
    d: usize,
    centers: &[f64],
    prev: &[u32],
    bounds: &mut Bounds,
    want_sums: bool,
    seeded: Option<(&[u32], &[f64])>,
) -> Assigned {
    let n = x.len() / d;
    let k = centers.len() / d;
    let has_prev = prev.len() == n;
    if bounds.lower.len() != n || !has_prev {
        bounds.lower = vec![0.0; n];
        bounds.known = false;
    }
    bounds.moved.resize(k, 0.0);
    let centre = |c: usize| &centers[c * d..(c + 1) * d];
    // A computed squared distance is within eta (relative) of the true one: d + 3 roundings
    // of non-negative terms, doubled for margin.
    let eta = 2.0 * (d as f64 + 4.0) * f64::EPSILON;
    let low = 1.0 - eta;
    let sep = (0..k)
        .map(|a| {
            (0..k).filter(|&c| c != a).map(|c| dist2::<Narrow>(centre(a), centre(c))).fold(f64::INFINITY, f64::min)
        })
        .map(|s| (s * low).sqrt() * (1.0 - SLACK))
        .collect();
    let other_moved = (0..k)
        .map(|a| bounds.moved.iter().enumerate().filter(|&(c, _)| c != a).fold(0.0f64, |m, (_, &v)| m.max(v)))
        .collect();
    let scene = Scene {
        x,
        d,
        k,
        centers,
        prev: if has_prev { prev } else { &[] },
        known: bounds.known && !bounds.off,
        sep,
        other_moved,
        keep: (1.0 - SLACK - eta) / (1.0 + SLACK + eta),
        low,
        want_sums,
        moves: want_sums && has_prev && bounds.sums_known,
        seeded: seeded.filter(|_| !bounds.off && !bounds.known),
    };
    let narrow = bounds.narrow;
    let pieces = crate::base::par::map_chunks_mut(&mut bounds.lower, PIECE, |first, lower| {
        run_piece(&scene, first, lower, narrow)
    });
    bounds.moved.iter_mut().for_each(|m| *m = 0.0);
    bounds.known = true;
    let moves = scene.moves;
    let mut out = Assigned { labels: Vec::with_capacity(n), inertia: 0.0, changed: 0 };
    if want_sums && !moves {
        bounds.sums = vec![0.0; k * d];
        bounds.counts = vec![0; k];
    }
    for p in pieces {
        out.labels.extend_from_slice(&p.labels);
        out.inertia += p.inertia;
        out.changed += p.changed;
        bounds.scored += p.scored;
        if want_sums {
            bounds.sums.iter_mut().zip(&p.sums).for_each(|(s, v)| *s += v);
            bounds.counts.iter_mut().zip(&p.counts).for_each(|(c, v)| *c = (*c as i64 + v) as usize);
        }
    }
    // An emptied cluster starts again from exact zeros, not from its rows' rounding.
    for (c, _) in bounds.counts.iter().enumerate().filter(|&(_, &n)| n == 0) {
        bounds.sums[c * d..(c + 1) * d].fill(0.0);
    }
    // Without sums the labels move on and the kept sums no longer describe them.
    bounds.sums_known = want_sums;
    out
}

/// Each row's squared distance to its centre, the bits `assign` summed (for relocating
/// the centres of empty clusters).
pub(super) fn distances(x: &[f64], d: usize, centers: &[f64], labels: &[u32]) -> Vec<f64> {
    x.chunks_exact(d)
        .zip(labels)
        .map(|(xi, &c)| dist2::<Narrow>(xi, &centers[c as usize * d..(c as usize + 1) * d]))
        .collect()
}

/// `piece` in AVX registers where the processor has them (the same operations lane by
/// lane, so the same bits), else in the build's own. Never inlined: the page's engine
/// (V8) first runs wasm in a baseline compiler and switches a function to optimised code
/// only on a later call, so the hot loop must be a function called once per piece, not
/// once per pass over the data (a pass inlined whole runs unoptimised on a fresh page).
#[inline(never)]
fn run_piece(s: &Scene, first: usize, lower: &mut [f64], narrow: bool) -> Piece {
    #[cfg(target_arch = "x86_64")]
    if !narrow && std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the processor has AVX (checked just above).
        return unsafe { piece_avx(s, first, lower) };
    }
    let _ = narrow;
    piece::<Narrow>(s, first, lower)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn piece_avx(s: &Scene, first: usize, lower: &mut [f64]) -> Piece {
    piece::<super::kmeans_lanes::Avx>(s, first, lower)
}

/// Rows `first..first + lower.len()`.
#[inline(always)]
fn piece<L: Lanes>(s: &Scene, first: usize, lower: &mut [f64]) -> Piece {
    let (d, k) = (s.d, s.k);
    let block = &s.x[first * d..(first + lower.len()) * d];
    let centre = |c: usize| &s.centers[c * d..(c + 1) * d];
    let mut p = Piece {
        labels: Vec::with_capacity(lower.len()),
        inertia: 0.0,
        changed: 0,
        scored: 0,
        sums: vec![0.0; if s.want_sums { k * d } else { 0 }],
        counts: vec![0; if s.want_sums { k } else { 0 }],
    };
    let prev = if s.prev.is_empty() { &[][..] } else { &s.prev[first..first + lower.len()] };
    for (r, (xi, low)) in block.chunks_exact(d).zip(lower.iter_mut()).enumerate() {
        let own = if s.known {
            let a = prev[r] as usize;
            // Rounded down, so that rounding never lifts the bound above the truth.
            *low = (*low - s.other_moved[a]) * (1.0 - 4.0 * f64::EPSILON);
            Some((a, dist2::<L>(xi, centre(a))))
        } else {
            None
        };
        let (c, dc) = match (own, s.seeded) {
            (Some((a, d2a)), _) if keeps(s, a, d2a, *low) => (a, d2a),
            (None, Some((labels, dist))) => {
                *low = 0.0;
                (labels[first + r] as usize, dist[first + r])
            }
            _ => {
                p.scored += 1;
                let (c, dc, second) = nearest::<L>(xi, s.centers, d, own);
                *low = (second * s.low).sqrt() * (1.0 - SLACK);
                (c, dc)
            }
        };
        p.labels.push(c as u32);
        p.inertia += dc;
        let was = prev.get(r).map(|&l| l as usize);
        p.changed += usize::from(was != Some(c));
        if s.moves {
            if let Some(a) = was.filter(|&a| a != c) {
                sub_row::<L>(&mut p.sums[a * d..(a + 1) * d], xi);
                add_row::<L>(&mut p.sums[c * d..(c + 1) * d], xi);
                p.counts[a] -= 1;
                p.counts[c] += 1;
            }
        } else if s.want_sums {
            add_row::<L>(&mut p.sums[c * d..(c + 1) * d], xi);
            p.counts[c] += 1;
        }
    }
    p
}

/// Whether a row at squared distance `d2a` from its centre `a`, with lower bound `low` on
/// its distance to every other centre, is surely nearest to `a`: by that bound, or by
/// half the distance from `a` to the next centre (the triangle inequality).
#[inline(always)]
fn keeps(s: &Scene, a: usize, d2a: f64, low: f64) -> bool {
    if low > 0.0 && low * low * s.keep > d2a {
        return true;
    }
    let t = s.sep[a] - d2a.sqrt() * (1.0 + SLACK);
    t > 0.0 && t * t * s.keep > d2a
}

/// The nearest centre to `xi`, its squared distance and the second smallest squared
/// distance; `known`: a centre whose distance is already computed (computed again here
/// when it shares a group of four: the same bits). Centres four at a time (`dist2_many`).
#[inline(always)]
fn nearest<L: Lanes>(xi: &[f64], centers: &[f64], d: usize, known: Option<(usize, f64)>) -> (usize, f64, f64) {
    let (mut best, mut second, mut bc) = (f64::INFINITY, f64::INFINITY, 0);
    let mut consider = |c: usize, s: f64| {
        if s < best {
            (second, best, bc) = (best, s, c);
        } else if s < second {
            second = s;
        }
    };
    let mut quads = centers.chunks_exact(4 * d);
    for (q, cs) in (&mut quads).enumerate() {
        let v = dist2_many::<L, 4>(xi, [&cs[..d], &cs[d..2 * d], &cs[2 * d..3 * d], &cs[3 * d..]]);
        for (i, s) in v.into_iter().enumerate() {
            consider(4 * q + i, s);
        }
    }
    let first = centers.len() / d - quads.remainder().len() / d;
    for (i, cc) in quads.remainder().chunks_exact(d).enumerate() {
        let s = match known {
            Some((a, d2a)) if a == first + i => d2a,
            _ => dist2::<L>(xi, cc),
        };
        consider(first + i, s);
    }
    (bc, best, second)
}
