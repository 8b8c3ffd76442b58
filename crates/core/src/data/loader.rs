//! Streaming CSV -> `Table`: bytes arrive in chunks (the worker reads a file piece by piece
//! so it can report progress and be cancelled), records are typed column by column as
//! they come, and nothing holds the whole file as strings.

use std::collections::HashMap;

use super::csv::{header_name, is_missing, looks_like_header, parse_number, sniff_delimiter};
use super::table::{Column, ColumnData, Table, MISSING_CODE};
use crate::base::error::{Error, Result};

/// Bytes looked at before choosing the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
/// Records looked at before deciding whether the first one is a header.
const HEAD_RECORDS: usize = 50;
pub const MAX_COLUMNS: usize = 10_000;
/// The largest file accepted; wasm memory is 4 GiB at most and the tab needs room to work.
pub const MAX_BYTES: usize = 512 << 20;

enum ColumnBuilder {
    Numeric(Vec<f64>),
    Categorical { codes: Vec<u32>, levels: Vec<String>, index: HashMap<String, u32> },
}

impl ColumnBuilder {
    /// Add a field; true when it was an infinite number ("inf", "1e999"), kept as missing.
    fn push(&mut self, field: &str) -> bool {
        if let ColumnBuilder::Numeric(v) = self {
            // Numbers first: they are the common case, and the missing check is slower.
            if let Some(x) = parse_number(field) {
                v.push(x);
                return false;
            }
            if is_missing(field) {
                v.push(f64::NAN);
                return false;
            }
            if field.trim().parse::<f64>().is_ok_and(f64::is_infinite) {
                v.push(f64::NAN);
                return true;
            }
            // The first text value: the column so far becomes categorical.
            let mut cat = ColumnBuilder::Categorical { codes: vec![], levels: vec![], index: HashMap::new() };
            for x in v.iter() {
                cat.push(&if x.is_nan() { String::new() } else { format!("{x}") });
            }
            *self = cat;
        }
        if let ColumnBuilder::Categorical { codes, levels, index } = self {
            if is_missing(field) {
                codes.push(MISSING_CODE);
                return false;
            }
            let f = field.trim();
            let code = match index.get(f) {
                Some(&c) => c,
                None => {
                    levels.push(f.to_string());
                    index.insert(f.to_string(), (levels.len() - 1) as u32);
                    (levels.len() - 1) as u32
                }
            };
            codes.push(code);
        }
        false
    }

    fn finish(self) -> ColumnData {
        match self {
            ColumnBuilder::Numeric(v) => ColumnData::Numeric(v),
            ColumnBuilder::Categorical { codes, levels, .. } => ColumnData::Categorical { codes, levels },
        }
    }
}

pub struct CsvLoader {
    core: Option<csv_core::Reader>,
    pending: Vec<u8>,
    out: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    end_len: usize,
    /// Records number, counting the header, for messages ("row 12").
    row: usize,
    bytes: usize,
    head: Vec<Vec<String>>,
    names: Option<Vec<String>>,
    columns: Vec<ColumnBuilder>,
    /// Infinite numbers read as missing, per column.
    infinite: Vec<usize>,
    max_bytes: usize,
    /// The whole input's size when known, to reserve column storage once.
    size_hint: usize,
}

impl Default for CsvLoader {
    fn default() -> Self {
        CsvLoader::new()
    }
}

impl CsvLoader {
    pub fn new() -> CsvLoader {
        CsvLoader {
            core: None,
            pending: Vec::new(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            out_len: 0,
            end_len: 0,
            row: 0,
            bytes: 0,
            head: Vec::new(),
            names: None,
            columns: Vec::new(),
            infinite: Vec::new(),
            max_bytes: MAX_BYTES,
            size_hint: 0,
        }
    }

    /// Tell the loader how many bytes will come, so columns are allocated once at about
    /// the right size instead of doubling (which briefly needs old and new copies).
    pub fn with_size_hint(mut self, total_bytes: usize) -> CsvLoader {
        self.size_hint = total_bytes;
        self
    }

    /// A loader that refuses input past `max_bytes` (the default is `MAX_BYTES`).
    pub fn with_limit(max_bytes: usize) -> CsvLoader {
        CsvLoader { max_bytes, ..CsvLoader::new() }
    }

    /// Bytes consumed so far.
    pub fn bytes_read(&self) -> usize {
        self.bytes
    }

    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.bytes += chunk.len();
        if self.bytes > self.max_bytes {
            return Err(Error::Data(format!(
                "the file is larger than {:.1} MB, the most this page can hold",
                self.max_bytes as f64 / (1 << 20) as f64
            )));
        }
        if self.core.is_none() {
            self.pending.extend_from_slice(chunk);
            if self.pending.len() < SNIFF_BYTES {
                return Ok(());
            }
            let pending = std::mem::take(&mut self.pending);
            self.start(&pending);
            return self.feed(&pending);
        }
        self.feed(chunk)
    }

