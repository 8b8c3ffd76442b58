//! Principal component analysis as scikit-learn's PCA: centre the data, take its SVD, keep
//! the first `n_components` right-singular vectors as the components (loadings). One step.
//!
//! Signs follow scikit-learn 1.9 (`svd_flip(..., u_based_decision=False)`): each
//! component is turned so that its largest-magnitude loading is positive (the first such
//! loading when several tie), so the same data gives the same picture in both.
//! `explained_variance_ratio` is each component's variance over the total variance of
//! all features, so the ratios of the kept components can sum to less than 1.

use nalgebra::{DMatrix, SymmetricEigen, SVD};
use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::schema::{check_int, Domain, ParamInfo};
use crate::cluster::check_x;
use crate::linalg::matmul::{gemm_acc_f64, gram_f64, Operand};
use crate::metrics::Metrics;
use crate::models::record::{self, num, Fit};
use crate::unsupervised::{Placed, Placer, Unsupervised};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PcaParams {
    pub n_components: u32,
}

impl Default for PcaParams {
    fn default() -> Self {
        PcaParams { n_components: 2 }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![ParamInfo::new("n_components", Domain::Int { min: 1, max: 1000 }, "How many new axes to keep. Each one is the direction along which the data still varies most; at most the number of features (or rows, if fewer).", false)]
}

impl PcaParams {
    pub fn validate(&self) -> Result<()> {
        check_int(&param_info(), "n_components", self.n_components as i64)
    }
}

#[derive(Debug, Clone)]
pub struct Pca {
    params: PcaParams,
    pub mean: Vec<f64>,
    /// n_components x features, one component per row (scikit-learn's `components_`).
    pub components: Array2<f64>,
    pub explained_variance: Vec<f64>,
    pub explained_variance_ratio: Vec<f64>,
    pub singular_values: Vec<f64>,
    /// The fitted rows projected on the components.
    projected: Option<Array2<f64>>,
}

impl Pca {
    pub fn new(params: &PcaParams) -> Result<Pca> {
        params.validate()?;
        Ok(Pca {
            params: params.clone(),
            mean: Vec::new(),
            components: Array2::zeros((0, 0)),
            explained_variance: Vec::new(),
            explained_variance_ratio: Vec::new(),
            singular_values: Vec::new(),
            projected: None,
        })
    }

    pub fn fit(params: &PcaParams, x: &Array2<f64>) -> Result<Pca> {
        let mut p = Pca::new(params)?;
        p.step(x)?;
        Ok(p)
    }

    /// Rows of `x` (same features) in component coordinates: (x - mean) . components^T.
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        if self.mean.is_empty() {
            return Err(Error::Training("PCA is not fitted yet".into()));
        }
        if x.ncols() != self.mean.len() {
            return Err(Error::Data(format!("PCA was fitted on {} features, got {}", self.mean.len(), x.ncols())));
        }
        let mean = ndarray::ArrayView1::from(&self.mean[..]);
        let mut centred = x.as_standard_layout().into_owned();
        centred -= &mean;
        Ok(times_transposed(&centred, &self.components))
    }

    fn fit_now(&mut self, x: &Array2<f64>) -> Result<()> {
        check_x(x, "PCA")?;
        let (n, d) = x.dim();
        let k = self.params.n_components as usize;
        if k > n.min(d) {
            return Err(Error::param("n_components", k, &format!("at most min(rows, features) = {}", n.min(d))));
        }
        let mean = x.mean_axis(Axis(0)).expect("rows > 0");
        let mut centred = x.as_standard_layout().into_owned();
        centred -= &mean;
        let (var, vt) = if n >= 10 * d && d <= 1000 { by_covariance(&centred) } else { by_svd(&centred)? };
        let total: f64 = var.iter().sum();
        if total <= 0.0 {
            return Err(Error::Data(
                "PCA needs rows that differ: every row is identical, so there is no variance".into(),
            ));
        }
        let mut comps = Array2::zeros((k, d));
        for c in 0..k {
            let row: Vec<f64> = (0..d).map(|j| vt[[c, j]]).collect();
            // First largest |loading| (numpy's argmax), made positive.
            let big = (0..d).fold(0, |b, j| if row[j].abs() > row[b].abs() { j } else { b });
            let sign = if row[big] < 0.0 { -1.0 } else { 1.0 };
            for j in 0..d {
                comps[[c, j]] = sign * row[j];
            }
        }
        self.mean = mean.to_vec();
        self.components = comps;
        self.singular_values = var.iter().take(k).map(|v| (v * (n - 1) as f64).sqrt()).collect();
        self.explained_variance_ratio = var.iter().take(k).map(|v| v / total).collect();
        self.explained_variance = var.into_iter().take(k).collect();
        self.projected = Some(times_transposed(&centred, &self.components));
        Ok(())
    }
}

