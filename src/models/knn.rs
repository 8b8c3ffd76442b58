//! k-nearest neighbours: a row gets the classes of the k training rows closest to it
//! (Euclidean distance), counted equally or weighted by 1/distance, as scikit-learn's
//! KNeighborsClassifier. "Fitting" stores the training rows. Exhaustive search for now;
//! ties in distance go to the earlier training row.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::params::{check_choice, check_int, Domain, ParamInfo};
use super::{KindInfo, Model, Prediction};
use crate::data::prep::Prepared;
use crate::data::Task;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnnParams {
    pub n_neighbors: u32,
    /// "uniform" or "distance".
    pub weights: String,
}

impl Default for KnnParams {
    fn default() -> Self {
        KnnParams { n_neighbors: 5, weights: "uniform".into() }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo {
            name: "n_neighbors",
            domain: Domain::Int { min: 1, max: 1000 },
            default: 5.into(),
            help: "How many of the closest training rows vote. Few neighbours follow every quirk of the data (overfitting); many give smoother, blurrier boundaries.",
            advanced: false,
        },
        ParamInfo {
            name: "weights",
            domain: Domain::Choice { options: &["uniform", "distance"] },
            default: "uniform".into(),
            help: "uniform: every neighbour's vote counts the same. distance: closer neighbours count more.",
            advanced: false,
        },
    ]
}

pub fn info() -> KindInfo {
    KindInfo {
        kind: "knn",
        title: "k-nearest neighbours",
        about: "Answers like the most similar rows it has seen: no training, just remembering. Simple and often good \
                on small data, but every prediction searches the whole training set, so it is slow to use.",
        tasks: vec![Task::Classification],
        params: param_info(),
    }
}

impl KnnParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int(&p, "n_neighbors", self.n_neighbors as i64)?;
        check_choice(&p, "weights", &self.weights)
    }
}

#[derive(Debug, Clone)]
pub struct KnnModel {
    pub x: Array2<f64>,
    pub y: Vec<u32>,
    pub n_classes: usize,
    pub k: usize,
    pub by_distance: bool,
}

impl KnnModel {
    pub fn fit_xy(params: &KnnParams, x: &Array2<f64>, y: &[u32], n_classes: usize) -> Result<KnnModel> {
        let k = params.n_neighbors as usize;
        if k > x.nrows() {
            return Err(Error::param(
                "n_neighbors",
                k,
                &format!("at most the number of training rows ({})", x.nrows()),
            ));
        }
        Ok(KnnModel { x: x.clone(), y: y.to_vec(), n_classes, k, by_distance: params.weights == "distance" })
    }

    pub fn fit(params: &KnnParams, data: &Prepared) -> Result<KnnModel> {
        KnnModel::fit_xy(params, &data.train.x, data.train.y.labels(), data.class_names.len())
    }
}

impl Model for KnnModel {
    fn predict(&self, x: &Array2<f64>) -> Prediction {
        let mut proba = Array2::zeros((x.nrows(), self.n_classes));
        let mut dist: Vec<(f64, usize)> = Vec::with_capacity(self.x.nrows());
        for (i, q) in x.rows().into_iter().enumerate() {
            dist.clear();
            dist.extend(self.x.rows().into_iter().enumerate().map(|(j, r)| {
                let d2: f64 = r.iter().zip(q.iter()).map(|(a, b)| (a - b) * (a - b)).sum();
                (d2, j)
            }));
            let by = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
            dist.select_nth_unstable_by(self.k - 1, by);
            let near = &mut dist[..self.k];
            // Exact matches take all the weight when weighting by distance (as scikit-learn).
            let exact = self.by_distance && near.iter().any(|n| n.0 == 0.0);
            for &(d2, j) in near.iter() {
                let w = match (self.by_distance, exact) {
                    (false, _) => 1.0,
                    (true, true) => (d2 == 0.0) as u8 as f64,
                    (true, false) => 1.0 / d2.sqrt(),
                };
                proba[[i, self.y[j] as usize]] += w;
            }
            let mut row = proba.row_mut(i);
            let s = row.sum();
            row /= s;
        }
        Prediction::Proba(proba)
    }

    fn size_bytes(&self) -> usize {
        self.x.len() * std::mem::size_of::<f64>() + self.y.len() * std::mem::size_of::<u32>()
    }
}
