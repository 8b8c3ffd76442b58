//! A dataset and, once training starts, a `Session`, owned by the worker.

use js_sys::{Float64Array, Uint32Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::js_err;
use crate::data::{builtin, Dataset, Target};
use crate::session::Session;
use crate::state::AppState;

#[wasm_bindgen]
pub struct WebSession {
    dataset: Dataset,
    session: Option<Session>,
}

#[derive(Serialize)]
struct Summary<'a> {
    name: &'a str,
    rows: usize,
    feature_names: &'a [String],
    class_names: &'a [String],
    target_name: &'a str,
    task: crate::data::Task,
    notes: &'a [String],
}

#[wasm_bindgen]
impl WebSession {
    /// Load the dataset a state names; `file_text` is the CSV the worker fetched for
    /// file-based sets.
    #[wasm_bindgen(constructor)]
    pub fn new(state_json: &str, file_text: Option<String>) -> Result<WebSession, JsError> {
        let state = AppState::from_json(state_json).map_err(js_err)?;
        let dataset = builtin::load(&state.dataset, file_text.as_deref(), state.seed).map_err(js_err)?;
        Ok(WebSession { dataset, session: None })
    }

    /// Names, sizes and notes of the loaded dataset (JSON).
    pub fn summary(&self) -> String {
        let d = &self.dataset;
        serde_json::to_string(&Summary {
            name: &d.name,
            rows: d.n_rows(),
            feature_names: &d.feature_names,
            class_names: d.class_names(),
            target_name: &d.target_name,
            task: d.task(),
            notes: &d.notes,
        })
        .expect("summary serialises")
    }

    /// One feature column (raw values), for the scatter plot.
    pub fn feature(&self, index: usize) -> Result<Float64Array, JsError> {
        if index >= self.dataset.x.ncols() {
            return Err(JsError::new(&format!("there is no feature number {index}")));
        }
        let col: Vec<f64> = self.dataset.x.column(index).to_vec();
        Ok(Float64Array::from(&col[..]))
    }

    /// Class index of each row (empty for regression).
    pub fn labels(&self) -> Uint32Array {
        match &self.dataset.target {
            Target::Classes { labels, .. } => Uint32Array::from(&labels[..]),
            Target::Values(_) => Uint32Array::new_with_length(0),
        }
    }

    /// Split, preprocess and set up the model the state describes.
    pub fn start_training(&mut self, state_json: &str) -> Result<(), JsError> {
        let state = AppState::from_json(state_json).map_err(js_err)?;
        self.session = Some(Session::new(state, &self.dataset).map_err(js_err)?);
        Ok(())
    }

    /// Train for about `budget_ms` or `max_steps` steps, then return a snapshot (JSON).
    pub fn run_slice(&mut self, budget_ms: f64, max_steps: usize) -> Result<String, JsError> {
        let s = self.session.as_mut().ok_or_else(|| JsError::new("training has not been started"))?;
        let snap = s.run_for(budget_ms, max_steps.max(1)).map_err(js_err)?;
        Ok(serde_json::to_string(&snap).expect("snapshot serialises"))
    }

    /// Steps the current training run will take in all (0 before it starts).
    pub fn steps_total(&self) -> usize {
        self.session.as_ref().map_or(0, Session::steps_total)
    }

    /// The full report of the current model (JSON), including timing.
    pub fn report(&self) -> Result<String, JsError> {
        let s = self.session.as_ref().ok_or_else(|| JsError::new("training has not been started"))?;
        Ok(serde_json::to_string(&s.report()).expect("report serialises"))
    }
}
