//! Preprocessing fitted on the training rows only and applied to every part, so nothing
//! about validation or test rows leaks into training: fill missing values, scale numeric
//! columns, one-hot encode text columns (a category unseen in training encodes as all
//! zeros, as scikit-learn's `handle_unknown="ignore"`). A text column keeps at most
//! `MAX_CATEGORIES` of its training categories, the most frequent; the rest, and then any
//! unseen one, share one `OTHER_LEVEL` column (scikit-learn's `max_categories` with
//! `handle_unknown="infrequent_if_exist"`), so a wide column cannot explode the matrix.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::base::sort::sort_indices;

use super::dataset::{CategoricalFeature, Dataset, Target, Task};
use super::image_size::ImageGrid;
use super::split::SplitIndices;
use super::table::MISSING_CODE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Imputer {
    Mean,
    Median,
    MostFrequent,
    /// Leave out every row with a missing feature (before splitting).
    DropRows,
    /// Leave missing values as NaN for models that route them themselves (trees).
    Keep,
}

/// How features reach the model. `Dense`: filled, scaled, text one-hot encoded (linear
/// models, k-NN, nets). `Native`: raw numbers, one column per text feature holding the
/// category's index (NaN when missing or unseen in training), for tree models that split
/// on categories directly and read rules in the data's own units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Dense,
    Native,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// Zero mean, unit variance (scikit-learn's StandardScaler).
    Standard,
    /// Into [0, 1] over the training range (MinMaxScaler).
    MinMax,
    None,
}

/// The preprocessing choices, stored in the state so a link reproduces them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrepSpec {
    pub imputer: Imputer,
    pub scaler: Scaling,
}

impl Default for PrepSpec {
    fn default() -> Self {
        PrepSpec { imputer: Imputer::Mean, scaler: Scaling::Standard }
    }
}

/// Categories kept per text column; enough for any real category list (vega's airports
/// `state`, 56 values in 3364 rows, keeps its 30 busiest), few enough that a column adds
/// at most 31 inputs.
pub const MAX_CATEGORIES: usize = 30;
/// The spelling of the shared column of a capped text column's other categories.
pub const OTHER_LEVEL: &str = "(other)";
/// `seen`'s entry for that shared column: no cell has this code.
const OTHER_CODE: u32 = MISSING_CODE - 1;

/// How one numeric column is filled and scaled: `(v - shift) / scale`.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericStep {
    pub fill: f64,
    pub shift: f64,
    pub scale: f64,
}

