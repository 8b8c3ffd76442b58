//! k-means as scikit-learn's KMeans (Lloyd's algorithm, greedy k-means++ start), one
//! Lloyd iteration per step so the page can show the centroids moving. With `n_init`
//! restarts the restarts run one after another and the one with the lowest inertia is
//! kept, as scikit-learn does.
//!
//! Convergence follows scikit-learn: a restart stops when no row changes cluster, or when
//! the squared centroid movement summed over clusters is at most `tol` times the mean
//! per-feature variance of the data. A cluster that loses all its rows is moved onto the
//! rows farthest from their centroids (scikit-learn's relocation).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::kmeans_assign::{assign, distances, Bounds};
use super::kmeans_seed::score_candidates;
use super::{check_x, flat};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{check_float, check_int, Domain, ParamInfo};
use crate::metrics::clustering::{sample_rows, silhouette_score};
use crate::metrics::Metrics;
use crate::models::record::{self, num, Fit};
use crate::unsupervised::{Placed, Placer, Unsupervised, NOISE};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KMeansParams {
    pub n_clusters: u32,
    /// Restarts from different k-means++ seeds (scikit-learn's "auto" is 1 for k-means++).
    pub n_init: u32,
    pub max_iter: u32,
    /// Relative to the mean feature variance, as in scikit-learn.
    pub tol: f64,
}

impl Default for KMeansParams {
    fn default() -> Self {
        KMeansParams { n_clusters: 8, n_init: 1, max_iter: 300, tol: 1e-4 }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo::new("n_clusters", Domain::Int { min: 1, max: 100 }, "How many groups to look for. k-means always finds exactly this many, whether or not the data has them; the elbow and silhouette charts help choose.", false),
        ParamInfo::new("n_init", Domain::Int { min: 1, max: 50 }, "How many times to start again from different random centres. The run with the tightest clusters (lowest inertia) is kept; more restarts make a poor local solution less likely.", false),
        ParamInfo::new("max_iter", Domain::Int { min: 1, max: 1000 }, "The most assign-then-average rounds per start. Most runs settle long before this.", true),
        ParamInfo::new("tol", Domain::Float { min: 0.0, max: 1.0, log: false, min_exclusive: false }, "Stop a run when the centres move less than this (relative to the spread of the data). Larger values stop sooner, less precisely.", true),
    ]
}

impl KMeansParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int(&p, "n_clusters", self.n_clusters as i64)?;
        check_int(&p, "n_init", self.n_init as i64)?;
        check_int(&p, "max_iter", self.max_iter as i64)?;
        check_float(&p, "tol", self.tol)
    }
}

/// The finished restart with the lowest inertia so far.
#[derive(Debug, Clone)]
struct Best {
    centers: Vec<f64>,
    labels: Vec<u32>,
    inertia: f64,
    n_iter: usize,
}

#[derive(Debug, Clone)]
pub struct KMeans {
    params: KMeansParams,
    seed: u32,
    k: usize,
    d: usize,
    /// Absolute tolerance on the summed squared centroid shift (set on the first step).
    tol: f64,
    /// Restart under way (0-based) and its Lloyd iterations so far.
    restart: usize,
    iter: usize,
    /// Centroids of the current restart, k x d row-major (the last restart's until the
    /// next one draws its own).
    centers: Vec<f64>,
    /// The next step starts a restart with k-means++.
    fresh: bool,
    labels: Vec<u32>,
    /// Sum of squared distances to the centroids the current labels were assigned from.
    inertia: f64,
    best: Option<Best>,
    steps_done: usize,
    steps_total: usize,
    /// Given starting centres for the first restart instead of k-means++ (k x d,
    /// row-major), as scikit-learn's `init=array`.
    starts: Option<Vec<f64>>,
    /// Hamerly's bounds for the current restart (see `kmeans_assign`).
    bounds: Bounds,
    /// After k-means++: each row's nearest centre and squared distance, for the first
    /// assignment.
    seeded: Option<(Vec<u32>, Vec<f64>)>,
}

