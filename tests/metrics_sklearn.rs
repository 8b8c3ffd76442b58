//! Classification metrics equal scikit-learn's on the same predictions
//! (fixture written by tests/fixtures/make_fixtures.py).

use mlplay::metrics::classification::{accuracy, argmax_rows, balanced_accuracy, log_loss};
use ndarray::Array2;
use serde_json::Value;

#[test]
fn match_scikit_learn() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("fixtures/classification_metrics.json")).unwrap();
    assert!(cases.len() >= 3);
    for c in cases {
        let y: Vec<u32> = c["y_true"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
        let rows: Vec<Vec<f64>> = serde_json::from_value(c["proba"].clone()).unwrap();
        let k = rows[0].len();
        let p = Array2::from_shape_vec((rows.len(), k), rows.concat()).unwrap();
        let pred = argmax_rows(&p);
        let close = |a: f64, name: &str| {
            let b = c[name].as_f64().unwrap();
            assert!((a - b).abs() < 1e-12, "{name}: ours {a}, scikit-learn {b}");
        };
        close(accuracy(&y, &pred), "accuracy");
        close(balanced_accuracy(&y, &pred, k), "balanced_accuracy");
        close(log_loss(&y, &p), "log_loss");
    }
}
