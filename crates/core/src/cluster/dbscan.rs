//! DBSCAN as scikit-learn's: a row with at least `min_samples` rows within `eps` (itself
//! included) is a core row; core rows within `eps` of each other share a cluster, and a
//! non-core row within `eps` of a core row joins that cluster as a border row; the rest
//! is noise (label -1).
//!
//! Clusters are numbered as scikit-learn numbers them: in order of their first core row,
//! each grown completely before the next starts. A border row reachable from several
//! clusters therefore joins the lowest-numbered one, as in scikit-learn, so the labels are
//! identical, not just equal up to renaming.
//!
//! The whole clustering is one step (it is fast, and growing one cluster per step would
//! make the step count unknown until the end). Neighbourhoods are not stored (they can
//! hold rows^2 entries when eps is large): each core row's is found again while growing.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::{check_x, flat};
use crate::base::error::{Error, Result};
use crate::base::schema::{check_float, check_int, Domain, ParamInfo};
use crate::linalg::neighbors::{brute_nearest, dist2, tree_pays, KdTree};
use crate::metrics::Metrics;
use crate::models::record::{self, num, Fit};
use crate::unsupervised::{Placed, Placer, Unsupervised, NOISE};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DbscanParams {
    pub eps: f64,
    pub min_samples: u32,
}

impl Default for DbscanParams {
    fn default() -> Self {
        DbscanParams { eps: 0.5, min_samples: 5 }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo::new("eps", Domain::Float { min: 0.0, max: 1e6, log: true, min_exclusive: true }, "How close two rows must be to count as neighbours. Too small and most rows become noise; too large and everything merges into one cluster. The k-distance chart suggests a value.", false),
        ParamInfo::new("min_samples", Domain::Int { min: 1, max: 1000 }, "How many rows (itself included) must lie within eps for a row to be the heart of a cluster. Raising it needs denser groups and marks more rows as noise.", false),
    ]
}

impl DbscanParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_float(&p, "eps", self.eps)?;
        check_int(&p, "min_samples", self.min_samples as i64)
    }
}

/// The role DBSCAN gives a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    Core,
    Border,
    Noise,
}

#[derive(Debug, Clone)]
pub struct Dbscan {
    params: DbscanParams,
    labels: Vec<i32>,
    kinds: Vec<PointKind>,
    n_clusters: usize,
    done: bool,
}

/// Radius queries over the rows: a kd-tree in few dimensions, a scan otherwise; both
/// find the rows at distance <= eps, compared as squared distances in the same way.
enum Search<'a> {
    Tree(KdTree),
    Scan(&'a [f64], usize),
}

impl Search<'_> {
    /// The rows within eps, in no particular order: growing a cluster does not depend on it.
    fn within(&self, q: &[f64], eps: f64, out: &mut Vec<usize>) {
        match self {
            Search::Tree(t) => t.within_into(q, eps, out),
            Search::Scan(xs, d) => {
                out.clear();
                let r2 = eps * eps;
                out.extend(xs.chunks_exact(*d).enumerate().filter(|(_, p)| dist2(p, q) <= r2).map(|(i, _)| i));
            }
        }
    }

    /// Pushes the rows within eps of `q` that have no label yet onto `stack`. A function of
    /// its own, called once per core row: a wasm engine runs a function's optimised code only
    /// from its next call on, and inlined into `run` this loop ran in baseline code.
    #[inline(never)]
    fn push_unlabelled(&self, q: &[f64], eps: f64, labels: &[i32], nb: &mut Vec<usize>, stack: &mut Vec<usize>) {
        self.within(q, eps, nb);
        stack.extend(nb.iter().copied().filter(|&v| labels[v] == NOISE));
    }

    /// Whether at least `k` rows lie within eps; stops looking at the k-th (with eps large
    /// enough to matter, most rows have many times k neighbours).
    fn has(&self, q: &[f64], eps: f64, k: usize) -> bool {
        match self {
            Search::Tree(t) => t.count_within(q, eps, k) >= k,
            Search::Scan(xs, d) => {
                let r2 = eps * eps;
                xs.chunks_exact(*d).filter(|p| dist2(p, q) <= r2).take(k).count() >= k
            }
        }
    }
}

