//! What the page and the CLI share above the engine: the workspace (data, CSVs, model files
//! and cross-validation entry points for both front ends), model files, exports to scikit-learn
//! and Spark, and exercises with their checks.

pub mod errors;
pub mod exercise;
pub mod export;
pub mod images;
pub mod model_file;
pub mod workspace;
