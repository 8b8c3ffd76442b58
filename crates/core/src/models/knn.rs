//! k-nearest neighbours: a row gets the classes (or the mean value) of the k training rows
//! closest to it (Euclidean distance), counted equally or weighted by 1/distance, as
//! scikit-learn's KNeighborsClassifier and KNeighborsRegressor. "Fitting" stores the
//! training rows, in a kd-tree when there are few columns (`embed::neighbors`); ties in
//! distance go to the earlier training row.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::record::{self, num, Fit};
use super::{Model, Prediction};
use crate::base::error::{Error, Result};
use crate::base::schema::{check_choice, check_int, Domain, ParamInfo};
use crate::data::dataset::Target;
use crate::data::prep::Prepared;
use crate::data::Task;
use crate::linalg::neighbors::{brute_nearest, tree_pays, KdTree};

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
        ParamInfo::new("n_neighbors", Domain::Int { min: 1, max: 1000 }, "How many of the closest training rows vote (or are averaged, for a number). Few neighbours follow every quirk of the data (overfitting); many give smoother, blurrier boundaries.", false),
        ParamInfo::new("weights", Domain::Choice { options: &["uniform", "distance"] }, "uniform: every neighbour's vote counts the same. distance: closer neighbours count more.", false),
    ]
}

impl KnnParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int(&p, "n_neighbors", self.n_neighbors as i64)?;
        check_choice(&p, "weights", &self.weights)
    }
}

/// What the neighbours vote with.
#[derive(Debug, Clone)]
pub enum KnnTarget {
    Classes { labels: Vec<u32>, n_classes: usize },
    Values(Vec<f64>),
}

/// How neighbours are found: a kd-tree in few dimensions, a scan otherwise.
#[derive(Debug, Clone)]
enum Search {
    Tree(KdTree),
    Scan(Array2<f64>),
}

#[derive(Debug, Clone)]
pub struct KnnModel {
    search: Search,
    target: KnnTarget,
    k: usize,
    by_distance: bool,
}

impl KnnModel {
    /// A classifier over labels 0..n_classes.
    pub fn fit_xy(params: &KnnParams, x: &Array2<f64>, y: &[u32], n_classes: usize) -> Result<KnnModel> {
        KnnModel::fit_target(params, x, KnnTarget::Classes { labels: y.to_vec(), n_classes })
    }

    /// A regressor over real values.
    pub fn fit_values(params: &KnnParams, x: &Array2<f64>, y: &[f64]) -> Result<KnnModel> {
        KnnModel::fit_target(params, x, KnnTarget::Values(y.to_vec()))
    }

    fn fit_target(params: &KnnParams, x: &Array2<f64>, target: KnnTarget) -> Result<KnnModel> {
        let k = params.n_neighbors as usize;
        if k > x.nrows() {
            return Err(Error::param(
                "n_neighbors",
                k,
                &format!("at most the number of training rows ({})", x.nrows()),
            ));
        }
        let search = if tree_pays(x.nrows(), x.ncols()) {
            Search::Tree(KdTree::build(x))
        } else {
            Search::Scan(x.as_standard_layout().into_owned())
        };
        Ok(KnnModel { search, target, k, by_distance: params.weights == "distance" })
    }

    pub fn fit(params: &KnnParams, data: &Prepared) -> Result<KnnModel> {
        match &data.train.y {
            Target::Classes { labels, .. } => KnnModel::fit_xy(params, &data.train.x, labels, data.class_names.len()),
            Target::Values(v) => KnnModel::fit_values(params, &data.train.x, v),
        }
    }

    /// The training rows in their original order (what a model file stores).
    fn training_rows(&self) -> Array2<f64> {
        match &self.search {
            Search::Tree(t) => t.points_in_row_order(),
            Search::Scan(x) => x.clone(),
        }
    }

    /// Rebuilt from stored rows and targets (a model file), searching as the fit did.
    fn from_rows(x: &Array2<f64>, target: KnnTarget, k: usize, by_distance: bool) -> Result<KnnModel> {
        let weights = if by_distance { "distance" } else { "uniform" };
        KnnModel::fit_target(&KnnParams { n_neighbors: k as u32, weights: weights.into() }, x, target)
    }

    /// Whether neighbours are searched with a kd-tree (else an exhaustive scan).
    pub fn uses_tree(&self) -> bool {
        matches!(self.search, Search::Tree(_))
    }

