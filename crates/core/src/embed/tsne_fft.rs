//! t-SNE's repulsive forces by FFT-accelerated interpolation (Linderman et al., "Fast
//! interpolation-based t-SNE", 2019; openTSNE's `negative_gradient_method="fft"`), O(n) per
//! iteration plus a grid-sized FFT, where Barnes-Hut costs O(n log n) with a large constant.
//!
//! The repulsion on point i needs sums over all j of K(y_i - y_j) times the "charges"
//! 1, x_j, y_j and |y_j|^2, with K = 1 / (1 + d^2)^2. The layout's bounding square is cut
//! into boxes, each with 3 x 3 equispaced nodes; each point's charges are spread to its box's
//! nodes with Lagrange weights, the node-to-node sums are one convolution on the regular grid
//! of nodes (done by FFT: K depends only on the offset), and each point reads its potentials
//! back with the same weights. From the four potentials:
//!   sum_j q_ij^2 (y_i - y_j) = y_i phi_1 - (phi_x, phi_y)
//!   sum_j q_ij = (1 + |y_i|^2) phi_1 - 2 y_i . (phi_x, phi_y) + phi_r   (q_ij = 1 / (1 + d^2))
//! each minus the j = i term. Coordinates are taken relative to the grid's centre, where
//! the last line cancels least.

use super::fft::{convolve, is_smooth, kernel_spectrum, Fft, Lanes};
use super::phase_times::PhaseTimes;

/// Interpolation nodes per box and axis (openTSNE's default `n_interpolation_points`).
const P: usize = 3;
/// Boxes about this wide (in layout units, where the kernel's scale is 1), as openTSNE's
/// `ints_in_interval`. Half of it (4x the cells) gave no better layout: on the 1,797 digits
/// (`mlplay run`, release) trustworthiness 0.9922 at 1.0, 0.9924 at 0.5, Barnes-Hut 0.9923,
/// for 5x the time.
const BOX_WIDTH: f64 = 1.0;
/// At least this many boxes per axis, however small the layout (openTSNE's
/// `min_num_intervals`).
const MIN_BOXES: usize = 50;
/// The largest FFT length: 2048 (341 boxes). A layout wider than that many units gets wider
/// boxes (rougher forces) rather than a larger grid (2048^2 cells hold 96 MB of buffers).
pub const MAX_FFT: usize = 2048;
/// Points per piece of the threads' work when reading the potentials back.
const PIECE: usize = 1024;

/// Bytes of the grid buffers for a layout about `side` units wide (the kernel's spectrum
/// and one complex grid).
pub fn grid_bytes(side: f64) -> u64 {
    let m = grid_size(side).0 as u64;
    3 * m * m * 8
}

/// A pair of real charges (the real and imaginary parts of a grid) of a point at (x, y).
type Charge = fn(f64, f64) -> (f64, f64);

/// Buffers reused from one iteration to the next.
#[derive(Debug, Clone)]
pub struct FftRepulsion {
    fft: Option<Fft>,
    /// Each point's first grid column and row (its box times P).
    corner: Vec<(u32, u32)>,
    /// Each point's Lagrange weights along x then y.
    weights: Vec<[f64; 2 * P]>,
    /// The kernel's spectrum, and the FFT length and box width it is for.
    kernel: Vec<f64>,
    kernel_for: (usize, f64),
    /// The charges' grid (its first P x boxes rows) and the convolution's work buffer.
    grid: Vec<f64>,
    bands: Vec<Lanes>,
    /// phi_1, phi_x, phi_y, phi_r per point.
    phi: Vec<[f64; 4]>,
    times: PhaseTimes,
}

impl Default for FftRepulsion {
    fn default() -> Self {
        FftRepulsion {
            fft: None,
            corner: vec![],
            weights: vec![],
            kernel: vec![],
            kernel_for: (0, 0.0),
            grid: vec![],
            bands: vec![],
            phi: vec![],
            times: PhaseTimes::new("t-SNE fft repulsion"),
        }
    }
}

/// Lagrange weights of the P nodes at (k + 1/2) / P of a box, at position t in [0, 1].
fn lagrange(t: f64) -> [f64; P] {
    let node = |k: usize| (k as f64 + 0.5) / P as f64;
    let mut w = [1.0; P];
    for (k, wk) in w.iter_mut().enumerate() {
        for l in (0..P).filter(|&l| l != k) {
            *wk *= (t - node(l)) / (node(k) - node(l));
        }
    }
    w
}

