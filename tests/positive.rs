//! The positive class of a binary task (issue #21): breast cancer's is malignant unless the
//! user picks benign, recall counts the malignant cases found, the CLI's JSON names it,
//! a link carries the choice, and a class the target lacks is refused by name.

use std::process::Command;

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::engine::session::Session;
use mlplay::metrics::classification::{confusion_matrix, per_class};
use mlplay::state::{link, AppState};
use serde_json::Value;

fn mlplay(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().expect("mlplay runs")
}

/// `mlplay run --json` on breast cancer with `extra`, and the validation rows of its
/// predictions file as (true class, predicted class).
fn run(extra: &[&str], tag: &str) -> (Value, Vec<(String, String)>) {
    let csv = std::env::temp_dir().join(format!("mlplay-positive-{}-{tag}.csv", std::process::id()));
    let csv_path = csv.to_str().unwrap();
    let mut args = vec!["run", "--data", "builtin:breast_cancer", "--model", "logistic_regression", "--seed", "1"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--predictions", csv_path, "--json"]);
    let out = mlplay(&args);
    assert!(out.status.success(), "mlplay {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::remove_file(&csv).ok();
    let rows = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[1] == "validation")
        .map(|f| (f[2].to_string(), f[3].to_string()))
        .collect();
    (serde_json::from_slice(&out.stdout).unwrap(), rows)
}

/// Recall of `class` over (true, predicted) pairs.
fn recall_of(rows: &[(String, String)], class: &str) -> f64 {
    let of_class: Vec<_> = rows.iter().filter(|(t, _)| t == class).collect();
    of_class.iter().filter(|(_, p)| p == class).count() as f64 / of_class.len() as f64
}

#[test]
fn breast_cancers_positive_class_is_malignant_and_recall_counts_malignant_cases_found() {
    let (r, rows) = run(&[], "default");
    assert_eq!(r["positive_class"], "malignant");
    let recall = r["metrics"]["validation"]["recall"].as_f64().unwrap();
    assert!((recall - recall_of(&rows, "malignant")).abs() < 1e-12, "{recall}");
    assert!((recall - recall_of(&rows, "benign")).abs() > 1e-6, "the two classes' recalls differ on this split");

    // One more malignant case missed lowers the recall by one malignant case's share
    // (with benign as positive, a missed malignant case left recall untouched).
    let malignant = rows.iter().filter(|(t, _)| t == "malignant").count();
    let mut missed = rows.clone();
    let found = missed.iter_mut().find(|(t, p)| t == "malignant" && p == "malignant").expect("a case found");
    found.1 = "benign".into();
    let code = |c: &str| u32::from(c == "malignant");
    let truth: Vec<u32> = missed.iter().map(|(t, _)| code(t)).collect();
    let pred: Vec<u32> = missed.iter().map(|(_, p)| code(p)).collect();
    let after = per_class(&confusion_matrix(&truth, &pred, 2))[1].recall;
    assert!((recall - after - 1.0 / malignant as f64).abs() < 1e-12, "{recall} -> {after} over {malignant} cases");
}

#[test]
fn positive_benign_turns_the_binary_metrics_to_benign() {
    let (m, _) = run(&[], "m");
    let (b, rows) = run(&["--positive", "benign"], "b");
    assert_eq!(b["positive_class"], "benign");
    let recall = b["metrics"]["validation"]["recall"].as_f64().unwrap();
    assert!((recall - recall_of(&rows, "benign")).abs() < 1e-12, "{recall}");
    // Same split and model: the class-symmetric numbers agree, the positive-class ones move.
    for part in ["train", "validation", "test"] {
        let (pm, pb) = (&m["metrics"][part], &b["metrics"][part]);
        assert!((pm["accuracy"].as_f64().unwrap() - pb["accuracy"].as_f64().unwrap()).abs() < 1e-12, "{part}");
        assert!((pm["log_loss"].as_f64().unwrap() - pb["log_loss"].as_f64().unwrap()).abs() < 1e-9, "{part}");
    }
    assert_ne!(m["metrics"]["validation"]["recall"], b["metrics"]["validation"]["recall"]);
    assert_eq!(m["rows"], b["rows"]);
}

#[test]
fn a_class_the_target_lacks_is_refused_by_name() {
    let out = mlplay(&["run", "--data", "builtin:breast_cancer", "--positive", "maybe"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("maybe") && err.contains("malignant") && err.contains("benign"), "{err}");
    let out = mlplay(&["run", "--data", "builtin:iris", "--positive", "setosa"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 classes"));
}

#[test]
fn the_link_carries_the_positive_class_and_old_links_keep_the_default() {
    let mut s = AppState { dataset: DatasetSpec::new("breast_cancer"), ..Default::default() };
    let old = link::decode(&link::encode(&s)).unwrap();
    assert_eq!(old.positive, None, "a link without the key opens with the default");
    assert!(!s.to_json().contains("\"positive\""));
    s.positive = Some("benign".into());
    let back = link::decode(&link::encode(&s)).unwrap();
    assert_eq!(back.positive.as_deref(), Some("benign"));
    assert_eq!(back, s);

    let ds = builtin::load(&s.dataset, None, s.seed).unwrap();
    let names = |st: AppState| Session::new(st, &ds).unwrap().data().class_names.clone();
    assert_eq!(names(old), ["benign", "malignant"], "malignant is the positive (second) class");
    assert_eq!(names(back), ["malignant", "benign"]);
    assert!(AppState::from_json(r#"{"positive": ""}"#).is_err());
}

#[test]
fn the_default_is_the_story_class_for_built_ins_and_the_rarer_class_for_files() {
    use mlplay::state::positive::positive_class;
    let state = |id: &str| AppState { dataset: DatasetSpec::new(id), ..Default::default() };
    for (id, want) in [("breast_cancer", "malignant"), ("transactions", "1"), ("traffic", "1")] {
        let s = state(id);
        let ds = builtin::load(&DatasetSpec { n_samples: 2000, ..s.dataset.clone() }, None, 1).unwrap();
        assert_eq!(positive_class(&s, &ds).as_deref(), Some(want), "{id}");
    }
    let iris = state("iris");
    assert_eq!(positive_class(&iris, &builtin::load(&iris.dataset, None, 1).unwrap()), None, "three classes");
    // An upload: "yes" is rarer although it comes first.
    let rows: String = (0..30).map(|i| format!("{},{}\n", i % 7, if i % 3 == 0 { "yes" } else { "no" })).collect();
    let table = mlplay::data::csv::parse(&format!("x,answer\n{rows}")).unwrap();
    let ds = mlplay::data::Dataset::from_table("f.csv", &table, None).unwrap();
    let upload = state("file:f.csv");
    assert_eq!(ds.class_names(), ["yes", "no"]);
    assert_eq!(positive_class(&upload, &ds).as_deref(), Some("yes"));
}

#[test]
fn the_exports_name_the_positive_class() {
    use mlplay::app::export::{export, ExportTarget};
    let mut s = AppState { dataset: DatasetSpec::new("breast_cancer"), ..Default::default() };
    let ds = builtin::load(&s.dataset, None, s.seed).unwrap();
    let py = export(&s, &ds, ExportTarget::Sklearn).unwrap().text;
    assert!(py.contains(r#"CLASSES = ["benign", "malignant"]"#), "{}", &py[..py.len().min(3000)]);
    assert!(py.contains("POS_LABEL = 1  # the positive class: malignant"));
    assert!(py.contains("recall_score(y, predicted, pos_label=POS_LABEL"));
    let spark = export(&s, &ds, ExportTarget::Spark).unwrap().text;
    assert!(spark.contains("# Class 1 (malignant) is the positive class"));
    s.positive = Some("benign".into());
    let py = export(&s, &ds, ExportTarget::Sklearn).unwrap().text;
    assert!(py.contains(r#"CLASSES = ["malignant", "benign"]"#) && py.contains("positive class: benign"));
    s.positive = Some("maybe".into());
    assert!(export(&s, &ds, ExportTarget::Sklearn).is_err());
}

#[test]
fn a_model_file_keeps_the_class_order_it_was_trained_with() {
    use mlplay::app::workspace::ModelFiles;
    // As a file written before the choice existed: benign second, no `positive` key.
    let s =
        AppState { dataset: DatasetSpec::new("breast_cancer"), positive: Some("benign".into()), ..Default::default() };
    let ds = builtin::load(&s.dataset, None, s.seed).unwrap();
    let mut session = Session::new(s, &ds).unwrap();
    session.run_to_end().unwrap();
    let mut file: Value = serde_json::from_str(&session.save_model().unwrap()).unwrap();
    file["state"].as_object_mut().unwrap().remove("positive").expect("the file's state has the key");
    let restored = Session::from_model_file(&file.to_string(), &ds).unwrap();
    assert_eq!(restored.data().class_names, ["malignant", "benign"]);
    assert_eq!(
        serde_json::to_value(restored.report().metrics).unwrap(),
        serde_json::to_value(session.report().metrics).unwrap()
    );
}
