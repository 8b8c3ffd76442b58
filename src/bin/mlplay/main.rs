//! The mlplay command line: reproduce and script experiments natively with the same
//! engine as the page, and serve the static site.

mod run;
mod serve;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "mlplay", version, about = "A machine-learning playground: the command-line side")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train and evaluate a model, from options or from a share link.
    Run(run::RunArgs),
    /// Serve a folder (the built site) over HTTP on this machine.
    Serve(serve::ServeArgs),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => run::run(a),
        Command::Serve(a) => serve::serve(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
