//! The descent view (crates/core/src/models/descent.rs): its minimum is scikit-learn's (least squares,
//! and LogisticRegression with C=1; fixture from tests/fixtures/make_descent_fixtures.py),
//! each optimiser's path ends near it, a too-large learning rate diverges with the named
//! note, and linear regression's gradient descent follows the same path and stops with the
//! same note when it diverges.

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::models::descent::{descent_view, DescentSpec, DescentView, Objective};
use mlplay::models::linear::LinearRegressionParams;
use mlplay::models::linear_gd::GradientTrainer;
use mlplay::state::AppState;
use ndarray::Array2;
use serde_json::{json, Value};

fn fixture(name: &str) -> (Array2<f64>, Vec<f64>, Vec<f64>, f64) {
    let all: Value = serde_json::from_str(include_str!("fixtures/descent.json")).unwrap();
    let f = &all[name];
    let rows: Vec<Vec<f64>> = serde_json::from_value(f["x"].clone()).unwrap();
    let x = Array2::from_shape_vec((rows.len(), rows[0].len()), rows.concat()).unwrap();
    let y: Vec<f64> = serde_json::from_value(f["y"].clone()).unwrap();
    let coef: Vec<f64> = serde_json::from_value(f["coef"].clone()).unwrap();
    (x, y, coef, f["intercept"].as_f64().unwrap())
}

fn names(d: usize) -> Vec<String> {
    (1..=d).map(|j| format!("x{j}")).collect()
}

fn view(name: &str, objective: Objective, optimizer: &str, learning_rate: f64, epochs: usize) -> DescentView {
    let (x, y, _, _) = fixture(name);
    let spec = DescentSpec { optimizer: optimizer.into(), learning_rate, epochs, grid: 40 };
    descent_view(&x, &y, &names(x.ncols()), objective, &spec).unwrap()
}

fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

#[test]
fn the_minimum_is_scikit_learns_and_every_optimiser_gets_there() {
    let (_, _, coef, intercept) = fixture("regression_one");
    let theirs = [coef[0], intercept];
    for (optimizer, lr, epochs, tol) in
        [("sgd", 0.1, 300, 1e-6), ("momentum", 0.05, 300, 1e-6), ("adam", 0.05, 2000, 1e-3)]
    {
        let v = view("regression_one", Objective::Squared, optimizer, lr, epochs);
        assert!(distance(v.optimum, theirs) < 1e-9, "least squares {:?} vs scikit-learn {theirs:?}", v.optimum);
        assert_eq!(v.optimum_label, "least-squares solution");
        assert_eq!(v.path[0], [0.0, 0.0], "the path starts at zero");
        assert_eq!(v.path.len(), epochs + 1);
        let end = *v.path.last().unwrap();
        eprintln!(
            "{optimizer}: ends at {end:?}, {} from least squares; converged at {:?}",
            distance(end, theirs),
            v.converged_at
        );
        assert!(distance(end, theirs) < tol, "{optimizer} ends at {end:?}, least squares {theirs:?}");
        assert!(v.diverged_at.is_none() && v.note.is_none());
        assert!(v.converged_at.is_some_and(|e| e < epochs), "{optimizer}: never within 0.1% of the minimum");
    }
    // Plain gradient descent lowers the loss every epoch at a safe learning rate.
    let v = view("regression_one", Objective::Squared, "sgd", 0.1, 100);
    assert!(v.path_loss.windows(2).all(|w| w[1] <= w[0] * (1.0 + 1e-12)));
}

#[test]
fn the_surface_is_the_loss_and_its_lowest_cell_is_near_the_minimum() {
    let v = view("regression_one", Objective::Squared, "sgd", 0.1, 100);
    let n = v.grid;
    assert_eq!(v.surface.len(), n * n);
    let (lo, hi) =
        (v.surface.iter().cloned().fold(f64::INFINITY, f64::min), v.surface.iter().cloned().fold(0.0, f64::max));
    assert!(lo >= v.optimum_loss - 1e-9, "a cell {lo} below the minimum {}", v.optimum_loss);
    assert!(lo < v.optimum_loss * 1.2 && hi > 5.0 * v.optimum_loss, "cells from {lo} to {hi}");
    // The corner cell (x0, y0) is the loss at those parameters: the path's start is the
    // mean of y^2 at (0, 0), which lies inside the window.
    let (_, y, _, _) = fixture("regression_one");
    let at_zero = y.iter().map(|v| v * v).sum::<f64>() / y.len() as f64;
    assert!((v.path_loss[0] - at_zero).abs() < 1e-9);
    assert!(v.x_range[0] < 0.0 && v.x_range[1] > v.optimum[0] && v.y_range[0] < 0.0 && v.y_range[1] > v.optimum[1]);
    assert_eq!(v.axes, ["slope (weight of x1)".to_string(), "intercept".to_string()]);
}

#[test]
fn on_three_features_the_two_largest_weights_move_and_the_caption_says_so() {
    let (_, _, coef, _) = fixture("regression_three");
    let v = view("regression_three", Objective::Squared, "sgd", 0.1, 400);
    assert_eq!(v.axes, ["weight of x1".to_string(), "weight of x2".to_string()]);
    assert!(v.caption.contains("held at their fitted values"), "{}", v.caption);
    assert!(distance(v.optimum, [coef[0], coef[1]]) < 1e-9);
    assert!(distance(*v.path.last().unwrap(), [coef[0], coef[1]]) < 1e-6);
}

