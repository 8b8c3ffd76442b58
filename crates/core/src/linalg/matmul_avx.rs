//! The f64 micro-kernel of `matmul` on AVX registers (natively, where the processor has
//! AVX): a 4 x 8 tile of C in eight 4-lane registers. Each lane does what the portable
//! `matmul::kernel` does for its element — multiply, round, add, round, over k in order,
//! then one add into C — with no fused multiply-add, so both give the same bits (the
//! tile's shape only decides which elements are computed together, never an element's
//! sum order).

use core::arch::x86_64::{__m256d, _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_storeu_pd};

/// Rows and columns of the tile.
pub(super) const MR: usize = 4;
pub(super) const NR: usize = 8;

/// Whether this processor runs the AVX kernel (std caches the answer).
#[inline]
pub(super) fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx")
}

/// C[i0.., j0..] += strip(A) · panel(B) over an `mr x nr` tile; `apack` is `kc x MR`
/// column by column, `bpanel` `kc x NR` row-major, as `matmul::block` packs them.
///
/// # Safety
/// Only where `available()`.
#[allow(clippy::too_many_arguments)]
#[target_feature(enable = "avx")]
pub(super) unsafe fn kernel(
    apack: &[f64],
    bpanel: &[f64],
    c: &mut [f64],
    n: usize,
    i0: usize,
    mr: usize,
    j0: usize,
    nr: usize,
) {
    let zero = _mm256_set1_pd(0.0);
    let mut acc: [[__m256d; 2]; MR] = [[zero; 2]; MR];
    for (ap, bp) in apack.chunks_exact(MR).zip(bpanel.chunks_exact(NR)) {
        let bp: &[f64; NR] = bp.try_into().expect("NR wide");
        // SAFETY: bp holds 8 f64; the loads are unaligned.
        let (b0, b1) = unsafe { (_mm256_loadu_pd(bp.as_ptr()), _mm256_loadu_pd(bp.as_ptr().add(4))) };
        for (r, acc) in acc.iter_mut().enumerate() {
            let a = _mm256_set1_pd(ap[r]);
            acc[0] = _mm256_add_pd(acc[0], _mm256_mul_pd(a, b0));
            acc[1] = _mm256_add_pd(acc[1], _mm256_mul_pd(a, b1));
        }
    }
    for (r, acc) in acc.iter().enumerate().take(mr) {
        let mut row = [0.0f64; NR];
        // SAFETY: row holds 8 f64; the stores are unaligned.
        unsafe {
            _mm256_storeu_pd(row.as_mut_ptr(), acc[0]);
            _mm256_storeu_pd(row.as_mut_ptr().add(4), acc[1]);
        }
        let dst = &mut c[(i0 + r) * n + j0..][..nr];
        dst.iter_mut().zip(row).for_each(|(d, v)| *d += v);
    }
}
