//! A loaded model applied to the rows of a new table: the saved preprocessing, then the
//! model; metrics too when the table has the target column.

use ndarray::Array2;

use super::{Loaded, EMBEDDING_NOTE};
use crate::base::error::{Error, Result};
use crate::data::table::{as_text, ColumnData, Table};
use crate::data::Task;
use crate::metrics::{classification, regression, Metrics};
use crate::models::Prediction;
use crate::unsupervised::Placed;

/// What a model says about new rows.
#[derive(Debug, Clone)]
pub enum Output {
    /// Class probabilities, one row per input row (columns: the target's classes).
    Proba(Array2<f64>),
    Values(Vec<f64>),
    /// Cluster per row; -1 is noise (DBSCAN).
    Clusters(Vec<i32>),
    /// PCA coordinates.
    Coordinates(Array2<f64>),
}

#[derive(Debug, Clone)]
pub struct Predictions {
    pub output: Output,
    /// Present when the table has the target column (rows where it is missing or a class
    /// the model never saw are left out of them).
    pub metrics: Option<Metrics>,
    pub scored_rows: usize,
    pub notes: Vec<String>,
}

impl Loaded {
    pub fn predict_table(&self, table: &Table) -> Result<Predictions> {
        let x = self.file.preprocessing.transform_table(table)?;
        let output = match (&self.model, &self.placer) {
            (Some(m), _) => match m.predict(&x) {
                Prediction::Proba(p) => Output::Proba(p),
                Prediction::Values(v) => Output::Values(v.to_vec()),
            },
            (None, Some(p)) => match p.place(&x)? {
                Placed::Clusters(labels) => Output::Clusters(labels),
                Placed::Coordinates(c) => Output::Coordinates(c),
            },
            (None, None) => return Err(Error::Data(EMBEDDING_NOTE.to_string())),
        };
        let mut notes = vec![];
        let (metrics, scored_rows) = match self.metrics(table, &output, &mut notes) {
            Some((m, n)) => (Some(m), n),
            None => (None, 0),
        };
        Ok(Predictions { output, metrics, scored_rows, notes })
    }

    fn metrics(&self, table: &Table, output: &Output, notes: &mut Vec<String>) -> Option<(Metrics, usize)> {
        let t = &self.file.target;
        let col = &table.columns[table.column_index(&t.name)?];
        let (m, rows) = match (output, t.task) {
            (Output::Proba(p), Task::Classification) => {
                let (codes, levels) = as_text(&col.data);
                let class_of: Vec<Option<u32>> =
                    levels.iter().map(|l| t.classes.iter().position(|c| c == l).map(|c| c as u32)).collect();
                let rows: Vec<(usize, u32)> = codes
                    .iter()
                    .enumerate()
                    .filter_map(|(i, &c)| class_of.get(c as usize).copied().flatten().map(|k| (i, k)))
                    .collect();
                let idx: Vec<usize> = rows.iter().map(|r| r.0).collect();
                let y: Vec<u32> = rows.iter().map(|r| r.1).collect();
                (classification::evaluate(&y, &p.select(ndarray::Axis(0), &idx)), idx.len())
            }
            (Output::Values(v), Task::Regression) => {
                let y: Vec<f64> = match &col.data {
                    ColumnData::Numeric(y) => y.clone(),
                    ColumnData::Categorical { codes, levels } => codes
                        .iter()
                        .map(|&c| levels.get(c as usize).and_then(|l| l.parse().ok()).unwrap_or(f64::NAN))
                        .collect(),
                };
                let idx: Vec<usize> = (0..y.len()).filter(|&i| y[i].is_finite()).collect();
                let yy: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
                let pred: Vec<f64> = idx.iter().map(|&i| v[i]).collect();
                (regression::evaluate(&yy, &pred), idx.len())
            }
            _ => return None,
        };
        if rows < table.n_rows() {
            notes.push(format!("{} rows without a known target value are not in the metrics", table.n_rows() - rows));
        }
        (rows > 0).then_some((m, rows))
    }

    /// The predictions as CSV: the predicted class and one probability column per class,
    /// the predicted value, the cluster, or the coordinates.
    pub fn predictions_csv(&self, p: &Predictions) -> String {
        let mut out = String::new();
        let classes = &self.file.target.classes;
        let quote = |s: &str| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        match &p.output {
            Output::Proba(pr) => {
                out.push_str("prediction");
                classes.iter().for_each(|c| out.push_str(&format!(",{}", quote(&format!("proba_{c}")))));
                out.push('\n');
                for (row, best) in pr.rows().into_iter().zip(classification::argmax_rows(pr)) {
                    out.push_str(&quote(&classes[best as usize]));
                    row.iter().for_each(|v| out.push_str(&format!(",{v}")));
                    out.push('\n');
                }
            }
            Output::Values(v) => {
                out.push_str("prediction\n");
                v.iter().for_each(|v| out.push_str(&format!("{v}\n")));
            }
            Output::Clusters(c) => {
                out.push_str("cluster\n");
                c.iter().for_each(|c| out.push_str(&format!("{c}\n")));
            }
            Output::Coordinates(x) => {
                out.push_str(&(1..=x.ncols()).map(|i| format!("pc{i}")).collect::<Vec<_>>().join(","));
                out.push('\n');
                for row in x.rows() {
                    out.push_str(&row.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(","));
                    out.push('\n');
                }
            }
        }
        out
    }
}
