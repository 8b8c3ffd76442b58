//! Links made with an uploaded file: a small file travels inside the link, so the link alone
//! reproduces the run; a large one is named with its SHA-256, and only that very file is
//! accepted to reproduce it.

use std::process::Command;

use serde_json::Value;

fn mlplay(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn json(args: &[&str]) -> Value {
    let (ok, out, err) = mlplay(args);
    assert!(ok, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn write(dir: &std::path::Path, name: &str, rows: usize, shift: f64) -> String {
    let mut text = String::from("x1,x2,label\n");
    for i in 0..rows {
        let (a, b) = ((i * 37 % 101) as f64 / 10.0, (i * 53 % 97) as f64 / 10.0 + shift);
        text += &format!("{a},{b},{}\n", if a + b > 10.0 { "yes" } else { "no" });
    }
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_small_file_travels_in_the_link() {
    let dir = std::env::temp_dir().join(format!("mlplay-linkdata-small-{}", std::process::id()));
    let path = write(&dir, "small.csv", 300, 0.0);
    let first = json(&["run", "--data", &path, "--model", "decision_tree", "--set", "max_depth=3", "--json"]);
    let link = first["link"].as_str().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    // The file is gone: the link alone reproduces the run.
    let again = json(&["run", "--link", link, "--json"]);
    assert_eq!(again["metrics"], first["metrics"]);
    assert_eq!(again["dataset"], "small.csv");
}

#[test]
fn a_large_file_is_named_by_its_checksum_and_only_that_file_reproduces_the_link() {
    let dir = std::env::temp_dir().join(format!("mlplay-linkdata-large-{}", std::process::id()));
    let path = write(&dir, "large.csv", 8000, 0.0);
    assert!(std::fs::metadata(&path).unwrap().len() > 64 * 1024);
    let first = json(&["run", "--data", &path, "--json"]);
    let link = first["link"].as_str().unwrap();
    let (ok, _, err) = mlplay(&["run", "--link", link]);
    assert!(!ok && err.contains("made with the file 'large.csv'"), "{err}");
    let other = dir.join("other");
    let changed = write(&other, "large.csv", 8000, 0.1);
    let (ok, _, err) = mlplay(&["run", "--link", link, "--data", &changed]);
    assert!(!ok && err.contains("not the file this link was made with"), "{err}");
    let again = json(&["run", "--link", link, "--data", &path, "--json"]);
    assert_eq!(again["metrics"], first["metrics"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_link_cannot_smuggle_data_into_a_builtin_set_or_a_bad_checksum() {
    use mlplay::state::AppState;
    let e = AppState::from_json(r#"{"dataset": {"id": "iris", "csv": "a,b\n1,2\n"}}"#).unwrap_err().to_string();
    assert!(e.contains("only an uploaded file"), "{e}");
    let e = AppState::from_json(r#"{"dataset": {"id": "file:x.csv", "sha256": "zz"}}"#).unwrap_err().to_string();
    assert!(e.contains("64 hex digits"), "{e}");
    let big = "a,b\n".repeat(20_000);
    let e = AppState::from_json(&serde_json::json!({"dataset": {"id": "file:x.csv", "csv": big}}).to_string())
        .unwrap_err()
        .to_string();
    assert!(e.contains("at most 65536"), "{e}");
}
