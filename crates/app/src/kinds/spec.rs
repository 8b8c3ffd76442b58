//! What a `ModelSpec` (a kind with its hyperparameters) can do, each through its kind's
//! description.

use ndarray::Array2;

use super::{ModelSpec, Sizes};
use crate::base::error::{Error, Result};
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::Trainer;
use crate::unsupervised::Unsupervised;

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::LogisticRegression(Default::default())
    }
}

impl ModelSpec {
    pub fn kind(&self) -> &'static str {
        self.describe().name
    }

    pub fn validate(&self) -> Result<()> {
        self.hooks().validate()
    }

    /// Clusterings and projections: fitted on the features alone (`fitter`).
    pub fn is_unsupervised(&self) -> bool {
        self.describe().family != super::Family::Supervised
    }

    /// How this kind wants its features (trees read raw values and categories).
    pub fn encoding(&self) -> Encoding {
        self.describe().encoding
    }

    /// Whether the kind routes missing values itself (`Imputer::Keep` allowed).
    pub fn handles_missing(&self) -> bool {
        self.encoding() == Encoding::Native
    }

    /// Extra bytes the model needs on top of the data while it trains.
    pub fn memory(&self, sizes: Sizes) -> u64 {
        self.hooks().memory(sizes)
    }

    /// A trainer for `data`; `seed` (the state's) drives any randomness of the model.
    pub fn trainer(&self, data: &Prepared, seed: u32) -> Result<Box<dyn Trainer>> {
        self.validate()?;
        if !self.describe().tasks.contains(&data.task) {
            let task = match data.task {
                Task::Classification => "classification",
                Task::Regression => "regression",
            };
            return Err(Error::Data(format!(
                "{} cannot learn this {task} target; pick a model made for {task}",
                self.kind()
            )));
        }
        self.hooks().trainer(data, seed).unwrap_or_else(|| {
            Err(Error::Training(format!("{} learns without a target; it has no supervised trainer", self.kind())))
        })
    }

    /// Clusterings and projections: the fitter for `x`; `None` for supervised kinds.
    pub fn fitter(&self, x: &Array2<f64>, seed: u32) -> Option<Result<Box<dyn Unsupervised>>> {
        self.hooks().fitter(x, seed)
    }

    /// The hyperparameters alone, as a JSON object.
    pub fn params_json(&self) -> serde_json::Value {
        let mut v = crate::base::json::to_value(self).expect("params serialise");
        if let Some(o) = v.as_object_mut() {
            o.remove("kind");
        }
        v
    }
}
