//! Matrix products over row-major f32 slices (the hot loop of the neural network) and f64
//! ones (PCA's covariance, `gram_f64`).
//!
//! The classic packed scheme (as in GotoBLAS and its descendants): a block of `KC` rows
//! of op(B) is copied into contiguous panels `NR` columns wide, and for each `MR` rows of
//! op(A) a `KC x MR` strip is copied next to it; a micro-kernel then keeps an `MR x NR`
//! tile of C in registers while it walks both strips with unit stride. The kernel is
//! plain fixed-size array code, which the compiler turns into SIMD (SSE natively, simd128
//! in wasm) without `unsafe` or intrinsics; f64 natively also has an AVX kernel
//! (`matmul_avx`, chosen at run time) with the same operations per element. Transposed
//! operands are handled while packing, so backpropagation needs no transposed copies.
//!
//! Each element of C is accumulated over k in the same order whatever the vector width,
//! so results are bit-identical across platforms (Rust never fuses multiply and add).

use std::ops::{AddAssign, Mul, Range};

const MR: usize = 4;
/// Columns per tile: 8 f32 or 4 f64, so the `MR x NR` tile is 8 SIMD registers of 16 bytes
/// in either (more would spill on x86 and in wasm engines).
const NR32: usize = 8;
const NR64: usize = 4;
/// f64 columns per tile in the AVX kernel (`matmul_avx`): 4 x 8 is eight 32-byte registers.
const NR64_AVX: usize = 8;
/// Rows of op(B) per block: a packed `KC x NR` panel of B is 8 KiB and stays in L1.
const KC: usize = 256;

/// The element types the kernel is built for (plain IEEE add and multiply).
pub trait Elem: Copy + Default + AddAssign + Mul<Output = Self> + Send + Sync {
    /// This thread's packing buffers for this type.
    fn with_scratch<R>(f: impl FnOnce(&mut (Vec<Self>, Vec<Self>)) -> R) -> R;
    /// `kernel` for this type. LLVM vectorises the f64 one only as a function of its own
    /// (inlined into `run` it became scalar code with spills, 4x slower); f32's inlines fine.
    #[allow(clippy::too_many_arguments)]
    fn tile<const NR: usize>(
        apack: &[Self],
        bpanel: &[Self],
        c: &mut [Self],
        n: usize,
        i0: usize,
        mr: usize,
        j0: usize,
        nr: usize,
    );
}

impl Elem for f32 {
    fn with_scratch<R>(f: impl FnOnce(&mut (Vec<f32>, Vec<f32>)) -> R) -> R {
        SCRATCH32.with_borrow_mut(f)
    }
    #[inline(always)]
    fn tile<const NR: usize>(
        apack: &[f32],
        bpanel: &[f32],
        c: &mut [f32],
        n: usize,
        i0: usize,
        mr: usize,
        j0: usize,
        nr: usize,
    ) {
        kernel::<f32, NR>(apack, bpanel, c, n, i0, mr, j0, nr)
    }
}

impl Elem for f64 {
    fn with_scratch<R>(f: impl FnOnce(&mut (Vec<f64>, Vec<f64>)) -> R) -> R {
        SCRATCH64.with_borrow_mut(f)
    }
    #[inline(never)]
    fn tile<const NR: usize>(
        apack: &[f64],
        bpanel: &[f64],
        c: &mut [f64],
        n: usize,
        i0: usize,
        mr: usize,
        j0: usize,
        nr: usize,
    ) {
        #[cfg(target_arch = "x86_64")]
        if NR == NR64_AVX && avx_available() {
            // SAFETY: the processor has AVX.
            return unsafe { super::matmul_avx::kernel(apack, bpanel, c, n, i0, mr, j0, nr) };
        }
        kernel::<f64, NR>(apack, bpanel, c, n, i0, mr, j0, nr)
    }
}

#[cfg(target_arch = "x86_64")]
const _: () = assert!(super::matmul_avx::MR == MR && super::matmul_avx::NR == NR64_AVX);

#[cfg(target_arch = "x86_64")]
use super::matmul_avx::available as avx_available;
#[cfg(not(target_arch = "x86_64"))]
fn avx_available() -> bool {
    false
}

/// `bands` in f64 with the widest kernel this processor has: AVX natively where present
/// (4 x 8 tiles), else the portable kernel (SSE2 natively, simd128 in wasm). Same bits.
fn bands_f64(a: &Operand<f64>, b: &Operand<f64>, c: &mut [f64], upper: bool) {
    if avx_available() {
        return bands::<f64, NR64_AVX>(a, b, c, upper);
    }
    bands::<f64, NR64>(a, b, c, upper)
}

