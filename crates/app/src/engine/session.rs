//! The engine: a state plus a dataset in, training steps out. The browser worker and the
//! CLI drive the same `Session`, so a link reproduces the same numbers in both.

use serde::Serialize;

use crate::base::clock::now_ms;
use crate::base::error::{Error, Result};
use crate::data::prep::{prepare, Part, Prepared};
use crate::data::{Dataset, Target, Task};
use crate::engine::eval::baseline::Baseline;
use crate::engine::eval::evaluation::{evaluate_part, Evaluation};
use crate::engine::eval::report::{PartMetrics, Report, Timing};
use crate::engine::eval::timing::{predict_us_per_row, single_row_latency_us};
use crate::engine::eval::unsupervised_report::{self, UnsupervisedReport, UnsupervisedTiming};
use crate::kinds::family;
use crate::metrics::{classification, regression, Metrics};
use crate::models::explain::Explanation;
use crate::models::{Model, Prediction, StepReport, Trainer};
use crate::state::{link, AppState};
use crate::unsupervised::Unsupervised;

pub use crate::engine::rows::{model_rows, SessionRows};

/// Refuse, before any work, a run whose data and model would not fit in memory (`budget`).
fn check_budget(state: &AppState, dataset: &Dataset, rows: usize) -> Result<()> {
    let numeric = dataset.x.ncols();
    let one_hot: usize = dataset.categorical.iter().map(|c| c.levels.len()).sum();
    let features = match state.model.encoding() {
        crate::data::prep::Encoding::Dense => numeric + one_hot,
        _ => numeric + dataset.categorical.len(),
    };
    let n_out = dataset.class_names().len().max(1);
    crate::engine::budget::check_session(&state.model, rows, numeric + dataset.categorical.len(), features, n_out)
}

fn part_metrics(model: &dyn Model, part: &Part) -> Metrics {
    if part.n_rows() == 0 {
        return Metrics::new();
    }
    match (model.predict(&part.x), &part.y) {
        (Prediction::Proba(p), Target::Classes { labels, .. }) => classification::evaluate(labels, &p),
        (Prediction::Values(v), Target::Values(y)) => regression::evaluate(y, v.as_slice().expect("contiguous")),
        _ => Metrics::new(),
    }
}

/// What a session steps: a supervised trainer, or a clustering/projection fitted on every
/// usable row (`rows`: their indices in the dataset, for the page's plots).
pub(crate) enum Engine {
    Supervised(Box<dyn Trainer>),
    Unsupervised { fitter: Box<dyn Unsupervised>, rows: Vec<usize> },
}

/// What the session asks of either kind of engine, so stepping and progress are written
/// once rather than once per variant.
/// The trainer of a supervised engine, for the calls only the GPU path makes.
fn gpu_trainer(engine: &mut Engine) -> Result<&mut Box<dyn Trainer>> {
    match engine {
        Engine::Supervised(t) => Ok(t),
        _ => Err(Error::Training("only neural networks train on the GPU".into())),
    }
}

trait Stepper {
    fn is_done(&self) -> bool;
    fn steps_done(&self) -> usize;
    fn steps_total(&self) -> usize;
    /// Share of the whole fit done, set-up included.
    fn progress(&self) -> f64 {
        self.steps_done() as f64 / self.steps_total().max(1) as f64
    }
    fn phase(&self) -> Option<(&'static str, f64)> {
        None
    }
    /// One step: the training loss and the validation loss it reports, when it has them.
    fn step(&mut self, data: &Prepared) -> Result<(Option<f64>, Option<f64>)>;
}

impl Stepper for Box<dyn Trainer> {
    fn is_done(&self) -> bool {
        self.as_ref().is_done()
    }
    fn steps_done(&self) -> usize {
        self.as_ref().steps_done()
    }
    fn steps_total(&self) -> usize {
        self.as_ref().steps_total()
    }
    fn step(&mut self, data: &Prepared) -> Result<(Option<f64>, Option<f64>)> {
        let r = self.as_mut().step(data)?;
        Ok((Some(r.train_loss), r.validation_loss))
    }
}

impl Stepper for Box<dyn Unsupervised> {
    fn is_done(&self) -> bool {
        self.as_ref().is_done()
    }
    fn steps_done(&self) -> usize {
        self.as_ref().steps_done()
    }
    fn steps_total(&self) -> usize {
        self.as_ref().steps_total()
    }
    fn progress(&self) -> f64 {
        self.as_ref().progress()
    }
    fn phase(&self) -> Option<(&'static str, f64)> {
        self.as_ref().phase()
    }
    fn step(&mut self, data: &Prepared) -> Result<(Option<f64>, Option<f64>)> {
        self.as_mut().step(&data.train.x)?;
        let loss = self.objective().and_then(|k| self.metrics().get(k).copied());
        Ok((loss, None))
    }
}

