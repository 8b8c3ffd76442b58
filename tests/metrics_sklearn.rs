//! Classification metrics equal scikit-learn's on the same predictions
//! (fixture written by tests/fixtures/make_fixtures.py).

use mlplay::metrics::classification::{
    accuracy, argmax_rows, balanced_accuracy, confusion_matrix, evaluate, log_loss, per_class, ClassScores,
};
use mlplay::metrics::curves::cuts;
use ndarray::Array2;
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

#[test]
fn match_scikit_learn() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("fixtures/classification_metrics.json")).unwrap();
    assert!(cases.len() >= 4);
    for c in cases {
        let y: Vec<u32> = c["y_true"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
        let rows: Vec<Vec<f64>> = serde_json::from_value(c["proba"].clone()).unwrap();
        let k = rows[0].len();
        let p = Array2::from_shape_vec((rows.len(), k), rows.concat()).unwrap();
        let pred = argmax_rows(&p);
        let close = |a: f64, name: &str| {
            let b = c[name].as_f64().unwrap();
            assert!((a - b).abs() < 1e-12, "{name} (k={k}): ours {a}, scikit-learn {b}");
        };
        close(accuracy(&y, &pred), "accuracy");
        close(balanced_accuracy(&y, &pred, k), "balanced_accuracy");
        close(log_loss(&y, &p), "log_loss");

        let cm = confusion_matrix(&y, &pred, k);
        assert_eq!(serde_json::to_value(&cm).unwrap(), c["confusion"]);
        let scores = per_class(&cm);
        for (field, get) in [
            ("precision", (|s: &ClassScores| s.precision) as fn(&ClassScores) -> f64),
            ("recall", |s| s.recall),
            ("f1", |s| s.f1),
        ] {
            let theirs = floats(&c["per_class"][field]);
            for (s, t) in scores.iter().zip(&theirs) {
                assert!((get(s) - t).abs() < 1e-12, "per-class {field}: ours {}, scikit-learn {t}", get(s));
            }
        }
        // Every metric scikit-learn computed for this case is in our report, and equal.
        let ours = evaluate(&y, &p);
        let names: &[&str] = if k == 2 {
            &["precision", "recall", "f1", "roc_auc", "average_precision"]
        } else {
            &["precision_macro", "recall_macro", "f1_macro", "f1_weighted", "roc_auc_ovr"]
        };
        for &n in names {
            close(ours[n], n);
        }
        if k == 2 {
            let pos: Vec<bool> = y.iter().map(|&t| t == 1).collect();
            let curve = cuts(&pos, &p.column(1).to_vec());
            let fpr: Vec<f64> = curve.iter().map(|c| c.fpr()).collect();
            let tpr: Vec<f64> = curve.iter().map(|c| c.recall()).collect();
            assert_eq!(fpr.len(), floats(&c["roc"]["fpr"]).len(), "one ROC point per distinct score");
            for (a, b) in fpr.iter().chain(&tpr).zip(floats(&c["roc"]["fpr"]).iter().chain(&floats(&c["roc"]["tpr"]))) {
                assert!((a - b).abs() < 1e-12, "ROC point: ours {a}, scikit-learn {b}");
            }
        }
    }
}

#[test]
fn regression_metrics_match_scikit_learn() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("fixtures/regression_metrics.json")).unwrap();
    assert_eq!(cases.len(), 3);
    for c in cases {
        let m = mlplay::metrics::regression::evaluate(&floats(&c["y_true"]), &floats(&c["y_pred"]));
        for name in ["mse", "mae", "r2"] {
            let theirs = c[name].as_f64().unwrap();
            assert!(
                (m[name] - theirs).abs() <= 1e-12 * theirs.abs().max(1.0),
                "{name}: ours {}, scikit-learn {theirs}",
                m[name]
            );
        }
        assert!((m["rmse"] - m["mse"].sqrt()).abs() < 1e-15);
    }
}
