//! k-means++'s candidate passes: for each row, its squared distance to the nearest centre
//! chosen so far if the candidate were added, and the sum of those over the rows. A new
//! centre's 2 + ln(k) candidates are drawn before any is scored (the draws do not depend
//! on the scores), so up to four go through the data in one pass: each row is read once
//! for all of them, and their running sums interleave (`dist2_many`). Per candidate the
//! operations and their order are those of scoring it alone, so the bits are the same.

use super::kmeans_assign::PIECE;
use super::kmeans_lanes::{dist2_many, Lanes, Narrow};

/// Candidates scored in one pass.
const GROUP: usize = 4;

/// The rows and each one's squared distance to its nearest centre so far.
struct Rows<'a> {
    x: &'a [f64],
    d: usize,
    closest: &'a [f64],
}

/// Scores each of `cands` (rows of `x`, n x d): each row's squared distance to its nearest
/// centre were the candidate added (`closest`: to the nearest so far), summed over the
/// rows. Returns the first candidate with the lowest sum (by index), that sum and its
/// rows' distances.
pub(super) fn score_candidates(x: &[f64], d: usize, cands: &[usize], closest: &[f64]) -> (usize, f64, Vec<f64>) {
    let rows = Rows { x, d, closest };
    let mut groups = Vec::new();
    let mut sums = Vec::with_capacity(cands.len());
    for group in cands.chunks(GROUP) {
        let m = group.len();
        let mut out = vec![0.0; closest.len() * m];
        let parts = crate::base::par::map_chunks_mut(&mut out, PIECE * m, |at, part| pass(&rows, group, at / m, part));
        // Each piece's sum, added in piece order.
        for t in 0..m {
            sums.push(parts.iter().fold(0.0, |s, p| s + p[t]));
        }
        groups.push(out);
    }
    let best = (1..sums.len()).fold(0, |b, t| if sums[t] < sums[b] { t } else { b });
    let m = cands[best / GROUP * GROUP..].len().min(GROUP);
    let dist = groups[best / GROUP].chunks_exact(m).map(|r| r[best % GROUP]).collect();
    (best, sums[best], dist)
}

/// Rows `first..` for up to four candidates: `out` holds each row's values candidate by
/// candidate; returns each candidate's sum over these rows (in row order). Never inlined,
/// for the reason given at `kmeans_assign::run_piece`; in AVX registers where the
/// processor has them (the same bits).
#[inline(never)]
fn pass(rows: &Rows, cands: &[usize], first: usize, out: &mut [f64]) -> [f64; GROUP] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the processor has AVX (checked just above).
        return unsafe { pass_avx(rows, cands, first, out) };
    }
    pass_with::<Narrow>(rows, cands, first, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn pass_avx(rows: &Rows, cands: &[usize], first: usize, out: &mut [f64]) -> [f64; GROUP] {
    pass_with::<super::kmeans_lanes::Avx>(rows, cands, first, out)
}

#[inline(always)]
fn pass_with<L: Lanes>(rows: &Rows, cands: &[usize], first: usize, out: &mut [f64]) -> [f64; GROUP] {
    let row = |i: usize| &rows.x[i * rows.d..(i + 1) * rows.d];
    match *cands {
        [a] => pass_m::<L, 1>(rows, [row(a)], first, out),
        [a, b] => pass_m::<L, 2>(rows, [row(a), row(b)], first, out),
        [a, b, c] => pass_m::<L, 3>(rows, [row(a), row(b), row(c)], first, out),
        [a, b, c, e] => pass_m::<L, 4>(rows, [row(a), row(b), row(c), row(e)], first, out),
        _ => unreachable!("one to four candidates a pass"),
    }
}

#[inline(always)]
fn pass_m<L: Lanes, const M: usize>(rows: &Rows, cands: [&[f64]; M], first: usize, out: &mut [f64]) -> [f64; GROUP] {
    let d = rows.d;
    let block = rows.x[first * d..(first + out.len() / M) * d].chunks_exact(d);
    for ((o, xi), &c) in out.chunks_exact_mut(M).zip(block).zip(&rows.closest[first..]) {
        let v = dist2_many::<L, M>(xi, cands);
        for (o, v) in o.iter_mut().zip(v) {
            // Not f64::min, which is a call in wasm.
            *o = if v < c { v } else { c };
        }
    }
    let mut sums = [0.0; GROUP];
    for (t, s) in sums.iter_mut().enumerate().take(M) {
        *s = out.chunks_exact(M).map(|r| r[t]).sum::<f64>();
    }
    sums
}
