//! Limits and numerical trouble, each refused or reported in words: the memory budget
//! (refused before any work, naming the estimate and the limit), infinite numbers in a
//! file, constant columns, and classes a logistic regression separates perfectly.
//! (A diverging network: tests/mlp.rs `a_diverging_network_says_so`.)

use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::loader::CsvLoader;
use mlplay::data::Dataset;
use mlplay::engine::budget;
use mlplay::engine::session::Session;
use mlplay::kinds::spec_from_json;
use mlplay::state::AppState;
use serde_json::{json, Value};

fn state(data: DatasetSpec, model: Value) -> AppState {
    AppState { dataset: data, model: spec_from_json(model).unwrap(), ..Default::default() }
}

fn moons(n: u32) -> DatasetSpec {
    DatasetSpec { n_samples: n, ..DatasetSpec::new("moons") }
}

#[test]
fn a_run_over_the_memory_budget_is_refused_up_front_with_its_size() {
    // 1,000,000 rows: the data is small (2 columns), t-SNE's neighbour graph is not.
    let s = state(moons(1_000_000), json!({"kind": "tsne"}));
    let ds = builtin::load(&s.dataset, None, 0).unwrap();
    let t = std::time::Instant::now();
    let e = Session::new(s, &ds).err().expect("over the budget").to_string();
    assert!(t.elapsed().as_secs_f64() < 5.0, "refused before the work, not after: {:?}", t.elapsed());
    assert!(e.contains("t-SNE (auto) on 1000000 rows needs about") && e.contains("GB in memory"), "{e}");
    assert!(e.contains("the limit is 2.0 GB"), "{e}");
    // The same data with a model that fits, and t-SNE on fewer rows, are let through.
    assert!(Session::new(state(moons(1_000_000), json!({"kind": "logistic_regression"})), &ds).is_ok());
    let small = builtin::load(&moons(2_000), None, 0).unwrap();
    assert!(Session::new(state(moons(2_000), json!({"kind": "tsne"})), &small).is_ok());
    // A forest of full-grown trees on a million rows: over; ten shallow trees: under.
    let forest = json!({"kind": "random_forest", "n_estimators": 100});
    let e = Session::new(state(moons(1_000_000), forest), &ds).err().expect("over the budget").to_string();
    assert!(e.contains("random_forest on 1000000 rows") && e.contains("limit is 2.0 GB"), "{e}");
    let shallow = json!({"kind": "random_forest", "n_estimators": 10, "max_depth": 8});
    assert!(Session::new(state(moons(1_000_000), shallow), &ds).is_ok());
}

#[test]
fn the_estimate_grows_with_rows_and_names_sizes_in_words() {
    let tsne = spec_from_json(json!({"kind": "tsne", "method": "exact"})).unwrap();
    assert_eq!(budget::model_bytes(&tsne, 5_000, 2, 1), 2 * 5_000 * 5_000 * 8);
    assert!(budget::check_session(&tsne, 5_000, 3, 2, 2).is_ok());
    let knn = spec_from_json(json!({"kind": "knn"})).unwrap();
    let e = budget::check_session(&knn, 10_000_000, 30, 30, 2).unwrap_err().to_string();
    assert!(e.starts_with("knn on 10000000 rows x 30 features needs about"), "{e}");
}

#[test]
fn a_file_too_large_for_memory_is_refused_after_its_first_records() {
    // The page tells the loader the file's size; the first chunk shows how wide a row is.
    // 150 MB of one-digit cells would be 75 million numbers, held three times.
    let row = "0,1,0,1,0,1,0,1,0,1\n";
    let chunk = row.repeat((1 << 20) / row.len());
    let mut loader = CsvLoader::new().with_size_hint(150 << 20);
    let e = loader.push(chunk.as_bytes()).expect_err("refused on the first chunk").to_string();
    assert!(
        e.contains("this file (about") && e.contains("10 columns) needs about") && e.contains("limit is 2.0 GB"),
        "{e}"
    );
    // The same rows in a 10 MB file are fine.
    let mut loader = CsvLoader::new().with_size_hint(10 << 20);
    loader.push(chunk.as_bytes()).unwrap();
    assert!(loader.finish().is_ok());
}

fn dataset(csv: &str) -> Dataset {
    let mut loader = CsvLoader::new();
    loader.push(csv.as_bytes()).unwrap();
    Dataset::from_table("t.csv", &loader.finish().unwrap(), None).unwrap()
}

#[test]
fn infinite_numbers_become_missing_with_a_note_and_training_goes_on() {
    let mut csv = String::from("a,b,same,y\n");
    for i in 0..60 {
        let a = match i {
            3 => "inf".to_string(),
            7 => "-Infinity".to_string(),
            11 => "1e999".to_string(),
            _ => format!("{}", i % 9),
        };
        csv.push_str(&format!("{a},{},4,{}\n", (i * 7) % 5, (i % 9 > 4) as u8));
    }
    let ds = dataset(&csv);
    assert_eq!(ds.feature_names, ["a", "b"], "'a' stays a number column");
    let notes = ds.notes.join(" | ");
    assert!(
        notes
            .contains("column 'a' holds 3 infinite numbers (such as inf or 1e999); they are treated as missing values"),
        "{notes}"
    );
    // Zero variance: a constant column is named and left out.
    assert!(notes.contains("column 'same' has the same value in every row; it is left out"), "{notes}");
    let mut s =
        Session::new(state(DatasetSpec::new("file:t.csv"), json!({"kind": "logistic_regression"})), &ds).unwrap();
    s.run_to_end().unwrap();
    let r = s.report();
    assert!(r.metrics.validation["accuracy"].is_finite());
    assert!(r.notes.iter().any(|n| n.contains("infinite numbers")), "{:?}", r.notes);
}

