//! The worker's state: the loaded table, the dataset read from it with the chosen target,
//! an upload in progress, and the training session.

use js_sys::{Float64Array, Uint32Array};
use wasm_bindgen::prelude::*;

use super::js_err;
use crate::app::workspace::{self, dataset as dataset_for};
use crate::data::builtin;
use crate::data::loader::CsvLoader;
use crate::data::summary::summarize;
use crate::data::{Dataset, Table, Target};
use crate::engine::eval::surface::{surface, surface_on_plane, PcaPlane, Surface, Typical};
use crate::engine::session::Session;
use crate::state::AppState;
use crate::Error;

#[wasm_bindgen]
#[derive(Default)]
pub struct WebSession {
    name: String,
    table: Option<Table>,
    /// The dataset, or why the chosen target cannot be used (the table stays loaded so
    /// another target can be picked).
    dataset: Option<Result<Dataset, String>>,
    upload: Option<(String, CsvLoader)>,
    /// The upload's checksum so far, and its bytes while it is small enough to embed.
    upload_hash: Option<(sha2::Sha256, Vec<u8>)>,
    /// SHA-256 and (when small) the text of the file loaded last, for the share link.
    uploaded: Option<(String, Option<String>)>,
    session: Option<Session>,
    /// Where the decision-boundary slice holds the other features.
    typical: Option<Typical>,
    /// The data's first two principal components, made when the page first asks.
    plane: Option<PcaPlane>,
    /// A neural network training on WebGPU (see `gpu_run.rs`).
    gpu_run: super::gpu_run::SharedRun,
}

fn state_of(json: &str) -> Result<AppState, JsError> {
    AppState::from_json(json).map_err(js_err)
}

/// Plain-Rust access for the other web modules.
impl WebSession {
    pub(crate) fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub(crate) fn session_mut(&mut self) -> Option<&mut Session> {
        self.session.as_mut()
    }

    pub(crate) fn gpu_run(&self) -> super::gpu_run::SharedRun {
        self.gpu_run.clone()
    }

    pub(crate) fn typical(&self) -> Option<&Typical> {
        self.typical.as_ref()
    }

    pub(crate) fn dataset_ref(&self) -> Result<&Dataset, JsError> {
        self.dataset()
    }

    /// Show `session` (one rebuilt from a model file) as if it had just been trained here.
    pub(crate) fn install_session(&mut self, session: Session) -> Result<(), JsError> {
        self.typical = Some(Typical::of(self.dataset()?));
        self.session = Some(session);
        self.gpu_run.borrow_mut().reset();
        Ok(())
    }

    pub(crate) fn table_ref(&self) -> Result<&Table, JsError> {
        self.table.as_ref().ok_or_else(|| JsError::new("no data is loaded"))
    }

    /// The loaded table with one more column, read again with the state's target.
    pub(crate) fn replace_table_with_column(
        &mut self,
        column: crate::data::table::Column,
        state: &AppState,
    ) -> Result<(), Error> {
        let mut table = self.table.clone().ok_or_else(|| Error::Data("no data is loaded".into()))?;
        table.columns.push(column);
        let ds = dataset_for(&table, &self.name, state)?;
        self.table = Some(table);
        self.dataset = Some(Ok(ds));
        self.session = None;
        self.plane = None;
        Ok(())
    }
}

#[wasm_bindgen]
impl WebSession {
    #[wasm_bindgen(constructor)]
    pub fn new() -> WebSession {
        WebSession::default()
    }

    /// Load the built-in set the state names; `file_text` is the CSV the worker fetched
    /// for file-based sets. On failure the previous data stays loaded.
    pub fn load_builtin(&mut self, state_json: &str, file_text: Option<String>) -> Result<(), JsError> {
        let state = state_of(state_json)?;
        let table = builtin::load_table(&state.dataset, file_text.as_deref(), state.seed).map_err(js_err)?;
        let ds = dataset_for(&table, &state.dataset.id, &state).map_err(js_err)?;
        self.name = state.dataset.id.clone();
        self.uploaded = None;
        self.table = Some(table);
        self.dataset = Some(Ok(ds));
        self.session = None;
        self.plane = None;
        Ok(())
    }

