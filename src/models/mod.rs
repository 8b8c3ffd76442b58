//! Supervised models. Every kind trains through `Trainer::step`, one epoch (or tree, or
//! round) at a time, so the page can animate any of them and stop early.

pub mod autoencoder;
pub mod bayes;
pub mod boosting;
pub mod boosting_hist;
mod boosting_importance;
mod boosting_train;
pub mod boosting_tree;
pub mod explain;
pub mod forest;
pub mod isolation_forest;
pub mod knn;
pub mod lasso;
pub mod linear;
pub mod linear_gd;
pub mod logistic;
pub mod mlp;
pub mod mlp_fit;
pub mod mlp_net;
pub mod mlp_optim;
pub mod record;
pub mod semi;
pub mod tree;
pub mod tree_build;

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::schema::ParamInfo;
use crate::data::prep::{Encoding, Part, Prepared};
use crate::data::Task;

/// What a fitted model says about rows.
#[derive(Debug, Clone)]
pub enum Prediction {
    /// One row of class probabilities per input row.
    Proba(Array2<f64>),
    Values(Array1<f64>),
}

pub trait Model {
    fn predict(&self, x: &Array2<f64>) -> Prediction;
    /// Bytes needed to store the fitted parameters (the "size" of the model).
    fn size_bytes(&self) -> usize;
    /// Weights, tree, importances: what the page draws about the fitted model.
    fn explain(&self) -> explain::Explanation {
        explain::Explanation::default()
    }
    /// Neural networks: every hidden unit's output for the (preprocessed) rows `x`, one
    /// `rows x units` matrix per hidden layer, for the page's per-neuron heatmaps.
    fn hidden_activations(&self, _x: &Array2<f64>) -> Option<Vec<Array2<f64>>> {
        None
    }
    /// Anomaly detectors: how unusual each row of `x` is (an autoencoder's reconstruction
    /// error); larger is more anomalous.
    fn anomaly_scores(&self, _x: &Array2<f64>) -> Option<Vec<f64>> {
        None
    }
    /// The fitted parameters as a model file stores them (the kind's loader reads them
    /// back); `None` when the model cannot be saved.
    fn record(&self) -> Option<serde_json::Value> {
        None
    }
}

/// Losses after a step, for the learning curves.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StepReport {
    pub train_loss: f64,
    pub validation_loss: Option<f64>,
}

pub trait Trainer {
    /// Advance by one step (an epoch for gradient methods).
    fn step(&mut self, data: &Prepared) -> Result<StepReport>;
    fn steps_done(&self) -> usize;
    fn steps_total(&self) -> usize;
    fn is_done(&self) -> bool {
        self.steps_done() >= self.steps_total()
    }
    /// The model as fitted so far; `None` before the first step of a fit-once model.
    fn model(&self) -> Option<&dyn Model>;
    /// What training found that the user should read (divergence, separable classes).
    fn notes(&self) -> Vec<String> {
        vec![]
    }
    /// Neural networks: the training job from the current weights on, for the GPU.
    fn fit_job(&self, _data: &Prepared) -> Option<mlp_fit::FitJob> {
        None
    }
    /// Record an epoch the GPU ran for this trainer's job, as `step` records its own;
    /// `net`, when the weights were read back, becomes the model.
    fn apply_epoch(
        &mut self,
        _data: &Prepared,
        _epoch: &mlp_fit::EpochReport,
        _net: Option<mlp_net::Network>,
    ) -> Result<StepReport> {
        Err(Error::Training("this model trains on the CPU only".into()))
    }
    /// Take over weights read back from the GPU.
    fn set_network(&mut self, _data: &Prepared, _net: mlp_net::Network) -> Result<()> {
        Err(Error::Training("this model trains on the CPU only".into()))
    }
}

/// The loss plotted in learning curves: log-loss of a classifier, mean squared error of
/// a regressor (`None` for an empty part).
pub fn loss_of(model: &dyn Model, part: &Part) -> Option<f64> {
    if part.n_rows() == 0 {
        return None;
    }
    Some(match model.predict(&part.x) {
        Prediction::Proba(p) => crate::metrics::classification::log_loss(part.y.labels(), &p),
        Prediction::Values(v) => crate::metrics::regression::mse(part.y.values(), v.as_slice().expect("contiguous")),
    })
}

/// `loss_of` on at most 5,000 evenly spaced rows: the one point of a one-step fit's curve
/// must not cost more than the fit (predicting every training row is quadratic for k-NN).
fn loss_of_sample(model: &dyn Model, part: &Part) -> Option<f64> {
    const MAX_ROWS: usize = 5000;
    if part.n_rows() <= MAX_ROWS {
        return loss_of(model, part);
    }
    let rows: Vec<usize> = (0..MAX_ROWS).map(|i| i * part.n_rows() / MAX_ROWS).collect();
    let sample = Part { x: part.x.select(ndarray::Axis(0), &rows), y: part.y.select(&rows) };
    loss_of(model, &sample)
}

