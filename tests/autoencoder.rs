//! The `autoencoder` kind finds the attacks in the "traffic" set without their labels, about
//! as well as a scikit-learn MLPRegressor autoencoder and better than IsolationForest on the
//! same rows (tests/fixtures/make_mlp_fixtures.py); its scores, threshold and histogram.

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::prep::{prepare, Encoding, PrepSpec, Prepared};
use mlplay::data::split::{split, SplitSpec};
use mlplay::data::Target;
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::metrics::curves::{average_precision, best_recall_at_precision, cuts};
use mlplay::models::Prediction;
use mlplay::state::AppState;
use serde_json::{json, Value};

fn session(data: DatasetSpec, model: Value, seed: u32) -> Session {
    let state = AppState { dataset: data, model: spec_from_json(model).unwrap(), seed, ..Default::default() };
    let ds = builtin::load(&state.dataset, None, seed).unwrap();
    let mut s = Session::new(state, &ds).unwrap();
    s.run_to_end().unwrap();
    s
}

/// Average precision and the best recall at precision >= 0.5 over the validation and test
/// rows together (about 15 attacks among 1,500 rows).
fn held_out_quality(s: &Session) -> (f64, f64) {
    let model = s.model().unwrap();
    let (mut scores, mut positive) = (vec![], vec![]);
    for part in [&s.data().validation, &s.data().test] {
        let Prediction::Proba(p) = model.predict(&part.x) else { panic!("probabilities") };
        scores.extend(p.column(1).iter().copied());
        positive.extend(part.y.labels().iter().map(|&l| l == 1));
    }
    let c = cuts(&positive, &scores);
    (average_precision(&c), best_recall_at_precision(&c, 0.5).map_or(0.0, |c| c.recall()))
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn finds_the_attacks_without_their_labels() {
    let f: Value = serde_json::from_str(include_str!("fixtures/autoencoder.json")).unwrap();
    let seeds: Vec<u32> = serde_json::from_value(f["seeds"].clone()).unwrap();
    let (mut ap, mut recall) = (vec![], vec![]);
    for &seed in &seeds {
        let s = session(DatasetSpec::new("traffic"), json!({"kind": "autoencoder"}), seed);
        let (a, r) = held_out_quality(&s);
        ap.push(a);
        recall.push(r);
    }
    let theirs = |model: &str, key: &str| mean(&serde_json::from_value::<Vec<f64>>(f[model][key].clone()).unwrap());
    let (ap, recall) = (mean(&ap), mean(&recall));
    println!("autoencoder: average precision {ap:.3}, recall at precision 0.5 {recall:.3}");
    assert!(ap >= 0.65, "average precision {ap}");
    assert!(recall >= 0.65, "recall at precision 0.5: {recall}");
    let (sk_ap, forest_ap) =
        (theirs("mlp_autoencoder", "average_precision"), theirs("isolation_forest", "average_precision"));
    assert!(ap >= sk_ap - 0.1, "average precision {ap} vs scikit-learn's MLP autoencoder {sk_ap}");
    assert!(ap > forest_ap, "average precision {ap} vs IsolationForest {forest_ap}");
    println!("scikit-learn: MLP autoencoder {sk_ap:.3}, IsolationForest {forest_ap:.3}");
}

#[test]
fn threshold_histogram_and_flags_agree() {
    let s =
        session(DatasetSpec::new("traffic"), json!({"kind": "autoencoder", "max_iter": 30, "contamination": 0.02}), 1);
    let e = s.explain();
    let a = e.anomaly.unwrap();
    assert_eq!(e.network.unwrap().layer_sizes, vec![7, 8, 3, 8, 7]);
    let model = s.model().unwrap();
    let train = model.anomaly_scores(&s.data().train.x).unwrap();
    // contamination: 2% of the training rows lie above the threshold.
    let above = train.iter().filter(|&&v| v > a.threshold).count() as f64 / train.len() as f64;
    assert!((above - 0.02).abs() < 0.002, "{above}");
    assert_eq!(a.train.iter().sum::<usize>(), train.len());
    assert_eq!(a.edges.len(), a.train.len() + 1);
    let v = &s.data().validation;
    let errors = model.anomaly_scores(&v.x).unwrap();
    let anomalies = v.y.labels().iter().filter(|&&l| l == 1).count();
    assert_eq!(a.validation_anomalous.iter().sum::<usize>(), anomalies);
    assert_eq!(a.validation_normal.iter().sum::<usize>(), v.n_rows() - anomalies);
    // The flagged rows are exactly those the model's most probable class calls anomalous.
    let Prediction::Proba(p) = model.predict(&v.x) else { panic!("probabilities") };
    let mut flagged: Vec<usize> = (0..v.n_rows()).filter(|&i| p[[i, 1]] > p[[i, 0]]).collect();
    flagged.sort_by(|&i, &j| errors[j].total_cmp(&errors[i]));
    assert_eq!(a.flagged, flagged);
    assert!(a.flagged_errors.iter().all(|&e| e > a.threshold));
    // Recall of the flags, as the report gives it, counts the same rows.
    let hits = flagged.iter().filter(|&&i| v.y.labels()[i] == 1).count() as f64;
    let recall = s.report().metrics.validation["recall"];
    assert!((recall - hits / anomalies as f64).abs() < 1e-12, "{recall}");
}

#[test]
fn labels_are_never_used_for_fitting() {
    // The same training features with other labels train the same network.
    let ds = builtin::load(&DatasetSpec::new("traffic"), None, 1).unwrap();
    let idx = split(&ds.target, &SplitSpec::default(), 1).unwrap();
    let data = prepare(&ds, &idx, &PrepSpec::default(), Encoding::Dense);
    let mut relabelled = data.clone();
    if let Target::Classes { labels, .. } = &mut relabelled.train.y {
        labels.iter_mut().for_each(|l| *l = 1 - *l);
    }
    let spec = spec_from_json(json!({"kind": "autoencoder", "max_iter": 5})).unwrap();
    let weights = |d: &Prepared| {
        let mut t = spec.trainer(d, 1).unwrap();
        while !t.is_done() {
            t.step(d).unwrap();
        }
        t.model().unwrap().explain().network.unwrap().first_layer
    };
    assert_eq!(weights(&data), weights(&relabelled));
}

#[test]
fn needs_a_two_class_target_and_says_so() {
    let state = AppState {
        dataset: DatasetSpec::new("iris"),
        model: spec_from_json(json!({"kind": "autoencoder"})).unwrap(),
        ..Default::default()
    };
    let ds = builtin::load(&state.dataset, None, 0).unwrap();
    let e = Session::new(state, &ds).err().expect("three classes").to_string();
    assert!(e.contains("two classes"), "{e}");
    let state = AppState {
        dataset: DatasetSpec::new("diabetes"),
        model: spec_from_json(json!({"kind": "autoencoder"})).unwrap(),
        ..Default::default()
    };
    let ds = builtin::load(&state.dataset, None, 0).unwrap();
    assert!(Session::new(state, &ds).is_err());
    for (v, field) in [
        (json!({"contamination": 0.0}), "contamination"),
        (json!({"hidden_layer_sizes": [8, 4, 2, 1, 1]}), "hidden_layer_sizes"),
    ] {
        let mut v = v;
        v["kind"] = "autoencoder".into();
        let e = spec_from_json(v).unwrap().validate().unwrap_err().to_string();
        assert!(e.contains(field), "{e}");
    }
}
