//! The registry of model kinds: everything mlplay knows about a kind, written once in that
//! kind's description (`KIND` in `kinds/<name>.rs`) and typed hooks on its hyperparameter
//! struct (`Describe`). `all()` and `get()` are the only lists of kinds in the crate; the
//! page, the CLI, link validation, budget, validation curves, model files and export read
//! them. Adding a kind: its algorithm file, its description file here (`kinds/<name>.rs`,
//! with `anomaly: true` for a detector such as an isolation forest), one line in
//! `registry!` below, and tests.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::schema::ParamInfo;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::record::Fit;
use crate::models::{Model, Trainer};
use crate::unsupervised::{Placer, Unsupervised};

pub mod export;
mod spec;

/// The registry: one line per kind, `Variant(HyperparameterStruct) = description module`
/// (the file `kinds/<module>.rs`), in the order the page lists them. The variant's
/// snake_case name is the kind's name.
macro_rules! registry {
    ($($variant:ident($params:ty) = $module:ident),* $(,)?) => {
        $(mod $module;)*

        /// A model kind with its hyperparameters, as the state and the link store it:
        /// `{"kind": "logistic_regression", "C": 1.0, ...}`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum ModelSpec {
            $($variant($params),)*
        }

        const ALL: &[&Kind] = &[$(&$module::KIND,)*];

        impl ModelSpec {
            /// The kind's description.
            pub fn describe(&self) -> &'static Kind {
                match self {
                    $(ModelSpec::$variant(_) => &$module::KIND,)*
                }
            }

            pub(crate) fn hooks(&self) -> &dyn Describe {
                match self {
                    $(ModelSpec::$variant(p) => p,)*
                }
            }

            /// The spec of kind `name` from its hyperparameters (the map without "kind"),
            /// each kind's struct read straight from the JSON value: serde's derive for the
            /// tagged enum buffers the map and inlines every kind's reader (~90 KB of wasm).
            fn from_params(name: &str, params: serde_json::Value) -> Option<serde_json::Result<ModelSpec>> {
                $(if name == $module::KIND.name {
                    return Some(serde_json::from_value(params).map(ModelSpec::$variant));
                })*
                None
            }
        }
    };
}

registry! {
    LogisticRegression(crate::models::logistic::LogisticParams) = logistic_regression,
    Knn(crate::models::knn::KnnParams) = knn,
    NaiveBayes(crate::models::bayes::NaiveBayesParams) = naive_bayes,
    LinearRegression(crate::models::linear::LinearRegressionParams) = linear_regression,
    Ridge(crate::models::linear::RidgeParams) = ridge,
    Lasso(crate::models::lasso::LassoParams) = lasso,
    DecisionTree(crate::models::tree::TreeParams) = decision_tree,
    RandomForest(crate::models::forest::ForestParams) = random_forest,
    GradientBoosting(crate::models::boosting::BoostingParams) = gradient_boosting,
    SelfTraining(crate::models::semi::SelfTrainingParams) = self_training,
    Mlp(crate::models::mlp::MlpParams) = mlp,
    Autoencoder(crate::models::autoencoder::AutoencoderParams) = autoencoder,
    Cnn(crate::models::cnn::CnnParams) = cnn,
    Kmeans(crate::cluster::kmeans::KMeansParams) = kmeans,
    Dbscan(crate::cluster::dbscan::DbscanParams) = dbscan,
    Pca(crate::embed::pca::PcaParams) = pca,
    Tsne(crate::embed::tsne::TsneParams) = tsne,
    Umap(crate::embed::umap::UmapParams) = umap,
    IsolationForest(crate::models::isolation_forest::IsolationForestParams) = isolation_forest,
}

/// Every kind, in the page's order.
pub fn all() -> &'static [&'static Kind] {
    ALL
}

/// Clusterings say which group each row is in; projections say where it lies in 2-D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Supervised,
    Clustering,
    Projection,
}

/// A picture or control the page offers for some kinds only; the page draws each one it
/// knows (tests/kinds.rs checks it knows them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// The cluster centres drawn on the scatter plot as it fits.
    Centres,
    /// Inertia and silhouette against the number of clusters, with a suggested k.
    Elbow,
    /// Each row's distance to its min_samples-th neighbour, sorted, with a suggested eps.
    KDistance,
    /// The variance each component explains and the loadings, asked for after every fit.
    Scree,
    /// The first three axes as a turnable cloud.
    ThreeD,
    /// The fitted tree, drawn under "What the model learned".
    Tree,
    /// What self-training added, round by round.
    SelfTraining,
}

/// The hyperparameter a kind's validation curve sweeps by default, within `lo..=hi`
/// (clipped to the parameter's domain). `descending`: larger values give a simpler model,
/// so the grid is listed from large to small.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sweep {
    pub param: &'static str,
    pub lo: f64,
    pub hi: f64,
    pub descending: bool,
}

