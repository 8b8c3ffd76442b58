//! The only module that speaks wasm-bindgen. Crate errors become JS `Error`s here, and
//! everything else (state, sessions, drawing) stays plain Rust.

mod batch_canvas;
mod bench;
mod bench_cnn;
mod cnn;
mod descent;
mod draw;
mod gpu_run;
mod images;
mod model_file;
mod network;
mod painted;
mod predictions;
mod session;
mod state_change;
#[cfg(target_feature = "atomics")]
mod threads;
mod unsupervised;

pub use draw::{draw_loss_chart, draw_scatter_plot};
pub use painted::paint_edit;
pub use session::WebSession;
pub use state_change::state_change;

/// Threads that parallel work runs on: the pool's size once the worker has started it,
/// else 1. Call it only after that (it would start a pool of one).
#[wasm_bindgen]
pub fn compute_threads() -> usize {
    crate::base::par::threads()
}

use std::panic::PanicHookInfo;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use crate::data::builtin;
use crate::state::{link, AppState};

pub(crate) fn js_err(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Logs panics to the console and hands the message to `globalThis.onwasmpanic`, so the
/// worker can tell the page what broke before the instance is replaced.
fn panic_hook(info: &PanicHookInfo) {
    console_error_panic_hook::hook(info);
    let global = js_sys::global();
    if let Ok(f) = Reflect::get(&global, &"onwasmpanic".into()) {
        if let Some(f) = f.dyn_ref::<Function>() {
            let _ = f.call1(&global, &info.to_string().into());
        }
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(panic_hook));
}

/// The default state, as JSON.
#[wasm_bindgen]
pub fn default_state() -> String {
    AppState::default().to_json()
}

/// Read a share link (or hash) into a state (JSON); a clear error when it is unreadable.
#[wasm_bindgen]
pub fn decode_link(link: &str) -> Result<String, JsError> {
    link::decode(link).map(|s| s.to_json()).map_err(js_err)
}

/// Check a state (JSON) and write it as a hash, without the leading '#'.
#[wasm_bindgen]
pub fn encode_link(state_json: &str) -> Result<String, JsError> {
    AppState::from_json(state_json).map(|s| link::encode(&s)).map_err(js_err)
}

/// The state after one more final evaluation (count + fingerprint of what was tested).
#[wasm_bindgen]
pub fn record_test_evaluation(state_json: &str) -> Result<String, JsError> {
    let mut s = AppState::from_json(state_json).map_err(js_err)?;
    s.record_test_evaluation();
    Ok(s.to_json())
}

/// Whether the state's test metrics may be shown (it was finally evaluated as it is now).
#[wasm_bindgen]
pub fn test_unlocked(state_json: &str) -> Result<bool, JsError> {
    Ok(AppState::from_json(state_json).map_err(js_err)?.test_unlocked())
}

/// What the page offers: model kinds with their parameters, and the built-in datasets.
#[wasm_bindgen]
pub fn catalog() -> String {
    serde_json::json!({
        "models": crate::kinds::catalog(),
        "datasets": builtin::BUILTINS,
        "knobs": crate::data::builtin_list::knob_info(),
    })
    .to_string()
}

/// The file under `data/` a built-in set is read from; `undefined` for generated sets and
/// uploaded files (`file:NAME`).
#[wasm_bindgen]
pub fn data_file(id: &str) -> Result<Option<String>, JsError> {
    if id.starts_with("file:") {
        return Ok(None);
    }
    builtin::file_of(id).map(|f| f.map(str::to_string)).map_err(js_err)
}

/// Whether the browser offers WebGPU: the adapter's name, or `undefined`.
#[wasm_bindgen]
pub async fn probe_webgpu() -> Option<String> {
    crate::gpu::probe_adapter().await
}

/// Panics on purpose, so tests can check that the page survives a crash in the worker.
#[wasm_bindgen]
pub fn debug_panic() {
    panic!("deliberate panic requested by a crash-recovery test");
}

/// Panics on purpose in one of the compute threads (with no pool, in this thread).
#[wasm_bindgen]
pub fn debug_panic_in_threads() {
    let n = crate::base::par::threads();
    crate::base::par::map_each(n.max(2), |i| {
        if i + 1 == n.max(2) {
            panic!("deliberate panic in a compute thread, requested by a crash-recovery test");
        }
    });
}

/// Read an exercise file (JSON): the exercise as JSON with its starting state filled in
/// (`start_state`), or a clear error naming what is wrong with the file.
#[wasm_bindgen]
pub fn parse_exercise(text: &str) -> Result<String, JsError> {
    let ex = crate::app::exercise::Exercise::from_json(text).map_err(js_err)?;
    let mut v = crate::base::json::to_value(&ex).expect("exercise serialises");
    v["start_state"] = serde_json::from_str(&ex.start_state().map_err(js_err)?.to_json()).expect("state is JSON");
    Ok(v.to_string())
}