/// Fitted preprocessing: one step per numeric column, the training categories of each
/// text column.
#[derive(Debug, Clone)]
pub struct Preprocessor {
    pub numeric: Vec<NumericStep>,
    /// For each text column: the training categories (in code order) and the fill code.
    pub categories: Vec<(Vec<u32>, Option<u32>)>,
    pub feature_names: Vec<String>,
    pub encoding: Encoding,
    /// For each text column: its name and the spelling of each training category (the
    /// order of `categories`), so the fit can be applied to another file's rows.
    pub text_levels: Vec<(String, Vec<String>)>,
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// The most frequent value; ties go to the smallest, as scikit-learn's SimpleImputer.
fn most_frequent(sorted: &[f64]) -> f64 {
    let (mut best, mut best_n, mut i) = (sorted[0], 0, 0);
    while i < sorted.len() {
        let j = sorted[i..].iter().position(|&v| v != sorted[i]).map_or(sorted.len(), |k| i + k);
        if j - i > best_n {
            (best, best_n) = (sorted[i], j - i);
        }
        i = j;
    }
    best
}

impl Preprocessor {
    pub fn fit(ds: &Dataset, train: &[usize], spec: &PrepSpec, encoding: Encoding) -> Preprocessor {
        let numeric = (0..ds.x.ncols())
            .map(|j| {
                let mut vals: Vec<f64> = train.iter().map(|&i| ds.x[[i, j]]).filter(|v| !v.is_nan()).collect();
                if vals.is_empty() {
                    return NumericStep { fill: 0.0, shift: 0.0, scale: 1.0 };
                }
                vals.sort_by(f64::total_cmp);
                let mean = vals.iter().sum::<f64>() / vals.len() as f64;
                let fill = match spec.imputer {
                    Imputer::Median => median(&vals),
                    Imputer::MostFrequent => most_frequent(&vals),
                    Imputer::Mean | Imputer::DropRows => mean,
                    Imputer::Keep => f64::NAN,
                };
                let scaler = if encoding == Encoding::Native { Scaling::None } else { spec.scaler };
                let (shift, scale) = match scaler {
                    Scaling::Standard => {
                        let var = vals.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / vals.len() as f64;
                        (mean, if var > 0.0 { var.sqrt() } else { 1.0 })
                    }
                    Scaling::MinMax => {
                        let (lo, hi) = (vals[0], vals[vals.len() - 1]);
                        (lo, if hi > lo { hi - lo } else { 1.0 })
                    }
                    Scaling::None => (0.0, 1.0),
                };
                NumericStep { fill, shift, scale }
            })
            .collect();
        let mut names = ds.feature_names.clone();
        let mut text_levels = Vec::with_capacity(ds.categorical.len());
        let categories = ds
            .categorical
            .iter()
            .map(|c| {
                let (seen, fill) = train_categories(c, train);
                let level = |code: u32| if code == OTHER_CODE { OTHER_LEVEL } else { &c.levels[code as usize] };
                text_levels.push((c.name.clone(), seen.iter().map(|&code| level(code).to_string()).collect()));
                match encoding {
                    Encoding::Dense => names.extend(seen.iter().map(|&code| format!("{}={}", c.name, level(code)))),
                    Encoding::Native => names.push(c.name.clone()),
                }
                (seen, if spec.imputer == Imputer::Keep { None } else { fill })
            })
            .collect();
        Preprocessor { numeric, categories, feature_names: names, encoding, text_levels }
    }

    /// Per model input column: does it hold category indices (native encoding only)?
    pub fn categorical_mask(&self) -> Vec<bool> {
        let mut mask = vec![false; self.numeric.len()];
        for (seen, _) in &self.categories {
            match self.encoding {
                Encoding::Dense => mask.extend(std::iter::repeat_n(false, seen.len())),
                Encoding::Native => mask.push(true),
            }
        }
        mask
    }

    /// Category names of each model input column (empty for numeric ones), for tree rules:
    /// the training categories' spellings, so a fit read from a model file names them alike.
    pub fn category_levels(&self) -> Vec<Vec<String>> {
        let mut out = vec![vec![]; self.numeric.len()];
        if self.encoding == Encoding::Native {
            out.extend(self.text_levels.iter().map(|(_, levels)| levels.clone()));
        } else {
            out.resize(self.n_outputs(), vec![]);
        }
        out
    }

    pub fn n_outputs(&self) -> usize {
        self.feature_names.len()
    }

    /// The model-ready matrix of `rows`.
    pub fn transform(&self, ds: &Dataset, rows: &[usize]) -> Array2<f64> {
        let codes: Vec<&[u32]> = ds.categorical.iter().map(|c| &c.codes[..]).collect();
        self.transform_with(rows.len(), |r, j| ds.x[[rows[r], j]], |r, c| codes[c][rows[r]])
    }