impl KMeans {
    /// Checks the parameters against `x`'s shape (n_clusters at most the rows).
    pub fn new(params: &KMeansParams, n_rows: usize, seed: u32) -> Result<KMeans> {
        params.validate()?;
        let k = params.n_clusters as usize;
        if k > n_rows {
            return Err(Error::param("n_clusters", k, &format!("at most the number of rows ({n_rows})")));
        }
        Ok(KMeans {
            params: params.clone(),
            seed,
            k,
            d: 0,
            tol: 0.0,
            restart: 0,
            iter: 0,
            centers: Vec::new(),
            fresh: true,
            labels: Vec::new(),
            inertia: f64::NAN,
            best: None,
            steps_done: 0,
            steps_total: (params.n_init * params.max_iter) as usize,
            starts: None,
            bounds: Bounds::default(),
            seeded: None,
        })
    }

    /// The first restart starts from `centers` (n_clusters x features) instead of k-means++;
    /// later restarts draw their own.
    pub fn with_starts(mut self, centers: &Array2<f64>) -> Result<KMeans> {
        if centers.nrows() != self.k {
            return Err(Error::param("init", centers.nrows(), &format!("{} rows, one per cluster", self.k)));
        }
        self.starts = Some(centers.iter().copied().collect());
        self.d = centers.ncols();
        Ok(self)
    }

    /// Plain Lloyd: every row's k scores on every iteration, no bounds (the same answer,
    /// slower; for checks and timings).
    pub fn every_score(mut self) -> KMeans {
        self.bounds.off = true;
        self
    }

    /// Two-lane registers only, even where the processor has wider ones (the same answer;
    /// for checks and timings).
    pub fn narrow_lanes(mut self) -> KMeans {
        self.bounds.narrow = true;
        self
    }

    /// Rows whose k scores were computed so far (the others kept their centre by a bound).
    pub fn scored_rows(&self) -> usize {
        self.bounds.scored
    }

    /// Runs every step at once.
    pub fn fit(params: &KMeansParams, x: &Array2<f64>, seed: u32) -> Result<KMeans> {
        let mut m = KMeans::new(params, x.nrows(), seed)?;
        while !m.is_done() {
            m.step(x)?;
        }
        Ok(m)
    }

    /// Current centroids, n_clusters x features (the best restart's once finished).
    pub fn centroids(&self) -> Array2<f64> {
        let c = match (&self.best, self.is_done()) {
            (Some(b), true) => &b.centers,
            _ => &self.centers,
        };
        Array2::from_shape_vec((c.len() / self.d.max(1), self.d), c.clone()).expect("k x d")
    }

    /// Inertia of the kept clustering once finished, else of the current restart.
    pub fn inertia(&self) -> f64 {
        match (&self.best, self.is_done()) {
            (Some(b), true) => b.inertia,
            _ => self.inertia,
        }
    }

    /// Lloyd iterations of the kept restart once finished, else of the current one.
    pub fn n_iter(&self) -> usize {
        match (&self.best, self.is_done()) {
            (Some(b), true) => b.n_iter,
            _ => self.iter,
        }
    }

