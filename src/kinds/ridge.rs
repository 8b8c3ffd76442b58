//! Ridge regression.

use super::{Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::linear::{self, LinearModel, RidgeParams};
use crate::models::{FitOnce, Trainer};

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
    sklearn: None,
    spark: None,
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
