//! Data that means what the user meant (issue #22), on real public files made by
//! tests/fixtures/make_data_meaning_fixtures.py: a clustering or projection of a file with
//! no label column uses every column (scikit-learn's numbers on the same columns), `--target
//! none` says so explicitly, a supervised kind with no target is refused, and a column of
//! names (vega's cars `Name`) is left out with a note, so naive Bayes matches scikit-learn
//! without it on the same rows.

use std::path::{Path, PathBuf};
use std::process::Command;

use mlplay::metrics::clustering::adjusted_rand_score;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> String {
    Path::new(ROOT).join("tests/fixtures").join(name).to_str().unwrap().to_string()
}

fn reference() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("data_meaning.json")).unwrap()).unwrap()
}

fn mlplay(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn run(args: &[&str]) -> Value {
    let mut all = vec!["run", "--json"];
    all.extend_from_slice(args);
    let (ok, out, err) = mlplay(&all);
    assert!(ok, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn notes(r: &Value) -> Vec<String> {
    r["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect()
}

fn labels(v: &Value) -> Vec<i64> {
    v.as_array().unwrap().iter().map(|l| l.as_i64().unwrap()).collect()
}

#[test]
fn pca_of_a_features_only_file_uses_all_13_columns() {
    let want = reference()["wine_pca_explained_variance_ratio"].clone();
    for target in [None, Some("none")] {
        let wine = fixture("wine_features.csv");
        let mut args = vec!["--data", &wine, "--model", "pca"];
        args.extend(["--set", "n_components=13"]);
        if let Some(t) = target {
            args.extend(["--target", t]);
        }
        let r = run(&args);
        // 13 components explain all the variance only when all 13 columns are features.
        let total = r["metrics"]["explained_variance_ratio_cumulative"].as_f64().unwrap();
        assert!((total - 1.0).abs() < 1e-9, "cumulative {total}");
        for (k, w) in want.as_array().unwrap().iter().enumerate() {
            let got = r["metrics"][format!("explained_variance_ratio_{}", k + 1)].as_f64().unwrap();
            assert!((got - w.as_f64().unwrap()).abs() < 1e-6, "component {}: {got} vs {w}", k + 1);
        }
        assert!(notes(&r).iter().any(|n| n.contains("every column is a feature and none colours the plot")), "{r}");
    }
}

#[test]
fn kmeans_and_dbscan_cluster_on_every_column() {
    let refs = reference();
    let wine = fixture("wine_features.csv");
    let r = run(&["--data", &wine, "--model", "kmeans", "--set", "n_clusters=3", "--set", "n_init=10"]);
    let ari = adjusted_rand_score(&labels(&r["labels"]), &labels(&refs["wine_kmeans_labels"])).unwrap();
    assert!(ari > 0.99, "k-means on 13 columns vs scikit-learn's: adjusted Rand {ari}");
    let inertia = r["metrics"]["inertia"].as_f64().unwrap();
    let want = refs["wine_kmeans_inertia"].as_f64().unwrap();
    assert!((inertia - want).abs() < 1e-6 * want, "inertia {inertia} vs {want}");

    let moons = fixture("moons.csv");
    let r = run(&["--data", &moons, "--model", "dbscan", "--set", "eps=0.3", "--set", "min_samples=5"]);
    assert_eq!(r["metrics"]["n_clusters"], 2.0, "two moons need both columns");
    let ari = adjusted_rand_score(&labels(&r["labels"]), &labels(&refs["moons_dbscan_labels"])).unwrap();
    assert_eq!(ari, 1.0, "DBSCAN labels equal scikit-learn's up to renumbering");
}

#[test]
fn a_label_column_colours_and_a_supervised_kind_needs_a_target() {
    // iris as a user would upload it: the last column (text, 3 values) clearly is the label.
    let r = run(&["--data", &format!("{ROOT}/www/data/iris.csv"), "--model", "kmeans", "--set", "n_clusters=3"]);
    assert!(notes(&r).iter().any(|n| n.contains("column 'species' colours the plot and is not a feature")), "{r}");
    assert!(r["metrics"]["adjusted_rand"].as_f64().is_some(), "{r}");
    let (ok, _, err) =
        mlplay(&["run", "--data", &fixture("wine_features.csv"), "--target", "none", "--model", "naive_bayes"]);
    assert!(!ok && err.contains("naive_bayes learns to predict a target column"), "{err}");
}

fn python() -> PathBuf {
    Path::new(ROOT).join(".venv/bin/python")
}

#[test]
fn cars_names_are_left_out_and_naive_bayes_matches_scikit_learn_without_them() {
    let cars = fixture("cars.csv");
    let r = run(&["--data", &cars, "--model", "naive_bayes"]);
    let note =
        "column 'Name' looks like a name (311 distinct values in 406 rows); left out: bring it back as categories";
    assert!(notes(&r).iter().any(|n| n.contains(note)), "{r}");
    // scikit-learn's GaussianNB on the same rows without Name: the exported script (it
    // carries mlplay's split and its CATEGORIES leave Name out).
    let dir = std::env::temp_dir().join(format!("mlplay-cars-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("cars_nb.py");
    let link = r["link"].as_str().unwrap();
    let (ok, _, err) =
        mlplay(&["export", "--link", link, "--to", "sklearn", "--data", &cars, "--out", script.to_str().unwrap()]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&script).unwrap();
    assert!(!text.contains("\"Name\""), "the script leaves Name out too");
    let out = Command::new(python()).args([script.to_str().unwrap(), &cars, "--json"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let theirs: Value = serde_json::from_str(&stdout[stdout.find('{').unwrap()..]).unwrap();
    for part in ["validation", "test"] {
        let (a, b) =
            (r["metrics"][part]["accuracy"].as_f64().unwrap(), theirs["metrics"][part]["accuracy"].as_f64().unwrap());
        eprintln!("cars naive Bayes {part} accuracy: mlplay {a:.4}, scikit-learn {b:.4}");
        assert!((a - b).abs() <= 0.03, "{part}: mlplay {a} vs scikit-learn {b}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
