//! The multilayer perceptron.

use super::{Describe, Family, Kind, Sizes, Sweep, ANY_TASK, F64};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::mlp::{self, MlpParams, MlpTrainer};
use crate::models::Trainer;

pub const KIND: Kind = Kind {
    name: "mlp",
    title: "Neural network (MLP)",
    about: "Layers of units, each a weighted sum passed through a bend (relu, tanh...), trained by nudging every \
            weight downhill batch after batch. Can draw almost any boundary, given data, tuning and patience.",
    glossary: "Layers of units, each a weighted sum passed through a bend (relu, tanh...), trained by gradient descent \
               on the loss. Can learn almost any boundary, given data and tuning.",
    tasks: ANY_TASK,
    family: Family::Supervised,
    anomaly: false,
    score: None,
    step_unit: "epoch",
    curve: None,
    gpu: true,
    encoding: Encoding::Dense,
    params: mlp::param_info,
    sweep: Some(Sweep { param: "alpha", lo: 1e-5, hi: 10.0, descending: true }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::mlp::load(v, f).map(super::Fitted::Supervised),
    sklearn: None,
    spark: None,
};

impl Describe for MlpParams {
    fn validate(&self) -> Result<()> {
        MlpParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(MlpTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// Activations of a batch are small; the rows' predictions for the loss are not.
    fn memory(&self, s: Sizes) -> u64 {
        network_bytes(s)
    }
}

pub(super) fn network_bytes(s: Sizes) -> u64 {
    s.rows * s.n_out.max(s.features) * F64 * 2
}
