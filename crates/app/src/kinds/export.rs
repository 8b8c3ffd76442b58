//! A kind's export mappings: the scikit-learn estimator and the Spark MLlib estimator it
//! becomes in an exported script (`app::export` writes the rest of the script). Every kind
//! writes its own in `Kind::sklearn` / `Kind::spark`, reading the link's hyperparameters
//! through its typed struct (`typed`), so a renamed field breaks the build there rather
//! than vanishing from the script. `tests/kinds.rs` checks that every hyperparameter
//! reaches a mapping.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::base::error::{Error, Result};
use crate::base::py;
use crate::data::Task;

/// The scikit-learn mapping: the link's hyperparameters and the target's task.
pub type SklearnMap = fn(&Value, Task) -> Result<Estimator>;
/// The Spark mapping: hyperparameters, task and number of classes (0 for regression).
pub type SparkMap = fn(&Value, Task, usize) -> Result<SparkModel>;

/// A constructor call with its import and what to tell the reader about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimator {
    /// e.g. `from sklearn.linear_model import LogisticRegression`
    pub import: String,
    pub class: String,
    /// Keyword arguments as Python source.
    pub args: Vec<(String, String)>,
    /// What the model does, in the course's words.
    pub about: String,
    /// Where scikit-learn's version differs from mlplay's.
    pub notes: Vec<String>,
    /// Python source defining the class, when scikit-learn has none (empty otherwise).
    pub define: String,
}

impl Estimator {
    pub fn new(module: &str, class: &str, about: &str) -> Estimator {
        Estimator {
            import: format!("from {module} import {class}"),
            class: class.into(),
            args: vec![],
            about: about.into(),
            notes: vec![],
            define: String::new(),
        }
    }

    /// The call, on one line or one argument per line when long.
    pub fn call(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let one = format!("{}({})", self.class, args.join(", "));
        if one.len() <= 80 && !one.contains('\n') {
            return one;
        }
        // A nested call (self-training's base) keeps its own lines, indented one more level.
        let args: Vec<String> = args.iter().map(|a| a.replace('\n', "\n    ")).collect();
        format!("{}(\n    {},\n)", self.class, args.join(",\n    "))
    }

    /// A typed hyperparameter as a keyword argument, written as the link writes its value.
    pub fn set<T: Serialize>(self, key: &str, value: &T) -> Estimator {
        self.arg(key, python(value))
    }

    pub fn arg(mut self, key: &str, source: impl Into<String>) -> Estimator {
        self.args.push((key.into(), source.into()));
        self
    }

    pub fn note(mut self, text: impl Into<String>) -> Estimator {
        self.notes.push(text.into());
        self
    }
}

/// A Spark MLlib estimator as Python source.
#[derive(Debug, Clone, PartialEq)]
pub struct SparkModel {
    pub imports: Vec<String>,
    /// The constructor expression; it may use the script's variables `SEED`, `n_train`
    /// (training rows), `max_bins` (bins enough for every category) and `n_features`.
    pub call: String,
    pub about: String,
    pub notes: Vec<String>,
    /// Whether predictions carry a `probability` column (log-loss, ROC AUC need it).
    pub probabilities: bool,
    /// Python source defining the estimator, when MLlib has none (empty otherwise).
    pub define: String,
}

/// Keyword arguments joined into a call, one per line when long.
pub fn spark_call(class: &str, args: &[(&str, String)]) -> String {
    let parts: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let one = format!("{class}({})", parts.join(", "));
    if one.len() <= 80 && !one.contains('\n') {
        return one;
    }
    let parts: Vec<String> = parts.iter().map(|p| p.replace('\n', "\n    ")).collect();
    format!("{class}(\n    {},\n)", parts.join(",\n    "))
}

impl SparkModel {
    /// An MLlib estimator with nothing to explain yet.
    pub fn new(imports: Vec<String>, call: String, about: &str, probabilities: bool) -> SparkModel {
        SparkModel { imports, call, about: about.into(), notes: vec![], probabilities, define: String::new() }
    }

    pub fn note(mut self, text: impl Into<String>) -> SparkModel {
        self.notes.push(text.into());
        self
    }
}

/// The link's hyperparameters as the kind's typed struct, so a mapping names fields the
/// compiler checks.
pub fn typed<T: DeserializeOwned>(kind: &str, params: &Value) -> Result<T> {
    serde_json::from_value(params.clone())
        .map_err(|e| Error::param("model", kind, &format!("valid hyperparameters ({e})")))
}

/// A typed value as Python source, as the link writes it (`None`, `True`, `0.5`, `"relu"`).
pub fn python<T: Serialize>(value: &T) -> String {
    py::value(&crate::base::json::to_value(value).expect("hyperparameters serialise"))
}

/// `from pyspark.ml.<module> import <class>`
pub fn spark_import(module: &str, class: &str) -> String {
    format!("from pyspark.ml.{module} import {class}")
}

/// Spark's feature and label columns, the first arguments of a supervised estimator.
pub fn spark_xy() -> Vec<(&'static str, String)> {
    vec![("featuresCol", "\"_features\"".into()), ("labelCol", "\"_label\"".into())]
}

/// The pyspark.ml module for a task's estimators.
pub fn spark_module(task: Task) -> &'static str {
    if task == Task::Classification {
        "classification"
    } else {
        "regression"
    }
}

/// The classifier's name for classes, the regressor's for amounts.
pub fn pick(task: Task, classifier: &'static str, regressor: &'static str) -> &'static str {
    if task == Task::Classification {
        classifier
    } else {
        regressor
    }
}

/// The scikit-learn estimator for `kind` with the link's `params` on a `task` target.
pub fn estimator(kind: &str, params: &Value, task: Task) -> Result<Estimator> {
    let k = super::get(kind).ok_or_else(|| Error::Data(format!("{kind} cannot be exported to scikit-learn yet")))?;
    (k.sklearn)(params, task)
}

/// The Spark estimator for `kind` with the link's `params`; `n_classes` is 0 for regression.
pub fn spark_model(kind: &str, params: &Value, task: Task, n_classes: usize) -> Result<SparkModel> {
    let k = super::get(kind).ok_or_else(|| Error::Data(format!("{kind} cannot be exported to Spark MLlib yet")))?;
    (k.spark)(params, task, n_classes)
}
