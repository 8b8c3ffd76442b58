//! Exported code uses mlplay's own rows: the scikit-learn script (and so the notebook, the
//! same program) carries the train/validation/test part of every row, so for deterministic
//! models its printed validation and test scores equal `mlplay run`'s (issue #22; before,
//! the script drew its own split and a breast-cancer run read 0.988 against mlplay's 0.965).

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
    let out = Command::new(Path::new(ROOT).join(".venv/bin/python"))
        .args(["runner.py", "jobs.json"])
        .current_dir(dir)
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
    let dir = scratch("same");
    let sets = [("breast_cancer", "breast_cancer.csv"), ("wine", "wine.csv"), ("penguins", "penguins.csv")];
    // Logistic regression with tol 1e-8: at scikit-learn's default 1e-4 its L-BFGS stops
    // before the optimum that mlplay's reaches (breast cancer, seed 7: validation log loss
    // 0.036793 against the optimum's 0.036601, and one row on the other side), a stopping
    // rule and not the rows. Both are given the same tol.
    let kinds = [("logistic_regression", &["--set", "tol=1e-8"][..]), ("naive_bayes", &[][..]), ("knn", &[][..])];
    // Not the decision tree: among equally good splits scikit-learn picks by its own seeded
    // feature order, mlplay by its own, so trees differ on ties (breast cancer, seed 7:
    // validation 0.849 against 0.860) on the same rows; tests/export.rs compares it loosely.
    let (mut ours, mut argvs) = (vec![], vec![]);
    for (set, file) in sets {
        for (kind, sets) in kinds {
            let data_arg = format!("builtin:{set}");
            let mut args = vec!["run", "--data", &data_arg, "--model", kind, "--seed", "7", "--json"];
            args.extend_from_slice(sets);
            let r: Value = serde_json::from_str(&mlplay(&args)).unwrap();
            let script = dir.join(format!("{set}_{kind}.py"));
            let link = r["link"].as_str().unwrap().to_string();
            mlplay(&["export", "--link", &link, "--to", "sklearn", "--out", script.to_str().unwrap()]);
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
                let (a, b) = (a.as_f64().unwrap(), theirs["metrics"][part][name].as_f64());
                let b = b.unwrap_or_else(|| panic!("{set} {kind}: the script does not report {part} {name}"));
                assert!((a - b).abs() <= TOL, "{set} {kind} {part} {name}: mlplay {a} vs scikit-learn {b}");
                compared += 1;
            }
        }
        let acc = |v: &Value, p: &str| v["metrics"][p]["accuracy"].as_f64().unwrap();
        eprintln!(
            "{set:>13} {kind:<20} validation {:.4} / {:.4}, test {:.4} / {:.4} (mlplay / scikit-learn)",
            acc(ours, "validation"),
            acc(&theirs, "validation"),
            acc(ours, "test"),
            acc(&theirs, "test")
        );
    }
    assert!(compared > 100, "{compared} metrics compared");
    let _ = std::fs::remove_dir_all(&dir);
}