    /// Start reading an uploaded file of `size` bytes; chunks follow.
    pub fn begin_upload(&mut self, name: String, size: f64) {
        use sha2::Digest;
        self.upload = Some((name, CsvLoader::new().with_size_hint(size as usize)));
        self.upload_hash = Some((sha2::Sha256::new(), Vec::new()));
    }

    pub fn push_chunk(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        let (_, loader) = self.upload.as_mut().ok_or_else(|| JsError::new("no upload is in progress"))?;
        if let Some((hasher, kept)) = self.upload_hash.as_mut() {
            use sha2::Digest;
            hasher.update(bytes);
            if kept.len() + bytes.len() <= builtin::MAX_EMBEDDED_CSV {
                kept.extend_from_slice(bytes);
            } else {
                kept.clear();
                kept.shrink_to_fit();
                kept.push(0xff); // marks "too large to embed" (never valid UTF-8)
            }
        }
        loader.push(bytes).map_err(|e| {
            self.upload = None;
            js_err(e)
        })
    }

    pub fn cancel_upload(&mut self) {
        self.upload = None;
        self.upload_hash = None;
    }

    /// Finish the upload: the table replaces the previous data only if it parses. The
    /// target is the last column unless the state names one that exists.
    pub fn finish_upload(&mut self, state_json: &str) -> Result<(), JsError> {
        let state = state_of(state_json)?;
        let (name, loader) = self.upload.take().ok_or_else(|| JsError::new("no upload is in progress"))?;
        let (sha, text) = match self.upload_hash.take() {
            Some((hasher, kept)) => {
                use sha2::Digest;
                let sha: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
                (sha, String::from_utf8(kept).ok())
            }
            None => return Err(JsError::new("no upload is in progress")),
        };
        // A link made with a file checks that it is given the same file again.
        builtin::verify_file(&state.dataset, &name, &sha).map_err(js_err)?;
        let table = loader.finish().map_err(js_err)?;
        self.uploaded = Some((sha, text));
        self.dataset = Some(dataset_for(&table, &name, &state).map_err(|e| e.to_string()));
        self.name = name;
        self.table = Some(table);
        self.session = None;
        self.plane = None;
        Ok(())
    }

    /// Load the file a link carries inside itself (`dataset.csv`), as if it were uploaded.
    pub fn load_embedded(&mut self, state_json: &str) -> Result<(), JsError> {
        let state = state_of(state_json)?;
        let text = state.dataset.csv.clone().ok_or_else(|| JsError::new("this link carries no data"))?;
        let name = state.dataset.id.trim_start_matches("file:").to_string();
        let mut loader = CsvLoader::new().with_size_hint(text.len());
        loader.push(text.as_bytes()).map_err(js_err)?;
        let table = loader.finish().map_err(js_err)?;
        self.dataset = Some(dataset_for(&table, &name, &state).map_err(|e| e.to_string()));
        self.uploaded = Some((builtin::sha256_hex(text.as_bytes()), Some(text)));
        self.name = name;
        self.table = Some(table);
        self.session = None;
        self.plane = None;
        Ok(())
    }

    /// SHA-256 of the file loaded last (uploaded or carried by a link), if any.
    pub fn uploaded_sha256(&self) -> Option<String> {
        self.uploaded.as_ref().map(|u| u.0.clone())
    }

    /// The text of the file loaded last, when it is small enough to travel in a link.
    pub fn uploaded_csv(&self) -> Option<String> {
        self.uploaded.as_ref().and_then(|u| u.1.clone())
    }

