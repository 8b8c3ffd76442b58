//! Four f32 lanes with the operations UMAP's forces need: one wasm SIMD register when built
//! with simd128, else a plain array (which LLVM vectorises natively). Every operation is
//! the same IEEE operation on each lane in both (no fused multiply-add; min and max as
//! compare-and-select), so native and wasm give the same bits.

const SQRT_HALF_BITS: u32 = 0x3f35_04f3;
const EXP_MASK: u32 = 0xff80_0000;
/// 1.5 * 2^23: adding and subtracting it rounds an f32 below 2^22 to an integer.
pub const ROUND: f32 = 12_582_912.0;

/// `impl $tr for F4` with `$f(a, o) = $body`: both implementations below use it.
macro_rules! op {
    ($tr:ident, $f:ident, |$a:ident, $o:ident| $body:expr) => {
        impl $tr for F4 {
            type Output = F4;
            #[inline]
            fn $f(self, $o: F4) -> F4 {
                let $a = self;
                $body
            }
        }
    };
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;
    use std::ops::{Add, Div, Mul, Sub};

    #[derive(Clone, Copy)]
    pub struct F4(v128);

    op!(Add, add, |a, o| F4(f32x4_add(a.0, o.0)));
    op!(Sub, sub, |a, o| F4(f32x4_sub(a.0, o.0)));
    op!(Mul, mul, |a, o| F4(f32x4_mul(a.0, o.0)));
    op!(Div, div, |a, o| F4(f32x4_div(a.0, o.0)));

    impl F4 {
        #[inline]
        pub fn new(v: [f32; 4]) -> F4 {
            F4(f32x4(v[0], v[1], v[2], v[3]))
        }
        #[inline]
        pub fn splat(v: f32) -> F4 {
            F4(f32x4_splat(v))
        }
        #[inline]
        pub fn to_array(self) -> [f32; 4] {
            let v = self.0;
            [
                f32x4_extract_lane::<0>(v),
                f32x4_extract_lane::<1>(v),
                f32x4_extract_lane::<2>(v),
                f32x4_extract_lane::<3>(v),
            ]
        }
        /// `o < self ? o : self` per lane.
        #[inline]
        pub fn min(self, o: F4) -> F4 {
            F4(f32x4_pmin(self.0, o.0))
        }
        /// `self < o ? o : self` per lane.
        #[inline]
        pub fn max(self, o: F4) -> F4 {
            F4(f32x4_pmax(self.0, o.0))
        }
        /// The lanes of self where `cond > 0`, +0 elsewhere.
        #[inline]
        pub fn where_positive(self, cond: F4) -> F4 {
            F4(v128_and(self.0, f32x4_gt(cond.0, f32x4_splat(0.0))))
        }
        /// x = 2^e m with m in [sqrt(1/2), sqrt(2)) for a positive normal x: (e, m).
        #[inline]
        pub fn split_log2(self) -> (F4, F4) {
            let tmp = i32x4_sub(self.0, u32x4_splat(super::SQRT_HALF_BITS));
            let e = f32x4_convert_i32x4(i32x4_shr(tmp, 23));
            (F4(e), F4(i32x4_sub(self.0, v128_and(tmp, u32x4_splat(super::EXP_MASK)))))
        }
        /// 2^k for lanes holding `k + ROUND` with k integral, |k| <= 126.
        #[inline]
        pub fn pow2_of_rounded(self) -> F4 {
            let k = i32x4_sub(self.0, u32x4_splat(super::ROUND.to_bits()));
            F4(i32x4_shl(i32x4_add(k, i32x4_splat(127)), 23))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    use std::ops::{Add, Div, Mul, Sub};

    #[derive(Clone, Copy)]
    pub struct F4([f32; 4]);

    op!(Add, add, |a, o| F4(std::array::from_fn(|l| a.0[l] + o.0[l])));
    op!(Sub, sub, |a, o| F4(std::array::from_fn(|l| a.0[l] - o.0[l])));
    op!(Mul, mul, |a, o| F4(std::array::from_fn(|l| a.0[l] * o.0[l])));
    op!(Div, div, |a, o| F4(std::array::from_fn(|l| a.0[l] / o.0[l])));

    impl F4 {
        #[inline]
        pub fn new(v: [f32; 4]) -> F4 {
            F4(v)
        }
        #[inline]
        pub fn splat(v: f32) -> F4 {
            F4([v; 4])
        }
        #[inline]
        pub fn to_array(self) -> [f32; 4] {
            self.0
        }
        #[inline]
        pub fn min(self, o: F4) -> F4 {
            F4(std::array::from_fn(|l| if o.0[l] < self.0[l] { o.0[l] } else { self.0[l] }))
        }
        #[inline]
        pub fn max(self, o: F4) -> F4 {
            F4(std::array::from_fn(|l| if self.0[l] < o.0[l] { o.0[l] } else { self.0[l] }))
        }
        #[inline]
        pub fn where_positive(self, cond: F4) -> F4 {
            F4(std::array::from_fn(|l| if cond.0[l] > 0.0 { self.0[l] } else { 0.0 }))
        }
        #[inline]
        pub fn split_log2(self) -> (F4, F4) {
            let tmp = self.0.map(|x| x.to_bits().wrapping_sub(super::SQRT_HALF_BITS));
            let e = tmp.map(|t| ((t as i32) >> 23) as f32);
            (
                F4(e),
                F4(std::array::from_fn(|l| f32::from_bits(self.0[l].to_bits().wrapping_sub(tmp[l] & super::EXP_MASK)))),
            )
        }
        #[inline]
        pub fn pow2_of_rounded(self) -> F4 {
            F4(self.0.map(|r| f32::from_bits(r.to_bits().wrapping_sub(super::ROUND.to_bits()).wrapping_add(127) << 23)))
        }
    }
}

pub use imp::F4;

impl F4 {
    /// Sum of the lanes, always as (0 + 1) + (2 + 3).
    #[inline]
    pub fn sum(self) -> f32 {
        let v = self.to_array();
        (v[0] + v[1]) + (v[2] + v[3])
    }
}
