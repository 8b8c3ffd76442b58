//! A table of typed columns, as parsed from CSV before any modelling choice is made.

/// Marker for a missing categorical value.
pub const MISSING_CODE: u32 = u32::MAX;

#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Numbers; missing values are NaN.
    Numeric(Vec<f64>),
    /// Text values as codes into `levels` (in order of first appearance);
    /// missing values are `MISSING_CODE`.
    Categorical { codes: Vec<u32>, levels: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
}

impl Column {
    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Numeric(v) => v.len(),
            ColumnData::Categorical { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn missing_count(&self) -> usize {
        match &self.data {
            ColumnData::Numeric(v) => v.iter().filter(|x| x.is_nan()).count(),
            ColumnData::Categorical { codes, .. } => codes.iter().filter(|&&c| c == MISSING_CODE).count(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    /// What reading the file changed, for the data's notes (infinite numbers made missing).
    pub notes: Vec<String>,
}

impl Table {
    pub fn n_rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// This table's rows followed by `other`'s, matching columns by name (e.g. a held-out
    /// test file after the training file). Text values are matched by their spelling;
    /// a column numeric in one file and text in the other becomes text.
    pub fn append(&self, other: &Table) -> crate::Result<Table> {
        let mut columns = Vec::with_capacity(self.columns.len());
        for c in &self.columns {
            let o = other.columns.iter().find(|o| o.name == c.name).ok_or_else(|| {
                crate::Error::Data(format!(
                    "the second file has no column '{}' (it has: {})",
                    c.name,
                    other.names().join(", ")
                ))
            })?;
            let data = match (&c.data, &o.data) {
                (ColumnData::Numeric(a), ColumnData::Numeric(b)) => ColumnData::Numeric([&a[..], &b[..]].concat()),
                _ => {
                    let (mut codes, mut levels) = as_text(&c.data);
                    let (codes_b, levels_b) = as_text(&o.data);
                    for code in codes_b {
                        codes.push(if code == MISSING_CODE {
                            MISSING_CODE
                        } else {
                            let level = &levels_b[code as usize];
                            match levels.iter().position(|l| l == level) {
                                Some(p) => p as u32,
                                None => {
                                    levels.push(level.clone());
                                    (levels.len() - 1) as u32
                                }
                            }
                        });
                    }
                    ColumnData::Categorical { codes, levels }
                }
            };
            columns.push(Column { name: c.name.clone(), data });
        }
        Ok(Table { columns, notes: [&self.notes[..], &other.notes[..]].concat() })
    }
}

/// A column as text codes (numbers spelled as the preview spells them).
pub fn as_text(data: &ColumnData) -> (Vec<u32>, Vec<String>) {
    match data {
        ColumnData::Categorical { codes, levels } => (codes.clone(), levels.clone()),
        ColumnData::Numeric(v) => {
            let mut levels: Vec<String> = Vec::new();
            let codes = v
                .iter()
                .map(|x| {
                    if x.is_nan() {
                        return MISSING_CODE;
                    }
                    let t = format!("{x}");
                    match levels.iter().position(|l| *l == t) {
                        Some(p) => p as u32,
                        None => {
                            levels.push(t);
                            (levels.len() - 1) as u32
                        }
                    }
                })
                .collect();
            (codes, levels)
        }
    }
}
