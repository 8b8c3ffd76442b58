//! `mlplay export`: a share link's experiment as scikit-learn, notebook or Spark code.

use std::path::Path;

use clap::Args;
use mlplay::app::export::{export as export_code, ExportTarget};
use mlplay::data::builtin;
use mlplay::data::loader::CsvLoader;
use mlplay::data::table::{ColumnData, Table, MISSING_CODE};
use mlplay::state::link;
use mlplay::{Error, Result};

#[derive(Args)]
pub struct ExportArgs {
    /// The share link (or just its #hash) of the experiment.
    #[arg(long)]
    link: String,
    /// sklearn (a Python script), notebook (Jupyter, .ipynb) or spark (PySpark with MLlib).
    #[arg(long, value_name = "sklearn|notebook|spark")]
    to: String,
    /// The CSV the link was made with, when it was the user's own file (not a built-in set).
    #[arg(long)]
    data: Option<String>,
    /// Write the code to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<String>,
    /// Also write the rows the experiment uses as CSV (for generated sets such as moons,
    /// whose rows the exported code cannot make itself).
    #[arg(long, value_name = "FILE")]
    data_out: Option<String>,
}

pub fn export(a: ExportArgs) -> Result<()> {
    let target = ExportTarget::parse(&a.to)?;
    let mut state = link::decode(&a.link)?;
    let (name, table) = match a.data.as_deref() {
        Some(path) => {
            let name = Path::new(path).file_name().map_or(path.to_string(), |n| n.to_string_lossy().into_owned());
            state.dataset.id = format!("file:{name}");
            (name, read_table(path)?)
        }
        None if state.dataset.id.starts_with("file:") => {
            return Err(Error::Data(format!(
                "this link was made with the file '{}'; pass it with --data",
                &state.dataset.id["file:".len()..]
            )))
        }
        None => (state.dataset.id.clone(), builtin::load_table(&state.dataset, None, state.seed)?),
    };
    let dataset = mlplay::app::workspace::dataset(&table, &name, &state)?;
    let code = export_code(&state, &dataset, target)?;
    if let Some(path) = &a.data_out {
        write(path, &to_csv(&table)?)?;
        eprintln!("wrote {} rows to {path}", table.n_rows());
    }
    match &a.out {
        Some(path) => {
            write(path, &code.text)?;
            eprintln!("wrote {path} (suggested name: {})", code.file_name);
        }
        None => print!("{}", code.text),
    }
    Ok(())
}

fn write(path: &str, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::Io(format!("cannot write {path}: {e}")))
}

/// Read a CSV file through the same streaming loader the page uses.
fn read_table(path: &str) -> Result<Table> {
    let bytes = std::fs::read(path).map_err(|e| Error::Io(format!("cannot read {path}: {e}")))?;
    let mut loader = CsvLoader::new().with_size_hint(bytes.len());
    let table = loader.push(&bytes).and_then(|_| loader.finish());
    table.map_err(|e| Error::Data(format!("{path}: {e}")))
}

/// The table as CSV, missing cells empty; numbers in their shortest exact form.
fn to_csv(table: &Table) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Io(format!("cannot write the CSV: {e}"));
    w.write_record(table.columns.iter().map(|c| c.name.as_str())).map_err(fail)?;
    for r in 0..table.n_rows() {
        let row = table.columns.iter().map(|c| match &c.data {
            ColumnData::Numeric(v) if v[r].is_nan() => String::new(),
            ColumnData::Numeric(v) => format!("{}", v[r]),
            ColumnData::Categorical { codes, .. } if codes[r] == MISSING_CODE => String::new(),
            ColumnData::Categorical { codes, levels } => levels[codes[r] as usize].clone(),
        });
        w.write_record(row).map_err(fail)?;
    }
    String::from_utf8(w.into_inner().map_err(|e| Error::Io(e.to_string()))?).map_err(|e| Error::Io(e.to_string()))
}
