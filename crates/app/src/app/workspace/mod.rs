//! The workspace: what the page (`web/`) and the CLI (`bin/`) both do with a state, written
//! once so a link gives the same data, numbers and files in both. Reading the dataset a
//! state names from a loaded table, the CSV of a run's rows, model files in and out of a
//! session, cross-validation and validation curves, and PCA's details for the scree chart.

pub mod csv;

use serde::Serialize;
use serde_json::Value;

use crate::base::error::{Error, Result};
use crate::data::dataset::NO_TARGET;
use crate::data::image_size::ImageGrid;
use crate::data::label::label_column;
use crate::data::{Dataset, Table};
use crate::engine::eval::cross_val::{self, CvResult};
use crate::engine::eval::validation_curve::{self, ValidationCurve};
use crate::engine::session::Session;
use crate::state::AppState;

pub use csv::{csv_field, fitted_rows_csv, predictions_csv};

/// The dataset a state trains on from a loaded table named `name`: the state's target and
/// columns, converted to the task the state asks for.
///
/// The no-target rule: a clustering or projection of a file (an upload, `--data file.csv`)
/// with no target chosen uses every column as a feature, unless the last column clearly is
/// a label (`data::label`), which then only colours the plot; a note says which. Built-in
/// sets keep their own label. A supervised kind with no target is refused.
pub fn dataset(table: &Table, name: &str, state: &AppState) -> Result<Dataset> {
    let unsupervised = state.model.is_unsupervised();
    let is_file = state.dataset.id.starts_with("file:") || state.dataset.csv.is_some();
    let label = || label_column(table).map_or(NO_TARGET, |j| table.columns[j].name.as_str());
    let target = match state.dataset.target.as_deref() {
        None if unsupervised && is_file => Some(label()),
        t => t,
    };
    if target == Some(NO_TARGET) && !unsupervised {
        return Err(Error::Data(format!(
            "{} learns to predict a target column, and the target is '(none)': choose the column to predict",
            state.model.kind()
        )));
    }
    let mut ds = Dataset::from_table_with(name, table, target, &state.columns)?;
    if let Some(size) = state.dataset.image {
        ds.image = Some(ImageGrid::of(table, &ds.target_name, size)?);
    }
    if unsupervised {
        ds.notes.push(if ds.has_target {
            format!(
                "column '{}' colours the plot and is not a feature (choose '(none)' as the target to use it)",
                ds.target_name
            )
        } else {
            "no column is the target: every column is a feature and none colours the plot".into()
        });
    }
    match state.task {
        Some(task) if task != ds.task() && ds.has_target => ds.as_task(task),
        _ => Ok(ds),
    }
}

/// k-fold cross-validation of the state's model on the training rows of its split; rows
/// from `holdout_from` on are a held-out test file (`Session::with_holdout`), never used.
pub fn cross_validate(
    state: &AppState,
    dataset: &Dataset,
    holdout_from: Option<usize>,
    folds: usize,
) -> Result<CvResult> {
    cross_val::cross_validate_with_holdout(state, dataset, holdout_from, folds)
}

/// Train and validation scores of the state's model over `values` of `param` (as
/// `cross_validate`, the same rows as the session).
pub fn validation_curve(
    state: &AppState,
    dataset: &Dataset,
    holdout_from: Option<usize>,
    param: &str,
    values: &[Value],
) -> Result<ValidationCurve> {
    validation_curve::validation_curve_with_holdout(state, dataset, holdout_from, param, values)
}

/// A session as an `mlplay-model` file and back: the model file lives above the engine,
/// so these are written here rather than on `Session` itself.
pub trait ModelFiles: Sized {
    /// The trained model as an `mlplay-model` file (JSON), to reload in the page or apply
    /// to new rows with `mlplay predict`.
    fn save_model(&self) -> Result<String>;
    /// A session from a model file's text and the data it was trained on: the same split
    /// and preprocessing, the saved model, the same metrics, no training.
    fn from_model_file(text: &str, dataset: &Dataset) -> Result<Self>;
}

impl ModelFiles for Session {
    fn save_model(&self) -> Result<String> {
        crate::app::model_file::save(self)
    }

    fn from_model_file(text: &str, dataset: &Dataset) -> Result<Session> {
        crate::app::model_file::restore::session(crate::app::model_file::load(text)?, dataset)
    }
}

/// PCA with every component of a session's fitted rows, for the scree chart and loadings.
#[derive(Debug, Clone, Serialize)]
pub struct PcaDetails {
    pub explained_variance_ratio: Vec<f64>,
    /// The first three components (loadings), one row per component.
    pub components: Vec<Vec<f64>>,
    pub feature_names: Vec<String>,
}

/// The session's own model keeps only the components asked for; the scree chart needs all.
pub fn pca_details(session: &Session) -> Result<PcaDetails> {
    use crate::embed::pca::{Pca, PcaParams};
    let x = &session.data().train.x;
    let all = x.nrows().min(x.ncols()).min(1000) as u32;
    let p = Pca::fit(&PcaParams { n_components: all }, x)?;
    Ok(PcaDetails {
        explained_variance_ratio: p.explained_variance_ratio.to_vec(),
        components: p.components.rows().into_iter().take(3).map(|r| r.to_vec()).collect(),
        feature_names: session.data().feature_names.clone(),
    })
}