impl Dbscan {
    pub fn new(params: &DbscanParams) -> Result<Dbscan> {
        params.validate()?;
        Ok(Dbscan { params: params.clone(), labels: Vec::new(), kinds: Vec::new(), n_clusters: 0, done: false })
    }

    pub fn fit(params: &DbscanParams, x: &Array2<f64>) -> Result<Dbscan> {
        let mut m = Dbscan::new(params)?;
        m.step(x)?;
        Ok(m)
    }

    /// Core, border or noise for every row (empty before the step).
    pub fn kinds(&self) -> &[PointKind] {
        &self.kinds
    }

    pub fn n_clusters(&self) -> usize {
        self.n_clusters
    }

    /// The clustering, with radius queries through a kd-tree or a scan (same answers).
    fn run(&mut self, x: &Array2<f64>, use_tree: bool) {
        let (n, d) = (x.nrows(), x.ncols());
        let xs = flat(x);
        let search = if use_tree { Search::Tree(KdTree::build(x)) } else { Search::Scan(&xs, d) };
        let eps = self.params.eps;
        let row = |i: usize| &xs[i * d..(i + 1) * d];
        let core: Vec<bool> = (0..n).map(|i| search.has(row(i), eps, self.params.min_samples as usize)).collect();
        let mut nb = Vec::new();
        // scikit-learn's dbscan_inner: depth-first from each unlabelled core row in order.
        let mut labels = vec![NOISE; n];
        let mut stack = Vec::new();
        let mut next = 0;
        for start in 0..n {
            if labels[start] != NOISE || !core[start] {
                continue;
            }
            stack.push(start);
            while let Some(i) = stack.pop() {
                if labels[i] != NOISE {
                    continue;
                }
                labels[i] = next;
                if core[i] {
                    search.push_unlabelled(row(i), eps, &labels, &mut nb, &mut stack);
                }
            }
            next += 1;
        }
        self.kinds = (0..n)
            .map(|i| {
                if core[i] {
                    PointKind::Core
                } else if labels[i] != NOISE {
                    PointKind::Border
                } else {
                    PointKind::Noise
                }
            })
            .collect();
        self.labels = labels;
        self.n_clusters = next as usize;
    }
}

impl Unsupervised for Dbscan {
    fn record(&self, x: &Array2<f64>) -> Option<serde_json::Value> {
        let core: Vec<usize> = (0..self.kinds.len()).filter(|&i| self.kinds[i] == PointKind::Core).collect();
        let cores = Cores {
            eps: self.params.eps,
            n_features: x.ncols(),
            core_points: core.iter().flat_map(|&i| x.row(i).to_vec()).collect(),
            core_labels: core.iter().map(|&i| self.labels[i]).collect(),
        };
        Some(record::to_value(&cores))
    }

    fn step(&mut self, x: &Array2<f64>) -> Result<()> {
        if self.done {
            return Ok(());
        }
        check_x(x, "DBSCAN")?;
        self.run(x, tree_pays(x.nrows(), x.ncols()));
        self.done = true;
        Ok(())
    }

    fn steps_done(&self) -> usize {
        self.done as usize
    }

    fn steps_total(&self) -> usize {
        1
    }

    fn labels(&self) -> Option<Vec<i32>> {
        self.done.then(|| self.labels.clone())
    }

    fn point_kinds(&self) -> Option<&[PointKind]> {
        self.done.then_some(&self.kinds[..])
    }

    fn metrics(&self) -> Metrics {
        let mut m = Metrics::new();
        if self.done {
            let count = |k: PointKind| self.kinds.iter().filter(|&&v| v == k).count() as f64;
            m.insert("n_clusters".into(), self.n_clusters as f64);
            m.insert("n_core".into(), count(PointKind::Core));
            m.insert("n_noise".into(), count(PointKind::Noise));
        }
        m
    }
}

