//! Linear regression, ridge and lasso reach scikit-learn's coefficients, intercepts and
//! test R² on the diabetes data (fixture from tests/fixtures/make_linear_fixtures.py),
//! gradient descent approaches the exact fit (or diverges at a too-large learning rate), and odd data or settings give clear errors.

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::models::lasso::{self, LassoParams};
use mlplay::models::linear::{LinearModel, LinearRegressionParams};
use mlplay::models::{linear_gd, Trainer};
use mlplay::state::AppState;
use ndarray::{array, Array2};
use serde_json::{json, Value};

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    Array2::from_shape_vec((rows.len(), rows[0].len()), rows.concat()).unwrap()
}

fn values(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/linear_diabetes.json")).unwrap()
}

/// Largest relative difference of ours from theirs; values near zero are compared
/// relative to the largest of theirs (a lasso weight of exactly 0 has no scale).
fn worst_rel(ours: &[f64], theirs: &[f64]) -> f64 {
    let scale = theirs.iter().fold(0.0f64, |a, b| a.max(b.abs()));
    ours.iter().zip(theirs).map(|(a, b)| (a - b).abs() / b.abs().max(1e-6 * scale).max(1e-300)).fold(0.0, f64::max)
}

/// Fits every fixture entry of `kinds`, returning the worst relative difference seen
/// (coefficients, intercept, test R²) after checking each against `tol`.
fn compare(kinds: &[&str], tol: f64) -> f64 {
    let f = fixture();
    let (y_train, y_test) = (values(&f["y_train"]), values(&f["y_test"]));
    let mut worst = 0.0f64;
    for fit in f["fits"].as_array().unwrap().iter().filter(|e| kinds.contains(&e["kind"].as_str().unwrap())) {
        let case = fit["case"].as_str().unwrap();
        let (xt, xs) = (matrix(&f["x"][case]["train"]), matrix(&f["x"][case]["test"]));
        let p = &fit["params"];
        let intercept = p["fit_intercept"].as_bool().unwrap();
        let alpha = p["alpha"].as_f64().unwrap_or(0.0);
        let m = match fit["kind"].as_str().unwrap() {
            "linear_regression" => LinearModel::least_squares(&xt, &y_train, intercept).unwrap(),
            "ridge" => LinearModel::ridge(&xt, &y_train, alpha, intercept).unwrap(),
            _ => {
                let params = LassoParams { alpha, max_iter: 1_000_000, tol: 1e-12, fit_intercept: intercept };
                lasso::fit_xy(&params, &xt, &y_train).unwrap().0
            }
        };
        let r2 = mlplay::metrics::regression::r2(&y_test, m.predict_values(&xs).as_slice().unwrap());
        let name = format!("{case} {} {p}", fit["kind"]);
        let d_coef = worst_rel(&m.coef, &values(&fit["coef"]));
        let d_int = worst_rel(&[m.intercept], &[fit["intercept"].as_f64().unwrap()]);
        let d_r2 = worst_rel(&[r2], &[fit["test_r2"].as_f64().unwrap()]);
        eprintln!("{name}: coef {d_coef:.2e}, intercept {d_int:.2e}, test R2 {d_r2:.2e}");
        assert!(d_coef < tol && d_int < tol && d_r2 < tol, "{name}: coef {d_coef:e}, intercept {d_int:e}, R2 {d_r2:e}");
        if fit["kind"] == "lasso" {
            // The same features are switched off.
            let zeros = |w: &[f64]| w.iter().map(|v| *v == 0.0).collect::<Vec<_>>();
            assert_eq!(zeros(&m.coef), zeros(&values(&fit["coef"])), "{name}");
        }
        worst = worst.max(d_coef).max(d_int).max(d_r2);
    }
    worst
}

#[test]
fn least_squares_and_ridge_match_scikit_learn() {
    let worst = compare(&["linear_regression", "ridge"], 1e-6);
    eprintln!("worst relative difference {worst:e}");
}

#[test]
fn lasso_matches_scikit_learn() {
    let worst = compare(&["lasso"], 1e-4);
    eprintln!("worst relative difference {worst:e}");
}