/// Per-component variances (descending) and the right-singular vectors as rows, from the
/// SVD of the centred rows. A tall matrix has the singular values and right vectors of its
/// QR triangle.
fn by_svd(centred: &Array2<f64>) -> Result<(Vec<f64>, Array2<f64>)> {
    let (n, d) = centred.dim();
    let m = DMatrix::from_row_iterator(n, d, centred.iter().copied());
    let a = if n > d { m.qr().r() } else { m };
    let svd = SVD::try_new(a, false, true, f64::EPSILON, 100_000)
        .ok_or_else(|| Error::Training("the SVD for PCA did not converge".into()))?;
    let vt = svd.v_t.as_ref().expect("asked for V^t");
    let var = svd.singular_values.iter().map(|s| s * s / (n - 1) as f64).collect();
    Ok((var, Array2::from_shape_fn((vt.nrows(), d), |(i, j)| vt[(i, j)])))
}

/// The same from the eigenvectors of the d x d covariance matrix, as scikit-learn's
/// `covariance_eigh` solver, which its "auto" choice takes for n >= 10 d: one blocked
/// matrix product over the rows instead of a Householder QR of all of them (20,000 x 200:
/// ~20x faster). Eigenvalues below zero are rounding and become 0.
fn by_covariance(centred: &Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let (n, d) = centred.dim();
    let gram = gram(centred);
    let eig = SymmetricEigen::new(DMatrix::from_row_iterator(d, d, gram.iter().map(|v| v / (n - 1) as f64)));
    let mut order: Vec<usize> = (0..d).collect();
    crate::base::sort::sort_indices_desc(&mut order, &|i| eig.eigenvalues[i]);
    let var = order.iter().map(|&i| eig.eigenvalues[i].max(0.0)).collect();
    let vt = Array2::from_shape_fn((d, d), |(c, j)| eig.eigenvectors[(j, order[c])]);
    (var, vt)
}

// The two products go through the packed kernel on every target: it sums each element in
// the same order whatever the vector width, so the page (wasm) and the CLI (native) give
// the same bits (ndarray's product natively picks FMA kernels at run time). In wasm it is
// also several times faster than ndarray's, which has no SIMD there.

/// xᵀx for standard-layout `x`, d x d row-major.
fn gram(x: &Array2<f64>) -> Vec<f64> {
    let (n, d) = x.dim();
    gram_f64(x.as_slice().expect("standard layout"), n, d)
}

/// a · bᵀ for `a` and `b` (any layout).
fn times_transposed(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let ((n, d), k) = (a.dim(), b.nrows());
    let mut out = vec![0.0; n * k];
    let (a, b) = (a.as_standard_layout(), b.as_standard_layout());
    let bt = Operand::new(b.as_slice().expect("standard layout"), k, d).t();
    gemm_acc_f64(Operand::new(a.as_slice().expect("standard layout"), n, d), bt, &mut out);
    Array2::from_shape_vec((n, k), out).expect("n x k")
}

impl Unsupervised for Pca {
    fn record(&self, _x: &Array2<f64>) -> Option<serde_json::Value> {
        Some(record::to_value(&Projection {
            n_components: self.components.nrows(),
            n_features: self.mean.len(),
            mean: self.mean.clone(),
            components: self.components.iter().copied().collect(),
            explained_variance_ratio: self.explained_variance_ratio.clone(),
        }))
    }

    fn step(&mut self, x: &Array2<f64>) -> Result<()> {
        if self.projected.is_none() {
            self.fit_now(x)?;
        }
        Ok(())
    }

    fn steps_done(&self) -> usize {
        self.projected.is_some() as usize
    }

    fn steps_total(&self) -> usize {
        1
    }

    /// The first two or three components (all of them when fewer); `transform` gives all.
    fn embedding(&self) -> Option<Array2<f64>> {
        let p = self.projected.as_ref()?;
        Some(p.slice(ndarray::s![.., ..p.ncols().min(3)]).to_owned())
    }

