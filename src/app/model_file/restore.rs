//! A session rebuilt from a model file and the data it was trained on: the state's split,
//! the file's preprocessing and model, so the page shows the saved model's metrics
//! without training again.

use ndarray::Array2;

use super::prep::SavedPrep;
use super::restored::Restored;
use super::Loaded;
use crate::base::error::{Error, Result};
use crate::data::prep::{Encoding, Part, Prepared, Preprocessor};
use crate::data::split::SplitIndices;
use crate::data::Dataset;
use crate::engine::session::{model_rows, original_rows, Engine, Session};
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

fn prepared(ds: &Dataset, idx: &SplitIndices, pre: Preprocessor, saved: &SavedPrep) -> Prepared {
    let part = |rows: &[usize]| Part { x: pre.transform(ds, rows), y: ds.target.select(rows) };
    let mut category_names = vec![vec![]; saved.numeric.len()];
    if pre.encoding == Encoding::Native {
        category_names.extend(saved.text.iter().map(|t| t.levels.clone()));
    } else {
        category_names.resize(saved.feature_names.len(), vec![]);
    }
    Prepared {
        train: part(&idx.train),
        validation: part(&idx.validation),
        test: part(&idx.test),
        feature_names: pre.feature_names.clone(),
        class_names: ds.class_names().to_vec(),
        task: ds.task(),
        categorical: pre.categorical_mask(),
        category_names,
        preprocessor: pre,
    }
}

fn same_target(ds: &Dataset, loaded: &Loaded) -> Result<()> {
    let t = &loaded.file.target;
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
    let state = loaded.file.state.clone();
    let saved = &loaded.file.preprocessing;
    let training = loaded.file.training.clone();
    match &loaded.model {
        Some(_) => {
            let (ds, idx) = model_rows(&state, dataset, None)?;
            same_target(&ds, &loaded)?;
            let data = prepared(&ds, &idx, saved.for_dataset(&ds)?, saved);
            let notes = ds.notes.iter().chain(&ds.warnings).cloned().collect();
            let model = loaded.model.expect("matched above");
            let engine = Engine::Supervised(Box::new(Ready { model, steps: training.steps_done }));
            Ok(Session::restored(
                state,
                &ds,
                original_rows(dataset, &ds, &idx),
                notes,
                data,
                engine,
                training.train_loss,
                training.validation_loss,
                training.fit_ms,
            ))
        }
        None => {
            state.validate()?;
            let saved_rows = loaded.file.rows.as_ref().expect("checked on load");
            let rows: Vec<usize> = match state.prep.imputer {
                crate::data::prep::Imputer::DropRows => {
                    (0..dataset.n_rows()).filter(|&i| !dataset.row_has_missing(i)).collect()
                }
                _ => (0..dataset.n_rows()).collect(),
            };
            if rows.len() != saved_rows.count {
                return Err(Error::Data(format!(
                    "the model was fitted on {} rows, this data has {}: it is not the same data",
                    saved_rows.count,
                    rows.len()
                )));
            }
            let idx = SplitIndices { train: rows.clone(), validation: vec![], test: vec![] };
            let data = prepared(dataset, &idx, saved.for_dataset(dataset)?, saved);
            let embedding = saved_rows.embedding.as_ref().map(|e| {
                Array2::from_shape_vec((saved_rows.count, e.dims), e.coordinates.clone()).expect("checked on load")
            });
            let fitter = Restored {
                record: loaded.placer.as_ref().map(|p| p.record()),
                labels: saved_rows.labels.clone(),
                embedding,
                metrics: saved_rows.metrics.clone(),
            };
            let notes = dataset.notes.iter().chain(&dataset.warnings).cloned().collect();
            let row_numbers = [rows.clone(), vec![], vec![]];
            let engine = Engine::Unsupervised { fitter: Box::new(fitter), rows };
            Ok(Session::restored(
                state,
                dataset,
                row_numbers,
                notes,
                data,
                engine,
                training.train_loss,
                training.validation_loss,
                training.fit_ms,
            ))
        }
    }
}
