//! mlplay's model kinds as scikit-learn estimators: the class, its hyperparameters under
//! scikit-learn's names, a plain explanation of the model, and notes where the two differ.
//! One match arm per kind. The autoencoder, which scikit-learn lacks, comes with a small
//! class the script defines around MLPRegressor.

use serde_json::Value;

use super::py;
use crate::base::error::{Error, Result};
use crate::data::Task;

pub use crate::kinds::export::Estimator;

fn param_str<'a>(params: &'a Value, key: &str) -> &'a str {
    params.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The estimator for `kind` with the link's `params` on a `task` target. `seed` is the
/// name of the Python variable holding the seed.
pub fn estimator(kind: &str, params: &Value, task: Task) -> Result<Estimator> {
    if let Some(map) = crate::kinds::get(kind).and_then(|k| k.sklearn) {
        return map(params, task);
    }
    let classify = task == Task::Classification;
    let pick = |c: &'static str, r: &'static str| if classify { c } else { r };
    Ok(match kind {
        "logistic_regression" => logistic(params),
        "knn" => Estimator::new("sklearn.neighbors", pick("KNeighborsClassifier", "KNeighborsRegressor"), KNN)
            .keep(params, &["n_neighbors", "weights"]),
        "naive_bayes" => Estimator::new("sklearn.naive_bayes", "GaussianNB", BAYES).keep(params, &["var_smoothing"]),
        "linear_regression" => {
            let e = Estimator::new("sklearn.linear_model", "LinearRegression", LINEAR).keep(params, &["fit_intercept"]);
            if param_str(params, "solver") == "gradient_descent" {
                e.note(
                    "mlplay's gradient_descent solver walks downhill for max_iter epochs so the page can show the \
                        line settling; scikit-learn solves for the best line directly (least squares), where the \
                        walk ends once it has converged.",
                )
            } else {
                e
            }
        }
        "ridge" => Estimator::new("sklearn.linear_model", "Ridge", RIDGE).keep(params, &["alpha", "fit_intercept"]),
        "lasso" => Estimator::new("sklearn.linear_model", "Lasso", LASSO)
            .keep(params, &["alpha", "max_iter", "tol", "fit_intercept"]),
        "decision_tree" => {
            let e = Estimator::new("sklearn.tree", pick("DecisionTreeClassifier", "DecisionTreeRegressor"), TREE);
            tree_args(e, params).arg("random_state", "SEED")
        }
        "random_forest" => forest(params, task),
        "gradient_boosting" => boosting(params, task),
        "self_training" => self_training(params)?,
        "mlp" => {
            let e = Estimator::new("sklearn.neural_network", pick("MLPClassifier", "MLPRegressor"), MLP).keep(
                params,
                &[
                    "hidden_layer_sizes",
                    "activation",
                    "solver",
                    "alpha",
                    "learning_rate_init",
                    "max_iter",
                    "momentum",
                    "n_iter_no_change",
                    "tol",
                ],
            );
            // mlplay's batch_size 0 is scikit-learn's "auto" (min(200, rows)), its default.
            let e = match params.get("batch_size").and_then(Value::as_u64) {
                Some(b) if b > 0 => e.arg("batch_size", b.to_string()),
                _ => e,
            };
            e.arg("random_state", "SEED")
        }
        "autoencoder" => autoencoder(params),
        "kmeans" => Estimator::new("sklearn.cluster", "KMeans", KMEANS)
            .keep(params, &["n_clusters", "n_init", "max_iter", "tol"])
            .arg("random_state", "SEED"),
        "dbscan" => Estimator::new("sklearn.cluster", "DBSCAN", DBSCAN).keep(params, &["eps", "min_samples"]),
        "pca" => Estimator::new("sklearn.decomposition", "PCA", PCA).keep(params, &["n_components"]),
        "tsne" => tsne(params),
        "umap" => umap(params),
        other => return Err(Error::Data(format!("{other} cannot be exported to scikit-learn yet"))),
    })
}

