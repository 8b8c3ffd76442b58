//! mlplay's model kinds as Spark MLlib estimators. Where MLlib has no counterpart (k-NN,
//! DBSCAN, t-SNE, UMAP, self-training, the autoencoder, the isolation forest; gradient
//! boosting for more than two classes; the mlp on a numeric target) the nearest one it has
//! is used and the exported file says so. Each kind writes its own mapping in its
//! description (`kinds/<name>.rs`); this is the export's door to them.

pub use crate::kinds::export::{spark_model, SparkModel};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Task;
    use crate::kinds::spec_from_json;
    use serde_json::{json, Value};

    fn params(kind: &str, changes: Value) -> Value {
        let mut v = changes;
        v["kind"] = json!(kind);
        spec_from_json(v).unwrap().params_json()
    }

    #[test]
    fn penalties_become_spark_reg_params() {
        let p = params("logistic_regression", json!({"C": 0.5, "penalty": "l1", "max_iter": 100, "tol": 1e-4}));
        let s = spark_model("logistic_regression", &p, Task::Classification, 2).unwrap();
        assert!(
            s.call.contains("regParam=1.0 / (0.5 * n_train)") && s.call.contains("elasticNetParam=1.0"),
            "{}",
            s.call
        );
    }

    #[test]
    fn kinds_without_a_counterpart_say_so_and_use_the_nearest() {
        for kind in ["tsne", "umap", "dbscan", "knn", "autoencoder", "isolation_forest"] {
            let s = spark_model(kind, &params(kind, json!({})), Task::Classification, 3).unwrap();
            assert!(s.notes[0].contains("has no"), "{kind}: {:?}", s.notes);
        }
        let p = params("gradient_boosting", json!({}));
        let s = spark_model("gradient_boosting", &p, Task::Classification, 3).unwrap();
        assert!(s.call.starts_with("OneVsRest(") && !s.probabilities);
        assert!(spark_model("gradient_boosting", &p, Task::Classification, 2).unwrap().call.contains("maxDepth=5"));
    }

    #[test]
    fn an_mlp_kind_needs_no_more_than_its_entry() {
        let p = params("mlp", json!({"hidden_layer_sizes": [16], "max_iter": 50}));
        let s = spark_model("mlp", &p, Task::Classification, 3).unwrap();
        assert!(s.call.contains("layers=[n_features, 16, len(CLASSES)]"), "{}", s.call);
    }
}
