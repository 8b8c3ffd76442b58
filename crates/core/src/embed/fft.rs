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

    /// `L` transforms at once, in place, on split planes: element e of transform l is
    /// `(data[e][0][l], data[e][1][l])`. The butterflies then work on whole `[f64; L]`
    /// vectors, which the compiler turns into SIMD (SSE2 natively, simd128 in wasm) with the
    /// same operations per element, so the same bits on every target.
    pub fn run_planes(&self, data: &mut [Lanes], scratch: &mut Vec<Lanes>, inverse: bool) {
        debug_assert_eq!(data.len(), self.n);
        scratch.resize(data.len(), [[0.0; L]; 2]);
        let sign = if inverse { -1.0 } else { 1.0 };
        let (mut from, mut to): (&mut [Lanes], &mut [Lanes]) = (data, &mut scratch[..]);
        for stage in &self.stages {
            match stage.p {
                4 => pass_planes::<4>(from, to, stage, self.n, sign),
                2 => pass_planes::<2>(from, to, stage, self.n, sign),
                3 => pass_planes::<3>(from, to, stage, self.n, sign),
                _ => pass_planes::<5>(from, to, stage, self.n, sign),
            }
            std::mem::swap(&mut from, &mut to);
        }
        if self.stages.len() % 2 == 1 {
            to.copy_from_slice(from);
        }
    }
}

/// Transforms run side by side on split planes (`Fft::run_planes`).
pub const L: usize = 8;
/// One element of `L` transforms: real parts, then imaginary parts.
pub type Lanes = [[f64; L]; 2];
type V = [f64; L];
type C = (V, V);

#[inline(always)]
fn vadd(a: &V, b: &V) -> V {
    std::array::from_fn(|l| a[l] + b[l])
}
#[inline(always)]
fn vsub(a: &V, b: &V) -> V {
    std::array::from_fn(|l| a[l] - b[l])
}
#[inline(always)]
fn vscale(a: &V, s: f64) -> V {
    std::array::from_fn(|l| a[l] * s)
}
#[inline(always)]
fn cadd(a: &C, b: &C) -> C {
    (vadd(&a.0, &b.0), vadd(&a.1, &b.1))
}
#[inline(always)]
fn csub(a: &C, b: &C) -> C {
    (vsub(&a.0, &b.0), vsub(&a.1, &b.1))
}

/// One Stockham pass of radix `R` over split planes (see `pass`).
fn pass_planes<const R: usize>(from: &[Lanes], to: &mut [Lanes], stage: &Stage, n: usize, sign: f64) {
    let (ns, span) = (stage.ns, n / R);
    for j in 0..span {
        let k = j % ns;
        let tw = &stage.twiddles[2 * k * R..2 * (k + 1) * R];
        let mut v: [C; R] = std::array::from_fn(|r| {
            let x = &from[j + r * span];
            if k == 0 {
                (x[0], x[1])
            } else {
                let (tr, ti) = (tw[2 * r], sign * tw[2 * r + 1]);
                (
                    std::array::from_fn(|l| x[0][l] * tr - x[1][l] * ti),
                    std::array::from_fn(|l| x[0][l] * ti + x[1][l] * tr),
                )
            }
        });
        butterfly_planes(&mut v, &stage.root, sign);
        let out = (j - k) * R + k;
        for (r, (re, im)) in v.into_iter().enumerate() {
            to[out + r * ns] = [re, im];
        }
    }
}

