//! Exported code uses mlplay's own rows: the scikit-learn script (and so the notebook, the
//! same program) carries the train/validation/test part of every row, so for deterministic
//! models its printed validation and test scores equal `mlplay run`'s (issue #22; before,
//! the script drew its own split and a breast-cancer run read 0.988 against mlplay's 0.965).
//! The PySpark job carries the same PARTS and so scores the same rows.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn mlplay(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().expect("mlplay runs");
    assert!(out.status.success(), "mlplay {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mlplay-export-rows-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run the scripts in one Python process (scikit-learn imported once), each as `python
/// ARGV...`; their printed JSON, in order.
fn run_scripts(dir: &Path, argvs: &[Vec<String>]) -> Vec<Value> {
    let runner = "import contextlib, io, json, runpy, sys\nout = []\nfor argv in json.load(open(sys.argv[1])):\n    \
                  sys.argv, buffer = argv, io.StringIO()\n    with contextlib.redirect_stdout(buffer):\n        \
                  runpy.run_path(argv[0], run_name='__main__')\n    \
                  out.append(json.loads(buffer.getvalue()[buffer.getvalue().index('{'):]))\n\
                  print(json.dumps({'outputs': out}))\n";
    std::fs::write(dir.join("runner.py"), runner).unwrap();
    std::fs::write(dir.join("jobs.json"), serde_json::to_string(argvs).unwrap()).unwrap();
    let py = Path::new(ROOT).join(".venv/bin/python");
    // SPARK_LOCAL_IP: Spark's local mode need not look up this machine's name; PYSPARK_PYTHON:
    // its Python workers (the job numbers the rows with an RDD map) use this venv too.
    let out = Command::new(&py)
        .args(["runner.py", "jobs.json"])
        .current_dir(dir)
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("PYSPARK_PYTHON", &py)
        .output()
        .expect(".venv/bin/python runs (./x test creates it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "python failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_str(stdout.trim()).unwrap();
    v["outputs"].as_array().unwrap().clone()
}

/// Same rows as mlplay's 70/15/15 split: the rows counted in each part agree, and every
/// validation and test metric both report is within `TOL`. 3 data sets x 3 deterministic
/// models (logistic regression with lbfgs, naive Bayes, k-NN).
const TOL: f64 = 0.005;

#[test]
fn scripts_score_mlplays_validation_and_test_rows() {
    let sets = [("breast_cancer", "breast_cancer.csv"), ("wine", "wine.csv"), ("penguins", "penguins.csv")];
    // Logistic regression with tol 1e-8: at scikit-learn's default 1e-4 its L-BFGS stops
    // before the optimum that mlplay's reaches (breast cancer, seed 7: validation log loss
    // 0.036793 against the optimum's 0.036601, and one row on the other side), a stopping
    // rule and not the rows. Both are given the same tol.
    let kinds = [("logistic_regression", &["--set", "tol=1e-8"][..]), ("naive_bayes", &[][..]), ("knn", &[][..])];
    // Not the decision tree: among equally good splits scikit-learn picks by its own seeded
    // feature order, mlplay by its own, so trees differ on ties (breast cancer, seed 7:
    // validation 0.849 against 0.860) on the same rows; tests/export.rs compares it loosely.
    let compared = compare(&sets, &kinds, "sklearn", TOL);
    assert!(compared > 100, "{compared} metrics compared");
}

/// The PySpark job on mlplay's rows: the same rows in each part, and every validation and
/// test metric both report within `SPARK_TOL`. Not exact: MLlib's own solvers (L-BFGS/OWL-QN
/// for logistic regression, its Gaussian naive Bayes's variance smoothing) stop and smooth
/// differently. Two small sets x two models keep it to one JVM and about a minute and a half.
const SPARK_TOL: f64 = 0.02;

#[test]
fn spark_jobs_score_mlplays_validation_and_test_rows() {
    if std::env::var("MLPLAY_SPARK_TESTS").as_deref() != Ok("1") {
        eprintln!("skipped: the Spark export tests run with MLPLAY_SPARK_TESTS=1 (./x test sets it)");
        return;
    }
    let sets = [("wine", "wine.csv"), ("breast_cancer", "breast_cancer.csv")];
    let kinds = [("logistic_regression", &["--set", "tol=1e-8"][..]), ("naive_bayes", &[][..])];
    let compared = compare(&sets, &kinds, "spark", SPARK_TOL);
    assert!(compared > 40, "{compared} metrics compared");
}

/// Run mlplay on each set x kind at seed 7, export to `to`, run the exports on the set's
/// file, and compare rows per part and validation/test metrics; how many metrics compared.
fn compare(sets: &[(&str, &str)], kinds: &[(&str, &[&str])], to: &str, tol: f64) -> usize {
    let dir = scratch(to);
    let (mut ours, mut argvs) = (vec![], vec![]);
    for &(set, file) in sets {
        for &(kind, sets) in kinds {
            let data_arg = format!("builtin:{set}");
            let mut args = vec!["run", "--data", &data_arg, "--model", kind, "--seed", "7", "--json"];
            args.extend_from_slice(sets);
            let r: Value = serde_json::from_str(&mlplay(&args)).unwrap();
            let script = dir.join(format!("{set}_{kind}.py"));
            let link = r["link"].as_str().unwrap().to_string();
            mlplay(&["export", "--link", &link, "--to", to, "--out", script.to_str().unwrap()]);
            let data = Path::new(ROOT).join("www/data").join(file);
            argvs.push(vec![script.to_str().unwrap().into(), data.to_str().unwrap().into(), "--json".into()]);
            ours.push((set, kind, r));
        }
    }
    let mut compared = 0;
    for ((set, kind, ours), theirs) in ours.iter().zip(run_scripts(&dir, &argvs)) {
        for (i, part) in ["train", "validation", "test"].iter().enumerate() {
            assert_eq!(theirs["rows"][part], ours["rows"][i], "{set} {kind}: {part} rows");
        }
        for part in ["validation", "test"] {
            for (name, a) in ours["metrics"][part].as_object().unwrap() {
                let a = a.as_f64().unwrap();
                let Some(b) = theirs["metrics"][part][name].as_f64() else {
                    // The Spark job leaves out what MLlib does not count (e.g. multiclass roc_auc_ovr).
                    assert_eq!(to, "spark", "{set} {kind}: the script does not report {part} {name}");
                    eprintln!("{set} {kind}: the Spark job does not report {part} {name}");
                    continue;
                };
                // log_loss is unbounded: a few near-certain wrong rows dominate it (breast cancer
                // naive Bayes, validation: mlplay 1.2365, MLlib 1.2015, from the variances' smoothing),
                // so it is compared relatively: within 5% (2.8% there).
                let limit = if name == "log_loss" { tol.max(0.05 * a.abs()) } else { tol };
                assert!((a - b).abs() <= limit, "{set} {kind} {part} {name}: mlplay {a} vs {to} {b}");
                compared += 1;
            }
        }
        let acc = |v: &Value, p: &str| v["metrics"][p]["accuracy"].as_f64().unwrap();
        eprintln!(
            "{set:>13} {kind:<20} validation {:.4} / {:.4}, test {:.4} / {:.4} (mlplay / {to})",
            acc(ours, "validation"),
            acc(&theirs, "validation"),
            acc(ours, "test"),
            acc(&theirs, "test")
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    compared
}
