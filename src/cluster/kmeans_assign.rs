//! k-means' assignment step: every row to its nearest centre, with Hamerly's bounds so
//! that most rows of a late iteration need one distance instead of k.
//!
//! The nearest centre is chosen as scikit-learn does, from the score ||c||^2 - 2 x.c
//! (||x||^2 is the same for every centre), the products x.c of a piece of rows coming from
//! the packed GEMM; ties go to the lower index. The distance to the chosen centre is then
//! computed exactly, so the inertia is a sum of true squared distances.
//!
//! Bounds (Hamerly 2010): each row keeps a lower bound on its distance to every centre but
//! its own, lowered by how far the other centres moved since it was set. A row whose
//! distance to its own centre is below that bound (or below half the distance from its
//! centre to the next one) keeps its label without the k scores. The tests keep a margin
//! larger than the rounding of the scores, so a row skipped is a row whose scores would
//! have chosen the same centre: labels, centres and inertia are bit for bit those of
//! computing every score.

use crate::linalg::matmul::{gemm_acc_f64, Operand};
use crate::linalg::neighbors::dist2;

/// Rows per piece of parallel work.
pub(super) const PIECE: usize = 2048;

/// Relative slack on square roots and on distances between centres.
const SLACK: f64 = 1e-9;

/// What a row's bounds need between assignments.
#[derive(Debug, Clone, Default)]
pub(super) struct Bounds {
    /// Squared norm of each row (rows do not change during a fit).
    norms: Vec<f64>,
    /// Per row, a lower bound on its distance to every centre but its own.
    lower: Vec<f64>,
    /// Per centre, an upper bound on how far it moved since the bounds were last updated.
    moved: Vec<f64>,
    /// The bounds describe the current labels (false before a restart's first assignment).
    known: bool,
    /// Never skip a row (plain Lloyd: for checks and timings).
    pub off: bool,
    /// Rows whose k scores were computed, over the fit so far.
    pub scored: usize,
}

impl Bounds {
    /// Forget the bounds (a new restart starts from new centres).
    pub(super) fn reset(&mut self) {
        self.known = false;
    }

    /// Centre `c` moved by `dist2` (squared).
    pub(super) fn centre_moved(&mut self, c: usize, dist2: f64) {
        self.moved[c] += dist2.sqrt() * (1.0 + SLACK);
    }
}

/// One assignment's results; sums, counts and distances only when asked for.
pub(super) struct Assigned {
    pub labels: Vec<u32>,
    pub inertia: f64,
    /// Rows whose label differs from the previous assignment's (all rows when none).
    pub changed: usize,
    pub sums: Vec<f64>,
    pub counts: Vec<usize>,
    /// Each row's squared distance to its centre.
    pub far: Vec<f64>,
}

/// What one piece of rows adds to an assignment.
struct Piece {
    labels: Vec<u32>,
    inertia: f64,
    changed: usize,
    scored: usize,
    sums: Vec<f64>,
    counts: Vec<usize>,
    far: Vec<f64>,
}

