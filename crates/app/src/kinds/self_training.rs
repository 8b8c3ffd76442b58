//! Self-training around a base classifier from the registry.

use super::{View, self_training_bases, spec_from_json, Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::semi::{self, SelfTrainingParams, SelfTrainingTrainer};
use crate::models::Trainer;
use super::export::{self, typed, Estimator, SparkModel};
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "self_training",
    title: "Self-training (semi-supervised)",
    about: "Learns from a few labelled rows, then labels the rest itself where it is confident and learns again. \
            Useful when labels are scarce; confident mistakes can snowball, so compare with the labelled-only baseline.",
    glossary: "A semi-supervised method: train on the rows that have labels, then label the unlabelled rows the model \
               is confident about, and train again.",
    tasks: &[Task::Classification],
    family: Family::Supervised,
    anomaly: false,
    views: &[View::SelfTraining],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "round",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: || semi::param_info(self_training_bases()),
    sweep: Some(Sweep { param: "threshold", lo: 0.5, hi: 0.95, descending: false }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::semi::load(v, f, &super::load_base).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for SelfTrainingParams {
    fn validate(&self) -> Result<()> {
        SelfTrainingParams::validate(self, self_training_bases())
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        // The base, with its default hyperparameters, handed down as a trainer factory.
        let base = match spec_from_json(serde_json::json!({ "kind": self.estimator })) {
            Ok(b) => b,
            Err(e) => return Some(Err(e)),
        };
        let make = Box::new(move |d: &Prepared, seed: u32| base.trainer(d, seed));
        Some(SelfTrainingTrainer::new(self.clone(), data, seed, make).map(|t| Box::new(t) as Box<dyn Trainer>))
    }
}

/// The base classifier's kind and its default hyperparameters.
fn base(p: &SelfTrainingParams) -> Result<Value> {
    Ok(spec_from_json(serde_json::json!({ "kind": p.estimator }))?.params_json())
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: SelfTrainingParams = typed(KIND.name, params)?;
    let base = export::estimator(&p.estimator, &base(&p)?, Task::Classification)?;
    let mut e = Estimator::new("sklearn.semi_supervised", "SelfTrainingClassifier", ABOUT)
        .arg("estimator", base.call())
        .set("threshold", &p.threshold)
        .set("max_iter", &p.max_iter);
    e.import = format!("{}\n{}", base.import, e.import);
    e.notes = base.notes.iter().map(|n| format!("The base model: {n}")).collect();
    Ok(e)
}

fn spark(params: &Value, task: Task, n_classes: usize) -> Result<SparkModel> {
    let p: SelfTrainingParams = typed(KIND.name, params)?;
    let mut s = export::spark_model(&p.estimator, &base(&p)?, task, n_classes)?;
    s.notes.insert(
        0,
        format!(
            "Spark MLlib has no self-training. This script trains the base model ({}) on every training label; \
             to learn from a few labels as mlplay did, hide most of them and repeat: fit, predict the unlabelled \
             rows, keep the confident predictions as labels, fit again.",
            p.estimator.replace('_', " ")
        ),
    );
    Ok(s)
}

const ABOUT: &str =
    "Self-training is semi-supervised learning: a classifier learns from the few labelled rows, \
    then labels the unlabelled rows it is sure about (probability above threshold) and learns again from both, for \
    at most max_iter rounds.";
