//! mlplay's model kinds as scikit-learn estimators: the class, its hyperparameters under
//! scikit-learn's names, a plain explanation of the model, and notes where the two differ.
//! Each kind writes its own mapping, from its typed hyperparameters, in its description
//! (`kinds/<name>.rs`); this is the export's door to them.

pub use crate::kinds::export::{estimator, Estimator};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Task;
    use crate::kinds::spec_from_json;
    use serde_json::{json, Value};

    /// The link's hyperparameters: the kind's defaults with `changes`.
    fn params(kind: &str, changes: Value) -> Value {
        let mut v = changes;
        v["kind"] = json!(kind);
        spec_from_json(v).unwrap().params_json()
    }

    #[test]
    fn auto_values_fall_back_to_sklearn_defaults() {
        let p = params(
            "random_forest",
            json!({"n_estimators": 50, "criterion": "auto", "max_depth": null, "min_samples_split": 2, "min_samples_leaf": 1,
                   "max_features": "auto", "bootstrap": false, "oob_score": true}),
        );
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
        let p = params("random_forest", json!({"max_features": "all"}));
        assert!(estimator("random_forest", &p, Task::Classification).unwrap().call().contains("max_features=None"));
    }

    #[test]
    fn solvers_map_to_ones_sklearn_has() {
        let p = params("logistic_regression", json!({"penalty": "l1", "C": 0.5, "solver": "lbfgs"}));
        let e = estimator("logistic_regression", &p, Task::Classification).unwrap();
        assert_eq!(e.call(), "LogisticRegression(C=0.5, max_iter=100, tol=0.0001, l1_ratio=1.0, solver=\"saga\")");
        let p = params("logistic_regression", json!({"penalty": "l2", "solver": "gradient_descent"}));
        let e = estimator("logistic_regression", &p, Task::Classification).unwrap();
        assert!(e.call().contains("lbfgs") && e.notes.len() == 1);
    }

    #[test]
    fn an_mlp_passes_every_network_setting_sklearn_has() {
        let p = params("mlp", json!({"hidden_layer_sizes": [16, 8], "early_stopping": true, "beta_1": 0.8}));
        let e = estimator("mlp", &p, Task::Classification).unwrap();
        let call = e.call();
        for arg in [
            "MLPClassifier(\n    hidden_layer_sizes=[16, 8],\n    activation=\"relu\",",
            "nesterovs_momentum=True,",
            "beta_1=0.8,",
            "beta_2=0.999,",
            "epsilon=1e-8,",
            "early_stopping=True,",
            "random_state=SEED,\n)",
        ] {
            assert!(call.contains(arg), "{arg} not in {call}");
        }
        assert!(!call.contains("dropout") && e.notes.iter().any(|n| n.contains("validation_fraction")), "{e:?}");
    }

    #[test]
    fn self_training_wraps_its_base_with_the_base_defaults() {
        let p = params("self_training", json!({"estimator": "knn", "threshold": 0.9, "max_iter": 5}));
        let e = estimator("self_training", &p, Task::Classification).unwrap();
        assert!(e.call().contains("estimator=KNeighborsClassifier(n_neighbors=5"), "{}", e.call());
        assert!(e.import.contains("sklearn.neighbors") && e.import.contains("SelfTrainingClassifier"));
    }
}
