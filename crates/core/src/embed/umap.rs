//! UMAP (uniform manifold approximation and projection) as umap-learn: a weighted graph
//! of each row's nearest neighbours, then a 2-D layout found by stochastic gradient
//! descent that pulls graph neighbours together and pushes random other rows apart.
//!
//! As umap-learn 0.5: neighbour distances are made relative to each row's nearest one
//! (rho) and scaled (sigma, binary search so the weights sum to log2(n_neighbors)); the
//! graph is the fuzzy union A + A^T - A*A^T, edges below max / n_epochs dropped; every
//! edge is sampled once per `epochs_per_sample` epochs with `negative_sample_rate`
//! repulsions, the rate falling linearly; the curve 1 / (1 + a d^(2b)) is fitted to
//! `min_dist`/`spread` by least squares (`umap_graph`). Differences: neighbours are exact
//! (kd-tree up to 8 columns, else an O(n^2) scan up to 8,000 rows, NN-descent beyond); the
//! spectral start is by Chebyshev-filtered subspace iteration (`spectral`), falling back
//! to PCA when the graph is not connected (umap-learn lays components out separately);
//! the epochs run in f32 as umap-learn's, with a polynomial power (`fastpow`), and all
//! forces of one edge sample are taken at its starting position (umap-learn moves the
//! point between them), so they go four at a time through SIMD lanes (`umap_sgd`), the
//! same bits natively and in wasm.
//!
//! The graph and the start are built by the first `step` calls, in pieces (`phase` says
//! which and how far), so the page shows progress on large data instead of a frozen bar.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::common::{check_input, pca_project, KnnJob};
use super::spectral::Spectral;
pub use super::umap_graph::find_ab_params;
use super::umap_graph::{fuzzy_graph, start_layout, Graph};
use super::umap_sgd::{epoch, Edges};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{check_choice, check_float, check_int, Domain, ParamInfo};
use crate::unsupervised::Unsupervised;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UmapParams {
    pub n_neighbors: u32,
    pub min_dist: f64,
    pub spread: f64,
    /// 0 means automatic: 500 epochs up to 10,000 rows, 200 beyond, as umap-learn.
    pub n_epochs: u32,
    pub learning_rate: f64,
    pub negative_sample_rate: u32,
    /// "spectral", "pca" or "random".
    pub init: String,
}

impl Default for UmapParams {
    fn default() -> Self {
        UmapParams {
            n_neighbors: 15,
            min_dist: 0.1,
            spread: 1.0,
            n_epochs: 0,
            learning_rate: 1.0,
            negative_sample_rate: 5,
            init: "spectral".into(),
        }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    vec![
        ParamInfo::new("n_neighbors", Domain::Int { min: 2, max: 200 }, "How many nearest rows (counting the row itself) each row is connected to. Few neighbours show fine local detail; many show the larger structure.", false),
        ParamInfo::new("min_dist", Domain::Float { min: 0.0, max: 10.0, log: false, min_exclusive: false }, "How tightly points may pack together in the picture. Small values give dense clumps; larger values spread each cluster out. At most spread.", false),
        ParamInfo::new("spread", Domain::Float { min: 0.01, max: 10.0, log: true, min_exclusive: false }, "The overall scale of the picture, together with min_dist: how far apart embedded points count as unrelated.", true),
        ParamInfo::new("n_epochs", Domain::Int { min: 0, max: 5000 }, "How many passes over the graph's edges. 0 means automatic: 500 for up to 10,000 rows, 200 for more.", true),
        ParamInfo::new("learning_rate", Domain::Float { min: 0.0, max: 100.0, log: false, min_exclusive: true }, "Step size at the first epoch; it shrinks to zero by the last.", true),
        ParamInfo::new("negative_sample_rate", Domain::Int { min: 1, max: 100 }, "How many random rows each point is pushed away from per pull towards a neighbour. More separates clusters better but is slower.", true),
        ParamInfo::new("init", Domain::Choice { options: &["spectral", "pca", "random"] }, "Starting layout: spectral uses the graph's own shape (usually best), pca the two main directions of the data, random a random square.", true),
    ]
}

impl UmapParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int(&p, "n_neighbors", self.n_neighbors as i64)?;
        check_float(&p, "min_dist", self.min_dist)?;
        check_float(&p, "spread", self.spread)?;
        if self.min_dist > self.spread {
            return Err(Error::param("min_dist", self.min_dist, &format!("at most spread ({})", self.spread)));
        }
        check_int(&p, "n_epochs", self.n_epochs as i64)?;
        check_float(&p, "learning_rate", self.learning_rate)?;
        check_int(&p, "negative_sample_rate", self.negative_sample_rate as i64)?;
        check_choice(&p, "init", &self.init)
    }
}

