//! What the data panel shows about a loaded table: a preview of the first rows and a
//! profile of every column, plus how the chosen target reads.

use serde::Serialize;

use super::infer::ColumnProfile;
use super::table::{ColumnData, Table, MISSING_CODE};
use super::{Dataset, Task};

pub const PREVIEW_ROWS: usize = 8;

#[derive(Debug, Clone, Serialize)]
pub struct DataSummary {
    pub name: String,
    pub rows: usize,
    pub columns: Vec<ColumnProfile>,
    /// The first rows as text, column by column in table order ("" where missing).
    pub preview: Vec<Vec<String>>,
    pub target_name: String,
    pub task: Task,
    pub class_names: Vec<String>,
    /// Class counts, in the order of `class_names`.
    pub class_counts: Vec<usize>,
    /// Numeric features, in the order `WebSession::feature` serves them.
    pub feature_names: Vec<String>,
    pub categorical_features: Vec<String>,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
}

/// A cell as the preview shows it.
pub fn cell_text(data: &ColumnData, row: usize) -> String {
    match data {
        ColumnData::Numeric(v) if v[row].is_nan() => String::new(),
        ColumnData::Numeric(v) => format!("{}", v[row]),
        ColumnData::Categorical { codes, .. } if codes[row] == MISSING_CODE => String::new(),
        ColumnData::Categorical { codes, levels } => levels[codes[row] as usize].clone(),
    }
}

/// The first rows as text, column by column.
pub fn preview(table: &Table) -> Vec<Vec<String>> {
    let shown = table.n_rows().min(PREVIEW_ROWS);
    (0..shown).map(|r| table.columns.iter().map(|c| cell_text(&c.data, r)).collect()).collect()
}

pub fn summarize(name: &str, table: &Table, ds: &Dataset) -> DataSummary {
    let class_counts = match &ds.target {
        super::Target::Classes { labels, names } => {
            let mut c = vec![0; names.len()];
            labels.iter().for_each(|&l| c[l as usize] += 1);
            c
        }
        super::Target::Values(_) => vec![],
    };
    DataSummary {
        name: name.to_string(),
        rows: ds.n_rows(),
        columns: ds.profiles.clone(),
        preview: preview(table),
        target_name: ds.target_name.clone(),
        task: ds.task(),
        class_names: ds.class_names().to_vec(),
        class_counts,
        feature_names: ds.feature_names.clone(),
        categorical_features: ds.categorical.iter().map(|c| c.name.clone()).collect(),
        notes: ds.notes.clone(),
        warnings: ds.warnings.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::parse;

    #[test]
    fn preview_and_counts() {
        let t = parse("a,b,y\n1,x,0\nNA,y,1\n3,,1\n").unwrap();
        let d = Dataset::from_table("t", &t, None).unwrap();
        let s = summarize("t", &t, &d);
        assert_eq!(s.preview[1], vec!["", "y", "1"]);
        assert_eq!(s.class_counts, vec![1, 2]);
        assert_eq!(s.columns.len(), 3);
        assert_eq!(s.categorical_features, vec!["b"]);
    }
}
