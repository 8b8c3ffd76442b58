//! Cross-validation gives scikit-learn's cross_val_score on the same folds (fixture from
//! tests/fixtures/make_cv_fixtures.py), draws its folds from the session's training rows,
//! names bad fold counts; a validation curve shows a deep tree overfitting noisy moons.

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::split::SplitSpec;
use mlplay::data::Dataset;
use mlplay::engine::eval::cross_val::{cross_validate, cross_validate_with_folds, fold_indices};
use mlplay::engine::eval::validation_curve::{default_sweep, validation_curve, GAP};
use mlplay::engine::session::model_rows;
use mlplay::kinds::spec_from_json;
use mlplay::state::AppState;
use serde_json::{json, Value};

fn load(name: &str) -> Dataset {
    builtin::load(&DatasetSpec::new(name), None, 0).unwrap()
}

fn state(model: Value) -> AppState {
    AppState { model: spec_from_json(model).unwrap(), ..Default::default() }
}

#[test]
fn scores_match_scikit_learn_on_the_same_folds() {
    let f: Value = serde_json::from_str(include_str!("fixtures/cv_folds.json")).unwrap();
    for name in ["iris", "wine", "diabetes"] {
        let ds = load(name);
        let fold_of: Vec<usize> = serde_json::from_value(f[name]["fold_of"].clone()).unwrap();
        let held_out: Vec<Vec<usize>> =
            (0..5).map(|k| (0..ds.n_rows()).filter(|&i| fold_of[i] == k).collect()).collect();
        for case in f[name]["cases"].as_array().unwrap() {
            let cv = cross_validate_with_folds(&state(case["model"].clone()), &ds, &held_out).unwrap();
            let theirs: Vec<f64> = serde_json::from_value(case["scores"].clone()).unwrap();
            let worst = cv.scores.iter().zip(&theirs).fold(0.0f64, |a, (x, y)| a.max((x - y).abs()));
            let label = format!("{name} {}", case["model"]);
            eprintln!("{label}: mean {:.6} std {:.6}, largest fold difference {worst:.1e}", cv.mean, cv.std);
            assert!(worst < 1e-9, "{label}: fold scores {:?} vs {theirs:?}", cv.scores);
            assert!((cv.mean - case["mean"].as_f64().unwrap()).abs() < 1e-9, "{label}: mean {}", cv.mean);
            assert!((cv.std - case["std"].as_f64().unwrap()).abs() < 1e-9, "{label}: std {}", cv.std);
            assert_eq!(cv.metric, if name == "diabetes" { "r2" } else { "accuracy" });
        }
    }
}

#[test]
fn folds_split_the_session_training_rows_stratified_and_seeded() {
    let ds = load("iris");
    let s = state(json!({"kind": "naive_bayes"}));
    let folds = fold_indices(&s, &ds, 5).unwrap();
    let (_, idx) = model_rows(&s, &ds, None).unwrap();
    let mut all: Vec<usize> = folds.concat();
    all.sort();
    let mut train = idx.train.clone();
    train.sort();
    assert_eq!(all, train, "the folds are exactly the training rows, each once");
    let labels = ds.target.labels();
    for f in &folds {
        // 35 training rows per class: 7 of each in every fold.
        assert_eq!((0..3).map(|c| f.iter().filter(|&&i| labels[i] == c).count()).collect::<Vec<_>>(), vec![7, 7, 7]);
    }
    assert_eq!(fold_indices(&s, &ds, 5).unwrap(), folds);
    assert_ne!(fold_indices(&AppState { seed: 2, ..s.clone() }, &ds, 5).unwrap(), folds);

    let cv = cross_validate(&s, &ds, 5).unwrap();
    assert_eq!(cv.scores.len(), 5);
    assert!(cv.mean > 0.9 && cv.std < 0.1, "{cv:?}");
    assert_eq!(cross_validate(&s, &ds, 5).unwrap(), cv, "same seed, same scores");
}

#[test]
fn bad_fold_counts_are_named() {
    let ds = load("iris");
    let s = state(json!({"kind": "naive_bayes"}));
    for k in [0, 1] {
        let e = cross_validate(&s, &ds, k).unwrap_err().to_string();
        assert!(e.contains(&format!("folds = {k}")) && e.contains("from 2 to 35"), "{e}");
    }
    let e = cross_validate(&s, &ds, 36).unwrap_err().to_string();
    assert!(e.contains("folds = 36") && e.contains("from 2 to 35") && e.contains("smallest class"), "{e}");
    assert!(cross_validate(&s, &ds, 35).is_ok());
    // Regression: at most one row per fold.
    let d = load("diabetes");
    let e = cross_validate(&state(json!({"kind": "ridge"})), &d, 400).unwrap_err().to_string();
    assert!(e.contains("folds = 400") && e.contains("from 2 to 309"), "{e}");
}

