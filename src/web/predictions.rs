//! The worker's call for the predictions export of a supervised model (written by the
//! workspace, as `mlplay run --predictions`).

use wasm_bindgen::prelude::*;

use super::session::WebSession;
use crate::app::workspace::predictions_csv;

#[wasm_bindgen]
impl WebSession {
    /// Every scored row's prediction as CSV; the test rows only when `with_test` (the page
    /// passes whether the state records a final evaluation of itself).
    pub fn predictions_csv(&self, with_test: bool) -> Result<String, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        predictions_csv(s, with_test).ok_or_else(|| JsError::new("there is no trained model to predict with yet"))
    }
}