/// Trainer for models fitted in one go (naive Bayes, k-NN): the single step fits.
/// The one fit of a `FitOnce` trainer.
type FitFn<M> = Box<dyn FnOnce(&Prepared) -> Result<M>>;

pub struct FitOnce<M> {
    fit: Option<FitFn<M>>,
    model: Option<M>,
}

impl<M: Model> FitOnce<M> {
    pub fn new(fit: impl FnOnce(&Prepared) -> Result<M> + 'static) -> FitOnce<M> {
        FitOnce { fit: Some(Box::new(fit)), model: None }
    }
}

impl<M: Model> Trainer for FitOnce<M> {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        let Some(fit) = self.fit.take() else {
            return Err(Error::Training("this model is already fitted".into()));
        };
        let model = fit(data)?;
        let report = StepReport {
            train_loss: loss_of_sample(&model, &data.train).unwrap_or(f64::NAN),
            validation_loss: loss_of_sample(&model, &data.validation),
        };
        self.model = Some(model);
        Ok(report)
    }

    fn steps_done(&self) -> usize {
        self.model.is_some() as usize
    }

    fn steps_total(&self) -> usize {
        1
    }

    fn model(&self) -> Option<&dyn Model> {
        self.model.as_ref().map(|m| m as &dyn Model)
    }
}

/// A model kind with its hyperparameters, as stored in the state and the link:
/// `{"kind": "logistic_regression", "C": 1.0, ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelSpec {
    LogisticRegression(logistic::LogisticParams),
    Knn(knn::KnnParams),
    NaiveBayes(bayes::NaiveBayesParams),
    LinearRegression(linear::LinearRegressionParams),
    Ridge(linear::RidgeParams),
    Lasso(lasso::LassoParams),
    DecisionTree(tree::TreeParams),
    RandomForest(forest::ForestParams),
    SelfTraining(semi::SelfTrainingParams),
    GradientBoosting(boosting::BoostingParams),
    Mlp(mlp::MlpParams),
    Autoencoder(autoencoder::AutoencoderParams),
    Kmeans(crate::cluster::kmeans::KMeansParams),
    Dbscan(crate::cluster::dbscan::DbscanParams),
    Pca(crate::embed::pca::PcaParams),
    Tsne(crate::embed::tsne::TsneParams),
    Umap(crate::embed::umap::UmapParams),
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::LogisticRegression(Default::default())
    }
}

