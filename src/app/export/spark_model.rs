//! mlplay's model kinds as Spark MLlib estimators. Where MLlib has no counterpart (k-NN,
//! DBSCAN, t-SNE, UMAP, self-training, the autoencoder; gradient boosting for more than two
//! classes; the mlp on a numeric target) the nearest one it has is used and the exported
//! file says so. One match arm per kind.

use serde_json::Value;

use super::py;
use super::sklearn_model::estimator;
use crate::base::error::{Error, Result};
use crate::data::Task;

use crate::kinds::export::spark_call as call;
pub use crate::kinds::export::SparkModel;

fn num(params: &Value, key: &str, default: f64) -> f64 {
    params.get(key).and_then(Value::as_f64).unwrap_or(default)
}

fn text<'a>(params: &'a Value, key: &str) -> &'a str {
    params.get(key).and_then(Value::as_str).unwrap_or("")
}

/// `max_depth` (None: unlimited) within Spark's limit of 30.
fn depth(params: &Value) -> String {
    match params.get("max_depth").and_then(Value::as_u64) {
        Some(d) => d.min(30).to_string(),
        None => "30".into(),
    }
}

fn import(module: &str, class: &str) -> String {
    format!("from pyspark.ml.{module} import {class}")
}

const XY: [(&str, &str); 2] = [("featuresCol", "\"_features\""), ("labelCol", "\"_label\"")];