    /// Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): each new centre is the best of
    /// 2 + ln(k) candidates drawn in proportion to squared distance, judged by how much
    /// they lower the total squared distance.
    fn init_centers(&mut self, x: &[f64], n: usize, rng: &mut Rng) -> Result<()> {
        let (k, d) = (self.k, self.d);
        let trials = 2 + libm::log(k as f64) as usize;
        let row = |i: usize| &x[i * d..(i + 1) * d];
        let mut centers = Vec::with_capacity(k * d);
        let first = rng.below(n as u64) as usize;
        centers.extend_from_slice(row(first));
        // As a candidate against no centre (the bits of `dist2`, piece by piece).
        let mut closest = score_candidates(x, d, &[first], &vec![f64::INFINITY; n]).2;
        let mut pot: f64 = closest.iter().sum();
        let mut cum = vec![0.0; n];
        // Each row's nearest centre so far: a new one only where strictly nearer, so ties
        // go to the earlier (lower) centre, as the assignment's.
        let mut near = vec![0u32; n];
        for j in 1..k {
            if pot <= 0.0 {
                let distinct = count_distinct(x, n, d);
                return Err(Error::param(
                    "n_clusters",
                    k,
                    &format!("at most the number of distinct rows ({distinct})"),
                ));
            }
            let mut acc = 0.0;
            for (c, v) in cum.iter_mut().zip(&closest) {
                acc += v;
                *c = acc;
            }
            let cands: Vec<usize> = (0..trials)
                .map(|_| {
                    let r = rng.uniform() * pot;
                    cum.partition_point(|&c| c < r).min(n - 1)
                })
                .collect();
            let (best, p, dist) = score_candidates(x, d, &cands, &closest);
            pot = p;
            for ((l, new), old) in near.iter_mut().zip(&dist).zip(&closest) {
                if new < old {
                    *l = j as u32;
                }
            }
            closest = dist;
            centers.extend_from_slice(row(cands[best]));
        }
        self.centers = centers;
        self.seeded = Some((near, closest));
        Ok(())
    }

    /// One Lloyd iteration: assign every row to its nearest centroid, then move each
    /// centroid to the mean of its rows. Returns the summed squared centroid shift, and
    /// how many rows changed cluster.
    fn lloyd(&mut self, x: &[f64], n: usize) -> (f64, usize) {
        let (k, d) = (self.k, self.d);
        let seeded = self.seeded.take();
        let a = assign(
            x,
            d,
            &self.centers,
            &self.labels,
            &mut self.bounds,
            true,
            seeded.as_ref().map(|(l, c)| (&l[..], &c[..])),
        );
        self.labels = a.labels;
        self.inertia = a.inertia;
        let empty: Vec<usize> = (0..k).filter(|&c| self.bounds.kept().1[c] == 0).collect();
        if !empty.is_empty() {
            let far = distances(x, d, &self.centers, &self.labels);
            // Farthest rows first, ties to the earlier row.
            let mut order: Vec<usize> = (0..n).collect();
            crate::base::sort::sort_indices_desc(&mut order, &|i| far[i]);
            for (&c, &i) in empty.iter().zip(&order) {
                self.bounds.relocate(i, &x[i * d..(i + 1) * d], self.labels[i] as usize, c);
                self.labels[i] = c as u32;
            }
        }
        let (sums, counts) = self.bounds.kept();
        let mut shift = 0.0;
        let mut moves = Vec::with_capacity(k);
        for c in 0..k {
            // A cluster emptied by relocation keeps its centroid (scikit-learn does the same).
            if counts[c] == 0 {
                continue;
            }
            let inv = 1.0 / counts[c] as f64;
            let mut moved = 0.0;
            for j in 0..d {
                let v = sums[c * d + j] * inv;
                moved += (v - self.centers[c * d + j]).powi(2);
                self.centers[c * d + j] = v;
            }
            shift += moved;
            moves.push((c, moved));
        }
        for (c, moved) in moves {
            self.bounds.centre_moved(c, moved);
        }
        (shift, a.changed)
    }

    /// Ends the current restart: labels and inertia from the final centroids, keep it if
    /// it is the best so far, and shrink the step count by the iterations not needed.
    fn finish_restart(&mut self, x: &[f64], moved: bool) {
        // Labels from the final centroids; when they did not move (no label changed), the
        // last assignment was already made from them.
        if moved {
            let a = assign(x, self.d, &self.centers, &self.labels, &mut self.bounds, false, None);
            (self.labels, self.inertia) = (a.labels, a.inertia);
        }
        if self.best.as_ref().is_none_or(|b| self.inertia < b.inertia) {
            self.best = Some(Best {
                centers: self.centers.clone(),
                labels: self.labels.clone(),
                inertia: self.inertia,
                n_iter: self.iter,
            });
        }
        self.steps_total -= self.params.max_iter as usize - self.iter;
        self.restart += 1;
        if self.restart < self.params.n_init as usize {
            self.fresh = true;
        }
    }
}

