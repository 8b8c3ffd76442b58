//! Each kind of bad CSV ends in a clear message naming the problem (and the row or column
//! where it applies), through the same path the CLI and the page use; never a panic.

use std::process::Command;

fn run_on(name: &str, bytes: &[u8], extra: &[&str]) -> (bool, String, String) {
    let dir = std::env::temp_dir().join(format!("mlplay-bad-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args(["run", "--data", path.to_str().unwrap(), "--json"])
        .args(extra)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn fails_with(name: &str, bytes: &[u8], extra: &[&str], needles: &[&str]) {
    let (ok, _, err) = run_on(name, bytes, extra);
    assert!(!ok, "{name} should be refused");
    assert!(!err.contains("panicked"), "{name}: {err}");
    for n in needles {
        assert!(err.contains(n), "{name}: expected '{n}' in: {err}");
    }
}

fn rows(n: usize, f: impl Fn(usize) -> String) -> String {
    (0..n).map(|i| f(i) + "\n").collect()
}

#[test]
fn ragged_rows() {
    fails_with("ragged.csv", b"a,b,c\n1,2,3\n4,5\n", &[], &["row 3", "2 fields", "has 3"]);
}

#[test]
fn not_utf8() {
    fails_with("latin1.csv", b"name,y\ncaf\xe9,1\nbar,0\n", &[], &["row 2", "UTF-8"]);
}

#[test]
fn empty_file_and_header_only() {
    fails_with("empty.csv", b"", &[], &["empty"]);
    fails_with("blank.csv", b"\n\n  \n", &[], &["empty"]);
    fails_with("header.csv", b"a,b,label\n", &[], &["header but no data"]);
}

#[test]
fn one_row() {
    fails_with("one.csv", b"a,b\n1,0\n", &[], &["only 1 data row"]);
    fails_with("nine.csv", b"a,b\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n7,0\n8,1\n9,0\n", &[], &["only 9 rows", "at least 10"]);
}

#[test]
fn target_all_missing_or_single_class() {
    fails_with(
        "nolabels.csv",
        (String::from("x,y\n") + &rows(20, |i| format!("{i},NA"))).as_bytes(),
        &[],
        &["'y'", "no values"],
    );
    fails_with(
        "oneclass.csv",
        (String::from("x,y\n") + &rows(20, |i| format!("{},spam", i % 3))).as_bytes(),
        &[],
        &["single class", "spam"],
    );
}

#[test]
fn a_column_of_nan_is_left_out_with_a_note() {
    let csv = String::from("x,empty,y\n") + &rows(40, |i| format!("{},NaN,{}", i % 7, (i % 7 > 3) as u8));
    let (ok, out, err) = run_on("nan.csv", csv.as_bytes(), &[]);
    assert!(ok, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notes = r["notes"].to_string();
    assert!(notes.contains("'empty' has no values"), "{notes}");
}

#[test]
fn fifty_thousand_columns() {
    let header: Vec<String> = (0..50_000).map(|i| format!("c{i}")).collect();
    let csv = format!("{}\n{}\n", header.join(","), vec!["1"; 50_000].join(","));
    fails_with("wide.csv", csv.as_bytes(), &[], &["50000 columns", "at most 10000"]);
}

#[test]
fn no_usable_features() {
    let csv = String::from("id,y\n") + &rows(30, |i| format!("{},{}", i + 1, i % 2));
    fails_with("ids.csv", csv.as_bytes(), &[], &["no usable feature"]);
}

#[test]
fn impossible_task_choices() {
    let csv = String::from("x,y\n") + &rows(30, |i| format!("{},{}", i % 5, ["a", "b"][i % 2]));
    fails_with("text.csv", csv.as_bytes(), &["--task", "regression"], &["holds text"]);
    let csv = String::from("x,y\n") + &rows(80, |i| format!("{},{}.5", i % 5, i));
    fails_with("amounts.csv", csv.as_bytes(), &["--task", "classification"], &["80 different values"]);
}