/// A row-major matrix operand: `data` holds `rows x cols` as stored; with `transposed`
/// the product uses its transpose.
#[derive(Clone, Copy)]
pub struct Operand<'a, T = f32> {
    pub data: &'a [T],
    pub rows: usize,
    pub cols: usize,
    pub transposed: bool,
}

impl<'a, T: Elem> Operand<'a, T> {
    pub fn new(data: &'a [T], rows: usize, cols: usize) -> Operand<'a, T> {
        debug_assert_eq!(data.len(), rows * cols);
        Operand { data, rows, cols, transposed: false }
    }

    pub fn t(self) -> Operand<'a, T> {
        Operand { transposed: !self.transposed, ..self }
    }

    /// Shape of op(X).
    fn shape(&self) -> (usize, usize) {
        if self.transposed {
            (self.cols, self.rows)
        } else {
            (self.rows, self.cols)
        }
    }

    /// Element (i, j) of op(X).
    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> T {
        if self.transposed {
            self.data[j * self.cols + i]
        } else {
            self.data[i * self.cols + j]
        }
    }
}

/// `c += op(a) · op(b)`, with `c` row-major `m x n` where op(a) is `m x k`, op(b) `k x n`.
pub fn gemm_acc(a: Operand, b: Operand, c: &mut [f32]) {
    bands::<f32, NR32>(&a, &b, c, false);
}

/// `gemm_acc` in f64.
pub fn gemm_acc_f64(a: Operand<f64>, b: Operand<f64>, c: &mut [f64]) {
    bands_f64(&a, &b, c, false);
}

/// `xᵀ · x` for a row-major `n x d` matrix `x`, as a row-major `d x d` matrix. Only the
/// tiles on and above the diagonal are computed (half the work), then mirrored, so the
/// result is exactly symmetric.
pub fn gram_f64(x: &[f64], n: usize, d: usize) -> Vec<f64> {
    let mut c = vec![0.0; d * d];
    let x = Operand::new(x, n, d);
    bands_f64(&x.t(), &x, &mut c, true);
    for i in 0..d {
        for j in 0..i {
            c[i * d + j] = c[j * d + i];
        }
    }
    c
}