impl Unsupervised for KMeans {
    fn objective(&self) -> Option<&'static str> {
        Some("inertia")
    }

    fn record(&self, _x: &Array2<f64>) -> Option<serde_json::Value> {
        let c = self.centroids();
        let centres = Centres { n_clusters: c.nrows(), n_features: c.ncols(), centers: c.iter().copied().collect() };
        Some(record::to_value(&centres))
    }

    fn step(&mut self, x: &Array2<f64>) -> Result<()> {
        if self.is_done() {
            return Ok(());
        }
        let n = x.nrows();
        if self.steps_done == 0 {
            check_x(x, "k-means")?;
            if self.k > n {
                return Err(Error::param("n_clusters", self.k, &format!("at most the number of rows ({n})")));
            }
            if self.starts.is_some() && self.d != x.ncols() {
                return Err(Error::Data(format!(
                    "the starting centres have {} features, the rows {}",
                    self.d,
                    x.ncols()
                )));
            }
            self.d = x.ncols();
            self.tol = self.params.tol * mean_variance(x);
        } else if x.ncols() != self.d || n != self.labels.len() {
            return Err(Error::Data("k-means must be stepped on the same rows every time".into()));
        }
        let xs = flat(x);
        if self.fresh {
            match self.starts.take() {
                Some(c) => self.centers = c,
                None => {
                    let mut rng = Rng::derive(self.seed as u64, 0x6b6d_0000 + self.restart as u64);
                    self.init_centers(&xs, n, &mut rng)?;
                }
            }
            self.fresh = false;
            self.iter = 0;
            self.bounds.reset();
        }
        let before = self.centers.clone();
        let (shift, changed) = self.lloyd(&xs, n);
        self.iter += 1;
        self.steps_done += 1;
        let strict = self.iter > 1 && changed == 0;
        if strict || shift <= self.tol || self.iter == self.params.max_iter as usize {
            self.finish_restart(&xs, before != self.centers);
        }
        Ok(())
    }

    fn steps_done(&self) -> usize {
        self.steps_done
    }

    fn steps_total(&self) -> usize {
        self.steps_total
    }

    fn labels(&self) -> Option<Vec<i32>> {
        let l = match (&self.best, self.is_done()) {
            (Some(b), true) => &b.labels,
            _ => &self.labels,
        };
        (!l.is_empty()).then(|| l.iter().map(|&c| c as i32).collect())
    }

    fn metrics(&self) -> Metrics {
        let mut m = Metrics::new();
        if self.steps_done > 0 {
            m.insert("inertia".into(), self.inertia());
            m.insert("n_iter".into(), self.n_iter() as f64);
        }
        m
    }
}

/// Mean over features of the population variance (scikit-learn's `_tolerance`).
fn mean_variance(x: &Array2<f64>) -> f64 {
    let n = x.nrows() as f64;
    let total: f64 = x.columns().into_iter().map(|c| column_variance(c, n)).sum();
    total / x.ncols() as f64
}

/// One column's population variance. Never inlined: called once per column, so that V8
/// runs it optimised after the first (see `kmeans_assign::run_piece`).
#[inline(never)]
fn column_variance(c: ndarray::ArrayView1<f64>, n: f64) -> f64 {
    let mean = c.sum() / n;
    c.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n
}

