//! The CSV dialect mlplay reads: which delimiter, which spellings mean "missing", whether
//! the first row is a header. Typing the columns is the loader's job (`loader.rs`):
//! numeric when every present value parses as a number, categorical otherwise.

use super::loader::CsvLoader;
use super::table::Table;
use crate::base::error::Result;

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Spellings of a missing value, compared case-insensitively after trimming.
const MISSING: [&str; 7] = ["", "na", "n/a", "nan", "null", "?", "-"];

pub fn is_missing(field: &str) -> bool {
    let f = field.trim();
    MISSING.iter().any(|m| f.eq_ignore_ascii_case(m))
}

pub(crate) fn parse_number(field: &str) -> Option<f64> {
    let v: f64 = field.trim().parse().ok()?;
    v.is_finite().then_some(v)
}

/// The delimiter that splits the first records into the most fields, the same number in
/// each (quoted fields are respected, so a `;` inside quotes does not count).
pub fn sniff_delimiter(text: &str) -> u8 {
    let head = &text[..floor_char_boundary(text, 64 * 1024)];
    let mut best = (b',', 1usize);
    for &d in &DELIMITERS {
        let mut reader =
            ::csv::ReaderBuilder::new().delimiter(d).has_headers(false).flexible(true).from_reader(head.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .map_while(|r| r.ok())
            .filter(|r| !r.iter().all(|f| f.trim().is_empty()))
            .take(20)
            .map(|r| r.len())
            .collect();
        // The last sampled record may be cut off by the 64 KiB window; ignore it.
        let sample = if counts.len() > 2 { &counts[..counts.len() - 1] } else { &counts[..] };
        let Some(&first) = sample.first() else { continue };
        if sample.iter().all(|&c| c == first) && first > best.1 {
            best = (d, first);
        }
    }
    best.0
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    (0..=max).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

/// Parse a whole CSV text (the streaming loader fed in one piece).
pub fn parse(text: &str) -> Result<Table> {
    let mut loader = CsvLoader::new();
    loader.push(text.as_bytes())?;
    loader.finish()
}

pub(crate) fn header_name(raw: &str, j: usize) -> String {
    let n = raw.trim();
    if n.is_empty() {
        format!("column_{}", j + 1)
    } else {
        n.to_string()
    }
}

pub(crate) fn looks_like_header(rows: &[Vec<String>]) -> bool {
    let first = &rows[0];
    let numeric_below = |j: usize| rows[1..].iter().all(|r| is_missing(&r[j]) || parse_number(&r[j]).is_some());
    let first_is_text = |j: usize| !is_missing(&first[j]) && parse_number(&first[j]).is_none();
    let any_numeric_col = (0..first.len()).any(numeric_below);
    (0..first.len()).any(|j| first_is_text(j) && numeric_below(j))
        || (!any_numeric_col && (0..first.len()).all(first_is_text) && distinct_from_body(rows))
}

/// For all-text tables: the first row is a header when none of its values reappear below.
fn distinct_from_body(rows: &[Vec<String>]) -> bool {
    rows[0].iter().enumerate().all(|(j, h)| rows[1..].iter().all(|r| r[j] != *h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::error::Error;
    use crate::data::table::ColumnData;

    #[test]
    fn parses_header_types_and_missing() {
        let t = parse("a,b,c\n1,x,NA\n2.5,y,3\n\n").unwrap();
        assert_eq!(t.names(), vec!["a", "b", "c"]);
        assert_eq!(t.n_rows(), 2);
        assert_eq!(t.columns[0].data, ColumnData::Numeric(vec![1.0, 2.5]));
        assert!(matches!(&t.columns[1].data, ColumnData::Categorical { levels, .. } if levels == &["x", "y"]));
        assert_eq!(t.columns[2].missing_count(), 1);
    }

    #[test]
    fn sniffs_semicolons_and_handles_bom_crlf_quotes() {
        let t = parse("\u{feff}x;name\r\n1;\"a;b\"\r\n2;c\r\n").unwrap();
        assert_eq!(t.names(), vec!["x", "name"]);
        assert!(matches!(&t.columns[1].data, ColumnData::Categorical { levels, .. } if levels[0] == "a;b"));
    }

    #[test]
    fn sniffs_tabs_and_pipes() {
        let t = parse("a\tb\n1\t2\n3\t4\n").unwrap();
        assert_eq!(t.names(), vec!["a", "b"]);
        let t = parse("a|b|c\n1|2|x,y\n3|4|z\n").unwrap();
        assert_eq!(t.names(), vec!["a", "b", "c"]);
        assert_eq!(t.n_rows(), 2);
    }

    #[test]
    fn no_header_gets_generated_names() {
        let t = parse("1,2\n3,4\n").unwrap();
        assert_eq!(t.names(), vec!["column_1", "column_2"]);
        assert_eq!(t.n_rows(), 2);
    }

    #[test]
    fn ragged_rows_name_the_row() {
        let e = parse("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(e, Error::Csv { row: 3, message: "it has 1 fields but the first row has 2".into() });
    }

    #[test]
    fn empty_and_header_only_are_errors() {
        assert!(matches!(parse("  \n"), Err(Error::Csv { row: 1, .. })));
        assert!(parse("a,b\n").is_err());
    }
}
