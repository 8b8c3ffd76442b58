//! Regression scores, as scikit-learn's `mean_squared_error`, `mean_absolute_error` and
//! `r2_score`.

use super::Metrics;

pub fn mse(y: &[f64], pred: &[f64]) -> f64 {
    y.iter().zip(pred).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / y.len() as f64
}

pub fn mae(y: &[f64], pred: &[f64]) -> f64 {
    y.iter().zip(pred).map(|(a, b)| (a - b).abs()).sum::<f64>() / y.len() as f64
}

/// 1 - SS_res / SS_tot. A constant target gives 1.0 for a perfect fit and 0.0 otherwise,
/// as scikit-learn does, rather than dividing by zero.
pub fn r2(y: &[f64], pred: &[f64]) -> f64 {
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let ss_tot: f64 = y.iter().map(|v| (v - mean) * (v - mean)).sum();
    let ss_res: f64 = y.iter().zip(pred).map(|(a, b)| (a - b) * (a - b)).sum();
    if ss_tot == 0.0 {
        return if ss_res == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - ss_res / ss_tot
}

pub fn evaluate(y: &[f64], pred: &[f64]) -> Metrics {
    let m = mse(y, pred);
    [("mse", m), ("rmse", m.sqrt()), ("mae", mae(y, pred)), ("r2", r2(y, pred))]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let (y, p) = ([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]);
        // scikit-learn's documented examples for these arrays.
        assert!((mse(&y, &p) - 0.375).abs() < 1e-12);
        assert!((mae(&y, &p) - 0.5).abs() < 1e-12);
        assert!((r2(&y, &p) - 0.9486081370449679).abs() < 1e-12);
        assert_eq!(r2(&[1.0, 1.0], &[1.0, 1.0]), 1.0);
        assert_eq!(r2(&[1.0, 1.0], &[1.0, 2.0]), 0.0);
    }
}
