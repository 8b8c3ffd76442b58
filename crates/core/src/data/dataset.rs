//! A modelling view of a table: numeric features, a target, and the task it implies.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::image_size::ImageGrid;
use super::infer::{boolean_levels, profile, ColumnKind, ColumnProfile};
use super::table::{as_text, Column, ColumnData, Table, MISSING_CODE};
use crate::base::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    Classification,
    Regression,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Class indices into `names`.
    Classes {
        labels: Vec<u32>,
        names: Vec<String>,
    },
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

    /// Class labels (empty for a regression target).
    pub fn labels(&self) -> &[u32] {
        match self {
            Target::Classes { labels, .. } => labels,
            Target::Values(_) => &[],
        }
    }

    /// Target values (empty for a classification target).
    pub fn values(&self) -> &[f64] {
        match self {
            Target::Classes { .. } => &[],
            Target::Values(v) => v,
        }
    }
}

/// A text feature, kept as codes until preprocessing one-hot encodes it with the
/// categories seen in the training rows.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoricalFeature {
    pub name: String,
    /// Index into `levels`, or `MISSING_CODE`.
    pub codes: Vec<u32>,
    pub levels: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Dataset {
    pub name: String,
    /// Numeric and yes/no features (as 0/1), raw; NaN where missing.
    pub x: Array2<f64>,
    pub feature_names: Vec<String>,
    /// Text features.
    pub categorical: Vec<CategoricalFeature>,
    /// With no target column (`has_target` false) a placeholder of zeros, one per row, so
    /// splits and row selections work alike; clusterings and projections never read it.
    pub target: Target,
    /// Empty when there is no target.
    pub target_name: String,
    /// False when every column is a feature (clusterings and projections on a file
    /// without a label column, `--target none`, "(none)" in the page).
    pub has_target: bool,
    /// How the table was read (columns left out, rows dropped...).
    pub notes: Vec<String>,
    /// Choices that look like mistakes (e.g. regression on a 3-valued target).
    pub warnings: Vec<String>,
    /// Profiles of every column of the table it was read from (for the data panel,
    /// computed once here since reading needs them anyway).
    pub profiles: Vec<ColumnProfile>,
    /// The rows' image size and pixel columns, when the state gives a size
    /// (`app::workspace::dataset`); `None`: read from the names, if they are images.
    pub image: Option<ImageGrid>,
}

/// Which columns the user leaves out or keeps against the defaults (by name); part of
/// the state, so a link reproduces it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnChoice {
    pub exclude: Vec<String>,
    pub include: Vec<String>,
    /// Numeric columns to treat as categories (one-hot encoded), e.g. a code 1/2/3.
    pub categorical: Vec<String>,
}

impl ColumnChoice {
    /// Hostile links could carry huge lists; real tables stay far below this.
    pub const MAX_NAMES: usize = 10_000;

    pub fn is_empty(&self) -> bool {
        self.exclude.is_empty() && self.include.is_empty() && self.categorical.is_empty()
    }

    pub fn validate(&self) -> Result<()> {
        let names = || self.exclude.iter().chain(&self.include).chain(&self.categorical);
        let n = names().count();
        if n > Self::MAX_NAMES || names().any(|c| c.len() > 1000) {
            return Err(Error::param(
                "columns",
                format!("{n} names"),
                &format!("at most {} names of at most 1000 characters", Self::MAX_NAMES),
            ));
        }
        Ok(())
    }
}

/// The target a state names when it wants none: no column is predicted or colours the
/// plot. (An empty header is read as `column_N`, so no column has this name.)
pub const NO_TARGET: &str = "";

/// Numeric targets with at most this many distinct whole numbers are taken as classes.
const MAX_INTEGER_CLASSES: usize = 20;
/// Asking for classification on a numeric column with more values than this is refused.
const MAX_FORCED_CLASSES: usize = 50;
/// Regression on a target with this few distinct values draws a warning.
const FEW_VALUES: usize = 10;

impl Dataset {
    /// Build from a table: `target` names the column (default: the last one; `NO_TARGET`:
    /// none, every column a feature) and the task is inferred from it. Rows with a missing
    /// target are dropped.
    pub fn from_table(name: &str, table: &Table, target: Option<&str>) -> Result<Dataset> {
        Dataset::from_table_with(name, table, target, &ColumnChoice::default())
    }