    /// Read the loaded table again with the state's target and task.
    pub fn set_target(&mut self, state_json: &str) -> Result<(), JsError> {
        let state = state_of(state_json)?;
        let table = self.table.as_ref().ok_or_else(|| JsError::new("no data is loaded"))?;
        self.dataset = Some(dataset_for(table, &self.name, &state).map_err(|e| e.to_string()));
        self.session = None;
        self.plane = None;
        Ok(())
    }

    /// Bytes of the upload read so far.
    pub fn upload_bytes(&self) -> f64 {
        self.upload.as_ref().map_or(0.0, |(_, l)| l.bytes_read() as f64)
    }

    fn dataset(&self) -> Result<&Dataset, JsError> {
        match &self.dataset {
            Some(Ok(d)) => Ok(d),
            Some(Err(e)) => Err(JsError::new(e)),
            None => Err(JsError::new("no data is loaded")),
        }
    }

    /// The data panel's view (JSON): profiles, preview, target; `error` when the chosen
    /// target cannot be used.
    pub fn summary(&self) -> Result<String, JsError> {
        let table = self.table.as_ref().ok_or_else(|| JsError::new("no data is loaded"))?;
        let v = match &self.dataset {
            Some(Ok(ds)) => crate::base::json::to_value(&summarize(&self.name, table, ds)),
            Some(Err(e)) => Ok(serde_json::json!({
                "name": self.name,
                "rows": table.n_rows(),
                "columns": table.columns.iter().map(crate::data::infer::profile).collect::<Vec<_>>(),
                "preview": crate::data::summary::preview(table),
                "error": e,
            })),
            None => return Err(JsError::new("no data is loaded")),
        };
        Ok(v.expect("summary serialises").to_string())
    }

    /// The positive class a two-class target takes when the state names none (the class the
    /// set is about, else the rarer one), so the data panel can offer the choice before any
    /// training; `None` for other targets.
    pub fn default_positive(&self, state_json: &str) -> Result<Option<String>, JsError> {
        let state = AppState { positive: None, ..state_of(state_json)? };
        Ok(self.dataset().ok().and_then(|ds| crate::state::positive::positive_class(&state, ds)))
    }

    /// One numeric feature column (raw values), for the scatter plot.
    pub fn feature(&self, index: usize) -> Result<Float64Array, JsError> {
        let d = self.dataset()?;
        if index >= d.x.ncols() {
            return Err(JsError::new(&format!("there is no numeric feature number {index}")));
        }
        Ok(Float64Array::from(&d.x.column(index).to_vec()[..]))
    }

    /// Class index of each row (empty for regression).
    pub fn labels(&self) -> Result<Uint32Array, JsError> {
        Ok(match &self.dataset()?.target {
            Target::Classes { labels, .. } => Uint32Array::from(&labels[..]),
            Target::Values(_) => Uint32Array::new_with_length(0),
        })
    }

    /// Split, preprocess and set up the model the state describes.
    pub fn start_training(&mut self, state_json: &str) -> Result<(), JsError> {
        let state = state_of(state_json)?;
        let ds = self.dataset()?;
        let session = Session::new(state, ds).map_err(js_err)?;
        self.typical = Some(Typical::of(ds));
        self.session = Some(session);
        self.gpu_run.borrow_mut().reset();
        Ok(())
    }

    /// The current model's predictions over an `n` x `n` grid of numeric features `xf`
    /// and `yf`, packed for `draw_scatter_plot`: `[nx, ny, x0, x1, y0, y1, n_classes,
    /// values..., confidences...]`. Empty before the first step.
    pub fn surface(&self, xf: usize, yf: usize, n: usize) -> Result<Float64Array, JsError> {
        let s = self.session.as_ref().ok_or_else(|| JsError::new("training has not been started"))?;
        let ds = self.dataset()?;
        let (Some(model), Some(typical)) = (s.model(), self.typical.as_ref()) else {
            return Ok(Float64Array::new_with_length(0));
        };
        if xf >= ds.x.ncols() || yf >= ds.x.ncols() {
            return Err(JsError::new(&format!("there is no numeric feature number {}", xf.max(yf))));
        }
        let n = n.clamp(2, 200);
        let g = in_data_order(surface(model, &s.data().preprocessor, ds, typical, xf, yf, n, n), s, ds);
        let mut packed =
            vec![n as f64, n as f64, g.x_range.0, g.x_range.1, g.y_range.0, g.y_range.1, g.n_classes as f64];
        packed.extend(&g.value);
        packed.extend(&g.confidence);
        Ok(Float64Array::from(&packed[..]))
    }

