//! The autoencoder, the first anomaly detector: an anomaly kind sets `anomaly: true` and
//! its model answers `Model::anomaly_scores`.

use super::{Describe, Family, Kind, Sizes, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::autoencoder::{self, AutoencoderParams, AutoencoderTrainer};
use crate::models::Trainer;
use super::export::{spark_call, spark_import, typed, Estimator, SparkModel};
use crate::base::py;
use crate::models::mlp::MlpParams;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "autoencoder",
    title: "Autoencoder (anomaly detection)",
    about: "A network that learns to squeeze each row through a narrow layer and rebuild it, without looking at any \
            label. Rows it rebuilds badly are unusual: it flags anomalies no one labelled for it.",
    glossary: "A network trained to rebuild each row through a narrow middle layer, without labels. Rows it rebuilds \
               badly (a large reconstruction error) are unusual: above the threshold they are flagged as anomalies.",
    tasks: &[Task::Classification],
    family: Family::Supervised,
    anomaly: true,
    views: &[],
    axis: None,
    picture_note: None,
    score: Some((
        "reconstruction error",
        "The autoencoder squeezes each row through its narrow middle layer and rebuilds it. The mean squared \
             difference between the row and its rebuild (on the scaled features) is its reconstruction error: rows \
             unlike the training data are rebuilt badly.",
    )),
    step_unit: "epoch",
    curve: None,
    gpu: true,
    encoding: Encoding::Dense,
    params: autoencoder::param_info,
    sweep: Some(Sweep { param: "alpha", lo: 1e-5, hi: 10.0, descending: true }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::autoencoder::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for AutoencoderParams {
    fn validate(&self) -> Result<()> {
        AutoencoderParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(AutoencoderTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    fn memory(&self, s: Sizes) -> u64 {
        super::mlp::network_bytes(s)
    }
}

/// The network part of the hyperparameters, as the MLP has them (every field named, so a
/// new or renamed one is a compile error here).
fn network(p: &AutoencoderParams) -> MlpParams {
    MlpParams {
        hidden_layer_sizes: p.hidden_layer_sizes.clone(),
        activation: p.activation.clone(),
        solver: p.solver.clone(),
        alpha: p.alpha,
        batch_size: p.batch_size,
        learning_rate_init: p.learning_rate_init,
        max_iter: p.max_iter,
        momentum: p.momentum,
        nesterovs_momentum: p.nesterovs_momentum,
        beta_1: p.beta_1,
        beta_2: p.beta_2,
        epsilon: p.epsilon,
        dropout: p.dropout,
        early_stopping: p.early_stopping,
        n_iter_no_change: p.n_iter_no_change,
        tol: p.tol,
    }
}

/// scikit-learn has no autoencoder detector: the script defines one around MLPRegressor,
/// as a two-class classifier so the pipeline and the scores stay those of the other kinds.
fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: AutoencoderParams = typed(KIND.name, params)?;
    let mut e = Estimator::new("sklearn.neural_network", "MLPRegressor", ABOUT);
    e.import.push_str("\nfrom sklearn.base import BaseEstimator, ClassifierMixin");
    e.class = "ReconstructionErrorDetector".into();
    e.define = SKLEARN_CLASS.into();
    let e = super::mlp::network_args(e, &network(&p)).set("contamination", &p.contamination);
    let e = super::mlp::batch_size(e, p.batch_size).arg("random_state", "SEED").note(
        "scikit-learn has no autoencoder, so the class above builds one from MLPRegressor trained to output its own \
         input. The two networks start from different random weights, so the errors, the threshold and the flags \
         differ a little from mlplay's.",
    );
    Ok(if p.dropout > 0.0 { e.note("MLPRegressor has no dropout: the network here trains without it.") } else { e })
}

/// MLlib has no autoencoder: PCA's rebuild is a linear one, scored the same way.
fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: AutoencoderParams = typed(KIND.name, params)?;
    let bottleneck = p.hidden_layer_sizes.last().copied().unwrap_or(3);
    let args = vec![("k", format!("min({bottleneck}, n_features)")), ("contamination", py::number(p.contamination))];
    let imports = vec![
        "from pyspark.ml import Estimator, Model".to_string(),
        spark_import("feature", "PCA"),
        spark_import("feature", "StandardScaler"),
        "from pyspark.ml.linalg import Vectors, VectorUDT".into(),
        "from pyspark.sql.types import DoubleType".into(),
        "import numpy as np".into(),
    ];
    let mut s = SparkModel::new(
        imports,
        spark_call("ReconstructionErrorDetector", &args),
        ABOUT,
        task == Task::Classification,
    );
    s.define = SPARK_CLASS.into();
    Ok(s.note(format!(
        "Spark MLlib has no autoencoder. The nearest it has is PCA: keeping the first k={bottleneck} directions of \
         spread and rebuilding each row from them is what an autoencoder with a {bottleneck}-unit middle layer does \
         when its units are linear. The class above scores each row by that reconstruction error and flags the \
         rows above the threshold that a share `contamination` of the training rows exceed, as mlplay does. A \
         straight-line rebuild misses curved patterns a network can learn, so its flags differ from mlplay's. \
         The class's Python code runs in Spark's worker processes, which need numpy (as pyspark.ml does); \
         started with plain python, set PYSPARK_PYTHON to this interpreter if the `python3` on the PATH lacks it."
    )))
}

const ABOUT: &str = "An autoencoder is a network trained to rebuild each row's features through a narrow \
    middle layer, so it can only keep what is typical of the data. It learns from the training rows without their labels. \
    Rows it rebuilds badly are unusual: the reconstruction error is the anomaly score, and a row is flagged when its error \
    is above the threshold that a share `contamination` of the training rows exceed. The labels only score the flags.";
/// The detector the autoencoder export defines; its probabilities are mlplay's: for error
/// e and threshold t, [1 - s, s] with s = e / (e + t), so s > 0.5 exactly when e > t.
const SKLEARN_CLASS: &str = r#"class ReconstructionErrorDetector(ClassifierMixin, BaseEstimator):
    """Flags rows an autoencoder rebuilds badly; class 1 is "anomaly"."""

    def __init__(self, hidden_layer_sizes=(8, 3), activation="tanh", solver="adam", alpha=0.0001,
                 learning_rate_init=0.01, max_iter=200, momentum=0.9, n_iter_no_change=10, tol=1e-4,
                 nesterovs_momentum=True, beta_1=0.9, beta_2=0.999, epsilon=1e-8, early_stopping=False,
                 contamination=0.01, batch_size="auto", random_state=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.momentum = momentum
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.nesterovs_momentum = nesterovs_momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.early_stopping = early_stopping
        self.contamination = contamination
        self.batch_size = batch_size
        self.random_state = random_state

    def fit(self, X, y):
        X = dense(X)
        self.classes_ = np.unique(y)
        # The decoder mirrors the encoder: [8, 3] builds d-8-3-8-d.
        sizes = tuple(np.atleast_1d(self.hidden_layer_sizes).tolist())
        self.network_ = MLPRegressor(
            hidden_layer_sizes=sizes + sizes[-2::-1], activation=self.activation, solver=self.solver,
            alpha=self.alpha, learning_rate_init=self.learning_rate_init, max_iter=self.max_iter,
            momentum=self.momentum, n_iter_no_change=self.n_iter_no_change, tol=self.tol,
            nesterovs_momentum=self.nesterovs_momentum, beta_1=self.beta_1, beta_2=self.beta_2,
            epsilon=self.epsilon, early_stopping=self.early_stopping,
            batch_size=self.batch_size, random_state=self.random_state,
        )
        self.network_.fit(X, X)  # the labels are never used to fit
        self.threshold_ = float(np.quantile(self.errors(X), 1 - self.contamination))
        return self

    def errors(self, X):
        """Each row's reconstruction error: the mean squared difference over its features."""
        X = dense(X)
        return ((self.network_.predict(X).reshape(X.shape) - X) ** 2).mean(axis=1)

    def predict_proba(self, X):
        e = self.errors(X)
        s = e / (e + max(self.threshold_, np.finfo(float).tiny))
        return np.column_stack([1 - s, s])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]


def dense(X):
    return np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=float)

"#;
/// The PCA detector the autoencoder export defines for Spark; its probabilities are
/// mlplay's: for error e and threshold t, [1 - s, s] with s = e / (e + t).
const SPARK_CLASS: &str = r#"class ReconstructionErrorDetector(Estimator):
    """Flags rows that k principal directions rebuild badly; class 1 is "anomaly"."""

    def __init__(self, k, contamination):
        super().__init__()
        self.k, self.contamination = k, contamination

    def _fit(self, rows):
        center = StandardScaler(inputCol="_features", outputCol="_centered", withMean=True, withStd=False).fit(rows)
        pca = PCA(k=self.k, inputCol="_centered", outputCol="_code").fit(center.transform(rows))
        detector = ReconstructionErrorModel(center, pca.pc.toArray(), 0.0)
        # The threshold: the error a share `contamination` of the training rows exceed (exact quantile).
        errors = detector.errors(rows)
        detector.threshold = errors.approxQuantile("_error", [1 - self.contamination], 0.0)[0]
        return detector


class ReconstructionErrorModel(Model):
    def __init__(self, center, directions, threshold):
        super().__init__()
        self.center, self.directions, self.threshold = center, directions, threshold

    def errors(self, rows):
        p = self.directions

        def error(v):
            x = v.toArray()
            return float(np.mean((x - p @ (p.T @ x)) ** 2))

        return self.center.transform(rows).withColumn("_error", F.udf(error, DoubleType())("_centered")).drop("_centered")

    def _transform(self, rows):
        t = max(self.threshold, np.finfo(float).tiny)
        score = F.col("_error") / (F.col("_error") + F.lit(t))
        both = F.udf(lambda s: Vectors.dense([1.0 - s, s]), VectorUDT())
        scored = self.errors(rows).withColumn("_score", score)
        return (
            scored.withColumn("probability", both("_score"))
            .withColumn("prediction", (F.col("_score") > 0.5).cast("double"))
            .drop("_score")
        )

"#;

