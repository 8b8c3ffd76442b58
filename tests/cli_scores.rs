//! `mlplay run --json` prints per-row `scores` (DESIGN.md's CLI contract): the
//! autoencoder's reconstruction errors, a binary classifier's positive-class probability.
//! Each row's score must agree with the metrics the same run reports.

use std::process::Command;

use mlplay::data::builtin::{self, DatasetSpec};
use serde_json::Value;

fn run_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().expect("mlplay runs");
    assert!(out.status.success(), "mlplay {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn scores(r: &Value) -> Vec<f64> {
    r["scores"].as_array().expect("scores").iter().map(|v| v.as_f64().expect("a number")).collect()
}

/// Accuracy over every row, from the three parts' accuracies and sizes.
fn overall_accuracy(r: &Value) -> f64 {
    let rows: Vec<f64> = r["rows"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let hits: f64 = ["train", "validation", "test"]
        .iter()
        .zip(&rows)
        .map(|(p, n)| r["metrics"][p]["accuracy"].as_f64().unwrap() * n)
        .sum();
    hits / rows.iter().sum::<f64>()
}

fn labels(id: &str, seed: u32) -> Vec<u32> {
    builtin::load(&DatasetSpec::new(id), None, seed).unwrap().target.labels().to_vec()
}

/// Share of (anomalous, normal) pairs the scores order correctly: ROC AUC.
fn auc(scores: &[f64], labels: &[u32]) -> f64 {
    let of = |c: u32| scores.iter().zip(labels).filter(|&(_, &l)| l == c).map(|(&s, _)| s).collect::<Vec<f64>>();
    let (pos, neg) = (of(1), of(0));
    let won: f64 = pos
        .iter()
        .map(|p| {
            neg.iter()
                .map(|n| {
                    if p > n {
                        1.0
                    } else if p == n {
                        0.5
                    } else {
                        0.0
                    }
                })
                .sum::<f64>()
        })
        .sum();
    won / (pos.len() * neg.len()) as f64
}

#[test]
fn the_autoencoder_scores_every_row_by_its_reconstruction_error() {
    let r = run_json(&[
        "run",
        "--data",
        "builtin:traffic",
        "--model",
        "autoencoder",
        "--set",
        "max_iter=60",
        "--seed",
        "3",
        "--json",
    ]);
    assert_eq!(r["score_name"], "reconstruction_error");
    let s = scores(&r);
    let y = labels("traffic", 3);
    assert_eq!(s.len(), y.len());
    assert!(s.iter().all(|&e| e >= 0.0));
    // A row is flagged exactly when its error passes the threshold: the flags reproduce
    // the reported accuracy over all rows.
    let t = r["explanation"]["anomaly"]["threshold"].as_f64().unwrap();
    let hits = s.iter().zip(&y).filter(|&(&e, &l)| (e > t) == (l == 1)).count() as f64;
    assert!(
        (hits / s.len() as f64 - overall_accuracy(&r)).abs() < 1e-9,
        "{} vs {}",
        hits / s.len() as f64,
        overall_accuracy(&r)
    );
    // Attacks are rebuilt worse than normal minutes.
    assert!(auc(&s, &y) > 0.8, "AUC {}", auc(&s, &y));
}

#[test]
fn a_binary_classifier_scores_every_row_by_its_positive_class_probability() {
    let r = run_json(&[
        "run",
        "--data",
        "builtin:breast_cancer",
        "--model",
        "logistic_regression",
        "--seed",
        "2",
        "--json",
    ]);
    assert_eq!(r["score_name"], "positive_class_probability");
    let s = scores(&r);
    // The positive class is malignant (the set's story), whatever its place in the file.
    assert_eq!(r["positive_class"], "malignant");
    let ds = builtin::load(&DatasetSpec::new("breast_cancer"), None, 2).unwrap();
    let malignant: Vec<bool> =
        ds.target.labels().iter().map(|&l| ds.class_names()[l as usize] == "malignant").collect();
    assert_eq!(s.len(), malignant.len());
    assert!(s.iter().all(|p| (0.0..=1.0).contains(p)));
    let hits = s.iter().zip(&malignant).filter(|&(&p, &m)| (p > 0.5) == m).count() as f64;
    assert!((hits / s.len() as f64 - overall_accuracy(&r)).abs() < 1e-9);
}

#[test]
fn several_classes_and_regression_have_no_scores() {
    for args in [["builtin:iris", "logistic_regression"], ["builtin:diabetes", "ridge"]] {
        let r = run_json(&["run", "--data", args[0], "--model", args[1], "--json"]);
        assert!(r.get("scores").is_none() && r.get("score_name").is_none(), "{args:?}");
    }
}
