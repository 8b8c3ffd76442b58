//! The rows opened from the evaluation view ("look at these three mistakes"): a confusion
//! matrix cell, or rows picked one by one (regression's largest errors). Part of the view,
//! so a share link opens with the same rows listed and ringed on the scatter plot.

use serde::{Deserialize, Serialize};

use crate::base::error::Result;

/// At most this many rows picked one by one (a link stays short).
pub const MAX_PICKED: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorSelection {
    /// A confusion-matrix cell: `[true class, predicted class]`, indices into the class names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<[u32; 2]>,
    /// Rows picked one by one: 0-based row numbers in the data as loaded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<u32>,
}

impl ErrorSelection {
    pub fn validate(&self) -> Result<()> {
        if self.rows.len() > MAX_PICKED {
            return Err(crate::Error::param(
                "view.errors.rows",
                format!("{} rows", self.rows.len()),
                &format!("at most {MAX_PICKED} rows"),
            ));
        }
        if let Some([t, p]) = self.cell {
            // Class indices past the data's classes select nothing; absurd ones are refused.
            if t > 10_000 || p > 10_000 {
                return Err(crate::Error::param("view.errors.cell", format!("[{t}, {p}]"), "two class indices"));
            }
        }
        Ok(())
    }
}
