//! The command-line contract of DESIGN.md: `mlplay run` prints the documented JSON, a
//! link reproduces the run, and bad input ends in a message and a non-zero exit.

use std::process::Command;

use serde_json::Value;

fn mlplay(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().expect("mlplay runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn run_json(args: &[&str]) -> Value {
    let (ok, out, err) = mlplay(args);
    assert!(ok, "mlplay {args:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

#[test]
fn run_prints_the_documented_json() {
    let r = run_json(&["run", "--data", "builtin:iris", "--model", "logistic_regression", "--seed", "1", "--json"]);
    assert_eq!(r["task"], "classification");
    assert_eq!(r["model"], "logistic_regression");
    assert_eq!(r["params"]["C"], 1.0);
    for part in ["train", "validation", "test"] {
        let acc = r["metrics"][part]["accuracy"].as_f64().unwrap();
        assert!((0.8..=1.0).contains(&acc), "{part} accuracy {acc}");
    }
    assert!(r["timing"]["fit_ms"].as_f64().unwrap() > 0.0);
    assert!(r["timing"]["predict_us_per_row"].as_f64().unwrap() > 0.0);
    assert_eq!(r["timing"]["model_bytes"], 8 * (4 * 3 + 3));
    assert!(r["link"].as_str().unwrap().starts_with("#v1."));
}

#[test]
fn the_link_reproduces_the_run() {
    let a = run_json(&["run", "--data", "builtin:moons", "--set", "C=0.5", "--seed", "7", "--json"]);
    let link = a["link"].as_str().unwrap();
    let b = run_json(&["run", "--link", &format!("http://127.0.0.1:8080/{link}"), "--json"]);
    assert_eq!(a["metrics"], b["metrics"]);
    assert_eq!(b["params"]["C"], 0.5);
    assert_eq!(b["dataset"], "moons");
}

#[test]
fn options_override_the_link() {
    let a = run_json(&["run", "--data", "builtin:iris", "--json"]);
    let b = run_json(&["run", "--link", a["link"].as_str().unwrap(), "--set", "max_iter=5", "--json"]);
    assert_eq!(b["params"]["max_iter"], 5);
    assert_ne!(a["metrics"], b["metrics"]);
}

#[test]
fn a_csv_file_trains_with_a_named_target() {
    let dir = std::env::temp_dir().join(format!("mlplay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("points.csv");
    let mut csv = String::from("label;a;b\n");
    for i in 0..60 {
        let c = i % 2;
        csv.push_str(&format!(
            "{};{};{}\n",
            if c == 0 { "no" } else { "yes" },
            c as f64 * 3.0 + (i % 7) as f64 * 0.1,
            i % 5
        ));
    }
    std::fs::write(&path, csv).unwrap();
    let r = run_json(&["run", "--data", path.to_str().unwrap(), "--target", "label", "--json"]);
    assert_eq!(r["metrics"]["validation"]["accuracy"], 1.0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_input_names_the_problem() {
    let cases: &[(&[&str], &str)] = &[
        (&["run", "--link", "#v1.!!!"], "link"),
        (&["run", "--link", "#v7.abc"], "version"),
        (&["run", "--model", "quantum_forest"], "quantum_forest"),
        (&["run", "--set", "C=-1"], "C = -1"),
        (&["run", "--set", "max_iter=0"], "max_iter"),
        (&["run", "--split", "0.9,0.3,0.1"], "add up to 1"),
        (&["run", "--data", "builtin:nope"], "nope"),
        (&["run", "--data", "/no/such/file.csv"], "cannot read"),
        (&["run", "--data", "builtin:iris", "--target", "colour"], "colour"),
    ];
    for (args, needle) in cases {
        let (ok, _, err) = mlplay(args);
        assert!(!ok, "{args:?} should fail");
        assert!(err.starts_with("error: ") && err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn test_data_is_the_held_out_test_set() {
    let dir = std::env::temp_dir().join(format!("mlplay-holdout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let row = |i: usize| format!("{},{},{}\n", i % 10, (i * 3) % 7, if i % 10 < 5 { "low" } else { "high" });
    let train: String = std::iter::once("a,b,y\n".to_string()).chain((0..100).map(row)).collect();
    // The held-out file has its columns in another order and one unseen target-free row.
    let test: String = std::iter::once("b,y,a\n".to_string())
        .chain((0..30).map(|i| {
            let r = row(i + 100);
            let f: Vec<&str> = r.trim().split(',').collect();
            format!("{},{},{}\n", f[1], f[2], f[0])
        }))
        .collect();
    std::fs::write(dir.join("train.csv"), train).unwrap();
    std::fs::write(dir.join("test.csv"), test).unwrap();
    let r = run_json(&[
        "run",
        "--data",
        dir.join("train.csv").to_str().unwrap(),
        "--test-data",
        dir.join("test.csv").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r["rows"][2], 30, "{r}");
    assert_eq!(r["rows"][0].as_u64().unwrap() + r["rows"][1].as_u64().unwrap(), 100);
    assert!(r["metrics"]["test"]["accuracy"].as_f64().unwrap() >= 0.9, "{r}");
    let (ok, _, err) =
        mlplay(&["run", "--data", dir.join("train.csv").to_str().unwrap(), "--test-data", "/no/file.csv"]);
    assert!(!ok && err.contains("cannot read"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn set_reaches_dataset_knobs_and_the_link_keeps_them() {
    let r = run_json(&["run", "--data", "builtin:blobs", "--set", "n_samples=120", "--set", "centers=4", "--json"]);
    let rows: u64 = r["rows"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(rows, 120);
    let b = run_json(&["run", "--link", r["link"].as_str().unwrap(), "--json"]);
    assert_eq!(r["metrics"], b["metrics"]);
    let (ok, _, err) = mlplay(&["run", "--data", "builtin:blobs", "--set", "centers=30"]);
    assert!(!ok && err.contains("centers = 30"), "{err}");
}

#[test]
fn columns_can_be_excluded_and_included_and_links_keep_it() {
    let a =
        run_json(&["run", "--data", "builtin:iris", "--exclude", "petal_length", "--exclude", "petal_width", "--json"]);
    assert_eq!(a["timing"]["model_bytes"], 8 * (2 * 3 + 3)); // two features left
    let b = run_json(&["run", "--link", a["link"].as_str().unwrap(), "--json"]);
    assert_eq!(a["metrics"], b["metrics"]);
    assert!(a["notes"].to_string().contains("'petal_width' is left out, as you chose"));
}

#[test]
fn a_numeric_code_can_be_read_as_categories() {
    let a = run_json(&[
        "run",
        "--data",
        "builtin:iris",
        "--exclude",
        "sepal_width",
        "--categorical",
        "sepal_length",
        "--json",
    ]);
    // sepal_length has 35 distinct values; one-hot gives a weight per class for each one
    // seen in the training rows (not all 35 are), plus 2 numeric features and the intercept.
    let bytes = a["timing"]["model_bytes"].as_u64().unwrap();
    let weights = bytes / 8 - 3;
    assert_eq!(weights % 3, 0);
    let categories = weights / 3 - 2;
    assert!((25..=35).contains(&categories), "{categories} categories");
    let b = run_json(&["run", "--link", a["link"].as_str().unwrap(), "--json"]);
    assert_eq!(a["metrics"], b["metrics"]);
}

#[test]
fn knn_and_naive_bayes_run_from_the_cli() {
    for (model, extra) in [("knn", "n_neighbors=7"), ("naive_bayes", "var_smoothing=1e-9")] {
        let r = run_json(&["run", "--data", "builtin:iris", "--model", model, "--set", extra, "--json"]);
        let acc = r["metrics"]["validation"]["accuracy"].as_f64().unwrap();
        assert!(acc >= 0.9, "{model}: validation accuracy {acc}");
        assert!(r["timing"]["model_bytes"].as_u64().unwrap() > 0);
    }
    let (ok, _, err) = mlplay(&["run", "--data", "builtin:iris", "--model", "knn", "--set", "n_neighbors=500"]);
    assert!(!ok && err.contains("n_neighbors = 500"), "{err}");
}
