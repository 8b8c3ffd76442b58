//! Data: parse CSV text into a typed table, pick a target, build feature matrices,
//! split them and scale them. Built-in and synthetic sets come through the same path.

pub mod builtin;
pub mod builtin_list;
pub mod csv;
pub mod dataset;
pub mod drawing;
pub mod image_size;
pub mod infer;
pub mod label;
pub mod loader;
pub mod painted;
pub mod prep;
pub mod split;
pub mod summary;
pub mod synth;
pub mod synth_images;
pub mod synth_tabular;
pub mod table;

pub use dataset::{Dataset, Target, Task};
pub use table::{Column, ColumnData, Table};
