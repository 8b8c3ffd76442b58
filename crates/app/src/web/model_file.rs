//! Model files in the page: download the trained model as an `mlplay-model` JSON file, and
//! open one again to see the same model and metrics without training.
//!
//! Opening takes three calls from the worker: `model_file_state(text)` checks the file and
//! gives its state (the page loads the data it names, as for a link: `load_builtin`,
//! `load_embedded` or an upload, which `verify_file` checks against the saved checksum),
//! then `session.load_model(text)` builds the session on that data.
//!
//! Wiring (web/session.rs owns the fields): add `mod model_file;` to web/mod.rs and, in
//! web/session.rs's plain-Rust `impl WebSession`:
//! ```ignore
//! pub(crate) fn install_session(&mut self, session: Session) -> Result<(), JsError> {
//!     self.typical = Some(Typical::of(self.dataset()?));
//!     self.session = Some(session);
//!     Ok(())
//! }
//! ```

use wasm_bindgen::prelude::*;

use super::js_err;
use super::session::WebSession;
use crate::app::workspace::ModelFiles;
use crate::engine::session::Session;

/// Check a model file (its text) and return the state it was trained with (JSON), so the
/// page can load the data it names; a clear error for a file that cannot be used.
#[wasm_bindgen]
pub fn model_file_state(text: &str) -> Result<String, JsError> {
    crate::app::model_file::load(text).map(|l| l.file.state.to_json()).map_err(js_err)
}

#[wasm_bindgen]
impl WebSession {
    /// The trained (or stopped) model as an `mlplay-model` file: JSON text to download.
    pub fn save_model(&self) -> Result<String, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        s.save_model().map_err(js_err)
    }

    /// Replace the session with the model of a file, on the data loaded now (the data
    /// its state names): the same split, preprocessing, model and metrics, the saved loss
    /// curves, nothing left to train. Returns the snapshot (JSON), as `run_slice` does.
    pub fn load_model(&mut self, text: &str) -> Result<String, JsError> {
        let ds = self.dataset_ref()?;
        let session = Session::from_model_file(text, ds).map_err(js_err)?;
        let snap = serde_json::to_string(&session.snapshot()).expect("snapshot serialises");
        self.install_session(session)?;
        Ok(snap)
    }
}