    /// `explained_variance_ratio_1`, `_2`, ... per component and
    /// `explained_variance_ratio_cumulative` for all kept components together.
    fn metrics(&self) -> Metrics {
        let mut m = Metrics::new();
        for (i, r) in self.explained_variance_ratio.iter().enumerate() {
            m.insert(format!("explained_variance_ratio_{}", i + 1), *r);
        }
        if !self.explained_variance_ratio.is_empty() {
            m.insert("explained_variance_ratio_cumulative".into(), self.explained_variance_ratio.iter().sum());
        }
        m
    }
}

// ---- model file record -----------------------------------------------------------------

/// Fitted PCA as a model file keeps it: new rows are projected as `(x - mean) . components^T`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Projection {
    n_components: usize,
    n_features: usize,
    #[serde(with = "num::many")]
    mean: Vec<f64>,
    /// n_components x n_features, row-major.
    #[serde(with = "num::many")]
    components: Vec<f64>,
    #[serde(with = "num::many")]
    explained_variance_ratio: Vec<f64>,
}

impl Projection {
    /// A model file's record, checked against the file's preprocessing.
    pub fn from_record(v: serde_json::Value, fit: &Fit) -> Result<Projection> {
        let s: Projection = record::parse(v)?;
        record::features("model.n_features", s.n_features, fit)?;
        record::len("model.mean", s.mean.len(), s.n_features)?;
        let want = record::product("model.components", s.n_components, s.n_features)?;
        record::len("model.components", s.components.len(), want)?;
        record::len("model.explained_variance_ratio", s.explained_variance_ratio.len(), s.n_components)?;
        record::finite("model.mean", &s.mean)?;
        record::finite("model.components", &s.components)?;
        Ok(s)
    }

    /// PCA coordinates of new rows.
    pub fn transform(&self, x: &Array2<f64>) -> Array2<f64> {
        let comps = record::matrix(self.n_components, self.n_features, self.components.clone());
        let mean = ndarray::ArrayView1::from(&self.mean[..]);
        times_transposed(&(x - &mean), &comps)
    }
}

impl Placer for Projection {
    fn place(&self, x: &Array2<f64>) -> Result<Placed> {
        Ok(Placed::Coordinates(self.transform(x)))
    }
    fn record(&self) -> serde_json::Value {
        record::to_value(self)
    }
}

pub fn load(v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Placer>> {
    Ok(Box::new(Projection::from_record(v, fit)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_has_one_component_and_rejects_too_many() {
        let x = Array2::from_shape_fn((20, 3), |(i, j)| i as f64 * [1.0, -2.0, 0.5][j] + 3.0);
        let p = Pca::fit(&PcaParams { n_components: 2 }, &x).unwrap();
        assert!((p.explained_variance_ratio[0] - 1.0).abs() < 1e-12);
        // Largest loading (-2) flipped positive.
        assert!(p.components[[0, 1]] > 0.0 && p.components[[0, 0]] < 0.0);
        assert_eq!(p.embedding().unwrap().dim(), (20, 2));
        let e = Pca::fit(&PcaParams { n_components: 4 }, &x).unwrap_err();
        assert!(e.to_string().contains("n_components"), "{e}");
        let same = Array2::from_elem((5, 2), 1.0);
        assert!(matches!(Pca::fit(&PcaParams { n_components: 1 }, &same), Err(Error::Data(_))));
    }

    #[test]
    fn the_packed_products_agree_with_ndarrays() {
        let mut rng = crate::base::rng::Rng::new(5);
        let x = Array2::from_shape_fn((700, 9), |(_, j)| rng.normal() * (j + 1) as f64);
        let b = Array2::from_shape_fn((3, 9), |_| rng.normal());
        let close = |p: &[f64], q: &[f64]| {
            p.len() == q.len() && p.iter().zip(q).all(|(u, v)| (u - v).abs() <= 1e-12 * (1.0 + v.abs()))
        };
        assert!(close(&gram(&x), x.t().dot(&x).as_standard_layout().as_slice().unwrap()));
        let (t, u) = (times_transposed(&x, &b), x.dot(&b.t()));
        assert!(close(t.as_slice().unwrap(), u.as_standard_layout().as_slice().unwrap()));
        // A transposed (column-major) operand gives the same bits as its standard copy.
        let xf = x.t().as_standard_layout().into_owned().reversed_axes();
        assert!(!xf.is_standard_layout());
        assert_eq!(times_transposed(&xf, &b), t);
    }
}
