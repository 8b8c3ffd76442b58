//! Model files (`mlplay-model` v2; v1 files in tests/model_file_v1.rs): every kind saves and reloads to bitwise-identical
//! predictions and the same session metrics; `mlplay run --save-model` then `mlplay
//! predict` gives the run's test metrics; hostile files end in a named error, never a
//! panic. Run with `--nocapture` to see the file size of each kind.

use mlplay::app::model_file::{self, Loaded};
use mlplay::app::workspace::ModelFiles;
use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::prep::{Imputer, PrepSpec, Scaling};
use mlplay::data::Dataset;
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::models::Prediction;
use mlplay::state::AppState;
use mlplay::Error;
use serde_json::{json, Value};

fn trained(data: &str, model: Value, prep: PrepSpec) -> (Session, Dataset) {
    let state = AppState {
        dataset: DatasetSpec::new(data),
        model: spec_from_json(model).unwrap(),
        prep,
        seed: 3,
        ..Default::default()
    };
    let ds = builtin::load(&state.dataset, None, state.seed).unwrap();
    let mut s = Session::new(state, &ds).unwrap();
    s.run_to_end().unwrap();
    (s, ds)
}

fn bits(p: &Prediction) -> Vec<u64> {
    match p {
        Prediction::Proba(p) => p.iter().map(|v| v.to_bits()).collect(),
        Prediction::Values(v) => v.iter().map(|v| v.to_bits()).collect(),
    }
}

const DEFAULT_PREP: PrepSpec = PrepSpec { imputer: Imputer::Mean, scaler: Scaling::Standard };
const KEEP: PrepSpec = PrepSpec { imputer: Imputer::Keep, scaler: Scaling::None };

/// Every kind on a built-in set that suits it.
fn cases() -> Vec<(&'static str, Value, PrepSpec)> {
    vec![
        ("diabetes", json!({"kind": "linear_regression"}), DEFAULT_PREP),
        ("diabetes", json!({"kind": "linear_regression", "solver": "gradient_descent"}), DEFAULT_PREP),
        ("diabetes", json!({"kind": "ridge"}), DEFAULT_PREP),
        ("diabetes", json!({"kind": "lasso", "alpha": 0.1}), DEFAULT_PREP),
        ("iris", json!({"kind": "logistic_regression"}), DEFAULT_PREP),
        ("wine", json!({"kind": "logistic_regression", "solver": "gradient_descent"}), DEFAULT_PREP),
        ("iris", json!({"kind": "knn"}), DEFAULT_PREP),
        ("houses", json!({"kind": "knn", "weights": "distance"}), DEFAULT_PREP),
        ("wine", json!({"kind": "naive_bayes"}), DEFAULT_PREP),
        ("penguins", json!({"kind": "decision_tree"}), KEEP),
        ("diabetes", json!({"kind": "decision_tree", "max_depth": 4}), DEFAULT_PREP),
        ("penguins", json!({"kind": "random_forest", "n_estimators": 20}), KEEP),
        ("penguins", json!({"kind": "gradient_boosting", "max_iter": 30}), KEEP),
        ("houses", json!({"kind": "gradient_boosting", "max_iter": 30}), DEFAULT_PREP),
        ("penguins", json!({"kind": "mlp", "max_iter": 30}), DEFAULT_PREP),
        ("diabetes", json!({"kind": "mlp", "max_iter": 30}), DEFAULT_PREP),
        ("iris", json!({"kind": "self_training"}), DEFAULT_PREP),
        ("traffic", json!({"kind": "autoencoder", "max_iter": 20}), DEFAULT_PREP),
        ("iris", json!({"kind": "kmeans", "n_clusters": 3}), DEFAULT_PREP),
        ("iris", json!({"kind": "dbscan", "eps": 0.8}), DEFAULT_PREP),
        ("iris", json!({"kind": "pca"}), DEFAULT_PREP),
        ("iris", json!({"kind": "tsne", "max_iter": 250}), DEFAULT_PREP),
        ("iris", json!({"kind": "umap", "n_epochs": 50}), DEFAULT_PREP),
    ]
}

