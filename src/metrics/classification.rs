//! Classification metrics over class labels and predicted probabilities.

use ndarray::Array2;

use super::Metrics;

/// The most probable class of each row (the first one on ties, as numpy's argmax).
pub fn argmax_rows(proba: &Array2<f64>) -> Vec<u32> {
    proba
        .rows()
        .into_iter()
        .map(|r| {
            let mut best = 0;
            for (j, &p) in r.iter().enumerate() {
                if p > r[best] {
                    best = j;
                }
            }
            best as u32
        })
        .collect()
}

pub fn accuracy(y_true: &[u32], y_pred: &[u32]) -> f64 {
    let hits = y_true.iter().zip(y_pred).filter(|(a, b)| a == b).count();
    hits as f64 / y_true.len() as f64
}

/// Mean recall over the classes present in `y_true`.
pub fn balanced_accuracy(y_true: &[u32], y_pred: &[u32], n_classes: usize) -> f64 {
    let mut support = vec![0usize; n_classes];
    let mut hits = vec![0usize; n_classes];
    for (&t, &p) in y_true.iter().zip(y_pred) {
        support[t as usize] += 1;
        hits[t as usize] += (t == p) as usize;
    }
    let recalls: Vec<f64> =
        support.iter().zip(&hits).filter(|(s, _)| **s > 0).map(|(&s, &h)| h as f64 / s as f64).collect();
    recalls.iter().sum::<f64>() / recalls.len() as f64
}

/// Cross-entropy of the true class, probabilities clipped away from 0 by machine epsilon
/// and rows renormalised, as scikit-learn's `log_loss`.
pub fn log_loss(y_true: &[u32], proba: &Array2<f64>) -> f64 {
    let eps = f64::EPSILON;
    let total: f64 = y_true
        .iter()
        .zip(proba.rows())
        .map(|(&t, row)| {
            let clipped = |p: f64| p.clamp(eps, 1.0 - eps);
            let sum: f64 = row.iter().map(|&p| clipped(p)).sum();
            -libm::log(clipped(row[t as usize]) / sum)
        })
        .sum();
    total / y_true.len() as f64
}

/// The classification metrics mlplay reports for one part of the data.
pub fn evaluate(y_true: &[u32], proba: &Array2<f64>) -> Metrics {
    let mut m = Metrics::new();
    if y_true.is_empty() {
        return m;
    }
    let pred = argmax_rows(proba);
    m.insert("accuracy".into(), accuracy(y_true, &pred));
    m.insert("balanced_accuracy".into(), balanced_accuracy(y_true, &pred, proba.ncols()));
    m.insert("log_loss".into(), log_loss(y_true, proba));
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn small_hand_checked_case() {
        let y = [0, 1, 1, 2];
        let p = array![[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]];
        assert_eq!(argmax_rows(&p), vec![0, 1, 0, 2]);
        assert_eq!(accuracy(&y, &argmax_rows(&p)), 0.75);
        // recalls: class0 1/1, class1 1/2, class2 1/1
        assert!((balanced_accuracy(&y, &argmax_rows(&p), 3) - 2.5 / 3.0).abs() < 1e-15);
        let expect = -(0.8f64.ln() + 0.7f64.ln() + 0.3f64.ln() + 0.8f64.ln()) / 4.0;
        assert!((log_loss(&y, &p) - expect).abs() < 1e-12);
    }
}
