//! A trained model as a JSON file (`mlplay-model`, version 2): an envelope around the
//! experiment's state (as a share link carries it), the preprocessing fitted on the
//! training rows, the model's own record (`model`: the kind's name and the fields the model
//! serialises itself into) and the training curves. It reloads into the page (same
//! metrics, no retraining) and into `mlplay predict` for new rows. Version 1 files (whose
//! `model.kind` named the record's type rather than the kind) are converted on reading.
//!
//! A file is treated as hostile when read: its size is capped, its version checked, and
//! every size, index and number validated (by the kind's loader, `from_record` beside each
//! model) before a model is built from it.

pub mod predict;
pub mod prep;
pub mod restore;
mod restored;
mod v1;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use prep::SavedPrep;

use crate::base::error::{Error, Result};
use crate::data::Task;
use crate::engine::session::Session;
use crate::kinds::Fitted;
use crate::metrics::Metrics;
use crate::models::record::{self, num, Fit};
use crate::models::Model;
use crate::state::AppState;
use crate::unsupervised::Placer;

pub const FORMAT: &str = "mlplay-model";
pub const VERSION: u32 = 2;
/// Larger files are refused before parsing (a k-NN model on 100,000 x 20 rows is ~40 MB).
pub const MAX_BYTES: usize = 256 << 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTarget {
    pub name: String,
    pub task: Task,
    /// Class names in the order of the model's outputs (empty for regression).
    pub classes: Vec<String>,
}

/// How training went: the page redraws its curves from this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTraining {
    pub steps_done: usize,
    pub steps_total: usize,
    #[serde(with = "num::one")]
    pub fit_ms: f64,
    #[serde(with = "num::many")]
    pub train_loss: Vec<f64>,
    #[serde(with = "num::many")]
    pub validation_loss: Vec<f64>,
}

/// Clusterings and projections: their result on the rows they were fitted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRows {
    /// Dataset rows fitted (after rows with missing values were left out, if asked).
    pub count: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<i32>>,
    /// Coordinates, `count x dims`, row-major.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding: Option<SavedEmbeddingRows>,
    pub metrics: Metrics,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedEmbeddingRows {
    pub dims: usize,
    #[serde(with = "num::many")]
    pub coordinates: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    /// The experiment, as a share link carries it.
    pub state: AppState,
    pub dataset: String,
    pub target: SavedTarget,
    pub preprocessing: SavedPrep,
    pub model: SavedModel,
    pub training: SavedTraining,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<SavedRows>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The fitted model: its kind's name and the record it serialised itself into (read back
/// by that kind's loader).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedModel {
    pub kind: String,
    #[serde(flatten)]
    pub record: serde_json::Map<String, Value>,
}

impl SavedModel {
    fn new(kind: &str, record: Value) -> SavedModel {
        let Value::Object(record) = record else { panic!("{kind}: a model's record is a JSON object") };
        SavedModel { kind: kind.to_string(), record }
    }
}

pub const EMBEDDING_NOTE: &str = "t-SNE and UMAP place only the rows they were fitted on; their coordinates are in \
`rows.embedding` and they cannot place new rows (fit again with the new rows included)";

/// What t-SNE and UMAP keep: nothing to place new rows with, and a note saying so.
#[derive(Serialize, Deserialize)]
struct EmbeddingRecord {
    method: String,
    note: String,
}

/// The session's trained model as a model file (JSON text).
pub fn save(session: &Session) -> Result<String> {
    let state = session.state();
    let data = session.data();
    let kind = state.model.kind();
    let not_yet = || Error::Training(format!("{kind} is not trained yet; train it before saving"));
    if session.steps_done() == 0 {
        return Err(not_yet());
    }
    let mut notes = vec![];
    let (record, rows) = match session.unsupervised_fit() {
        Some((fitter, rows)) => {
            let record = fitter.record(&data.train.x).unwrap_or_else(|| {
                notes.push(EMBEDDING_NOTE.to_string());
                record::to_value(&EmbeddingRecord { method: kind.to_string(), note: EMBEDDING_NOTE.to_string() })
            });
            let embedding = fitter
                .embedding()
                .map(|e| SavedEmbeddingRows { dims: e.ncols(), coordinates: e.iter().copied().collect() });
            // JSON has no NaN: a metric that could not be computed is left out.
            let metrics = fitter.metrics().into_iter().filter(|(_, v)| v.is_finite()).collect();
            (record, Some(SavedRows { count: rows.len(), labels: fitter.labels(), embedding, metrics }))
        }
        None => {
            let m: &dyn Model = session.model().ok_or_else(not_yet)?;
            (m.record().ok_or_else(|| Error::Training(format!("{kind} cannot be saved to a model file")))?, None)
        }
    };
    let model = SavedModel::new(kind, record);
    let snap = session.snapshot();
    let file = ModelFile {
        format: FORMAT.into(),
        version: VERSION,
        state: state.clone(),
        dataset: session.dataset_name().to_string(),
        target: SavedTarget {
            name: session.target_name().to_string(),
            task: data.task,
            classes: data.class_names.clone(),
        },
        preprocessing: SavedPrep::from_fit(&data.preprocessor),
        model,
        training: SavedTraining {
            steps_done: snap.step,
            steps_total: snap.total,
            fit_ms: session.fit_ms(),
            train_loss: snap.train_loss,
            validation_loss: snap.validation_loss,
        },
        rows,
        notes,
    };
    Ok(serde_json::to_string(&file).expect("a model file serialises"))
}

