//! A session rebuilt from a model file and the data it was trained on: the state's split,
//! the file's preprocessing and model, so the page shows the saved model's metrics
//! without training again.

use ndarray::Array2;

use super::restored::Restored;
use super::{Loaded, SavedTarget};
use crate::base::error::{Error, Result};
use crate::data::prep::{prepare_with, Prepared};
use crate::data::Dataset;
use crate::engine::session::{Engine, Session, SessionRows};
use crate::models::{Model, StepReport, Trainer};

/// A trainer whose model is already fitted.
struct Ready {
    model: Box<dyn Model>,
    steps: usize,
}

impl Trainer for Ready {
    fn step(&mut self, _data: &Prepared) -> Result<StepReport> {
        Err(Error::Training("this model was loaded from a file and is already trained".into()))
    }
    fn steps_done(&self) -> usize {
        self.steps
    }
    fn steps_total(&self) -> usize {
        self.steps
    }
    fn model(&self) -> Option<&dyn Model> {
        Some(self.model.as_ref())
    }
}

fn same_target(ds: &Dataset, t: &SavedTarget) -> Result<()> {
    if ds.task() != t.task || ds.class_names() != &t.classes[..] || ds.target_name != t.name {
        return Err(Error::Data(format!(
            "this data's target '{}' ({}) is not the one the model learned, '{}' ({})",
            ds.target_name,
            ds.class_names().join(", "),
            t.name,
            t.classes.join(", ")
        )));
    }
    Ok(())
}

pub fn session(loaded: Loaded, dataset: &Dataset) -> Result<Session> {
    let mut state = loaded.file.state.clone();
    // The file knows which class was positive (the second); files from before the choice
    // existed (benign second for breast cancer) keep their order this way.
    if let (None, Some(_), [_, second]) = (&state.positive, &loaded.model, &loaded.file.target.classes[..]) {
        state.positive = Some(second.clone());
    }
    let training = loaded.file.training.clone();
    // The rows and split a new session would use; the file's fitted preprocessing.
    let rows = SessionRows::of(&state, dataset, None)?;
    if loaded.model.is_some() {
        same_target(&rows.dataset, &loaded.file.target)?;
    }
    let pre = loaded.file.preprocessing.for_dataset(&rows.dataset)?;
    let engine = match loaded.model {
        Some(model) => Engine::Supervised(Box::new(Ready { model, steps: training.steps_done })),
        None => {
            let saved_rows = loaded.file.rows.as_ref().expect("checked on load");
            if rows.idx.train.len() != saved_rows.count {
                return Err(Error::Data(format!(
                    "the model was fitted on {} rows, this data has {}: it is not the same data",
                    saved_rows.count,
                    rows.idx.train.len()
                )));
            }
            let embedding = saved_rows.embedding.as_ref().map(|e| {
                Array2::from_shape_vec((saved_rows.count, e.dims), e.coordinates.clone()).expect("checked on load")
            });
            let fitter = Restored {
                record: loaded.placer.as_ref().map(|p| p.record()),
                labels: saved_rows.labels.clone(),
                embedding,
                metrics: saved_rows.metrics.clone(),
            };
            Engine::Unsupervised { fitter: Box::new(fitter), rows: rows.idx.train.clone() }
        }
    };
    let data = prepare_with(&rows.dataset, &rows.idx, pre);
    Ok(Session::restored(state, rows, data, engine, training.train_loss, training.validation_loss, training.fit_ms))
}
