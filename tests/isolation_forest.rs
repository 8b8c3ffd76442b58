//! The isolation forest finds the anomalies of the "traffic" and "transactions" sets without
//! their labels as well as scikit-learn's IsolationForest on the same prepared rows
//! (tests/fixtures/make_isolation_forest_fixtures.py, which reads the rows that
//! `dump_prepared_rows` below writes); same seed, same scores; checked parameters and
//! model records.

use std::time::Instant;

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::prep::{prepare, Encoding, PrepSpec, Prepared};
use mlplay::data::split::{split, SplitSpec};
use mlplay::data::Task;
use mlplay::metrics::curves::{cuts, roc_auc};
use mlplay::models::isolation_forest::{load, IsolationForestParams, IsolationForestTrainer};
use mlplay::models::record::Fit;
use mlplay::models::{Model, Trainer};
use serde_json::{json, Value};

/// The rows a session prepares for a built-in set: default split and preprocessing.
fn prepared(id: &str, seed: u32) -> Prepared {
    let ds = builtin::load(&DatasetSpec::new(id), None, seed).unwrap();
    let idx = split(&ds.target, &SplitSpec::default(), seed).unwrap();
    prepare(&ds, &idx, &PrepSpec::default(), Encoding::Dense)
}

fn params(v: Value) -> IsolationForestParams {
    serde_json::from_value(v).unwrap()
}

fn fit(p: &IsolationForestParams, data: &Prepared, seed: u32) -> IsolationForestTrainer {
    let mut t = IsolationForestTrainer::new(p, data, seed).unwrap();
    while !t.is_done() {
        t.step(data).unwrap();
    }
    t
}