    pub fn finish(mut self) -> Result<Table> {
        if self.core.is_none() {
            let pending = std::mem::take(&mut self.pending);
            self.start(&pending);
            self.feed(&pending)?;
        }
        self.feed(&[])?; // an empty input tells csv-core the data has ended
        if self.names.is_none() {
            self.decide_header()?;
        }
        let names = self.names.take().unwrap_or_default();
        if self.row == 0 {
            return Err(Error::Csv { row: 1, message: "the file is empty".into() });
        }
        let notes = names
            .iter()
            .zip(&self.infinite)
            .filter(|(_, &n)| n > 0)
            .map(|(name, n)| format!("column '{name}' holds {n} infinite numbers (such as inf or 1e999); they are treated as missing values"))
            .collect();
        let columns: Vec<Column> =
            names.into_iter().zip(self.columns).map(|(name, b)| Column { name, data: b.finish() }).collect();
        if columns.first().is_none_or(|c| c.is_empty()) {
            return Err(Error::Csv { row: 2, message: "there is a header but no data rows".into() });
        }
        Ok(Table { columns, notes })
    }

    fn start(&mut self, sample: &[u8]) {
        let text = String::from_utf8_lossy(&sample[..sample.len().min(SNIFF_BYTES)]);
        let delimiter = sniff_delimiter(&text);
        self.core = Some(csv_core::ReaderBuilder::new().delimiter(delimiter).build());
    }

    fn feed(&mut self, mut input: &[u8]) -> Result<()> {
        use csv_core::ReadRecordResult::*;
        let at_end = input.is_empty();
        loop {
            let core = self.core.as_mut().expect("started");
            let (res, nin, nout, nend) =
                core.read_record(input, &mut self.out[self.out_len..], &mut self.ends[self.end_len..]);
            input = &input[nin..];
            self.out_len += nout;
            self.end_len += nend;
            match res {
                InputEmpty if !at_end => return Ok(()),
                InputEmpty => continue,
                OutputFull => self.out.resize(self.out.len() * 2, 0),
                OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                Record => {
                    self.record()?;
                    self.out_len = 0;
                    self.end_len = 0;
                }
                End => return Ok(()),
            }
        }
    }

    /// One whole record sits in `out[..out_len]`, its field ends in `ends[..end_len]`.
    fn record(&mut self) -> Result<()> {
        let (out, ends) = (&self.out[..self.out_len], &self.ends[..self.end_len]);
        if out.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(()); // blank lines, e.g. trailing ones
        }
        self.row += 1;
        let row = self.row;
        let mut fields = Vec::with_capacity(ends.len());
        let mut start = 0;
        for &end in ends {
            let f = std::str::from_utf8(&out[start..end]).map_err(|_| Error::Csv {
                row,
                message: "it is not valid UTF-8 text (save the file as UTF-8 and try again)".into(),
            })?;
            fields.push(f);
            start = end;
        }
        if self.row == 1 && fields.len() > MAX_COLUMNS {
            return Err(Error::Csv {
                row,
                message: format!("it has {} columns; mlplay handles at most {MAX_COLUMNS}", fields.len()),
            });
        }
        let width = self.names.as_ref().map(Vec::len).or(self.head.first().map(Vec::len)).unwrap_or(fields.len());
        if fields.len() != width {
            return Err(Error::Csv {
                row,
                message: format!("it has {} fields but the first row has {width}", fields.len()),
            });
        }
        if self.names.is_none() {
            self.head.push(fields.iter().map(|f| f.to_string()).collect());
            if self.head.len() >= HEAD_RECORDS {
                self.decide_header()?;
            }
            return Ok(());
        }
        for ((b, f), inf) in self.columns.iter_mut().zip(&fields).zip(&mut self.infinite) {
            *inf += b.push(f) as usize;
        }
        Ok(())
    }

    fn decide_header(&mut self) -> Result<()> {
        let head = std::mem::take(&mut self.head);
        let Some(first) = head.first() else { return Ok(()) };
        let width = first.len();
        if head.len() == 1 && first.iter().all(|f| parse_number(f).is_none()) {
            return Err(Error::Csv { row: 2, message: "there is a header but no data rows".into() });
        }
        let has_header = head.len() > 1 && looks_like_header(&head);
        let (names, body) = if has_header {
            (first.iter().enumerate().map(|(j, n)| header_name(n, j)).collect(), &head[1..])
        } else {
            ((0..width).map(|j| format!("column_{}", j + 1)).collect(), &head[..])
        };
        self.names = Some(dedupe(names));
        let capacity = self.estimated_rows(&head);
        // A file whose table (and the copies a session makes of it) would not fit in memory
        // is refused now, after its first records, not once the tab has run out.
        let rows = capacity as u64 * 100 / 105;
        let need = crate::base::memory::data_bytes(rows, width as u64, width as u64);
        crate::base::memory::check(
            &format!("this file (about {rows} rows x {width} columns)"),
            need,
            crate::base::memory::LIMIT_BYTES,
        )?;
        self.columns = (0..width).map(|_| ColumnBuilder::Numeric(Vec::with_capacity(capacity))).collect();
        self.infinite = vec![0; width];
        for r in body {
            for ((b, f), inf) in self.columns.iter_mut().zip(r).zip(&mut self.infinite) {
                *inf += b.push(f) as usize;
            }
        }
        Ok(())
    }
}

