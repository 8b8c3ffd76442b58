//! `mlplay check`: grade a student's result link against an exercise, natively. The link
//! is re-run exactly as the page ran it; each goal prints PASS or FAIL with the value found.

use clap::Args;
use mlplay::app::exercise::{context, Exercise};
use mlplay::engine::session::Session;
use mlplay::{Error, Result};

use crate::run::{build, RunArgs};

#[derive(Args)]
pub struct CheckArgs {
    /// The exercise file (JSON), e.g. www/exercises/accuracy-trap.json.
    #[arg(long)]
    exercise: String,
    /// The student's result link (or its #hash).
    #[arg(long)]
    link: String,
    /// The CSV the link was made with, when it names an uploaded file.
    #[arg(long)]
    data: Option<String>,
    /// Print one JSON object instead of lines.
    #[arg(long)]
    json: bool,
}

pub fn check(a: CheckArgs) -> Result<()> {
    let text =
        std::fs::read_to_string(&a.exercise).map_err(|e| Error::Data(format!("cannot read {}: {e}", a.exercise)))?;
    let ex = Exercise::from_json(&text)?;
    let (state, dataset, _) = build(&RunArgs::for_link(a.link.clone(), a.data.clone()))?;
    let mut session = Session::new(state, &dataset)?;
    session.run_to_end()?;
    let results = ex.check(&context(&session, session.state()));
    let passed = results.iter().filter(|r| r.passed).count();
    if a.json {
        let v = serde_json::json!({ "exercise": ex.id, "passed": passed == results.len(), "goals": results });
        println!("{}", serde_json::to_string_pretty(&v).expect("results serialise"));
    } else {
        println!("{}: {}", ex.id, ex.title);
        for r in &results {
            let mark = if r.passed { "PASS" } else { "FAIL" };
            let why = if r.detail.is_empty() { String::new() } else { format!(" ({})", r.detail) };
            println!("  {mark}  {}{why}", r.text);
        }
        println!("{passed} of {} goals met", results.len());
    }
    if passed < results.len() {
        std::process::exit(2);
    }
    Ok(())
}
