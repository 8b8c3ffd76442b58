//! The mlplay command line: reproduce and script experiments natively with the same
//! engine as the page, and serve the static site.

// The CLI is native only. Cargo also builds binaries when it runs an integration test for
// wasm32 (tests/web.rs), so there the binary is an empty stub.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod check;
#[cfg(not(target_arch = "wasm32"))]
mod export;
#[cfg(not(target_arch = "wasm32"))]
mod predict;
#[cfg(not(target_arch = "wasm32"))]
mod run;
#[cfg(not(target_arch = "wasm32"))]
mod serve;

#[cfg(not(target_arch = "wasm32"))]
use clap::{Parser, Subcommand};

#[cfg(not(target_arch = "wasm32"))]
#[derive(Parser)]
#[command(name = "mlplay", version, about = "A machine-learning playground: the command-line side")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Subcommand)]
// Parsed once per process: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
enum Command {
    /// Train and evaluate a model, from options or from a share link.
    Run(run::RunArgs),
    /// Serve a folder (the built site) over HTTP on this machine.
    Serve(serve::ServeArgs),
    /// Re-run a student's link and check it against an exercise's goals (exit 0: all pass).
    Check(check::CheckArgs),
    /// Write a share link's experiment as scikit-learn, notebook or Spark MLlib code.
    Export(export::ExportArgs),
    /// Apply a saved model (`run --save-model`) to new rows; metrics too when they have the target.
    Predict(predict::PredictArgs),
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => run::run(a),
        Command::Serve(a) => serve::serve(a),
        Command::Check(a) => check::check(a),
        Command::Export(a) => export::export(a),
        Command::Predict(a) => predict::predict(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