impl CsvLoader {
    /// Rows expected from the size hint and the average size of the first records,
    /// with 5% to spare.
    fn estimated_rows(&self, head: &[Vec<String>]) -> usize {
        if self.size_hint == 0 || head.is_empty() {
            return 0;
        }
        let per_row: usize =
            head.iter().map(|r| r.iter().map(|f| f.len() + 1).sum::<usize>()).sum::<usize>() / head.len();
        // In u64: on wasm32 a 512 MB file of short rows would overflow usize here.
        ((self.size_hint / per_row.max(1)) as u64 * 105 / 100) as usize
    }
}

/// Repeated column names get a suffix, so every column can be chosen by name.
fn dedupe(names: Vec<String>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    names
        .into_iter()
        .map(|n| {
            let k = seen.entry(n.clone()).or_insert(0);
            *k += 1;
            if *k == 1 {
                n
            } else {
                format!("{n}_{k}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunking_does_not_change_the_result() {
        let mut text = String::from("a,\"b, quoted\",c\r\n");
        for i in 0..300 {
            text +=
                &format!("{i},\"x\ny{}\",{}\r\n", i % 3, if i % 7 == 0 { "NA".into() } else { format!("{}.25", i) });
        }
        let whole = super::super::csv::parse(&text).unwrap();
        for size in [1, 7, 64, 1000] {
            let mut l = CsvLoader::new();
            for chunk in text.as_bytes().chunks(size) {
                l.push(chunk).unwrap();
            }
            // Debug text, since NaN != NaN would fail a plain comparison.
            assert!(format!("{:?}", l.finish().unwrap()) == format!("{whole:?}"), "chunk size {size}");
        }
        assert_eq!(whole.names(), vec!["a", "b, quoted", "c"]);
        assert_eq!(whole.n_rows(), 300);
    }

    #[test]
    fn a_late_text_value_turns_the_column_categorical() {
        let mut text = String::from("x,y\n");
        for i in 0..100 {
            text += &format!("{},{}\n", if i == 80 { "oops".to_string() } else { i.to_string() }, i % 2);
        }
        let t = super::super::csv::parse(&text).unwrap();
        let ColumnData::Categorical { levels, codes } = &t.columns[0].data else { panic!("not categorical") };
        assert_eq!(levels[3], "3");
        assert_eq!(levels[codes[80] as usize], "oops");
    }

    #[test]
    fn invalid_utf8_and_too_many_columns_name_the_row() {
        let mut l = CsvLoader::new();
        l.push(b"a,b\n1,2\n3,\xff\xfe\n").unwrap();
        assert_eq!(
            l.finish().unwrap_err(),
            Error::Csv { row: 3, message: "it is not valid UTF-8 text (save the file as UTF-8 and try again)".into() }
        );
        let wide = (0..50_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\n";
        let e = super::super::csv::parse(&(wide.clone() + &wide)).unwrap_err();
        assert!(e.to_string().contains("50000 columns"), "{e}");
    }

    #[test]
    fn input_past_the_budget_is_refused_with_the_limit() {
        let mut l = CsvLoader::with_limit(1 << 20);
        let row = "1,2,3,4,5,6,7,8\n".repeat(1000);
        let e = (0..100).map(|_| l.push(row.as_bytes())).find(|r| r.is_err()).expect("refused").unwrap_err();
        assert!(e.to_string().contains("larger than 1.0 MB"), "{e}");
    }

    #[test]
    fn duplicate_names_get_suffixes() {
        let t = super::super::csv::parse("a,a,b\n1,2,3\n4,5,6\n").unwrap();
        assert_eq!(t.names(), vec!["a", "a_2", "b"]);
    }
}