/// A checked model file and the model built from it.
pub struct Loaded {
    pub file: ModelFile,
    /// Supervised kinds; `None` for clusterings and projections.
    pub model: Option<Box<dyn Model>>,
    /// Clusterings and PCA: what places new rows; `None` for the other kinds.
    pub placer: Option<Box<dyn Placer>>,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded").field("file", &self.file).finish_non_exhaustive()
    }
}

fn bad<T>(field: &str, message: impl ToString) -> Result<T> {
    Err(Error::model_file(field, message))
}

/// Read and check a model file (version 2, or 1 converted).
pub fn load(text: &str) -> Result<Loaded> {
    if text.len() > MAX_BYTES {
        return bad(
            "file",
            format!("{} bytes is larger than the {} MB a model file may have", text.len(), MAX_BYTES >> 20),
        );
    }
    let mut value: Value =
        serde_json::from_str(text).map_err(|e| Error::model_file("file", format!("not valid JSON ({e})")))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(f) => return bad("format", format!("'{f}' is not \"{FORMAT}\"")),
        None => return bad("format", format!("missing; this is not an {FORMAT} file")),
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(1) => v1::to_v2(&mut value)?,
        Some(v) if v == VERSION as u64 => {}
        Some(v) if v > VERSION as u64 => {
            return bad("version", format!("{v} was written by a newer mlplay; this one reads version {VERSION}"))
        }
        _ => {
            return bad(
                "version",
                format!("{} is not a known version (this mlplay reads version {VERSION})", value["version"]),
            )
        }
    }
    let file: ModelFile = serde_json::from_value(value).map_err(|e| record::layout_error(&e))?;
    file.state.validate()?;
    let kind = file.state.model.kind();
    let Some(load_record) = crate::kinds::get(&file.model.kind).map(|k| k.loader) else {
        return Err(record::layout_error(&format!("unknown model kind '{}'", file.model.kind)));
    };
    if file.model.kind != kind {
        return bad("model.kind", format!("'{}' does not match the state's kind '{kind}'", file.model.kind));
    }
    let t = &file.target;
    match t.task {
        Task::Classification if t.classes.len() < 2 => {
            return bad("target.classes", "a classifier needs at least two classes")
        }
        Task::Regression if !t.classes.is_empty() => {
            return bad("target.classes", "a regression target has no classes")
        }
        _ => {}
    }
    file.preprocessing.check()?;
    let fit = Fit { n_features: file.preprocessing.feature_names.len(), task: t.task, classes: &t.classes };
    let fitted = load_record(Value::Object(file.model.record.clone()), &fit)?;
    check_training(&file.training)?;
    let unsupervised = file.state.model.is_unsupervised();
    match (&file.rows, unsupervised) {
        (Some(r), true) => check_rows(r)?,
        (None, true) => return bad("rows", format!("missing; {kind} keeps its result on the fitted rows there")),
        _ => {}
    }
    let (model, placer) = match fitted {
        Fitted::Supervised(m) => (Some(m), None),
        Fitted::Placer(p) => (None, Some(p)),
        Fitted::EmbeddingOnly => {
            record::parse::<EmbeddingRecord>(Value::Object(file.model.record.clone()))?;
            (None, None)
        }
    };
    Ok(Loaded { file, model, placer })
}

fn check_training(t: &SavedTraining) -> Result<()> {
    if t.steps_done == 0 || t.steps_done > t.steps_total {
        return bad(
            "training.steps_done",
            format!("{} is not between 1 and steps_total ({})", t.steps_done, t.steps_total),
        );
    }
    Ok(())
}

fn check_rows(r: &SavedRows) -> Result<()> {
    if let Some(l) = &r.labels {
        if l.len() != r.count {
            return bad("rows.labels", format!("holds {} labels for {} rows", l.len(), r.count));
        }
    }
    if let Some(e) = &r.embedding {
        if e.dims == 0 {
            return bad("rows.embedding.dims", "is 0");
        }
        if Some(e.coordinates.len()) != r.count.checked_mul(e.dims) {
            return bad(
                "rows.embedding.coordinates",
                format!("holds {} values for {} rows of {}", e.coordinates.len(), r.count, e.dims),
            );
        }
    }
    Ok(())
}
