//! Which column of a file, if any, clearly is a label: what a clustering or projection with
//! no target chosen colours its plot by (and keeps out of its features). Anything else
//! would silently drop a real feature, as taking the last column always did (PCA on a
//! 13-column features-only wine file fitted 12 columns).

use super::infer::{profile, ColumnKind};
use super::table::{ColumnData, Table};

/// A label has few classes: at most as many as a whole-number target read as classes.
const MAX_LABEL_CLASSES: usize = 20;

/// Names that say "this is the answer" (compared lower-case, ignoring `_`, `-`, spaces).
const LABEL_NAMES: [&str; 14] = [
    "label",
    "labels",
    "class",
    "classes",
    "target",
    "y",
    "species",
    "category",
    "cluster",
    "group",
    "outcome",
    "diagnosis",
    "cultivar",
    "digit",
];

/// The last column when it clearly is a label: text (or yes/no) with 2..=20 values, or
/// whole numbers with 2..=20 values under a label's name (`class`, `species`...). Numbers
/// under other names (`cylinders`, `year`) are features: a count is not a label.
pub fn label_column(table: &Table) -> Option<usize> {
    let j = table.columns.len().checked_sub(1)?;
    let col = &table.columns[j];
    let p = profile(col);
    if !(2..=MAX_LABEL_CLASSES).contains(&p.distinct) || p.distinct_more {
        return None;
    }
    let name: String = col.name.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    let named = LABEL_NAMES.contains(&name.as_str()) || name.starts_with("is");
    let text = matches!(col.data, ColumnData::Categorical { .. });
    let whole = match &col.data {
        ColumnData::Numeric(v) => v.iter().all(|x| x.is_nan() || x.fract() == 0.0),
        ColumnData::Categorical { .. } => false,
    };
    let is_label = match p.kind {
        ColumnKind::Categorical | ColumnKind::Boolean if text => true,
        ColumnKind::Numeric | ColumnKind::Boolean => whole && named,
        _ => false,
    };
    is_label.then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::csv::parse;

    fn label(csv: &str) -> Option<String> {
        let t = parse(csv).unwrap();
        label_column(&t).map(|j| t.columns[j].name.clone())
    }

    #[test]
    fn text_or_named_classes_are_labels_and_measurements_are_not() {
        let rows = |f: &dyn Fn(usize) -> String| (0..40).map(f).collect::<String>();
        assert_eq!(label(&format!("a,b\n{}", rows(&|i| format!("{i}.5,{}\n", ["x", "y"][i % 2])))), Some("b".into()));
        assert_eq!(label(&format!("a,class\n{}", rows(&|i| format!("{i}.5,{}\n", i % 3)))), Some("class".into()));
        assert_eq!(label(&format!("a,cylinders\n{}", rows(&|i| format!("{i}.5,{}\n", 4 + i % 3)))), None);
        // moons without its label: x, y coordinates, y has a label's name but is a measurement.
        assert_eq!(label(&format!("x,y\n{}", rows(&|i| format!("{i}.5,{}.25\n", i)))), None);
        assert_eq!(label(&format!("a,b\n{}", rows(&|i| format!("{i}.5,{}.5\n", i % 3)))), None);
    }
}
