//! The page's store asks the core what an edit of the state makes stale.

use wasm_bindgen::prelude::*;

use super::js_err;
use crate::state::{change, AppState};

/// What going from one state (JSON) to another makes stale: `reload` (the data), `retarget`
/// (the target or columns), `retrain` (the model), `replot` (the plot's plane), `redraw`
/// (how results are shown) or `nothing`.
#[wasm_bindgen]
pub fn state_change(before_json: &str, after_json: &str) -> Result<String, JsError> {
    let before = AppState::from_json(before_json).map_err(js_err)?;
    let after = AppState::from_json(after_json).map_err(js_err)?;
    Ok(change::redo(&before, &after).name().to_string())
}