/// Every row's distance to its k-th nearest row, counting the row itself as the first
/// (so k = min_samples: a row is core exactly when its value is <= eps), sorted
/// ascending: the "knee" of this curve is a usual choice of eps.
pub fn k_distance(x: &Array2<f64>, k: usize) -> Result<Vec<f64>> {
    check_x(x, "the k-distance chart")?;
    if k == 0 || k > x.nrows() {
        return Err(Error::param("min_samples", k, &format!("from 1 to the number of rows ({})", x.nrows())));
    }
    let x = x.as_standard_layout().into_owned();
    let tree = tree_pays(x.nrows(), x.ncols()).then(|| KdTree::build(&x));
    let mut buf = Vec::with_capacity(k);
    let mut out: Vec<f64> = x
        .rows()
        .into_iter()
        .map(|q| {
            let q = q.as_slice().expect("standard layout");
            match &tree {
                Some(t) => t.nearest_into(q, k, &mut buf),
                None => brute_nearest(&x, q, k, &mut buf),
            }
            buf.last().map_or(0.0, |&(d2, _)| d2.sqrt())
        })
        .collect();
    out.sort_by(f64::total_cmp);
    Ok(out)
}

// ---- model file record -----------------------------------------------------------------

/// Fitted DBSCAN as a model file keeps it: the core rows and each one's cluster. A new row
/// joins the cluster of the nearest core row within eps, else it is noise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cores {
    #[serde(with = "num::one")]
    eps: f64,
    n_features: usize,
    /// n_core x n_features, row-major.
    #[serde(with = "num::many")]
    core_points: Vec<f64>,
    core_labels: Vec<i32>,
}

impl Cores {
    /// A model file's record, checked against the file's preprocessing.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<Cores> {
        let s: Cores = record::parse(v)?;
        record::features("model.n_features", s.n_features, fit)?;
        if !(s.eps.is_finite() && s.eps > 0.0) {
            return record::err("model.eps", format!("{} is not a positive finite distance", s.eps));
        }
        let want = record::product("model.core_points", s.core_labels.len(), s.n_features)?;
        record::len("model.core_points", s.core_points.len(), want)?;
        record::finite("model.core_points", &s.core_points)?;
        if let Some(i) = s.core_labels.iter().position(|&l| l < 0) {
            return record::err(format!("model.core_labels[{i}]"), "a core row cannot be noise");
        }
        Ok(s)
    }
}

impl Placer for Cores {
    fn place(&self, x: &Array2<f64>) -> Result<Placed> {
        let xs = crate::cluster::rows_of(x);
        let labels = xs
            .chunks_exact(x.ncols().max(1))
            .map(|q| match crate::cluster::nearest(&self.core_points, self.n_features, q) {
                Some((i, d2)) if d2 <= self.eps * self.eps => self.core_labels[i],
                _ => NOISE,
            })
            .collect();
        Ok(Placed::Clusters(labels))
    }
    fn record(&self) -> serde_json::Value {
        record::to_value(self)
    }
}

pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Placer>> {
    Ok(Box::new(Cores::from_record(v, fit)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_and_scan_agree_and_kinds_are_consistent() {
        let mut rng = crate::base::rng::Rng::new(9);
        let x = Array2::from_shape_fn((400, 2), |(i, _)| rng.normal() * 0.5 + (i % 4) as f64 * 2.0);
        let p = DbscanParams { eps: 0.3, min_samples: 6 };
        let m = Dbscan::fit(&p, &x).unwrap();
        let mut scan = Dbscan::new(&p).unwrap();
        scan.run(&x, false);
        assert_eq!(scan.labels, m.labels().unwrap());
        assert_eq!(scan.kinds, m.kinds());
        let l = m.labels().unwrap();
        for (i, k) in m.kinds().iter().enumerate() {
            assert_eq!(*k == PointKind::Noise, l[i] == NOISE);
        }
        assert!(m.n_clusters() >= 2);
        let kd = k_distance(&x, 6).unwrap();
        let cores = m.kinds().iter().filter(|&&k| k == PointKind::Core).count();
        assert_eq!(kd.iter().filter(|&&v| v <= p.eps).count(), cores);
    }
}