/// ROC AUC of the scores of the validation and test rows together.
fn held_out_auc(model: &dyn Model, data: &Prepared) -> f64 {
    let (mut scores, mut positive) = (vec![], vec![]);
    for part in [&data.validation, &data.test] {
        scores.extend(model.anomaly_scores(&part.x).unwrap());
        positive.extend(part.y.labels().iter().map(|&l| l == 1));
    }
    roc_auc(&cuts(&positive, &scores))
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn finds_the_anomalies_as_well_as_scikit_learn() {
    let f: Value = serde_json::from_str(include_str!("fixtures/isolation_forest.json")).unwrap();
    let seeds: Vec<u32> = serde_json::from_value(f["seeds"].clone()).unwrap();
    let forests: u32 = serde_json::from_value(f["forests_per_seed"].clone()).unwrap();
    for (id, floor) in [("traffic", 0.95), ("transactions", 0.88)] {
        let mut aucs = vec![];
        for &seed in &seeds {
            let data = prepared(id, seed);
            for k in 0..forests {
                let t = fit(&IsolationForestParams::default(), &data, seed * 1000 + k);
                aucs.push(held_out_auc(t.model().unwrap(), &data));
            }
        }
        let theirs = mean(&serde_json::from_value::<Vec<f64>>(f[id]["roc_auc"].clone()).unwrap());
        let ours = mean(&aucs);
        println!("{id}: ROC AUC mlplay {ours:.4}, scikit-learn {theirs:.4}");
        assert!(ours >= floor, "{id}: ROC AUC {ours} below {floor}");
        assert!((ours - theirs).abs() <= 0.02, "{id}: ROC AUC {ours} vs scikit-learn's {theirs}");
    }
}

#[test]
fn same_seed_same_scores_and_labels_unused() {
    let data = prepared("traffic", 1);
    let p = params(json!({"n_estimators": 20}));
    let scores = |d: &Prepared, seed| {
        let t = fit(&p, d, seed);
        t.model().unwrap().anomaly_scores(&d.test.x).unwrap()
    };
    let a = scores(&data, 7);
    assert_eq!(a, scores(&data, 7));
    assert_ne!(a, scores(&data, 8));
    // Fitting never reads the labels: flipping every training label changes nothing.
    let mut flipped = data.clone();
    let rows: Vec<usize> = (0..data.train.n_rows()).rev().collect();
    flipped.train.y = data.train.y.select(&rows);
    assert_eq!(a, scores(&flipped, 7));
}

#[test]
fn one_tree_per_step_with_threshold_and_view() {
    let data = prepared("traffic", 2);
    let p = params(json!({"n_estimators": 30, "contamination": 0.02}));
    let mut t = IsolationForestTrainer::new(&p, &data, 2).unwrap();
    assert!(t.model().is_none());
    let r = t.step(&data).unwrap();
    assert_eq!((t.steps_done(), t.steps_total()), (1, 30));
    assert!(r.train_loss > 0.0 && r.train_loss < 1.0 && r.validation_loss.is_some());
    while !t.is_done() {
        t.step(&data).unwrap();
    }
    assert!(t.step(&data).is_err());
    let m = t.model().unwrap();
    let a = m.explain().anomaly.unwrap();
    let train = m.anomaly_scores(&data.train.x).unwrap();
    let above = train.iter().filter(|&&s| s > a.threshold).count() as f64 / train.len() as f64;
    assert!((above - 0.02).abs() < 0.002, "{above}");
    assert_eq!(a.train.iter().sum::<usize>(), train.len());
    assert_eq!(a.edges.len(), a.train.len() + 1);
    let v = m.anomaly_scores(&data.validation.x).unwrap();
    assert_eq!(a.validation_normal.iter().chain(&a.validation_anomalous).sum::<usize>(), v.len());
    assert!(a.flagged.iter().all(|&i| v[i] > a.threshold));
    // The probability of the second class passes 0.5 exactly at the threshold.
    let mlplay::models::Prediction::Proba(pr) = m.predict(&data.validation.x) else { panic!("probabilities") };
    assert!(v.iter().zip(pr.column(1)).all(|(&s, &q)| (s > a.threshold) == (q > 0.5)));
    // "auto": the threshold is scikit-learn's 0.5.
    let t = fit(&params(json!({"n_estimators": 5})), &data, 2);
    assert_eq!(t.model().unwrap().explain().anomaly.unwrap().threshold, 0.5);
}

#[test]
fn fits_fast() {
    // 10,000 training rows (of 14,286), 100 trees of 256 rows.
    let ds = builtin::load(&DatasetSpec { n_samples: 14_286, ..DatasetSpec::new("transactions") }, None, 1).unwrap();
    let idx = split(&ds.target, &SplitSpec::default(), 1).unwrap();
    let data = prepare(&ds, &idx, &PrepSpec::default(), Encoding::Dense);
    assert!(data.train.n_rows() >= 10_000, "{}", data.train.n_rows());
    let start = Instant::now();
    let t = fit(&IsolationForestParams::default(), &data, 1);
    let took = start.elapsed().as_secs_f64();
    println!("100 trees on {} rows: {:.3} s", data.train.n_rows(), took);
    assert_eq!(t.steps_done(), 100);
    // Well under a second in release; the test build is slower, so a looser bound here.
    assert!(took < 3.0, "{took} s");
}

#[test]
fn validate_names_the_field() {
    for (v, field) in [
        (json!({"n_estimators": 0}), "n_estimators"),
        (json!({"max_samples": 0}), "max_samples"),
        (json!({"max_samples": 1.5}), "max_samples"),
        (json!({"max_samples": -3}), "max_samples"),
        (json!({"contamination": 0.6}), "contamination"),
        (json!({"contamination": 0.0}), "contamination"),
        (json!({"max_features": 0.0}), "max_features"),
        (json!({"max_features": 1.5}), "max_features"),
    ] {
        let e = params(v.clone()).validate().unwrap_err();
        match &e {
            mlplay::base::error::Error::Param { field: f, .. } => assert_eq!(f, field, "{v}: {e}"),
            _ => panic!("{v}: {e}"),
        }
    }
    params(json!({"max_samples": 1, "contamination": 0.5, "max_features": 1.0})).validate().unwrap();
    let e = params(json!({"contamination": 0.6})).validate().unwrap_err().to_string();
    assert!(e.contains("contamination = 0.6") && e.contains("at most 0.5"), "{e}");
}

#[test]
fn records_round_trip_and_corrupt_ones_are_refused() {
    let data = prepared("traffic", 3);
    let t = fit(&params(json!({"n_estimators": 10, "contamination": 0.05, "max_features": 0.5})), &data, 3);
    let m = t.model().unwrap();
    // The fitted model through its record and back, via JSON text.
    let text = serde_json::to_string(&t.fitted().unwrap().record()).unwrap();
    let record: Value = serde_json::from_str(&text).unwrap();
    let classes = ["normal".to_string(), "anomaly".to_string()];
    let fit = Fit { n_features: data.train.x.ncols(), task: Task::Classification, classes: &classes };
    let loaded = load(record.clone(), &fit).unwrap();
    for x in [&data.train.x, &data.test.x] {
        assert_eq!(loaded.anomaly_scores(x), m.anomaly_scores(x));
    }
    let bad = |path: &[&str], v: Value| {
        let mut r = record.clone();
        let mut at = &mut r;
        for p in path {
            at = match p.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*p],
            };
        }
        *at = v;
        load(r, &fit).err().expect("a corrupt record is refused").to_string()
    };
    let split = record["trees"][0]["feature"].as_array().unwrap().iter().position(|f| f.as_i64() != Some(-1)).unwrap();
    let s = split.to_string();
    let e = bad(&["trees", "0", "feature", &s], json!(99));
    assert!(e.contains(&format!("model.trees[0].feature[{split}]")) && e.contains("99"), "{e}");
    let e = bad(&["trees", "0", "left", &s], json!(0));
    assert!(e.contains(&format!("model.trees[0].left[{split}]")), "{e}");
    let e = bad(&["trees", "0", "left", &s], json!(1_000_000));
    assert!(e.contains(&format!("model.trees[0].left[{split}]")), "{e}");
    // serde_json writes NaN as null.
    let e = bad(&["trees", "0", "threshold", &s], json!(f64::NAN));
    assert!(e.contains(&format!("model.trees[0].threshold[{split}]")) && e.contains("NaN"), "{e}");
    let e = bad(&["threshold"], json!(-1.0));
    assert!(e.contains("model.threshold"), "{e}");
    let e = bad(&["trees", "1", "n_samples"], json!([1]));
    assert!(e.contains("model.trees[1].n_samples") && e.contains("holds 1 values"), "{e}");
    let e = bad(&["n_features"], json!(data.train.x.ncols() + 1));
    assert!(e.contains("model.n_features") && e.contains("saved preprocessing"), "{e}");
    let e = bad(&["trees"], json!([]));
    assert!(e.contains("model.trees"), "{e}");
    let e = bad(&["n_features"], json!("seven"));
    assert!(e.starts_with("model file, model:"), "{e}");
}

