//! Self-training with most labels hidden: rounds add pseudo-labels, the result is not
//! worse than the labelled-only baseline, and impossible settings are named.

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::engine::eval::report::Report;
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::models::explain::SelfTrainingLog;
use mlplay::state::AppState;
use serde_json::{json, Value};

fn session(dataset: DatasetSpec, seed: u32, model: Value) -> mlplay::Result<Session> {
    let data = builtin::load(&dataset, None, seed).unwrap();
    Session::new(AppState { dataset, seed, model: spec_from_json(model)?, ..Default::default() }, &data)
}

fn run(dataset: DatasetSpec, seed: u32, model: Value) -> (Report, usize) {
    let mut s = session(dataset, seed, model).unwrap();
    s.run_to_end().unwrap();
    (s.report(), s.snapshot().step)
}

fn moons(n: u32) -> DatasetSpec {
    DatasetSpec { n_samples: n, ..DatasetSpec::new("moons") }
}

fn log(r: &Report) -> &SelfTrainingLog {
    r.explanation.self_training.as_ref().expect("a self-training log")
}

#[test]
fn pseudo_labels_are_added_and_do_not_hurt() {
    // 1,000 moons, 95% of the 700 training labels hidden: 35 labelled rows.
    for estimator in ["knn", "naive_bayes", "logistic_regression"] {
        for seed in [1, 2, 3] {
            let model = json!({"kind": "self_training", "estimator": estimator, "unlabeled_fraction": 0.95});
            let (r, steps) = run(moons(1000), seed, model);
            let st = log(&r);
            let acc = r.metrics.validation["accuracy"];
            eprintln!("{estimator} seed {seed}: {st:?}, final validation accuracy {acc:.3}");
            assert_eq!((st.labelled, st.unlabelled), (36, 664), "floor(0.95 n) hidden per class");
            assert!(st.added_per_round[0] > 100, "{estimator} seed {seed}: {st:?}");
            let added: usize = st.added_per_round.iter().sum();
            assert!(added <= st.unlabelled);
            // One fit per round, plus the final fit unless a round added nothing.
            let rounds = st.added_per_round.len();
            assert_eq!(steps, if st.added_per_round.last() == Some(&0) { rounds } else { rounds + 1 });
            assert!(
                acc >= st.baseline_accuracy - 0.03,
                "{estimator} seed {seed}: {acc} vs baseline {}",
                st.baseline_accuracy
            );
        }
    }
}

#[test]
fn final_model_is_the_base_refitted() {
    // Nothing hidden: one fit, no rounds, the base's own numbers and coefficients.
    let (r, steps) = run(moons(300), 4, json!({"kind": "self_training", "unlabeled_fraction": 0.0}));
    let (base, _) = run(moons(300), 4, json!({"kind": "logistic_regression"}));
    assert_eq!(steps, 1);
    assert!(log(&r).added_per_round.is_empty());
    assert_eq!(r.metrics.validation, base.metrics.validation);
    assert_eq!(log(&r).baseline_accuracy, base.metrics.validation["accuracy"]);
    assert_eq!(r.explanation.coefficients, base.explanation.coefficients);
}

#[test]
fn same_seed_same_rounds() {
    let model = json!({"kind": "self_training", "estimator": "knn", "unlabeled_fraction": 0.9});
    let (a, _) = run(moons(300), 7, model.clone());
    let (b, _) = run(moons(300), 7, model.clone());
    assert_eq!((log(&a), &a.metrics), (log(&b), &b.metrics));
}

#[test]
fn impossible_settings_are_named() {
    for (key, value) in [
        ("threshold", json!(1.5)),
        ("threshold", json!(0.0)),
        ("unlabeled_fraction", json!(1.0)),
        ("max_iter", json!(0)),
        ("estimator", json!("self_training")),
    ] {
        let e = session(moons(300), 1, json!({"kind": "self_training", key: value})).err().expect("must fail");
        assert!(e.to_string().starts_with(&format!("{key} = ")), "{e}");
    }
    // Too few labelled rows for the base's five neighbours: an error, not a panic.
    let model = json!({"kind": "self_training", "estimator": "knn", "unlabeled_fraction": 0.99});
    let mut s = session(moons(200), 1, model).unwrap();
    let e = s.run_to_end().unwrap_err();
    assert!(e.to_string().contains("n_neighbors"), "{e}");
    // Regression targets are refused in words.
    let e = session(DatasetSpec::new("diabetes"), 1, json!({"kind": "self_training"})).err().unwrap();
    assert!(e.to_string().contains("regression"), "{e}");
}