/// `butterfly` on `L` transforms at once, the same operations lane by lane.
#[inline(always)]
fn butterfly_planes<const R: usize>(v: &mut [C; R], root: &[f64], sign: f64) {
    let v = &mut v[..];
    match R {
        2 => {
            let (a, b) = (v[0], v[1]);
            v[0] = cadd(&a, &b);
            v[1] = csub(&a, &b);
        }
        3 => {
            const S: f64 = 0.866_025_403_784_438_6;
            let (a, b, c) = (v[0], v[1], v[2]);
            let t = cadd(&b, &c);
            let mid = (vsub(&a.0, &vscale(&t.0, 0.5)), vsub(&a.1, &vscale(&t.1, 0.5)));
            let d = (vscale(&vsub(&b.1, &c.1), sign * S), vscale(&vsub(&b.0, &c.0), -sign * S));
            v[0] = cadd(&a, &t);
            v[1] = cadd(&mid, &d);
            v[2] = csub(&mid, &d);
        }
        4 => {
            let (a, b, c, d) = (v[0], v[1], v[2], v[3]);
            let (s0, s1) = (cadd(&a, &c), csub(&a, &c));
            let (t0, t1) = (cadd(&b, &d), csub(&b, &d));
            let rot = (vscale(&t1.1, sign), vscale(&t1.0, -sign));
            v[0] = cadd(&s0, &t0);
            v[1] = cadd(&s1, &rot);
            v[2] = csub(&s0, &t0);
            v[3] = csub(&s1, &rot);
        }
        _ => {
            let x: Vec<C> = v.to_vec();
            for (k, out) in v.iter_mut().enumerate() {
                let (mut re, mut im) = ([0.0; L], [0.0; L]);
                for (r, (a, b)) in x.iter().enumerate() {
                    let e = (r * k) % R;
                    let (wr, wi) = (root[2 * e], sign * root[2 * e + 1]);
                    for l in 0..L {
                        re[l] += a[l] * wr - b[l] * wi;
                        im[l] += a[l] * wi + b[l] * wr;
                    }
                }
                *out = (re, im);
            }
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

/// Rows of an m x m grid handed to one thread at a time (one set of `L` lanes).
const ROWS_PER_PIECE: usize = L;

/// FFTs of the first `rows` rows of an m x m complex grid (interleaved), `L` rows at a time
/// on split planes, over the threads. Columns from `cols` on are zero on the way in
/// (forward) or not needed on the way out (inverse).
fn rows_fft(fft: &Fft, grid: &mut [f64], rows: usize, cols: usize, inverse: bool) {
    let m = fft.len();
    crate::base::par::map_chunks_mut(&mut grid[..2 * m * rows], 2 * m * L, |_, piece| {
        let (mut planes, mut scratch) = (vec![[[0.0; L]; 2]; m], Vec::new());
        let take = if inverse { m } else { cols };
        for (l, row) in piece.chunks_exact(2 * m).enumerate() {
            for (cell, z) in planes.iter_mut().zip(row[..2 * take].chunks_exact(2)) {
                cell[0][l] = z[0];
                cell[1][l] = z[1];
            }
        }
        fft.run_planes(&mut planes, &mut scratch, inverse);
        let give = if inverse { cols } else { m };
        for (l, row) in piece.chunks_exact_mut(2 * m).enumerate() {
            for (cell, z) in planes.iter().zip(row[..2 * give].chunks_exact_mut(2)) {
                z[0] = cell[0][l];
                z[1] = cell[1][l];
            }
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

/// Circular 2-D convolution of the complex m x m grid whose first `used` rows are `grid`
/// (the other rows, and the columns from `used` on, are zero) with the kernel whose
/// spectrum `kernel_spectrum` gave; `grid` receives the result's first `used` rows and
/// columns. The real and imaginary parts are two independent real convolutions, since the
/// kernel is real. `bands` is a work buffer (m x m complex, in bands of `L` columns on
/// split planes).
pub fn convolve(fft: &Fft, grid: &mut [f64], bands: &mut Vec<Lanes>, spectrum: &[f64], used: usize) {
    let m = fft.len();
    let grid = &mut grid[..2 * m * used];
    rows_fft(fft, grid, used, used, false);
    let nbands = m.div_ceil(L);
    bands.resize(nbands * m, [[0.0; L]; 2]);
    // Per band of columns: copy out (rows from `used` on are zero), transform the columns,
    // multiply by the kernel's spectrum, transform back. A last band past column m holds
    // zero columns.
    let rows = &*grid;
    crate::base::par::map_chunks_mut(bands, m, |first, band| {
        let c0 = first / m * L;
        let lanes = L.min(m - c0);
        let zero = if lanes < L { 0 } else { used };
        band[zero..].fill([[0.0; L]; 2]);
        for (cell, row) in band.iter_mut().zip(rows.chunks_exact(2 * m)) {
            for (l, z) in row[2 * c0..2 * (c0 + lanes)].chunks_exact(2).enumerate() {
                cell[0][l] = z[0];
                cell[1][l] = z[1];
            }
        }
        let mut scratch = Vec::new();
        fft.run_planes(band, &mut scratch, false);
        for (r, cell) in band.iter_mut().enumerate() {
            for (l, &k) in spectrum[r * m + c0..r * m + c0 + lanes].iter().enumerate() {
                cell[0][l] *= k;
                cell[1][l] *= k;
            }
        }
        fft.run_planes(band, &mut scratch, true);
    });
    // Back into rows (the first `used` rows; only their first `used` columns are read after
    // the inverse row transforms, but all m are needed as their input).
    let bands = &*bands;
    crate::base::par::map_chunks_mut(grid, 2 * m * ROWS_PER_PIECE, |first, piece| {
        for (r, row) in (first / (2 * m)..).zip(piece.chunks_exact_mut(2 * m)) {
            for (b, out) in row.chunks_mut(2 * L).enumerate() {
                let cell = &bands[b * m + r];
                for (l, z) in out.chunks_exact_mut(2).enumerate() {
                    z[0] = cell[0][l];
                    z[1] = cell[1][l];
                }
            }
        }
    });
    rows_fft(fft, grid, used, used, true);
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
    fn split_planes_give_the_interleaved_transforms_bits() {
        // The same operations per element: each lane equals `run` on that lane, bit for bit.
        let mut rng = Rng::new(5);
        for n in [6, 12, 30, 48, 324] {
            let fft = Fft::new(n);
            let mut planes: Vec<Lanes> = (0..n)
                .map(|_| [std::array::from_fn(|_| rng.normal()), std::array::from_fn(|_| rng.normal())])
                .collect();
            for inverse in [false, true] {
                let before = planes.clone();
                fft.run_planes(&mut planes, &mut vec![], inverse);
                for l in 0..L {
                    let mut z: Vec<f64> = before.iter().flat_map(|c| [c[0][l], c[1][l]]).collect();
                    fft.run(&mut z, &mut vec![], inverse);
                    let got: Vec<f64> = planes.iter().flat_map(|c| [c[0][l], c[1][l]]).collect();
                    assert!(z.iter().zip(&got).all(|(a, b)| a.to_bits() == b.to_bits()), "n {n} lane {l}");
                }
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
