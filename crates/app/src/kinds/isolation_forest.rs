//! The isolation forest: an anomaly detector that needs no network, scikit-learn's
//! `IsolationForest`.

use serde_json::Value;

use super::export::{spark_call, Estimator, SparkModel};
use super::{Describe, Family, Kind, Sizes, Sweep, F64};
use crate::base::error::{Error, Result};
use crate::base::py;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::isolation_forest::{self as iforest, Contamination, IsolationForestParams, IsolationForestTrainer};
use crate::models::Trainer;

pub const KIND: Kind = Kind {
    name: "isolation_forest",
    title: "Isolation forest (anomaly detection)",
    about: "Splits the rows at random, over and over, without looking at any label. Unusual rows end up alone after \
            only a few splits: the fewer it takes, the higher the anomaly score. Fast, and needs no tuning.",
    glossary: "Grows trees that cut the data at random places. A row that is isolated after few cuts is unusual: its \
               short average path over the trees gives a high anomaly score, and above the threshold it is flagged.",
    tasks: &[Task::Classification],
    family: Family::Supervised,
    anomaly: true,
    views: &[],
    axis: None,
    picture_note: None,
    score: Some((
        "anomaly score",
        "Each tree cuts the rows at random places until every row stands alone. A row unlike the others is \
             isolated after few cuts, so its average path over the trees is short and its score 2^(-path / c) is near \
             1; ordinary rows score about 0.5 or less.",
    )),
    step_unit: "tree",
    curve: Some((
        "mean anomaly score",
        "The mean anomaly score of the training and validation rows after each tree. Nothing is \
             minimised: the curve flattens as the forest grows and the scores settle.",
    )),
    gpu: false,
    encoding: Encoding::Dense,
    params: iforest::param_info,
    sweep: Some(Sweep { param: "n_estimators", lo: 1.0, hi: 200.0, descending: false }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| iforest::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for IsolationForestParams {
    fn validate(&self) -> Result<()> {
        IsolationForestParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(IsolationForestTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// Per tree at most 2 * psi - 1 nodes of about 28 bytes; running path sums per row; the
    /// sampled rows of the tree being grown.
    fn memory(&self, s: Sizes) -> u64 {
        let psi = self.max_samples.count(s.rows as usize) as u64;
        self.n_estimators as u64 * (2 * psi).saturating_sub(1) * 28 + s.rows * 2 * F64 + psi * s.features * F64
    }
}

fn typed(params: &Value) -> Result<IsolationForestParams> {
    serde_json::from_value(params.clone())
        .map_err(|e| Error::param("model", "isolation_forest", &format!("valid hyperparameters ({e})")))
}

/// The keyword arguments scikit-learn's `IsolationForest` takes, from the typed parameters.
fn forest_args(p: &IsolationForestParams) -> Vec<(&'static str, String)> {
    // "auto" is a Python string; a number stays a number.
    let text = |v: String| if v.parse::<f64>().is_ok() { v } else { format!("{v:?}") };
    vec![
        ("n_estimators", p.n_estimators.to_string()),
        ("max_samples", text(p.max_samples.to_string())),
        ("contamination", text(p.contamination.to_string())),
        ("max_features", py::number(p.max_features)),
        ("bootstrap", if p.bootstrap { "True" } else { "False" }.to_string()),
    ]
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p = typed(params)?;
    let mut e = Estimator::new("sklearn.ensemble", "IsolationForest", ABOUT);
    e.import.push_str("\nfrom sklearn.base import BaseEstimator, ClassifierMixin");
    e.class = "IsolationScoreDetector".into();
    e.define = SKLEARN_CLASS.into();
    let mut e = forest_args(&p).into_iter().fold(e, |e, (k, v)| e.arg(k, v));
    e = e.arg("random_state", "SEED");
    if let Contamination::Fraction(_) = p.contamination {
        e = e.note("The threshold is the score a share `contamination` of the training rows exceed, as in mlplay.");
    }
    Ok(e.note(
        "scikit-learn's forest draws its samples and splits from its own random numbers, so its scores, threshold \
         and flags differ a little from mlplay's (ROC AUC agrees within about 0.02).",
    ))
}

fn spark(params: &Value, _task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p = typed(params)?;
    let mut args = forest_args(&p);
    args.push(("random_state", "SEED".into()));
    Ok(SparkModel {
        imports: vec![
            "from pyspark.ml import Estimator, Model".into(),
            "from pyspark.ml.linalg import Vectors, VectorUDT".into(),
            "from sklearn.ensemble import IsolationForest".into(),
            "import numpy as np".into(),
        ],
        call: spark_call("DriverIsolationForest", &args),
        about: ABOUT.into(),
        notes: vec![
            "Spark MLlib has no isolation forest. The class above is the nearest thing that runs here: it collects the \
             training features to the driver, fits scikit-learn's IsolationForest there (each tree sees only \
             max_samples rows, so this scales to data that fits the driver's memory), and scores rows in the \
             workers, which then need scikit-learn. For data too large for one machine, a distributed isolation \
             forest exists as a third-party Spark package (LinkedIn's isolation-forest, same parameter names)."
                .into(),
        ],
        probabilities: true,
        define: SPARK_CLASS.into(),
    })
}

const ABOUT: &str = "An isolation forest grows trees that split the rows at random, without their labels. An \
    unusual row is isolated after few splits, so its average path length over the trees is short: the anomaly \
    score is 2^(-path / c), and a row is flagged when its score is above the threshold (0.5 for contamination \
    'auto'). The labels only score the flags.";

/// The detector the scikit-learn export defines; its probabilities are mlplay's: for score s
/// and threshold t, [1 - p, p] with p = s / (s + t), so p > 0.5 exactly when s > t.
const SKLEARN_CLASS: &str = r#"class IsolationScoreDetector(ClassifierMixin, BaseEstimator):
    """Flags rows that few random splits isolate; class 1 is "anomaly"."""

    def __init__(self, n_estimators=100, max_samples="auto", contamination="auto", max_features=1.0,
                 bootstrap=False, random_state=None):
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.contamination = contamination
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.random_state = random_state

    def fit(self, X, y):
        X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=float)
        self.classes_ = np.unique(y)
        self.forest_ = IsolationForest(
            n_estimators=self.n_estimators, max_samples=self.max_samples, contamination=self.contamination,
            max_features=self.max_features, bootstrap=self.bootstrap, random_state=self.random_state,
        ).fit(X)  # the labels are never used to fit
        s = self.scores(X)
        self.threshold_ = 0.5 if self.contamination == "auto" else float(np.quantile(s, 1 - self.contamination))
        return self

    def scores(self, X):
        """Each row's anomaly score in (0, 1]: scikit-learn's -score_samples."""
        X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=float)
        return -self.forest_.score_samples(X)

    def predict_proba(self, X):
        s = self.scores(X)
        p = s / (s + max(self.threshold_, np.finfo(float).tiny))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]

"#;

/// The Spark export's detector: scikit-learn's forest fitted on the driver, applied per row.
const SPARK_CLASS: &str = r#"class DriverIsolationForest(Estimator):
    """scikit-learn's IsolationForest fitted on the driver; class 1 is "anomaly"."""

    def __init__(self, contamination="auto", **forest):
        super().__init__()
        self.contamination, self.forest = contamination, dict(forest, contamination=contamination)

    def _fit(self, rows):
        X = np.array([r["_features"].toArray() for r in rows.select("_features").collect()])
        forest = IsolationForest(**self.forest).fit(X)  # the labels are never used to fit
        s = -forest.score_samples(X)
        t = 0.5 if self.contamination == "auto" else float(np.quantile(s, 1 - self.contamination))
        return DriverIsolationScores(forest, t)


class DriverIsolationScores(Model):
    def __init__(self, forest, threshold):
        super().__init__()
        self.forest, self.threshold = forest, max(threshold, np.finfo(float).tiny)

    def _transform(self, rows):
        forest, t = self.forest, self.threshold

        def both(v):
            s = float(-forest.score_samples(v.toArray().reshape(1, -1))[0])
            return Vectors.dense([1.0 - s / (s + t), s / (s + t)])

        scored = rows.withColumn("probability", F.udf(both, VectorUDT())("_features"))
        return scored.withColumn("prediction", (F.udf(lambda p: float(p[1]), "double")("probability") > 0.5).cast("double"))

"#;
