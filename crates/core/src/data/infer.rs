//! What each column is: numeric, categorical, boolean, an identifier (unique per row) or
//! constant/empty (nothing to learn from), with the statistics the data panel shows.

use serde::Serialize;

use super::table::{Column, ColumnData, MISSING_CODE};
use crate::base::sort::sort_indices;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Numeric,
    Categorical,
    Boolean,
    /// A different value in every row (a name, a row number): excluded by default.
    Identifier,
    /// Text with many values, most rows their own (car models, cities, surnames): one-hot
    /// encoding it gives a column per row and a model that memorises; excluded by default.
    NameLike,
    /// One value everywhere: excluded, it cannot tell rows apart.
    Constant,
    /// No values at all: excluded.
    Empty,
}

impl ColumnKind {
    /// Whether a model may use the column as a feature.
    pub fn is_feature(self) -> bool {
        matches!(self, ColumnKind::Numeric | ColumnKind::Categorical | ColumnKind::Boolean)
    }
}

pub const HISTOGRAM_BINS: usize = 12;
/// Identifier detection needs enough rows to mean anything.
const MIN_ROWS_FOR_IDENTIFIER: usize = 20;
/// Name-like text: more than this many values and at least `NAME_SHARE` of the rows'
/// count. Measured on vega_datasets' local tables: names run from 0.60 to 0.96 distinct
/// values per row (cars Name 311/406 = 0.77, airports name 0.96 and city 0.79, la-riots
/// last_name and address 0.92, neighborhood 0.60); categories stay at 0.09 or below
/// (airports state 56/3364, barley variety 10/120, iris species, seattle-weather).
/// 0.5 sits in the gap; the count keeps a small table's few labels (burtin's 4 genera in
/// 16 rows) as categories.
const NAME_MIN_VALUES: usize = 20;
const NAME_SHARE: f64 = 0.5;

#[derive(Debug, Clone, Serialize)]
pub struct ColumnProfile {
    pub name: String,
    pub kind: ColumnKind,
    pub missing: usize,
    /// Distinct present values, counted exactly up to `DISTINCT_CAP`.
    pub distinct: usize,
    /// More than `DISTINCT_CAP` distinct values (then `distinct` is the cap).
    pub distinct_more: bool,
    pub min: Option<f64>,
    pub mean: Option<f64>,
    pub max: Option<f64>,
    /// Most frequent values with their counts (categorical and boolean columns).
    pub top: Vec<(String, usize)>,
    /// Counts in equal-width bins between min and max (numeric columns).
    pub histogram: Vec<u32>,
    /// Why the column is left out, when it is.
    pub note: Option<String>,
}

const TRUE_WORDS: [&str; 4] = ["true", "yes", "y", "t"];
const FALSE_WORDS: [&str; 4] = ["false", "no", "n", "f"];

/// For two text levels that spell a yes/no, which one means true.
pub fn boolean_levels(levels: &[String]) -> Option<usize> {
    if levels.len() != 2 {
        return None;
    }
    let l: Vec<String> = levels.iter().map(|s| s.to_ascii_lowercase()).collect();
    let pos = |words: &[&str], s: &str| words.iter().position(|w| *w == s);
    match (pos(&TRUE_WORDS, &l[0]), pos(&FALSE_WORDS, &l[1]), pos(&FALSE_WORDS, &l[0]), pos(&TRUE_WORDS, &l[1])) {
        (Some(a), Some(b), _, _) if a == b => Some(0),
        (_, _, Some(a), Some(b)) if a == b => Some(1),
        _ => None,
    }
}

