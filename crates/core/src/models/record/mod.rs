//! What fitted models share to write themselves into a model file and read themselves back:
//! exact float (de)serialisation (`num`), the context a record is checked against (`Fit`),
//! and the checks whose failures name the field (`model.coef`, `model.tree.nodes[3].left`).
//! A record is hostile when read: every list is compared with the sizes it declares
//! (multiplied without overflow, so a small file never makes a large allocation), indices
//! are checked in range and numbers finite before a model is built from it.

pub mod num;

use serde::de::DeserializeOwned;

use crate::base::error::{Error, Result};
use crate::data::Task;

/// What the rest of the file says a model must fit.
#[derive(Debug, Clone, Copy)]
pub struct Fit<'a> {
    /// Model inputs of the saved preprocessing.
    pub n_features: usize,
    pub task: Task,
    /// The target's class names (empty for regression).
    pub classes: &'a [String],
}

impl Fit<'_> {
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    /// Outputs per row of a tree: one per class, or one value.
    pub fn n_out(&self) -> usize {
        match self.task {
            Task::Classification => self.n_classes(),
            Task::Regression => 1,
        }
    }
}

/// A record's typed layout, or the error a file with the wrong layout gets.
pub fn parse<T: DeserializeOwned>(v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| layout_error(&e))
}

/// The error for a file whose JSON does not have the model file's layout.
pub fn layout_error(e: &dyn std::fmt::Display) -> Error {
    Error::model_file("file", format!("does not have the layout of an mlplay-model file ({e})"))
}

pub fn err<T>(field: impl ToString, message: impl ToString) -> Result<T> {
    Err(Error::model_file(field, message))
}

/// `a * b`, or an error naming the sizes when it overflows.
pub fn product(field: &str, a: usize, b: usize) -> Result<usize> {
    a.checked_mul(b).map_or_else(|| err(field, format!("declared sizes {a} x {b} are impossibly large")), Ok)
}

pub fn len(field: &str, got: usize, want: usize) -> Result<()> {
    if got != want {
        return err(field, format!("holds {got} values, the declared sizes need {want}"));
    }
    Ok(())
}

pub fn finite(field: &str, v: &[f64]) -> Result<()> {
    match v.iter().position(|x| !x.is_finite()) {
        Some(i) => err(format!("{field}[{i}]"), format!("{} is not a finite number", v[i])),
        None => Ok(()),
    }
}

pub fn finite32(field: &str, v: &[f32]) -> Result<()> {
    match v.iter().position(|x| !x.is_finite()) {
        Some(i) => err(format!("{field}[{i}]"), format!("{} is not a finite number", v[i])),
        None => Ok(()),
    }
}

pub fn equal(field: &str, got: usize, want: usize, what: &str) -> Result<()> {
    if got != want {
        return err(field, format!("is {got}, but {what} is {want}"));
    }
    Ok(())
}

pub fn features(field: &str, n: usize, f: &Fit) -> Result<()> {
    equal(field, n, f.n_features, "the number of model inputs of the preprocessing")
}

pub fn classes(field: &str, n: usize, f: &Fit) -> Result<()> {
    equal(field, n, f.n_classes(), "the number of classes of the target")
}

/// Child indices of node `i` of an `n`-node tree: in range, and after their parent (so
/// every walk ends).
pub fn children(at: impl Fn(&str) -> String, i: usize, n: usize, left: u32, right: u32) -> Result<()> {
    for (what, child) in [("left", left), ("right", right)] {
        let child = child as usize;
        if child >= n {
            return err(at(what), format!("node {child} is out of range (the tree has {n} nodes)"));
        }
        if child <= i {
            return err(
                at(what),
                format!("node {child} does not come after its parent {i}: the tree would have a cycle"),
            );
        }
    }
    Ok(())
}

/// A row-major list as a matrix (its length checked before).
pub fn matrix(rows: usize, cols: usize, v: Vec<f64>) -> ndarray::Array2<f64> {
    ndarray::Array2::from_shape_vec((rows, cols), v).expect("checked shape")
}

/// A record as JSON (records hold only numbers, strings and lists).
pub fn to_value<T: serde::Serialize>(r: &T) -> serde_json::Value {
    crate::base::json::to_value(r).expect("a record serialises")
}

/// Fields at their default (0, false) are left out of records: most tree nodes are leaves.
pub fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}