    /// Calls `vote(row, neighbour, weight)` for the k neighbours of every row of `x`, in
    /// row order. The searches run by pieces of rows over the threads.
    fn for_neighbours(&self, x: &Array2<f64>, mut vote: impl FnMut(usize, usize, f64)) {
        const PIECE: usize = 256;
        let found = crate::base::par::map_ranges(x.nrows(), PIECE, |rows| {
            let mut near: Vec<(f64, usize)> = Vec::with_capacity(self.k + 1);
            let mut q = vec![0.0; x.ncols()];
            let mut votes = Vec::with_capacity(rows.len() * self.k);
            for i in rows {
                q.iter_mut().zip(x.row(i).iter()).for_each(|(a, &b)| *a = b);
                match &self.search {
                    Search::Tree(t) => t.nearest_into(&q, self.k, &mut near),
                    Search::Scan(pts) => brute_nearest(pts, &q, self.k, &mut near),
                }
                // Exact matches take all the weight when weighting by distance (as scikit-learn).
                let exact = self.by_distance && near.iter().any(|n| n.0 == 0.0);
                for &(d2, j) in near.iter() {
                    let w = match (self.by_distance, exact) {
                        (false, _) => 1.0,
                        (true, true) => (d2 == 0.0) as u8 as f64,
                        (true, false) => 1.0 / d2.sqrt(),
                    };
                    votes.push((i, j, w));
                }
            }
            votes
        });
        found.into_iter().flatten().for_each(|(i, j, w)| vote(i, j, w));
    }
}

impl Model for KnnModel {
    fn record(&self) -> Option<serde_json::Value> {
        Some(self.to_record())
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        match &self.target {
            KnnTarget::Classes { labels, n_classes } => {
                let mut proba = Array2::zeros((x.nrows(), *n_classes));
                self.for_neighbours(x, |i, j, w| proba[[i, labels[j] as usize]] += w);
                for mut row in proba.rows_mut() {
                    let s = row.sum();
                    row /= s;
                }
                Prediction::Proba(proba)
            }
            KnnTarget::Values(v) => {
                let (mut sum, mut weight) = (vec![0.0; x.nrows()], vec![0.0; x.nrows()]);
                self.for_neighbours(x, |i, j, w| {
                    sum[i] += w * v[j];
                    weight[i] += w;
                });
                Prediction::Values(sum.iter().zip(&weight).map(|(s, w)| s / w).collect())
            }
        }
    }

    fn size_bytes(&self) -> usize {
        let points = match &self.search {
            Search::Tree(t) => t.size_bytes(),
            Search::Scan(x) => x.len() * std::mem::size_of::<f64>(),
        };
        points
            + match &self.target {
                KnnTarget::Classes { labels, .. } => labels.len() * std::mem::size_of::<u32>(),
                KnnTarget::Values(v) => v.len() * std::mem::size_of::<f64>(),
            }
    }
}

// ---- model file record -----------------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct Record {
    n_features: usize,
    n_rows: usize,
    n_neighbors: usize,
    by_distance: bool,
    /// The training rows, n_rows x n_features, row-major (k-NN keeps its data).
    #[serde(with = "num::many")]
    x: Vec<f64>,
    /// Classification: a class per row and the number of classes.
    #[serde(default)]
    labels: Vec<u32>,
    #[serde(default)]
    n_classes: usize,
    /// Regression: a value per row.
    #[serde(default, with = "num::many")]
    values: Vec<f64>,
}

impl KnnModel {
    fn to_record(&self) -> serde_json::Value {
        let x = self.training_rows();
        let (labels, n_classes, values) = match &self.target {
            KnnTarget::Classes { labels, n_classes } => (labels.clone(), *n_classes, vec![]),
            KnnTarget::Values(v) => (vec![], 0, v.clone()),
        };
        record::to_value(&Record {
            n_features: x.ncols(),
            n_rows: x.nrows(),
            n_neighbors: self.k,
            by_distance: self.by_distance,
            x: x.iter().copied().collect(),
            labels,
            n_classes,
            values,
        })
    }

    /// A model file's record, checked against the file's preprocessing and target.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<KnnModel> {
        let s: Record = record::parse(v)?;
        record::features("model.n_features", s.n_features, fit)?;
        record::len("model.x", s.x.len(), record::product("model.x", s.n_rows, s.n_features)?)?;
        record::finite("model.x", &s.x)?;
        if s.n_neighbors == 0 || s.n_neighbors > s.n_rows {
            return record::err(
                "model.n_neighbors",
                format!("{} is not between 1 and the {} stored rows", s.n_neighbors, s.n_rows),
            );
        }
        let target = match fit.task {
            Task::Classification => {
                record::classes("model.n_classes", s.n_classes, fit)?;
                record::len("model.labels", s.labels.len(), s.n_rows)?;
                if let Some(i) = s.labels.iter().position(|&l| l as usize >= s.n_classes) {
                    return record::err(
                        format!("model.labels[{i}]"),
                        format!("class {} is not below n_classes", s.labels[i]),
                    );
                }
                KnnTarget::Classes { labels: s.labels, n_classes: s.n_classes }
            }
            Task::Regression => {
                record::len("model.values", s.values.len(), s.n_rows)?;
                record::finite("model.values", &s.values)?;
                KnnTarget::Values(s.values)
            }
        };
        KnnModel::from_rows(&record::matrix(s.n_rows, s.n_features, s.x), target, s.n_neighbors, s.by_distance)
    }
}

pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Model>> {
    Ok(Box::new(KnnModel::from_record(v, fit)?))
}