#[test]
fn every_kind_reloads_to_identical_predictions_and_metrics() {
    println!("{:<12}{:<48}{:>12}", "dataset", "model", "file bytes");
    for (data, model, prep) in cases() {
        let (s, ds) = trained(data, model.clone(), prep);
        let text = s.save_model().unwrap_or_else(|e| panic!("{model}: {e}"));
        println!("{data:<12}{:<48}{:>12}", model.to_string(), text.len());
        let loaded = model_file::load(&text).unwrap_or_else(|e| panic!("{model}: {e}"));
        let restored = Session::from_model_file(&text, &ds).unwrap_or_else(|e| panic!("{model}: {e}"));
        match s.model() {
            Some(m) => {
                for part in [&s.data().test, &s.data().validation] {
                    let (a, b) = (m.predict(&part.x), loaded.model.as_ref().unwrap().predict(&part.x));
                    assert_eq!(bits(&a), bits(&b), "{model}: predictions differ after reloading");
                }
                assert_eq!(restored.metrics(true), s.metrics(true), "{model}");
                assert_eq!(restored.snapshot().train_loss, s.snapshot().train_loss);
                assert!(restored.is_done());
                assert_eq!(restored.report().explanation.feature_names, s.report().explanation.feature_names);
            }
            None => {
                let (a, b) = (s.unsupervised_report(true).unwrap(), restored.unsupervised_report(true).unwrap());
                assert_eq!((&a.labels, &a.embedding), (&b.labels, &b.embedding), "{model}");
                let finite = |m: &mlplay::metrics::Metrics| {
                    m.iter().filter(|(_, v)| v.is_finite()).map(|(k, v)| (k.clone(), *v)).collect::<Vec<_>>()
                };
                assert_eq!(finite(&a.metrics), finite(&b.metrics), "{model}");
            }
        }
        // Saving the reloaded session gives the same file (but for the notes of the data).
        let again: Value = serde_json::from_str(&restored.save_model().unwrap()).unwrap();
        let first: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(again["model"], first["model"], "{model}");
        assert_eq!(again["preprocessing"], first["preprocessing"], "{model}");
    }
}

#[test]
fn clusterings_and_pca_place_new_rows() {
    let table = builtin::load_table(&DatasetSpec::new("iris"), None, 0).unwrap();
    let (s, _) = trained("iris", json!({"kind": "kmeans", "n_clusters": 3}), DEFAULT_PREP);
    let loaded = model_file::load(&s.save_model().unwrap()).unwrap();
    let p = loaded.predict_table(&table).unwrap();
    let model_file::predict::Output::Clusters(c) = p.output else { panic!("clusters") };
    let fitted = s.unsupervised_report(true).unwrap().labels.unwrap();
    let agree = c.iter().zip(&fitted).filter(|(a, b)| a == b).count();
    assert!(agree >= 147, "k-means places the fitted rows in their clusters ({agree} of 150)");

    let (s, _) = trained("iris", json!({"kind": "pca"}), DEFAULT_PREP);
    let loaded = model_file::load(&s.save_model().unwrap()).unwrap();
    let model_file::predict::Output::Coordinates(x) = loaded.predict_table(&table).unwrap().output else {
        panic!("coordinates")
    };
    let e = s.unsupervised_report(true).unwrap().embedding.unwrap();
    assert!(x.rows().into_iter().zip(&e).all(|(a, b)| (a[0] - b[0]).abs() < 1e-12 && (a[1] - b[1]).abs() < 1e-12));

    let (s, _) = trained("iris", json!({"kind": "tsne", "max_iter": 250}), DEFAULT_PREP);
    let text = s.save_model().unwrap();
    assert!(text.contains("cannot place new rows"), "the file says t-SNE is not reusable");
    let e = model_file::load(&text).unwrap().predict_table(&table).unwrap_err().to_string();
    assert!(e.contains("cannot place new rows"), "{e}");
}

#[test]
fn an_untrained_session_cannot_be_saved() {
    let state = AppState { dataset: DatasetSpec::new("iris"), ..Default::default() };
    let ds = builtin::load(&state.dataset, None, 0).unwrap();
    let s = Session::new(state, &ds).unwrap();
    assert!(s.save_model().unwrap_err().to_string().contains("not trained yet"));
}

#[test]
fn a_file_reloads_only_with_its_own_data() {
    let (s, _) = trained("iris", json!({"kind": "logistic_regression"}), DEFAULT_PREP);
    let wine = builtin::load(&DatasetSpec::new("wine"), None, 0).unwrap();
    let e = Session::from_model_file(&s.save_model().unwrap(), &wine).err().unwrap().to_string();
    assert!(e.contains("not the model's") || e.contains("not the one the model learned"), "{e}");
}

// ---- hostile files -------------------------------------------------------------------