/// The FFT length and boxes per axis for a layout `side` units wide: boxes about
/// `BOX_WIDTH` wide, at least `MIN_BOXES`, and the length (twice the nodes per axis, so the
/// circular convolution equals the plain sum) rounded up to one with factors 2 and 3.
fn grid_size(side: f64) -> (usize, usize) {
    let boxes = ((side / BOX_WIDTH).ceil() as usize).clamp(MIN_BOXES, MAX_FFT / 2 / P);
    // Factors 2 and 3 only (their butterflies are the cheap ones); such lengths are at most
    // 12.5% apart from 256 up.
    let mut m = 2 * P * boxes;
    while !(is_smooth(m) && m % 5 != 0) {
        m += 2;
    }
    let m = m.min(MAX_FFT);
    (m, m / 2 / P)
}

/// The box width: `w` rounded up to a power of 2^(1/32) (2.2% apart), so the kernel's
/// spectrum, which depends on the FFT length and the width only, is reused while the layout
/// grows within one step (it grows slowly after the first iterations). `libm` gives the same
/// bits natively and in wasm.
fn snapped_width(w: f64) -> f64 {
    libm::exp2(libm::ceil(libm::log2(w) * 32.0) / 32.0)
}

/// The kernel's spectrum, for nodes `spacing` apart and `used` nodes per axis: the kernel
/// at every node offset, placed circularly (negative offsets at the end), transformed.
fn kernel_grid(fft: &Fft, kernel: &mut Vec<f64>, spacing: f64, used: usize) {
    let m = fft.len();
    kernel.clear();
    kernel.resize(m * m, 0.0);
    let lag = |i: usize| {
        if i < used {
            Some(i)
        } else if i > m - used {
            Some(m - i)
        } else {
            None
        }
    };
    for r in 0..m {
        let Some(a) = lag(r) else { continue };
        for c in 0..m {
            if let Some(b) = lag(c) {
                let d2 = ((a * a + b * b) as f64) * spacing * spacing;
                let q = 1.0 / (1.0 + d2);
                kernel[r * m + c] = q * q;
            }
        }
    }
    kernel_spectrum(fft, kernel);
}

