//! The `trainpack` command: parses arguments, runs the subcommand, and maps
//! the outcome to an exit code in one place.

mod cli;
mod cmd;
mod doc;

use std::process::ExitCode;

// A build allocates and frees millions of small strings from two threads;
// mimalloc spends less time in them than the system allocator and returns
// freed memory sooner (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use cli::{Cli, Command, ThemeCommand};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Build(args) => cmd::build(&args),
        Command::Check(args) => cmd::check(&args),
        Command::Pdf(args) => cmd::pdf(&args),
        Command::Print(args) => cmd::print(&args),
        Command::Bundle(args) => cmd::bundle(&args),
        Command::Serve(args) => cmd::serve(&args),
        Command::Init { dir } => cmd::init(dir),
        Command::Theme(ThemeCommand::Export { dir }) => cmd::theme_export(dir),
        Command::Doc(args) => doc::show(&args),
        Command::Translations(args) => cmd::translations(&args),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            // The whole cause chain, on one line: "cannot write `x`: the disk is full (…)".
            eprintln!("error: {}", trainpack::output::describe(&error));
            ExitCode::FAILURE
        }
    }
}
