//! `mlplay run --predictions FILE`: one line per scored row, and the metrics recomputed
//! from the file are the ones the run reports.

use std::process::Command;

use mlplay::state::{link, AppState};
use serde_json::Value;

fn run(args: &[&str], file: &std::path::Path) -> (Value, Vec<Vec<String>>) {
    let mut all: Vec<&str> = args.to_vec();
    let f = file.to_str().unwrap();
    all.extend(["--predictions", f, "--json"]);
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(&all).output().expect("mlplay runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    (report, text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect())
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mlplay-pred-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn classification_predictions_give_the_reported_accuracy() {
    let (r, lines) = run(
        &["run", "--data", "builtin:iris", "--model", "logistic_regression", "--set", "C=0.05", "--seed", "3"],
        &temp("iris.csv"),
    );
    assert_eq!(
        lines[0],
        ["row", "split", "true_species", "predicted", "proba_setosa", "proba_versicolor", "proba_virginica"]
    );
    let body = &lines[1..];
    assert_eq!(body.len(), 150, "every row once");
    let mut rows: Vec<usize> = body.iter().map(|l| l[0].parse().unwrap()).collect();
    rows.sort();
    assert_eq!(rows, (1..=150).collect::<Vec<_>>());
    for (k, part) in ["train", "validation", "test"].iter().enumerate() {
        let mine: Vec<_> = body.iter().filter(|l| l[1] == *part).collect();
        assert_eq!(mine.len() as u64, r["rows"][k].as_u64().unwrap(), "{part}");
        let right = mine.iter().filter(|l| l[2] == l[3]).count() as f64 / mine.len() as f64;
        let want = r["metrics"][part]["accuracy"].as_f64().unwrap();
        assert!((right - want).abs() < 1e-12, "{part}: {right} vs {want}");
        for l in &mine {
            let p: Vec<f64> = l[4..].iter().map(|v| v.parse().unwrap()).collect();
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{l:?}");
        }
    }
    // C=0.05 leaves some rows wrong, so the comparison above is not trivially 1 == 1.
    assert!(r["metrics"]["train"]["accuracy"].as_f64().unwrap() < 1.0);
}

#[test]
fn regression_predictions_give_the_reported_mae() {
    let (r, lines) =
        run(&["run", "--data", "builtin:diabetes", "--model", "ridge", "--seed", "5"], &temp("diabetes.csv"));
    assert_eq!(lines[0][..2], ["row", "split"]);
    assert_eq!(lines[0].len(), 4);
    for part in ["train", "validation", "test"] {
        let errs: Vec<f64> = lines[1..]
            .iter()
            .filter(|l| l[1] == part)
            .map(|l| (l[2].parse::<f64>().unwrap() - l[3].parse::<f64>().unwrap()).abs())
            .collect();
        let mae = errs.iter().sum::<f64>() / errs.len() as f64;
        let want = r["metrics"][part]["mae"].as_f64().unwrap();
        assert!((mae - want).abs() <= 1e-9 * want, "{part}: {mae} vs {want}");
    }
}

#[test]
fn rows_left_out_for_missing_values_keep_their_own_numbers() {
    let text = std::fs::read_to_string("www/data/penguins.csv").unwrap();
    let missing: Vec<usize> = text
        .lines()
        .skip(1)
        .enumerate()
        .filter(|(_, l)| l.split(',').any(|c| c.is_empty() || c == "NA"))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(!missing.is_empty());
    let state =
        AppState::from_json(r#"{"dataset":{"id":"penguins"},"prep":{"imputer":"drop_rows"},"model":{"kind":"knn"}}"#)
            .unwrap();
    let hash = format!("#{}", link::encode(&state));
    let (_, lines) = run(&["run", "--link", &hash], &temp("penguins.csv"));
    let rows: Vec<usize> = lines[1..].iter().map(|l| l[0].parse().unwrap()).collect();
    assert_eq!(rows.len(), text.lines().count() - 1 - missing.len());
    assert!(rows.iter().all(|r| !missing.contains(r)), "a row with a missing value is listed");
    assert!(rows.iter().any(|&r| r > missing[0]), "rows after the first gap are shifted back");
}

#[test]
fn a_clustering_writes_its_clusters_per_row() {
    let (r, lines) =
        run(&["run", "--data", "builtin:iris", "--model", "kmeans", "--set", "n_clusters=3"], &temp("km.csv"));
    // The page's format (one writer for both): the target is carried along beside the cluster.
    assert_eq!(lines[0], ["row", "species", "cluster"]);
    let labels: Vec<i64> = lines[1..].iter().map(|l| l[2].parse().unwrap()).collect();
    assert_eq!(labels.len(), 150);
    let want: Vec<i64> = r["labels"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert_eq!(labels, want);
}

#[test]
fn an_unwritable_file_is_an_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args(["run", "--data", "builtin:iris", "--predictions", "/nonexistent-dir/p.csv"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent-dir/p.csv"));
}
