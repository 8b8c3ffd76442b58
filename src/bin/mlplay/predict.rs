//! `mlplay predict`: apply a model file to the rows of a CSV file.

use clap::Args;
use mlplay::app::model_file::{self, predict::Output};
use mlplay::{Error, Result};
use serde_json::json;

use crate::run::read_table;

#[derive(Args)]
pub struct PredictArgs {
    /// A model file written by `mlplay run --save-model` (or saved from the page).
    #[arg(long, value_name = "FILE")]
    model: String,
    /// A CSV file with the model's feature columns (the target column may be absent).
    #[arg(long, value_name = "FILE")]
    data: String,
    /// Write the predictions here as CSV (default: standard output, unless the data has
    /// the target, when only the metrics are printed).
    #[arg(long, value_name = "FILE")]
    out: Option<String>,
    /// Print one JSON object: model, rows, metrics and (without --out) predictions.
    #[arg(long)]
    json: bool,
}

pub fn predict(a: PredictArgs) -> Result<()> {
    let size = std::fs::metadata(&a.model).map_err(|e| Error::Io(format!("cannot read {}: {e}", a.model)))?.len();
    if size > model_file::MAX_BYTES as u64 {
        return Err(Error::model_file(
            "file",
            format!("{size} bytes is larger than the {} MB a model file may have", model_file::MAX_BYTES >> 20),
        ));
    }
    let text = std::fs::read_to_string(&a.model).map_err(|e| Error::Io(format!("cannot read {}: {e}", a.model)))?;
    let loaded = model_file::load(&text)?;
    let table = read_table(&a.data)?;
    let p = loaded.predict_table(&table)?;
    let csv = loaded.predictions_csv(&p);
    if let Some(out) = &a.out {
        std::fs::write(out, &csv).map_err(|e| Error::Io(format!("cannot write {out}: {e}")))?;
    }
    let kind = loaded.file.state.model.kind();
    if a.json {
        let mut v = json!({ "model": kind, "rows": table.n_rows(), "notes": p.notes });
        if let Some(m) = &p.metrics {
            v["metrics"] = json!(m);
            v["scored_rows"] = json!(p.scored_rows);
        }
        if a.out.is_none() {
            v["predictions"] = match &p.output {
                Output::Proba(pr) => json!({
                    "classes": loaded.file.target.classes,
                    "proba": pr.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
                }),
                Output::Values(v) => json!(v),
                Output::Clusters(c) => json!(c),
                Output::Coordinates(x) => json!(x.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>()),
            };
        }
        println!("{}", serde_json::to_string_pretty(&v).expect("predictions serialise"));
        return Ok(());
    }
    match &p.metrics {
        Some(m) => {
            println!("model    {kind} on {} ({} rows, {} with a known target)", a.data, table.n_rows(), p.scored_rows);
            for (name, v) in m {
                println!("{name:<20}{v:>12.4}");
            }
        }
        None if a.out.is_none() => print!("{csv}"),
        None => {}
    }
    for n in &p.notes {
        eprintln!("note     {n}");
    }
    if let Some(out) = &a.out {
        eprintln!("wrote    {} predictions to {out}", table.n_rows());
    }
    Ok(())
}
