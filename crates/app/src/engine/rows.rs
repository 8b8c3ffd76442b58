//! The rows a session trains on: the checks a state must pass first, the rows left out
//! for missing values, the seeded split (or a held-out test file), and each part's row
//! numbers in the given data.

use std::borrow::Cow;

use crate::base::error::{Error, Result};
use crate::data::prep::Imputer;
use crate::data::split::{split, SplitIndices, SplitSpec};
use crate::data::Dataset;
use crate::state::AppState;

/// Train/validation split of the rows before `h` (test fraction folded into the others),
/// and every row from `h` on as the test set.
fn split_with_holdout(ds: &Dataset, spec: &SplitSpec, seed: u32, h: usize) -> Result<SplitIndices> {
    let main: Vec<usize> = (0..h).collect();
    let kept = spec.train + spec.validation;
    let inner = SplitSpec { train: spec.train / kept, validation: spec.validation / kept, test: 0.0 };
    let idx = split(&ds.target.select(&main), &inner, seed)?;
    Ok(SplitIndices { train: idx.train, validation: idx.validation, test: (h..ds.n_rows()).collect() })
}

/// The given data's row number (0-based) of each train, validation and test row of `kept`
/// (the given data less the rows left out for missing values), for the predictions export.
pub(crate) fn original_rows(given: &Dataset, kept: &Dataset, idx: &SplitIndices) -> [Vec<usize>; 3] {
    let map: Vec<usize> =
        if kept.n_rows() < given.n_rows() { given.complete_rows() } else { (0..given.n_rows()).collect() };
    let original = |part: &[usize]| part.iter().map(|&i| map.get(i).copied().unwrap_or(i)).collect();
    [original(&idx.train), original(&idx.validation), original(&idx.test)]
}

/// The data a state trains on and its split: the checks a session makes first, the task
/// the user chose, rows with missing values left out when asked (not with a held-out test
/// file), then the seeded split. Cross-validation and validation curves start here too, so
/// they see exactly the session's rows. Indices refer to the returned dataset.
pub fn model_rows<'a>(
    state: &AppState,
    dataset: &'a Dataset,
    holdout_from: Option<usize>,
) -> Result<(Cow<'a, Dataset>, SplitIndices)> {
    state.validate()?;
    if state.prep.imputer == Imputer::Keep && !state.model.handles_missing() {
        return Err(Error::param(
            "imputer",
            "keep",
            &format!("a way to fill missing values: {} cannot read them (only tree models can)", state.model.kind()),
        ));
    }
    if dataset.n_rows() < 10 {
        return Err(Error::Data(format!("only {} rows with a target; at least 10 are needed", dataset.n_rows())));
    }
    // Copy the data only when the task or the rows change (it can be large).
    let mut dataset = match state.task {
        Some(task) if task != dataset.task() => Cow::Owned(dataset.as_task(task)?),
        _ => Cow::Borrowed(dataset),
    };
    if state.prep.imputer == Imputer::DropRows && holdout_from.is_none() {
        let keep = dataset.complete_rows();
        if keep.len() < dataset.n_rows() {
            let dropped = dataset.n_rows() - keep.len();
            let mut kept = dataset.select_rows(&keep);
            kept.notes.push(format!("{dropped} rows with missing values were left out"));
            dataset = Cow::Owned(kept);
        }
        if dataset.n_rows() < 10 {
            return Err(Error::Data(format!(
                "only {} rows have no missing values; choose another way to fill them",
                dataset.n_rows()
            )));
        }
    }
    let idx = match holdout_from {
        None => split(&dataset.target, &state.split, state.seed)?,
        Some(h) => split_with_holdout(&dataset, &state.split, state.seed, h)?,
    };
    // After the split, so the parts' rows do not depend on which class is positive.
    Ok((crate::state::positive::with_positive(state, dataset)?, idx))
}

/// What a session is built on: the data it sees (the given data less the rows left out),
/// the split (indices into that data), each part's row numbers in the given data, and the
/// notes to show. A new session fits its preprocessing and model on it; a session restored
/// from a model file (`app::workspace`) applies the saved ones instead.
pub struct SessionRows<'a> {
    pub dataset: Cow<'a, Dataset>,
    pub idx: SplitIndices,
    pub row_numbers: [Vec<usize>; 3],
    pub notes: Vec<String>,
}

impl<'a> SessionRows<'a> {
    /// The state's rows: `model_rows` for a supervised kind; for a clustering or a
    /// projection every row (rows with missing values left out only when the imputer says
    /// so) in the training part, with no split (the target is only carried along to
    /// colour the plots and to score clusters against).
    pub fn of(state: &AppState, dataset: &'a Dataset, holdout_from: Option<usize>) -> Result<SessionRows<'a>> {
        if !state.model.is_unsupervised() {
            let (kept, idx) = model_rows(state, dataset, holdout_from)?;
            return Ok(SessionRows {
                row_numbers: original_rows(dataset, &kept, &idx),
                notes: kept.notes.iter().chain(&kept.warnings).cloned().collect(),
                dataset: kept,
                idx,
            });
        }
        state.validate()?;
        let kind = state.model.kind();
        if state.prep.imputer == Imputer::Keep {
            return Err(Error::param(
                "imputer",
                "keep",
                &format!("a way to fill missing values: {kind} cannot read them"),
            ));
        }
        let rows: Vec<usize> = match state.prep.imputer {
            Imputer::DropRows => dataset.complete_rows(),
            _ => (0..dataset.n_rows()).collect(),
        };
        if rows.len() < 2 {
            return Err(Error::Data(format!("{kind} needs at least 2 rows, the data has {} usable", rows.len())));
        }
        let mut notes: Vec<String> = dataset.notes.iter().chain(&dataset.warnings).cloned().collect();
        if rows.len() < dataset.n_rows() {
            notes.push(format!("{} rows with missing values were left out", dataset.n_rows() - rows.len()));
        }
        Ok(SessionRows {
            dataset: Cow::Borrowed(dataset),
            row_numbers: [rows.clone(), vec![], vec![]],
            idx: SplitIndices { train: rows, validation: vec![], test: vec![] },
            notes,
        })
    }
}
