//! Logistic regression reaches stated quality on known data, and converges to the same
//! optimum as scikit-learn (fixture from tests/fixtures/make_fixtures.py).

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::split::SplitSpec;
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::state::AppState;
use serde_json::{json, Value};

fn run(state: AppState) -> mlplay::engine::eval::report::Report {
    let data = builtin::load(&state.dataset, None, state.seed).unwrap();
    let mut s = Session::new(state, &data).unwrap();
    s.run_to_end().unwrap();
    s.report()
}

#[test]
fn iris_defaults_reach_90_percent_validation_accuracy() {
    for seed in [1, 2, 3] {
        let r = run(AppState { seed, ..Default::default() });
        let acc = r.metrics.validation["accuracy"];
        assert!(acc >= 0.9, "seed {seed}: validation accuracy {acc}");
    }
}

#[test]
fn moons_linear_boundary_scores_as_expected() {
    // Two moons are not linearly separable: a straight line gets ~85%, not 100%.
    let state = AppState { dataset: DatasetSpec { id: "moons".into(), ..Default::default() }, ..Default::default() };
    let acc = run(state).metrics.validation["accuracy"];
    assert!((0.78..0.95).contains(&acc), "validation accuracy {acc}");
}

#[test]
fn gradient_descent_converges_to_scikit_learns_optimum_on_iris() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/logistic_iris.json")).unwrap();
    let state = AppState {
        split: SplitSpec { train: 1.0, validation: 0.0, test: 0.0 },
        model: spec_from_json(
            json!({"kind": "logistic_regression", "C": 1.0, "solver": "gradient_descent", "max_iter": 3000}),
        )
        .unwrap(),
        ..Default::default()
    };
    let r = run(state);
    let ours = r.metrics.train["log_loss"];
    let theirs = fixture["log_loss"].as_f64().unwrap();
    assert!((ours - theirs).abs() / theirs < 0.01, "log-loss {ours} vs scikit-learn {theirs}");
    let acc = r.metrics.train["accuracy"];
    assert!((acc - fixture["accuracy"].as_f64().unwrap()).abs() <= 0.01, "accuracy {acc}");
}

#[test]
fn same_state_same_numbers() {
    let a = run(AppState::default());
    let b = run(AppState::default());
    assert_eq!(a.metrics, b.metrics);
    assert_ne!(a.metrics, run(AppState { seed: 5, ..Default::default() }).metrics);
}

#[test]
fn single_class_training_data_is_refused_in_words() {
    // 20 rows of class a, one of class b: with 30% for training, b lands outside it.
    let csv: String = std::iter::once("x,y\n".to_string())
        .chain((0..20).map(|i| format!("{},a\n", i % 5)))
        .chain(std::iter::once("9,b\n".to_string()))
        .collect();
    let d = mlplay::data::Dataset::from_table("rare", &mlplay::data::csv::parse(&csv).unwrap(), None).unwrap();
    let state = AppState { split: SplitSpec { train: 0.3, validation: 0.35, test: 0.35 }, ..Default::default() };
    let e = Session::new(state, &d).err().expect("must fail");
    assert!(e.to_string().contains("only one class"), "{e}");
}

#[test]
fn lbfgs_stops_early_at_the_same_optimum() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/logistic_iris.json")).unwrap();
    let state = AppState {
        split: SplitSpec { train: 1.0, validation: 0.0, test: 0.0 },
        model: spec_from_json(
            json!({"kind": "logistic_regression", "C": 1.0, "solver": "lbfgs", "max_iter": 1000, "tol": 1e-6}),
        )
        .unwrap(),
        ..Default::default()
    };
    let data = builtin::load(&state.dataset, None, state.seed).unwrap();
    let mut s = Session::new(state, &data).unwrap();
    s.run_to_end().unwrap();
    let steps = s.steps_total();
    assert!(steps < 200, "lbfgs took {steps} iterations");
    let ours = s.report().metrics.train["log_loss"];
    let theirs = fixture["log_loss"].as_f64().unwrap();
    assert!((ours - theirs).abs() / theirs < 0.01, "log-loss {ours} vs scikit-learn {theirs} after {steps} iterations");
}