/// Writes the prepared rows the fixture script fits scikit-learn on:
/// `ISOLATION_FOREST_ROWS=DIR cargo test --test isolation_forest -- --ignored dump_prepared_rows`
/// makes DIR/{traffic,transactions}_SEED.csv (features as mlplay prepares them, the label,
/// the part).
#[test]
#[ignore]
fn dump_prepared_rows() {
    let dir = std::path::PathBuf::from(std::env::var("ISOLATION_FOREST_ROWS").expect("ISOLATION_FOREST_ROWS=DIR"));
    for id in ["traffic", "transactions"] {
        for seed in [1u32, 2, 3] {
            let data = prepared(id, seed);
            let mut out = format!("{},label,part\n", data.feature_names.join(","));
            for (name, part) in [("train", &data.train), ("validation", &data.validation), ("test", &data.test)] {
                for (row, label) in part.x.rows().into_iter().zip(part.y.labels()) {
                    let x: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
                    out += &format!("{},{label},{name}\n", x.join(","));
                }
            }
            std::fs::write(dir.join(format!("{id}_{seed}.csv")), out).unwrap();
        }
    }
}

/// The kind through the whole stack: an exercise written for it is graded as `mlplay check`
/// grades one (the session from the exercise's start, the goals over the run).
#[test]
fn an_exercise_can_ask_for_an_isolation_forest() {
    use mlplay::app::exercise::{context, Exercise};
    use mlplay::engine::session::Session;
    let ex = Exercise::from_json(
        &json!({
            "id": "iforest", "title": "Isolation forest", "instructions": "Find the attacks.",
            "start": {"dataset": {"id": "traffic", "positive_rate": 0.02},
                      "model": {"kind": "isolation_forest", "n_estimators": 60}},
            "goals": [
                {"text": "An isolation forest", "check": "model == isolation_forest"},
                {"text": "At least 50 trees", "check": "params.n_estimators >= 50"},
                {"text": "Ranks the attacks first", "check": "validation.roc_auc >= 0.95"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let state = ex.start_state().unwrap();
    let ds = builtin::load(&state.dataset, None, state.seed).unwrap();
    let mut s = Session::new(state, &ds).unwrap();
    s.run_to_end().unwrap();
    let results = ex.check(&context(&s, s.state()));
    assert_eq!(results.len(), 3);
    for r in &results {
        assert!(r.passed, "{} {}", r.text, r.detail);
    }
    assert_eq!(s.snapshot().step, 60, "one tree per step");
}
