//! Painted points (crates/core/src/data/painted.rs): a link of 500 of them stays short and reads back
//! the same, they become rows of the set, and the CLI, model files and `--data-out`
//! reproduce them.

use std::process::Command;

use mlplay::base::rng::Rng;
use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::data::painted::{Edit, Painted};
use mlplay::data::ColumnData;
use mlplay::state::{link, AppState};
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

/// `n` points brushed as the page does: random dots in a few round brushes, two classes.
fn brushed(n: usize, seed: u64) -> Vec<[f64; 3]> {
    let mut rng = Rng::new(seed);
    let centres = [(-1.0, 1.0, 0.0), (1.0, -1.0, 0.0), (-1.0, -1.0, 1.0), (1.0, 1.0, 1.0)];
    (0..n)
        .map(|i| {
            let (cx, cy, c) = centres[i * centres.len() / n];
            [cx + 0.6 * (rng.uniform() - 0.5), cy + 0.6 * (rng.uniform() - 0.5), c]
        })
        .collect()
}

fn painted_state(id: &str, points: Vec<[f64; 3]>) -> AppState {
    let mut p = Painted::new([-2.5, 2.5, -2.5, 2.5], None);
    p.apply(&Edit { add: points, erase: None }).unwrap();
    let mut s = AppState { dataset: DatasetSpec { painted: Some(p), ..DatasetSpec::new(id) }, ..AppState::default() };
    s.view.x_feature = 0;
    s.view.y_feature = 1;
    s
}

#[test]
fn a_link_of_500_painted_points_is_short_and_reads_back_the_same() {
    let s = painted_state("paint", brushed(500, 3));
    let hash = link::encode(&s);
    assert!(hash.len() < 4000, "{} characters", hash.len());
    let back = link::decode(&hash).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.dataset.painted.as_ref().unwrap().points.len(), 500);
    // The worst case for the packing: 500 points spread uniformly, ten classes.
    let mut rng = Rng::new(9);
    let spread = (0..500).map(|i| [5.0 * rng.uniform() - 2.5, 5.0 * rng.uniform() - 2.5, (i % 10) as f64]).collect();
    let s = painted_state("moons", spread);
    let hash = link::encode(&s);
    assert!(hash.len() < 4000, "{} characters", hash.len());
    assert_eq!(link::decode(&hash).unwrap(), s);
    println!(
        "500 brushed points: {} chars; 500 spread points: {} chars",
        link::encode(&painted_state("paint", brushed(500, 3))).len(),
        hash.len()
    );
}

#[test]
fn painted_points_snap_to_the_grid_and_become_rows() {
    let pts = brushed(40, 5);
    let s = painted_state("moons", pts.clone());
    let spec = DatasetSpec { n_samples: 100, ..s.dataset.clone() };
    let t = builtin::load_table(&spec, None, 1).unwrap();
    assert_eq!(t.n_rows(), 140);
    let ColumnData::Numeric(x1) = &t.columns[0].data else { panic!() };
    let ColumnData::Numeric(cls) = &t.columns[2].data else { panic!() };
    // The painted rows follow the generated ones, sorted, each within half a grid cell.
    let cell = 5.0 / 1023.0;
    let mut want: Vec<f64> = pts.iter().map(|p| p[0]).collect();
    want.sort_by(f64::total_cmp);
    let mut got: Vec<f64> = x1[100..].to_vec();
    got.sort_by(f64::total_cmp);
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() <= cell / 2.0 + 1e-12, "{g} vs {w}");
    }
    assert_eq!(cls[100..].iter().filter(|&&c| c == 1.0).count(), pts.iter().filter(|p| p[2] == 1.0).count());
}

#[test]
fn painting_is_refused_where_it_means_nothing() {
    let mut s = painted_state("moons", brushed(10, 1));
    s.dataset.id = "iris".into();
    let e = AppState::from_json(&s.to_json()).unwrap_err().to_string();
    assert!(e.contains("cannot be painted on 'iris'"), "{e}");
    let mut p = Painted::new([0.0, 1.0, 0.0, 1.0], Some([0.0, 10.0]));
    p.apply(&Edit { add: vec![[0.5, 0.5, 3.0]], erase: None }).unwrap();
    let s = AppState { dataset: DatasetSpec { painted: Some(p), ..DatasetSpec::new("moons") }, ..AppState::default() };
    assert!(s.validate().unwrap_err().to_string().contains("Draw your own"));
    // Draw your own with everything erased: a clear message, not an empty model.
    let mut empty = DatasetSpec::new("paint");
    empty.painted.as_mut().unwrap().points.clear();
    let e = builtin::load_table(&empty, None, 1).unwrap_err().to_string();
    assert!(e.contains("paint at least 6"), "{e}");
}

#[test]
fn painted_values_make_a_regression() {
    let mut p = Painted::new([0.0, 10.0, 0.0, 10.0], Some([0.0, 100.0]));
    let add = (0..30).map(|i| [i as f64 / 3.0, 5.0, 10.0 * i as f64 / 3.0]).collect();
    p.apply(&Edit { add, erase: None }).unwrap();
    let mut s =
        AppState { dataset: DatasetSpec { painted: Some(p), ..DatasetSpec::new("paint") }, ..AppState::default() };
    s.view.x_feature = 0;
    s.view.y_feature = 1;
    s.model = mlplay::kinds::spec_from_json(serde_json::json!({"kind": "linear_regression"})).unwrap();
    let hash = link::encode(&s);
    let r = run_json(&["run", "--link", &hash, "--json"]);
    assert_eq!(r["task"], "regression");
    // value = 10 x1, snapped to 256 levels: the fit is all but exact.
    let r2 = r["metrics"]["test"]["r2"].as_f64().unwrap();
    assert!(r2 > 0.999, "{r}");
}

#[test]
fn the_cli_model_files_and_data_out_reproduce_a_painted_link() {
    // An XOR painted over moons' rows: the run from the link is the same run each time.
    let mut s = painted_state("moons", brushed(200, 7));
    s.dataset.n_samples = 60;
    s.model = mlplay::kinds::spec_from_json(serde_json::json!({"kind": "decision_tree"})).unwrap();
    let hash = link::encode(&s);
    let a = run_json(&["run", "--link", &hash, "--json"]);
    let b = run_json(&["run", "--link", &format!("http://127.0.0.1:8080/#{hash}"), "--json"]);
    assert_eq!(a["metrics"], b["metrics"]);
    let rows: u64 = a["rows"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(rows, 260);
    assert_eq!(link::decode(a["link"].as_str().unwrap()).unwrap().dataset, s.dataset);

    let dir = std::env::temp_dir().join(format!("mlplay-painted-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("model.json");
    run_json(&["run", "--link", &hash, "--save-model", model.to_str().unwrap(), "--json"]);
    let loaded = mlplay::app::model_file::load(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(loaded.file.state.dataset, s.dataset);

    let data = dir.join("rows.csv");
    let code = dir.join("train.py");
    let (ok, _, err) = mlplay(&[
        "export",
        "--link",
        &hash,
        "--to",
        "sklearn",
        "--out",
        code.to_str().unwrap(),
        "--data-out",
        data.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let csv = std::fs::read_to_string(&data).unwrap();
    assert_eq!(csv.lines().count(), 1 + 260);
    assert_eq!(csv.lines().next(), Some("x1,x2,class"));
    // The script cannot make painted rows itself: it asks for the file rather than making moons.
    let py = std::fs::read_to_string(&code).unwrap();
    assert!(!py.contains("make_moons(") && py.contains("--data-out"), "{py}");
    std::fs::remove_dir_all(&dir).ok();
}