impl FftRepulsion {
    /// Repulsion on every point of `y` (n x 2, row-major): writes sum_{j != i} q_ij^2 (y_i - y_j)
    /// into `neg` and returns sum_{i != j} q_ij, as `QuadTree::repulsion` summed over points.
    pub fn repulsion(&mut self, y: &[f64], neg: &mut [f64]) -> f64 {
        let n = y.len() / 2;
        self.times.start();
        let (x0, y0, x1, y1) = super::common::extent(y);
        let side = (x1 - x0).max(y1 - y0).max(1e-12);
        let (m, boxes) = grid_size(side);
        if self.fft.as_ref().is_none_or(|f| f.len() != m) {
            self.fft = Some(Fft::new(m));
        }
        let fft = self.fft.as_ref().expect("made above");
        self.times.record("fft length", m as f64);
        let width = snapped_width(side / boxes as f64);
        let (cx, cy) = (x0 + side / 2.0, y0 + side / 2.0);
        let used = P * boxes;

        // Where each point falls and its weights.
        self.corner.clear();
        self.weights.clear();
        for p in y.chunks_exact(2) {
            let (fx, fy) = ((p[0] - x0) / width, (p[1] - y0) / width);
            let (bx, by) = ((fx as usize).min(boxes - 1), (fy as usize).min(boxes - 1));
            self.corner.push(((P * bx) as u32, (P * by) as u32));
            let (wx, wy) = (lagrange(fx - bx as f64), lagrange(fy - by as f64));
            let mut w = [0.0; 2 * P];
            w[..P].copy_from_slice(&wx);
            w[P..].copy_from_slice(&wy);
            self.weights.push(w);
        }

        self.times.lap("place");
        if self.kernel_for != (m, width) {
            self.kernel_for = (m, width);
            kernel_grid(fft, &mut self.kernel, width / P as f64, used);
        }
        self.times.lap("kernel");

        // Two real charges per complex grid: (1, x) then (y, |y|^2), relative to the centre.
        self.phi.clear();
        self.phi.resize(n, [0.0; 4]);
        let charges: [Charge; 2] = [|x, _| (1.0, x), |x, y| (y, x * x + y * y)];
        for (half, charge) in charges.iter().enumerate() {
            self.grid.clear();
            self.grid.resize(2 * m * used, 0.0);
            for ((p, &(c0, r0)), w) in y.chunks_exact(2).zip(&self.corner).zip(&self.weights) {
                let (re, im) = charge(p[0] - cx, p[1] - cy);
                for a in 0..P {
                    let row = (r0 as usize + a) * m + c0 as usize;
                    for b in 0..P {
                        let wab = w[P + a] * w[b];
                        self.grid[2 * (row + b)] += wab * re;
                        self.grid[2 * (row + b) + 1] += wab * im;
                    }
                }
            }
            self.times.lap("spread");
            convolve(fft, &mut self.grid, &mut self.bands, &self.kernel, used);
            self.times.lap("convolve");
            let (grid, corner, weights) = (&self.grid, &self.corner, &self.weights);
            crate::base::par::map_chunks_mut(&mut self.phi, PIECE, |first, phi| {
                for (i, f) in (first..).zip(phi.iter_mut()) {
                    let ((c0, r0), w) = (corner[i], &weights[i]);
                    let (mut re, mut im) = (0.0, 0.0);
                    for a in 0..P {
                        let row = (r0 as usize + a) * m + c0 as usize;
                        for b in 0..P {
                            let wab = w[P + a] * w[b];
                            re += wab * grid[2 * (row + b)];
                            im += wab * grid[2 * (row + b) + 1];
                        }
                    }
                    f[2 * half] = re;
                    f[2 * half + 1] = im;
                }
            });
            self.times.lap("interpolate");
        }

        // Forces and the normalisation, by pieces in order (the same bits on any thread count).
        let phi = &self.phi;
        let sums = crate::base::par::map_chunks_mut(&mut neg[..2 * n], 2 * PIECE, |first, neg| {
            let mut sum = 0.0;
            for (i, f) in (first / 2..).zip(neg.chunks_exact_mut(2)) {
                let (px, py) = (y[2 * i] - cx, y[2 * i + 1] - cy);
                let [p1, pxx, pyy, pr] = phi[i];
                f[0] = px * p1 - pxx;
                f[1] = py * p1 - pyy;
                sum += (1.0 + px * px + py * py) * p1 - 2.0 * (px * pxx + py * pyy) + pr;
            }
            sum
        });
        self.times.lap("forces");
        // Each point's own term (q_ii = 1) is in its potentials: take it out.
        (sums.iter().sum::<f64>() - n as f64).max(f64::MIN_POSITIVE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::rng::Rng;

    fn exact(y: &[f64]) -> (f64, Vec<f64>) {
        let n = y.len() / 2;
        let (mut s, mut f) = (0.0, vec![0.0; 2 * n]);
        for i in 0..n {
            for j in (0..n).filter(|&j| j != i) {
                let (dx, dy) = (y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
                let q = 1.0 / (1.0 + dx * dx + dy * dy);
                s += q;
                f[2 * i] += q * q * dx;
                f[2 * i + 1] += q * q * dy;
            }
        }
        (s, f)
    }

    /// Relative errors of the normalisation and of the forces (as a whole: the norm of the
    /// error over the norm of the forces).
    fn errors(y: &[f64]) -> (f64, f64) {
        let (s, f) = exact(y);
        let mut neg = vec![0.0; y.len()];
        let got = FftRepulsion::default().repulsion(y, &mut neg);
        let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|a| a * a).sum::<f64>().sqrt();
        let off = norm(&mut neg.iter().zip(&f).map(|(g, w)| g - w));
        ((got - s).abs() / s, off / norm(&mut f.iter().copied()))
    }

    #[test]
    fn interpolated_forces_match_the_exact_sums() {
        let mut rng = Rng::new(11);
        // The tight start, and layouts as dense as t-SNE's (several points per unit square,
        // where the sums dwarf each point's own interpolated term). The errors grow with the
        // box width: openTSNE's FFT on these very layouts (its 50 boxes, 0.35 and 0.86 wide)
        // is off by 2.0e-5 / 6.0e-4 and 2.7e-3 / 1.9e-2; ours (54 boxes: the FFT length 324
        // has factors 2 and 3 only) by 2.6e-5 / 4.8e-4 at spread 2. Limits: openTSNE's x 1.5.
        for (spread, sum_limit, force_limit) in [(1e-4, 1e-9, 1e-9), (2.0, 3e-5, 9e-4), (5.0, 4e-3, 2.9e-2)] {
            let y: Vec<f64> =
                (0..1200).map(|i| rng.normal() * spread + if i % 4 == 0 { 3.0 * spread } else { 0.0 }).collect();
            let (sum_err, force_err) = errors(&y);
            println!("spread {spread}: normalisation {sum_err:.2e}, forces {force_err:.2e}");
            assert!(sum_err < sum_limit && force_err < force_limit, "spread {spread}: {sum_err} {force_err}");
        }
    }

    #[test]
    fn lagrange_weights_reproduce_quadratics() {
        for t in [0.0, 0.3, 0.5, 0.99] {
            let w = lagrange(t);
            let at = |f: &dyn Fn(f64) -> f64| (0..P).map(|k| w[k] * f((k as f64 + 0.5) / P as f64)).sum::<f64>();
            assert!((at(&|_| 1.0) - 1.0).abs() < 1e-12);
            assert!((at(&|x| x * x) - t * t).abs() < 1e-12);
        }
    }
}
