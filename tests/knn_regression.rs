//! k-NN regression gives scikit-learn's KNeighborsRegressor predictions on diabetes, both
//! through the exhaustive scan (ten columns) and the kd-tree (three columns), fixture from
//! tests/fixtures/make_knn_regression_fixtures.py; and runs end to end in a session.

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::models::knn::{KnnModel, KnnParams};
use mlplay::models::{Model, Prediction};
use mlplay::state::AppState;
use ndarray::Array2;
use serde_json::{json, Value};

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    Array2::from_shape_vec((rows.len(), rows[0].len()), rows.concat()).unwrap()
}

fn values(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

#[test]
fn knn_regression_matches_scikit_learn() {
    let f: Value = serde_json::from_str(include_str!("fixtures/knn_regression_diabetes.json")).unwrap();
    for (case, tree) in [("all", false), ("three", true)] {
        let c = &f[case];
        let (xt, yt, xs) = (matrix(&c["x_train"]), values(&c["y_train"]), matrix(&c["x_test"]));
        for (k, weights) in [(5, "uniform"), (7, "distance"), (1, "uniform")] {
            let m = KnnModel::fit_values(&KnnParams { n_neighbors: k, weights: weights.into() }, &xt, &yt).unwrap();
            assert_eq!(m.uses_tree(), tree, "{case}");
            let Prediction::Values(p) = m.predict(&xs) else { panic!("a regressor") };
            let key = format!("knn_{k}_{weights}");
            let theirs = values(&c[&key]["pred"]);
            let worst = p.iter().zip(&theirs).fold(0.0f64, |a, (x, y)| a.max((x - y).abs()));
            assert!(worst < 1e-9, "{case} {key}: largest difference {worst}");
            let r2 = mlplay::metrics::regression::r2(&values(&c["y_test"]), p.as_slice().unwrap());
            let their_r2 = c[&key]["r2"].as_f64().unwrap();
            assert!((r2 - their_r2).abs() < 1e-9, "{case} {key}: R² {r2} vs {their_r2}");
        }
    }
}

#[test]
fn knn_regression_runs_in_a_session() {
    let state = AppState {
        dataset: DatasetSpec::new("diabetes"),
        model: spec_from_json(json!({"kind": "knn", "n_neighbors": 10, "weights": "distance"})).unwrap(),
        ..Default::default()
    };
    let data = builtin::load(&state.dataset, None, state.seed).unwrap();
    let mut s = Session::new(state, &data).unwrap();
    s.run_to_end().unwrap();
    let r = s.report();
    let r2 = r.metrics.validation["r2"];
    // k-NN on diabetes: scikit-learn's R² on its split is 0.24-0.26; allow for our split.
    assert!((0.1..0.7).contains(&r2), "validation R² {r2}");
    assert_eq!(r.metrics.train["r2"], 1.0, "distance weights reproduce the training rows");
}
