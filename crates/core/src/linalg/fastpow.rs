//! x^y for four positive f32 at once, by a log2 and an exp2 written with plain IEEE
//! arithmetic on `F4` lanes (+, -, *, / and bit moves), so native and wasm give the same
//! bits at a fraction of the cost of `exp(y ln x)`. Relative error below 4e-7 (1 + |y log2
//! x|), the limit of f32 on this route (about 1e-6 over UMAP's distances): ample for its
//! forces, which umap-learn computes in f32 too.

use super::lanes::{F4, ROUND};

/// x^y per lane. x below the smallest normal f32 counts as that (0 for y > 0, as the forces
/// need, to within 1e-38); y log2 x is held to [-126, 126], so no lane overflows.
#[inline]
pub fn pow4(x: F4, y: f32) -> F4 {
    let c = F4::splat;
    let (e, m) = x.max(c(f32::MIN_POSITIVE)).split_log2();
    // log2 m = 2 / ln 2 atanh(t), t = (m - 1) / (m + 1), |t| < 0.172: the series to t^7
    // leaves < 5e-8.
    let t = (m - c(1.0)) / (m + c(1.0));
    let t2 = t * t;
    let p = c(1.0) + t2 * (c(1.0 / 3.0) + t2 * (c(1.0 / 5.0) + t2 * c(1.0 / 7.0)));
    let lg = e + t * p * c(2.0 / std::f32::consts::LN_2);
    // 2^z = 2^k e^(f ln 2): k the nearest integer (add-and-subtract, exact), |f| <= 1/2.
    let z = (c(y) * lg).max(c(-126.0)).min(c(126.0));
    let r = z + c(ROUND);
    let f = (z - (r - c(ROUND))) * c(std::f32::consts::LN_2);
    // e^f, |f| <= 0.347: the Taylor series to f^6 leaves < 2e-7.
    let mut q = c(1.0 / 720.0);
    for coef in [1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 1.0 / 2.0, 1.0, 1.0] {
        q = c(coef) + f * q;
    }
    q * r.pow2_of_rounded()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_libm_pow_closely() {
        let mut worst: f64 = 0.0;
        for i in 0..20_000 {
            // x from 1e-12 to 1e12, y over UMAP's b, b - 1 and beyond.
            let x =
                libm::pow(10.0, -12.0 + 24.0 * i as f64 / 19_999.0) * (1.0 + 0.37 * ((i * 7919) % 101) as f64 / 101.0);
            let x = x as f32;
            for y in [0.79f32, -0.21, 1.0, 0.5, 1.9, -1.0, 2.0] {
                let ours = pow4(F4::new([x, x * 1.5, x * 0.75, x * 3.0]), y).to_array();
                for (l, s) in [1.0f32, 1.5, 0.75, 3.0].into_iter().enumerate() {
                    let theirs = libm::pow((x * s) as f64, y as f64);
                    // f32 holds y log2 x to a relative 6e-8, so the result only to that
                    // times |y log2 x| (the conditioning of any f32 power done this way).
                    let z = (y as f64 * libm::log2((x * s) as f64)).abs();
                    worst = worst.max(((ours[l] as f64 - theirs) / theirs).abs() / (1.0 + z));
                }
            }
        }
        assert!(worst < 4e-7, "worst relative error / (1 + |y log2 x|): {worst}");
        let one = pow4(F4::new([1.0, 0.0, 4.0, 1e-30]), 0.5).to_array();
        assert_eq!(one[0], 1.0);
        assert!(one[1] < 1e-18, "{}", one[1]);
        assert_eq!(one[2], 2.0);
    }
}
