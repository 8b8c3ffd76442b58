//! Classification metrics over class labels and predicted probabilities.

use ndarray::Array2;

use super::{curves, Metrics};

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

/// Counts of (true class, predicted class): row = truth, column = prediction.
pub fn confusion_matrix(y_true: &[u32], y_pred: &[u32], n_classes: usize) -> Vec<Vec<usize>> {
    let mut m = vec![vec![0; n_classes]; n_classes];
    for (&t, &p) in y_true.iter().zip(y_pred) {
        m[t as usize][p as usize] += 1;
    }
    m
}

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// Scores of every class from a confusion matrix; 0 where a ratio has nothing to divide
/// by, as scikit-learn's default `zero_division`.
pub fn per_class(confusion: &[Vec<usize>]) -> Vec<ClassScores> {
    let k = confusion.len();
    (0..k)
        .map(|c| {
            let tp = confusion[c][c] as f64;
            let support: usize = confusion[c].iter().sum();
            let called: usize = (0..k).map(|t| confusion[t][c]).sum();
            let ratio = |a: f64, b: usize| if b == 0 { 0.0 } else { a / b as f64 };
            let (precision, recall) = (ratio(tp, called), ratio(tp, support));
            let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
            ClassScores { precision, recall, f1, support }
        })
        .collect()
}

/// Macro and support-weighted means over the classes that occur in the truth or the
/// predictions (scikit-learn's label set when none is given).
fn averages(confusion: &[Vec<usize>], scores: &[ClassScores]) -> (ClassScores, ClassScores) {
    let k = confusion.len();
    let present: Vec<usize> =
        (0..k).filter(|&c| scores[c].support > 0 || (0..k).any(|t| confusion[t][c] > 0)).collect();
    let total: usize = scores.iter().map(|s| s.support).sum();
    let mean = |w: &dyn Fn(usize) -> f64| {
        let sum_w: f64 = present.iter().map(|&c| w(c)).sum();
        let avg = |f: &dyn Fn(&ClassScores) -> f64| present.iter().map(|&c| w(c) * f(&scores[c])).sum::<f64>() / sum_w;
        ClassScores { precision: avg(&|s| s.precision), recall: avg(&|s| s.recall), f1: avg(&|s| s.f1), support: total }
    };
    (mean(&|_| 1.0), mean(&|c| scores[c].support as f64))
}

/// One-vs-rest ROC AUC averaged over classes (scikit-learn's `multi_class="ovr"`,
/// `average="macro"`); NaN when a class is missing from the truth.
pub fn roc_auc_ovr(y_true: &[u32], proba: &Array2<f64>) -> f64 {
    let k = proba.ncols();
    let aucs: Vec<f64> = (0..k)
        .map(|c| {
            let pos: Vec<bool> = y_true.iter().map(|&t| t as usize == c).collect();
            curves::roc_auc(&curves::cuts(&pos, &proba.column(c).to_vec()))
        })
        .collect();
    aucs.iter().sum::<f64>() / k as f64
}

/// The classification metrics mlplay reports for one part of the data. Binary problems
/// score the second class as the positive one (precision, recall, f1, ROC AUC, average
/// precision); multiclass ones report macro and weighted means and one-vs-rest AUC.
pub fn evaluate(y_true: &[u32], proba: &Array2<f64>) -> Metrics {
    let mut m = Metrics::new();
    if y_true.is_empty() {
        return m;
    }
    let k = proba.ncols();
    let pred = argmax_rows(proba);
    let mut put = |name: &str, v: f64| {
        if v.is_finite() {
            m.insert(name.into(), v);
        }
    };
    put("accuracy", accuracy(y_true, &pred));
    put("balanced_accuracy", balanced_accuracy(y_true, &pred, k));
    put("log_loss", log_loss(y_true, proba));
    let confusion = confusion_matrix(y_true, &pred, k);
    let scores = per_class(&confusion);
    if k == 2 {
        put("precision", scores[1].precision);
        put("recall", scores[1].recall);
        put("f1", scores[1].f1);
        let pos: Vec<bool> = y_true.iter().map(|&t| t == 1).collect();
        let c = curves::cuts(&pos, &proba.column(1).to_vec());
        put("roc_auc", curves::roc_auc(&c));
        put("average_precision", curves::average_precision(&c));
    } else {
        let (macro_avg, weighted) = averages(&confusion, &scores);
        put("precision_macro", macro_avg.precision);
        put("recall_macro", macro_avg.recall);
        put("f1_macro", macro_avg.f1);
        put("f1_weighted", weighted.f1);
        put("roc_auc_ovr", roc_auc_ovr(y_true, proba));
    }
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
