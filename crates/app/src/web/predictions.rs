//! The worker's calls for a supervised model's rows: the predictions export (written by
//! the workspace, as `mlplay run --predictions`) and the rows behind the evaluation view
//! (`app::errors`), which the page lists when a confusion-matrix cell is opened.

use wasm_bindgen::prelude::*;

use super::session::WebSession;
use crate::app::errors::part_rows;
use crate::app::workspace::predictions_csv;
use crate::data::builtin;

#[wasm_bindgen]
impl WebSession {
    /// Every scored row's prediction as CSV; the test rows only when `with_test` (the page
    /// passes whether the state records a final evaluation of itself).
    pub fn predictions_csv(&self, with_test: bool) -> Result<String, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        predictions_csv(s, with_test).ok_or_else(|| JsError::new("there is no trained model to predict with yet"))
    }

    /// The validation rows (the test rows when `test`) with their true and predicted classes
    /// or values and probabilities, as JSON (`app::errors::PartRows`); on image sets with
    /// each row's pixels. `null` when there is nothing to list.
    pub fn evaluation_rows(&self, test: bool) -> Result<String, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        let image = builtin::find(&s.state().dataset.id).is_ok_and(|b| b.image.is_some());
        let given = if image { self.dataset_ref().ok() } else { None };
        Ok(serde_json::to_string(&part_rows(s, test, given)).expect("rows serialise"))
    }
}
