//! What goals on a confusion matrix read (`goal.rs`): the class names, the matrix of each
//! scored part (rows: true class, columns: the most probable class) and the cell selected
//! in the evaluation view (`view.errors.cell`).

use serde_json::{json, Value};

use crate::engine::eval::evaluation::Evaluation;
use crate::engine::session::Session;
use crate::state::AppState;

/// `Null` unless the session is a trained classifier; the test matrix only `with_test`.
pub fn context(session: &Session, current: &AppState, with_test: bool) -> Value {
    let Evaluation::Classification { class_names, confusion, .. } = session.evaluation(false) else {
        return Value::Null;
    };
    let mut v = json!({
        "classes": class_names,
        "validation": confusion,
        "selected": current.view.errors.as_ref().and_then(|e| e.cell),
    });
    if with_test {
        if let Evaluation::Classification { confusion, .. } = session.evaluation(true) {
            v["test"] = json!(confusion);
        }
    }
    v
}
