//! The datasets that ship with mlplay. File-based sets live in `www/data/` and are
//! fetched lazily by the page; the native CLI has them compiled in.

use serde::{Deserialize, Serialize};

use super::{csv, synth, Dataset};
use crate::error::{Error, Result};
use crate::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A CSV file under `data/` in the site.
    File(&'static str),
    /// Generated from the seed and the size/noise settings.
    Synthetic,
}

#[derive(Debug, Clone, Serialize)]
pub struct Builtin {
    pub id: &'static str,
    pub title: &'static str,
    pub source: Source,
    pub about: &'static str,
}

pub const BUILTINS: &[Builtin] = &[
    Builtin {
        id: "iris",
        title: "Iris flowers",
        source: Source::File("iris.csv"),
        about: "Sepal and petal sizes of three iris species; a classic first classification task.",
    },
    Builtin {
        id: "moons",
        title: "Two moons (2-D)",
        source: Source::Synthetic,
        about: "Two interleaved half circles: no straight line separates them.",
    },
];

/// Which dataset a state refers to, with the knobs of the synthetic generators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DatasetSpec {
    pub id: String,
    /// Rows to generate (synthetic sets only).
    pub n_samples: u32,
    /// Standard deviation of the noise added to synthetic points.
    pub noise: f64,
    /// Column to predict; `None` means the last column.
    pub target: Option<String>,
}

impl Default for DatasetSpec {
    fn default() -> Self {
        DatasetSpec { id: "iris".into(), n_samples: 300, noise: 0.2, target: None }
    }
}

pub const MAX_SYNTH_SAMPLES: u32 = 1_000_000;

impl DatasetSpec {
    pub fn validate(&self) -> Result<()> {
        // "file:NAME" refers to a file the user supplies rather than a built-in set.
        if !self.id.starts_with("file:") {
            find(&self.id)?;
        }
        if self.n_samples < 10 || self.n_samples > MAX_SYNTH_SAMPLES {
            return Err(Error::param("n_samples", self.n_samples, &format!("10 to {MAX_SYNTH_SAMPLES}")));
        }
        if !(0.0..=5.0).contains(&self.noise) {
            return Err(Error::param("noise", self.noise, "0 to 5"));
        }
        Ok(())
    }
}

pub fn find(id: &str) -> Result<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id).ok_or_else(|| {
        Error::UnknownDataset(id.to_string(), BUILTINS.iter().map(|b| b.id).collect::<Vec<_>>().join(", "))
    })
}

/// The file the page must fetch for this set, if it is file-based.
pub fn file_of(id: &str) -> Result<Option<&'static str>> {
    Ok(match find(id)?.source {
        Source::File(f) => Some(f),
        Source::Synthetic => None,
    })
}

/// Build the dataset. `file_text` is the CSV for file-based sets (the page fetches it;
/// natively it may be `None` and the compiled-in copy is used).
pub fn load(spec: &DatasetSpec, file_text: Option<&str>, seed: u32) -> Result<Dataset> {
    spec.validate()?;
    let b = find(&spec.id)?;
    match b.source {
        Source::Synthetic => {
            let mut rng = Rng::derive(seed as u64, 1);
            Ok(synth::two_moons(spec.n_samples as usize, spec.noise, &mut rng))
        }
        Source::File(file) => {
            let text = match file_text {
                Some(t) => t,
                None => compiled_in(file)?,
            };
            Dataset::from_table(b.id, &csv::parse(text)?, spec.target.as_deref())
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn compiled_in(file: &str) -> Result<&'static str> {
    match file {
        "iris.csv" => Ok(include_str!("../../www/data/iris.csv")),
        _ => Err(Error::Io(format!("data file {file} is not compiled in"))),
    }
}

// The browser build stays small: it fetches files instead.
#[cfg(target_arch = "wasm32")]
fn compiled_in(file: &str) -> Result<&'static str> {
    Err(Error::Io(format!("data file {file} was not loaded")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_loads_with_three_classes() {
        let d = load(&DatasetSpec::default(), None, 0).unwrap();
        assert_eq!(d.n_rows(), 150);
        assert_eq!(d.feature_names.len(), 4);
        assert_eq!(d.class_names(), ["setosa", "versicolor", "virginica"]);
    }

    #[test]
    fn unknown_id_lists_the_builtins() {
        let spec = DatasetSpec { id: "nope".into(), ..Default::default() };
        assert_eq!(load(&spec, None, 0).unwrap_err(), Error::UnknownDataset("nope".into(), "iris, moons".into()));
    }
}
