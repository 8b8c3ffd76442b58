//! A modelling view of a table: numeric features, a target, and the task it implies.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::table::{ColumnData, Table, MISSING_CODE};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    Classification,
    Regression,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Class indices into `names`.
    Classes { labels: Vec<u32>, names: Vec<String> },
    Values(Vec<f64>),
}

impl Target {
    pub fn task(&self) -> Task {
        match self {
            Target::Classes { .. } => Task::Classification,
            Target::Values(_) => Task::Regression,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Target::Classes { labels, .. } => labels.len(),
            Target::Values(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone)]
pub struct Dataset {
    pub name: String,
    pub x: Array2<f64>,
    pub feature_names: Vec<String>,
    pub target: Target,
    pub target_name: String,
    /// Things the user should know about how the table was read (columns left out...).
    pub notes: Vec<String>,
}

/// Numeric targets with at most this many distinct whole numbers are taken as classes.
const MAX_INTEGER_CLASSES: usize = 20;

impl Dataset {
    /// Build from a table: `target` names the column (default: the last one). Rows with a
    /// missing target are dropped; text feature columns are left out with a note.
    pub fn from_table(name: &str, table: &Table, target: Option<&str>) -> Result<Dataset> {
        if table.columns.len() < 2 {
            return Err(Error::Data("need at least two columns: one feature and a target".into()));
        }
        let t_idx = match target {
            Some(t) => table.column_index(t).ok_or_else(|| {
                Error::Data(format!("there is no column '{t}' to predict (columns: {})", table.names().join(", ")))
            })?,
            None => table.columns.len() - 1,
        };
        let t_col = &table.columns[t_idx];
        let (target, keep) = target_from(&t_col.data, &t_col.name)?;

        let mut notes = Vec::new();
        let mut feats = Vec::new();
        for (j, c) in table.columns.iter().enumerate() {
            if j == t_idx {
                continue;
            }
            match &c.data {
                ColumnData::Numeric(v) => feats.push((c.name.clone(), v)),
                ColumnData::Categorical { .. } => notes.push(format!("column '{}' holds text; it is left out", c.name)),
            }
        }
        if feats.is_empty() {
            return Err(Error::Data("no numeric feature columns are left to learn from".into()));
        }
        let n = keep.len();
        let mut x = Array2::zeros((n, feats.len()));
        for (j, (_, v)) in feats.iter().enumerate() {
            for (i, &row) in keep.iter().enumerate() {
                x[[i, j]] = v[row];
            }
        }
        if keep.len() < table.n_rows() {
            notes.push(format!("{} rows with a missing target were dropped", table.n_rows() - keep.len()));
        }
        Ok(Dataset {
            name: name.to_string(),
            x,
            feature_names: feats.into_iter().map(|(n, _)| n).collect(),
            target,
            target_name: t_col.name.clone(),
            notes,
        })
    }

    pub fn n_rows(&self) -> usize {
        self.x.nrows()
    }

    pub fn task(&self) -> Task {
        self.target.task()
    }

    pub fn class_names(&self) -> &[String] {
        match &self.target {
            Target::Classes { names, .. } => names,
            Target::Values(_) => &[],
        }
    }
}

/// The target and the rows where it is present.
fn target_from(data: &ColumnData, name: &str) -> Result<(Target, Vec<usize>)> {
    let (target, keep) = match data {
        ColumnData::Categorical { codes, levels } => {
            let keep: Vec<usize> = (0..codes.len()).filter(|&i| codes[i] != MISSING_CODE).collect();
            let labels = keep.iter().map(|&i| codes[i]).collect();
            (compact_classes(labels, levels.clone()), keep)
        }
        ColumnData::Numeric(v) => {
            let keep: Vec<usize> = (0..v.len()).filter(|&i| !v[i].is_nan()).collect();
            let vals: Vec<f64> = keep.iter().map(|&i| v[i]).collect();
            (numeric_target(vals), keep)
        }
    };
    if keep.is_empty() {
        return Err(Error::Data(format!("the target column '{name}' has no values")));
    }
    Ok((target, keep))
}

/// Few distinct whole numbers mean classes (e.g. 0/1 labels); anything else is a quantity.
fn numeric_target(vals: Vec<f64>) -> Target {
    let mut distinct: Vec<f64> = vals.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let integral = distinct.iter().all(|v| v.fract() == 0.0);
    if integral && distinct.len() <= MAX_INTEGER_CLASSES {
        let names = distinct.iter().map(|v| format!("{v}")).collect();
        let labels = vals.iter().map(|v| distinct.iter().position(|d| d == v).unwrap() as u32).collect();
        Target::Classes { labels, names }
    } else {
        Target::Values(vals)
    }
}

/// Drop levels that never occur among kept rows, so classes are 0..k without gaps.
fn compact_classes(labels: Vec<u32>, levels: Vec<String>) -> Target {
    let mut used = vec![false; levels.len()];
    labels.iter().for_each(|&l| used[l as usize] = true);
    let mut remap = vec![0u32; levels.len()];
    let mut names = Vec::new();
    for (i, level) in levels.into_iter().enumerate() {
        if used[i] {
            remap[i] = names.len() as u32;
            names.push(level);
        }
    }
    Target::Classes { labels: labels.into_iter().map(|l| remap[l as usize]).collect(), names }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::parse;

    #[test]
    fn last_column_is_target_and_text_features_are_noted() {
        let t = parse("a,colour,label\n1,red,yes\n2,blue,no\n3,red,NA\n").unwrap();
        let d = Dataset::from_table("t", &t, None).unwrap();
        assert_eq!(d.feature_names, vec!["a"]);
        assert_eq!(d.n_rows(), 2);
        assert_eq!(d.target, Target::Classes { labels: vec![0, 1], names: vec!["yes".into(), "no".into()] });
        assert_eq!(d.notes.len(), 2);
    }

    #[test]
    fn numeric_targets_split_into_classes_or_values() {
        let t = parse("x,y\n1,0\n2,1\n3,1\n").unwrap();
        assert_eq!(Dataset::from_table("t", &t, None).unwrap().task(), Task::Classification);
        let t = parse("x,y\n1,0.5\n2,1.25\n3,1\n").unwrap();
        assert_eq!(Dataset::from_table("t", &t, None).unwrap().task(), Task::Regression);
    }

    #[test]
    fn unknown_target_names_the_columns() {
        let t = parse("x,y\n1,0\n2,1\n").unwrap();
        let e = Dataset::from_table("t", &t, Some("z")).unwrap_err();
        assert!(e.to_string().contains("'z'") && e.to_string().contains("x, y"), "{e}");
    }
}

impl Target {
    /// The target restricted to `rows`, in that order.
    pub fn select(&self, rows: &[usize]) -> Target {
        match self {
            Target::Classes { labels, names } => {
                Target::Classes { labels: rows.iter().map(|&i| labels[i]).collect(), names: names.clone() }
            }
            Target::Values(v) => Target::Values(rows.iter().map(|&i| v[i]).collect()),
        }
    }
}