fn file_of(data: &str, model: Value, prep: PrepSpec) -> Value {
    let (s, _) = trained(data, model, prep);
    serde_json::from_str(&s.save_model().unwrap()).unwrap()
}

/// The field of the named error that loading `v` ends in.
fn field_of_error(v: &Value) -> (String, String) {
    match model_file::load(&v.to_string()) {
        Err(Error::ModelFile { field, message }) => (field, message),
        Err(e) => panic!("not a model-file error: {e}"),
        Ok(_) => panic!("a hostile file loaded"),
    }
}

fn split_node(v: &Value) -> usize {
    v["model"]["tree"]["nodes"].as_array().unwrap().iter().rposition(|n| n.get("kind").is_some_and(|k| k != 0)).unwrap()
}

#[test]
fn hostile_files_get_named_errors() {
    let logistic = file_of("iris", json!({"kind": "logistic_regression"}), DEFAULT_PREP);
    let tree = file_of("penguins", json!({"kind": "decision_tree"}), KEEP);
    let mlp = file_of("iris", json!({"kind": "mlp", "max_iter": 5}), DEFAULT_PREP);
    let knn = file_of("iris", json!({"kind": "knn"}), DEFAULT_PREP);
    let text = logistic.to_string();

    let e = model_file::load(&text[..text.len() / 2]).unwrap_err();
    assert!(matches!(&e, Error::ModelFile { field, message } if field == "file" && message.contains("JSON")), "{e}");

    let mut v = logistic.clone();
    v["version"] = json!(model_file::VERSION + 1);
    let (field, message) = field_of_error(&v);
    assert_eq!(field, "version");
    assert!(message.contains("newer"), "{message}");
    v["version"] = json!("one");
    assert_eq!(field_of_error(&v).0, "version");
    let mut v = logistic.clone();
    v["format"] = json!("something-else");
    assert_eq!(field_of_error(&v).0, "format");

    // A child index beyond the nodes, and one pointing back up (a cycle).
    let i = split_node(&tree);
    let mut v = tree.clone();
    v["model"]["tree"]["nodes"][i]["left"] = json!(100_000);
    let (field, message) = field_of_error(&v);
    assert_eq!(field, format!("model.tree.nodes[{i}].left"));
    assert!(message.contains("out of range"), "{message}");
    let mut v = tree.clone();
    v["model"]["tree"]["nodes"][i]["right"] = json!(0);
    let (field, message) = field_of_error(&v);
    assert_eq!(field, format!("model.tree.nodes[{i}].right"));
    assert!(message.contains("cycle"), "{message}");
    let mut v = tree.clone();
    v["model"]["tree"]["nodes"][i]["feature"] = json!(99);
    assert_eq!(field_of_error(&v).0, format!("model.tree.nodes[{i}].feature"));

    // Weight lists that do not match the declared shapes.
    let mut v = logistic.clone();
    v["model"]["coef"].as_array_mut().unwrap().pop();
    let (field, message) = field_of_error(&v);
    assert_eq!(field, "model.coef");
    assert!(message.contains("holds 11 values"), "{message}");
    let mut v = mlp.clone();
    v["model"]["net"]["layers"][0]["weights"].as_array_mut().unwrap().push(json!(0.5));
    assert_eq!(field_of_error(&v).0, "model.net.layers[0].weights");
    let mut v = mlp.clone();
    v["model"]["net"]["sizes"][1] = json!(1_000_000_000u64);
    assert_eq!(field_of_error(&v).0, "model.net.layers[0].weights");

    // Declared sizes of 10^9 (and an overflowing product) with a few values.
    let mut v = knn.clone();
    v["model"]["n_rows"] = json!(1_000_000_000u64);
    let (field, message) = field_of_error(&v);
    assert_eq!(field, "model.x");
    assert!(message.contains("4000000000"), "{message}");
    let mut v = logistic.clone();
    v["model"]["n_features"] = json!(1_000_000_000u64);
    assert_eq!(field_of_error(&v).0, "model.n_features");
    let mut v = mlp.clone();
    v["model"]["net"]["sizes"] = json!([4, u64::MAX / 2, 3]);
    let (field, message) = field_of_error(&v);
    assert!(field.starts_with("model.net.layers[0]"), "{field}");
    assert!(message.contains("impossibly large"), "{message}");

    // NaN weights, written as JSON allows: a string or null.
    let mut v = logistic.clone();
    v["model"]["coef"][5] = json!("NaN");
    assert_eq!(field_of_error(&v).0, "model.coef[5]");
    let mut v = logistic.clone();
    v["model"]["intercept"][1] = Value::Null;
    assert_eq!(field_of_error(&v).0, "model.intercept[1]");
    let mut v = mlp.clone();
    v["model"]["net"]["layers"][1]["biases"][0] = json!("Infinity");
    assert_eq!(field_of_error(&v).0, "model.net.layers[1].biases[0]");
    let mut v = mlp.clone();
    v["model"]["net"]["layers"][0]["weights"][3] = json!(1e300);
    assert_eq!(field_of_error(&v).0, "model.net.layers[0].weights[3]", "too large for f32");
    let mut v = tree.clone();
    v["model"]["tree"]["values"][0] = json!("NaN");
    assert_eq!(field_of_error(&v).0, "model.tree.values[0]");
    let mut v = logistic.clone();
    v["preprocessing"]["numeric"][0]["scale"] = json!(0.0);
    assert_eq!(field_of_error(&v).0, "preprocessing.numeric[0].scale");

    // A model of another kind than the state says, and a missing part.
    let mut v = logistic.clone();
    v["model"]["kind"] = json!("linear");
    assert_eq!(field_of_error(&v).0, "file", "a linear model lacks the logistic fields");
    let mut v = logistic.clone();
    v["state"]["model"] = json!({"kind": "knn"});
    assert_eq!(field_of_error(&v).0, "model.kind");
    let mut v = logistic.clone();
    v.as_object_mut().unwrap().remove("preprocessing");
    let (field, message) = field_of_error(&v);
    assert_eq!(field, "file");
    assert!(message.contains("preprocessing"), "{message}");
}