impl Engine {
    fn stepper(&self) -> &dyn Stepper {
        match self {
            Engine::Supervised(t) => t,
            Engine::Unsupervised { fitter, .. } => fitter,
        }
    }

    fn stepper_mut(&mut self) -> &mut dyn Stepper {
        match self {
            Engine::Supervised(t) => t,
            Engine::Unsupervised { fitter, .. } => fitter,
        }
    }
}

pub struct Session {
    state: AppState,
    dataset_name: String,
    target_name: String,
    /// The dataset row (0-based) of each train, validation and test row, for the
    /// predictions export.
    row_numbers: [Vec<usize>; 3],
    notes: Vec<String>,
    data: Prepared,
    engine: Engine,
    train_loss: Vec<f64>,
    validation_loss: Vec<f64>,
    fit_ms: f64,
}

/// Progress of a run, sent to the page after each slice of steps.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    pub step: usize,
    pub total: usize,
    pub done: bool,
    /// Loss after every step so far.
    pub train_loss: Vec<f64>,
    pub validation_loss: Vec<f64>,
    /// Train and validation metrics, once training is done.
    pub metrics: Option<PartMetrics>,
    /// Share of the whole fit done (set-up included), for the progress bar.
    pub progress: f64,
    /// While a projection sets itself up: what it is doing and the share of that done.
    pub phase: Option<Phase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub name: &'static str,
    pub done: f64,
}

impl Session {
    pub fn new(state: AppState, dataset: &Dataset) -> Result<Session> {
        Session::build(state, dataset, None)
    }

    /// As `new`, but rows from `holdout_from` on are the test set (an instructor's held-out
    /// file appended to the data); the rows before are split into train and validation
    /// in the state's proportions.
    pub fn with_holdout(state: AppState, dataset: &Dataset, holdout_from: usize) -> Result<Session> {
        Session::build(state, dataset, Some(holdout_from))
    }

    fn build(state: AppState, dataset: &Dataset, holdout_from: Option<usize>) -> Result<Session> {
        let rows = SessionRows::of(&state, dataset, holdout_from)?;
        let fitted = if state.model.is_unsupervised() { rows.idx.train.len() } else { rows.dataset.n_rows() };
        check_budget(&state, &rows.dataset, fitted)?;
        let data = prepare(&rows.dataset, &rows.idx, &state.prep, state.model.encoding());
        let t0 = now_ms();
        let engine = if state.model.is_unsupervised() {
            let fitter = crate::kinds::make(&state.model, &data.train.x, state.seed)?.expect("an unsupervised kind");
            Engine::Unsupervised { fitter, rows: rows.idx.train.clone() }
        } else {
            Engine::Supervised(state.model.trainer(&data, state.seed)?)
        };
        let fit_ms = if state.model.is_unsupervised() { now_ms() - t0 } else { 0.0 };
        Ok(Session::restored(state, rows, data, engine, vec![], vec![], fit_ms))
    }

    /// A session on `rows` with its prepared data and what steps it: a new one, or one whose
    /// model was read from a model file (nothing left to train, the saved curves and fit
    /// time shown as they were).
    pub(crate) fn restored(
        state: AppState,
        rows: SessionRows,
        data: Prepared,
        engine: Engine,
        train_loss: Vec<f64>,
        validation_loss: Vec<f64>,
        fit_ms: f64,
    ) -> Session {
        Session {
            state,
            dataset_name: rows.dataset.name.clone(),
            target_name: rows.dataset.target_name.clone(),
            row_numbers: rows.row_numbers,
            notes: rows.notes,
            data,
            engine,
            train_loss,
            validation_loss,
            fit_ms,
        }
    }

    pub fn dataset_name(&self) -> &str {
        &self.dataset_name
    }

    pub fn target_name(&self) -> &str {
        &self.target_name
    }

    /// Milliseconds spent training so far.
    pub fn fit_ms(&self) -> f64 {
        self.fit_ms
    }

    /// The clustering or projection being fitted, and the dataset rows it sees.
    pub fn unsupervised_fit(&self) -> Option<(&dyn Unsupervised, &[usize])> {
        match &self.engine {
            Engine::Unsupervised { fitter, rows } => Some((fitter.as_ref(), rows)),
            Engine::Supervised(_) => None,
        }
    }

    fn trainer(&self) -> Option<&dyn Trainer> {
        match &self.engine {
            Engine::Supervised(t) => Some(t.as_ref()),
            Engine::Unsupervised { .. } => None,
        }
    }