thread_local! {
    /// Packing buffers, reused across calls (a training epoch makes thousands of products).
    static SCRATCH32: std::cell::RefCell<(Vec<f32>, Vec<f32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    static SCRATCH64: std::cell::RefCell<(Vec<f64>, Vec<f64>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// `c += op(a) · op(b)`; with `upper`, only tiles reaching the diagonal or above it. Bands
/// of C's rows go to the threads when the product is big enough to pay for it: each
/// element is still summed over k in the same order, so the bits do not change.
fn bands<T: Elem, const NR: usize>(a: &Operand<T>, b: &Operand<T>, c: &mut [T], upper: bool) {
    let (m, k) = a.shape();
    let (k2, n) = b.shape();
    assert_eq!(k, k2, "inner dimensions differ");
    assert_eq!(c.len(), m * n, "output has the wrong size");
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    // The Gram product (`upper`) stays whole: in bands it ran 0.65x as fast on 2 threads
    // (PCA, 20,000 x 200, in the browser).
    let band = if m * n * k >= PARALLEL_FLOPS && !upper { BAND } else { m };
    crate::base::par::map_chunks_mut(c, band * n, |first, c| {
        let rows = first / n..first / n + c.len() / n;
        T::with_scratch(|s| run::<T, NR>(a, b, c, rows, (n, k), upper, s));
    });
}

/// Rows of C per parallel band (a multiple of `MR`), and the size (m·n·k) from which a
/// product is split into bands.
const BAND: usize = 16 * MR;
const PARALLEL_FLOPS: usize = 1 << 22;

/// Rows `rows` of C (held in `c`, `rows.len() x n`).
#[allow(clippy::too_many_arguments)]
fn run<T: Elem, const NR: usize>(
    a: &Operand<T>,
    b: &Operand<T>,
    c: &mut [T],
    rows: Range<usize>,
    (n, k): (usize, usize),
    upper: bool,
    (bpack, apack): &mut (Vec<T>, Vec<T>),
) {
    let panels = n.div_ceil(NR);
    // Every element read is written by the packing first, so stale contents are fine.
    bpack.resize(bpack.len().max(KC.min(k) * panels * NR), T::default());
    apack.resize(KC * MR, T::default());
    for p0 in (0..k).step_by(KC) {
        block::<T, NR>(a, b, c, (rows.clone(), n, p0, KC.min(k - p0)), upper, bpack, apack);
    }
}

/// The product over rows p0..p0+kc of op(B). A function of its own, called once per block:
/// a wasm engine swaps in a function's optimised code only from its next call on, so a
/// single call over all of k (one PCA fit) would run in baseline code throughout.
#[inline(never)]
fn block<T: Elem, const NR: usize>(
    a: &Operand<T>,
    b: &Operand<T>,
    c: &mut [T],
    (rows, n, p0, kc): (Range<usize>, usize, usize, usize),
    upper: bool,
    bpack: &mut [T],
    apack: &mut [T],
) {
    let panels = n.div_ceil(NR);
    let bp = &mut bpack[..kc * panels * NR];
    pack_b::<T, NR>(b, p0, kc, n, bp);
    for i0 in rows.clone().step_by(MR) {
        let mr = MR.min(rows.end - i0);
        pack_a(a, i0, mr, p0, kc, &mut apack[..kc * MR]);
        // Tiles whose last column is left of the strip's first row lie below the diagonal.
        let first = if upper { i0 / NR } else { 0 };
        for (jp, panel) in bp.chunks_exact(kc * NR).enumerate().skip(first) {
            let j0 = jp * NR;
            T::tile::<NR>(&apack[..kc * MR], panel, c, n, i0 - rows.start, mr, j0, NR.min(n - j0));
        }
    }
}

/// Rows p0..p0+kc of op(B), as `NR`-wide panels, each `kc x NR` row-major, zero-padded.
fn pack_b<T: Elem, const NR: usize>(b: &Operand<T>, p0: usize, kc: usize, n: usize, out: &mut [T]) {
    for (jp, panel) in out.chunks_exact_mut(kc * NR).enumerate() {
        let j0 = jp * NR;
        let nr = NR.min(n - j0);
        for (q, row) in panel.chunks_exact_mut(NR).enumerate() {
            let p = p0 + q;
            if !b.transposed && nr == NR {
                row.copy_from_slice(&b.data[p * n + j0..p * n + j0 + NR]);
                continue;
            }
            for (jj, v) in row.iter_mut().enumerate() {
                *v = if jj < nr { b.at(p, j0 + jj) } else { T::default() };
            }
        }
    }
}

/// Rows i0..i0+mr, columns p0..p0+kc of op(A), stored column by column (`kc x MR`).
fn pack_a<T: Elem>(a: &Operand<T>, i0: usize, mr: usize, p0: usize, kc: usize, out: &mut [T]) {
    if a.transposed {
        // op(A)(i, p) = A(p, i): each column of the strip is a contiguous run of A's row p.
        for (q, col) in out.chunks_exact_mut(MR).enumerate() {
            let row = &a.data[(p0 + q) * a.cols + i0..];
            if mr == MR {
                // A fixed-size copy: with a variable length each column was a memcpy call.
                col.copy_from_slice(&row[..MR]);
            } else {
                col[..mr].copy_from_slice(&row[..mr]);
                col[mr..].fill(T::default());
            }
        }
        return;
    }
    for r in 0..MR {
        if r >= mr {
            out.chunks_exact_mut(MR).for_each(|col| col[r] = T::default());
            continue;
        }
        let row = &a.data[(i0 + r) * a.cols + p0..][..kc];
        out.chunks_exact_mut(MR).zip(row).for_each(|(col, &v)| col[r] = v);
    }
}

/// C[i0.., j0..] += strip(A) · panel(B) over an `mr x nr` tile (the rest is padding).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn kernel<T: Elem, const NR: usize>(
    apack: &[T],
    bpanel: &[T],
    c: &mut [T],
    n: usize,
    i0: usize,
    mr: usize,
    j0: usize,
    nr: usize,
) {
    let mut acc = [[T::default(); NR]; MR];
    for (ap, bp) in apack.chunks_exact(MR).zip(bpanel.chunks_exact(NR)) {
        let ap: &[T; MR] = ap.try_into().expect("MR wide");
        let bp: &[T; NR] = bp.try_into().expect("NR wide");
        for r in 0..MR {
            for j in 0..NR {
                acc[r][j] += ap[r] * bp[j];
            }
        }
    }
    for (r, row) in acc.iter().enumerate().take(mr) {
        let dst = &mut c[(i0 + r) * n + j0..][..nr];
        dst.iter_mut().zip(row).for_each(|(d, &v)| *d += v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &Operand, b: &Operand) -> Vec<f32> {
        let ((m, k), (_, n)) = (a.shape(), b.shape());
        let mut c = vec![0.0f32; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a.at(i, p) as f64 * b.at(p, j) as f64).sum::<f64>() as f32;
            }
        }
        c
    }

    fn filled(len: usize, seed: u32) -> Vec<f32> {
        (0..len)
            .map(|i| (((i as u32).wrapping_mul(2654435761).wrapping_add(seed) >> 16) % 200) as f32 / 100.0 - 1.0)
            .collect()
    }

    #[test]
    fn banded_products_are_the_same_bits_on_any_number_of_threads() {
        let (m, k, n) = (300, 200, 90); // over PARALLEL_FLOPS, bands of BAND rows plus a short one
        assert!(m * n * k >= PARALLEL_FLOPS);
        let (ad, bd) = (filled(k * m, 3), filled(k * n, 4));
        let run = |threads: usize| {
            let mut c = vec![0.0f32; m * n];
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool");
            pool.install(|| gemm_acc(Operand::new(&ad, k, m).t(), Operand::new(&bd, k, n), &mut c));
            c
        };
        let one = run(1);
        assert_eq!(run(3), one);
        let a = Operand::new(&ad, k, m).t();
        for (got, want) in one.iter().zip(naive(&a, &Operand::new(&bd, k, n))) {
            assert!((got - want).abs() <= 1e-4 * (1.0 + want.abs()));
        }
    }

    #[test]
    fn matches_the_definition_for_every_layout_and_odd_size() {
        // Sizes around the tile and block edges, including k > KC.
        for &(m, k, n) in &[(1, 1, 1), (3, 5, 7), (4, 8, 8), (9, 300, 17), (13, 257, 1), (33, 64, 130)] {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let (ar, ac) = if ta { (k, m) } else { (m, k) };
                let (br, bc) = if tb { (n, k) } else { (k, n) };
                let (ad, bd) = (filled(ar * ac, 1), filled(br * bc, 2));
                let a = Operand { data: &ad, rows: ar, cols: ac, transposed: ta };
                let b = Operand { data: &bd, rows: br, cols: bc, transposed: tb };
                let mut c = vec![0.5f32; m * n];
                gemm_acc(a, b, &mut c);
                for (got, want) in c.iter().zip(naive(&a, &b)) {
                    assert!(
                        (got - 0.5 - want).abs() <= 1e-4 * (1.0 + want.abs()),
                        "{m}x{k}x{n} {ta} {tb}: {got} vs {want}"
                    );
                }
            }
        }
    }

    fn normal(len: usize, seed: u64) -> Vec<f64> {
        let mut rng = crate::base::rng::Rng::new(seed);
        (0..len).map(|_| rng.normal() * 3.0 + 0.7).collect()
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    /// The f64 products take the widest kernel the processor has (AVX 4 x 8 tiles here, where
    /// available): bit for bit what the portable 4 x 4 kernel gives, which wasm runs.
    #[test]
    fn f64_products_give_the_portable_kernels_bits() {
        eprintln!("AVX kernel: {}", cfg!(target_arch = "x86_64") && avx_available());
        // Tails in m (not a multiple of 4) and n (not of 4 or 8), k over KC, and one product
        // big enough to go to the threads in bands.
        const { assert!(70 * 600 * 101 >= PARALLEL_FLOPS) };
        for &(m, k, n) in &[(1, 1, 1), (3, 5, 7), (4, 8, 8), (9, 300, 17), (13, 257, 1), (33, 64, 130), (70, 600, 101)]
        {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let (ar, ac) = if ta { (k, m) } else { (m, k) };
                let (br, bc) = if tb { (n, k) } else { (k, n) };
                let (ad, bd) = (normal(ar * ac, 1), normal(br * bc, 2));
                let a = Operand { data: &ad, rows: ar, cols: ac, transposed: ta };
                let b = Operand { data: &bd, rows: br, cols: bc, transposed: tb };
                let start = normal(m * n, 3);
                let (mut got, mut want) = (start.clone(), start);
                gemm_acc_f64(a, b, &mut got);
                bands::<f64, NR64>(&a, &b, &mut want, false);
                assert_eq!(bits(&got), bits(&want), "{m}x{k}x{n} {ta} {tb}");
            }
        }
        for &(n, d) in &[(1, 1), (7, 3), (300, 5), (513, 13), (40, 37), (1000, 21)] {
            let x = normal(n * d, 4);
            let mut want = vec![0.0; d * d];
            // The whole product, both triangles, each summed on its own.
            bands::<f64, NR64>(&Operand::new(&x, n, d).t(), &Operand::new(&x, n, d), &mut want, false);
            assert_eq!(bits(&gram_f64(&x, n, d)), bits(&want), "{n}x{d}");
        }
    }

    #[test]
    fn gram_is_the_symmetric_product_of_the_transpose() {
        for &(n, d) in &[(1, 1), (7, 3), (300, 5), (513, 13), (40, 37)] {
            let x: Vec<f64> = filled(n * d, 3).iter().map(|&v| v as f64 * 1.25 + 0.1).collect();
            let c = gram_f64(&x, n, d);
            for i in 0..d {
                for j in 0..d {
                    let want: f64 = (0..n).map(|p| x[p * d + i] * x[p * d + j]).sum();
                    assert!(
                        (c[i * d + j] - want).abs() <= 1e-12 * (1.0 + want.abs()),
                        "{n}x{d} ({i}, {j}): {} vs {want}",
                        c[i * d + j]
                    );
                }
            }
        }
    }
}