impl ModelSpec {
    pub fn kind(&self) -> &'static str {
        match self {
            ModelSpec::LogisticRegression(_) => "logistic_regression",
            ModelSpec::Knn(_) => "knn",
            ModelSpec::NaiveBayes(_) => "naive_bayes",
            ModelSpec::LinearRegression(_) => "linear_regression",
            ModelSpec::Ridge(_) => "ridge",
            ModelSpec::Lasso(_) => "lasso",
            ModelSpec::DecisionTree(_) => "decision_tree",
            ModelSpec::RandomForest(_) => "random_forest",
            ModelSpec::SelfTraining(_) => "self_training",
            ModelSpec::GradientBoosting(_) => "gradient_boosting",
            ModelSpec::Mlp(_) => "mlp",
            ModelSpec::Autoencoder(_) => "autoencoder",
            ModelSpec::Kmeans(_) => "kmeans",
            ModelSpec::Dbscan(_) => "dbscan",
            ModelSpec::Pca(_) => "pca",
            ModelSpec::Tsne(_) => "tsne",
            ModelSpec::Umap(_) => "umap",
        }
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            ModelSpec::LogisticRegression(p) => p.validate(),
            ModelSpec::Knn(p) => p.validate(),
            ModelSpec::NaiveBayes(p) => p.validate(),
            ModelSpec::LinearRegression(p) => p.validate(),
            ModelSpec::Ridge(p) => p.validate(),
            ModelSpec::Lasso(p) => p.validate(),
            ModelSpec::DecisionTree(p) => p.validate(),
            ModelSpec::RandomForest(p) => p.validate(),
            ModelSpec::SelfTraining(p) => p.validate(),
            ModelSpec::GradientBoosting(p) => p.validate(),
            ModelSpec::Mlp(p) => p.validate(),
            ModelSpec::Autoencoder(p) => p.validate(),
            ModelSpec::Kmeans(p) => p.validate(),
            ModelSpec::Dbscan(p) => p.validate(),
            ModelSpec::Pca(p) => p.validate(),
            ModelSpec::Tsne(p) => p.validate(),
            ModelSpec::Umap(p) => p.validate(),
        }
    }

    /// Clusterings and projections: fitted on the features alone (`unsupervised::make`).
    pub fn is_unsupervised(&self) -> bool {
        crate::unsupervised::family(self.kind()) != crate::unsupervised::Family::Supervised
    }

    /// How this kind wants its features (trees read raw values and categories).
    pub fn encoding(&self) -> Encoding {
        match self {
            ModelSpec::DecisionTree(_) | ModelSpec::RandomForest(_) | ModelSpec::GradientBoosting(_) => {
                Encoding::Native
            }
            _ => Encoding::Dense,
        }
    }

    /// Whether the kind routes missing values itself (`Imputer::Keep` allowed).
    pub fn handles_missing(&self) -> bool {
        self.encoding() == Encoding::Native
    }

    /// A trainer for `data`; `seed` (the state's) drives any randomness of the model.
    pub fn trainer(&self, data: &Prepared, seed: u32) -> Result<Box<dyn Trainer>> {
        self.validate()?;
        let info = catalog().into_iter().find(|k| k.kind == self.kind()).expect("every kind is in the catalog");
        if !info.tasks.contains(&data.task) {
            let task = match data.task {
                Task::Classification => "classification",
                Task::Regression => "regression",
            };
            return Err(Error::Data(format!(
                "{} cannot learn this {task} target; pick a model made for {task}",
                self.kind()
            )));
        }
        Ok(match self {
            ModelSpec::LogisticRegression(p) => Box::new(logistic::LogisticTrainer::new(p.clone(), data)?),
            ModelSpec::Knn(p) => {
                let p = p.clone();
                Box::new(FitOnce::new(move |d: &Prepared| knn::KnnModel::fit(&p, d)))
            }
            ModelSpec::NaiveBayes(p) => {
                let p = p.clone();
                Box::new(FitOnce::new(move |d: &Prepared| bayes::NaiveBayesModel::fit(&p, d)))
            }
            ModelSpec::LinearRegression(p) if p.solver == "gradient_descent" => {
                Box::new(linear_gd::GradientTrainer::new(p.clone(), &data.train.x, data.train.y.values())?)
            }
            ModelSpec::LinearRegression(p) => {
                let fit_intercept = p.fit_intercept;
                Box::new(FitOnce::new(move |d: &Prepared| {
                    linear::LinearModel::least_squares(&d.train.x, d.train.y.values(), fit_intercept)
                }))
            }
            ModelSpec::Ridge(p) => {
                let p = p.clone();
                Box::new(FitOnce::new(move |d: &Prepared| {
                    linear::LinearModel::ridge(&d.train.x, d.train.y.values(), p.alpha, p.fit_intercept)
                }))
            }
            ModelSpec::Lasso(p) => Box::new(lasso::LassoTrainer::new(p.clone(), &data.train.x, data.train.y.values())?),
            ModelSpec::DecisionTree(p) => Box::new(tree::TreeTrainer::new(p, data, seed)?),
            ModelSpec::RandomForest(p) => Box::new(forest::ForestTrainer::new(p, data, seed)?),
            ModelSpec::SelfTraining(p) => Box::new(semi::SelfTrainingTrainer::new(p.clone(), data, seed)?),
            ModelSpec::GradientBoosting(p) => Box::new(boosting::BoostingTrainer::new(p.clone(), data, seed)?),
            ModelSpec::Mlp(p) => Box::new(mlp::MlpTrainer::new(p, data, seed)?),
            ModelSpec::Autoencoder(p) => Box::new(autoencoder::AutoencoderTrainer::new(p, data, seed)?),
            _ => {
                return Err(Error::Training(format!(
                    "{} learns without a target; it has no supervised trainer",
                    self.kind()
                )))
            }
        })
    }

    /// The hyperparameters alone, as a JSON object.
    pub fn params_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).expect("params serialise");
        if let Some(o) = v.as_object_mut() {
            o.remove("kind");
        }
        v
    }
}

/// What the page and the CLI know about a kind.
#[derive(Debug, Clone, Serialize)]
pub struct KindInfo {
    pub kind: &'static str,
    pub title: &'static str,
    /// Two plain lines: what it does and when to reach for it.
    pub about: &'static str,
    pub tasks: Vec<Task>,
    pub params: Vec<ParamInfo>,
}

pub fn catalog() -> Vec<KindInfo> {
    vec![
        logistic::info(),
        knn::info(),
        bayes::info(),
        linear::info(),
        linear::ridge_info(),
        lasso::info(),
        tree::info(),
        forest::info(),
        boosting::info(),
        semi::info(),
        mlp::info(),
        autoencoder::info(),
    ]
    .into_iter()
    .chain(crate::unsupervised::catalog())
    .collect()
}

/// What one training step of a kind is called on the page's counter.
pub fn step_unit(kind: &str) -> &'static str {
    match kind {
        "logistic_regression" | "linear_regression" | "mlp" | "autoencoder" | "umap" => "epoch",
        "lasso" => "sweep",
        "decision_tree" => "level",
        "random_forest" => "tree",
        "gradient_boosting" | "self_training" => "round",
        "kmeans" | "tsne" => "iteration",
        _ => "step",
    }
}

/// Parse a model spec from JSON, turning serde's wording into one a student can act on.
pub fn spec_from_json(v: serde_json::Value) -> Result<ModelSpec> {
    let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or("").to_string();
    let known: Vec<&str> = catalog().iter().map(|k| k.kind).collect();
    if !known.contains(&kind.as_str()) {
        return Err(Error::UnknownModel(kind, known.join(", ")));
    }
    serde_json::from_value(v).map_err(|e| Error::param("model", &kind, &format!("valid hyperparameters ({e})")))
}