fn standardised() -> (Array2<f64>, Vec<f64>) {
    let f = fixture();
    (matrix(&f["x"]["standardised"]["train"]), values(&f["y_train"]))
}

fn train_mse(m: &LinearModel, x: &Array2<f64>, y: &[f64]) -> f64 {
    mlplay::metrics::regression::mse(y, m.predict_values(x).as_slice().unwrap())
}

#[test]
fn gradient_descent_approaches_the_exact_fit() {
    let (x, y) = standardised();
    let exact = train_mse(&LinearModel::least_squares(&x, &y, true).unwrap(), &x, &y);
    for learning_rate in [0.05, 0.1] {
        let params = LinearRegressionParams {
            solver: "gradient_descent".into(),
            max_iter: 2000,
            learning_rate,
            ..Default::default()
        };
        let gd = train_mse(&linear_gd::fit_xy(&params, &x, &y).unwrap(), &x, &y);
        let rel = (gd - exact) / exact;
        eprintln!("learning_rate {learning_rate}: gradient descent MSE {gd}, exact {exact}, relative {rel:e}");
        assert!((0.0..1e-3).contains(&rel), "learning_rate {learning_rate}: {gd} vs {exact}");
    }
    // A learning rate far too large overshoots until the loss runs away: training stops
    // there (tests/descent.rs checks the note).
    let params = LinearRegressionParams { solver: "gradient_descent".into(), learning_rate: 5.0, ..Default::default() };
    let mut t = linear_gd::GradientTrainer::new(params, &x, &y).unwrap();
    while !t.diverged() {
        t.epoch(&x, &y).unwrap();
    }
    assert!(t.steps_done() < 20, "diverged only after {} epochs", t.steps_done());
    assert!(t.epoch(&x, &y).is_err());
    // The default settings already get close.
    let params = LinearRegressionParams { solver: "gradient_descent".into(), ..Default::default() };
    let gd = train_mse(&linear_gd::fit_xy(&params, &x, &y).unwrap(), &x, &y);
    eprintln!("defaults: relative {:e}", (gd - exact) / exact);
    assert!((gd - exact) / exact < 0.02, "{gd} vs {exact}");
}

#[test]
fn lasso_stops_early_once_settled() {
    let (x, y) = standardised();
    let mut t = lasso::LassoTrainer::new(LassoParams::default(), &x, &y).unwrap();
    let alpha = LassoParams::default().alpha;
    // Each sweep lowers the lasso objective (the MSE alone may rise as weights shrink).
    let mut objective = Vec::new();
    while !t.is_done() {
        let mse = t.sweep();
        let w = &t.model().unwrap().explain().coefficients.unwrap().weights[0];
        objective.push(mse / 2.0 + alpha * w.iter().map(|v| v.abs()).sum::<f64>());
    }
    assert!(t.steps_done() < 1000 && t.steps_total() == t.steps_done(), "{} sweeps", t.steps_done());
    assert!(objective.windows(2).all(|w| w[1] <= w[0] + 1e-9), "the objective never rises: {objective:?}");
}

#[test]
fn impossible_settings_name_the_field() {
    let cases = [
        (json!({"kind": "ridge", "alpha": -1.0}), "alpha"),
        (json!({"kind": "lasso", "alpha": 0.0}), "alpha"),
        (json!({"kind": "lasso", "max_iter": 0}), "max_iter"),
        (json!({"kind": "lasso", "tol": -1e-3}), "tol"),
        (json!({"kind": "linear_regression", "max_iter": 0}), "max_iter"),
        (json!({"kind": "linear_regression", "learning_rate": -0.1}), "learning_rate"),
        (json!({"kind": "linear_regression", "solver": "newton"}), "solver"),
    ];
    for (spec, field) in cases {
        let e = spec_from_json(spec.clone()).unwrap().validate().unwrap_err();
        assert!(e.to_string().starts_with(&format!("{field} = ")), "{spec}: {e}");
    }
    assert!(spec_from_json(json!({"kind": "ridge", "alpha": 0.0})).unwrap().validate().is_ok());
    assert!(spec_from_json(json!({"kind": "ridge", "fit_intercept": "yes"})).is_err());
}

