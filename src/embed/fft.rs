//! A small radix-2 complex FFT (iterative Cooley-Tukey) and the 2-D circular convolution
//! of a grid with a real, even kernel that t-SNE's FFT repulsion needs (`tsne_fft`).
//! Written here rather than taken from a crate to keep the page's download small; the
//! twiddles come from `libm`, so native and wasm builds give the same bits.

/// A transform of one power-of-two length; data are interleaved (re, im) pairs.
#[derive(Debug, Clone)]
pub struct Fft {
    n: usize,
    /// exp(-2 pi i k / n) for k < n / 2, interleaved.
    twiddles: Vec<f64>,
    /// Bit-reversed index of each position.
    reversed: Vec<u32>,
}

impl Fft {
    pub fn new(n: usize) -> Fft {
        assert!(n.is_power_of_two() && n >= 2, "FFT length {n} is not a power of two");
        let bits = n.trailing_zeros();
        let mut twiddles = Vec::with_capacity(n);
        for k in 0..n / 2 {
            let a = -2.0 * std::f64::consts::PI * k as f64 / n as f64;
            twiddles.push(libm::cos(a));
            twiddles.push(libm::sin(a));
        }
        let reversed = (0..n as u32).map(|i| i.reverse_bits() >> (32 - bits)).collect();
        Fft { n, twiddles, reversed }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    /// In place: the forward transform, or the inverse without the 1 / n factor.
    pub fn run(&self, data: &mut [f64], inverse: bool) {
        let n = self.n;
        debug_assert_eq!(data.len(), 2 * n);
        for i in 0..n {
            let j = self.reversed[i] as usize;
            if j > i {
                data.swap(2 * i, 2 * j);
                data.swap(2 * i + 1, 2 * j + 1);
            }
        }
        let sign = if inverse { -1.0 } else { 1.0 };
        // Length 2: no multiplications.
        for p in data.chunks_exact_mut(4) {
            let (ar, ai, br, bi) = (p[0], p[1], p[2], p[3]);
            p.copy_from_slice(&[ar + br, ai + bi, ar - br, ai - bi]);
        }
        let mut half = 2;
        while half < n {
            let stride = n / (2 * half);
            for block in data.chunks_exact_mut(4 * half) {
                let (lo, hi) = block.split_at_mut(2 * half);
                for k in 0..half {
                    let (wr, wi) = (self.twiddles[2 * k * stride], sign * self.twiddles[2 * k * stride + 1]);
                    let (br, bi) = (hi[2 * k], hi[2 * k + 1]);
                    let (tr, ti) = (br * wr - bi * wi, br * wi + bi * wr);
                    let (ar, ai) = (lo[2 * k], lo[2 * k + 1]);
                    lo[2 * k] = ar + tr;
                    lo[2 * k + 1] = ai + ti;
                    hi[2 * k] = ar - tr;
                    hi[2 * k + 1] = ai - ti;
                }
            }
            half *= 2;
        }
    }
}

/// Rows of an m x m complex grid handed to one thread at a time.
const ROWS_PER_PIECE: usize = 8;

/// FFTs of the first `rows` rows of an m x m complex grid (interleaved), over the threads.
fn rows_fft(fft: &Fft, grid: &mut [f64], rows: usize, inverse: bool) {
    let m = fft.len();
    crate::base::par::map_chunks_mut(&mut grid[..2 * m * rows], 2 * m * ROWS_PER_PIECE, |_, piece| {
        for row in piece.chunks_exact_mut(2 * m) {
            fft.run(row, inverse);
        }
    });
}

/// Transposes an m x m complex grid in place, by tiles (for the cache).
fn transpose(grid: &mut [f64], m: usize) {
    const TILE: usize = 16;
    for bi in (0..m).step_by(TILE) {
        for bj in (bi..m).step_by(TILE) {
            for i in bi..(bi + TILE).min(m) {
                let start = if bi == bj { i + 1 } else { bj };
                for j in start..(bj + TILE).min(m) {
                    let (a, b) = (2 * (i * m + j), 2 * (j * m + i));
                    grid.swap(a, b);
                    grid.swap(a + 1, b + 1);
                }
            }
        }
    }
}

/// The 2-D spectrum of a real kernel that is even in both axes and symmetric under
/// transposition (so the spectrum is real and needs no transposing back), divided by m^2 so
/// `convolve` needs no inverse scaling. `kernel` is m x m real, circularly placed.
pub fn kernel_spectrum(fft: &Fft, kernel: &[f64], grid: &mut Vec<f64>, out: &mut Vec<f64>) {
    let m = fft.len();
    grid.clear();
    grid.extend(kernel.iter().flat_map(|&k| [k, 0.0]));
    rows_fft(fft, grid, m, false);
    transpose(grid, m);
    rows_fft(fft, grid, m, false);
    let scale = 1.0 / (m * m) as f64;
    out.clear();
    out.extend(grid.chunks_exact(2).map(|c| c[0] * scale));
}

/// Circular 2-D convolution of the complex m x m `grid` (nonzero in its first `used` rows
/// and columns only) with the kernel whose spectrum `kernel_spectrum` gave; the result is
/// needed in the first `used` rows only (the rest is left undefined). The real and
/// imaginary parts are two independent real convolutions, since the kernel is real.
pub fn convolve(fft: &Fft, grid: &mut [f64], spectrum: &[f64], used: usize) {
    let m = fft.len();
    rows_fft(fft, grid, used, false);
    transpose(grid, m);
    rows_fft(fft, grid, m, false);
    // The grid holds the transposed spectrum; the kernel's is symmetric, so this is the product.
    for (c, &k) in grid.chunks_exact_mut(2).zip(spectrum) {
        c[0] *= k;
        c[1] *= k;
    }
    rows_fft(fft, grid, m, true);
    transpose(grid, m);
    rows_fft(fft, grid, used, true);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::rng::Rng;

    fn naive_dft(x: &[f64]) -> Vec<f64> {
        let n = x.len() / 2;
        let mut out = vec![0.0; 2 * n];
        for k in 0..n {
            for j in 0..n {
                let a = -2.0 * std::f64::consts::PI * (k * j) as f64 / n as f64;
                out[2 * k] += x[2 * j] * a.cos() - x[2 * j + 1] * a.sin();
                out[2 * k + 1] += x[2 * j] * a.sin() + x[2 * j + 1] * a.cos();
            }
        }
        out
    }

    #[test]
    fn matches_the_textbook_dft_and_inverts() {
        let mut rng = Rng::new(3);
        for n in [2, 4, 8, 64] {
            let x: Vec<f64> = (0..2 * n).map(|_| rng.normal()).collect();
            let mut y = x.clone();
            let fft = Fft::new(n);
            fft.run(&mut y, false);
            for (a, b) in y.iter().zip(naive_dft(&x)) {
                assert!((a - b).abs() < 1e-10, "n {n}: {a} vs {b}");
            }
            fft.run(&mut y, true);
            for (a, b) in y.iter().zip(&x) {
                assert!((a / n as f64 - b).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn convolution_is_the_direct_sum() {
        // Kernel even and symmetric: k(i, j) = f(min(i, m - i)^2 + min(j, m - j)^2).
        let (m, used) = (16, 8);
        let lag = |i: usize| i.min(m - i) as f64;
        let f = |i: usize, j: usize| 1.0 / (1.0 + lag(i).powi(2) + lag(j).powi(2));
        let kernel: Vec<f64> = (0..m * m).map(|c| f(c / m, c % m)).collect();
        let fft = Fft::new(m);
        let (mut scratch, mut spectrum) = (vec![], vec![]);
        kernel_spectrum(&fft, &kernel, &mut scratch, &mut spectrum);
        let mut rng = Rng::new(9);
        let mut grid = vec![0.0; 2 * m * m];
        for r in 0..used {
            for c in 0..used {
                grid[2 * (r * m + c)] = rng.normal();
                grid[2 * (r * m + c) + 1] = rng.normal();
            }
        }
        let input = grid.clone();
        convolve(&fft, &mut grid, &spectrum, used);
        for r in 0..used {
            for c in 0..used {
                let mut want = [0.0; 2];
                for (s, t) in (0..used).flat_map(|s| (0..used).map(move |t| (s, t))) {
                    let k = f((r + m - s) % m, (c + m - t) % m);
                    want[0] += k * input[2 * (s * m + t)];
                    want[1] += k * input[2 * (s * m + t) + 1];
                }
                let got = &grid[2 * (r * m + c)..2 * (r * m + c) + 2];
                assert!((got[0] - want[0]).abs() < 1e-10 && (got[1] - want[1]).abs() < 1e-10, "{r},{c}");
            }
        }
    }
}
