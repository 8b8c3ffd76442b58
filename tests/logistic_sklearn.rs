//! With its default epochs, logistic regression (L2 and L1, binary and multinomial) reaches
//! scikit-learn's test accuracy and log-loss on fixed splits of breast_cancer and wine
//! (fixture from tests/fixtures/make_logistic_fixtures.py: lbfgs for L2, saga for L1).

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::split::SplitSpec;
use mlplay::engine::eval::report::Report;
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::state::AppState;
use serde_json::{json, Value};

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/logistic_sklearn.json")).unwrap()
}

fn indices(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|i| i.as_u64().unwrap() as usize).collect()
}

/// Train on scikit-learn's training rows, test on its test rows (standardised on the
/// training rows by the session, as the fixture script does).
fn run_on_split(name: &str, split: &Value, model: Value) -> Report {
    let ds = builtin::load(&DatasetSpec::new(name), None, 0).unwrap();
    let (train, test) = (indices(&split["train"]), indices(&split["test"]));
    let rows: Vec<usize> = train.iter().chain(&test).copied().collect();
    let state = AppState {
        split: SplitSpec { train: 1.0, validation: 0.0, test: 0.0 },
        model: spec_from_json(model).unwrap(),
        ..Default::default()
    };
    let mut s = Session::with_holdout(state, &ds.select_rows(&rows), train.len()).unwrap();
    s.run_to_end().unwrap();
    s.report()
}

fn check(name: &str) {
    let f = fixture();
    // Both solvers for L2 (L1 always uses gradient descent).
    let runs = f[name]["cases"].as_array().unwrap().iter().flat_map(|case| {
        let solvers: &[&str] =
            if case["penalty"] == "l2" { &["gradient_descent", "lbfgs"] } else { &["gradient_descent"] };
        solvers.iter().map(move |&s| (case, s))
    });
    for (case, solver) in runs {
        let (penalty, c) = (case["penalty"].as_str().unwrap(), case["C"].as_f64().unwrap());
        let spec = json!({"kind": "logistic_regression", "penalty": penalty, "C": c, "solver": solver});
        let r = run_on_split(name, &f[name], spec);
        let test = r.metrics.test.as_ref().unwrap();
        let (acc, loss) = (test["accuracy"], test["log_loss"]);
        let (their_acc, their_loss) =
            (case["test_accuracy"].as_f64().unwrap(), case["test_log_loss"].as_f64().unwrap());
        let what =
            format!("{name} {penalty} C={c} {solver}: accuracy {acc} vs {their_acc}, log-loss {loss} vs {their_loss}");
        eprintln!("{what}");
        assert!((acc - their_acc).abs() <= 0.01 + 1e-12, "{what}");
        assert!((loss - their_loss).abs() / their_loss <= 0.01, "{what}");
        let coef = r.explanation.coefficients.as_ref().unwrap();
        let nonzero = coef.weights.iter().flatten().filter(|w| **w != 0.0).count();
        eprintln!(
            "  train log-loss {} vs {}, nonzero weights {nonzero} vs {}",
            r.metrics.train["log_loss"], case["train_log_loss"], case["nonzero_weights"]
        );
        if penalty == "l1" && c <= 0.1 {
            // L1's soft-thresholding sets weights to exactly zero, as saga does.
            assert!(nonzero < coef.weights.iter().flatten().count() / 2, "{what}: {nonzero} nonzero");
        }
    }
}

#[test]
fn binary_breast_cancer_matches_scikit_learn() {
    check("breast_cancer");
}

#[test]
fn multinomial_wine_matches_scikit_learn() {
    check("wine");
}

#[test]
fn coefficients_name_the_positive_class_or_every_class() {
    let f = fixture();
    let r = run_on_split("breast_cancer", &f["breast_cancer"], json!({"kind": "logistic_regression"}));
    let coef = r.explanation.coefficients.unwrap();
    assert_eq!(coef.outputs.len(), 1);
    assert_eq!((coef.weights.len(), coef.weights[0].len(), coef.intercepts.len()), (1, 30, 1));
    let r = run_on_split("wine", &f["wine"], json!({"kind": "logistic_regression", "penalty": "l1"}));
    let coef = r.explanation.coefficients.unwrap();
    assert_eq!(coef.outputs, vec!["cultivar_1", "cultivar_2", "cultivar_3"]);
    assert_eq!((coef.weights.len(), coef.weights[0].len()), (3, 13));
}

#[test]
fn unknown_penalty_is_named() {
    let e = spec_from_json(json!({"kind": "logistic_regression", "penalty": "l3"})).unwrap().validate().unwrap_err();
    assert!(e.to_string().contains("penalty"), "{e}");
}