    /// As `from_table`, with the user's choice of columns: `exclude` leaves columns out,
    /// `include` keeps columns that are left out by default (identifiers, constants).
    pub fn from_table_with(name: &str, table: &Table, target: Option<&str>, choice: &ColumnChoice) -> Result<Dataset> {
        let none = target == Some(NO_TARGET);
        if table.columns.len() < 2 && !none {
            return Err(Error::Data("need at least two columns: one feature and a target".into()));
        }
        if table.n_rows() < 2 {
            return Err(Error::Data(format!(
                "the table has only {} data row; a model needs many rows to learn from and more to be checked on",
                table.n_rows()
            )));
        }
        let t_idx = match target {
            Some(NO_TARGET) => usize::MAX,
            Some(t) => table.column_index(t).ok_or_else(|| {
                Error::Data(format!("there is no column '{t}' to predict (columns: {})", clip_list(&table.names())))
            })?,
            None => table.columns.len() - 1,
        };
        let (target, keep, target_name) = match table.columns.get(t_idx) {
            Some(t_col) => {
                let (target, keep) = target_from(&t_col.data, &t_col.name)?;
                (target, keep, t_col.name.clone())
            }
            None => (Target::Values(vec![0.0; table.n_rows()]), (0..table.n_rows()).collect(), String::new()),
        };
        let warnings = Vec::new();

        // First decide which columns are features, then copy each once into place.
        let mut notes = table.notes.clone();
        let profiles: Vec<ColumnProfile> = table.columns.iter().map(profile).collect();
        let mut numeric: Vec<&Column> = Vec::new();
        let mut categorical = Vec::new();
        for (j, c) in table.columns.iter().enumerate() {
            if j == t_idx {
                continue;
            }
            let prof = &profiles[j];
            let chosen = |list: &[String]| list.contains(&c.name);
            if chosen(&choice.exclude) {
                notes.push(format!("column '{}' is left out, as you chose", c.name));
                continue;
            }
            let forced = chosen(&choice.include) && prof.kind != ColumnKind::Empty;
            if !prof.kind.is_feature() && !forced {
                if let Some(note) = &prof.note {
                    notes.push(note.clone());
                }
                continue;
            }
            let as_categories = chosen(&choice.categorical);
            match &c.data {
                ColumnData::Categorical { codes, levels } if boolean_levels(levels).is_none() || as_categories => {
                    categorical.push(CategoricalFeature {
                        name: c.name.clone(),
                        codes: keep.iter().map(|&i| codes[i]).collect(),
                        levels: levels.clone(),
                    })
                }
                ColumnData::Numeric(_) if as_categories => {
                    let (codes, levels) = as_text(&c.data);
                    categorical.push(CategoricalFeature {
                        name: c.name.clone(),
                        codes: keep.iter().map(|&i| codes[i]).collect(),
                        levels,
                    })
                }
                _ => numeric.push(c),
            }
        }
        if numeric.is_empty() && categorical.is_empty() {
            return Err(Error::Data(if none {
                "no usable feature columns are left".to_string()
            } else {
                format!("no usable feature columns are left besides the target '{target_name}'")
            }));
        }
        let mut x = Array2::zeros((keep.len(), numeric.len()));
        for (j, c) in numeric.iter().enumerate() {
            let mut out = x.column_mut(j);
            match &c.data {
                ColumnData::Numeric(v) => keep.iter().zip(out.iter_mut()).for_each(|(&i, o)| *o = v[i]),
                // Yes/no text as 1/0.
                ColumnData::Categorical { codes, levels } => {
                    let yes = boolean_levels(levels).expect("only yes/no text is numeric") as u32;
                    let as_num = |code: u32| if code == MISSING_CODE { f64::NAN } else { (code == yes) as u8 as f64 };
                    keep.iter().zip(out.iter_mut()).for_each(|(&i, o)| *o = as_num(codes[i]));
                }
            }
        }
        if keep.len() < table.n_rows() {
            notes.push(format!("{} rows with a missing target were dropped", table.n_rows() - keep.len()));
        }
        Ok(Dataset {
            name: name.to_string(),
            x,
            feature_names: numeric.iter().map(|c| c.name.clone()).collect(),
            categorical,
            target,
            target_name,
            has_target: !none,
            notes,
            warnings,
            profiles,
            image: None,
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

    /// The same data with the task the user chose: class labels read as amounts, or
    /// amounts taken as classes. Choices that look wrong add a warning; impossible ones
    /// (text as amounts, hundreds of values as classes) are refused.
    pub fn as_task(&self, task: Task) -> Result<Dataset> {
        let mut out = self.clone();
        if task == self.task() {
            return Ok(out);
        }
        let name = &self.target_name;
        let vals: Vec<f64> = match &self.target {
            Target::Values(v) => v.clone(),
            Target::Classes { labels, names } => {
                let nums: Option<Vec<f64>> = names.iter().map(|n| n.parse::<f64>().ok()).collect();
                let nums = nums.ok_or_else(|| {
                    Error::Data(format!(
                        "the target '{name}' holds text, so it cannot be predicted as an amount; choose classification"
                    ))
                })?;
                labels.iter().map(|&l| nums[l as usize]).collect()
            }
        };
        out.target = numeric_target(vals, name, Some(task), &mut out.warnings)?;
        Ok(out)
    }

    /// Whether row `i` has a missing feature value.
    pub fn row_has_missing(&self, i: usize) -> bool {
        self.x.row(i).iter().any(|v| v.is_nan()) || self.categorical.iter().any(|c| c.codes[i] == MISSING_CODE)
    }

    /// Rows with no missing feature value, in order (those `Imputer::DropRows` keeps).
    pub fn complete_rows(&self) -> Vec<usize> {
        (0..self.n_rows()).filter(|&i| !self.row_has_missing(i)).collect()
    }

    /// The same dataset restricted to `rows`, in that order.
    pub fn select_rows(&self, rows: &[usize]) -> Dataset {
        Dataset {
            x: self.x.select(ndarray::Axis(0), rows),
            categorical: self
                .categorical
                .iter()
                .map(|c| CategoricalFeature { codes: rows.iter().map(|&i| c.codes[i]).collect(), ..c.clone() })
                .collect(),
            target: self.target.select(rows),
            ..self.clone()
        }
    }
}

fn clip_list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(12).map(String::as_str).collect();
    if names.len() > shown.len() {
        format!("{}, ... ({} in all)", shown.join(", "), names.len())
    } else {
        shown.join(", ")
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
            (numeric_target(vals, name, None, &mut Vec::new())?, keep)
        }
    };
    if keep.is_empty() {
        return Err(Error::Data(format!("the target column '{name}' has no values")));
    }
    if let Target::Classes { names, .. } = &target {
        if names.len() < 2 {
            return Err(Error::Data(format!(
                "the target '{name}' has a single class ('{}'); a classifier needs at least two",
                names.first().map_or("", String::as_str)
            )));
        }
    }
    Ok((target, keep))
}

/// Few distinct whole numbers mean classes (e.g. 0/1 labels); anything else is a quantity,
/// unless the user chose the task.
fn numeric_target(vals: Vec<f64>, name: &str, task: Option<Task>, warnings: &mut Vec<String>) -> Result<Target> {
    let mut distinct: Vec<f64> = vals.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let integral = distinct.iter().all(|v| v.fract() == 0.0);
    let as_classes = match task {
        None => integral && distinct.len() <= MAX_INTEGER_CLASSES,
        Some(Task::Classification) => {
            if distinct.len() > MAX_FORCED_CLASSES {
                return Err(Error::Data(format!(
                    "the target '{name}' has {} different values, too many to treat as classes \
                     (at most {MAX_FORCED_CLASSES}); it looks like a quantity: choose regression",
                    distinct.len()
                )));
            }
            if !integral || distinct.len() > MAX_INTEGER_CLASSES {
                warnings.push(format!(
                    "'{name}' looks like a quantity ({} different values); treating each value as a class \
                     ignores that 3 is closer to 4 than to 40",
                    distinct.len()
                ));
            }
            true
        }
        Some(Task::Regression) => {
            if distinct.len() <= FEW_VALUES {
                warnings.push(format!(
                    "'{name}' has only {} different values, so it looks like classes; regression will \
                     treat them as amounts and predict values in between",
                    distinct.len()
                ));
            }
            false
        }
    };
    if as_classes {
        let names = distinct.iter().map(|v| format!("{v}")).collect();
        let labels = vals.iter().map(|v| distinct.binary_search_by(|d| d.total_cmp(v)).unwrap() as u32).collect();
        Ok(Target::Classes { labels, names })
    } else {
        Ok(Target::Values(vals))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::parse;

    #[test]
    fn last_column_is_target_and_text_features_are_kept() {
        let t = parse("a,colour,label\n1,red,yes\n2,blue,no\n3,red,NA\n").unwrap();
        let d = Dataset::from_table("t", &t, None).unwrap();
        assert_eq!(d.feature_names, vec!["a"]);
        assert_eq!(d.categorical[0].name, "colour");
        assert_eq!(d.categorical[0].codes, vec![0, 1]);
        assert_eq!(d.n_rows(), 2);
        assert_eq!(d.target, Target::Classes { labels: vec![0, 1], names: vec!["yes".into(), "no".into()] });
        assert_eq!(d.notes, vec!["1 rows with a missing target were dropped"]);
    }

    #[test]
    fn numeric_targets_split_into_classes_or_values() {
        let t = parse("x,y\n1,0\n2,1\n3,1\n").unwrap();
        assert_eq!(Dataset::from_table("t", &t, None).unwrap().task(), Task::Classification);
        let t = parse("x,y\n1,0.5\n2,1.25\n3,1\n").unwrap();
        assert_eq!(Dataset::from_table("t", &t, None).unwrap().task(), Task::Regression);
    }

    #[test]
    fn task_can_be_chosen_with_warnings_or_refusals() {
        let t = parse("x,y\n1,0\n2,1\n3,2\n4,1\n").unwrap();
        let d = Dataset::from_table("t", &t, None).unwrap().as_task(Task::Regression).unwrap();
        assert_eq!(d.target, Target::Values(vec![0.0, 1.0, 2.0, 1.0]));
        assert!(d.warnings[0].contains("only 3 different values"), "{:?}", d.warnings);
        let t = parse("x,y\n1,a\n2,b\n").unwrap();
        assert!(Dataset::from_table("t", &t, None).unwrap().as_task(Task::Regression).is_err());
        let many: String =
            std::iter::once("x,y\n".to_string()).chain((0..60).map(|i| format!("{},{i}.5\n", i % 7))).collect();
        let e =
            Dataset::from_table("t", &parse(&many).unwrap(), None).unwrap().as_task(Task::Classification).unwrap_err();
        assert!(e.to_string().contains("60 different values"), "{e}");
    }

    #[test]
    fn single_class_and_empty_targets_are_refused() {
        let t = parse("x,y\n1,a\n2,a\n").unwrap();
        assert!(Dataset::from_table("t", &t, None).unwrap_err().to_string().contains("single class"));
        let t = parse("x,y\n1,NA\n2,NA\n").unwrap();
        assert!(Dataset::from_table("t", &t, None).unwrap_err().to_string().contains("no values"));
    }

    #[test]
    fn yes_no_features_become_numbers_and_useless_columns_are_noted() {
        let mut csv = String::from("id,flag,k,y\n");
        for i in 0..25 {
            csv += &format!("{},{},5,{}\n", i + 1, if i % 2 == 0 { "yes" } else { "no" }, i % 2);
        }
        let d = Dataset::from_table("t", &parse(&csv).unwrap(), None).unwrap();
        assert_eq!(d.feature_names, vec!["flag"]);
        assert_eq!(d.x[[0, 0]], 1.0);
        assert_eq!(d.notes.len(), 2, "{:?}", d.notes); // id and the constant k
    }

    #[test]
    fn the_user_can_leave_out_or_keep_columns() {
        let mut csv = String::from("id,a,b,y\n");
        for i in 0..25 {
            csv += &format!("{},{},{},{}\n", i + 1, i % 3, i % 4, i % 2);
        }
        let t = parse(&csv).unwrap();
        let choice =
            ColumnChoice { exclude: vec!["b".into()], include: vec!["id".into()], categorical: vec!["a".into()] };
        let d = Dataset::from_table_with("t", &t, None, &choice).unwrap();
        assert_eq!(d.feature_names, vec!["id"]);
        assert_eq!(d.categorical[0].name, "a");
        assert_eq!(d.categorical[0].levels, vec!["0", "1", "2"]);
        assert!(d.notes.iter().any(|n| n.contains("'b' is left out, as you chose")), "{:?}", d.notes);
    }

    #[test]
    fn unknown_target_names_the_columns() {
        let t = parse("x,y\n1,0\n2,1\n").unwrap();
        let e = Dataset::from_table("t", &t, Some("z")).unwrap_err();
        assert!(e.to_string().contains("'z'") && e.to_string().contains("x, y"), "{e}");
    }
}