#[test]
fn validation_curve_shows_a_deep_tree_overfitting_noisy_moons() {
    let spec = DatasetSpec { noise: 0.35, n_samples: 600, ..DatasetSpec::new("moons") };
    let s = AppState { dataset: spec.clone(), ..state(json!({"kind": "decision_tree"})) };
    let ds = builtin::load(&spec, None, s.seed).unwrap();
    let (param, values) = default_sweep(&s.model).unwrap();
    let c = validation_curve(&s, &ds, param, &values).unwrap();
    eprintln!("train {:?}\nvalidation {:?}\nbest {} gap opens {:?}", c.train, c.validation, c.best, c.gap_opens);
    let last = values.len() - 1;
    assert!(c.train[last] > 0.99, "a depth-15 tree fits the training rows: {}", c.train[last]);
    assert!(c.train.windows(2).all(|w| w[1] >= w[0] - 1e-12), "training accuracy never falls with depth");
    assert!(c.validation[last] < c.train[last] - 0.1, "but not the validation rows: {}", c.validation[last]);
    assert!(c.validation[c.best] > c.validation[last] + 0.02, "validation peaks at a moderate depth");
    let gap = c.gap_opens.expect("the gap opens");
    assert!(
        gap > 0
            && gap < last
            && c.train[gap] - c.validation[gap] > GAP
            && c.train[gap - 1] - c.validation[gap - 1] <= GAP
    );
}

#[test]
fn sweep_errors_name_the_problem() {
    let ds = load("iris");
    let s = state(json!({"kind": "knn"}));
    let e = validation_curve(&s, &ds, "max_depth", &[json!(3)]).unwrap_err().to_string();
    assert!(e.contains("sweep = max_depth") && e.contains("n_neighbors"), "{e}");
    let e = validation_curve(&s, &ds, "n_neighbors", &[json!(0)]).unwrap_err().to_string();
    assert!(e.contains("n_neighbors = 0"), "{e}");
    let no_val = AppState { split: SplitSpec { train: 0.8, validation: 0.0, test: 0.2 }, ..s.clone() };
    let e = validation_curve(&no_val, &ds, "n_neighbors", &[json!(3)]).unwrap_err().to_string();
    assert!(e.contains("split.validation"), "{e}");
    // k-NN's default sweep runs from 30 neighbours (simple) down to 1 (memorises): 1 scores
    // the training rows perfectly.
    let (p, v) = default_sweep(&s.model).unwrap();
    let c = validation_curve(&s, &ds, p, &v).unwrap();
    assert_eq!(*c.train.last().unwrap(), 1.0);
}

#[test]
fn cli_adds_cv_and_validation_curve_to_the_json() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let base = ["run", "--data", "builtin:iris", "--model", "knn", "--seed", "3", "--json"];
    let plain = run(&base);
    assert!(plain.get("cv").is_none() && plain.get("validation_curve").is_none());
    let r = run(&[&base[..], &["--cv", "4", "--sweep", "n_neighbors=1,5,25"]].concat());
    assert_eq!(r["metrics"], plain["metrics"], "the run itself is unchanged");
    let s = AppState { seed: 3, ..state(json!({"kind": "knn"})) };
    let cv = cross_validate(&s, &load("iris"), 4).unwrap();
    assert_eq!(r["cv"]["metric"], "accuracy");
    assert!((r["cv"]["mean"].as_f64().unwrap() - cv.mean).abs() < 1e-12, "the CLI cross-validates as the library");
    assert_eq!(r["cv"]["scores"].as_array().unwrap().len(), 4);
    assert!(r["cv"]["std"].as_f64().is_some());
    let c = &r["validation_curve"];
    assert_eq!((c["param"].clone(), c["values"].clone()), (json!("n_neighbors"), json!([1, 5, 25])));
    assert_eq!(c["train"][0], 1.0);
    assert_eq!(c["validation"].as_array().unwrap().len(), 3);
    let auto = run(&["run", "--data", "builtin:iris", "--model", "decision_tree", "--sweep", "auto", "--json"]);
    assert_eq!(auto["validation_curve"]["param"], "max_depth");
}
