//! The fitted preprocessing in a model file, by column name and category spelling, so it
//! applies to the rows of any file with the same columns.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::data::infer::boolean_levels;
use crate::data::prep::{Encoding, NumericStep, Preprocessor};
use crate::data::table::{as_text, ColumnData, Table, MISSING_CODE};
use crate::data::Dataset;
use crate::models::record::num;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedNumeric {
    pub name: String,
    /// Value for a missing cell ("NaN": left missing for a tree).
    #[serde(with = "num::one")]
    pub fill: f64,
    /// The model reads (value - shift) / scale.
    #[serde(with = "num::one")]
    pub shift: f64,
    #[serde(with = "num::one")]
    pub scale: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedText {
    pub name: String,
    /// The categories seen in training, in the order the model reads them.
    pub levels: Vec<String>,
    /// The category a missing cell takes (none: left missing).
    pub fill: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPrep {
    /// "dense" (filled, scaled, one-hot) or "native" (raw values and category indices).
    pub encoding: String,
    pub numeric: Vec<SavedNumeric>,
    pub text: Vec<SavedText>,
    /// The model's input columns.
    pub feature_names: Vec<String>,
}

impl SavedPrep {
    pub fn from_fit(p: &Preprocessor) -> SavedPrep {
        let numeric = p
            .numeric
            .iter()
            .zip(&p.feature_names)
            .map(|(s, name)| SavedNumeric { name: name.clone(), fill: s.fill, shift: s.shift, scale: s.scale })
            .collect();
        let text = p
            .categories
            .iter()
            .zip(&p.text_levels)
            .map(|((seen, fill), (name, levels))| SavedText {
                name: name.clone(),
                levels: levels.clone(),
                fill: fill.and_then(|f| seen.iter().position(|&s| s == f)).map(|i| levels[i].clone()),
            })
            .collect();
        let encoding = if p.encoding == Encoding::Native { "native" } else { "dense" };
        SavedPrep { encoding: encoding.into(), numeric, text, feature_names: p.feature_names.clone() }
    }

    pub fn encoding(&self) -> Encoding {
        if self.encoding == "native" {
            Encoding::Native
        } else {
            Encoding::Dense
        }
    }

    pub fn check(&self) -> Result<()> {
        let bad = |field: String, message: String| Err(Error::model_file(field, message));
        let native = match self.encoding.as_str() {
            "native" => true,
            "dense" => false,
            e => return bad("preprocessing.encoding".into(), format!("'{e}' is neither \"dense\" nor \"native\"")),
        };
        for (j, s) in self.numeric.iter().enumerate() {
            let field = |f: &str| format!("preprocessing.numeric[{j}].{f}");
            if !s.shift.is_finite() {
                return bad(field("shift"), format!("{} is not a finite number", s.shift));
            }
            if !s.scale.is_finite() || s.scale == 0.0 {
                return bad(field("scale"), format!("{} is not a finite, non-zero number", s.scale));
            }
            if !(s.fill.is_finite() || (native && s.fill.is_nan())) {
                return bad(field("fill"), format!("{} is not a finite number", s.fill));
            }
        }
        let mut width = self.numeric.len();
        for (c, t) in self.text.iter().enumerate() {
            if let Some(f) = &t.fill {
                if !t.levels.contains(f) {
                    return bad(
                        format!("preprocessing.text[{c}].fill"),
                        format!("'{f}' is not one of the column's levels"),
                    );
                }
            }
            // Native category indices are compared as bins of at most 256 in boosting.
            if native && t.levels.len() > 256 {
                return bad(
                    format!("preprocessing.text[{c}].levels"),
                    format!("{} categories; at most 256", t.levels.len()),
                );
            }
            width += if native { 1 } else { t.levels.len() };
        }
        if self.feature_names.len() != width {
            return bad(
                "preprocessing.feature_names".into(),
                format!("{} names, but the columns make {width} model inputs", self.feature_names.len()),
            );
        }
        Ok(())
    }

    fn preprocessor(&self, codes_of: impl Fn(usize) -> Vec<u32>) -> Preprocessor {
        // A saved category the data never spells gets a code no cell has.
        let categories = self
            .text
            .iter()
            .enumerate()
            .map(|(c, t)| {
                let codes = codes_of(c);
                let fill = t.fill.as_ref().and_then(|f| t.levels.iter().position(|l| l == f)).map(|i| codes[i]);
                (codes, fill)
            })
            .collect();
        Preprocessor {
            numeric: self
                .numeric
                .iter()
                .map(|s| NumericStep { fill: s.fill, shift: s.shift, scale: s.scale })
                .collect(),
            categories,
            feature_names: self.feature_names.clone(),
            encoding: self.encoding(),
            text_levels: self.text.iter().map(|t| (t.name.clone(), t.levels.clone())).collect(),
        }
    }

    /// The fit, with category codes of `ds` (whose columns must be the saved ones).
    pub fn for_dataset(&self, ds: &Dataset) -> Result<Preprocessor> {
        let names: Vec<&String> = self.numeric.iter().map(|s| &s.name).collect();
        let text: Vec<&String> = self.text.iter().map(|t| &t.name).collect();
        let ds_text: Vec<&String> = ds.categorical.iter().map(|c| &c.name).collect();
        if ds.feature_names.iter().collect::<Vec<_>>() != names || ds_text != text {
            return Err(Error::Data(format!(
                "the data's feature columns ({}) are not the model's ({})",
                ds.feature_names.iter().chain(ds_text.iter().copied()).cloned().collect::<Vec<_>>().join(", "),
                names.iter().chain(&text).map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
        Ok(self.preprocessor(|c| code_list(&self.text[c].levels, &ds.categorical[c].levels)))
    }

    /// The model-ready rows of a new table: every saved column looked up by name.
    pub fn transform_table(&self, table: &Table) -> Result<Array2<f64>> {
        let find = |name: &str| {
            table.column_index(name).map(|i| &table.columns[i]).ok_or_else(|| {
                Error::Data(format!(
                    "the data has no column '{name}', which the model reads (it has: {})",
                    table.names().join(", ")
                ))
            })
        };
        let mut numeric = Vec::with_capacity(self.numeric.len());
        for s in &self.numeric {
            let col = find(&s.name)?;
            numeric.push(match &col.data {
                ColumnData::Numeric(v) => v.clone(),
                ColumnData::Categorical { codes, levels } => {
                    let yes = boolean_levels(levels).ok_or_else(|| {
                        Error::Data(format!("column '{}' holds text, but the model reads numbers there", s.name))
                    })? as u32;
                    codes.iter().map(|&c| if c == MISSING_CODE { f64::NAN } else { (c == yes) as u8 as f64 }).collect()
                }
            });
        }
        let mut text = Vec::with_capacity(self.text.len());
        for t in &self.text {
            text.push(as_text(&find(&t.name)?.data));
        }
        let pre = self.preprocessor(|c| code_list(&self.text[c].levels, &text[c].1));
        Ok(pre.transform_with(table.n_rows(), |r, j| numeric[j][r], |r, c| text[c].0[r]))
    }
}

/// The code in `data_levels` of each saved level (a code no cell has, distinct per level, when absent).
fn code_list(saved: &[String], data_levels: &[String]) -> Vec<u32> {
    let absent = |i: usize| MISSING_CODE - 1 - i as u32;
    saved
        .iter()
        .enumerate()
        .map(|(i, l)| data_levels.iter().position(|d| d == l).map_or(absent(i), |p| p as u32))
        .collect()
}