fn separable(c: f64) -> Vec<String> {
    // Two blobs far apart: a line separates the classes with room to spare.
    let spec = DatasetSpec { n_samples: 200, centers: 2, cluster_std: 0.3, ..DatasetSpec::new("blobs") };
    let s = state(spec, json!({"kind": "logistic_regression", "C": c}));
    let ds = builtin::load(&s.dataset, None, 0).unwrap();
    let mut s = Session::new(s, &ds).unwrap();
    s.run_to_end().unwrap();
    s.report().notes
}

#[test]
fn perfectly_separable_classes_are_reported_when_only_c_holds_the_weights() {
    let notes = separable(1e6);
    let note =
        notes.iter().find(|n| n.contains("perfectly separable")).unwrap_or_else(|| panic!("no note in {notes:?}"));
    assert!(note.contains("weights would grow without end") && note.contains("only C = 1000000 holds them"), "{note}");
    // A penalty that keeps the weights small: nothing to report.
    assert!(!separable(0.01).iter().any(|n| n.contains("separable")), "{:?}", separable(0.01));
    // Classes no line separates (two interleaved moons) get no note. (Iris's training rows
    // are: in 4-D, lbfgs finds a plane between versicolor and virginica there.)
    let s = state(DatasetSpec::new("moons"), json!({"kind": "logistic_regression", "C": 1e6}));
    let ds = builtin::load(&s.dataset, None, 0).unwrap();
    let mut s = Session::new(s, &ds).unwrap();
    s.run_to_end().unwrap();
    assert!(!s.report().notes.iter().any(|n| n.contains("separable")), "{:?}", s.report().notes);
}

/// A link of any text, packed as the page packs its state.
fn link_of(text: &str) -> String {
    use base64::Engine;
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    format!("#v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}

#[test]
fn hostile_links_get_a_clear_message_and_unknown_keys_are_ignored() {
    use mlplay::state::link;
    let says = |text: &str, words: &[&str]| {
        let e = link::decode(&link_of(text)).err().unwrap_or_else(|| panic!("{text} should be refused")).to_string();
        assert!(e.starts_with("this link cannot be read: ") || e.contains("is not allowed"), "{e}");
        assert!(words.iter().all(|w| e.contains(w)), "'{e}' should mention {words:?}");
    };
    says(r#"{"model":{"kind":"logistic_regression","C":NaN}}"#, &["the settings are malformed", "expected value"]);
    says(r#"{"model":{"kind":"logistic_regression","C":1e999}}"#, &["number out of range"]);
    says(r#"{"dataset":{"id":"moons","n_samples":-5}}"#, &["invalid value: integer `-5`, expected u32"]);
    says(r#"{"model":{"kind":"quantum_forest"}}"#, &["unknown model kind 'quantum_forest'"]);
    says(
        r#"{"dataset":{"id":"iris"},"split":{"train":-0.2,"validation":0.6,"test":0.6}}"#,
        &["split.train = -0.2 is not allowed"],
    );
    let long = format!("#{}", "A".repeat(300_000));
    assert!(link::decode(&long)
        .unwrap_err()
        .to_string()
        .contains("this link cannot be read: it is 300000 characters long; the limit is 200000"));
    let cut = link_of(r#"{"dataset":{"id":"iris"},"model":{"kind":"knn"}}"#);
    let e = link::decode(&cut[..cut.len() - 4]).unwrap_err().to_string();
    assert!(e.contains("was it cut off when copied?"), "{e}");
    // Keys the page does not know are ignored; the rest of the link is used.
    let s = link::decode(&link_of(r#"{"dataset":{"id":"wine"},"model":{"kind":"knn"},"colour":"red"}"#)).unwrap();
    assert_eq!((s.dataset.id.as_str(), s.model.kind()), ("wine", "knn"));
}

#[test]
fn impossible_hyperparameters_are_named_with_what_is_allowed() {
    let refuse = |v: Value| {
        spec_from_json(v.clone())
            .and_then(|m| m.validate().map(|_| m))
            .err()
            .unwrap_or_else(|| panic!("{v} accepted"))
            .to_string()
    };
    assert_eq!(
        refuse(json!({"kind": "logistic_regression", "C": -1})),
        "C = -1 is not allowed: greater than 0 and at most 1000000"
    );
    assert_eq!(
        refuse(json!({"kind": "kmeans", "n_clusters": 200})),
        "n_clusters = 200 is not allowed: a whole number from 1 to 100"
    );
    assert_eq!(
        refuse(json!({"kind": "mlp", "learning_rate_init": 99})),
        "learning_rate_init = 99 is not allowed: greater than 0 and at most 10"
    );
}
