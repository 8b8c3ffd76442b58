//! A small mixed-radix complex FFT (Stockham, radices 4, 2, 3 and 5) and the 2-D circular
//! convolution of a grid with a real, even kernel that t-SNE's FFT repulsion needs
//! (`tsne_fft`). Lengths with factors 2, 3 and 5 let the grid follow the layout's size
//! closely (a power of two alone jumps 4x in cells). Written here rather than taken from a
//! crate to keep the page's download small; the twiddles come from `libm`, so native and
//! wasm builds give the same bits.

/// One pass of the transform: radix `p` over sub-transforms of length `ns`.
#[derive(Debug, Clone)]
struct Stage {
    p: usize,
    ns: usize,
    /// exp(-2 pi i (j r) / (ns p)) for j < ns, r < p, interleaved, row j.
    twiddles: Vec<f64>,
    /// exp(-2 pi i k / p) for k < p (the length-p DFT's roots).
    root: Vec<f64>,
}

/// A transform of one length (factors 2, 3 and 5 only); data are interleaved (re, im) pairs.
#[derive(Debug, Clone)]
pub struct Fft {
    n: usize,
    stages: Vec<Stage>,
}

/// Whether `n` has no prime factor other than 2, 3 and 5.
pub fn is_smooth(mut n: usize) -> bool {
    for p in [2, 3, 5] {
        while n > 1 && n % p == 0 {
            n /= p;
        }
    }
    n == 1
}

/// exp(-2 pi i k / n) for k < n, interleaved (the small transforms' roots).
fn roots(n: usize) -> Vec<f64> {
    (0..n)
        .flat_map(|k| {
            let a = -2.0 * std::f64::consts::PI * k as f64 / n as f64;
            [libm::cos(a), libm::sin(a)]
        })
        .collect()
}