/// Labels every row of `x` (n x d, row-major) with its nearest of `centers` (k x d) and
/// sums the squared distances; with `want_sums`, also per-cluster sums and counts and each
/// row's distance. `prev` are the labels the bounds describe. Pieces of rows go over the
/// threads; their sums add up in piece order, rows within a piece in row order.
pub(super) fn assign(
    x: &[f64],
    d: usize,
    centers: &[f64],
    prev: &[u32],
    bounds: &mut Bounds,
    want_sums: bool,
) -> Assigned {
    let n = x.len() / d;
    let k = centers.len() / d;
    if bounds.norms.len() != n {
        bounds.norms = x.chunks_exact(d).map(|r| r.iter().map(|v| v * v).sum()).collect();
        bounds.known = false;
    }
    let has_prev = prev.len() == n;
    if bounds.lower.len() != n || !has_prev {
        bounds.lower = vec![0.0; n];
        bounds.known = false;
    }
    bounds.moved.resize(k, 0.0);
    let known = bounds.known && !bounds.off;
    let centre = |c: usize| &centers[c * d..(c + 1) * d];
    let cnorms: Vec<f64> = centers.chunks_exact(d).map(|c| c.iter().map(|v| v * v).sum()).collect();
    let cmax = cnorms.iter().fold(0.0f64, |m, &v| m.max(v)).sqrt();
    // Per centre: the distance to the nearest other centre (a row at distance r from its
    // centre is at least that minus r from any other), and the most any other moved.
    let sep: Vec<f64> = (0..k)
        .map(|a| (0..k).filter(|&c| c != a).map(|c| dist2(centre(a), centre(c))).fold(f64::INFINITY, f64::min))
        .map(|s| s.sqrt() * (1.0 - SLACK))
        .collect();
    let other_moved: Vec<f64> = (0..k)
        .map(|a| bounds.moved.iter().enumerate().filter(|&(c, _)| c != a).fold(0.0f64, |m, (_, &v)| m.max(v)))
        .collect();
    // Bound on the rounding of a score (and of ||x||^2), per unit of (||x|| + max ||c||)^2:
    // a dot product of d terms, one more product and a subtraction, doubled for margin.
    let err = 2.0 * (d as f64 + 4.0) * f64::EPSILON;
    let norms = &bounds.norms;
    let pieces = crate::base::par::map_chunks_mut(&mut bounds.lower, PIECE, |first, lower| {
        let rows = first..first + lower.len();
        let block = &x[rows.start * d..rows.end * d];
        let mut labels = vec![0u32; rows.len()];
        let mut dist = vec![0.0; rows.len()];
        // Rows whose scores must all be computed (positions in the piece).
        let mut pending = Vec::new();
        for (r, xi) in block.chunks_exact(d).enumerate() {
            if !known {
                pending.push(r);
                continue;
            }
            let i = first + r;
            let a = prev[i] as usize;
            let d2a = dist2(xi, centre(a));
            lower[r] -= other_moved[a];
            let bound = lower[r].max(sep[a] - d2a.sqrt() * (1.0 + SLACK));
            let e = err * (norms[i].sqrt() + cmax).powi(2);
            if bound > 0.0 && bound * bound * (1.0 - SLACK) > d2a * (1.0 + SLACK) + 4.0 * e {
                labels[r] = a as u32;
                dist[r] = d2a;
            } else {
                pending.push(r);
            }
        }
        if !pending.is_empty() {
            let gathered: Vec<f64>;
            let rows_x = if pending.len() == rows.len() {
                block
            } else {
                gathered = pending.iter().flat_map(|&r| &block[r * d..(r + 1) * d]).copied().collect();
                &gathered
            };
            let mut dots = vec![0.0; pending.len() * k];
            gemm_acc_f64(Operand::new(rows_x, pending.len(), d), Operand::new(centers, k, d).t(), &mut dots);
            for (&r, xc) in pending.iter().zip(dots.chunks_exact(k)) {
                let (mut best, mut second, mut bc) = (f64::INFINITY, f64::INFINITY, 0);
                for (c, (&nc, &dc)) in cnorms.iter().zip(xc).enumerate() {
                    let s = nc - 2.0 * dc;
                    if s < best {
                        (second, best, bc) = (best, s, c);
                    } else if s < second {
                        second = s;
                    }
                }
                let i = first + r;
                let e = err * (norms[i].sqrt() + cmax).powi(2);
                lower[r] = (second + norms[i] - 4.0 * e).max(0.0).sqrt() * (1.0 - SLACK);
                labels[r] = bc as u32;
                dist[r] = dist2(&block[r * d..(r + 1) * d], centre(bc));
            }
        }
        let scored = pending.len();
        let mut p = Piece { labels, inertia: 0.0, changed: 0, scored, sums: vec![], counts: vec![], far: vec![] };
        if want_sums {
            (p.sums, p.counts) = (vec![0.0; k * d], vec![0; k]);
        }
        for (r, xi) in block.chunks_exact(d).enumerate() {
            let c = p.labels[r] as usize;
            p.inertia += dist[r];
            p.changed += usize::from(!has_prev || prev[first + r] as usize != c);
            if want_sums {
                p.sums[c * d..(c + 1) * d].iter_mut().zip(xi).for_each(|(s, v)| *s += v);
                p.counts[c] += 1;
            }
        }
        if want_sums {
            p.far = dist;
        }
        p
    });
    bounds.moved.iter_mut().for_each(|m| *m = 0.0);
    bounds.known = true;
    let mut out = Assigned {
        labels: Vec::with_capacity(n),
        inertia: 0.0,
        changed: 0,
        sums: vec![0.0; if want_sums { k * d } else { 0 }],
        counts: vec![0; if want_sums { k } else { 0 }],
        far: Vec::with_capacity(if want_sums { n } else { 0 }),
    };
    for p in pieces {
        out.labels.extend_from_slice(&p.labels);
        out.inertia += p.inertia;
        out.changed += p.changed;
        bounds.scored += p.scored;
        if want_sums {
            out.sums.iter_mut().zip(&p.sums).for_each(|(s, v)| *s += v);
            out.counts.iter_mut().zip(&p.counts).for_each(|(c, v)| *c += v);
            out.far.extend_from_slice(&p.far);
        }
    }
    out
}