#[test]
fn unknown_extra_keys_are_ignored() {
    let mut v = file_of("iris", json!({"kind": "logistic_regression"}), DEFAULT_PREP);
    v["written_by"] = json!("a later mlplay");
    v["model"]["calibration"] = json!({"a": 1});
    v["preprocessing"]["numeric"][0]["comment"] = json!("cm");
    assert!(model_file::load(&v.to_string()).is_ok());
}

/// Every number in the file replaced, one at a time, by values a hostile file could hold:
/// loading fails with a named error or gives a model that predicts without panicking.
#[test]
fn no_single_number_change_panics() {
    let nasty = [json!(0), json!(-1), json!(1_000_000_000u64), json!(4294967295u64), json!("NaN"), json!(1e308)];
    let files = [
        ("penguins", json!({"kind": "decision_tree", "max_depth": 3}), KEEP),
        ("penguins", json!({"kind": "gradient_boosting", "max_iter": 2, "max_leaf_nodes": 4}), KEEP),
        ("iris", json!({"kind": "mlp", "hidden_layer_sizes": [3], "max_iter": 2}), DEFAULT_PREP),
        ("iris", json!({"kind": "naive_bayes"}), DEFAULT_PREP),
        ("iris", json!({"kind": "self_training", "estimator": "knn"}), DEFAULT_PREP),
        ("iris", json!({"kind": "dbscan", "eps": 0.8}), DEFAULT_PREP),
    ];
    for (data, model, prep) in files {
        let spec = DatasetSpec::new(data);
        let (table, ds) = (builtin::load_table(&spec, None, 0).unwrap(), builtin::load(&spec, None, 0).unwrap());
        let file = file_of(data, model, prep);
        let mut paths = vec![];
        numbers(&file, &mut vec![], &mut paths);
        // Skip the long lists of training values past their first entries.
        paths.retain(|p| !matches!(p.last(), Some(Step::Index(i)) if *i > 3));
        for path in &paths {
            for bad in &nasty {
                let mut v = file.clone();
                *at(&mut v, path) = bad.clone();
                let text = v.to_string();
                if let Ok(loaded) = model_file::load(&text) {
                    let _ = check_predicts(&loaded, &table);
                    // The page's view of a reloaded session must not panic either.
                    if let Ok(s) = Session::from_model_file(&text, &ds) {
                        let _ = (s.explain(), s.evaluation(true), s.metrics(true), s.unsupervised_report(true));
                    }
                }
            }
        }
    }
}

fn check_predicts(loaded: &Loaded, table: &mlplay::data::Table) -> mlplay::Result<()> {
    loaded.predict_table(table).map(|_| ())
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn numbers(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Number(_) => out.push(path.clone()),
        // Fitted values are written as strings of their shortest decimal form.
        Value::String(t) if t.parse::<f64>().is_ok() => out.push(path.clone()),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
            path.push(Step::Index(i));
            numbers(x, path, out);
            path.pop();
        }),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            path.push(Step::Key(k.clone()));
            numbers(x, path, out);
            path.pop();
        }),
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

