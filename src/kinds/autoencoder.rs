//! The autoencoder, the first anomaly detector: an anomaly kind sets `anomaly: true` and
//! its model answers `Model::anomaly_scores`.

use super::{Describe, Family, Kind, Sizes, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::autoencoder::{self, AutoencoderParams, AutoencoderTrainer};
use crate::models::Trainer;

pub const KIND: Kind = Kind {
    name: "autoencoder",
    title: "Autoencoder (anomaly detection)",
    about: "A network that learns to squeeze each row through a narrow layer and rebuild it, without looking at any \
            label. Rows it rebuilds badly are unusual: it flags anomalies no one labelled for it.",
    glossary: "A network trained to rebuild each row through a narrow middle layer, without labels. Rows it rebuilds \
               badly (a large reconstruction error) are unusual: above the threshold they are flagged as anomalies.",
    tasks: &[Task::Classification],
    family: Family::Supervised,
    anomaly: true,
    score: Some((
        "reconstruction error",
        "The autoencoder squeezes each row through its narrow middle layer and rebuilds it. The mean squared \
             difference between the row and its rebuild (on the scaled features) is its reconstruction error: rows \
             unlike the training data are rebuilt badly.",
    )),
    step_unit: "epoch",
    curve: None,
    gpu: true,
    encoding: Encoding::Dense,
    params: autoencoder::param_info,
    sweep: Some(Sweep { param: "alpha", lo: 1e-5, hi: 10.0, descending: true }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::autoencoder::load(v, f).map(super::Fitted::Supervised),
    sklearn: None,
    spark: None,
};

impl Describe for AutoencoderParams {
    fn validate(&self) -> Result<()> {
        AutoencoderParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(AutoencoderTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    fn memory(&self, s: Sizes) -> u64 {
        super::mlp::network_bytes(s)
    }
}