    /// The report of a finished (or stopped) clustering or projection; `None` for
    /// supervised kinds. Labels and coordinates per row only when `with_rows` (the page
    /// fetches them as typed arrays instead).
    pub fn unsupervised_report(&self, with_rows: bool) -> Option<UnsupervisedReport> {
        let (fitter, _) = self.unsupervised_fit()?;
        let kind = self.state.model.kind();
        let labels = fitter.labels();
        let embedding = fitter.embedding();
        let metrics = if fitter.steps_done() == 0 {
            fitter.metrics()
        } else {
            let x = &self.data.train.x;
            unsupervised_report::score(
                family(kind),
                fitter.metrics(),
                x,
                labels.as_deref(),
                embedding.as_ref(),
                &self.data.train.y,
                self.state.seed,
            )
        };
        Some(UnsupervisedReport {
            family: family(kind),
            model: kind.to_string(),
            params: self.state.model.params_json(),
            dataset: self.dataset_name.clone(),
            rows: self.data.train.n_rows(),
            metrics,
            timing: UnsupervisedTiming { fit_ms: self.fit_ms },
            link: format!("#{}", link::encode(&self.state)),
            notes: self.notes.clone(),
            labels: if with_rows { labels } else { None },
            embedding: if with_rows {
                embedding.map(|e| e.rows().into_iter().map(|r| r.to_vec()).collect())
            } else {
                None
            },
        })
    }

    /// The dataset row (0-based) of each train, validation and test row.
    pub fn row_numbers(&self) -> &[Vec<usize>; 3] {
        &self.row_numbers
    }

    pub fn data(&self) -> &Prepared {
        &self.data
    }

    pub fn model(&self) -> Option<&dyn crate::models::Model> {
        self.trainer()?.model()
    }

    /// The evaluation view's data for the validation part, or the test part once the
    /// user asks for the final evaluation.
    pub fn evaluation(&self, test: bool) -> Evaluation {
        let part = if test { &self.data.test } else { &self.data.validation };
        match self.model() {
            Some(m) => evaluate_part(m, part, &self.data.class_names),
            None => Evaluation::Empty,
        }
    }

