//! Supervised models. Every kind trains through `Trainer::step`, one epoch (or tree, or
//! round) at a time, so the page can animate any of them and stop early.

pub mod logistic;
pub mod params;

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::data::prep::Prepared;
use crate::data::Task;
use crate::error::{Error, Result};
use params::ParamInfo;

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
    fn model(&self) -> &dyn Model;
}

/// A model kind with its hyperparameters, as stored in the state and the link:
/// `{"kind": "logistic_regression", "C": 1.0, ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelSpec {
    LogisticRegression(logistic::LogisticParams),
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
        }
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            ModelSpec::LogisticRegression(p) => p.validate(),
        }
    }

    pub fn trainer(&self, data: &Prepared) -> Result<Box<dyn Trainer>> {
        self.validate()?;
        let info = catalog().into_iter().find(|k| k.kind == self.kind()).expect("every kind is in the catalog");
        if !info.tasks.contains(&data.task) {
            let task = match data.task {
                Task::Classification => "classification",
                Task::Regression => "regression",
            };
            return Err(Error::Data(format!("{} cannot learn this {task} target; pick a model made for {task}", self.kind())));
        }
        Ok(match self {
            ModelSpec::LogisticRegression(p) => Box::new(logistic::LogisticTrainer::new(p.clone(), data)?),
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
    vec![logistic::info()]
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