/// scikit-learn has no autoencoder detector: the script defines one around MLPRegressor,
/// as a two-class classifier so the pipeline and the scores stay those of the other kinds.
fn autoencoder(params: &Value) -> Estimator {
    let mut e = Estimator::new("sklearn.neural_network", "MLPRegressor", AUTOENCODER);
    e.import.push_str("\nfrom sklearn.base import BaseEstimator, ClassifierMixin");
    e.class = "ReconstructionErrorDetector".into();
    e.define = AUTOENCODER_CLASS.into();
    let e = e.keep(
        params,
        &[
            "hidden_layer_sizes",
            "activation",
            "solver",
            "alpha",
            "learning_rate_init",
            "max_iter",
            "momentum",
            "n_iter_no_change",
            "tol",
            "contamination",
        ],
    );
    let e = match params.get("batch_size").and_then(Value::as_u64) {
        Some(b) if b > 0 => e.arg("batch_size", b.to_string()),
        _ => e,
    };
    let e = e.arg("random_state", "SEED").note(
        "scikit-learn has no autoencoder, so the class above builds one from MLPRegressor trained to output its own \
         input. The two networks start from different random weights, so the errors, the threshold and the flags \
         differ a little from mlplay's.",
    );
    if params.get("dropout").and_then(Value::as_f64).unwrap_or(0.0) > 0.0 {
        e.note("MLPRegressor has no dropout: the network here trains without it.")
    } else {
        e
    }
}

fn logistic(params: &Value) -> Estimator {
    let e =
        Estimator::new("sklearn.linear_model", "LogisticRegression", LOGISTIC).keep(params, &["C", "max_iter", "tol"]);
    let l1 = param_str(params, "penalty") == "l1";
    let e = if l1 {
        e.arg("l1_ratio", "1.0").arg("solver", "\"saga\"").note(
            "The L1 penalty (l1_ratio=1.0, scikit-learn 1.8's way of writing penalty=\"l1\") needs the saga solver; mlplay \
             uses proximal gradient descent. Both aim at the same weights; if saga warns that it did not converge, raise max_iter.",
        )
    } else {
        e.arg("solver", "\"lbfgs\"")
    };
    if param_str(params, "solver") == "gradient_descent" && !l1 {
        e.note(
            "mlplay's gradient_descent solver takes max_iter small downhill steps (accelerated gradient descent) so \
                the page can animate them; scikit-learn has no such solver, so this uses lbfgs, which reaches the same \
                best weights in fewer iterations. The scores agree once both have converged.",
        )
    } else {
        e
    }
}

/// criterion, max_depth and the sample limits; "auto" means scikit-learn's own default.
fn tree_args(e: Estimator, params: &Value) -> Estimator {
    let e = match param_str(params, "criterion") {
        "" | "auto" => e,
        _ => e.keep(params, &["criterion"]),
    };
    e.keep(params, &["max_depth", "min_samples_split", "min_samples_leaf"])
}

fn forest(params: &Value, task: Task) -> Estimator {
    let class = if task == Task::Classification { "RandomForestClassifier" } else { "RandomForestRegressor" };
    let e = Estimator::new("sklearn.ensemble", class, FOREST).keep(params, &["n_estimators"]);
    let mut e = tree_args(e, params);
    // "auto" was scikit-learn's old name for its defaults (sqrt for classes, all for amounts).
    match params.get("max_features") {
        Some(Value::String(s)) if s == "all" => e = e.arg("max_features", "None"),
        Some(Value::String(s)) if s == "auto" => {}
        Some(v) => e = e.arg("max_features", py::value(v)),
        None => {}
    }
    let bootstrap = params.get("bootstrap").and_then(Value::as_bool).unwrap_or(true);
    e = e.keep(params, &["bootstrap"]);
    if bootstrap {
        e = e.keep(params, &["oob_score"]);
    }
    e.arg("random_state", "SEED").arg("n_jobs", "-1").note(
        "The trees are grown from different random draws than mlplay's (another random generator), so the scores \
         differ a little even on the same rows.",
    )
}

fn boosting(params: &Value, task: Task) -> Estimator {
    let class =
        if task == Task::Classification { "HistGradientBoostingClassifier" } else { "HistGradientBoostingRegressor" };
    let e = Estimator::new("sklearn.ensemble", class, BOOSTING).keep(
        params,
        &[
            "learning_rate",
            "max_iter",
            "max_leaf_nodes",
            "max_depth",
            "min_samples_leaf",
            "l2_regularization",
            "max_bins",
        ],
    );
    let e = match param_str(params, "early_stopping") {
        "on" => e.arg("early_stopping", "True"),
        "off" => e.arg("early_stopping", "False"),
        _ => e.arg("early_stopping", "\"auto\""),
    };
    e.keep(params, &["n_iter_no_change", "tol"]).arg("random_state", "SEED").note(
        "Early stopping: mlplay watches its validation rows; scikit-learn sets aside 10% of the training rows \
         (validation_fraction=0.1) to watch instead. \"auto\" turns it on above 10,000 rows in both.",
    )
}