    /// What the current model learned, with the names its indices refer to.
    pub fn explain(&self) -> Explanation {
        let Some(model) = self.model() else { return Explanation::default() };
        let classes: &[String] = if self.data.task == Task::Classification { &self.data.class_names } else { &[] };
        let mut e = model.explain().named(&self.data.feature_names, classes, &self.data.category_names);
        if self.data.categorical.iter().any(|&c| c) {
            e.category_names = self.data.category_names.clone();
        }
        e
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn is_done(&self) -> bool {
        self.engine.stepper().is_done()
    }

    /// One training step; the loss curves grow by one point.
    pub fn step(&mut self) -> Result<()> {
        if self.is_done() {
            return Ok(());
        }
        let t0 = now_ms();
        let (train, validation) = self.engine.stepper_mut().step(&self.data)?;
        self.fit_ms += now_ms() - t0;
        self.train_loss.extend(train);
        self.validation_loss.extend(validation);
        Ok(())
    }

    /// Neural networks: the training job from where training stands, for the GPU.
    pub fn fit_job(&self) -> Option<crate::models::mlp_fit::FitJob> {
        match &self.engine {
            Engine::Supervised(t) if !t.is_done() => t.fit_job(&self.data),
            _ => None,
        }
    }

    /// Record an epoch the GPU ran for `fit_job` (taking `ms`), as `step` records its own;
    /// `net` is the network when its weights were read back.
    pub fn apply_epoch(
        &mut self,
        epoch: &crate::models::mlp_fit::EpochReport,
        net: Option<crate::models::mlp_net::Network>,
        ms: f64,
    ) -> Result<()> {
        let r = gpu_trainer(&mut self.engine)?.apply_epoch(&self.data, epoch, net)?;
        self.record_gpu_epoch(r, ms);
        Ok(())
    }

    fn record_gpu_epoch(&mut self, r: StepReport, ms: f64) {
        self.fit_ms += ms;
        self.train_loss.push(r.train_loss);
        if let Some(v) = r.validation_loss {
            self.validation_loss.push(v);
        }
    }

    /// The network as read back from the GPU, to show while training pauses.
    pub fn set_network(&mut self, net: crate::models::mlp_net::Network) -> Result<()> {
        gpu_trainer(&mut self.engine)?.set_network(&self.data, net)
    }

    /// The cnn: its training job from where training stands, for the GPU.
    pub fn cnn_job(&self) -> Option<crate::models::cnn::gpu::CnnJob> {
        match &self.engine {
            Engine::Supervised(t) if !t.is_done() => t.cnn_job(&self.data),
            _ => None,
        }
    }

    /// The cnn: record an epoch the GPU ran for `cnn_job`, as `apply_epoch` does.
    pub fn apply_cnn_epoch(
        &mut self,
        epoch: &crate::models::mlp_fit::EpochReport,
        net: Option<crate::models::cnn_net::CnnNet>,
        ms: f64,
    ) -> Result<()> {
        let r = gpu_trainer(&mut self.engine)?.apply_cnn_epoch(&self.data, epoch, net)?;
        self.record_gpu_epoch(r, ms);
        Ok(())
    }

    /// The cnn as read back from the GPU, to show while training pauses.
    pub fn set_cnn_network(&mut self, net: crate::models::cnn_net::CnnNet) -> Result<()> {
        gpu_trainer(&mut self.engine)?.set_cnn_network(net)
    }

    /// Steps until `budget_ms` has passed, `max_steps` were taken or training is done (at
    /// least one step), so the worker can answer messages between slices and the page can
    /// animate fast models over several frames.
    pub fn run_for(&mut self, budget_ms: f64, max_steps: usize) -> Result<Snapshot> {
        let start = now_ms();
        let mut taken = 0;
        loop {
            // Set-up pieces end a slice by time only, not by count.
            let setting_up = self.phase().is_some();
            self.step()?;
            taken += usize::from(!setting_up);
            if self.is_done() || taken >= max_steps || now_ms() - start >= budget_ms {
                break;
            }
        }
        Ok(self.snapshot())
    }

    pub fn steps_total(&self) -> usize {
        self.engine.stepper().steps_total()
    }

    pub fn steps_done(&self) -> usize {
        self.engine.stepper().steps_done()
    }

    pub fn run_to_end(&mut self) -> Result<()> {
        while !self.is_done() {
            self.step()?;
        }
        Ok(())
    }

    /// What an unsupervised fitter is setting up, if it is (see `Unsupervised::phase`).
    pub fn phase(&self) -> Option<Phase> {
        self.engine.stepper().phase().map(|(name, done)| Phase { name, done })
    }

    pub fn snapshot(&self) -> Snapshot {
        let done = self.is_done();
        let progress = self.engine.stepper().progress();
        Snapshot {
            step: self.steps_done(),
            total: self.steps_total(),
            done,
            train_loss: self.train_loss.clone(),
            validation_loss: self.validation_loss.clone(),
            metrics: (done && self.trainer().is_some()).then(|| self.metrics(false)),
            progress: if done { 1.0 } else { progress },
            phase: self.phase(),
        }
    }

    fn part_metrics(&self, part: &Part) -> Metrics {
        match self.model() {
            Some(model) => part_metrics(model, part),
            None => Metrics::new(),
        }
    }

    /// What always answering with the training class shares (or mean) scores.
    pub fn baseline_metrics(&self, with_test: bool) -> PartMetrics {
        let b = Baseline::fit(&self.data.train, self.data.class_names.len());
        PartMetrics {
            train: part_metrics(&b, &self.data.train),
            validation: part_metrics(&b, &self.data.validation),
            test: with_test.then(|| part_metrics(&b, &self.data.test)),
        }
    }

    /// Metrics of the current model; the test part only when asked for.
    pub fn metrics(&self, with_test: bool) -> PartMetrics {
        PartMetrics {
            train: self.part_metrics(&self.data.train),
            validation: self.part_metrics(&self.data.validation),
            test: with_test.then(|| self.part_metrics(&self.data.test)),
        }
    }

    /// The full account of the run, as `mlplay run --json` prints it.
    pub fn report(&self) -> Report {
        self.report_with(true)
    }

    /// The report, with the test part's metrics only when `with_test` (the page keeps
    /// them locked until a final evaluation).
    pub fn report_with(&self, with_test: bool) -> Report {
        let model = self.model();
        let timing_rows = if self.data.validation.n_rows() > 0 { &self.data.validation.x } else { &self.data.train.x };
        let latency = model.and_then(|m| single_row_latency_us(m, timing_rows));
        Report {
            task: self.data.task,
            model: self.state.model.kind().to_string(),
            params: self.state.model.params_json(),
            dataset: self.dataset_name.clone(),
            rows: [self.data.train.n_rows(), self.data.validation.n_rows(), self.data.test.n_rows()],
            metrics: self.metrics(with_test),
            baseline: self.baseline_metrics(with_test),
            timing: Timing {
                fit_ms: self.fit_ms,
                predict_us_per_row: model.map_or(0.0, |m| predict_us_per_row(m, timing_rows)),
                latency_us_p50: latency.map_or(0.0, |l| l.0),
                latency_us_p99: latency.map_or(0.0, |l| l.1),
                model_bytes: model.map_or(0, |m| m.size_bytes()),
            },
            explanation: self.explain(),
            link: format!("#{}", link::encode(&self.state)),
            notes: self.notes(),
        }
    }

    /// The data's notes, then what training found (divergence, separable classes).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = self.notes.clone();
        if let Some(t) = self.trainer() {
            notes.extend(t.notes());
        }
        notes
    }
}
