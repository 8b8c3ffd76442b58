//! Binary-decision curves over every threshold of a score: the confusion counts at each
//! cut, and from them ROC and precision-recall curves, their areas, and the cost of
//! errors. A row is predicted positive when its score is >= the threshold, as
//! scikit-learn's `roc_curve` and `precision_recall_curve`.

use crate::base::sort::sort_indices_desc;
use serde::Serialize;

/// Confusion counts when rows scoring >= `threshold` are called positive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cut {
    pub threshold: f64,
    pub tp: usize,
    pub fp: usize,
    pub tn: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Cut {
    pub fn precision(&self) -> f64 {
        let called = self.tp + self.fp;
        if called == 0 {
            1.0
        } else {
            self.tp as f64 / called as f64
        }
    }
    pub fn recall(&self) -> f64 {
        let pos = self.tp + self.fn_;
        if pos == 0 {
            0.0
        } else {
            self.tp as f64 / pos as f64
        }
    }
    pub fn fpr(&self) -> f64 {
        let neg = self.fp + self.tn;
        if neg == 0 {
            0.0
        } else {
            self.fp as f64 / neg as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let d = 2 * self.tp + self.fp + self.fn_;
        if d == 0 {
            0.0
        } else {
            2.0 * self.tp as f64 / d as f64
        }
    }
    pub fn cost(&self, cost_fn: f64, cost_fp: f64) -> f64 {
        cost_fn * self.fn_ as f64 + cost_fp * self.fp as f64
    }
}

/// One cut per distinct score, highest threshold first, after a first cut above every
/// score (nothing called positive). NaN scores count as the lowest.
pub fn cuts(positive: &[bool], scores: &[f64]) -> Vec<Cut> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let key = |i: usize| {
        if scores[i].is_nan() {
            f64::NEG_INFINITY
        } else {
            scores[i]
        }
    };
    sort_indices_desc(&mut order, &key);
    let n_pos = positive.iter().filter(|&&p| p).count();
    let n_neg = positive.len() - n_pos;
    let mut out = vec![Cut { threshold: f64::INFINITY, tp: 0, fp: 0, tn: n_neg, fn_: n_pos }];
    let (mut tp, mut fp) = (0, 0);
    for (k, &i) in order.iter().enumerate() {
        if positive[i] {
            tp += 1
        } else {
            fp += 1
        }
        let last_of_tie = order.get(k + 1).is_none_or(|&j| key(j) != key(i));
        if last_of_tie {
            out.push(Cut { threshold: key(i), tp, fp, tn: n_neg - fp, fn_: n_pos - tp });
        }
    }
    out
}

/// Area under the ROC curve by the trapezoidal rule (ties give diagonal segments), as
/// scikit-learn's `roc_auc_score`. NaN when only one class is present.
pub fn roc_auc(cuts: &[Cut]) -> f64 {
    let last = cuts.last().expect("at least the first cut");
    if last.tp == 0 || last.fp == 0 {
        return f64::NAN;
    }
    cuts.windows(2).map(|w| (w[1].fpr() - w[0].fpr()) * (w[1].recall() + w[0].recall()) / 2.0).sum()
}

/// Average precision: precision at each cut weighted by the recall it adds, as
/// scikit-learn's `average_precision_score` (no interpolation).
pub fn average_precision(cuts: &[Cut]) -> f64 {
    if cuts.last().is_none_or(|c| c.tp + c.fn_ == 0) {
        return f64::NAN;
    }
    cuts.windows(2).map(|w| (w[1].recall() - w[0].recall()) * w[1].precision()).sum()
}

/// The cheapest cut for the given costs of a missed positive and of a false alarm (the
/// highest threshold among equally cheap ones).
pub fn cheapest(cuts: &[Cut], cost_fn: f64, cost_fp: f64) -> Option<Cut> {
    cuts.iter().copied().min_by(|a, b| a.cost(cost_fn, cost_fp).total_cmp(&b.cost(cost_fn, cost_fp)))
}

/// The cut with the best recall whose precision is at least `min_precision` (the highest
/// threshold among ties); `None` when no cut reaches it.
pub fn best_recall_at_precision(cuts: &[Cut], min_precision: f64) -> Option<Cut> {
    cuts.iter().filter(|c| c.tp > 0 && c.precision() >= min_precision).copied().reduce(|best, c| {
        if c.recall() > best.recall() {
            c
        } else {
            best
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scikit_learn_documented_example() {
        // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75; AP == 0.8333...
        let c = cuts(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8]);
        assert_eq!(c.len(), 5);
        assert!((roc_auc(&c) - 0.75).abs() < 1e-12);
        assert!((average_precision(&c) - 0.8333333333333333).abs() < 1e-12);
        assert_eq!((c[1].threshold, c[1].tp, c[1].fp), (0.8, 1, 0));
    }

    #[test]
    fn ties_and_costs() {
        let c = cuts(&[true, false, true, false], &[0.5, 0.5, 0.9, 0.1]);
        assert_eq!(c.iter().map(|c| c.threshold).collect::<Vec<_>>(), vec![f64::INFINITY, 0.9, 0.5, 0.1]);
        // Missing a positive costs 10, a false alarm 1: catch both positives at 0.5.
        assert_eq!(cheapest(&c, 10.0, 1.0).unwrap().threshold, 0.5);
        // Only the 0.9 cut is perfectly precise.
        assert_eq!(best_recall_at_precision(&c, 1.0).unwrap().threshold, 0.9);
        assert!(roc_auc(&cuts(&[true, true], &[0.1, 0.2])).is_nan());
    }
}
