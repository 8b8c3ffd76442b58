//! Principal component analysis.

use ndarray::Array2;

use super::{Describe, Family, Kind, Sizes, ANY_TASK};
use crate::base::error::Result;
use crate::data::prep::Encoding;
use crate::embed::pca::{self, Pca, PcaParams};
use crate::unsupervised::Unsupervised;

pub const KIND: Kind = Kind {
    name: "pca",
    title: "PCA (principal components)",
    about: "Rotates the data onto the directions along which it varies most. The first few components often keep \
            most of the information in far fewer columns; exact and fast.",
    glossary: "Principal component analysis: new axes along which the data varies most, each at right angles to the \
               previous ones. Keeping the first few compresses the data with the least loss.",
    tasks: ANY_TASK,
    family: Family::Projection,
    anomaly: false,
    score: None,
    step_unit: "step",
    curve: Some((
        "no loss",
        "PCA is exact and fits in one step: there is no curve to show.",
    )),
    gpu: false,
    encoding: Encoding::Dense,
    params: pca::param_info,
    sweep: None,
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::embed::pca::load(v, f).map(super::Fitted::Placer),
    sklearn: None,
    spark: None,
};

impl Describe for PcaParams {
    fn validate(&self) -> Result<()> {
        PcaParams::validate(self)
    }

    fn fitter(&self, _x: &Array2<f64>, _seed: u32) -> Option<Result<Box<dyn Unsupervised>>> {
        Some(Pca::new(self).map(|f| Box::new(f) as Box<dyn Unsupervised>))
    }

    /// The centred copy and its singular vectors.
    fn memory(&self, s: Sizes) -> u64 {
        2 * s.matrix()
    }
}
