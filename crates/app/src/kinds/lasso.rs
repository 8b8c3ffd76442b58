//! The lasso.

use super::{Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::lasso::{self, LassoParams, LassoTrainer};
use crate::models::Trainer;
use super::export::{python, spark_xy, typed, Estimator, SparkModel};
use crate::base::py;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "lasso",
    title: "Lasso regression",
    about: "Linear regression that sets the weights of unhelpful features to exactly zero (an L1 penalty). \
            Use it to find the few features that matter.",
    glossary: "Linear regression with an L1 penalty (strength alpha) that pushes unhelpful weights to exactly zero, so \
               it also picks features.",
    tasks: &[Task::Regression],
    family: Family::Supervised,
    anomaly: false,
    views: &[],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "sweep",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: lasso::param_info,
    sweep: Some(Sweep { param: "alpha", lo: 1e-3, hi: 1e3, descending: true }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::linear::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for LassoParams {
    fn validate(&self) -> Result<()> {
        LassoParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, _seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(
            LassoTrainer::new(self.clone(), &data.train.x, data.train.y.values())
                .map(|t| Box::new(t) as Box<dyn Trainer>),
        )
    }
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: LassoParams = typed(KIND.name, params)?;
    Ok(Estimator::new("sklearn.linear_model", "Lasso", ABOUT)
        .set("alpha", &p.alpha)
        .set("max_iter", &p.max_iter)
        .set("tol", &p.tol)
        .set("fit_intercept", &p.fit_intercept))
}

fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: LassoParams = typed(KIND.name, params)?;
    let mut args = spark_xy();
    args.push(("fitIntercept", python(&p.fit_intercept)));
    args.push(("regParam", py::number(p.alpha)));
    args.push(("elasticNetParam", "1.0".into()));
    args.push(("maxIter", p.max_iter.to_string()));
    args.push(("tol", py::number(p.tol)));
    args.push(("standardization", "False".into()));
    Ok(super::linear_regression::spark_linear(&args, task, ABOUT).note(
        "Lasso is linear regression with an L1 penalty (elasticNetParam=1); Spark's regParam is scikit-learn's alpha.",
    ))
}

const ABOUT: &str =
    "Lasso is linear regression with an L1 penalty: alpha times the sum of the weights' sizes is added \
    to the error, which pushes unhelpful weights to exactly zero, so the model also picks features.";