/// A model read back from a model file's record by its kind's loader.
pub enum Fitted {
    Supervised(Box<dyn Model>),
    /// Clusterings and PCA: they place new rows.
    Placer(Box<dyn Placer>),
    /// t-SNE and UMAP: only the fitted rows' coordinates, which the file keeps apart.
    EmbeddingOnly,
}

/// How a model file's record of this kind becomes a model again, checked against what the
/// rest of the file says the model must fit.
pub type Loader = fn(serde_json::Value, &Fit) -> Result<Fitted>;

/// The model a record of kind `kind` holds; `None` for an unknown kind.
pub fn load(kind: &str, v: serde_json::Value, fit: &Fit) -> Option<Result<Fitted>> {
    get(kind).map(|k| (k.loader)(v, fit))
}

/// Self-training's base classifier, by its kind (only kinds self-training may wrap).
fn load_base(kind: &str, v: serde_json::Value, fit: &Fit) -> Result<Box<dyn Model>> {
    match get(kind).filter(|k| k.self_training_base).map(|k| (k.loader)(v, fit)).transpose()? {
        Some(Fitted::Supervised(m)) => Ok(m),
        _ => Err(Error::model_file("model.base", "is not a classifier that self-training can wrap")),
    }
}

/// One kind, described once.
pub struct Kind {
    /// The name in links, model files and the CLI (`"logistic_regression"`).
    pub name: &'static str,
    pub title: &'static str,
    /// Two plain lines: what it does and when to reach for it.
    pub about: &'static str,
    /// The glossary's entry for the kind (its tooltip on the page).
    pub glossary: &'static str,
    pub tasks: &'static [Task],
    pub family: Family,
    /// An anomaly detector: scores rows by how unusual they are, shown with the anomaly view
    /// and its threshold (autoencoder, isolation_forest).
    pub anomaly: bool,
    /// The pictures and controls the page offers for this kind alone.
    pub views: &'static [View],
    /// Projections: the name of their axes, `{}` standing for the axis' number (`"PC{}"`).
    pub axis: Option<&'static str>,
    /// One sentence the scatter plot's caption adds on how to read this kind's picture.
    pub picture_note: Option<&'static str>,
    /// Anomaly detectors: what their per-row score is called and how it is made, for the
    /// anomaly view.
    pub score: Option<(&'static str, &'static str)>,
    /// What one training step is called on the page's counter.
    pub step_unit: &'static str,
    /// Can train on the GPU (the networks).
    pub gpu: bool,
    /// What its learning curve plots, when not a supervised loss: the quantity's name and a
    /// caption saying how to read it (`"no loss"` for one-pass methods).
    pub curve: Option<(&'static str, &'static str)>,
    /// How it wants its features (trees read raw values and categories).
    pub encoding: Encoding,
    /// Its hyperparameter schema; the defaults shown come from the struct's `Default`.
    pub params: fn() -> Vec<ParamInfo>,
    /// The validation curve's parameter; `None` takes the first basic integer or
    /// logarithmic parameter, if any (`no_sweep` turns that off).
    pub sweep: Option<Sweep>,
    pub no_sweep: bool,
    /// Self-training may wrap it as its base classifier.
    pub self_training_base: bool,
    pub loader: Loader,
    /// Its scikit-learn and Spark estimators, read from the typed hyperparameters.
    pub sklearn: export::SklearnMap,
    pub spark: export::SparkMap,
}

/// Classification and regression: unsupervised kinds take any target (it colours and scores).
pub const ANY_TASK: &[Task] = &[Task::Classification, Task::Regression];

/// Sizes a memory estimate works from.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub rows: u64,
    pub features: u64,
    /// Outputs: classes, or 1 for a number.
    pub n_out: u64,
}

pub const F64: u64 = 8;
/// Index bytes as the wasm build lays them out (the browser is where memory is tight).
pub const IDX: u64 = 4;

impl Sizes {
    pub fn matrix(&self) -> u64 {
        self.rows * self.features * F64
    }

    /// Predictions of the rows for the loss, the default for small models.
    pub fn predictions(&self) -> u64 {
        self.rows * self.n_out.max(1) * F64 * 2
    }
}

/// The typed half of a description, implemented on the kind's hyperparameter struct.
pub trait Describe {
    fn validate(&self) -> Result<()>;
    /// Supervised kinds: a trainer for `data`; `seed` drives any randomness.
    fn trainer(&self, _data: &Prepared, _seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        None
    }
    /// Clusterings and projections: the fitter for `x` (the prepared rows).
    fn fitter(&self, _x: &Array2<f64>, _seed: u32) -> Option<Result<Box<dyn Unsupervised>>> {
        None
    }
    /// Extra bytes the model needs on top of the data while it trains (an upper bound of
    /// its largest structures, see `engine::budget`).
    fn memory(&self, s: Sizes) -> u64 {
        s.predictions()
    }
}

