//! The rows behind the evaluation's numbers ("open the errors"): for each validation (or
//! test) row, its row number in the data, its true and predicted class (or value) and the
//! model's probabilities, and for image sets its raw features (the pixels). The page lists
//! a confusion-matrix cell's rows from this, rings them on the scatter plot and shows the
//! images; regression lists the largest errors. `cell_rows` is the rule for a cell's rows.

use serde::Serialize;

use crate::base::sort::sort_indices;
use crate::data::{Dataset, Target};
use crate::engine::session::Session;
use crate::metrics::classification::argmax_rows;
use crate::models::Prediction;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PartRows {
    /// "validation" or "test".
    pub part: &'static str,
    /// 0-based row numbers in the data as loaded (as the scatter plot indexes its points).
    pub rows: Vec<usize>,
    /// The true class index (classification) or value.
    pub actual: Vec<f64>,
    /// The most probable class (as the confusion matrix counts it) or the predicted value.
    pub predicted: Vec<f64>,
    /// Classification: each row's class probabilities, `classes` per row; empty otherwise.
    pub proba: Vec<f64>,
    pub classes: usize,
    /// With the data given (image sets): each row's raw numeric features, `feature_count` per
    /// row, in the data's column order (the page places pixel columns `p0`.. by name:
    /// constant ones are left out of the data).
    pub features: Vec<f64>,
    pub feature_count: usize,
}

/// The scored rows of the validation part, or the test part when `test`; `None` before a
/// supervised model exists or when the part is empty. `given`: the data the session was
/// built on, to carry each row's raw features (pixels) along.
pub fn part_rows(session: &Session, test: bool, given: Option<&Dataset>) -> Option<PartRows> {
    let model = session.model()?;
    let k = if test { 2 } else { 1 };
    let part = if test { &session.data().test } else { &session.data().validation };
    if part.n_rows() == 0 {
        return None;
    }
    let rows = session.row_numbers()[k].clone();
    let (actual, predicted, proba, classes) = match (model.predict(&part.x), &part.y) {
        (Prediction::Proba(p), Target::Classes { labels, .. }) => (
            labels.iter().map(|&l| l as f64).collect(),
            argmax_rows(&p).into_iter().map(|c| c as f64).collect(),
            p.iter().copied().collect(),
            p.ncols(),
        ),
        (Prediction::Values(v), Target::Values(y)) => (y.clone(), v.to_vec(), vec![], 0),
        _ => return None,
    };
    let (features, feature_count) = match given {
        Some(ds) if rows.iter().all(|&r| r < ds.n_rows()) => {
            (rows.iter().flat_map(|&r| ds.x.row(r).to_vec()).collect(), ds.x.ncols())
        }
        _ => (vec![], 0),
    };
    Some(PartRows {
        part: if test { "test" } else { "validation" },
        rows,
        actual,
        predicted,
        proba,
        classes,
        features,
        feature_count,
    })
}

/// Indices (into `r.rows`) of the rows in the confusion matrix's cell `[truth, predicted]`.
/// With `threshold` (two classes), a row is called positive (class 1) when its positive
/// probability is at least the threshold, as the threshold slider's matrix counts them;
/// otherwise the predicted class is the most probable one.
pub fn cell_rows(r: &PartRows, truth: usize, predicted: usize, threshold: Option<f64>) -> Vec<usize> {
    let called = |i: usize| match threshold {
        Some(t) if r.classes == 2 => usize::from(r.proba[2 * i + 1] >= t),
        _ => r.predicted[i] as usize,
    };
    (0..r.rows.len()).filter(|&i| r.actual[i] as usize == truth && called(i) == predicted).collect()
}

/// Regression: indices of the `n` rows with the largest absolute error, largest first.
pub fn largest_errors(r: &PartRows, n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..r.rows.len()).collect();
    let err = |i: usize| (r.actual[i] - r.predicted[i]).abs();
    sort_indices(&mut idx, &|a, b| err(b).total_cmp(&err(a)).then(a.cmp(&b)));
    idx.truncate(n);
    idx
}