    /// k-fold cross-validation of the state's model on the training rows (JSON `CvResult`).
    pub fn cross_validate(&self, state_json: &str, folds: usize) -> Result<String, JsError> {
        let state = state_of(state_json)?;
        let r = workspace::cross_validate(&state, self.dataset()?, None, folds).map_err(js_err)?;
        Ok(serde_json::to_string(&r).expect("cv serialises"))
    }

    /// Train and validation score over the kind's default sweep of one hyperparameter
    /// (JSON `ValidationCurve`); an error when the kind has nothing to sweep.
    pub fn validation_curve(&self, state_json: &str) -> Result<String, JsError> {
        use crate::engine::eval::validation_curve::default_sweep;
        let state = state_of(state_json)?;
        let (param, values) = default_sweep(&state.model)
            .ok_or_else(|| JsError::new(&format!("{} has no hyperparameter to sweep", state.model.kind())))?;
        let r = workspace::validation_curve(&state, self.dataset()?, None, param, &values).map_err(js_err)?;
        Ok(serde_json::to_string(&r).expect("curve serialises"))
    }

    /// The report with the test metrics: the page asks only after a recorded final
    /// evaluation (or for a link that carries one).
    pub fn final_report(&self) -> Result<String, JsError> {
        let s = self.session.as_ref().ok_or_else(|| JsError::new("training has not been started"))?;
        let mut r = crate::base::json::to_value(&s.report_with(true)).expect("report serialises");
        r["evaluation"] = crate::base::json::to_value(&s.evaluation(true)).expect("evaluation serialises");
        Ok(r.to_string())
    }

    /// The evaluation view's data (confusion matrix, threshold cuts, or predicted vs
    /// actual values) for the validation part, or the test part when `test`.
    pub fn evaluation(&self, test: bool) -> Result<String, JsError> {
        let s = self.session.as_ref().ok_or_else(|| JsError::new("training has not been started"))?;
        Ok(serde_json::to_string(&s.evaluation(test)).expect("evaluation serialises"))
    }

    /// Every row on the data's first two principal components, packed as
    /// `[ratio1, ratio2, x0, y0, x1, y1, ...]` (explained variance ratios first).
    pub fn pca_plane(&mut self) -> Result<Float64Array, JsError> {
        if self.plane.is_none() {
            self.plane = Some(PcaPlane::of(self.dataset()?).map_err(js_err)?);
        }
        let p = self.plane.as_ref().expect("just made");
        let mut packed = vec![p.explained_variance_ratio[0], p.explained_variance_ratio[1]];
        packed.extend(p.coords.iter());
        Ok(Float64Array::from(&packed[..]))
    }

    /// As `surface`, over the PCA plane (after `pca_plane`).
    pub fn surface_pca(&mut self, n: usize) -> Result<Float64Array, JsError> {
        if self.plane.is_none() {
            self.pca_plane()?;
        }
        let s = self.session.as_ref().ok_or_else(|| JsError::new("training has not been started"))?;
        let (Some(model), Some(typical), Some(plane)) = (s.model(), self.typical.as_ref(), self.plane.as_ref()) else {
            return Ok(Float64Array::new_with_length(0));
        };
        let n = n.clamp(2, 200);
        let g = surface_on_plane(model, &s.data().preprocessor, typical, plane, n);
        let g = in_data_order(g, s, self.dataset()?);
        let mut packed =
            vec![n as f64, n as f64, g.x_range.0, g.x_range.1, g.y_range.0, g.y_range.1, g.n_classes as f64];
        packed.extend(&g.value);
        packed.extend(&g.confidence);
        Ok(Float64Array::from(&packed[..]))
    }

