//! Ridge regression.

use super::{Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::linear::{self, LinearModel, RidgeParams};
use crate::models::{FitOnce, Trainer};
use super::export::{python, spark_xy, typed, Estimator, SparkModel};
use crate::base::py;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "ridge",
    title: "Ridge regression",
    about: "Linear regression that also keeps the weights small (an L2 penalty). Steadier than plain linear \
            regression when features are many, noisy or strongly related to each other.",
    glossary: "Linear regression that also keeps the weights small (L2 penalty, strength alpha), which steadies it \
               when features are many or related.",
    tasks: &[Task::Regression],
    family: Family::Supervised,
    anomaly: false,
    views: &[],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "step",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: linear::ridge_param_info,
    sweep: Some(Sweep { param: "alpha", lo: 1e-3, hi: 1e3, descending: true }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::linear::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for RidgeParams {
    fn validate(&self) -> Result<()> {
        RidgeParams::validate(self)
    }

    fn trainer(&self, _data: &Prepared, _seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        let p = self.clone();
        Some(Ok(Box::new(FitOnce::new(move |d: &Prepared| {
            LinearModel::ridge(&d.train.x, d.train.y.values(), p.alpha, p.fit_intercept)
        }))))
    }
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: RidgeParams = typed(KIND.name, params)?;
    Ok(Estimator::new("sklearn.linear_model", "Ridge", ABOUT).set("alpha", &p.alpha).set("fit_intercept", &p.fit_intercept))
}

fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: RidgeParams = typed(KIND.name, params)?;
    let mut args = spark_xy();
    args.push(("fitIntercept", python(&p.fit_intercept)));
    args.push(("regParam", format!("{} / n_train", py::number(p.alpha))));
    args.push(("elasticNetParam", "0.0".into()));
    args.push(("standardization", "False".into()));
    Ok(super::linear_regression::spark_linear(&args, task, ABOUT).note(
        "Ridge is linear regression with an L2 penalty (elasticNetParam=0); Spark writes the penalty per training row, so regParam = alpha / rows.",
    ))
}

const ABOUT: &str = "Ridge regression is linear regression with an L2 penalty: alpha times the sum of the squared \
    weights is added to the error, which keeps the weights small and the model steadier when features are correlated.";
