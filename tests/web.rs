//! The wasm build, run inside headless Chromium: the same engine the page's worker uses,
//! the link codec, drawing into a real canvas, and the WebGPU probe.
#![cfg(target_arch = "wasm32")]

use mlplay::web::{
    decode_link, default_state, draw_loss_chart, draw_scatter_plot, encode_link, probe_webgpu, WebSession,
};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn state_with(dataset: &str) -> String {
    let mut s: Value = serde_json::from_str(&default_state()).unwrap();
    s["dataset"]["id"] = dataset.into();
    s.to_string()
}

fn train(state: &str, csv: Option<String>) -> Value {
    let mut ws = WebSession::new();
    ws.load_builtin(state, csv).map_err(|_| "load").unwrap();
    ws.start_training(state).map_err(|_| "start").unwrap();
    loop {
        let snap: Value = serde_json::from_str(&ws.run_slice(10.0, 25).map_err(|_| "slice").unwrap()).unwrap();
        if snap["done"] == true {
            // One loss per step: lbfgs (the default) may stop at `tol` before max_iter (100).
            let steps = snap["train_loss"].as_array().unwrap().len();
            assert!((2..=100).contains(&steps), "{steps} losses");
            assert_eq!(steps, ws.steps_done());
            break;
        }
    }
    serde_json::from_str(&ws.report().map_err(|_| "report").unwrap()).unwrap()
}

#[wasm_bindgen_test]
fn trains_iris_in_the_browser() {
    let r = train(&default_state(), Some(include_str!("../www/data/iris.csv").to_string()));
    let acc = r["metrics"]["validation"]["accuracy"].as_f64().unwrap();
    assert!(acc >= 0.9, "validation accuracy {acc}");
    assert!(r["timing"]["fit_ms"].as_f64().unwrap() > 0.0);
}

#[wasm_bindgen_test]
fn moons_give_the_same_numbers_twice() {
    let a = train(&state_with("moons"), None);
    let b = train(&state_with("moons"), None);
    assert_eq!(a["metrics"], b["metrics"]);
    let acc = a["metrics"]["validation"]["accuracy"].as_f64().unwrap();
    assert!((0.78..0.95).contains(&acc), "validation accuracy {acc}");
}

#[wasm_bindgen_test]
fn an_upload_in_chunks_loads_and_a_bad_one_keeps_the_previous_data() {
    let mut ws = WebSession::new();
    ws.load_builtin(&state_with("moons"), None).map_err(|_| "load").unwrap();
    let text: String = std::iter::once("a;b;label\n".to_string())
        .chain((0..40).map(|i| format!("{};{};{}\n", i % 9, i % 4, i % 2)))
        .collect();
    ws.begin_upload("points.csv".into(), text.len() as f64);
    for chunk in text.as_bytes().chunks(7) {
        ws.push_chunk(chunk).map_err(|_| "chunk").unwrap();
    }
    ws.finish_upload(&default_state()).map_err(|_| "finish").unwrap();
    let s: Value = serde_json::from_str(&ws.summary().map_err(|_| "summary").unwrap()).unwrap();
    assert_eq!(s["name"], "points.csv");
    assert_eq!(s["rows"], 40);
    assert_eq!(s["target_name"], "label");
    // A ragged file is refused and the uploaded table stays.
    ws.begin_upload("bad.csv".into(), 12.0);
    ws.push_chunk(b"a,b\n1,2\n3\n").map_err(|_| "chunk").unwrap();
    assert!(ws.finish_upload(&default_state()).is_err());
    let s: Value = serde_json::from_str(&ws.summary().map_err(|_| "summary").unwrap()).unwrap();
    assert_eq!(s["name"], "points.csv");
}

#[wasm_bindgen_test]
fn links_round_trip_and_bad_ones_are_errors() {
    let link = encode_link(&state_with("moons")).map_err(|_| "encode").unwrap();
    let back: Value = serde_json::from_str(&decode_link(&format!("#{link}")).map_err(|_| "decode").unwrap()).unwrap();
    assert_eq!(back["dataset"]["id"], "moons");
    assert!(decode_link("#v1.%%%").is_err());
    assert!(decode_link("#nonsense").is_err());
    assert!(encode_link(r#"{"model":{"kind":"logistic_regression","C":0}}"#).is_err());
}

fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    c
}

/// Pixels that differ from the top-left (background) pixel.
fn inked(c: &HtmlCanvasElement) -> usize {
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let data = ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64).unwrap().data().0;
    let bg = &data[0..4];
    data.chunks(4).filter(|p| p != &bg).count()
}

#[wasm_bindgen_test]
fn draws_into_a_canvas() {
    let c = canvas(300, 200);
    draw_scatter_plot(
        c.clone(),
        &[0.0, 1.0, 2.0],
        &[1.0, 0.0, 2.0],
        &[0, 1, 1],
        vec!["a".into(), "b".into()],
        "x",
        "y",
        &[],
        &[],
        &[],
        &[],
        false,
        1.0,
    )
    .map_err(|_| "scatter")
    .unwrap();
    assert!(inked(&c) > 500, "scatter left the canvas nearly blank");
    let c = canvas(300, 200);
    draw_loss_chart(c.clone(), &[1.0, 0.6, 0.4], &[1.1, 0.8, 0.7], "epoch", "log-loss", true, 2.0)
        .map_err(|_| "loss")
        .unwrap();
    assert!(inked(&c) > 500, "loss chart left the canvas nearly blank");
}

#[wasm_bindgen_test]
fn the_decision_boundary_is_drawn_behind_the_points() {
    let state = state_with("moons");
    let mut ws = WebSession::new();
    ws.load_builtin(&state, None).map_err(|_| "load").unwrap();
    assert!(ws.surface(0, 1, 20).is_err(), "no surface before training starts");
    ws.start_training(&state).map_err(|_| "start").unwrap();
    ws.run_slice(1000.0, 1000).map_err(|_| "slice").unwrap();
    let s = ws.surface(0, 1, 20).map_err(|_| "surface").unwrap().to_vec();
    assert_eq!(s.len(), 7 + 2 * 400);
    let classes: std::collections::BTreeSet<u64> = s[7..407].iter().map(|&v| v as u64).collect();
    assert_eq!(classes.len(), 2, "moons: both classes appear on the plane");
    let (x, y) = (
        ws.feature(0).map_err(|_| "feature").unwrap().to_vec(),
        ws.feature(1).map_err(|_| "feature").unwrap().to_vec(),
    );
    let labels = ws.labels().map_err(|_| "labels").unwrap().to_vec();
    let (plain, filled) = (canvas(300, 200), canvas(300, 200));
    for (c, surface) in [(&plain, &[][..]), (&filled, &s[..])] {
        draw_scatter_plot(
            c.clone(),
            &x,
            &y,
            &labels,
            vec!["0".into(), "1".into()],
            "x0",
            "x1",
            surface,
            &[],
            &[],
            &[],
            false,
            1.0,
        )
        .map_err(|_| "scatter")
        .unwrap();
    }
    assert!(inked(&filled) > inked(&plain) + 10_000, "the surface colours the plane");
    assert!(serde_json::from_str::<Value>(&ws.explain().map_err(|_| "explain").unwrap()).unwrap().is_object());
}

#[wasm_bindgen_test]
async fn the_webgpu_probe_answers_either_way() {
    // Without the WebGPU flags there is no adapter; with them, SwiftShader's. Either way
    // the probe must answer rather than throw or hang.
    let name = probe_webgpu().await;
    if let Some(n) = name {
        assert!(!n.is_empty());
    }
}
