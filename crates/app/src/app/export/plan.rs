//! What every exporter needs to know about an experiment, worked out once from the state
//! and the dataset: which columns are numbers, yes/no words or text, the target and its
//! classes (in mlplay's order), the split, the preprocessing and the model.

use serde_json::Value;

use crate::base::error::{Error, Result};
use crate::data::builtin::{self, Source};
use crate::data::prep::{Encoding, Imputer, PrepSpec};
use crate::data::split::SplitSpec;
use crate::data::{Dataset, Target, Task};
use crate::kinds::{self, family, Family};
use crate::state::{link, AppState};

use super::py;

/// Where the script gets its rows.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    /// A file shipped with mlplay (`www/data/NAME`).
    Builtin { file: String },
    /// A set mlplay generates from the seed (moons, blobs...).
    Generated { id: String },
    /// The user's own file (its name as given).
    UserFile { name: String },
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub kind: String,
    /// Hyperparameters with scikit-learn's names, as in the link.
    pub params: Value,
    pub family: Family,
    pub task: Task,
    pub encoding: Encoding,
    pub target: String,
    /// Numeric features in mlplay's order (yes/no columns among them, read as 1/0).
    pub numbers: Vec<String>,
    pub yes_no: Vec<String>,
    /// Text features (one-hot encoded, or category indices for trees).
    pub categories: Vec<String>,
    /// Class names in mlplay's order (the second is the positive class of a binary task);
    /// empty for regression.
    pub classes: Vec<String>,
    /// Whether the target column holds numbers (classes such as 0/1 compare as numbers).
    pub numeric_classes: bool,
    pub split: SplitSpec,
    pub seed: u32,
    pub prep: PrepSpec,
    pub source: DataSource,
    /// The dataset's id or file name, safe for comments.
    pub title: String,
    /// The share hash (`#v1....`) that opens this experiment in the page.
    pub link: String,
    /// Knobs of a generated set (n_samples, noise, centers, cluster_std).
    pub knobs: builtin::DatasetSpec,
    /// mlplay's part of each row the script reads (after rows with no target are left
    /// out): 0 train, 1 validation, 2 test, 3 not used (left out for a missing value).
    /// Empty for clusterings and projections, which use every row.
    pub assignment: Vec<u8>,
}

/// Each row's part of mlplay's split of `dataset` under `state`, so exported code uses the
/// very rows the playground trained, validated and tested on.
fn assignment(state: &AppState, dataset: &Dataset) -> Result<Vec<u8>> {
    let (kept, idx) = crate::engine::rows::model_rows(state, dataset, None)?;
    let rows = crate::engine::rows::original_rows(dataset, &kept, &idx);
    let mut part = vec![3u8; dataset.n_rows()];
    for (p, rows) in rows.iter().enumerate() {
        rows.iter().for_each(|&r| part[r] = p as u8);
    }
    Ok(part)
}

/// The parts packed four rows to a byte (two bits each, the first row in the high bits),
/// in base64: about a third of a character per row.
pub fn pack_assignment(part: &[u8]) -> String {
    use base64::Engine;
    let bytes: Vec<u8> =
        part.chunks(4).map(|c| c.iter().chain([0u8; 4].iter()).take(4).fold(0u8, |b, &p| (b << 2) | (p & 3))).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl Plan {
    pub fn new(state: &AppState, dataset: &Dataset) -> Result<Plan> {
        state.validate()?;
        // The rows are drawn from the data as given, as the session draws them: the task and
        // the positive class below only relabel it, after the split.
        let given = dataset;
        let kind = state.model.kind().to_string();
        let family = family(&kind);
        let dataset = match state.task {
            Some(t) if t != dataset.task() && family == Family::Supervised => {
                std::borrow::Cow::Owned(dataset.as_task(t)?)
            }
            _ => std::borrow::Cow::Borrowed(dataset),
        };
        let dataset = match family {
            Family::Supervised => crate::state::positive::with_positive(state, dataset)?,
            _ => dataset,
        };
        let task = dataset.task();
        if family == Family::Supervised {
            let info = kinds::get(&kind).expect("every kind is in the registry");
            if !info.tasks.contains(&task) {
                let t = if task == Task::Classification { "classification" } else { "regression" };
                return Err(Error::Data(format!("{kind} cannot learn this {t} target; pick a model made for {t}")));
            }
        }
        if state.prep.imputer == Imputer::Keep && !state.model.handles_missing() {
            return Err(Error::param(
                "imputer",
                "keep",
                &format!("a way to fill missing values: {kind} cannot read them"),
            ));
        }
        let was_text = |name: &str| dataset.profiles.iter().find(|p| p.name == name).is_some_and(|p| p.min.is_none());
        let yes_no = dataset.feature_names.iter().filter(|n| was_text(n)).cloned().collect();
        let (classes, numeric_classes) = match &dataset.target {
            Target::Classes { names, .. } => (names.clone(), !was_text(&dataset.target_name)),
            Target::Values(_) => (vec![], true),
        };
        let id = state.dataset.id.as_str();
        let source = match id.strip_prefix("file:") {
            Some(name) => DataSource::UserFile { name: name.to_string() },
            None => match builtin::find(id)?.source {
                Source::File(f) => DataSource::Builtin { file: f.to_string() },
                // Painted points: scikit-learn cannot make them; the code reads `--data-out`'s file.
                Source::Synthetic if state.dataset.painted.is_some() => DataSource::Generated { id: "painted".into() },
                Source::Synthetic => DataSource::Generated { id: id.to_string() },
            },
        };
        Ok(Plan {
            params: state.model.params_json(),
            encoding: state.model.encoding(),
            family,
            task,
            target: dataset.target_name.clone(),
            numbers: dataset.feature_names.clone(),
            yes_no,
            categories: dataset.categorical.iter().map(|c| c.name.clone()).collect(),
            classes,
            numeric_classes,
            split: state.split,
            seed: state.seed,
            prep: state.prep,
            title: py::comment_text(id.strip_prefix("file:").unwrap_or(id), 60),
            source,
            link: format!("#{}", link::encode(state)),
            knobs: state.dataset.clone(),
            assignment: if family == Family::Supervised { assignment(state, given)? } else { vec![] },
            kind,
        })
    }

    pub fn is_classification(&self) -> bool {
        self.task == Task::Classification
    }

    /// A hyperparameter from the link (`Null` when the kind has no such key).
    pub fn param(&self, key: &str) -> &Value {
        self.params.get(key).unwrap_or(&Value::Null)
    }

    /// The class names as Python literals: numbers for a numeric target, else strings.
    pub fn class_literals(&self) -> Vec<String> {
        self.classes
            .iter()
            .map(|c| match (self.numeric_classes, c.parse::<f64>()) {
                (true, Ok(v)) => py::number(v),
                _ => py::string(c),
            })
            .collect()
    }

    /// The kind's name in plain words, for titles.
    pub fn model_title(&self) -> String {
        kinds::get(&self.kind).map_or_else(|| self.kind.replace('_', " "), |k| k.title.to_string())
    }

    /// The default data path: the shipped file's name, the user's file name, or none.
    pub fn default_data_file(&self) -> Option<String> {
        match &self.source {
            DataSource::Builtin { file } => Some(file.clone()),
            DataSource::UserFile { name } => Some(name.clone()),
            DataSource::Generated { .. } => None,
        }
    }

    /// A file name for the exported code, e.g. `mlplay_iris_logistic_regression.py`.
    pub fn file_stem(&self) -> String {
        format!("mlplay_{}_{}", py::slug(&self.title), self.kind)
    }
}
