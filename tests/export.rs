//! `mlplay export` writes code that runs and agrees with mlplay: for each supervised kind,
//! the scikit-learn script (run in `.venv`, which `./x test` creates) trains on the same
//! rows and scores the same held-out test rows as `mlplay run --test-data`, within stated
//! tolerances; the notebook's cells give the script's numbers; hostile column, class and
//! file names cannot break out of their string literals; and the PySpark script reaches a
//! stated quality in local mode (those run when MLPLAY_SPARK_TESTS=1, as `./x test` sets).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{json, Value};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The venv's Python, checked to have the libraries; a missing one fails the test.
fn python() -> PathBuf {
    let py = Path::new(ROOT).join(".venv/bin/python");
    let ok = Command::new(&py).args(["-c", "import sklearn, pandas, numpy"]).output().is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "{} with scikit-learn, pandas and numpy is missing: run ./x test (or ./x setup) to create it",
        py.display()
    );
    py
}

fn mlplay(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().expect("mlplay runs");
    assert!(out.status.success(), "mlplay {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Run a Python file with arguments in `dir`; its JSON output (the last `{...}` block).
fn run_python(dir: &Path, args: &[&str]) -> Value {
    // SPARK_LOCAL_IP: Spark's local mode need not look up this machine's name. PYSPARK_PYTHON:
    // its worker processes (the autoencoder detector's Python code) use this venv too.
    let py = python();
    let out = Command::new(&py)
        .args(args)
        .current_dir(dir)
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("PYSPARK_PYTHON", &py)
        .output()
        .expect("python runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "python {args:?} failed:\n{stdout}\n{stderr}");
    let start = stdout.find("\n{").map_or(0, |i| i + 1);
    serde_json::from_str(&stdout[start..]).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{stderr}"))
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mlplay-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A built-in CSV split into train.csv and test.csv (every fourth row held out). A
/// generated set's rows come from `mlplay export --data-out`.
fn split_files(dataset: &str, dir: &Path) {
    let file = Path::new(ROOT).join("www/data").join(format!("{dataset}.csv"));
    let text = if file.exists() {
        std::fs::read_to_string(file).unwrap()
    } else {
        let r: Value =
            serde_json::from_str(&mlplay(&["run", "--data", &format!("builtin:{dataset}"), "--json"])).unwrap();
        let out = dir.join(format!("{dataset}.csv"));
        mlplay(&[
            "export",
            "--link",
            r["link"].as_str().unwrap(),
            "--to",
            "sklearn",
            "--data-out",
            out.to_str().unwrap(),
            "--out",
            dir.join("unused.py").to_str().unwrap(),
        ]);
        std::fs::read_to_string(out).unwrap()
    };
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let (mut train, mut test) = (vec![header], vec![header]);
    for (i, l) in lines.enumerate() {
        if i % 4 == 3 {
            test.push(l)
        } else {
            train.push(l)
        }
    }
    std::fs::write(dir.join("train.csv"), train.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("test.csv"), test.join("\n") + "\n").unwrap();
}

/// mlplay's run on train.csv, tested on test.csv: its test metrics and its link.
fn mlplay_run(dir: &Path, kind: &str, sets: &[&str]) -> (Value, String) {
    let (train, test) = (dir.join("train.csv"), dir.join("test.csv"));
    let mut args = vec!["run", "--data", train.to_str().unwrap(), "--test-data", test.to_str().unwrap()];
    args.extend(["--split", "1,0,0", "--model", kind, "--json"]);
    for s in sets {
        args.extend(["--set", s]);
    }
    let r: Value = serde_json::from_str(&mlplay(&args)).unwrap();
    (r["metrics"]["test"].clone(), r["link"].as_str().unwrap().to_string())
}

fn export(dir: &Path, link: &str, to: &str, file: &str) -> PathBuf {
    let out = dir.join(file);
    let train = dir.join("train.csv");
    mlplay(&["export", "--link", link, "--to", to, "--data", train.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    out
}

/// Metrics that are counts or amounts compare relatively; shares and scores absolutely.
fn relative(name: &str) -> bool {
    ["log_loss", "mse", "rmse", "mae"].contains(&name)
}

/// One comparison: `kind` with `--set`s on a built-in set, every metric within `tol`
/// except those in `except` (an infinite tolerance: not compared).
struct Case {
    dataset: &'static str,
    kind: &'static str,
    sets: Vec<&'static str>,
    tol: f64,
    except: Vec<(&'static str, f64)>,
}

fn case(dataset: &'static str, kind: &'static str, sets: &[&'static str], tol: f64) -> Case {
    Case { dataset, kind, sets: sets.to_vec(), tol, except: vec![] }
}

impl Case {
    fn but(mut self, except: &[(&'static str, f64)]) -> Case {
        self.except = except.to_vec();
        self
    }
}

/// Run exported scripts in one Python process (importing scikit-learn once), each as
/// `python ARGV...` would (`runpy`, as `__main__`); their printed JSON, in order.
fn run_scripts(dir: &Path, argvs: &[Vec<String>]) -> Vec<Value> {
    let runner = "import contextlib, io, json, runpy, sys\nout = []\nfor argv in json.load(open(sys.argv[1])):\n    \
                  sys.argv, buffer = argv, io.StringIO()\n    with contextlib.redirect_stdout(buffer):\n        \
                  runpy.run_path(argv[0], run_name='__main__')\n    out.append(json.loads(buffer.getvalue()[buffer.getvalue().index('{'):]))\n\
                  print(json.dumps({'outputs': out}))\n";
    std::fs::write(dir.join("runner.py"), runner).unwrap();
    std::fs::write(dir.join("jobs.json"), serde_json::to_string(argvs).unwrap()).unwrap();
    let v = run_python(dir, &["runner.py", "jobs.json"]);
    v["outputs"].as_array().unwrap().clone()
}

/// Export each case's model trained by `mlplay run` on train.csv and tested on test.csv,
/// run the script on the same two files, and compare every test metric mlplay reports
/// (the script must report each, under the same name).
fn compare(name: &str, cases: Vec<Case>) {
    let dir = scratch(name);
    let mut runs = vec![];
    let mut argvs = vec![];
    for (i, c) in cases.iter().enumerate() {
        let sub = dir.join(format!("case{i}"));
        std::fs::create_dir_all(&sub).unwrap();
        split_files(c.dataset, &sub);
        let (ours, link) = mlplay_run(&sub, c.kind, &c.sets);
        let script = export(&sub, &link, "sklearn", "script.py");
        let path = |f: &str| sub.join(f).to_str().unwrap().to_string();
        argvs.push(vec![script.to_str().unwrap().to_string(), path("train.csv"), path("test.csv"), "--json".into()]);
        runs.push(ours);
    }
    for ((c, ours), theirs) in cases.iter().zip(&runs).zip(run_scripts(&dir, &argvs)) {
        let (dataset, kind, sets) = (c.dataset, c.kind, &c.sets);
        let theirs = &theirs["metrics"]["test"];
        let mut worst = (String::new(), 0.0f64);
        for (name, a) in ours.as_object().unwrap() {
            let tol = c.except.iter().find(|(n, _)| n == name).map_or(c.tol, |(_, t)| *t);
            let a = a.as_f64().unwrap();
            let b = theirs[name]
                .as_f64()
                .unwrap_or_else(|| panic!("{dataset} {kind}: the script does not report {name}: {theirs}"));
            let gap = (a - b).abs() / if relative(name) { b.abs().max(1e-12) } else { 1.0 };
            assert!(gap <= tol, "{dataset} {kind} {sets:?}: {name} mlplay {a} vs scikit-learn {b} (tolerance {tol})");
            if gap >= worst.1 && tol.is_finite() {
                worst = (format!("{name} {a:.4} vs {b:.4}"), gap);
            }
        }
        let acc = ours.get("accuracy").or(ours.get("r2")).and_then(Value::as_f64).unwrap_or(f64::NAN);
        eprintln!("{dataset:>13} {kind:<20} {sets:?}: accuracy/r2 {acc:.4}, largest gap {} ({:.2e})", worst.0, worst.1);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// Deterministic models: tight tolerances.

#[test]
fn linear_models_match_exactly() {
    compare(
        "linear",
        vec![
            case("diabetes", "linear_regression", &[], 1e-6),
            case("diabetes", "ridge", &["alpha=3"], 1e-6),
            case("houses", "linear_regression", &[], 1e-6), // text and yes/no columns
            case("diabetes", "lasso", &["alpha=0.5"], 1e-4),
        ],
    );
}

#[test]
fn logistic_regression_lbfgs_matches() {
    // Both stop when the gradient is below tol, so the weights agree to about 1e-3.
    compare(
        "logistic",
        vec![
            case("breast_cancer", "logistic_regression", &["solver=lbfgs"], 3e-3),
            case("iris", "logistic_regression", &["solver=lbfgs", "C=0.5"], 3e-3),
            case("penguins", "logistic_regression", &["solver=lbfgs"], 3e-3), // missing values, one-hot
        ],
    );
}

#[test]
fn knn_and_naive_bayes_match_exactly() {
    // Probabilities that round to exactly 1.0 in one and to 1 - 1e-16 in the other tie
    // differently, which moves naive Bayes' ranking scores (ROC AUC, average precision).
    let ranking = [("roc_auc", 1e-3), ("average_precision", 1e-3), ("roc_auc_ovr", 1e-3)];
    compare(
        "knn_bayes",
        vec![
            case("wine", "knn", &[], 1e-9),
            case("breast_cancer", "knn", &["n_neighbors=7", "weights=distance"], 1e-9),
            case("diabetes", "knn", &[], 1e-9),
            case("breast_cancer", "naive_bayes", &[], 1e-6).but(&ranking),
            case("penguins", "naive_bayes", &[], 1e-6).but(&ranking),
        ],
    );
}

// Models with random draws or other solvers: looser tolerances.

#[test]
fn trees_forests_and_boosting_agree_loosely() {
    // A pure leaf that is wrong costs log(1e-16) = 37 in log-loss: one row decides it.
    compare(
        "trees",
        vec![
            case("breast_cancer", "decision_tree", &["max_depth=4"], 0.06).but(&[("log_loss", f64::INFINITY)]),
            case("diabetes", "decision_tree", &["max_depth=3"], 0.1),
            case("wine", "random_forest", &[], 0.06),
            case("diabetes", "random_forest", &[], 0.1),
            case("breast_cancer", "gradient_boosting", &[], 0.05),
            case("penguins", "gradient_boosting", &[], 0.05), // native categories and missing values
            case("houses", "gradient_boosting", &[], 0.1),
        ],
    );
}

#[test]
fn gradient_descent_and_self_training_agree_loosely() {
    // mlplay's gradient-descent epochs against lbfgs run to convergence; self-training
    // hides different rows' labels.
    compare(
        "other_solvers",
        vec![
            case("breast_cancer", "logistic_regression", &["solver=gradient_descent"], 0.02),
            case("wine", "self_training", &["estimator=logistic_regression", "unlabeled_fraction=0.7"], 0.15),
            // Different starting weights (He vs Glorot, scikit-learn's random biases): the scores
            // agree loosely, the log-loss of two nets only roughly.
            case("breast_cancer", "mlp", &["hidden_layer_sizes=16"], 0.05).but(&[("log_loss", f64::INFINITY)]),
            // The autoencoder: scikit-learn has none; the script's detector wraps MLPRegressor.
            case("breast_cancer", "autoencoder", &["contamination=0.3"], 0.1),
        ],
    );
}

/// Clusterings and projections fitted on every row of a built-in set: mlplay's metrics
/// and the exported script's, compared within `tol` (infinite: only reported).
#[test]
fn unsupervised_exports_run_and_agree() {
    let dir = scratch("unsupervised");
    let cases: [(&str, &str, &[&str], f64); 4] = [
        ("iris", "pca", &["n_components=3"], 1e-9), // deterministic: the same SVD
        ("iris", "dbscan", &["eps=0.6", "min_samples=5"], 1e-9), // deterministic: the same clusters
        ("wine", "kmeans", &["n_clusters=3"], 0.1), // another k-means++ draw
        ("iris", "tsne", &["perplexity=20", "max_iter=500"], f64::INFINITY),
    ];
    let mut ours = vec![];
    let mut argvs = vec![];
    for (dataset, kind, sets) in cases.iter().map(|c| (c.0, c.1, c.2)) {
        let mut args = vec!["run", "--data", "builtin:", "--model", kind, "--json"];
        let data = format!("builtin:{dataset}");
        args[2] = &data;
        sets.iter().for_each(|s| args.extend(["--set", s]));
        let r: Value = serde_json::from_str(&mlplay(&args)).unwrap();
        let script = dir.join(format!("{kind}.py"));
        mlplay(&[
            "export",
            "--link",
            r["link"].as_str().unwrap(),
            "--to",
            "sklearn",
            "--out",
            script.to_str().unwrap(),
        ]);
        let csv = Path::new(ROOT).join("www/data").join(format!("{dataset}.csv"));
        argvs.push(vec![script.to_str().unwrap().to_string(), csv.to_str().unwrap().to_string(), "--json".into()]);
        ours.push(r["metrics"].clone());
    }
    for ((c, ours), theirs) in cases.iter().zip(&ours).zip(run_scripts(&dir, &argvs)) {
        let theirs = &theirs["metrics"];
        let mut shared = 0;
        for (name, a) in ours.as_object().unwrap() {
            let Some(b) = theirs[name].as_f64() else { continue };
            let a = a.as_f64().unwrap();
            eprintln!("{:>6} {:<8} {name:<36} mlplay {a:.6}  scikit-learn {b:.6}", c.0, c.1);
            // Duplicate rows (iris has some) tie as neighbours; the two break ties differently.
            let tol = if name.starts_with("trustworthiness") { c.3.max(1e-3) } else { c.3 };
            assert!((a - b).abs() <= tol * a.abs().max(1.0), "{} {}: {name} {a} vs {b}", c.0, c.1);
            shared += 1;
        }
        assert!(shared >= 2, "{} {}: too few shared metrics: {ours} vs {theirs}", c.0, c.1);
    }
    let tsne = run_scripts(&dir, &argvs[3..])[0]["metrics"]["trustworthiness_5"].as_f64().unwrap();
    assert!(tsne > 0.95, "t-SNE keeps neighbours: trustworthiness {tsne}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_generated_set_is_made_by_scikit_learn_without_a_file() {
    let dir = scratch("moons");
    let r: Value =
        serde_json::from_str(&mlplay(&["run", "--data", "builtin:moons", "--model", "knn", "--json"])).unwrap();
    let script = dir.join("moons.py");
    mlplay(&["export", "--link", r["link"].as_str().unwrap(), "--to", "sklearn", "--out", script.to_str().unwrap()]);
    let theirs = run_python(&dir, &[script.to_str().unwrap(), "--json"]);
    let (a, b) =
        (r["metrics"]["test"]["accuracy"].as_f64().unwrap(), theirs["metrics"]["test"]["accuracy"].as_f64().unwrap());
    eprintln!("moons, k-NN: test accuracy mlplay {a:.4} on its points, scikit-learn {b:.4} on make_moons' points");
    assert!(b >= 0.85 && (a - b).abs() < 0.1, "{a} vs {b}");
    // --data-out writes mlplay's own rows, which the script reads instead.
    let data = dir.join("moons.csv");
    mlplay(&["export", "--link", r["link"].as_str().unwrap(), "--to", "spark", "--data-out", data.to_str().unwrap()]);
    let theirs = run_python(&dir, &[script.to_str().unwrap(), data.to_str().unwrap(), "--json"]);
    assert_eq!(
        theirs["rows"]["train"].as_u64().unwrap()
            + theirs["rows"]["validation"].as_u64().unwrap()
            + theirs["rows"]["test"].as_u64().unwrap(),
        300
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_notebook_runs_and_gives_the_scripts_numbers() {
    let dir = scratch("notebook");
    split_files("penguins", &dir);
    let (_, link) = mlplay_run(&dir, "logistic_regression", &["solver=lbfgs"]);
    let script = export(&dir, &link, "sklearn", "script.py");
    let notebook = export(&dir, &link, "notebook", "notebook.ipynb");
    let nb: Value = serde_json::from_str(&std::fs::read_to_string(&notebook).unwrap()).unwrap();
    assert_eq!((nb["nbformat"].as_u64(), nb["metadata"]["kernelspec"]["language"].as_str()), (Some(4), Some("python")));
    let cells = nb["cells"].as_array().unwrap();
    assert!(cells.iter().any(|c| c["cell_type"] == "markdown") && cells.iter().all(|c| c["source"].is_array()));
    // Run the code cells in order as Jupyter would, pointing the test path at test.csv.
    let runner = "import json, sys\nnb = json.load(open(sys.argv[1]))\nns = {}\nfor cell in nb['cells']:\n    \
                  if cell['cell_type'] == 'code':\n        source = ''.join(cell['source'])\n        exec(compile(source, 'cell', 'exec'), ns)\n        \
                  if 'test_path = None' in source:\n            ns['test_path'] = 'test.csv'\nprint()\nprint(json.dumps({'metrics': ns['results']}))\n";
    std::fs::write(dir.join("run_notebook.py"), runner).unwrap();
    let from_notebook = run_python(&dir, &["run_notebook.py", notebook.to_str().unwrap()]);
    let from_script = run_python(&dir, &[script.to_str().unwrap(), "train.csv", "test.csv", "--json"]);
    assert_eq!(from_notebook["metrics"], from_script["metrics"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A CSV field, quoted when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV whose column names, class names and file name try to break out of string
/// literals: its file, the file a successful attack would create, and mlplay's link.
fn hostile_data(dir: &Path) -> (PathBuf, PathBuf, String) {
    let canary = dir.join("PWNED");
    let attack = format!("\"); import os; os.system(\"touch {}\") #", canary.display());
    let names = [
        "a\"b".to_string(),
        "line\nbreak".into(),
        "back\\slash\\".into(),
        attack.clone(),
        "'''\"\"\" #".into(),
        "bidi\u{202e}txt".into(),
        "größe".into(),
        "label".into(),
    ];
    // Windows line ends, to check that \r is trimmed like a space.
    let mut csv = names.iter().map(|n| field(n)).collect::<Vec<_>>().join(",") + "\r\n";
    for i in 0..120 {
        let x = i as f64 / 10.0;
        let class = if (i * 7) % 10 < 5 { attack.as_str() } else { "plain" };
        let signal = if class == "plain" { x } else { -x };
        let cells =
            [signal, (i % 7) as f64, (i % 5) as f64, signal * 0.5, (i % 3) as f64, (i % 11) as f64, (i % 13) as f64];
        let row: Vec<String> = cells.iter().map(|v| v.to_string()).chain([field(class)]).collect();
        csv.push_str(&(row.join(",") + "\r\n"));
    }
    // The file name is hostile too: it becomes DATA_FILE's default.
    let file = dir.join("evil\"; import os #.csv");
    std::fs::write(&file, &csv).unwrap();
    let run = mlplay(&["run", "--data", file.to_str().unwrap(), "--model", "logistic_regression", "--json"]);
    let link = serde_json::from_str::<Value>(&run).unwrap()["link"].as_str().unwrap().to_string();
    (file, canary, link)
}

#[test]
fn hostile_names_stay_string_literals() {
    let dir = scratch("hostile");
    let (file, canary, link) = hostile_data(&dir);
    for to in ["sklearn", "notebook", "spark"] {
        let out = dir.join(format!("out-{to}"));
        mlplay(&[
            "export",
            "--link",
            &link,
            "--to",
            to,
            "--data",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let mut text = std::fs::read_to_string(&out).unwrap();
        if to == "notebook" {
            let nb: Value = serde_json::from_str(&text).unwrap();
            let cells = nb["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["source"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect());
            text = cells.collect::<Vec<String>>().join("\n");
        }
        // Every name appears only escaped; no raw newline or bidi character reaches the code.
        assert!(text.contains(r#""\"); import os; os.system(\"touch "#), "{to}: the attack is not escaped");
        assert!(
            text.contains(r#""line\nbreak""#)
                && text.contains(r#""back\\slash\\""#)
                && text.contains(r#""bidi\u202etxt""#),
            "{to}"
        );
        assert!(!text.contains('\u{202e}') && !text.contains("line\nbreak"), "{to}");
    }
    let scores = run_python(&dir, &["out-sklearn", file.to_str().unwrap(), "--json"]);
    let acc = scores["metrics"]["test"]["accuracy"].as_f64().unwrap();
    assert!(acc > 0.9, "the hostile-named data is still learnt: test accuracy {acc}");
    assert!(!canary.exists(), "a column name was executed as code");
    // Compiling the notebook's cells and the Spark script must not run anything either.
    let check = "import ast, json, sys\nfor path in sys.argv[1:]:\n    text = open(path).read()\n    \
                 sources = [''.join(c['source']) for c in json.loads(text)['cells'] if c['cell_type'] == 'code'] if path.endswith('notebook') else [text]\n    \
                 [ast.parse(s) for s in sources]\nprint('{}')\n";
    std::fs::write(dir.join("parse.py"), check).unwrap();
    run_python(&dir, &["parse.py", "out-notebook", "out-spark"]);
    assert!(!canary.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_kind_exports_to_every_target_as_valid_python() {
    use mlplay::app::export::{export, ExportTarget};
    use mlplay::data::builtin::{load, DatasetSpec};
    use mlplay::state::AppState;
    let dir = scratch("all-kinds");
    let mut files = vec![];
    for kind in mlplay::kinds::catalog() {
        for id in ["iris", "diabetes", "penguins", "moons", "transactions"] {
            let state = AppState {
                dataset: DatasetSpec { n_samples: 200, ..DatasetSpec::new(id) },
                model: mlplay::kinds::spec_from_json(json!({ "kind": kind.kind })).unwrap(),
                ..Default::default()
            };
            let data = load(&state.dataset, None, state.seed).unwrap();
            for to in [ExportTarget::Sklearn, ExportTarget::Notebook, ExportTarget::Spark] {
                match export(&state, &data, to) {
                    Ok(code) => {
                        let file = dir.join(&code.file_name);
                        std::fs::write(&file, &code.text).unwrap();
                        files.push(file.to_str().unwrap().to_string());
                    }
                    // Only a kind that cannot learn this target is refused.
                    Err(e) => assert!(!kind.tasks.contains(&data.task()), "{} {id} {to:?}: {e}", kind.kind),
                }
            }
        }
    }
    // Every file parses as Python (notebooks: every code cell).
    let check = "import ast, json, sys\nfor path in sys.argv[1:]:\n    text = open(path).read()\n    \
                 sources = [''.join(c['source']) for c in json.loads(text)['cells'] if c['cell_type'] == 'code'] if path.endswith('.ipynb') else [text]\n    \
                 for s in sources:\n        ast.parse(s, path)\nprint('{\"parsed\": %d}' % (len(sys.argv) - 1))\n";
    std::fs::write(dir.join("parse.py"), check).unwrap();
    let mut args = vec!["parse.py"];
    args.extend(files.iter().map(String::as_str));
    assert_eq!(run_python(&dir, &args)["parsed"].as_u64(), Some(files.len() as u64));
    assert!(files.len() > 150, "{}", files.len());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cli_refuses_bad_input_with_a_message() {
    let refuse = |args: &[&str], says: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(says), "{args:?}: {err}");
    };
    refuse(&["export", "--link", "#v1.AAAA", "--to", "sklearn"], "link");
    refuse(&["export", "--link", "", "--to", "matlab"], "sklearn, notebook or spark");
    let r: Value = serde_json::from_str(&mlplay(&["run", "--data", "builtin:iris", "--json"])).unwrap();
    let own = r["link"].as_str().unwrap().to_string();
    assert!(mlplay(&["export", "--link", &own, "--to", "sklearn"]).contains("DATA_FILE = \"iris.csv\""));
    let file = scratch("cli").join("mine.csv");
    std::fs::write(&file, std::fs::read_to_string(Path::new(ROOT).join("www/data/iris.csv")).unwrap()).unwrap();
    let r: Value = serde_json::from_str(&mlplay(&["run", "--data", file.to_str().unwrap(), "--json"])).unwrap();
    refuse(&["export", "--link", r["link"].as_str().unwrap(), "--to", "spark"], "pass it with --data");
}

// --- Spark (local mode) ------------------------------------------------------------------

/// Whether the Spark tests run; when asked for, PySpark and Java must be there.
fn spark_wanted() -> bool {
    if std::env::var("MLPLAY_SPARK_TESTS").as_deref() != Ok("1") {
        eprintln!("skipped: the Spark export tests run with MLPLAY_SPARK_TESTS=1 (./x test sets it)");
        return false;
    }
    let py = python();
    let ok = Command::new(&py).args(["-c", "import pyspark"]).output().is_ok_and(|o| o.status.success());
    assert!(ok, "pyspark is missing from .venv: run ./x test (or ./x setup)");
    let java = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    assert!(java, "Spark's local mode needs Java 17 or newer on PATH");
    true
}

/// Export `kind` on `dataset` to PySpark: mlplay's metrics (test metrics, or the
/// unsupervised ones) and the command line that runs the script on train.csv/test.csv.
fn spark_case(dir: &Path, dataset: &str, kind: &str, sets: &[&str]) -> (Value, Vec<String>) {
    let sub = dir.join(kind);
    std::fs::create_dir_all(&sub).unwrap();
    split_files(dataset, &sub);
    let path = |f: &str| sub.join(f).to_str().unwrap().to_string();
    let (ours, link) = if kind == "kmeans" {
        let train = path("train.csv");
        let mut args = vec!["run", "--data", &train, "--model", kind, "--json"];
        sets.iter().for_each(|s| args.extend(["--set", s]));
        let r: Value = serde_json::from_str(&mlplay(&args)).unwrap();
        (r["metrics"].clone(), r["link"].as_str().unwrap().to_string())
    } else {
        mlplay_run(&sub, kind, sets)
    };
    let script = export(&sub, &link, "spark", "spark.py").to_str().unwrap().to_string();
    let argv = if kind == "kmeans" {
        vec![script, path("train.csv"), "--json".into()]
    } else {
        vec![script, path("train.csv"), path("test.csv"), "--json".into()]
    };
    (ours, argv)
}

/// Logistic regression, a random forest and k-means exported to PySpark run in local
/// mode (one Python process, so one JVM start) and reach a stated quality, close to mlplay's.
#[test]
fn spark_exports_reach_mlplays_quality() {
    if !spark_wanted() {
        return;
    }
    let dir = scratch("spark");
    let cases = [
        ("breast_cancer", "logistic_regression", vec!["solver=lbfgs"]),
        ("wine", "random_forest", vec![]),
        ("iris", "kmeans", vec!["n_clusters=3"]),
        ("traffic", "autoencoder", vec![]),
    ];
    let (ours, mut argvs): (Vec<Value>, Vec<Vec<String>>) =
        cases.iter().map(|(d, k, s)| spark_case(&dir, d, k, s)).unzip();
    // Hostile names through Spark too: they must be read, renamed and learnt, not run.
    let (file, canary, link) = hostile_data(&dir);
    let hostile = dir.join("hostile_spark.py");
    mlplay(&[
        "export",
        "--link",
        &link,
        "--to",
        "spark",
        "--data",
        file.to_str().unwrap(),
        "--out",
        hostile.to_str().unwrap(),
    ]);
    argvs.push(vec![hostile.to_str().unwrap().into(), file.to_str().unwrap().into(), "--json".into()]);
    let t0 = Instant::now();
    let theirs = run_scripts(&dir, &argvs);
    eprintln!("five Spark scripts in local mode: {:.0} s", t0.elapsed().as_secs_f64());
    let acc = theirs[4]["metrics"]["train"]["accuracy"].as_f64().unwrap();
    assert!(
        acc > 0.9 && !canary.exists(),
        "hostile names in Spark: training accuracy {acc}, canary {}",
        canary.exists()
    );
    let test = |i: usize, m: &str| theirs[i]["metrics"]["test"][m].as_f64().unwrap_or(f64::NAN);
    let (acc, auc) = (test(0, "accuracy"), test(0, "roc_auc"));
    eprintln!(
        "spark logistic regression, breast_cancer: test accuracy {acc:.4} (mlplay {}), roc_auc {auc:.4} (mlplay {})",
        ours[0]["accuracy"], ours[0]["roc_auc"]
    );
    assert!(acc >= 0.95 && auc >= 0.98, "accuracy {acc}, roc_auc {auc}");
    assert!((acc - ours[0]["accuracy"].as_f64().unwrap()).abs() <= 0.03, "{} vs {}", theirs[0], ours[0]);
    let (acc, f1) = (test(1, "accuracy"), test(1, "f1_macro"));
    eprintln!(
        "spark random forest, wine: test accuracy {acc:.4} (mlplay {}), f1_macro {f1:.4} (mlplay {})",
        ours[1]["accuracy"], ours[1]["f1_macro"]
    );
    assert!(acc >= 0.9 && f1 >= 0.9, "accuracy {acc}, f1_macro {f1}");
    let km = &theirs[2]["metrics"];
    let ari = km["adjusted_rand"].as_f64().unwrap();
    eprintln!(
        "spark k-means, iris: adjusted_rand {ari:.4} (mlplay {}), inertia {} (mlplay {})",
        ours[2]["adjusted_rand"], km["inertia"], ours[2]["inertia"]
    );
    assert_eq!(km["n_clusters"], 3);
    assert!(ari >= 0.55, "adjusted_rand {ari}");
    // The autoencoder's nearest alternative in Spark, PCA reconstruction error, finds most attacks.
    let (recall, precision) = (test(3, "recall"), test(3, "precision"));
    eprintln!("spark PCA detector, traffic: test recall {recall:.4} (mlplay's autoencoder {}), precision {precision:.4} (mlplay {})", ours[3]["recall"], ours[3]["precision"]);
    assert!(recall >= 0.5 && precision >= 0.4, "recall {recall}, precision {precision}");
    let _ = std::fs::remove_dir_all(&dir);
}
