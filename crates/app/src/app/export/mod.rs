//! Export an experiment as code to run outside the browser: a scikit-learn script, the
//! same as a Jupyter notebook, or a PySpark (Spark MLlib) script for a cluster. The code
//! repeats the playground's steps (read, split, prepare, train, score) with comments in the
//! course's words; column and class names enter it only as escaped string literals (`py`).
//!
//! ```
//! use mlplay_app::data::builtin::{load, DatasetSpec};
//! use mlplay_app::app::export::{export, ExportTarget};
//! use mlplay_app::state::AppState;
//!
//! let state = AppState::default(); // logistic regression on iris
//! let data = load(&DatasetSpec::default(), None, state.seed).unwrap();
//! let code = export(&state, &data, ExportTarget::Sklearn).unwrap();
//! assert!(code.text.contains("LogisticRegression(") && code.file_name.ends_with(".py"));
//! ```

mod doc;
mod plan;
pub use crate::base::py;
mod sklearn;
mod sklearn_code;
pub mod sklearn_model;
mod spark;
mod spark_code;
pub mod spark_model;

use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::data::Dataset;
use crate::state::AppState;
use plan::{DataSource, Plan};

/// What to export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportTarget {
    /// A Python script using scikit-learn and pandas.
    Sklearn,
    /// The same steps as a Jupyter notebook (nbformat 4).
    Notebook,
    /// A PySpark script using Spark MLlib, for spark-submit or local mode.
    Spark,
}

impl ExportTarget {
    /// `sklearn`, `notebook` or `spark` (the CLI's `--to` and the page's names).
    pub fn parse(name: &str) -> Result<ExportTarget> {
        match name.trim() {
            "sklearn" | "scikit-learn" => Ok(ExportTarget::Sklearn),
            "notebook" | "ipynb" | "jupyter" => Ok(ExportTarget::Notebook),
            "spark" | "pyspark" => Ok(ExportTarget::Spark),
            other => Err(Error::param("to", other, "sklearn, notebook or spark")),
        }
    }
}

/// Exported code and the file name to save it under.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exported {
    pub text: String,
    /// e.g. `mlplay_iris_logistic_regression.py` (`.ipynb` for a notebook,
    /// `_spark.py` for Spark).
    pub file_name: String,
}

/// The experiment of `state` on `dataset` (the table the state's link refers to, as the
/// page and `mlplay run` load it) as code for `target`. Fails, with the message the page
/// would show, when the state could not be trained as it is (a kind that does not fit the
/// target, a bad hyperparameter).
pub fn export(state: &AppState, dataset: &Dataset, target: ExportTarget) -> Result<Exported> {
    let plan = Plan::new(state, dataset)?;
    let stem = plan.file_stem();
    Ok(match target {
        ExportTarget::Sklearn => Exported { text: sklearn::program(&plan)?.script(), file_name: format!("{stem}.py") },
        ExportTarget::Notebook => {
            Exported { text: sklearn::program(&plan)?.notebook(), file_name: format!("{stem}.ipynb") }
        }
        ExportTarget::Spark => {
            Exported { text: spark::program(&plan)?.script(), file_name: format!("{stem}_spark.py") }
        }
    })
}

/// Replace each `(mark, text)` in `template`.
fn fill(template: &str, marks: &[(&str, &str)]) -> String {
    marks.iter().fold(template.to_string(), |t, (m, v)| t.replace(m, v))
}

/// Where the data comes from, for the usage note (comment-safe).
fn source_note(plan: &Plan) -> String {
    match &plan.source {
        DataSource::Builtin { file } => format!("default: {file}, the file the page uses (www/data/{file} in mlplay's repository)."),
        DataSource::UserFile { name } => format!("default: {}, the file this experiment was made with.", py::comment_text(name, 60)),
        DataSource::Generated { id } => format!(
            "mlplay generates the {} data from the seed; write its exact rows with mlplay export --link ... --data-out data.csv",
            py::comment_text(id, 20)
        ),
    }
}
