//! Clusterings and projections as a user runs them: `mlplay run --model KIND --json` on real
//! data gives per-row labels or coordinates and top-level scores, a link reproduces them,
//! and impossible settings end in a message naming the field.

use std::process::Command;

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::engine::session::Session;
use mlplay::state::AppState;
use serde_json::Value;

fn mlplay(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["run", "--json"];
    all.extend_from_slice(args);
    let (ok, out, err) = mlplay(&all);
    assert!(ok, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn refused(args: &[&str], needles: &[&str]) {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    let (ok, _, err) = mlplay(&all);
    assert!(!ok && !err.contains("panicked"), "{args:?}: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: expected '{n}' in {err}");
    }
}

fn csv(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("mlplay-unsup-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn kmeans_gives_labels_scores_and_a_link_that_reproduces_them() {
    let r = json(&["--data", "builtin:iris", "--model", "kmeans", "--set", "n_clusters=3", "--set", "n_init=10"]);
    assert_eq!(r["family"], "clustering");
    let labels = r["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 150);
    assert!(labels.iter().all(|l| (0..3).contains(&l.as_i64().unwrap())));
    let m = &r["metrics"];
    // scikit-learn KMeans(3, n_init=10) on standardised iris: inertia 139.82, ARI 0.620.
    assert!((m["inertia"].as_f64().unwrap() - 139.82).abs() < 1.4, "{m}");
    assert!((m["adjusted_rand"].as_f64().unwrap() - 0.620).abs() < 0.01, "{m}");
    assert!(m["silhouette"].as_f64().unwrap() > 0.4, "{m}");
    let again = json(&["--link", r["link"].as_str().unwrap()]);
    assert_eq!(again["labels"], r["labels"]);
    assert_eq!(again["metrics"]["inertia"], m["inertia"]);
}

#[test]
fn projections_give_coordinates_and_trustworthiness() {
    let r = json(&["--data", "builtin:iris", "--model", "tsne", "--set", "max_iter=500"]);
    let e = r["embedding"].as_array().unwrap();
    assert_eq!((e.len(), e[0].as_array().unwrap().len()), (150, 2));
    assert!(r["metrics"]["trustworthiness_15"].as_f64().unwrap() > 0.95, "{}", r["metrics"]);
    assert!(r["metrics"]["kl_divergence"].as_f64().unwrap() > 0.0);
    assert!(r.get("labels").is_none());

    let p = json(&["--data", "builtin:wine", "--model", "pca", "--set", "n_components=3"]);
    assert_eq!(p["embedding"][0].as_array().unwrap().len(), 3);
    let m = &p["metrics"];
    // scikit-learn PCA on standardised wine: 0.36199, 0.19207, 0.11124.
    for (k, want) in [(1, 0.36199), (2, 0.19207), (3, 0.11124)] {
        let got = m[format!("explained_variance_ratio_{k}")].as_f64().unwrap();
        assert!((got - want).abs() < 1e-4, "component {k}: {got} vs {want}");
    }
    let sum: f64 = (1..=3).map(|k| m[format!("explained_variance_ratio_{k}")].as_f64().unwrap()).sum();
    assert!((sum - m["explained_variance_ratio_cumulative"].as_f64().unwrap()).abs() < 1e-12);
}

#[test]
fn impossible_settings_name_the_field() {
    let five = csv("five.csv", "a,b,label\n0,0,x\n1,1,y\n2,1,x\n3,0,y\n4,2,x\n");
    refused(
        &["--data", &five, "--model", "kmeans", "--set", "n_clusters=10"],
        &["n_clusters", "at most the number of rows (5)"],
    );
    refused(&["--data", &five, "--model", "dbscan", "--set", "eps=0"], &["eps = 0", "greater than 0"]);
    refused(&["--data", &five, "--model", "dbscan", "--set", "min_samples=0"], &["min_samples"]);
    refused(&["--data", &five, "--model", "tsne"], &["perplexity", "less than the number of rows (5)"]);
    refused(&["--data", &five, "--model", "umap"], &["n_neighbors", "less than the number of rows (5)"]);
    refused(
        &["--data", &five, "--model", "pca", "--set", "n_components=3"],
        &["n_components", "at most min(rows, features) = 2"],
    );
    let same = csv("same.csv", "a,b,label\n1,2,x\n1,2,y\n1,2,x\n");
    refused(&["--data", &same, "--model", "pca"], &["no usable feature columns"]);
    refused(&["--data", "builtin:iris", "--model", "kmeans", "--cv", "5"], &["--cv", "learns from the features alone"]);
    refused(&["--data", "builtin:iris", "--model", "umap", "--sweep", "auto"], &["--sweep"]);
    let _ = std::fs::remove_file(five);
    let _ = std::fs::remove_file(same);
}

#[test]
fn missing_values_must_be_filled_and_dropping_them_keeps_row_numbers() {
    let ds = builtin::load(
        &DatasetSpec { id: "penguins".into(), ..DatasetSpec::default() },
        Some(include_str!("../www/data/penguins.csv")),
        1,
    )
    .unwrap();
    let mut state =
        AppState::from_json(r#"{"dataset": {"id": "penguins"}, "model": {"kind": "kmeans", "n_clusters": 3}}"#)
            .unwrap();
    state.prep.imputer = mlplay::data::prep::Imputer::Keep;
    let e = Session::new(state.clone(), &ds).err().expect("keep is refused").to_string();
    assert!(e.contains("imputer") && e.contains("kmeans"), "{e}");
    state.prep.imputer = mlplay::data::prep::Imputer::DropRows;
    let mut s = Session::new(state, &ds).unwrap();
    s.run_to_end().unwrap();
    let (_, rows) = s.unsupervised_fit().unwrap();
    assert!(rows.len() < ds.n_rows() && rows.windows(2).all(|w| w[0] < w[1]));
    assert!(rows.iter().all(|&r| !ds.row_has_missing(r)));
    let r = s.unsupervised_report(true).unwrap();
    assert_eq!(r.labels.unwrap().len(), rows.len());
    assert!(r.notes.iter().any(|n| n.contains("missing values were left out")), "{:?}", r.notes);
}