fn self_training(params: &Value) -> Result<Estimator> {
    let base_kind = param_str(params, "estimator");
    let base_params = crate::kinds::spec_from_json(serde_json::json!({ "kind": base_kind }))?.params_json();
    let base = estimator(base_kind, &base_params, Task::Classification)?;
    let mut e = Estimator::new("sklearn.semi_supervised", "SelfTrainingClassifier", SELF_TRAINING)
        .arg("estimator", base.call())
        .keep(params, &["threshold", "max_iter"]);
    e.import = format!("{}\n{}", base.import, e.import);
    e.notes = base.notes.iter().map(|n| format!("The base model: {n}")).collect();
    Ok(e)
}

fn tsne(params: &Value) -> Estimator {
    let e = Estimator::new("sklearn.manifold", "TSNE", TSNE).arg("n_components", "2").keep(params, &["perplexity"]);
    let e = match params.get("learning_rate").and_then(Value::as_f64) {
        Some(lr) if lr > 0.0 => e.arg("learning_rate", py::number(lr)),
        _ => e.arg("learning_rate", "\"auto\""),
    };
    e.keep(params, &["early_exaggeration", "max_iter", "method", "angle", "init"]).arg("random_state", "SEED").note(
        "t-SNE starts from a random layout (or PCA) and follows its own random steps: the picture is not the page's, \
         but the groups that form should be.",
    )
}

fn umap(params: &Value) -> Estimator {
    let mut e = Estimator::new("umap", "UMAP", UMAP).keep(params, &["n_neighbors", "min_dist", "spread"]);
    e.import = "import umap  # pip install umap-learn".into();
    e.class = "umap.UMAP".into();
    let e = match params.get("n_epochs").and_then(Value::as_u64) {
        Some(n) if n > 0 => e.arg("n_epochs", n.to_string()),
        _ => e,
    };
    e.keep(params, &["learning_rate", "negative_sample_rate", "init"]).arg("random_state", "SEED").note(
        "UMAP comes from the umap-learn package, not scikit-learn (pip install umap-learn). Its random steps differ \
         from mlplay's, so the layout differs; the neighbourhoods it keeps should not.",
    )
}

const LOGISTIC: &str =
    "Logistic regression gives every feature a weight per class, adds the weighted features up into a \
    score, and turns the scores into probabilities (the sigmoid for two classes, the softmax for more). Training moves \
    the weights to make the log-loss small. C is the inverse of the regularisation strength: a smaller C keeps the \
    weights small, a simpler model that may underfit; a larger C lets it follow the training rows more closely.";
const KNN: &str = "k-nearest neighbours learns nothing up front: to answer for a row it finds the n_neighbors training \
    rows closest to it (distance on the scaled features) and lets them vote (or averages their values). weights=\"distance\" \
    gives closer neighbours more say.";
const BAYES: &str =
    "Gaussian naive Bayes assumes that, within each class, every feature follows a bell curve of its own, \
    independently of the others (the \"naive\" part). It estimates those curves from the training rows and picks the \
    class that makes the row most likely.";
const LINEAR: &str = "Linear regression predicts the target as a weighted sum of the features plus an intercept, with \
    the weights that make the squared errors on the training rows as small as possible (least squares).";
const RIDGE: &str = "Ridge regression is linear regression with an L2 penalty: alpha times the sum of the squared \
    weights is added to the error, which keeps the weights small and the model steadier when features are correlated.";
const LASSO: &str =
    "Lasso is linear regression with an L1 penalty: alpha times the sum of the weights' sizes is added \
    to the error, which pushes unhelpful weights to exactly zero, so the model also picks features.";
const TREE: &str =
    "A decision tree asks yes/no questions about the features (\"petal_length <= 2.45?\"), each chosen to \
    make the groups it creates as pure as possible, until the groups are pure or too small (max_depth, \
    min_samples_split, min_samples_leaf). A deep tree can memorise the training rows: watch the gap between training \
    and validation scores.";
const FOREST: &str =
    "A random forest grows n_estimators decision trees, each on a bootstrap sample of the training rows \
    (drawn with replacement) and looking at a random subset of the features (max_features) at each question, then \
    averages their answers. The trees make different mistakes, so the average is steadier than any one tree. The \
    out-of-bag score (oob_score) rates each tree on the rows it did not see.";
const BOOSTING: &str =
    "Gradient boosting adds small trees one after another, each fitted to the errors the trees before \
    it still make, its answer shrunk by the learning_rate. Histogram-based: every feature is first binned into at most \
    max_bins values, which makes it fast on many rows; missing values and categories are handled by the trees.";
const SELF_TRAINING: &str =
    "Self-training is semi-supervised learning: a classifier learns from the few labelled rows, \
    then labels the unlabelled rows it is sure about (probability above threshold) and learns again from both, for \
    at most max_iter rounds.";
const MLP: &str =
    "A multilayer perceptron (a neural network) passes the features through hidden layers of units, each \
    a weighted sum followed by an activation function, and learns all the weights by gradient descent on the loss.";
