//! A trained model as a JSON file (`mlplay-model`, version 1): the experiment's state (as a
//! share link carries it), the preprocessing fitted on the training rows, the fitted
//! parameters, and the training curves. It reloads into the page (same metrics, no
//! retraining) and into `mlplay predict` for new rows.
//!
//! A file is treated as hostile when read: its size is capped, its version checked, and
//! every size, index and number validated (`check.rs`) before a model is built from it.

pub mod check;
pub mod fitted;
mod num;
pub mod predict;
pub mod prep;
pub mod restore;
pub mod unsup;

use serde::{Deserialize, Serialize};

pub use fitted::Fitted;
use prep::SavedPrep;

use crate::base::error::{Error, Result};
use crate::data::Task;
use crate::engine::session::Session;
use crate::metrics::Metrics;
use crate::models::Model;
use crate::state::AppState;

pub const FORMAT: &str = "mlplay-model";
pub const VERSION: u32 = 1;
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
    pub model: Fitted,
    pub training: SavedTraining,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<SavedRows>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The file's fitted-model kind for a state's kind.
fn fitted_kind(kind: &str) -> &'static str {
    match kind {
        "linear_regression" | "ridge" | "lasso" => "linear",
        "logistic_regression" => "logistic",
        "knn" => "knn",
        "naive_bayes" => "naive_bayes",
        "decision_tree" => "decision_tree",
        "random_forest" => "random_forest",
        "gradient_boosting" => "gradient_boosting",
        "mlp" => "mlp",
        "autoencoder" => "autoencoder",
        "self_training" => "self_training",
        "kmeans" => "kmeans",
        "pca" => "pca",
        "dbscan" => "dbscan",
        _ => "embedding",
    }
}

impl Fitted {
    fn kind(&self) -> &'static str {
        match self {
            Fitted::Linear(_) => "linear",
            Fitted::Logistic(_) => "logistic",
            Fitted::Knn(_) => "knn",
            Fitted::NaiveBayes(_) => "naive_bayes",
            Fitted::DecisionTree(_) => "decision_tree",
            Fitted::RandomForest(_) => "random_forest",
            Fitted::GradientBoosting(_) => "gradient_boosting",
            Fitted::Mlp(_) => "mlp",
            Fitted::Autoencoder(_) => "autoencoder",
            Fitted::SelfTraining(_) => "self_training",
            Fitted::Kmeans(_) => "kmeans",
            Fitted::Pca(_) => "pca",
            Fitted::Dbscan(_) => "dbscan",
            Fitted::Embedding(_) => "embedding",
        }
    }
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
    let (model, rows) = match session.unsupervised_fit() {
        Some((fitter, rows)) => {
            let model = fitter.saved(&data.train.x).unwrap_or_else(|| {
                Fitted::Embedding(fitted::SavedEmbedding {
                    method: kind.to_string(),
                    note: fitted::EMBEDDING_NOTE.to_string(),
                })
            });
            if let Fitted::Embedding(_) = model {
                notes.push(fitted::EMBEDDING_NOTE.to_string());
            }
            let embedding = fitter
                .embedding()
                .map(|e| SavedEmbeddingRows { dims: e.ncols(), coordinates: e.iter().copied().collect() });
            // JSON has no NaN: a metric that could not be computed is left out.
            let metrics = fitter.metrics().into_iter().filter(|(_, v)| v.is_finite()).collect();
            (model, Some(SavedRows { count: rows.len(), labels: fitter.labels(), embedding, metrics }))
        }
        None => {
            let m: &dyn Model = session.model().ok_or_else(not_yet)?;
            (m.saved().ok_or_else(|| Error::Training(format!("{kind} cannot be saved to a model file")))?, None)
        }
    };
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
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded").field("file", &self.file).finish_non_exhaustive()
    }
}

fn bad<T>(field: &str, message: impl ToString) -> Result<T> {
    Err(Error::model_file(field, message))
}

/// Read and check a model file.
pub fn load(text: &str) -> Result<Loaded> {
    if text.len() > MAX_BYTES {
        return bad(
            "file",
            format!("{} bytes is larger than the {} MB a model file may have", text.len(), MAX_BYTES >> 20),
        );
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::model_file("file", format!("not valid JSON ({e})")))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(f) => return bad("format", format!("'{f}' is not \"{FORMAT}\"")),
        None => return bad("format", format!("missing; this is not an {FORMAT} file")),
    }
    match value.get("version").and_then(|v| v.as_u64()) {
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
    let file: ModelFile = serde_json::from_value(value)
        .map_err(|e| Error::model_file("file", format!("does not have the layout of an {FORMAT} file ({e})")))?;
    file.state.validate()?;
    let kind = file.state.model.kind();
    if fitted_kind(kind) != file.model.kind() {
        return bad("model.kind", format!("'{}' does not match the state's kind '{kind}'", file.model.kind()));
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
    let ctx =
        check::Context { n_features: file.preprocessing.feature_names.len(), task: t.task, n_classes: t.classes.len() };
    file.model.check(&ctx)?;
    check_training(&file.training)?;
    let unsupervised = file.state.model.is_unsupervised();
    match (&file.rows, unsupervised) {
        (Some(r), true) => check_rows(r)?,
        (None, true) => return bad("rows", format!("missing; {kind} keeps its result on the fitted rows there")),
        _ => {}
    }
    let model = file.model.supervised(&t.classes)?;
    Ok(Loaded { file, model })
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