/// Where the set-up stands: UMAP builds its graph and starting layout in pieces (the
/// first `step` calls), so the page can show progress on large data.
enum Stage {
    Neighbours(KnnJob),
    Spectral { job: Box<Spectral>, graph: Graph },
    Ready,
}

pub struct Umap {
    n: usize,
    n_neighbors: usize,
    init: String,
    rate: f64,
    n_epochs: usize,
    /// Edges weaker than the strongest / this are dropped (umap-learn's rule).
    cut_epochs: usize,
    stage: Stage,
    /// Share of the progress bar the set-up takes (a rough estimate of its cost).
    setup_share: f64,
    /// Layout, n x 2 row-major (empty until the set-up is done).
    y: Vec<f32>,
    edges: Edges,
    a: f64,
    b: f64,
    learning_rate: f64,
    epoch: usize,
    rng: Rng,
    /// State of the negative-sample generator (seeded from `rng`).
    neg_state: u64,
    /// The start actually used (spectral falls back to pca on a disconnected graph).
    init_used: &'static str,
    seed: u32,
}

impl Umap {
    /// Checks the settings and data; the first `step` calls then build the neighbour graph
    /// and the starting layout, the later ones run the epochs.
    pub fn new(params: &UmapParams, x: &Array2<f64>, seed: u32) -> Result<Umap> {
        params.validate()?;
        check_input(x, "UMAP")?;
        let (n, d) = x.dim();
        let k = params.n_neighbors as usize;
        if k >= n {
            return Err(Error::param("n_neighbors", k, &format!("less than the number of rows ({n})")));
        }
        let default_epochs = if n <= 10_000 { 500 } else { 200 };
        let n_epochs = if params.n_epochs > 0 { params.n_epochs as usize } else { default_epochs };
        let (a, b) = find_ab_params(params.spread, params.min_dist);
        // umap-learn's n_neighbors counts the row itself.
        let job = KnnJob::new(x, k - 1);
        let setup_share = setup_share(&job, n, d, k, n_epochs);
        Ok(Umap {
            n,
            n_neighbors: k,
            init: params.init.clone(),
            rate: params.negative_sample_rate as f64,
            n_epochs,
            cut_epochs: if n_epochs > 10 { n_epochs } else { default_epochs },
            stage: Stage::Neighbours(job),
            setup_share,
            y: Vec::new(),
            edges: Edges::new(vec![], vec![], vec![], 1.0),
            a,
            b,
            learning_rate: params.learning_rate,
            epoch: 0,
            rng: Rng::derive(seed as u64, 0x0a9),
            neg_state: 0,
            init_used: "",
            seed,
        })
    }

    /// The fitted curve parameters (umap-learn's `_a`, `_b`).
    pub fn ab(&self) -> (f64, f64) {
        (self.a, self.b)
    }

