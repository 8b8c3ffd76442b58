//! Numerical building blocks every layer above may use: the packed GEMM, L-BFGS, squared
//! distances and the kd-tree, SIMD lanes. Nothing here knows about models or data sets.

pub mod fastpow;
pub mod lanes;
pub mod lbfgs;
pub mod matmul;
#[cfg(target_arch = "x86_64")]
mod matmul_avx;
pub mod neighbors;

use ndarray::Array2;

/// Rows of `x` as one row-major slice (copied only when `x` is not already laid out so).
pub fn flat(x: &Array2<f64>) -> std::borrow::Cow<'_, [f64]> {
    match x.as_slice() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(x.iter().copied().collect()),
    }
}

/// A range around `values` with a little padding; a safe default when empty or flat.
pub fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
    (lo - pad, hi + pad)
}