impl Fft {
    pub fn new(n: usize) -> Fft {
        assert!(n >= 2 && is_smooth(n), "FFT length {n} has a prime factor above 5");
        let (mut rest, mut radices) = (n, vec![]);
        for p in [4, 2, 3, 5] {
            while rest % p == 0 {
                radices.push(p);
                rest /= p;
            }
        }
        let mut ns = 1;
        let stages = radices
            .into_iter()
            .map(|p| {
                let mut twiddles = Vec::with_capacity(2 * ns * p);
                for j in 0..ns {
                    for r in 0..p {
                        let a = -2.0 * std::f64::consts::PI * (j * r) as f64 / (ns * p) as f64;
                        twiddles.push(libm::cos(a));
                        twiddles.push(libm::sin(a));
                    }
                }
                let stage = Stage { p, ns, twiddles, root: roots(p) };
                ns *= p;
                stage
            })
            .collect();
        Fft { n, stages }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    /// In place: the forward transform, or the inverse without the 1 / n factor. `scratch`
    /// is resized to the data's length.
    pub fn run(&self, data: &mut [f64], scratch: &mut Vec<f64>, inverse: bool) {
        self.run_lanes(data, scratch, 1, inverse);
    }

    /// `lanes` transforms at once, in place: element e of transform l is at
    /// `data[2 * (e * lanes + l)]` (so, for a grid's columns, the rows are the elements and
    /// the innermost loop runs along a row, in memory order).
    pub fn run_lanes(&self, data: &mut [f64], scratch: &mut Vec<f64>, lanes: usize, inverse: bool) {
        debug_assert_eq!(data.len(), 2 * self.n * lanes);
        scratch.resize(data.len(), 0.0);
        let sign = if inverse { -1.0 } else { 1.0 };
        let (mut from, mut to): (&mut [f64], &mut [f64]) = (data, &mut scratch[..]);
        for stage in &self.stages {
            match stage.p {
                4 => pass::<4>(from, to, stage, self.n, lanes, sign),
                2 => pass::<2>(from, to, stage, self.n, lanes, sign),
                3 => pass::<3>(from, to, stage, self.n, lanes, sign),
                _ => pass::<5>(from, to, stage, self.n, lanes, sign),
            }
            std::mem::swap(&mut from, &mut to);
        }
        if self.stages.len() % 2 == 1 {
            // The result is in the scratch buffer.
            to.copy_from_slice(from);
        }
    }
}

/// One Stockham pass of radix `R` (the radix a constant, so its butterfly is unrolled).
fn pass<const R: usize>(from: &[f64], to: &mut [f64], stage: &Stage, n: usize, lanes: usize, sign: f64) {
    let (ns, span, w) = (stage.ns, n / R, 2 * lanes);
    for j in 0..span {
        let k = j % ns;
        let tw = &stage.twiddles[2 * k * R..2 * (k + 1) * R];
        let t: [(f64, f64); R] = std::array::from_fn(|r| (tw[2 * r], sign * tw[2 * r + 1]));
        let src: [&[f64]; R] = std::array::from_fn(|r| &from[(j + r * span) * w..][..w]);
        let out = (j - k) * R + k;
        for l in (0..w).step_by(2) {
            let mut v: [(f64, f64); R] = std::array::from_fn(|r| {
                let (xr, xi) = (src[r][l], src[r][l + 1]);
                if k == 0 {
                    (xr, xi)
                } else {
                    (xr * t[r].0 - xi * t[r].1, xr * t[r].1 + xi * t[r].0)
                }
            });
            butterfly(&mut v, &stage.root, sign);
            for (r, &(a, b)) in v.iter().enumerate() {
                let at = (out + r * ns) * w + l;
                to[at] = a;
                to[at + 1] = b;
            }
        }
    }
}

/// The length-R DFT of `v` in place (sign -1: the inverse direction).
#[inline(always)]
fn butterfly<const R: usize>(v: &mut [(f64, f64); R], root: &[f64], sign: f64) {
    let v = &mut v[..];
    match R {
        2 => {
            let (a, b) = (v[0], v[1]);
            v[0] = (a.0 + b.0, a.1 + b.1);
            v[1] = (a.0 - b.0, a.1 - b.1);
        }
        3 => {
            // y1, y2 = a - (b + c) / 2 -/+ i sin(60 deg) (b - c) (forward).
            const S: f64 = 0.866_025_403_784_438_6;
            let (a, b, c) = (v[0], v[1], v[2]);
            let t = (b.0 + c.0, b.1 + c.1);
            let mid = (a.0 - 0.5 * t.0, a.1 - 0.5 * t.1);
            let d = (sign * S * (b.1 - c.1), -sign * S * (b.0 - c.0));
            v[0] = (a.0 + t.0, a.1 + t.1);
            v[1] = (mid.0 + d.0, mid.1 + d.1);
            v[2] = (mid.0 - d.0, mid.1 - d.1);
        }
        4 => {
            let (a, b, c, d) = (v[0], v[1], v[2], v[3]);
            let (s0, s1) = ((a.0 + c.0, a.1 + c.1), (a.0 - c.0, a.1 - c.1));
            let (t0, t1) = ((b.0 + d.0, b.1 + d.1), (b.0 - d.0, b.1 - d.1));
            // -i (forward) or +i (inverse) times t1.
            let rot = (sign * t1.1, -sign * t1.0);
            v[0] = (s0.0 + t0.0, s0.1 + t0.1);
            v[1] = (s1.0 + rot.0, s1.1 + rot.1);
            v[2] = (s0.0 - t0.0, s0.1 - t0.1);
            v[3] = (s1.0 - rot.0, s1.1 - rot.1);
        }
        _ => {
            let x: [(f64, f64); 5] = std::array::from_fn(|r| v.get(r).copied().unwrap_or_default());
            for (k, out) in v.iter_mut().enumerate() {
                let (mut re, mut im) = (0.0, 0.0);
                for (r, &(a, b)) in x.iter().enumerate().take(R) {
                    let e = (r * k) % R;
                    let (wr, wi) = (root[2 * e], sign * root[2 * e + 1]);
                    re += a * wr - b * wi;
                    im += a * wi + b * wr;
                }
                *out = (re, im);
            }
        }
    }
}

/// Rows of an m x m grid handed to one thread at a time.
const ROWS_PER_PIECE: usize = 8;

/// FFTs of the first `rows` rows of an m x m complex grid (interleaved), over the threads.
fn rows_fft(fft: &Fft, grid: &mut [f64], rows: usize, inverse: bool) {
    let m = fft.len();
    crate::base::par::map_chunks_mut(&mut grid[..2 * m * rows], 2 * m * ROWS_PER_PIECE, |_, piece| {
        let mut scratch = Vec::new();
        for row in piece.chunks_exact_mut(2 * m) {
            fft.run(row, &mut scratch, inverse);
        }
    });
}

/// Transposes an m x m grid of `W`-f64 cells in place, by tiles (for the cache).
fn transpose<const W: usize>(grid: &mut [f64], m: usize) {
    const TILE: usize = 16;
    for bi in (0..m).step_by(TILE) {
        for bj in (bi..m).step_by(TILE) {
            for i in bi..(bi + TILE).min(m) {
                let start = if bi == bj { i + 1 } else { bj };
                for j in start..(bj + TILE).min(m) {
                    let (a, b) = (W * (i * m + j), W * (j * m + i));
                    for w in 0..W {
                        grid.swap(a + w, b + w);
                    }
                }
            }
        }
    }
}

/// Replaces each row of the real m x m `grid` by its DFT, for rows that are even (row[c] =
/// row[m - c]), whose DFTs are real: two rows go through one complex transform as its real
/// and imaginary parts, and come back apart.
fn even_rows_fft(fft: &Fft, grid: &mut [f64]) {
    let m = fft.len();
    crate::base::par::map_chunks_mut(grid, m * 2 * ROWS_PER_PIECE, |_, piece| {
        let (mut z, mut scratch) = (vec![0.0; 2 * m], Vec::new());
        for pair in piece.chunks_mut(2 * m) {
            let (a, b) = pair.split_at_mut(m.min(pair.len()));
            for c in 0..m {
                z[2 * c] = a[c];
                z[2 * c + 1] = b.get(c).copied().unwrap_or(0.0);
            }
            fft.run(&mut z, &mut scratch, false);
            for c in 0..m {
                a[c] = z[2 * c];
                if let Some(bc) = b.get_mut(c) {
                    *bc = z[2 * c + 1];
                }
            }
        }
    });
}

/// Turns `kernel` (m x m real, circularly placed, even in both axes and symmetric under
/// transposition) into its 2-D spectrum, which is then real and symmetric too (so it needs
/// no transposing back), divided by m^2 so `convolve` needs no inverse scaling.
pub fn kernel_spectrum(fft: &Fft, kernel: &mut [f64]) {
    let m = fft.len();
    even_rows_fft(fft, kernel);
    transpose::<1>(kernel, m);
    even_rows_fft(fft, kernel);
    let scale = 1.0 / (m * m) as f64;
    kernel.iter_mut().for_each(|k| *k *= scale);
}

/// Columns of the grid transformed together: a band of BAND columns of every row, copied
/// out contiguously (the copies are the transposes, done in cache-sized pieces).
const BAND: usize = 8;

/// Circular 2-D convolution of the complex m x m grid whose first `used` rows are `grid`
/// (the other rows, and the columns from `used` on, are zero) with the kernel whose
/// spectrum `kernel_spectrum` gave; `grid` receives the result's first `used` rows. The
/// real and imaginary parts are two independent real convolutions, since the kernel is
/// real. `bands` is a work buffer (m x m complex, in bands of columns).
pub fn convolve(fft: &Fft, grid: &mut [f64], bands: &mut Vec<f64>, spectrum: &[f64], used: usize) {
    let m = fft.len();
    let grid = &mut grid[..2 * m * used];
    rows_fft(fft, grid, used, false);
    bands.resize(2 * m * m, 0.0);
    // Per band of columns: copy out, transform the columns, multiply by the kernel's
    // spectrum, transform back.
    let rows = &*grid;
    crate::base::par::map_chunks_mut(bands, 2 * m * BAND, |first, band| {
        let (c0, lanes) = (first / (2 * m), band.len() / (2 * m));
        for (r, dst) in band.chunks_exact_mut(2 * lanes).enumerate() {
            match rows.get(2 * (r * m + c0)..2 * (r * m + c0 + lanes)) {
                Some(src) if r < used => dst.copy_from_slice(src),
                _ => dst.fill(0.0),
            }
        }
        let mut scratch = Vec::new();
        fft.run_lanes(band, &mut scratch, lanes, false);
        for (r, row) in band.chunks_exact_mut(2 * lanes).enumerate() {
            for (c, &k) in row.chunks_exact_mut(2).zip(&spectrum[r * m + c0..r * m + c0 + lanes]) {
                c[0] *= k;
                c[1] *= k;
            }
        }
        fft.run_lanes(band, &mut scratch, lanes, true);
    });
    // Back into rows (the first `used` only).
    let bands = &*bands;
    crate::base::par::map_chunks_mut(grid, 2 * m * ROWS_PER_PIECE, |first, piece| {
        for (r, row) in (first / (2 * m)..).zip(piece.chunks_exact_mut(2 * m)) {
            for c0 in (0..m).step_by(BAND) {
                let lanes = BAND.min(m - c0);
                row[2 * c0..2 * (c0 + lanes)].copy_from_slice(&bands[2 * m * c0 + 2 * lanes * r..][..2 * lanes]);
            }
        }
    });
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
        let mut scratch = vec![];
        for n in [2, 3, 4, 5, 6, 8, 12, 30, 64, 90, 300] {
            let x: Vec<f64> = (0..2 * n).map(|_| rng.normal()).collect();
            let mut y = x.clone();
            let fft = Fft::new(n);
            fft.run(&mut y, &mut scratch, false);
            for (a, b) in y.iter().zip(naive_dft(&x)) {
                assert!((a - b).abs() < 1e-10, "n {n}: {a} vs {b}");
            }
            fft.run(&mut y, &mut scratch, true);
            for (a, b) in y.iter().zip(&x) {
                assert!((a / n as f64 - b).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn convolution_is_the_direct_sum() {
        // Kernel even and symmetric: k(i, j) = f(min(i, m - i)^2 + min(j, m - j)^2).
        for (m, used) in [(16, 8), (30, 15)] {
            convolution_matches(m, used);
        }
    }

    fn convolution_matches(m: usize, used: usize) {
        let lag = |i: usize| i.min(m - i) as f64;
        let f = |i: usize, j: usize| 1.0 / (1.0 + lag(i).powi(2) + lag(j).powi(2));
        let mut spectrum: Vec<f64> = (0..m * m).map(|c| f(c / m, c % m)).collect();
        let fft = Fft::new(m);
        kernel_spectrum(&fft, &mut spectrum);
        let mut rng = Rng::new(9);
        let mut grid = vec![0.0; 2 * m * m];
        for r in 0..used {
            for c in 0..used {
                grid[2 * (r * m + c)] = rng.normal();
                grid[2 * (r * m + c) + 1] = rng.normal();
            }
        }
        let input = grid.clone();
        convolve(&fft, &mut grid, &mut vec![], &spectrum, used);
        for r in 0..used {
            for c in 0..used {
                let mut want = [0.0; 2];
                for (s, t) in (0..used).flat_map(|s| (0..used).map(move |t| (s, t))) {
                    let k = f((r + m - s) % m, (c + m - t) % m);
                    want[0] += k * input[2 * (s * m + t)];
                    want[1] += k * input[2 * (s * m + t) + 1];
                }
                let got = &grid[2 * (r * m + c)..2 * (r * m + c) + 2];
                assert!((got[0] - want[0]).abs() < 1e-10 && (got[1] - want[1]).abs() < 1e-10, "m {m}: {r},{c}");
            }
        }
    }
}