    /// The model-ready matrix of `n` rows given as raw values: `numeric(r, j)` for numeric
    /// column j, `code(r, c)` for text column c (a level index or `MISSING_CODE`). Used
    /// for the data itself and for made-up rows such as the decision-boundary grid.
    pub fn transform_with(
        &self,
        n: usize,
        numeric: impl Fn(usize, usize) -> f64,
        code: impl Fn(usize, usize) -> u32,
    ) -> Array2<f64> {
        let mut out = Array2::zeros((n, self.n_outputs()));
        // A capped column's last slot takes every category it does not list.
        let other: Vec<bool> =
            self.text_levels.iter().map(|(_, levels)| levels.last().is_some_and(|l| l == OTHER_LEVEL)).collect();
        for r in 0..n {
            for (j, step) in self.numeric.iter().enumerate() {
                let v = numeric(r, j);
                // With `Imputer::Keep` the fill is NaN and the value stays missing.
                out[[r, j]] = ((if v.is_nan() { step.fill } else { v }) - step.shift) / step.scale;
            }
            let mut col = self.numeric.len();
            for (c, (seen, fill)) in self.categories.iter().enumerate() {
                let code = match code(r, c) {
                    MISSING_CODE => *fill,
                    code => Some(code),
                };
                let pos =
                    code.and_then(|code| seen.iter().position(|&s| s == code).or(other[c].then(|| seen.len() - 1)));
                if self.encoding == Encoding::Native {
                    out[[r, col]] = pos.map_or(f64::NAN, |p| p as f64);
                    col += 1;
                    continue;
                }
                if let Some(pos) = pos {
                    out[[r, col + pos]] = 1.0;
                }
                col += seen.len();
            }
        }
        out
    }
}

/// Categories present in the training rows (code order) and the most frequent one, used
/// to fill missing values of a text column. Past `MAX_CATEGORIES`, the most frequent are
/// kept (ties: the first seen) and `OTHER_CODE` is appended for the rest.
fn train_categories(c: &CategoricalFeature, train: &[usize]) -> (Vec<u32>, Option<u32>) {
    let mut counts = vec![0usize; c.levels.len()];
    train.iter().map(|&i| c.codes[i]).filter(|&k| k != MISSING_CODE).for_each(|k| counts[k as usize] += 1);
    let mut seen: Vec<u32> = (0..c.levels.len() as u32).filter(|&k| counts[k as usize] > 0).collect();
    let fill = seen.iter().copied().max_by(|&a, &b| counts[a as usize].cmp(&counts[b as usize]).then(b.cmp(&a)));
    if seen.len() > MAX_CATEGORIES {
        let mut by_count: Vec<usize> = seen.iter().map(|&k| k as usize).collect();
        sort_indices(&mut by_count, &|a, b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
        by_count.truncate(MAX_CATEGORIES);
        seen.retain(|&k| by_count.contains(&(k as usize)));
        seen.push(OTHER_CODE);
    }
    (seen, fill)
}

/// One part of the split, ready for a model.
#[derive(Debug, Clone)]
pub struct Part {
    pub x: Array2<f64>,
    pub y: Target,
}

impl Part {
    pub fn n_rows(&self) -> usize {
        self.x.nrows()
    }
}

#[derive(Debug, Clone)]
pub struct Prepared {
    pub train: Part,
    pub validation: Part,
    pub test: Part,
    pub feature_names: Vec<String>,
    pub class_names: Vec<String>,
    pub task: Task,
    pub preprocessor: Preprocessor,
    /// Per input column: category indices rather than a number (native encoding).
    pub categorical: Vec<bool>,
    /// Category names of each categorical input column (empty for numeric ones).
    pub category_names: Vec<Vec<String>>,
    /// The dataset's image size and pixel columns, when the state gives one (the cnn's map).
    pub image: Option<ImageGrid>,
}

pub fn prepare(ds: &Dataset, idx: &SplitIndices, spec: &PrepSpec, encoding: Encoding) -> Prepared {
    prepare_with(ds, idx, Preprocessor::fit(ds, &idx.train, spec, encoding))
}

/// As `prepare`, with a preprocessing already fitted (a model file's).
pub fn prepare_with(ds: &Dataset, idx: &SplitIndices, pre: Preprocessor) -> Prepared {
    let part = |rows: &[usize]| Part { x: pre.transform(ds, rows), y: ds.target.select(rows) };
    Prepared {
        train: part(&idx.train),
        validation: part(&idx.validation),
        test: part(&idx.test),
        feature_names: pre.feature_names.clone(),
        class_names: ds.class_names().to_vec(),
        task: ds.task(),
        categorical: pre.categorical_mask(),
        category_names: pre.category_levels(),
        image: ds.image.clone(),
        preprocessor: pre,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::parse;
    use ndarray::array;

    fn ds(csv: &str) -> Dataset {
        Dataset::from_table("t", &parse(csv).unwrap(), None).unwrap()
    }

    #[test]
    fn standard_scaling_uses_training_rows_only() {
        let d = ds("a,b,y\n1,5,0\n3,5,1\n5,NA,0\n7,7,1\n");
        let p = Preprocessor::fit(&d, &[0, 1], &PrepSpec::default(), Encoding::Dense);
        assert_eq!(p.numeric[0], NumericStep { fill: 2.0, shift: 2.0, scale: 1.0 });
        // b is constant in training: scale 1, so it maps to 0 rather than NaN.
        assert_eq!(p.transform(&d, &[2]), array![[3.0, 0.0]]);
    }

    #[test]
    fn imputers_and_minmax() {
        let d = ds("a,y\n1,0\n2,1\n2,0\n9,1\nNA,0\n");
        let fit =
            |imputer, scaler| Preprocessor::fit(&d, &[0, 1, 2, 3], &PrepSpec { imputer, scaler }, Encoding::Dense);
        assert_eq!(fit(Imputer::Median, Scaling::None).numeric[0].fill, 2.0);
        assert_eq!(fit(Imputer::MostFrequent, Scaling::None).numeric[0].fill, 2.0);
        assert_eq!(fit(Imputer::Mean, Scaling::None).numeric[0].fill, 3.5);
        let mm = fit(Imputer::Mean, Scaling::MinMax);
        assert_eq!(mm.transform(&d, &[0, 3, 4]), array![[0.0], [1.0], [2.5 / 8.0]]);
    }

    #[test]
    fn one_hot_with_training_categories_and_unseen_as_zeros() {
        let d = ds("colour,y\nred,0\nblue,1\nred,0\ngreen,1\nNA,0\n");
        let p = Preprocessor::fit(&d, &[0, 1, 2], &PrepSpec::default(), Encoding::Dense);
        assert_eq!(p.feature_names, vec!["colour=red", "colour=blue"]);
        // green was never seen in training: all zeros; missing: the most frequent (red).
        assert_eq!(p.transform(&d, &[1, 3, 4]), array![[0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]);
    }

    #[test]
    fn native_encoding_keeps_units_categories_and_missing_values() {
        let d = ds("a,colour,y\n1,red,0\n3,blue,1\nNA,red,0\n5,green,1\n7,NA,0\n");
        let spec = PrepSpec { imputer: Imputer::Keep, scaler: Scaling::Standard };
        let p = Preprocessor::fit(&d, &[0, 1, 2], &spec, Encoding::Native);
        assert_eq!(p.feature_names, vec!["a", "colour"]);
        assert_eq!(p.categorical_mask(), vec![false, true]);
        let x = p.transform(&d, &[0, 1, 2, 3, 4]);
        // Unscaled numbers; red=0, blue=1; missing and unseen (green) are NaN.
        assert_eq!((x[[0, 0]], x[[1, 0]], x[[0, 1]], x[[1, 1]]), (1.0, 3.0, 0.0, 1.0));
        assert!(x[[2, 0]].is_nan() && x[[3, 1]].is_nan() && x[[4, 1]].is_nan());
    }

    #[test]
    fn a_wide_text_column_keeps_its_most_frequent_categories_and_one_other() {
        // 40 categories: c0..c9 in 20 rows each, c10..c39 in one row each (not name-like).
        let mut csv = String::from("k,y\n");
        for i in 0..200 {
            csv += &format!("c{},{}\n", i % 10, i % 2);
        }
        for i in 10..40 {
            csv += &format!("c{i},{}\n", i % 2);
        }
        let d = ds(&csv);
        let train: Vec<usize> = (0..d.n_rows()).collect();
        let p = Preprocessor::fit(&d, &train, &PrepSpec::default(), Encoding::Dense);
        assert_eq!(p.n_outputs(), MAX_CATEGORIES + 1);
        assert_eq!(p.feature_names[..2], ["k=c0", "k=c1"]);
        assert_eq!(p.feature_names[MAX_CATEGORIES], "k=(other)");
        // c39 is among the rare ones left out (ties keep the first seen): it is "other".
        let x = p.transform(&d, &[0, d.n_rows() - 1]);
        assert_eq!((x[[0, 0]], x[[0, MAX_CATEGORIES]], x[[1, MAX_CATEGORIES]]), (1.0, 0.0, 1.0));
        assert_eq!(x.row(1).sum(), 1.0);
    }
}
