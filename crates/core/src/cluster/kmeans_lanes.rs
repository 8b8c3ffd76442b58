//! The row kernels of k-means' assignment: squared distances and adding a row into a
//! cluster's sum, four f64 lanes at a time. Each lane does the same IEEE operations in the
//! same order in every build (two wasm SIMD registers with simd128, a plain array natively
//! that LLVM puts in SSE2 registers, or one AVX register where the processor has it; no
//! fused multiply-add), so the bits never depend on the build or the machine. `dist2`
//! gives the bits of `linalg::neighbors::dist2`.

/// Four f64 lanes.
pub(super) trait Lanes: Copy {
    fn zero() -> Self;
    /// The first four values of `s`.
    fn load(s: &[f64]) -> Self;
    fn store(self, s: &mut [f64]);
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn lanes(self) -> [f64; 4];
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct F64x4(v128, v128);

    impl super::Lanes for F64x4 {
        #[inline(always)]
        fn zero() -> F64x4 {
            F64x4(f64x2_splat(0.0), f64x2_splat(0.0))
        }
        #[inline(always)]
        fn load(s: &[f64]) -> F64x4 {
            let s = &s[..4];
            // SAFETY: s holds 4 f64; v128 loads need no alignment in wasm.
            unsafe {
                let p = s.as_ptr() as *const v128;
                F64x4(v128_load(p), v128_load(p.add(1)))
            }
        }
        #[inline(always)]
        fn store(self, s: &mut [f64]) {
            let s = &mut s[..4];
            // SAFETY: as in `load`.
            unsafe {
                let p = s.as_mut_ptr() as *mut v128;
                v128_store(p, self.0);
                v128_store(p.add(1), self.1);
            }
        }
        #[inline(always)]
        fn add(self, o: F64x4) -> F64x4 {
            F64x4(f64x2_add(self.0, o.0), f64x2_add(self.1, o.1))
        }
        #[inline(always)]
        fn sub(self, o: F64x4) -> F64x4 {
            F64x4(f64x2_sub(self.0, o.0), f64x2_sub(self.1, o.1))
        }
        #[inline(always)]
        fn mul(self, o: F64x4) -> F64x4 {
            F64x4(f64x2_mul(self.0, o.0), f64x2_mul(self.1, o.1))
        }
        #[inline(always)]
        fn lanes(self) -> [f64; 4] {
            [
                f64x2_extract_lane::<0>(self.0),
                f64x2_extract_lane::<1>(self.0),
                f64x2_extract_lane::<0>(self.1),
                f64x2_extract_lane::<1>(self.1),
            ]
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    #[derive(Clone, Copy)]
    pub struct F64x4([f64; 4]);

    impl super::Lanes for F64x4 {
        #[inline(always)]
        fn zero() -> F64x4 {
            F64x4([0.0; 4])
        }
        #[inline(always)]
        fn load(s: &[f64]) -> F64x4 {
            F64x4([s[0], s[1], s[2], s[3]])
        }
        #[inline(always)]
        fn store(self, s: &mut [f64]) {
            s[..4].copy_from_slice(&self.0);
        }
        #[inline(always)]
        fn add(self, o: F64x4) -> F64x4 {
            F64x4([self.0[0] + o.0[0], self.0[1] + o.0[1], self.0[2] + o.0[2], self.0[3] + o.0[3]])
        }
        #[inline(always)]
        fn sub(self, o: F64x4) -> F64x4 {
            F64x4([self.0[0] - o.0[0], self.0[1] - o.0[1], self.0[2] - o.0[2], self.0[3] - o.0[3]])
        }
        #[inline(always)]
        fn mul(self, o: F64x4) -> F64x4 {
            F64x4([self.0[0] * o.0[0], self.0[1] * o.0[1], self.0[2] * o.0[2], self.0[3] * o.0[3]])
        }
        #[inline(always)]
        fn lanes(self) -> [f64; 4] {
            self.0
        }
    }
}

/// The build's own four lanes.
pub(super) use imp::F64x4 as Narrow;

/// One AVX register (only where the processor has AVX: see `kmeans_assign::run_piece`).
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
pub(super) struct Avx(core::arch::x86_64::__m256d);

#[cfg(target_arch = "x86_64")]
impl Lanes for Avx {
    #[inline(always)]
    fn zero() -> Avx {
        // SAFETY (here and below): only called from functions compiled for AVX, which run
        // only where the processor has it; loads and stores are unaligned and in bounds.
        Avx(unsafe { core::arch::x86_64::_mm256_setzero_pd() })
    }
    #[inline(always)]
    fn load(s: &[f64]) -> Avx {
        let s = &s[..4];
        Avx(unsafe { core::arch::x86_64::_mm256_loadu_pd(s.as_ptr()) })
    }
    #[inline(always)]
    fn store(self, s: &mut [f64]) {
        let s = &mut s[..4];
        unsafe { core::arch::x86_64::_mm256_storeu_pd(s.as_mut_ptr(), self.0) }
    }
    #[inline(always)]
    fn add(self, o: Avx) -> Avx {
        Avx(unsafe { core::arch::x86_64::_mm256_add_pd(self.0, o.0) })
    }
    #[inline(always)]
    fn sub(self, o: Avx) -> Avx {
        Avx(unsafe { core::arch::x86_64::_mm256_sub_pd(self.0, o.0) })
    }
    #[inline(always)]
    fn mul(self, o: Avx) -> Avx {
        Avx(unsafe { core::arch::x86_64::_mm256_mul_pd(self.0, o.0) })
    }
    #[inline(always)]
    fn lanes(self) -> [f64; 4] {
        let mut v = [0.0; 4];
        self.store(&mut v);
        v
    }
}

/// Squared Euclidean distance: four running sums over the first multiple of four values,
/// added as (0 + 1) + (2 + 3), then the rest in order.
#[inline(always)]
pub(super) fn dist2<L: Lanes>(a: &[f64], b: &[f64]) -> f64 {
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail = ca.remainder().iter().zip(cb.remainder()).fold(0.0, |s, (x, y)| s + (x - y) * (x - y));
    let mut acc = L::zero();
    for (x, y) in ca.zip(cb) {
        let t = L::load(x).sub(L::load(y));
        acc = acc.add(t.mul(t));
    }
    let l = acc.lanes();
    (l[0] + l[1]) + (l[2] + l[3]) + tail
}

/// `dist2(x, c)` for each of `M` centres, their running sums interleaved: each centre's
/// sum waits on its own previous step only, so the processor overlaps the centres'
/// steps instead of waiting out one chain of additions per centre. The same operations
/// in the same order per centre as `dist2`, so the same bits.
#[inline(always)]
pub(super) fn dist2_many<L: Lanes, const M: usize>(x: &[f64], cs: [&[f64]; M]) -> [f64; M] {
    let d = x.len();
    let body = d - d % 4;
    let mut out = [0.0; M];
    for (o, c) in out.iter_mut().zip(&cs) {
        *o = x[body..].iter().zip(&c[body..d]).fold(0.0, |s, (x, y)| s + (x - y) * (x - y));
    }
    let mut acc = [L::zero(); M];
    for j in (0..body).step_by(4) {
        let xv = L::load(&x[j..j + 4]);
        for (a, c) in acc.iter_mut().zip(&cs) {
            let t = xv.sub(L::load(&c[j..j + 4]));
            *a = a.add(t.mul(t));
        }
    }
    for (o, a) in out.iter_mut().zip(acc) {
        let l = a.lanes();
        *o += (l[0] + l[1]) + (l[2] + l[3]);
    }
    out
}

/// `sum -= row`, value by value.
#[inline(always)]
pub(super) fn sub_row<L: Lanes>(sum: &mut [f64], row: &[f64]) {
    move_row::<L, true>(sum, row);
}

/// `sum += row`, value by value.
#[inline(always)]
pub(super) fn add_row<L: Lanes>(sum: &mut [f64], row: &[f64]) {
    move_row::<L, false>(sum, row);
}

#[inline(always)]
fn move_row<L: Lanes, const SUB: bool>(sum: &mut [f64], row: &[f64]) {
    let mut s = sum.chunks_exact_mut(4);
    let mut r = row.chunks_exact(4);
    for (s, r) in (&mut s).zip(&mut r) {
        let (a, b) = (L::load(s), L::load(r));
        if SUB { a.sub(b) } else { a.add(b) }.store(s);
    }
    for (s, v) in s.into_remainder().iter_mut().zip(r.remainder()) {
        *s = if SUB { *s - v } else { *s + v };
    }
}
