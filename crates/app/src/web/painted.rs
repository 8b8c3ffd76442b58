//! The page's paint tool asks the core to apply a brush stroke or an erase to the painted
//! points, so the snapping and packing live in one place (`data/painted.rs`).

use wasm_bindgen::prelude::*;

use super::js_err;
use crate::data::painted::{Edit, Painted};

/// Apply `edit_json` (`{add: [[x, y, class or value], ...], erase: [x, y, rx, ry]}`) to the
/// painted points (`painted_json`: a state's `dataset.painted`, or empty for none yet, then
/// `bounds_json` and `values_json` start them). Returns `{painted, count}`.
#[wasm_bindgen]
pub fn paint_edit(
    painted_json: &str,
    bounds_json: &str,
    values_json: &str,
    edit_json: &str,
) -> Result<String, JsError> {
    let bad = |e: serde_json::Error| JsError::new(&format!("the paint edit is malformed ({e})"));
    let mut p: Painted = if painted_json.is_empty() || painted_json == "null" {
        Painted::new(
            crate::base::json::parse(bounds_json).map_err(bad)?,
            crate::base::json::parse(values_json).map_err(bad)?,
        )
    } else {
        crate::base::json::parse(painted_json).map_err(bad)?
    };
    let edit: Edit = crate::base::json::parse(edit_json).map_err(bad)?;
    p.apply(&edit).map_err(js_err)?;
    Ok(serde_json::json!({ "painted": p, "count": p.points.len() }).to_string())
}
