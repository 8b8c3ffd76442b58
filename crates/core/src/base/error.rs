//! One error type for the crate. Messages are written for a student: they say what is
//! wrong, where (row, column, field), and what would be accepted instead.

use thiserror::Error;

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    #[error("CSV problem at row {row}: {message}")]
    Csv { row: usize, message: String },

    #[error("the data has a problem: {0}")]
    Data(String),

    #[error("column '{column}', row {row}: {message}")]
    Cell { column: String, row: usize, message: String },

    #[error("unknown dataset '{0}' (built-in sets: {1})")]
    UnknownDataset(String, String),

    #[error("unknown model kind '{0}' (available: {1})")]
    UnknownModel(String, String),

    #[error("{field} = {value} is not allowed: {allowed}")]
    Param { field: String, value: String, allowed: String },

    #[error("this link cannot be read: {0}")]
    Link(String),

    /// The data and model would not fit the memory budget (`budget`): sizes named.
    #[error("{0}")]
    TooLarge(String),

    #[error("training failed: {0}")]
    Training(String),

    #[error("{0}")]
    Io(String),

    /// A saved model file that cannot be used: which field, and what is wrong with it.
    #[error("model file, {field}: {message}")]
    ModelFile { field: String, message: String },
}

impl Error {
    /// Shorthand for a hyperparameter outside its allowed range.
    pub fn param(field: &str, value: impl ToString, allowed: &str) -> Error {
        Error::Param { field: field.to_string(), value: value.to_string(), allowed: allowed.to_string() }
    }

    /// Shorthand for a model file field that is missing, malformed or inconsistent.
    pub fn model_file(field: impl ToString, message: impl ToString) -> Error {
        Error::ModelFile { field: field.to_string(), message: message.to_string() }
    }
}
