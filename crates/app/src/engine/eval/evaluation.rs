//! Everything the evaluation view draws for one part of the data: the confusion matrix
//! and per-class scores, for binary problems the confusion counts at every threshold
//! (from which the page moves its slider, draws ROC, precision-recall and cost curves),
//! and for regression the predicted and actual values.

use serde::Serialize;

use crate::data::prep::Part;
use crate::data::Target;
use crate::metrics::classification::{argmax_rows, confusion_matrix, per_class, ClassScores};
use crate::metrics::curves::{cuts, Cut};
use crate::models::{Model, Prediction};

/// At most this many thresholds or points go to the page; beyond, evenly spaced ones.
const MAX_POINTS: usize = 2000;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evaluation {
    Classification {
        class_names: Vec<String>,
        /// Rows: true class; columns: predicted class (most probable).
        confusion: Vec<Vec<usize>>,
        per_class: Vec<ClassScores>,
        /// Binary only: counts at each threshold, highest first.
        #[serde(skip_serializing_if = "Option::is_none")]
        cuts: Option<Cuts>,
    },
    Regression {
        actual: Vec<f64>,
        predicted: Vec<f64>,
    },
    Empty,
}

/// Column-wise cuts, compact for JSON.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cuts {
    pub threshold: Vec<f64>,
    pub tp: Vec<usize>,
    pub fp: Vec<usize>,
    pub tn: Vec<usize>,
    #[serde(rename = "fn")]
    pub fn_: Vec<usize>,
}

/// Keep the first and last and evenly spaced ones between, at most `MAX_POINTS`.
fn thin<T: Copy>(v: &[T]) -> Vec<T> {
    if v.len() <= MAX_POINTS {
        return v.to_vec();
    }
    (0..MAX_POINTS).map(|i| v[i * (v.len() - 1) / (MAX_POINTS - 1)]).collect()
}

impl Cuts {
    fn from(all: &[Cut]) -> Cuts {
        let c = thin(all);
        Cuts {
            threshold: c
                .iter()
                .map(|c| if c.threshold.is_finite() { c.threshold } else { 1.0 + f64::EPSILON })
                .collect(),
            tp: c.iter().map(|c| c.tp).collect(),
            fp: c.iter().map(|c| c.fp).collect(),
            tn: c.iter().map(|c| c.tn).collect(),
            fn_: c.iter().map(|c| c.fn_).collect(),
        }
    }
}

pub fn evaluate_part(model: &dyn Model, part: &Part, class_names: &[String]) -> Evaluation {
    if part.n_rows() == 0 {
        return Evaluation::Empty;
    }
    match (model.predict(&part.x), &part.y) {
        (Prediction::Proba(p), Target::Classes { labels, .. }) => {
            let confusion = confusion_matrix(labels, &argmax_rows(&p), p.ncols());
            let cuts = (p.ncols() == 2).then(|| {
                let pos: Vec<bool> = labels.iter().map(|&t| t == 1).collect();
                Cuts::from(&cuts(&pos, &p.column(1).to_vec()))
            });
            Evaluation::Classification {
                class_names: class_names.to_vec(),
                per_class: per_class(&confusion),
                confusion,
                cuts,
            }
        }
        (Prediction::Values(v), Target::Values(y)) => {
            let idx: Vec<usize> = thin(&(0..y.len()).collect::<Vec<_>>());
            Evaluation::Regression {
                actual: idx.iter().map(|&i| y[i]).collect(),
                predicted: idx.iter().map(|&i| v[i]).collect(),
            }
        }
        _ => Evaluation::Empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    struct Fixed(Array2<f64>);
    impl Model for Fixed {
        fn predict(&self, _: &Array2<f64>) -> Prediction {
            Prediction::Proba(self.0.clone())
        }
        fn size_bytes(&self) -> usize {
            0
        }
    }

    #[test]
    fn binary_parts_carry_every_threshold() {
        let p = Array2::from_shape_vec((4, 2), vec![0.9, 0.1, 0.6, 0.4, 0.35, 0.65, 0.2, 0.8]).unwrap();
        let part = Part { x: Array2::zeros((4, 1)), y: Target::Classes { labels: vec![0, 0, 1, 1], names: vec![] } };
        let names = vec!["no".to_string(), "yes".to_string()];
        let Evaluation::Classification { confusion, cuts, .. } = evaluate_part(&Fixed(p), &part, &names) else {
            panic!()
        };
        assert_eq!(confusion, vec![vec![2, 0], vec![0, 2]]);
        let c = cuts.unwrap();
        assert_eq!(c.tp, vec![0, 1, 2, 2, 2]);
        assert_eq!(c.fp, vec![0, 0, 0, 1, 2]);
        assert!(c.threshold[0] > 1.0 && c.threshold[1] == 0.8);
    }

    #[test]
    fn long_lists_are_thinned_evenly() {
        let v: Vec<usize> = (0..10_000).collect();
        let t = thin(&v);
        assert_eq!((t.len(), t[0], t[t.len() - 1]), (MAX_POINTS, 0, 9_999));
    }
}
