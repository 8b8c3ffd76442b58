//! What the page and the CLI share above the engine: model files, exports to scikit-learn
//! and Spark, and exercises with their checks.

pub mod exercise;
pub mod export;
pub mod model_file;
