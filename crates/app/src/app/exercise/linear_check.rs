//! For exercises on painted data: how a straight line does on the same rows. A goal such
//! as `linear.validation.accuracy <= 0.7` then says "a linear model cannot separate what
//! you painted", next to the student's own model's goals.

use serde_json::{json, Value};

use crate::data::builtin;
use crate::data::Task;
use crate::engine::session::Session;
use crate::kinds::spec_from_json;
use crate::state::AppState;

/// Logistic regression (its defaults) trained on the painted set's rows with the same split
/// and seed: `{"validation": {...metrics}}`; `None` unless points are painted and the task
/// is a classification (or when the linear run fails, which the goal then reports).
pub fn on_painted(state: &AppState) -> Option<Value> {
    state.dataset.painted.as_ref()?;
    let data = builtin::load(&state.dataset, None, state.seed).ok()?;
    let data = match state.task {
        Some(t) => data.as_task(t).ok()?,
        None => data,
    };
    if data.task() != Task::Classification {
        return None;
    }
    let linear = AppState { model: spec_from_json(json!({"kind": "logistic_regression"})).ok()?, ..state.clone() };
    let mut s = Session::new(linear, &data).ok()?;
    s.run_to_end().ok()?;
    Some(json!({ "validation": s.report_with(false).metrics.validation }))
}