const AUTOENCODER: &str = "An autoencoder is a network trained to rebuild each row's features through a narrow \
    middle layer, so it can only keep what is typical of the data. It learns from the training rows without their labels. \
    Rows it rebuilds badly are unusual: the reconstruction error is the anomaly score, and a row is flagged when its error \
    is above the threshold that a share `contamination` of the training rows exceed. The labels only score the flags.";
/// The detector the autoencoder export defines; its probabilities are mlplay's: for error
/// e and threshold t, [1 - s, s] with s = e / (e + t), so s > 0.5 exactly when e > t.
const AUTOENCODER_CLASS: &str = r#"class ReconstructionErrorDetector(ClassifierMixin, BaseEstimator):
    """Flags rows an autoencoder rebuilds badly; class 1 is "anomaly"."""

    def __init__(self, hidden_layer_sizes=(8, 3), activation="tanh", solver="adam", alpha=0.0001,
                 learning_rate_init=0.01, max_iter=200, momentum=0.9, n_iter_no_change=10, tol=1e-4,
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
const KMEANS: &str =
    "k-means places n_clusters centres, gives each row to its nearest centre, moves every centre to the \
    middle of its rows, and repeats until nothing moves. It finds round groups of similar size; the inertia (sum of \
    squared distances to the centres) says how tight they are.";
const DBSCAN: &str =
    "DBSCAN groups rows that lie in dense regions: a row with at least min_samples rows within distance \
    eps is a core row, core rows close to each other share a cluster, and rows near no core row are noise (label -1). \
    It finds the number of clusters itself.";
const PCA: &str = "Principal component analysis finds the directions along which the rows vary most (the principal \
    components) and describes every row by its position along the first n_components of them. The explained \
    variance ratio says how much of the spread each direction keeps.";
const TSNE: &str = "t-SNE places the rows in 2-D so that rows close together in the data stay close together in the \
    picture; perplexity is roughly how many neighbours each row pays attention to. Distances between far-apart groups \
    in the picture mean little.";
const UMAP: &str =
    "UMAP builds a graph linking every row to its n_neighbors nearest rows and lays that graph out in 2-D, \
    keeping neighbours together; min_dist sets how tightly rows may pack.";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn auto_values_fall_back_to_sklearn_defaults() {
        let p = json!({"n_estimators": 50, "criterion": "auto", "max_depth": null, "min_samples_split": 2, "min_samples_leaf": 1,
                       "max_features": "auto", "bootstrap": false, "oob_score": true});
        let e = estimator("random_forest", &p, Task::Regression).unwrap();
        let args: Vec<&str> = e.args.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            !args.contains(&"criterion") && !args.contains(&"max_features") && !args.contains(&"oob_score"),
            "{args:?}"
        );
        assert!(
            e.call().starts_with("RandomForestRegressor(\n    n_estimators=50,\n    max_depth=None,"),
            "{}",
            e.call()
        );
        let p = json!({"max_features": "all"});
        assert!(estimator("random_forest", &p, Task::Classification).unwrap().call().contains("max_features=None"));
    }

    #[test]
    fn solvers_map_to_ones_sklearn_has() {
        let e = estimator(
            "logistic_regression",
            &json!({"penalty": "l1", "C": 0.5, "solver": "lbfgs"}),
            Task::Classification,
        )
        .unwrap();
        assert_eq!(e.call(), "LogisticRegression(C=0.5, l1_ratio=1.0, solver=\"saga\")");
        let e = estimator(
            "logistic_regression",
            &json!({"penalty": "l2", "solver": "gradient_descent"}),
            Task::Classification,
        )
        .unwrap();
        assert!(e.call().contains("lbfgs") && e.notes.len() == 1);
    }

    #[test]
    fn an_mlp_kind_needs_no_more_than_its_entry() {
        let p = json!({"hidden_layer_sizes": [16, 8], "activation": "relu", "max_iter": 200});
        let e = estimator("mlp", &p, Task::Classification).unwrap();
        assert_eq!(e.call(), "MLPClassifier(\n    hidden_layer_sizes=[16, 8],\n    activation=\"relu\",\n    max_iter=200,\n    random_state=SEED,\n)");
    }

    #[test]
    fn self_training_wraps_its_base_with_the_base_defaults() {
        let p = json!({"estimator": "knn", "threshold": 0.9, "max_iter": 5});
        let e = estimator("self_training", &p, Task::Classification).unwrap();
        assert!(e.call().contains("estimator=KNeighborsClassifier(n_neighbors=5"), "{}", e.call());
        assert!(e.import.contains("sklearn.neighbors") && e.import.contains("SelfTrainingClassifier"));
    }
}