// ---- the command line ------------------------------------------------------------------

use std::process::Command;

fn mlplay(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().expect("mlplay runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn json_of(args: &[&str]) -> Value {
    let (ok, out, err) = mlplay(args);
    assert!(ok, "mlplay {args:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// A built-in CSV split into a training file and a held-out file (every fifth row).
fn split_files(dir: &std::path::Path, name: &str) -> (String, String) {
    let text = std::fs::read_to_string(format!("{}/www/data/{name}.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let (mut train, mut held) = (format!("{header}\n"), format!("{header}\n"));
    for (i, l) in lines.enumerate() {
        if i % 5 == 4 { &mut held } else { &mut train }.push_str(&format!("{l}\n"));
    }
    let (a, b) = (dir.join(format!("{name}_train.csv")), dir.join(format!("{name}_held.csv")));
    std::fs::write(&a, train).unwrap();
    std::fs::write(&b, held).unwrap();
    (a.to_string_lossy().into(), b.to_string_lossy().into())
}

#[test]
fn run_save_model_then_predict_gives_the_same_test_metrics() {
    let dir = std::env::temp_dir().join(format!("mlplay-model-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (data, model, extra) in [
        ("penguins", "gradient_boosting", vec!["--set", "max_iter=20"]),
        ("penguins", "logistic_regression", vec![]),
        ("diabetes", "ridge", vec![]),
        ("iris", "knn", vec![]),
    ] {
        let (train, held) = split_files(&dir, data);
        let file = dir.join(format!("{data}-{model}.json")).to_string_lossy().into_owned();
        let mut args =
            vec!["run", "--data", &train, "--test-data", &held, "--model", model, "--save-model", &file, "--json"];
        args.extend(extra);
        let run = json_of(&args);
        let pred = json_of(&["predict", "--model", &file, "--data", &held, "--json"]);
        assert_eq!(pred["metrics"], run["metrics"]["test"], "{data} {model}");
        assert_eq!(pred["scored_rows"], run["rows"][2]);

        // Without the target column: predictions only, the same ones.
        let text = std::fs::read_to_string(&held).unwrap();
        let target_col = text.lines().next().unwrap().split(',').count() - 1;
        let no_target: String =
            text.lines().map(|l| l.split(',').take(target_col).collect::<Vec<_>>().join(",") + "\n").collect();
        let bare = dir.join(format!("{data}_bare.csv")).to_string_lossy().into_owned();
        std::fs::write(&bare, no_target).unwrap();
        let out = dir.join("preds.csv").to_string_lossy().into_owned();
        let p = json_of(&["predict", "--model", &file, "--data", &bare, "--out", &out, "--json"]);
        assert!(p.get("metrics").is_none());
        let (ok, csv, err) = mlplay(&["predict", "--model", &file, "--data", &bare]);
        assert!(ok, "{err}");
        assert_eq!(csv, std::fs::read_to_string(&out).unwrap());
        assert_eq!(csv.lines().count(), text.lines().count(), "a header and one line per row");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn predict_names_what_is_wrong() {
    let dir = std::env::temp_dir().join(format!("mlplay-model-file-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("m.json").to_string_lossy().into_owned();
    let (ok, _, err) = mlplay(&["run", "--data", "builtin:iris", "--model", "naive_bayes", "--save-model", &file]);
    assert!(ok, "{err}");
    let csv = dir.join("x.csv").to_string_lossy().into_owned();
    std::fs::write(&csv, "sepal_length,sepal_width\n1,2\n3,4\n").unwrap();
    let (ok, _, err) = mlplay(&["predict", "--model", &file, "--data", &csv]);
    assert!(!ok && err.contains("petal_length"), "{err}");
    std::fs::write(&file, "{\"format\": \"mlplay-model\", \"version\": 7}").unwrap();
    let (ok, _, err) = mlplay(&["predict", "--model", &file, "--data", &csv]);
    assert!(!ok && err.contains("version") && err.contains("newer"), "{err}");
    // A file over the size cap is refused before it is read (a sparse file: no disk used).
    std::fs::File::create(&file).unwrap().set_len(model_file::MAX_BYTES as u64 + 1).unwrap();
    let (ok, _, err) = mlplay(&["predict", "--model", &file, "--data", &csv]);
    assert!(!ok && err.contains("model file, file") && err.contains("larger"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