pub fn profile(col: &Column) -> ColumnProfile {
    let n = col.len();
    let missing = col.missing_count();
    let present = n - missing;
    let mut p = ColumnProfile {
        name: col.name.clone(),
        kind: ColumnKind::Empty,
        missing,
        distinct: 0,
        distinct_more: false,
        min: None,
        mean: None,
        max: None,
        top: vec![],
        histogram: vec![],
        note: None,
    };
    match &col.data {
        ColumnData::Numeric(v) => {
            let stats = numeric_stats(v);
            p.distinct = stats.distinct;
            p.distinct_more = stats.distinct_more;
            if present > 0 {
                p.min = Some(stats.min);
                p.max = Some(stats.max);
                p.mean = Some(stats.sum / present as f64);
                p.histogram = histogram(v, stats.min, stats.max);
            }
            p.kind = if present == 0 {
                ColumnKind::Empty
            } else if p.distinct == 1 {
                ColumnKind::Constant
            } else if p.distinct == 2 && stats.min == 0.0 && stats.max == 1.0 {
                ColumnKind::Boolean
            } else if stats.integral
                && present >= MIN_ROWS_FOR_IDENTIFIER
                && stats.max - stats.min + 1.0 == present as f64
                && all_distinct_integers(v, stats.min, present)
            {
                ColumnKind::Identifier // a row counter such as 1, 2, 3, ...
            } else {
                ColumnKind::Numeric
            };
            if p.kind == ColumnKind::Boolean {
                let ones = v.iter().filter(|&&x| x == 1.0).count();
                p.top = vec![("1".into(), ones), ("0".into(), present - ones)];
            }
        }
        ColumnData::Categorical { codes, levels } => {
            let mut counts = vec![0usize; levels.len()];
            codes.iter().filter(|&&c| c != MISSING_CODE).for_each(|&c| counts[c as usize] += 1);
            p.distinct = counts.iter().filter(|&&c| c > 0).count();
            let mut order: Vec<usize> = (0..levels.len()).filter(|&i| counts[i] > 0).collect();
            sort_indices(&mut order, &|a, b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
            p.top = order.iter().take(6).map(|&i| (levels[i].clone(), counts[i])).collect();
            p.kind = if present == 0 {
                ColumnKind::Empty
            } else if p.distinct == 1 {
                ColumnKind::Constant
            } else if boolean_levels(levels).is_some() {
                ColumnKind::Boolean
            } else if p.distinct == present && present >= MIN_ROWS_FOR_IDENTIFIER {
                ColumnKind::Identifier
            } else if p.distinct > NAME_MIN_VALUES && p.distinct as f64 >= NAME_SHARE * present as f64 {
                ColumnKind::NameLike
            } else {
                ColumnKind::Categorical
            };
        }
    }
    p.note = match p.kind {
        ColumnKind::Empty => Some(format!("column '{}' has no values; it is left out", col.name)),
        ColumnKind::Constant => Some(format!("column '{}' has the same value in every row; it is left out", col.name)),
        ColumnKind::Identifier => {
            Some(format!("column '{}' is different in every row (an identifier); it is left out", col.name))
        }
        ColumnKind::NameLike => Some(format!(
            "column '{}' looks like a name ({} distinct values in {present} rows); left out: bring it back as \
             categories in the table",
            col.name, p.distinct
        )),
        _ => None,
    };
    p
}

/// Distinct values are counted exactly up to this many; past it only "more" is known,
/// which is all that type inference needs and keeps profiling one fast pass.
pub const DISTINCT_CAP: usize = 10_000;

struct NumericStats {
    min: f64,
    max: f64,
    sum: f64,
    integral: bool,
    distinct: usize,
    distinct_more: bool,
}

fn numeric_stats(v: &[f64]) -> NumericStats {
    let mut s = NumericStats {
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
        sum: 0.0,
        integral: true,
        distinct: 0,
        distinct_more: false,
    };
    let mut seen = std::collections::HashSet::new();
    for &x in v.iter().filter(|x| !x.is_nan()) {
        s.min = s.min.min(x);
        s.max = s.max.max(x);
        s.sum += x;
        s.integral &= x.fract() == 0.0;
        if !s.distinct_more {
            seen.insert((x + 0.0).to_bits()); // + 0.0 folds -0.0 into 0.0
            s.distinct_more = seen.len() > DISTINCT_CAP;
        }
    }
    s.distinct = seen.len().min(DISTINCT_CAP);
    s
}

/// Whether `present` whole numbers starting at `min`, spanning exactly `present` values,
/// are all different (a bitmap over the range).
fn all_distinct_integers(v: &[f64], min: f64, present: usize) -> bool {
    let mut hit = vec![false; present];
    for &x in v.iter().filter(|x| !x.is_nan()) {
        let i = (x - min) as usize;
        if hit[i] {
            return false;
        }
        hit[i] = true;
    }
    true
}

fn histogram(values: &[f64], lo: f64, hi: f64) -> Vec<u32> {
    let mut bins = vec![0u32; HISTOGRAM_BINS];
    let width = (hi - lo) / HISTOGRAM_BINS as f64;
    for &v in values.iter().filter(|v| !v.is_nan()) {
        let b = if width > 0.0 { ((v - lo) / width) as usize } else { 0 };
        bins[b.min(HISTOGRAM_BINS - 1)] += 1;
    }
    bins
}

/// Where an image hides in a table's columns: the columns that hold its pixels, in
/// pixel order (row by row), and its `[width, height]`. Read from the names: `pixel0`,
/// `p0`, `px_1`, `0`... numbered in order from 0 or 1 (a square count, as in MNIST's CSVs),
/// or `1x1`..`28x28` (row x column). At least 4x4 pixels; `None` when the names say no image.
pub fn image_columns(names: &[String]) -> Option<(Vec<usize>, [u32; 2])> {
    numbered_pixels(names).or_else(|| grid_pixels(names))
}

/// The number at the end of `pixel12`, `p12`, `px_12` or `12`.
fn pixel_number(name: &str) -> Option<usize> {
    let n = name.trim().to_ascii_lowercase();
    let digits = n.trim_start_matches(|c: char| c.is_ascii_alphabetic()).trim_start_matches('_');
    let prefix = &n[..n.len() - digits.len()];
    let prefix = prefix.trim_end_matches('_');
    let known = ["", "p", "px", "pix", "pixel"].contains(&prefix);
    (known && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

fn numbered_pixels(names: &[String]) -> Option<(Vec<usize>, [u32; 2])> {
    let found: Vec<(usize, usize)> =
        names.iter().enumerate().filter_map(|(i, n)| pixel_number(n).map(|k| (k, i))).collect();
    let first = found.first()?.0;
    if first > 1 || found.iter().enumerate().any(|(j, &(k, _))| k != first + j) {
        return None;
    }
    let side = (found.len() as f64).sqrt().round() as usize;
    (side >= 4 && side * side == found.len()).then(|| (found.iter().map(|p| p.1).collect(), [side as u32; 2]))
}

/// `RxC` names (1-based row and column), every cell of a full grid present once.
fn grid_pixels(names: &[String]) -> Option<(Vec<usize>, [u32; 2])> {
    let cells: Vec<(usize, usize, usize)> = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let (r, c) = n.trim().split_once(['x', 'X'])?;
            Some((r.parse().ok()?, c.parse().ok()?, i))
        })
        .collect();
    let rows = cells.iter().map(|c| c.0).max()?;
    let cols = cells.iter().map(|c| c.1).max()?;
    if rows < 4 || cols < 4 || cells.len() != rows * cols || cells.iter().any(|c| c.0 == 0 || c.1 == 0) {
        return None;
    }
    let mut at = vec![usize::MAX; rows * cols];
    for &(r, c, i) in &cells {
        at[(r - 1) * cols + c - 1] = i;
    }
    (!at.contains(&usize::MAX)).then_some((at, [cols as u32, rows as u32]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::parse;

    fn kinds(csv: &str) -> Vec<ColumnKind> {
        parse(csv).unwrap().columns.iter().map(|c| profile(c).kind).collect()
    }

    #[test]
    fn recognises_each_kind() {
        let mut csv = String::from("id,name,size,flag,answer,same,nothing,colour\n");
        for i in 0..30 {
            let colour = ["red", "green", "blue"][i % 3];
            let answer = if i % 2 == 0 { "Yes" } else { "No" };
            csv += &format!("{},user{i},{}.5,{},{answer},7,NA,{colour}\n", i + 1, i % 4, i % 2);
        }
        use ColumnKind::*;
        assert_eq!(kinds(&csv), vec![Identifier, Identifier, Numeric, Boolean, Boolean, Constant, Empty, Categorical]);
    }

    #[test]
    fn names_are_told_from_categories_by_their_share_of_distinct_values() {
        // 30 names among 40 rows (some repeated), and 25 cities over 200 rows.
        let mut csv = String::from("name,city\n");
        for i in 0..200 {
            csv += &format!("{},town{}\n", if i < 40 { format!("car{}", i % 30) } else { "NA".into() }, i % 25);
        }
        let t = parse(&csv).unwrap();
        let p = profile(&t.columns[0]);
        assert_eq!(p.kind, ColumnKind::NameLike);
        assert!(p.note.unwrap().contains("'name' looks like a name (30 distinct values in 40 rows)"));
        assert_eq!(profile(&t.columns[1]).kind, ColumnKind::Categorical);
    }

    #[test]
    fn statistics_and_histogram() {
        let t = parse("x\n1\n2\n3\nNA\n10\n").unwrap();
        let p = profile(&t.columns[0]);
        assert_eq!((p.missing, p.distinct, p.min, p.max), (1, 4, Some(1.0), Some(10.0)));
        assert_eq!(p.mean, Some(4.0));
        assert_eq!(p.histogram.iter().sum::<u32>(), 4);
        assert_eq!(p.histogram[..2], [1, 1]); // bins 0.75 wide over [1, 10]: 1 -> bin 0, 2 -> bin 1
        assert_eq!(p.histogram[HISTOGRAM_BINS - 1], 1);
    }

    #[test]
    fn yes_no_levels_map_to_true() {
        assert_eq!(boolean_levels(&["No".into(), "yes".into()]), Some(1));
        assert_eq!(boolean_levels(&["t".into(), "f".into()]), Some(0));
        assert_eq!(boolean_levels(&["yes".into(), "f".into()]), None);
        assert_eq!(boolean_levels(&["a".into(), "b".into()]), None);
    }
}
