//! Supervised models. Every kind trains through `Trainer::step`, one epoch (or tree, or
//! round) at a time, so the page can animate any of them and stop early.

pub mod autoencoder;
pub mod bayes;
pub mod boosting;
pub mod boosting_hist;
mod boosting_importance;
mod boosting_train;
pub mod boosting_tree;
pub mod cnn;
pub mod cnn_net;
pub mod descent;
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
use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::data::prep::{Part, Prepared};

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
    /// Convolutional networks: what each layer makes of one (preprocessed) row, for the
    /// page's look inside.
    fn look_inside(&self, _row: &[f64]) -> Option<cnn::Inside> {
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
    /// The cnn: its training job from the current weights on, for the GPU.
    fn cnn_job(&self, _data: &Prepared) -> Option<cnn::gpu::CnnJob> {
        None
    }
    /// The cnn: record an epoch the GPU ran (as `apply_epoch` for the MLP).
    fn apply_cnn_epoch(
        &mut self,
        _data: &Prepared,
        _epoch: &mlp_fit::EpochReport,
        _net: Option<cnn_net::CnnNet>,
    ) -> Result<StepReport> {
        Err(Error::Training("this model trains on the CPU only".into()))
    }
    /// The cnn: take over weights read back from the GPU.
    fn set_cnn_network(&mut self, _net: cnn_net::CnnNet) -> Result<()> {
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
