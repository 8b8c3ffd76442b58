//! The worker's call for the descent view: the training loss over two parameters of a
//! linear or logistic model and an optimiser's path across it (models/descent.rs), on the
//! training rows of the run the worker holds.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::{js_err, session::WebSession};
use crate::data::Task;
use crate::models::descent::{descent_view, DescentSpec, Objective};

#[derive(Deserialize)]
#[serde(default)]
struct Request {
    optimizer: String,
    learning_rate: f64,
    epochs: usize,
    grid: usize,
}

impl Default for Request {
    fn default() -> Self {
        let d = DescentSpec::default();
        Request { optimizer: d.optimizer, learning_rate: d.learning_rate, epochs: d.epochs, grid: d.grid }
    }
}

#[wasm_bindgen]
impl WebSession {
    /// `{ optimizer, learning_rate, epochs, grid }` (JSON) -> the `DescentView` as JSON.
    /// Regression minimises the mean squared error; two classes, the logistic objective
    /// with the state's `C` (1 when the model has none).
    pub fn descent(&self, request_json: &str) -> Result<String, JsError> {
        let r: Request =
            crate::base::json::parse(request_json).map_err(|e| JsError::new(&format!("bad request: {e}")))?;
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        let data = s.data();
        let (y, objective): (Vec<f64>, _) = match data.task {
            Task::Regression => (data.train.y.values().to_vec(), Objective::Squared),
            Task::Classification if data.class_names.len() == 2 => {
                let c = s.state().model.params_json().get("C").and_then(|v| v.as_f64()).unwrap_or(1.0);
                (data.train.y.labels().iter().map(|&l| l as f64).collect(), Objective::Logistic { c })
            }
            Task::Classification => {
                return Err(JsError::new(&format!(
                    "the descent view needs a number to predict or two classes; this target has {}",
                    data.class_names.len()
                )))
            }
        };
        let spec =
            DescentSpec { optimizer: r.optimizer, learning_rate: r.learning_rate, epochs: r.epochs, grid: r.grid };
        let view = descent_view(&data.train.x, &y, &data.feature_names, objective, &spec).map_err(js_err)?;
        Ok(serde_json::to_string(&view).expect("view serialises"))
    }
}
