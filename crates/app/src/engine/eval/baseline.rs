//! The model to beat: always answer with the training data's class shares (so the
//! majority class wins every row) or with the training mean. Its scores sit next to the
//! model's, which makes the accuracy trap on imbalanced data plain: 99.5% accuracy can
//! be what ignoring the rare class scores.

use ndarray::{Array1, Array2};

use crate::data::prep::Part;
use crate::data::Target;
use crate::models::{Model, Prediction};

pub enum Baseline {
    Priors(Vec<f64>),
    Mean(f64),
}

impl Baseline {
    pub fn fit(train: &Part, n_classes: usize) -> Baseline {
        match &train.y {
            Target::Classes { labels, .. } => {
                let mut counts = vec![0.0; n_classes];
                labels.iter().for_each(|&l| counts[l as usize] += 1.0);
                let n = labels.len().max(1) as f64;
                Baseline::Priors(counts.into_iter().map(|c| c / n).collect())
            }
            Target::Values(v) => Baseline::Mean(v.iter().sum::<f64>() / v.len().max(1) as f64),
        }
    }
}

impl Model for Baseline {
    fn predict(&self, x: &Array2<f64>) -> Prediction {
        match self {
            Baseline::Priors(p) => Prediction::Proba(Array2::from_shape_fn((x.nrows(), p.len()), |(_, k)| p[k])),
            Baseline::Mean(m) => Prediction::Values(Array1::from_elem(x.nrows(), *m)),
        }
    }

    fn size_bytes(&self) -> usize {
        match self {
            Baseline::Priors(p) => p.len() * 8,
            Baseline::Mean(_) => 8,
        }
    }
}
