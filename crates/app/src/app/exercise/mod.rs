//! Exercises: a title, instructions, a starting state, controls locked or hidden, and goals
//! checked against a run. The page ticks the goals live; `mlplay check` re-runs a student's
//! link natively and prints pass or fail per goal. Exercise files come from instructors
//! and may be shared around, so reading one is defensive: sizes are capped, unknown
//! control names and malformed goals are refused with the reason.

pub mod confusion;
pub mod goal;
mod linear_check;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::base::error::{Error, Result};
use crate::engine::eval::evaluation::Evaluation;
use crate::engine::session::Session;
use crate::state::AppState;
use goal::Goal;

/// Names of the controls an exercise may lock or hide (the page maps them to its inputs).
pub const CONTROLS: &[&str] = &[
    "dataset",
    "upload",
    "target",
    "task",
    "columns",
    "prep",
    "split",
    "seed",
    "model",
    "params",
    "threshold",
    "test",
];
const MAX_BYTES: usize = 64 * 1024;
const MAX_GOALS: usize = 20;
const MAX_TEXT: usize = 8000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalSpec {
    /// What the student reads.
    pub text: String,
    /// The condition, e.g. `validation.recall >= 0.8`.
    pub check: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exercise {
    pub id: String,
    pub title: String,
    /// Simple Markdown: paragraphs, lists, **bold**, *emphasis*, `code` (rendered as text).
    pub instructions: String,
    /// The starting state (any subset of a state; the rest takes defaults).
    #[serde(default)]
    pub start: Value,
    #[serde(default)]
    pub locked: Vec<String>,
    #[serde(default)]
    pub hidden: Vec<String>,
    pub goals: Vec<GoalSpec>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalResult {
    pub text: String,
    pub passed: bool,
    /// Why it does not pass yet (the value found), empty when it passes.
    pub detail: String,
}

impl Exercise {
    pub fn from_json(text: &str) -> Result<Exercise> {
        if text.len() > MAX_BYTES {
            return Err(Error::Data(format!(
                "the exercise file is {} bytes; at most {MAX_BYTES} are allowed",
                text.len()
            )));
        }
        let ex: Exercise =
            crate::base::json::parse(text).map_err(|e| Error::Data(format!("the exercise file is malformed ({e})")))?;
        if ex.id.is_empty()
            || ex.id.len() > 64
            || !ex.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::Data("the exercise id must be 1 to 64 letters, digits, '-' or '_'".into()));
        }
        if ex.title.is_empty() || ex.title.len() > 200 || ex.instructions.len() > MAX_TEXT {
            return Err(Error::Data(format!(
                "the exercise title must be 1 to 200 characters and the instructions at most {MAX_TEXT}"
            )));
        }
        if ex.goals.is_empty() || ex.goals.len() > MAX_GOALS {
            return Err(Error::Data(format!(
                "an exercise needs 1 to {MAX_GOALS} goals, this one has {}",
                ex.goals.len()
            )));
        }
        for name in ex.locked.iter().chain(&ex.hidden) {
            if !CONTROLS.contains(&name.as_str()) {
                return Err(Error::Data(format!(
                    "'{name}' is not a control that can be locked or hidden ({})",
                    CONTROLS.join(", ")
                )));
            }
        }
        for g in &ex.goals {
            if g.text.len() > 500 {
                return Err(Error::Data("a goal's text is longer than 500 characters".into()));
            }
            Goal::parse(&g.check)?;
        }
        ex.start_state()?;
        Ok(ex)
    }

    /// The state the exercise opens with.
    pub fn start_state(&self) -> Result<AppState> {
        match &self.start {
            Value::Null => Ok(AppState::default()),
            Value::Object(_) => AppState::from_json(&self.start.to_string()),
            _ => Err(Error::Data("the exercise's start must be a state object".into())),
        }
    }

    pub fn check(&self, context: &Value) -> Vec<GoalResult> {
        self.goals
            .iter()
            .map(|g| {
                let (passed, detail) =
                    Goal::parse(&g.check).map(|p| p.check(context)).unwrap_or_else(|e| (false, e.to_string()));
                GoalResult { text: g.text.clone(), passed, detail }
            })
            .collect()
    }
}

/// Precision, recall, F1 and accuracy of the validation rows at threshold `t` (binary
/// problems), as the evaluation view shows them.
fn at_threshold(session: &Session, t: f64) -> Value {
    let Evaluation::Classification { cuts: Some(c), .. } = session.evaluation(false) else { return Value::Null };
    let positives = c.tp.first().map_or(0, |&tp| tp + c.fn_[0]);
    let negatives = c.fp.first().map_or(0, |&fp| fp + c.tn[0]);
    // The lowest cut still at or above t counts exactly the rows scoring >= t.
    let k = c.threshold.iter().rposition(|&th| th >= t);
    let (tp, fp) = k.map_or((0, 0), |k| (c.tp[k], c.fp[k]));
    let (fn_, tn) = (positives - tp, negatives - fp);
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(tp, tp + fp), ratio(tp, tp + fn_));
    json!({
        "value": t,
        "precision": p,
        "recall": r,
        "f1": if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 },
        "accuracy": ratio(tp + tn, tp + tn + fp + fn_),
    })
}

/// What goals can refer to about a finished run: `model`, `params.*`, `dataset`, `task`,
/// `seed`, `test_evaluations`, `train.*` / `validation.*` (and `test.*` only when the
/// state records a final evaluation of itself), `baseline.validation.*`, `threshold.*`,
/// `timing.*`, `steps`, `confusion` (for `validation.confused[a, b]` and its kin), and for clusterings and projections `metrics.*`. `current` is the
/// state as it is now: the run's own, or the page's after view changes and final
/// evaluations (which do not retrain); its test metrics count only if it still describes
/// the run that was trained.
pub fn context(session: &Session, current: &AppState) -> Value {
    let s = session.state();
    let same_run = current.fingerprint() == s.fingerprint();
    let mut v = json!({
        "model": s.model.kind(),
        "params": s.model.params_json(),
        "dataset": s.dataset.id,
        "seed": s.seed,
        "test_evaluations": current.test_evaluations,
        "steps": session.snapshot().step,
    });
    if let Some(r) = session.unsupervised_report(false) {
        v["metrics"] = crate::base::json::to_value(&r.metrics).expect("metrics serialise");
        v["timing"] = json!({ "fit_ms": r.timing.fit_ms });
        return v;
    }
    let r = session.report_with(same_run && current.test_unlocked());
    v["task"] = crate::base::json::to_value(&r.task).expect("task serialises");
    v["train"] = crate::base::json::to_value(&r.metrics.train).expect("metrics serialise");
    v["validation"] = crate::base::json::to_value(&r.metrics.validation).expect("metrics serialise");
    if let Some(t) = &r.metrics.test {
        v["test"] = crate::base::json::to_value(t).expect("metrics serialise");
    }
    v["baseline"] = json!({ "validation": r.baseline.validation });
    v["timing"] = crate::base::json::to_value(&r.timing).expect("timing serialises");
    v["threshold"] = at_threshold(session, current.view.threshold.unwrap_or(0.5));
    v["confusion"] = confusion::context(session, current, r.metrics.test.is_some());
    if let [_, positive] = &session.data().class_names[..] {
        v["positive_class"] = json!(positive);
    }
    if let Some(p) = &s.dataset.painted {
        v["painted"] = json!(p.points.len());
        if let Some(l) = linear_check::on_painted(s) {
            v["linear"] = l;
        }
    }
    v
}