#[test]
fn the_logistic_minimum_is_scikit_learns() {
    for (name, axes) in [("classification_one", [0usize, 1]), ("classification_three", [0, 1])] {
        let (_, _, coef, intercept) = fixture(name);
        let all: Vec<f64> = coef.iter().copied().chain([intercept]).collect();
        let theirs = [all[axes[0]], all[axes[1]]];
        let v = view(name, Objective::Logistic { c: 1.0 }, "sgd", 1.0, 3000);
        eprintln!("{name}: ours {:?}, scikit-learn {theirs:?}; path ends at {:?}", v.optimum, v.path.last());
        assert!(distance(v.optimum, theirs) < 1e-5, "{name}: {:?} vs {theirs:?}", v.optimum);
        assert!(distance(*v.path.last().unwrap(), theirs) < 1e-3, "{name}: path ends at {:?}", v.path.last());
        let lowest = v.surface.iter().cloned().fold(f64::INFINITY, f64::min);
        assert!(lowest >= v.optimum_loss - 1e-9);
    }
}

#[test]
fn a_too_large_learning_rate_overshoots_and_diverges_with_the_note() {
    let v = view("regression_one", Objective::Squared, "sgd", 1.2, 200);
    let epoch = v.diverged_at.expect("learning rate 1.2 diverges");
    let note = v.note.clone().unwrap();
    assert!(note.starts_with(&format!("training diverged at epoch {epoch} (the loss jumped to ")), "{note}");
    assert!(note.contains("lower learning_rate"), "{note}");
    // It overshoots: the slope jumps past the minimum to the other side, further each time.
    let (_, _, coef, _) = fixture("regression_one");
    let side: Vec<f64> = v.path.iter().map(|p| p[0] - coef[0]).collect();
    assert!(side[1] > 0.0 && side[2] < 0.0 && side[2].abs() > side[0].abs().min(side[1].abs()));
    // Just below the edge (2 over the Hessian's largest eigenvalue: 0.738 on these rows,
    // by numpy) it still converges, bouncing.
    let v = view("regression_one", Objective::Squared, "sgd", 0.7, 300);
    assert!(v.diverged_at.is_none() && v.converged_at.is_some());
}

#[test]
fn bad_requests_are_refused() {
    let (x, y, _, _) = fixture("regression_one");
    let bad = |spec: DescentSpec| descent_view(&x, &y, &names(1), Objective::Squared, &spec).unwrap_err().to_string();
    assert!(bad(DescentSpec { optimizer: "newton".into(), ..Default::default() }).contains("optimizer"));
    assert!(bad(DescentSpec { learning_rate: 0.0, ..Default::default() }).contains("learning_rate"));
    let err = descent_view(&x, &y, &names(1), Objective::Logistic { c: 1.0 }, &DescentSpec::default()).unwrap_err();
    assert!(err.to_string().contains("labels 0 and 1"), "{err}");
}

#[test]
fn linear_regressions_gradient_descent_walks_the_drawn_path() {
    let (x, y, _, _) = fixture("regression_one");
    let params = LinearRegressionParams { solver: "gradient_descent".into(), learning_rate: 0.3, ..Default::default() };
    let mut t = GradientTrainer::new(params, &x, &y).unwrap();
    let v = view("regression_one", Objective::Squared, "sgd", 0.3, 20);
    for epoch in 1..=20 {
        let loss = t.epoch(&x, &y).unwrap();
        assert!(
            (loss - v.path_loss[epoch]).abs() < 1e-9 * loss.max(1.0),
            "epoch {epoch}: {loss} vs {}",
            v.path_loss[epoch]
        );
    }
}

fn session(learning_rate: f64, max_iter: u32) -> Session {
    let state = AppState {
        dataset: DatasetSpec { id: "linear".into(), ..Default::default() },
        model: spec_from_json(json!({"kind": "linear_regression", "solver": "gradient_descent",
            "learning_rate": learning_rate, "max_iter": max_iter}))
        .unwrap(),
        ..Default::default()
    };
    let data = builtin::load(&state.dataset, None, state.seed).unwrap();
    let mut s = Session::new(state, &data).unwrap();
    s.run_to_end().unwrap();
    s
}

#[test]
fn linear_regression_stops_with_the_divergence_note() {
    let s = session(2.0, 200);
    let notes = s.notes();
    let note = notes.iter().find(|n| n.contains("training diverged at epoch")).unwrap_or_else(|| panic!("{notes:?}"));
    assert!(note.contains("lower learning_rate") && note.contains("are kept"), "{note}");
    let steps = s.snapshot().step;
    assert!(steps < 200, "training went on for {steps} epochs after diverging");
    assert!(s.report().notes.iter().any(|n| n == note), "the report carries the note");
    // A safe rate ends at the exact fit, without a note.
    let s = session(0.1, 200);
    assert!(!s.notes().iter().any(|n| n.contains("diverged")));
    assert!(s.report().metrics.validation["r2"] > 0.9);
}
