//! k-fold cross-validation on the training rows of a session's split: each fold is held
//! out once while the model (and its preprocessing) is fitted on the other folds. The
//! score is scikit-learn's default `score`: accuracy for a classifier, R² for a regressor.

use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::data::prep::{prepare, Part};
use crate::data::split::{kfold, SplitIndices};
use crate::data::{Dataset, Target, Task};
use crate::engine::session::model_rows;
use crate::metrics::classification::{accuracy, argmax_rows};
use crate::metrics::regression::r2;
use crate::models::{Model, Prediction};
use crate::state::AppState;

/// Scores of the held-out folds, in fold order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CvResult {
    /// "accuracy" or "r2".
    pub metric: &'static str,
    pub scores: Vec<f64>,
    pub mean: f64,
    /// Population standard deviation of the scores (numpy's default, ddof = 0).
    pub std: f64,
}

/// The score `cross_validate` reports for a task.
pub fn metric_name(task: Task) -> &'static str {
    match task {
        Task::Classification => "accuracy",
        Task::Regression => "r2",
    }
}

/// Accuracy or R² of `model` on `part` (NaN for an empty part).
pub fn score(model: &dyn Model, part: &Part) -> f64 {
    if part.n_rows() == 0 {
        return f64::NAN;
    }
    match (model.predict(&part.x), &part.y) {
        (Prediction::Proba(p), Target::Classes { labels, .. }) => accuracy(labels, &argmax_rows(&p)),
        (Prediction::Values(v), Target::Values(y)) => r2(y, v.as_slice().expect("contiguous")),
        _ => f64::NAN,
    }
}

/// Cross-validate the state's model with `folds` folds over the training rows of the
/// state's split (the validation and test rows are not touched).
pub fn cross_validate(state: &AppState, dataset: &Dataset, folds: usize) -> Result<CvResult> {
    cross_validate_with_holdout(state, dataset, None, folds)
}

/// As `cross_validate`, for a session whose test rows start at `holdout_from`
/// (`Session::with_holdout`).
pub fn cross_validate_with_holdout(
    state: &AppState,
    dataset: &Dataset,
    holdout_from: Option<usize>,
    folds: usize,
) -> Result<CvResult> {
    let (ds, idx) = model_rows(state, dataset, holdout_from)?;
    let held_out = folds_of(&ds, &idx.train, folds, state.seed)?;
    cross_validate_with_folds(state, &ds, &held_out)
}

/// The held-out rows of each fold, as row indices of the data the state trains on (the
/// dataset after `session::model_rows`: the same as the input unless rows with missing
/// values were dropped). Stratified by class for classification, as scikit-learn's
/// `StratifiedKFold(shuffle=True)`; seeded by the state's seed.
pub fn fold_indices(state: &AppState, dataset: &Dataset, folds: usize) -> Result<Vec<Vec<usize>>> {
    let (ds, idx) = model_rows(state, dataset, None)?;
    folds_of(&ds, &idx.train, folds, state.seed)
}

fn folds_of(ds: &Dataset, train: &[usize], folds: usize, seed: u32) -> Result<Vec<Vec<usize>>> {
    let target = ds.target.select(train);
    let (most, why) = match &target {
        Target::Classes { labels, names } => {
            let mut counts = vec![0usize; names.len()];
            labels.iter().for_each(|&l| counts[l as usize] += 1);
            let (c, n) =
                counts.iter().enumerate().filter(|(_, &n)| n > 0).min_by_key(|(_, &n)| n).expect("training rows");
            (*n, format!("the smallest class, '{}', has {n} training rows", names[c]))
        }
        Target::Values(v) => (v.len(), format!("there are {} training rows", v.len())),
    };
    if folds < 2 || folds > most {
        let allowed = if most < 2 {
            format!("at least 2, but {why}: too few to hold out")
        } else {
            format!("a whole number from 2 to {most} ({why})")
        };
        return Err(Error::param("folds", folds, &allowed));
    }
    Ok(kfold(&target, folds, seed)?.into_iter().map(|(_, val)| val.into_iter().map(|i| train[i]).collect()).collect())
}

/// Cross-validate over given folds: `held_out[f]` are the rows (of `dataset`, used as
/// given: no task change or row dropping) scored in fold f; the model trains on the rows
/// of every other fold, in increasing row order. Preprocessing is fitted on those rows
/// alone, so the held-out fold leaks nothing into scaling or imputation.
pub fn cross_validate_with_folds(state: &AppState, dataset: &Dataset, held_out: &[Vec<usize>]) -> Result<CvResult> {
    state.validate()?;
    if held_out.len() < 2 {
        return Err(Error::param("folds", held_out.len(), "at least 2"));
    }
    let n = dataset.n_rows();
    let mut fold_of = vec![usize::MAX; n];
    for (f, rows) in held_out.iter().enumerate() {
        for &i in rows {
            if i >= n || fold_of[i] != usize::MAX {
                return Err(Error::Data(format!("fold {f}: row {i} is out of range or already in another fold")));
            }
            fold_of[i] = f;
        }
    }
    let mut scores = Vec::with_capacity(held_out.len());
    for (f, test) in held_out.iter().enumerate() {
        if test.is_empty() {
            return Err(Error::Data(format!("fold {f} holds no rows")));
        }
        let train: Vec<usize> = (0..n).filter(|&i| fold_of[i] != usize::MAX && fold_of[i] != f).collect();
        // No validation part: a model that watches one (early stopping) must not see the
        // held-out fold.
        let idx = SplitIndices { train, validation: vec![], test: test.clone() };
        let data = prepare(dataset, &idx, &state.prep, state.model.encoding());
        let mut trainer = state.model.trainer(&data, state.seed)?;
        while !trainer.is_done() {
            trainer.step(&data)?;
        }
        let model = trainer.model().ok_or_else(|| Error::Training("the model was not fitted".into()))?;
        scores.push(score(model, &data.test));
    }
    let (mean, std) = mean_std(&scores);
    Ok(CvResult { metric: metric_name(dataset.task()), scores, mean, std })
}

/// Mean and population standard deviation.
pub fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (mean, (v.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / n).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_std() {
        let (m, s) = mean_std(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(m, 2.5);
        assert!((s - 1.25f64.sqrt()).abs() < 1e-15);
    }
}