    /// What the current model learned (weights, tree, importances), as JSON; `{}` before
    /// the first step.
    pub fn explain(&self) -> Result<String, JsError> {
        let s = self.session.as_ref().ok_or_else(|| JsError::new("training has not been started"))?;
        Ok(serde_json::to_string(&s.explain()).expect("explanation serialises"))
    }

    /// Train for about `budget_ms` or `max_steps` steps, then return a snapshot (JSON).
    pub fn run_slice(&mut self, budget_ms: f64, max_steps: usize) -> Result<String, JsError> {
        let s = self.session.as_mut().ok_or_else(|| JsError::new("training has not been started"))?;
        let snap = s.run_for(budget_ms, max_steps.max(1)).map_err(js_err)?;
        Ok(serde_json::to_string(&snap).expect("snapshot serialises"))
    }

    /// The exercise's goals checked against the current run and `state_json` (the page's
    /// state now: threshold and final evaluations count without retraining). JSON list of
    /// `{text, passed, detail}`.
    pub fn check_goals(&self, exercise_json: &str, state_json: &str) -> Result<String, JsError> {
        let ex = crate::app::exercise::Exercise::from_json(exercise_json).map_err(js_err)?;
        let state = state_of(state_json)?;
        let s = self.session.as_ref().ok_or_else(|| JsError::new("training has not been started"))?;
        Ok(serde_json::to_string(&ex.check(&crate::app::exercise::context(s, &state))).expect("results serialise"))
    }

    /// The state's experiment as code (`sklearn`, `notebook` or `spark`): JSON
    /// `{text, file_name}` for the page to download.
    pub fn export_code(&self, state_json: &str, target: &str) -> Result<String, JsError> {
        let state = state_of(state_json)?;
        let target = crate::app::export::ExportTarget::parse(target).map_err(js_err)?;
        let out = crate::app::export::export(&state, self.dataset()?, target).map_err(js_err)?;
        Ok(serde_json::json!({ "text": out.text, "file_name": out.file_name }).to_string())
    }

    /// Steps taken so far in the current training run.
    pub fn steps_done(&self) -> usize {
        self.session.as_ref().map_or(0, Session::steps_done)
    }

    /// Steps the current training run will take in all (0 before it starts).
    pub fn steps_total(&self) -> usize {
        self.session.as_ref().map_or(0, Session::steps_total)
    }

    /// The report of the current model (JSON), including timing; the test metrics stay out
    /// (see `final_report`).
    pub fn report(&self) -> Result<String, JsError> {
        let s = self.session.as_ref().ok_or_else(|| JsError::new("training has not been started"))?;
        if let Some(r) = s.unsupervised_report(false) {
            return Ok(serde_json::to_string(&r).expect("report serialises"));
        }
        Ok(serde_json::to_string(&s.report_with(false)).expect("report serialises"))
    }
}

/// The surface's classes renumbered from the session's order (the positive class second)
/// to the loaded data's, which colours the points and the legend: without this, a swapped
/// positive class painted the background in the other class's colour.
fn in_data_order(mut g: Surface, s: &Session, ds: &Dataset) -> Surface {
    let (from, to) = (&s.data().class_names, ds.class_names());
    if g.n_classes > 0 && from.as_slice() != to {
        let at: Vec<f64> = from.iter().map(|n| to.iter().position(|t| t == n).unwrap_or(0) as f64).collect();
        g.value.iter_mut().filter(|v| v.is_finite()).for_each(|v| *v = at.get(*v as usize).copied().unwrap_or(*v));
    }
    g
}