/// Every kind on (x, y): least squares, ridge, lasso.
fn all_fits(x: &Array2<f64>, y: &[f64]) -> Vec<mlplay::Result<LinearModel>> {
    let lasso = LassoParams { alpha: 0.01, ..Default::default() };
    vec![
        LinearModel::least_squares(x, y, true),
        LinearModel::ridge(x, y, 1.0, true),
        lasso::fit_xy(&lasso, x, y).map(|r| r.0),
    ]
}

#[test]
fn degenerate_data_gives_sensible_answers() {
    let x = array![[1.0, 5.0, 2.0], [2.0, 5.0, 4.0], [3.0, 5.0, 6.0], [4.0, 5.0, 8.0]];
    // Constant target: no weights, the constant as intercept.
    for m in all_fits(&x, &[7.0; 4]) {
        let m = m.unwrap();
        assert!(m.coef.iter().all(|w| w.abs() < 1e-12) && (m.intercept - 7.0).abs() < 1e-12, "{m:?}");
    }
    // A constant column gets no weight; a column twice another shares the weight as the
    // minimum-norm answer does (w0 + 2 w2 = 3, w2 = 2 w0).
    let y = [3.0, 6.0, 9.0, 12.0];
    let m = LinearModel::least_squares(&x, &y, true).unwrap();
    assert!((m.coef[0] - 0.6).abs() < 1e-12 && m.coef[1].abs() < 1e-12 && (m.coef[2] - 1.2).abs() < 1e-12, "{m:?}");
    assert!(m.intercept.abs() < 1e-12, "{m:?}");
    for m in all_fits(&x, &y) {
        assert!(m.unwrap().coef[1].abs() < 1e-12);
    }
    // More features than rows: least squares fits the rows exactly with finite weights.
    let wide = Array2::from_shape_fn((3, 8), |(i, j)| ((i * 7 + j * 3) % 5) as f64 + (i * j) as f64 * 0.1);
    let yw = [1.0, -2.0, 0.5];
    for m in all_fits(&wide, &yw) {
        let m = m.unwrap();
        assert!(m.coef.iter().all(|w| w.is_finite()), "{m:?}");
    }
    let m = LinearModel::least_squares(&wide, &yw, true).unwrap();
    assert!(train_mse(&m, &wide, &yw) < 1e-20);
    // Missing values, no rows: errors, not panics.
    let mut bad = x.clone();
    bad[[1, 2]] = f64::NAN;
    for m in all_fits(&bad, &y) {
        assert!(m.unwrap_err().to_string().contains("missing"));
    }
    let gd = LinearRegressionParams { solver: "gradient_descent".into(), ..Default::default() };
    assert!(linear_gd::fit_xy(&gd, &bad, &y).is_err());
    let empty = Array2::<f64>::zeros((0, 3));
    for m in all_fits(&empty, &[]) {
        assert!(m.unwrap_err().to_string().contains("no rows"));
    }
}

#[test]
fn each_kind_runs_through_the_session_on_diabetes() {
    let specs = [
        json!({"kind": "linear_regression"}),
        json!({"kind": "linear_regression", "solver": "gradient_descent", "fit_intercept": false}),
        json!({"kind": "ridge", "alpha": 10.0}),
        json!({"kind": "lasso", "alpha": 0.5}),
    ];
    for spec in specs {
        let state = AppState {
            dataset: DatasetSpec { id: "diabetes".into(), ..Default::default() },
            model: spec_from_json(spec.clone()).unwrap(),
            ..Default::default()
        };
        let data = builtin::load(&state.dataset, None, state.seed).unwrap();
        let mut s = Session::new(state, &data).unwrap();
        s.run_to_end().unwrap();
        let r = s.report();
        let r2 = r.metrics.validation["r2"];
        let c = r.explanation.coefficients.expect("coefficients");
        assert_eq!(c.outputs, ["value"]);
        assert_eq!(c.weights[0].len(), 10, "{spec}");
        // Without an intercept the standardised features cannot reach the mean (~150).
        let expected = if spec["fit_intercept"] == false { -10.0..0.0 } else { 0.2..0.7 };
        assert!(expected.contains(&r2), "{spec}: validation R2 {r2}");
    }
}
