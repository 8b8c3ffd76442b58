//! Model files of version 1 (written before fitted models serialised themselves, kept in
//! tests/fixtures/model_files_v1 with the predictions that build made) still load, predict
//! the same rows to the same CSV byte for byte, reload into a session, and save again as
//! version 2.

use mlplay::app::model_file;
use mlplay::app::workspace::ModelFiles;
use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::engine::session::Session;
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/model_files_v1");

fn files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 9, "the version 1 fixtures are there");
    names
}

fn text(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}.json")).unwrap()
}

#[test]
fn version_1_files_predict_as_the_build_that_wrote_them() {
    for name in files() {
        let text = text(&name);
        assert!(text.contains("\"version\":1"), "{name} is a version 1 file");
        let loaded = model_file::load(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let data = name.split('_').next().unwrap();
        let table = builtin::load_table(&DatasetSpec::new(data), None, 0).unwrap();
        let expected = std::fs::read_to_string(format!("{DIR}/{name}.predictions.csv"));
        match expected {
            Ok(expected) => {
                let p = loaded.predict_table(&table).unwrap_or_else(|e| panic!("{name}: {e}"));
                // The labels exactly; the numbers to 1e-12: the summation order of the products
                // was made one order on every target since, which moves the last digit.
                let got = loaded.predictions_csv(&p);
                assert_eq!(got.lines().count(), expected.lines().count(), "{name}");
                for (g, e) in got.lines().zip(expected.lines()) {
                    for (a, b) in g.split(',').zip(e.split(',')) {
                        match (a.parse::<f64>(), b.parse::<f64>()) {
                            (Ok(x), Ok(y)) => assert!((x - y).abs() <= 1e-12 * y.abs().max(1.0), "{name}: {g} vs {e}"),
                            _ => assert_eq!(a, b, "{name}: predictions differ from version 1's"),
                        }
                    }
                }
            }
            Err(_) => {
                let e = loaded.predict_table(&table).unwrap_err().to_string();
                assert!(e.contains("cannot place new rows"), "{name}: {e}");
            }
        }
    }
}

#[test]
fn version_1_files_reload_into_a_session_and_save_as_version_2() {
    for name in files() {
        let v1: Value = serde_json::from_str(&text(&name)).unwrap();
        let state = model_file::load(&text(&name)).unwrap().file.state;
        let ds = builtin::load(&state.dataset, None, state.seed).unwrap();
        let s = Session::from_model_file(&text(&name), &ds).unwrap_or_else(|e| panic!("{name}: {e}"));
        let v2: Value = serde_json::from_str(&s.save_model().unwrap()).unwrap();
        assert_eq!(v2["version"], model_file::VERSION, "{name}");
        assert_eq!(v2["model"]["kind"], v1["state"]["model"]["kind"], "{name}: version 2 names the kind");
        // The record itself is unchanged: only the kind's name moved.
        let strip = |v: &Value| {
            let mut m = v["model"].clone();
            m.as_object_mut().unwrap().remove("kind");
            if let Some(b) = m.get_mut("base") {
                b.as_object_mut().unwrap().remove("kind");
            }
            m
        };
        assert_eq!(strip(&v2), strip(&v1), "{name}");
        assert_eq!(v2["preprocessing"], v1["preprocessing"], "{name}");
        assert_eq!(v2["rows"], v1["rows"], "{name}");
        // And the version 2 file loads to the same predictions.
        let again = model_file::load(&v2.to_string()).unwrap();
        if let (Some(a), Some(b)) = (&again.model, s.model()) {
            let x = &s.data().train.x;
            let (pa, pb) = (a.predict(x), b.predict(x));
            assert_eq!(format!("{pa:?}"), format!("{pb:?}"), "{name}");
        }
    }
}

#[test]
fn a_version_1_model_of_another_kind_than_its_state_is_refused() {
    let mut v: Value = serde_json::from_str(&text("iris_logistic")).unwrap();
    v["model"]["kind"] = "knn".into();
    match model_file::load(&v.to_string()) {
        Err(mlplay::Error::ModelFile { field, .. }) => assert_eq!(field, "model.kind"),
        other => panic!("{other:?}"),
    }
}
