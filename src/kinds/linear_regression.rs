//! Linear regression (least squares, or gradient descent to watch it settle).

use super::{Describe, Family, Kind};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::linear::{self, LinearModel, LinearRegressionParams};
use crate::models::linear_gd::GradientTrainer;
use crate::models::{FitOnce, Trainer};

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
    sklearn: None,
    spark: None,
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