fn count_distinct(x: &[f64], n: usize, d: usize) -> usize {
    let row = |i: usize| &x[i * d..(i + 1) * d];
    let cmp = |a: usize, b: usize| {
        row(a).iter().zip(row(b)).map(|(p, q)| p.total_cmp(q)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
    };
    let mut rows: Vec<usize> = (0..n).collect();
    crate::base::sort::sort_indices(&mut rows, &cmp);
    rows.dedup_by(|a, b| cmp(*a, *b).is_eq());
    rows.len()
}

/// Rows on which the elbow chart's silhouette is computed: exact silhouette costs
/// rows^2 distances, so larger data is scored on a seeded sample of this many rows.
pub const SILHOUETTE_SAMPLE: usize = 2000;

/// For each k: (k, inertia, silhouette) of k-means with default settings (one k-means++
/// start). The silhouette is NaN for k = 1 (undefined) and is computed on a seeded sample
/// of at most `SILHOUETTE_SAMPLE` rows (the same sample for every k).
pub fn elbow(x: &Array2<f64>, ks: std::ops::RangeInclusive<usize>, seed: u32) -> Result<Vec<(usize, f64, f64)>> {
    check_x(x, "the elbow chart")?;
    let sample = (x.nrows() > SILHOUETTE_SAMPLE).then(|| sample_rows(x.nrows(), SILHOUETTE_SAMPLE, seed as u64));
    let xs = match &sample {
        Some(rows) => x.select(ndarray::Axis(0), rows),
        None => x.clone(),
    };
    let mut out = Vec::new();
    for k in ks {
        let params = KMeansParams { n_clusters: k as u32, ..KMeansParams::default() };
        let m = KMeans::fit(&params, x, seed)?;
        let labels = m.labels().expect("fitted");
        let sil = if k < 2 {
            f64::NAN
        } else {
            let sl: Vec<i32> = match &sample {
                Some(rows) => rows.iter().map(|&r| labels[r]).collect(),
                None => labels,
            };
            // A sample may miss a cluster entirely or hold just one: NaN, not an error.
            silhouette_score(&xs, &sl).unwrap_or(f64::NAN)
        };
        out.push((k, m.inertia(), sil));
    }
    Ok(out)
}

// ---- model file record -----------------------------------------------------------------

/// Fitted k-means as a model file keeps it: a new row joins its nearest centre.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Centres {
    n_clusters: usize,
    n_features: usize,
    /// n_clusters x n_features, row-major.
    #[serde(with = "num::many")]
    centers: Vec<f64>,
}

impl Centres {
    /// A model file's record, checked against the file's preprocessing.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<Centres> {
        let s: Centres = record::parse(v)?;
        record::features("model.n_features", s.n_features, fit)?;
        if s.n_clusters == 0 {
            return record::err("model.n_clusters", "is 0");
        }
        record::len("model.centers", s.centers.len(), record::product("model.centers", s.n_clusters, s.n_features)?)?;
        record::finite("model.centers", &s.centers)?;
        Ok(s)
    }
}

impl Placer for Centres {
    fn place(&self, x: &Array2<f64>) -> Result<Placed> {
        let xs = super::rows_of(x);
        let labels = xs
            .chunks_exact(x.ncols().max(1))
            .map(|q| super::nearest(&self.centers, self.n_features, q).map_or(NOISE, |(i, _)| i as i32))
            .collect();
        Ok(Placed::Clusters(labels))
    }
    fn record(&self) -> serde_json::Value {
        record::to_value(self)
    }
}

pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Placer>> {
    Ok(Box::new(Centres::from_record(v, fit)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs() -> Array2<f64> {
        let mut rng = Rng::new(5);
        Array2::from_shape_fn((300, 2), |(i, j)| rng.normal() * 0.3 + [0.0, 4.0, 8.0][i % 3] * (j as f64 + 1.0))
    }

    #[test]
    fn steps_are_lloyd_iterations_and_restarts_keep_the_best() {
        let x = blobs();
        let params = KMeansParams { n_clusters: 3, n_init: 4, ..Default::default() };
        let mut m = KMeans::new(&params, 300, 1).unwrap();
        m.step(&x).unwrap();
        assert_eq!(m.steps_done(), 1);
        assert_eq!(m.centroids().dim(), (3, 2));
        while !m.is_done() {
            m.step(&x).unwrap();
        }
        assert!(m.steps_total() < 4 * 300, "converged early: {}", m.steps_total());
        let l = m.labels().unwrap();
        // Every blob is one cluster.
        for b in 0..3 {
            assert!((0..300).filter(|i| i % 3 == b).all(|i| l[i] == l[b]));
        }
        let again = KMeans::fit(&params, &x, 1).unwrap();
        assert_eq!(again.labels(), m.labels());
        assert_eq!(again.inertia(), m.inertia());
    }

    /// Steps `m` to the end, checking after each step that the kept sums and counts are
    /// those of the labels, and that the inertia reported is theirs; returns the steps checked.
    fn check_kept_sums(mut m: KMeans, x: &Array2<f64>) -> usize {
        let xs = flat(x);
        let mut checked = 0;
        while !m.is_done() {
            let centres = m.centers.clone();
            m.step(x).unwrap();
            if m.is_done() {
                break;
            }
            let (sums, counts) = m.bounds.kept();
            let mut fresh = vec![0.0; sums.len()];
            let mut n = vec![0usize; counts.len()];
            let mut inertia = 0.0;
            for (row, &c) in xs.chunks_exact(2).zip(&m.labels) {
                let c = c as usize;
                n[c] += 1;
                fresh[c * 2..c * 2 + 2].iter_mut().zip(row).for_each(|(s, v)| *s += v);
                if let Some(at) = centres.get(c * 2..c * 2 + 2) {
                    inertia += (row[0] - at[0]).powi(2) + (row[1] - at[1]).powi(2);
                }
            }
            assert_eq!(counts, &n[..]);
            for (a, b) in sums.iter().zip(&fresh) {
                assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "kept {a} against {b}");
            }
            // Relocation moves rows after the inertia is taken; without it, the labels'. The
            // first step's centres are drawn within it.
            if !centres.is_empty() && m.bounds.kept().1.iter().all(|&c| c > 1) {
                assert!((m.inertia - inertia).abs() <= 1e-9 * inertia, "inertia {} against {inertia}", m.inertia);
            }
            checked += 1;
        }
        checked
    }

    #[test]
    fn the_kept_sums_are_the_sums_of_the_labels() {
        let x = blobs();
        let params = KMeansParams { n_clusters: 6, tol: 0.0, ..Default::default() };
        let checked = check_kept_sums(KMeans::new(&params, x.nrows(), 3).unwrap(), &x);
        assert!(checked > 2, "only {checked} iterations checked");
    }

    #[test]
    fn a_relocated_row_moves_its_values_with_it() {
        // Two starting centres far from every row: both clusters start empty and are moved
        // onto the farthest rows.
        let x = blobs();
        let starts =
            Array2::from_shape_vec((5, 2), vec![0.0, 0.0, 4.0, 8.0, 8.0, 16.0, 90.0, 90.0, -90.0, 90.0]).unwrap();
        let params = KMeansParams { n_clusters: 5, tol: 0.0, ..Default::default() };
        let m = KMeans::new(&params, x.nrows(), 0).unwrap().with_starts(&starts).unwrap();
        let checked = check_kept_sums(m, &x);
        assert!(checked > 1, "only {checked} iterations checked");
    }

    #[test]
    fn identical_rows_name_n_clusters() {
        let x = Array2::from_elem((10, 3), 2.0);
        let e = KMeans::fit(&KMeansParams { n_clusters: 2, ..Default::default() }, &x, 0).unwrap_err();
        assert!(e.to_string().contains("n_clusters") && e.to_string().contains("distinct rows (1)"), "{e}");
        let one = KMeans::fit(&KMeansParams { n_clusters: 1, ..Default::default() }, &x, 0).unwrap();
        assert_eq!(one.inertia(), 0.0);
    }

    #[test]
    fn elbow_inertia_falls_with_k() {
        let e = elbow(&blobs(), 1..=5, 0).unwrap();
        assert_eq!(e.len(), 5);
        assert!(e[0].2.is_nan());
        assert!(e.windows(2).all(|w| w[1].1 <= w[0].1 + 1e-9));
        let best = e.iter().skip(1).max_by(|a, b| a.2.total_cmp(&b.2)).unwrap();
        assert_eq!(best.0, 3);
    }
}