    /// The start used; empty until the set-up is done.
    pub fn init_used(&self) -> &'static str {
        self.init_used
    }

    pub fn n_edges(&self) -> usize {
        self.edges.head.len()
    }

    /// One piece of the set-up.
    fn advance_setup(&mut self, x: &Array2<f64>) {
        match std::mem::replace(&mut self.stage, Stage::Ready) {
            Stage::Neighbours(mut job) => {
                if !job.advance(x) {
                    self.stage = Stage::Neighbours(job);
                    return;
                }
                let graph = fuzzy_graph(self.n, self.n_neighbors, job.finish(), self.cut_epochs);
                if self.init == "spectral" && graph.connected() {
                    let job = Box::new(Spectral::new(&graph.indptr, &graph.indices, &graph.weights, 2, self.seed));
                    self.stage = Stage::Spectral { job, graph };
                } else if self.init == "random" {
                    self.start(graph, None, "random");
                } else {
                    let raw = pca_project(x, 2).iter().cloned().collect();
                    self.start(graph, Some(raw), "pca");
                }
            }
            Stage::Spectral { mut job, graph } => {
                if job.advance() {
                    self.start(graph, Some(job.finish()), "spectral");
                } else {
                    self.stage = Stage::Spectral { job, graph };
                }
            }
            Stage::Ready => {}
        }
    }

    /// The starting layout (from `raw`, or random) and the edges to sample.
    fn start(&mut self, graph: Graph, raw: Option<Vec<f64>>, used: &'static str) {
        self.y = start_layout(self.n, raw, &mut self.rng).iter().map(|&v| v as f32).collect();
        let (mut head, mut tail, mut eps) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..self.n {
            for t in graph.indptr[i]..graph.indptr[i + 1] {
                if graph.weights[t] > 0.0 {
                    head.push(i as u32);
                    tail.push(graph.indices[t] as u32);
                    eps.push(graph.wmax / graph.weights[t]);
                }
            }
        }
        self.edges = Edges::new(head, tail, eps, self.rate);
        self.neg_state = self.rng.next_u64();
        self.init_used = used;
    }
}

/// The set-up's share of the whole fit's cost, roughly: neighbour search (pairs of rows
/// times columns) against the epochs' forces (calibrated on the benchmark data).
fn setup_share(job: &KnnJob, n: usize, d: usize, k: usize, n_epochs: usize) -> f64 {
    let (n, d, k) = (n as f64, d as f64, k as f64);
    let search = if job.is_descent() { n * 3000.0 * (d + 8.0) } else { n * n / 4.0 * (d + 8.0) };
    let forces = n_epochs as f64 * n * k * 0.4 * 6.0 * 20.0;
    search / (search + forces)
}

impl Unsupervised for Umap {
    fn step(&mut self, x: &Array2<f64>) -> Result<()> {
        if x.nrows() != self.n {
            return Err(Error::Data(format!("UMAP was set up for {} rows, got {}", self.n, x.nrows())));
        }
        if !matches!(self.stage, Stage::Ready) {
            self.advance_setup(x);
            return Ok(());
        }
        if self.is_done() {
            return Ok(());
        }
        // umap-learn lowers the rate after each epoch from the epoch's own index.
        let alpha = self.learning_rate * (1.0 - self.epoch.saturating_sub(1) as f64 / self.n_epochs as f64);
        epoch(
            &mut self.y,
            &mut self.edges,
            self.epoch,
            alpha as f32,
            (self.a as f32, self.b as f32),
            &mut self.neg_state,
        );
        self.epoch += 1;
        Ok(())
    }

    fn steps_done(&self) -> usize {
        self.epoch
    }

    fn steps_total(&self) -> usize {
        self.n_epochs
    }

    fn phase(&self) -> Option<(&'static str, f64)> {
        match &self.stage {
            Stage::Neighbours(job) => Some(("finding nearest neighbours", job.fraction())),
            Stage::Spectral { job, .. } => Some(("spectral start", job.fraction())),
            Stage::Ready => None,
        }
    }

    fn progress(&self) -> f64 {
        let s = self.setup_share;
        match &self.stage {
            Stage::Neighbours(job) => s * 0.7 * job.fraction(),
            Stage::Spectral { job, .. } => s * (0.7 + 0.3 * job.fraction()),
            Stage::Ready => s + (1.0 - s) * self.epoch as f64 / self.n_epochs as f64,
        }
    }

    fn embedding(&self) -> Option<Array2<f64>> {
        if self.y.is_empty() {
            return None;
        }
        Some(Array2::from_shape_vec((self.n, 2), self.y.iter().map(|&v| v as f64).collect()).expect("n x 2"))
    }
}
