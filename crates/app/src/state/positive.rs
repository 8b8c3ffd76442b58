//! The positive class of a two-class target: the class that recall, precision, the
//! threshold's "call a row X", the curves and the exports' `pos_label` are about.
//!
//! mlplay's models, metrics and exports all treat class index 1 as positive, so choosing a
//! positive class only orders the two classes: the chosen one becomes index 1. The order is
//! set after the split (`session::model_rows`), so the rows of each part do not depend on it.

use std::borrow::Cow;

use super::AppState;
use crate::base::error::{Error, Result};
use crate::data::{builtin, Dataset, Target};

/// The positive class the state trains with: the user's choice if any, otherwise the
/// class a built-in set's story is about (malignant, fraud, attack), otherwise the rarer
/// class (the second in mlplay's order when both are as common). `None` unless the target
/// has exactly two classes.
pub fn positive_class(state: &AppState, ds: &Dataset) -> Option<String> {
    let Target::Classes { labels, names } = &ds.target else { return None };
    if names.len() != 2 {
        return None;
    }
    if let Some(p) = &state.positive {
        return Some(p.clone());
    }
    let story = builtin::find(&state.dataset.id).ok().and_then(|b| b.positive);
    if let Some(p) = story.filter(|p| names.iter().any(|n| n == p) && state.dataset.target.is_none()) {
        return Some(p.to_string());
    }
    let ones = labels.iter().filter(|&&l| l == 1).count();
    let rarer = if 2 * ones > labels.len() { 0 } else { 1 };
    Some(names[rarer].clone())
}

/// The dataset with its two classes ordered so that the positive class is index 1 (a copy
/// only when they swap). A chosen positive class that is not one of the target's two
/// classes is an error that names them.
pub fn with_positive<'a>(state: &AppState, ds: Cow<'a, Dataset>) -> Result<Cow<'a, Dataset>> {
    let names = ds.class_names();
    if let Some(p) = &state.positive {
        if names.len() != 2 || !names.contains(p) {
            let what = match names.len() {
                0 => format!("the target '{}' holds amounts, not classes", ds.target_name),
                2 => format!("the target '{}' has the classes {} and {}", ds.target_name, names[0], names[1]),
                n => format!("the target '{}' has {n} classes; only a two-class target has one", ds.target_name),
            };
            return Err(Error::param("positive", clip(p), &format!("one of the target's two classes ({what})")));
        }
    }
    match positive_class(state, &ds) {
        Some(p) if ds.class_names()[0] == p => {
            let mut ds = ds.into_owned();
            if let Target::Classes { labels, names } = &mut ds.target {
                names.swap(0, 1);
                labels.iter_mut().for_each(|l| *l = 1 - *l);
            }
            Ok(Cow::Owned(ds))
        }
        _ => Ok(ds),
    }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Checks that need no data: a class name of sane length.
pub(super) fn validate(positive: &Option<String>) -> Result<()> {
    match positive {
        Some(p) if p.is_empty() || p.len() > 1000 => {
            Err(Error::param("positive", clip(p), "a class name of 1 to 1000 characters"))
        }
        _ => Ok(()),
    }
}