/// The kind called `name`.
pub fn get(name: &str) -> Option<&'static Kind> {
    all().iter().copied().find(|k| k.name == name)
}

/// Every kind's name, for messages.
pub fn names() -> Vec<&'static str> {
    all().iter().map(|k| k.name).collect()
}

pub fn family(kind: &str) -> Family {
    get(kind).map_or(Family::Supervised, |k| k.family)
}

/// What one training step of a kind is called on the page's counter.
pub fn step_unit(kind: &str) -> &'static str {
    get(kind).map_or("step", |k| k.step_unit)
}

/// The kinds self-training can wrap, in registry order.
pub fn self_training_bases() -> &'static [&'static str] {
    static BASES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    BASES.get_or_init(|| all().iter().filter(|k| k.self_training_base).map(|k| k.name).collect())
}

impl Kind {
    /// The schema with the defaults of the hyperparameter struct itself, so a default is
    /// written in one place (its `Default`).
    pub fn param_info(&self) -> Vec<ParamInfo> {
        let defaults = spec_from_json(serde_json::json!({ "kind": self.name }))
            .expect("every kind parses with its defaults")
            .params_json();
        (self.params)()
            .into_iter()
            .map(|mut p| {
                if let Some(v) = defaults.get(p.name) {
                    p.default = v.clone();
                }
                p
            })
            .collect()
    }

    /// What the page and the CLI receive about the kind.
    pub fn info(&self) -> KindInfo {
        KindInfo {
            kind: self.name,
            title: self.title,
            about: self.about,
            glossary: self.glossary,
            tasks: self.tasks.to_vec(),
            family: self.family,
            anomaly: self.anomaly,
            views: self.views.to_vec(),
            axis: self.axis,
            picture_note: self.picture_note,
            step_unit: self.step_unit,
            gpu: self.gpu,
            score_name: self.score.map(|c| c.0),
            score_about: self.score.map(|c| c.1),
            loss: self.curve.map(|c| c.0),
            loss_caption: self.curve.map(|c| c.1),
            sweep: self.sweep_param(),
            params: self.param_info(),
        }
    }

    /// The parameter a validation curve sweeps by default, if any.
    pub fn sweep_param(&self) -> Option<&'static str> {
        use crate::base::schema::Domain;
        if self.no_sweep {
            return None;
        }
        if let Some(s) = self.sweep {
            return Some(s.param);
        }
        (self.params)()
            .into_iter()
            .find(|p| !p.advanced && matches!(p.domain, Domain::Int { .. } | Domain::Float { log: true, .. }))
            .map(|p| p.name)
    }
}

/// What the page and the CLI know about a kind (the catalog's entry, serialised as is).
#[derive(Debug, Clone, Serialize)]
pub struct KindInfo {
    pub kind: &'static str,
    pub title: &'static str,
    pub about: &'static str,
    pub glossary: &'static str,
    pub tasks: Vec<Task>,
    pub family: Family,
    pub anomaly: bool,
    pub views: Vec<View>,
    pub axis: Option<&'static str>,
    pub picture_note: Option<&'static str>,
    pub step_unit: &'static str,
    pub gpu: bool,
    /// Anomaly detectors: the score's name and how it is made.
    pub score_name: Option<&'static str>,
    pub score_about: Option<&'static str>,
    /// The learning curve's quantity and caption; `null`: the supervised loss.
    pub loss: Option<&'static str>,
    pub loss_caption: Option<&'static str>,
    pub sweep: Option<&'static str>,
    pub params: Vec<ParamInfo>,
}

/// Every kind's catalog entry, in the page's order.
pub fn catalog() -> Vec<KindInfo> {
    all().iter().map(|k| k.info()).collect()
}

/// Parse a model spec from JSON, turning serde's wording into one a student can act on.
pub fn spec_from_json(v: serde_json::Value) -> Result<ModelSpec> {
    let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or("").to_string();
    if get(&kind).is_none() {
        return Err(Error::UnknownModel(kind, names().join(", ")));
    }
    let mut params = v;
    if let Some(map) = params.as_object_mut() {
        map.remove("kind");
    }
    let spec = ModelSpec::from_params(&kind, params).expect("a registered kind");
    spec.map_err(|e| Error::param("model", &kind, &format!("valid hyperparameters ({e})")))
}

/// The fitter for an unsupervised spec on `x` (the prepared rows); `None` for supervised
/// kinds. t-SNE and UMAP do their set-up (neighbour graph, affinities, start layout) here.
pub fn make(spec: &ModelSpec, x: &Array2<f64>, seed: u32) -> Result<Option<Box<dyn Unsupervised>>> {
    spec.fitter(x, seed).transpose()
}
