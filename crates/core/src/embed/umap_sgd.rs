//! UMAP's epochs: stochastic gradient descent over the graph's edges in f32, each edge
//! sampled once per `epochs_per_sample` epochs with its negative samples. Every force of
//! one sample is taken at the positions before it (umap-learn moves the point between
//! them, a change of order alpha^2 per step), so they are independent: they go four at a
//! time through `F4` lanes (wasm SIMD), the pull towards the neighbour in the first lane.

use crate::linalg::fastpow::pow4;
use crate::linalg::lanes::F4;

/// The sampled edges (both directions of each graph link) and their schedules.
pub struct Edges {
    pub head: Vec<u32>,
    pub tail: Vec<u32>,
    pub epochs_per_sample: Vec<f64>,
    pub next_sample: Vec<f64>,
    pub epochs_per_negative: Vec<f64>,
    pub next_negative: Vec<f64>,
}

impl Edges {
    /// Edges from their rows and epochs per sample; `rate` negative samples per sample.
    pub fn new(head: Vec<u32>, tail: Vec<u32>, eps: Vec<f64>, rate: f64) -> Edges {
        let epn: Vec<f64> = eps.iter().map(|e| e / rate).collect();
        Edges {
            head,
            tail,
            next_sample: eps.clone(),
            epochs_per_sample: eps,
            next_negative: epn.clone(),
            epochs_per_negative: epn,
        }
    }
}

/// One epoch (index `epoch`) at learning rate `alpha` on the layout `y` (n x 2, row-major)
/// for the curve 1 / (1 + a d^2b); `state` drives the negative samples.
pub fn epoch(y: &mut [f32], edges: &mut Edges, epoch: usize, alpha: f32, (a, b): (f32, f32), state: &mut u64) {
    let n = (y.len() / 2) as u64;
    let fepoch = epoch as f64;
    // Lane 0 of a sample's first group pulls j towards k, -2ab d^(2(b-1)) / (1 + a d^2b)
    // with d^(2(b-1)) = d^2b / d^2; every other lane pushes j from a negative sample,
    // 2b / ((0.001 + d^2)(1 + a d^2b)): both are (d^2b mul + add) / ((d^2 + shift)(1 + a d^2b)).
    let first = Lanes {
        mul: F4::new([-2.0 * a * b, 0.0, 0.0, 0.0]),
        add: F4::new([0.0, 2.0 * b, 2.0 * b, 2.0 * b]),
        shift: F4::new([0.0, 0.001, 0.001, 0.001]),
        a,
        b,
        alpha,
    };
    let rest = Lanes { mul: F4::splat(0.0), add: F4::splat(2.0 * b), shift: F4::splat(0.001), ..first };
    let m = edges.head.len();
    let (head, tail) = (&edges.head[..m], &edges.tail[..m]);
    let (eps, next) = (&edges.epochs_per_sample[..m], &mut edges.next_sample[..m]);
    let (epn, next_neg) = (&edges.epochs_per_negative[..m], &mut edges.next_negative[..m]);
    for e in 0..m {
        if next[e] > fepoch {
            continue;
        }
        let (j, k) = (head[e] as usize, tail[e] as usize);
        next[e] += eps[e];
        let mut left = (((fepoch - next_neg[e]) / epn[e]) as i64).max(0) as usize;
        next_neg[e] += left as f64 * epn[e];
        // Unused lanes point at j itself: distance 0, no force.
        let yj = (y[2 * j], y[2 * j + 1]);
        let mut rows = [k, j, j, j];
        left -= fill(&mut rows[1..], left, state, n);
        let (gx, gy) = first.forces(y, yj, rows);
        let (mut sx, mut sy) = (gx, gy);
        while left > 0 {
            let mut rows = [j; 4];
            left -= fill(&mut rows, left, state, n);
            let (gx, gy) = rest.forces(y, yj, rows);
            sx = sx + gx;
            sy = sy + gy;
        }
        y[2 * k] -= gx.to_array()[0];
        y[2 * k + 1] -= gy.to_array()[0];
        y[2 * j] = yj.0 + sx.sum();
        y[2 * j + 1] = yj.1 + sy.sum();
    }
}

/// The constants of a group of four force lanes (see `epoch`).
#[derive(Clone, Copy)]
struct Lanes {
    mul: F4,
    add: F4,
    shift: F4,
    a: f32,
    b: f32,
    alpha: f32,
}

impl Lanes {
    /// j's clipped, scaled moves (x, y) from the rows in the four lanes, j at `yj`.
    #[inline]
    fn forces(&self, y: &[f32], yj: (f32, f32), rows: [usize; 4]) -> (F4, F4) {
        let c = F4::splat;
        let dx = c(yj.0) - F4::new(rows.map(|r| y[2 * r]));
        let dy = c(yj.1) - F4::new(rows.map(|r| y[2 * r + 1]));
        let d2 = dx * dx + dy * dy;
        let pb = pow4(d2, self.b);
        let coeff = ((pb * self.mul + self.add) / ((d2 + self.shift) * (c(self.a) * pb + c(1.0)))).where_positive(d2);
        let clip = |g: F4| g.max(c(-4.0)).min(c(4.0)) * c(self.alpha);
        (clip(coeff * dx), clip(coeff * dy))
    }
}

/// Fills up to `rows.len()` lanes, at most `left`, with uniform rows in [0, n); returns how
/// many. splitmix64 with a multiply-shift range reduction (bias below n / 2^32, irrelevant
/// here), two rows per draw (its high and low halves): much cheaper than ChaCha in wasm.
#[inline]
fn fill(rows: &mut [usize], left: usize, state: &mut u64, n: u64) -> usize {
    let take = rows.len().min(left);
    for pair in rows[..take].chunks_mut(2) {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        pair[0] = (((z >> 32) * n) >> 32) as usize;
        if let Some(r) = pair.get_mut(1) {
            *r = (((z & 0xffff_ffff) * n) >> 32) as usize;
        }
    }
    take
}
