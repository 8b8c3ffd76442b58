//! Linear regression (least squares, or gradient descent to watch it settle).

use super::{Describe, Family, Kind};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::linear::{self, LinearModel, LinearRegressionParams};
use crate::models::linear_gd::GradientTrainer;
use crate::models::{FitOnce, Trainer};
use super::export::{python, spark_call, spark_import, spark_xy, typed, Estimator, SparkModel};
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "linear_regression",
    title: "Linear regression",
    about: "Predicts a number as a weighted sum of the features plus an offset, choosing the weights that \
            make the squared errors smallest. The first model to try for a numeric target.",
    glossary: "Predicts a number as a weighted sum of the features, with the weights that make the squared errors as \
               small as possible.",
    tasks: &[Task::Regression],
    family: Family::Supervised,
    anomaly: false,
    views: &[],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "epoch",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: linear::param_info,
    // Nothing worth sweeping.
    sweep: None,
    no_sweep: true,
    self_training_base: false,
    loader: |v, f| crate::models::linear::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for LinearRegressionParams {
    fn validate(&self) -> Result<()> {
        LinearRegressionParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, _seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        if self.solver == "gradient_descent" {
            return Some(
                GradientTrainer::new(self.clone(), &data.train.x, data.train.y.values())
                    .map(|t| Box::new(t) as Box<dyn Trainer>),
            );
        }
        let fit_intercept = self.fit_intercept;
        Some(Ok(Box::new(FitOnce::new(move |d: &Prepared| {
            LinearModel::least_squares(&d.train.x, d.train.y.values(), fit_intercept)
        }))))
    }
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: LinearRegressionParams = typed(KIND.name, params)?;
    let e = Estimator::new("sklearn.linear_model", "LinearRegression", ABOUT).set("fit_intercept", &p.fit_intercept);
    Ok(if p.solver == "gradient_descent" {
        e.note(
            "mlplay's gradient_descent solver walks downhill for max_iter epochs so the page can show the \
                line settling; scikit-learn solves for the best line directly (least squares), where the \
                walk ends once it has converged.",
        )
    } else {
        e
    })
}

fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: LinearRegressionParams = typed(KIND.name, params)?;
    let mut args = spark_xy();
    args.push(("fitIntercept", python(&p.fit_intercept)));
    args.push(("regParam", "0.0".into()));
    args.push(("solver", "\"normal\"".into()));
    Ok(spark_linear(&args, task, ABOUT))
}

/// MLlib's `LinearRegression`, which ridge and lasso also become (with a penalty).
pub(super) fn spark_linear(args: &[(&str, String)], task: Task, about: &str) -> SparkModel {
    let imports = vec![spark_import("regression", "LinearRegression")];
    SparkModel::new(imports, spark_call("LinearRegression", args), about, task == Task::Classification)
}

const ABOUT: &str = "Linear regression predicts the target as a weighted sum of the features plus an intercept, with \
    the weights that make the squared errors on the training rows as small as possible (least squares).";
