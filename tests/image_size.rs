//! An image size the user gives (`dataset.image`, `mlplay run --image-size WxH`) for a
//! file whose column names do not reveal it: the cnn reads the rows at that size, the size
//! travels in the link and the model file, and a wrong size is refused with the numbers.

use std::path::{Path, PathBuf};
use std::process::Command;

use mlplay::data::image_size::ImageSize;
use mlplay::state::{link, AppState};
use serde_json::Value;

const W: usize = 12;
const H: usize = 6;

fn mlplay(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).output().expect("mlplay runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn json(args: &[&str]) -> Value {
    let (ok, out, err) = mlplay(args);
    assert!(ok, "mlplay {args:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// 12x6 images in columns c0..c71 (names that do not give the size; 72 is not a square):
/// a short horizontal or vertical stroke at a seeded place, on faint noise.
fn write_images(dir: &Path, rows: usize) -> PathBuf {
    let mut text: String = (0..W * H).map(|i| format!("c{i},")).collect::<String>() + "label\n";
    let mut state = 12345u64;
    let mut next = |n: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    for r in 0..rows {
        let mut px = vec![0u32; W * H];
        for p in px.iter_mut() {
            *p = next(3) as u32;
        }
        let horizontal = r % 2 == 0;
        if horizontal {
            let (y, x0) = (next(H), next(W - 4));
            (x0..x0 + 5).for_each(|x| px[y * W + x] = 16);
        } else {
            let (x, y0) = (next(W), next(H - 3));
            (y0..y0 + 4).for_each(|y| px[y * W + x] = 16);
        }
        let cells: Vec<String> = px.iter().map(|v| v.to_string()).collect();
        text += &format!("{},{}\n", cells.join(","), if horizontal { "across" } else { "down" });
    }
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("strokes.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_cnn_reads_the_rows_at_the_given_size_and_the_link_keeps_it() {
    let dir = std::env::temp_dir().join(format!("mlplay-imgsize-{}", std::process::id()));
    let data = write_images(&dir, 240);
    let model = dir.join("cnn.json");
    let (data, model) = (data.to_str().unwrap(), model.to_str().unwrap());
    let cnn = ["--model", "cnn", "--set", "filters=[4]", "--set", "hidden_layer_sizes=[]", "--set", "max_iter=30"];
    let args = [&["run", "--data", data, "--image-size", "12x6", "--seed", "2", "--json"][..], &cnn[..]].concat();
    let first = json(&[&args[..], &["--save-model", model]].concat());
    let acc = first["metrics"]["validation"]["accuracy"].as_f64().unwrap();
    assert!(acc >= 0.9, "validation accuracy {acc}");
    // The network is 6 rows by 12 columns, each column its own pixel, in order.
    let file: Value = serde_json::from_str(&std::fs::read_to_string(model).unwrap()).unwrap();
    assert_eq!((&file["model"]["height"], &file["model"]["width"]), (&Value::from(H), &Value::from(W)));
    let pixels: Vec<u64> = file["model"]["pixels"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap()).collect();
    assert_eq!(pixels, (0..(W * H) as u64).collect::<Vec<_>>());
    assert_eq!(file["state"]["dataset"]["image"], serde_json::json!({"width": 12, "height": 6}));
    // The link carries the size (and the small file): alone it gives the same run.
    let link_text = first["link"].as_str().unwrap();
    assert_eq!(link::decode(link_text).unwrap().dataset.image, Some(ImageSize { width: 12, height: 6 }));
    let again = json(&["run", "--link", link_text, "--json"]);
    assert_eq!(again["metrics"], first["metrics"]);
    // Without the size the names are read as a 9x9 square: another network.
    let guessed =
        json(&[&["run", "--data", data, "--seed", "2", "--json"][..], &cnn[..], &["--save-model", model]].concat());
    assert!(guessed["link"].as_str().is_some());
    let file: Value = serde_json::from_str(&std::fs::read_to_string(model).unwrap()).unwrap();
    assert_eq!(file["model"]["height"], 9);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_wrong_size_is_refused_with_the_numbers() {
    let dir = std::env::temp_dir().join(format!("mlplay-imgsize-bad-{}", std::process::id()));
    let data = write_images(&dir, 40);
    let data = data.to_str().unwrap();
    let (ok, _, err) = mlplay(&["run", "--data", data, "--image-size", "8x8", "--model", "cnn"]);
    assert!(
        !ok && err.contains("8x8 makes 64 pixels") && err.contains("72 numeric columns besides the target 'label'"),
        "{err}"
    );
    for (size, says) in [("0x6", "0x6"), ("12by6", "WIDTHxHEIGHT"), ("300x1", "from 1 to 256")] {
        let (ok, _, err) = mlplay(&["run", "--data", data, "--image-size", size]);
        assert!(!ok && err.contains(says), "{size}: {err}");
    }
    // Names with no numbers and a count that is not a square: the cnn says how to give the size.
    let letters = "abcdefghij";
    let mut text: String = letters.chars().map(|c| format!("{c},")).collect::<String>() + "label\n";
    for r in 0..40 {
        let row: Vec<String> = (0..letters.len()).map(|j| ((r * 7 + j * 3) % 11).to_string()).collect();
        text += &format!("{},{}\n", row.join(","), r % 2);
    }
    let named = dir.join("letters.csv");
    std::fs::write(&named, text).unwrap();
    let (ok, _, err) = mlplay(&["run", "--data", named.to_str().unwrap(), "--model", "cnn"]);
    assert!(!ok && err.contains("10 feature columns") && err.contains("--image-size WxH"), "{err}");
    let (ok, _, err) = mlplay(&["run", "--data", "builtin:digits", "--image-size", "8x8"]);
    assert!(!ok && err.contains("only for an uploaded file"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_size_round_trips_through_a_link_and_stays_out_of_others() {
    assert!(!AppState::default().to_json().contains("image"));
    let s = AppState::from_json(r#"{"dataset": {"id": "file:a.csv", "image": {"width": 12, "height": 6}}}"#).unwrap();
    assert_eq!(s.dataset.image, Some(ImageSize { width: 12, height: 6 }));
    assert_eq!(link::decode(&link::encode(&s)).unwrap(), s);
    for (bad, says) in [
        (r#"{"id": "file:a.csv", "image": {"width": 0, "height": 6}}"#, "dataset.image = 0x6"),
        (r#"{"id": "file:a.csv", "image": {"width": 12}}"#, "height"),
        (r#"{"id": "digits", "image": {"width": 8, "height": 8}}"#, "only for an uploaded file"),
    ] {
        let e = AppState::from_json(&format!(r#"{{"dataset": {bad}}}"#)).unwrap_err().to_string();
        assert!(e.contains(says), "{bad}: {e}");
    }
}
