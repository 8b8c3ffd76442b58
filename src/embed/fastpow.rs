//! x^y for x > 0 by a log2 and an exp2 written with plain IEEE arithmetic (+, -, *, / and
//! bit moves), so native and wasm give the same bits, at a fraction of the cost of
//! `libm::exp(y * libm::log(x))`. Relative error below 1e-8: ample for UMAP's forces,
//! which umap-learn computes in f32.

/// log2 of a positive normal x: x = 2^e m with m in [sqrt(1/2), sqrt(2)), split off
/// without a branch (as musl's log: offset the bits so the exponent field rounds there),
/// then the series of atanh((m - 1) / (m + 1)).
#[inline]
fn log2(x: f64) -> f64 {
    const OFF: u64 = 0x3fe6_a09e_667f_3bcd; // bits of sqrt(1/2)
    let tmp = x.to_bits().wrapping_sub(OFF);
    let e = (tmp as i64) >> 52;
    let m = f64::from_bits(x.to_bits().wrapping_sub(tmp & (0xfff << 52)));
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    // 2 / ln 2 * (t + t^3/3 + ... + t^9/9); |t| < 0.172, so the next term is < 4e-10.
    let p = 1.0 + t2 * (1.0 / 3.0 + t2 * (1.0 / 5.0 + t2 * (1.0 / 7.0 + t2 * (1.0 / 9.0))));
    e as f64 + t * p * (2.0 / std::f64::consts::LN_2)
}

/// 2^y: y = k + f with k the nearest integer (by the add-and-subtract trick, exact in IEEE
/// arithmetic) and |f| <= 1/2; 2^f by its Taylor series, 2^k by the exponent bits.
#[inline]
fn exp2(y: f64) -> f64 {
    if y < -1020.0 {
        return 0.0;
    }
    if y > 1020.0 {
        return f64::INFINITY;
    }
    const ROUND: f64 = 6755399441055744.0; // 1.5 * 2^52
    let k = (y + ROUND) - ROUND;
    let f = (y - k) * std::f64::consts::LN_2;
    // e^f, |f| <= 0.347: terms to f^8/8! leave < 6e-10.
    let p = 1.0
        + f * (1.0
            + f * (1.0 / 2.0
                + f * (1.0 / 6.0
                    + f * (1.0 / 24.0 + f * (1.0 / 120.0 + f * (1.0 / 720.0 + f * (1.0 / 5040.0 + f * (1.0 / 40320.0))))))));
    p * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// x^y for x > 0 (a subnormal or zero x gives 0 for y > 0, as the forces need).
#[inline]
pub fn pow_pos(x: f64, y: f64) -> f64 {
    if x < f64::MIN_POSITIVE {
        return if y > 0.0 { 0.0 } else { 1.0 };
    }
    exp2(y * log2(x))
}

/// `pow_pos` of two x at once, lane by lane the same operations (so the same bits), in one
/// wasm SIMD register when built with simd128; lanes outside the fast path's range (x not
/// normal, |y log2 x| > 1020) go through `pow_pos` itself.
#[inline]
pub fn pow_pos2(x: [f64; 2], y: f64) -> [f64; 2] {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if x[0] >= f64::MIN_POSITIVE && x[1] >= f64::MIN_POSITIVE {
        if let Some(r) = simd::pow2(x, y) {
            return r;
        }
    }
    [pow_pos(x[0], y), pow_pos(x[1], y)]
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    /// `log2` then `exp2` above on two lanes; None when a lane's exponent leaves [-1020, 1020].
    #[inline]
    pub fn pow2(x: [f64; 2], y: f64) -> Option<[f64; 2]> {
        let bits = f64x2(x[0], x[1]);
        let tmp = i64x2_sub(bits, i64x2_splat(0x3fe6_a09e_667f_3bcd));
        // The exponent: the high word of tmp shifted arithmetically, as two i32 to f64.
        let e = f64x2_convert_low_i32x4(i32x4_shuffle::<1, 3, 1, 3>(i32x4_shr(tmp, 20), i32x4_shr(tmp, 20)));
        let m = i64x2_sub(bits, v128_and(tmp, i64x2_splat(0xfff << 52)));
        let one = f64x2_splat(1.0);
        let t = f64x2_div(f64x2_sub(m, one), f64x2_add(m, one));
        let t2 = f64x2_mul(t, t);
        let c = |v: f64| f64x2_splat(v);
        let mut p = f64x2_add(c(1.0 / 7.0), f64x2_mul(t2, c(1.0 / 9.0)));
        p = f64x2_add(c(1.0 / 5.0), f64x2_mul(t2, p));
        p = f64x2_add(c(1.0 / 3.0), f64x2_mul(t2, p));
        p = f64x2_add(one, f64x2_mul(t2, p));
        let lg = f64x2_add(e, f64x2_mul(f64x2_mul(t, p), c(2.0 / std::f64::consts::LN_2)));
        let z = f64x2_mul(c(y), lg);
        let (z0, z1) = (f64x2_extract_lane::<0>(z), f64x2_extract_lane::<1>(z));
        if !(z0.abs() <= 1020.0 && z1.abs() <= 1020.0) {
            return None;
        }
        const ROUND: f64 = 6755399441055744.0;
        let r = f64x2_add(z, c(ROUND));
        let k = f64x2_sub(r, c(ROUND));
        // r's low bits hold k exactly (r lies in [2^52, 2^53)).
        let ki = i64x2_sub(r, i64x2_splat(ROUND.to_bits() as i64));
        let scale = i64x2_shl(i64x2_add(ki, i64x2_splat(1023)), 52);
        let f = f64x2_mul(f64x2_sub(z, k), c(std::f64::consts::LN_2));
        let mut q = f64x2_add(c(1.0 / 5040.0), f64x2_mul(f, c(1.0 / 40320.0)));
        for coef in [1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 1.0 / 2.0, 1.0, 1.0] {
            q = f64x2_add(c(coef), f64x2_mul(f, q));
        }
        let out = f64x2_mul(q, scale);
        Some([f64x2_extract_lane::<0>(out), f64x2_extract_lane::<1>(out)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_libm_pow_closely() {
        let mut worst: f64 = 0.0;
        for i in 0..20_000 {
            // x from 1e-12 to 1e12, y over UMAP's b, b - 1 and beyond.
            let x = libm::pow(10.0, -12.0 + 24.0 * i as f64 / 19_999.0) * (1.0 + 0.37 * ((i * 7919) % 101) as f64 / 101.0);
            for y in [0.79, -0.21, 1.0, 0.5, 1.9, -1.0, 2.0] {
                let (ours, theirs) = (pow_pos(x, y), libm::pow(x, y));
                worst = worst.max(((ours - theirs) / theirs).abs());
            }
        }
        assert!(worst < 1e-8, "worst relative error {worst}");
        assert_eq!(pow_pos(1.0, 0.79), 1.0);
        assert_eq!(pow_pos(0.0, 0.79), 0.0);
        assert_eq!(pow_pos(4.0, 0.5), 2.0);
    }
}