fn xy() -> Vec<(&'static str, String)> {
    XY.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

/// The Spark estimator for `kind` with the link's `params`; `n_classes` is 0 for regression.
pub fn spark_model(kind: &str, params: &Value, task: Task, n_classes: usize) -> Result<SparkModel> {
    if let Some(map) = crate::kinds::get(kind).and_then(|k| k.spark) {
        return map(params, task, n_classes);
    }
    let classify = task == Task::Classification;
    let about = estimator(kind, params, task).map(|e| e.about).unwrap_or_default();
    let m = |imports: Vec<String>, call: String| SparkModel {
        imports,
        call,
        about: about.clone(),
        notes: vec![],
        probabilities: classify,
        define: String::new(),
    };
    let impurity = match (classify, text(params, "criterion")) {
        (false, _) => "\"variance\"",
        (true, "entropy" | "log_loss") => "\"entropy\"",
        (true, _) => "\"gini\"",
    };
    let module = if classify { "classification" } else { "regression" };
    Ok(match kind {
        "logistic_regression" => {
            let c = num(params, "C", 1.0);
            let l1 = text(params, "penalty") == "l1";
            let mut args = xy();
            args.push(("maxIter", params["max_iter"].to_string()));
            args.push(("regParam", format!("1.0 / ({} * n_train)", py::number(c))));
            args.push(("elasticNetParam", if l1 { "1.0" } else { "0.0" }.into()));
            args.push(("tol", py::number(num(params, "tol", 1e-4))));
            args.push(("standardization", "False".into()));
            let mut s = m(vec![import("classification", "LogisticRegression")], call("LogisticRegression", &args));
            s.notes.push(format!(
                "Spark writes the penalty per training row: regParam = 1 / (C x rows) is scikit-learn's C = {}. \
                 elasticNetParam=1 makes it L1, 0 makes it L2. The features are already scaled, so Spark's own \
                 standardisation is off.",
                py::number(c)
            ));
            s
        }
        "linear_regression" | "ridge" | "lasso" => {
            let mut args = xy();
            args.push(("fitIntercept", py::value(params.get("fit_intercept").unwrap_or(&Value::Bool(true)))));
            let note = match kind {
                "linear_regression" => {
                    args.push(("regParam", "0.0".into()));
                    args.push(("solver", "\"normal\"".into()));
                    None
                }
                "ridge" => {
                    args.push(("regParam", format!("{} / n_train", py::number(num(params, "alpha", 1.0)))));
                    args.push(("elasticNetParam", "0.0".into()));
                    args.push(("standardization", "False".into()));
                    Some("Ridge is linear regression with an L2 penalty (elasticNetParam=0); Spark writes the penalty per training row, so regParam = alpha / rows.")
                }
                _ => {
                    args.push(("regParam", py::number(num(params, "alpha", 1.0))));
                    args.push(("elasticNetParam", "1.0".into()));
                    args.push(("maxIter", params["max_iter"].to_string()));
                    args.push(("tol", py::number(num(params, "tol", 1e-4))));
                    args.push(("standardization", "False".into()));
                    Some("Lasso is linear regression with an L1 penalty (elasticNetParam=1); Spark's regParam is scikit-learn's alpha.")
                }
            };
            let mut s = m(vec![import("regression", "LinearRegression")], call("LinearRegression", &args));
            s.notes.extend(note.map(String::from));
            s
        }
        "knn" => {
            let class = if classify { "RandomForestClassifier" } else { "RandomForestRegressor" };
            let mut args = xy();
            args.extend([("numTrees", "100".to_string()), ("maxDepth", "12".into()), ("seed", "SEED".into())]);
            let mut s = m(vec![import(module, class)], call(class, &args));
            s.notes.push(
                "Spark MLlib has no k-nearest-neighbours model (its BucketedRandomProjectionLSH finds approximate \
                 neighbours but does not predict). This script uses the nearest thing MLlib has that, like k-NN, \
                 draws local, non-linear boundaries: a random forest. Expect similar, not identical, scores."
                    .into(),
            );
            s
        }
        "naive_bayes" if classify => {
            let mut args = xy();
            args.push(("modelType", "\"gaussian\"".into()));
            let mut s = m(vec![import("classification", "NaiveBayes")], call("NaiveBayes", &args));
            s.notes.push("Spark's Gaussian naive Bayes has no var_smoothing; it adds no extra variance.".into());
            s
        }
        "decision_tree" => {
            let class = if classify { "DecisionTreeClassifier" } else { "DecisionTreeRegressor" };
            let mut args = xy();
            args.push(("maxDepth", depth(params)));
            args.push(("minInstancesPerNode", params.get("min_samples_leaf").map_or("1".into(), |v| v.to_string())));
            args.extend([("impurity", impurity.to_string()), ("maxBins", "max_bins".into()), ("seed", "SEED".into())]);
            let mut s = m(vec![import(module, class)], call(class, &args));
            s.notes.push(TREE_NOTE.into());
            s
        }
        "random_forest" => {
            let class = if classify { "RandomForestClassifier" } else { "RandomForestRegressor" };
            let features = match params.get("max_features") {
                Some(Value::String(s)) if s == "auto" => if classify { "\"sqrt\"" } else { "\"all\"" }.to_string(),
                Some(Value::String(s)) => py::string(s),
                Some(v) => py::string(&v.to_string()),
                None => "\"auto\"".into(),
            };
            let mut args = xy();
            args.push(("numTrees", params.get("n_estimators").map_or("100".into(), |v| v.to_string())));
            args.push(("maxDepth", depth(params)));
            args.push(("minInstancesPerNode", params.get("min_samples_leaf").map_or("1".into(), |v| v.to_string())));
            args.push(("featureSubsetStrategy", features));
            args.push(("bootstrap", py::value(params.get("bootstrap").unwrap_or(&Value::Bool(true)))));
            args.extend([("impurity", impurity.to_string()), ("maxBins", "max_bins".into()), ("seed", "SEED".into())]);
            let mut s = m(vec![import(module, class)], call(class, &args));
            s.notes.push(TREE_NOTE.into());
            s
        }
        "gradient_boosting" => boosting(params, classify, n_classes, m),
        "self_training" => {
            let base = text(params, "estimator");
            let base_params = crate::kinds::spec_from_json(serde_json::json!({ "kind": base }))?.params_json();
            let mut s = spark_model(base, &base_params, task, n_classes)?;
            s.notes.insert(
                0,
                format!(
                    "Spark MLlib has no self-training. This script trains the base model ({}) on every training label; \
                     to learn from a few labels as mlplay did, hide most of them and repeat: fit, predict the unlabelled \
                     rows, keep the confident predictions as labels, fit again.",
                    base.replace('_', " ")
                ),
            );
            s
        }
        "mlp" if classify => {
            let hidden: Vec<String> =
                params["hidden_layer_sizes"].as_array().map_or(vec![], |a| a.iter().map(|v| v.to_string()).collect());
            let mut args = xy();
            args.push((
                "layers",
                format!(
                    "[n_features, {}{}]",
                    hidden.join(", "),
                    if hidden.is_empty() { "len(CLASSES)" } else { ", len(CLASSES)" }
                ),
            ));
            args.push(("maxIter", params.get("max_iter").map_or("200".into(), |v| v.to_string())));
            args.push(("stepSize", py::number(num(params, "learning_rate_init", 0.001))));
            args.push(("seed", "SEED".into()));
            m(
                vec![import("classification", "MultilayerPerceptronClassifier")],
                call("MultilayerPerceptronClassifier", &args),
            )
        }
        "mlp" => {
            // MLlib's only network classifies; for a number the nearest strong learner is GBT.
            let args = xy();
            let mut s = m(vec![import("regression", "GBTRegressor")], call("GBTRegressor", &args));
            s.notes.push(
                "Spark MLlib's neural network (MultilayerPerceptronClassifier) predicts classes only. For this numeric \
                 target the script uses gradient-boosted trees (GBTRegressor), MLlib's strongest regressor, instead."
                    .into(),
            );
            s
        }
        "autoencoder" => {
            let bottleneck =
                params["hidden_layer_sizes"].as_array().and_then(|l| l.last()).and_then(Value::as_u64).unwrap_or(3);
            let args = vec![
                ("k", format!("min({bottleneck}, n_features)")),
                ("contamination", py::number(num(params, "contamination", 0.01))),
            ];
            let imports = vec![
                "from pyspark.ml import Estimator, Model".to_string(),
                import("feature", "PCA"),
                import("feature", "StandardScaler"),
                "from pyspark.ml.linalg import Vectors, VectorUDT".into(),
                "from pyspark.sql.types import DoubleType".into(),
                "import numpy as np".into(),
            ];
            let mut s = m(imports, call("ReconstructionErrorDetector", &args));
            s.define = AUTOENCODER_CLASS.into();
            s.notes.push(format!(
                "Spark MLlib has no autoencoder. The nearest it has is PCA: keeping the first k={bottleneck} directions of \
                 spread and rebuilding each row from them is what an autoencoder with a {bottleneck}-unit middle layer does \
                 when its units are linear. The class above scores each row by that reconstruction error and flags the \
                 rows above the threshold that a share `contamination` of the training rows exceed, as mlplay does. A \
                 straight-line rebuild misses curved patterns a network can learn, so its flags differ from mlplay's. \
                 The class's Python code runs in Spark's worker processes, which need numpy (as pyspark.ml does); \
                 started with plain python, set PYSPARK_PYTHON to this interpreter if the `python3` on the PATH lacks it."
            ));
            s
        }
        "kmeans" => {
            let args = vec![
                ("featuresCol", "\"_features\"".to_string()),
                ("k", params["n_clusters"].to_string()),
                ("maxIter", params["max_iter"].to_string()),
                ("tol", py::number(num(params, "tol", 1e-4))),
                ("seed", "SEED".into()),
            ];
            let mut s = m(vec![import("clustering", "KMeans")], call("KMeans", &args));
            s.notes.push("Spark starts with k-means|| (a parallel k-means++) and runs it once; scikit-learn's n_init restarts have no counterpart.".into());
            s
        }
        "dbscan" => {
            let args = vec![("featuresCol", "\"_features\"".to_string()), ("k", "K".into()), ("seed", "SEED".into())];
            let mut s = m(vec![import("clustering", "BisectingKMeans")], call("BisectingKMeans", &args));
            s.notes.push(
                "Spark MLlib has no DBSCAN (density-based clustering that finds the number of groups and marks noise). \
                 The nearest it has is BisectingKMeans, which splits the data in two again and again until there are K \
                 groups: set K to the number of clusters you expect (mlplay's DBSCAN reports how many it found). It \
                 finds round groups and marks no row as noise."
                    .into(),
            );
            s
        }
        "pca" | "tsne" | "umap" => {
            let k = if kind == "pca" { params["n_components"].to_string() } else { "2".into() };
            let args =
                vec![("inputCol", "\"_features\"".to_string()), ("outputCol", "\"_embedding\"".into()), ("k", k)];
            let mut s = m(vec![import("feature", "PCA")], call("PCA", &args));
            if kind != "pca" {
                s.notes.push(format!(
                    "Spark MLlib has no {}. The nearest it has is PCA to 2 dimensions: a straight-line projection, \
                     which keeps the big directions of spread but not the small neighbourhoods {} keeps. On one machine, \
                     the scikit-learn export of this experiment runs {} itself.",
                    if kind == "tsne" { "t-SNE" } else { "UMAP" },
                    if kind == "tsne" { "t-SNE" } else { "UMAP" },
                    if kind == "tsne" { "t-SNE" } else { "UMAP (with umap-learn)" }
                ));
            }
            s
        }
        other => return Err(Error::Data(format!("{other} cannot be exported to Spark MLlib for a {module} target"))),
    })
}

fn boosting(
    params: &Value,
    classify: bool,
    n_classes: usize,
    m: impl Fn(Vec<String>, String) -> SparkModel,
) -> SparkModel {
    // Spark limits trees by depth, not leaves: 31 leaves need a depth of 5.
    let depth = match params.get("max_depth").and_then(Value::as_u64) {
        Some(d) => d.min(30),
        None => {
            (params.get("max_leaf_nodes").and_then(Value::as_f64).unwrap_or(31.0).log2().ceil() as u64).clamp(1, 30)
        }
    };
    let class = if classify { "GBTClassifier" } else { "GBTRegressor" };
    let mut args = xy();
    args.push(("maxIter", params.get("max_iter").map_or("100".into(), |v| v.to_string())));
    args.push(("stepSize", py::number(num(params, "learning_rate", 0.1))));
    args.push(("maxDepth", depth.to_string()));
    args.push(("minInstancesPerNode", params.get("min_samples_leaf").map_or("20".into(), |v| v.to_string())));
    args.extend([("maxBins", "max_bins".to_string()), ("seed", "SEED".into())]);
    let module = if classify { "classification" } else { "regression" };
    let mut notes = vec![format!(
        "Spark's GBT grows full trees of depth maxDepth={depth} (about max_leaf_nodes leaves) on binned features; it has \
         no l2_regularization, and no early stopping unless given a validation column."
    )];
    if classify && n_classes > 2 {
        notes.push(
            "Spark's GBTClassifier handles two classes only. For more, OneVsRest trains one per class (this class \
             against the rest) and picks the most confident; it gives no probabilities, so log_loss is not reported."
                .into(),
        );
        let mut s = m(
            vec![import("classification", "GBTClassifier"), import("classification", "OneVsRest")],
            call(
                "OneVsRest",
                &[
                    ("classifier", call(class, &args)),
                    ("featuresCol", "\"_features\"".into()),
                    ("labelCol", "\"_label\"".into()),
                ],
            ),
        );
        s.notes = notes;
        s.probabilities = false;
        return s;
    }
    let mut s = m(vec![import(module, class)], call(class, &args));
    s.notes = notes;
    s
}

/// The PCA detector the autoencoder export defines for Spark; its probabilities are
/// mlplay's: for error e and threshold t, [1 - s, s] with s = e / (e + t).
const AUTOENCODER_CLASS: &str = r#"class ReconstructionErrorDetector(Estimator):
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

const TREE_NOTE: &str = "Spark bins every numeric feature into maxBins values before growing trees (mlplay and \
    scikit-learn try every boundary), and limits depth to 30. Text columns are categories for Spark's trees, split \
    into groups as mlplay does.";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn penalties_become_spark_reg_params() {
        let s = spark_model(
            "logistic_regression",
            &json!({"C": 0.5, "penalty": "l1", "max_iter": 100, "tol": 1e-4}),
            Task::Classification,
            2,
        )
        .unwrap();
        assert!(
            s.call.contains("regParam=1.0 / (0.5 * n_train)") && s.call.contains("elasticNetParam=1.0"),
            "{}",
            s.call
        );
    }

    #[test]
    fn kinds_without_a_counterpart_say_so_and_use_the_nearest() {
        for kind in ["tsne", "umap", "dbscan", "knn", "autoencoder"] {
            let params = crate::kinds::spec_from_json(json!({ "kind": kind })).unwrap().params_json();
            let s = spark_model(kind, &params, Task::Classification, 3).unwrap();
            assert!(s.notes[0].contains("has no"), "{kind}: {:?}", s.notes);
        }
        let p = crate::kinds::spec_from_json(json!({"kind": "gradient_boosting"})).unwrap().params_json();
        let s = spark_model("gradient_boosting", &p, Task::Classification, 3).unwrap();
        assert!(s.call.starts_with("OneVsRest(") && !s.probabilities);
        assert!(spark_model("gradient_boosting", &p, Task::Classification, 2).unwrap().call.contains("maxDepth=5"));
    }

    #[test]
    fn an_mlp_kind_needs_no_more_than_its_entry() {
        let s =
            spark_model("mlp", &json!({"hidden_layer_sizes": [16], "max_iter": 50}), Task::Classification, 3).unwrap();
        assert!(s.call.contains("layers=[n_features, 16, len(CLASSES)]"), "{}", s.call);
    }
}
