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
        Command::Serve(args) => cmd::serve(&args),
        Command::Init { dir } => cmd::init(dir),
        Command::Theme(ThemeCommand::Export { dir }) => cmd::theme_export(dir),
        Command::Doc(args) => doc::show(&args),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            // The whole cause chain, on one line: "cannot write `x`: the disk is full (…)".
            eprintln!("error: {}", describe(&error));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes, with the system's words for a failed file
/// operation put plainly, and without their "(os error 17)".
fn describe(error: &anyhow::Error) -> String {
    error
        .chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => plain(io),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

fn plain(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let system = error.to_string();
    let system = match system.rfind(" (os error ") {
        Some(at) => system[..at].to_string(),
        None => system,
    };
    let words = match error.kind() {
        AlreadyExists => "a file of that name is in the way",
        NotADirectory => "part of that path is a file, not a folder",
        NotFound => "there is no such file or folder",
        PermissionDenied => {
            "you are not allowed to write or read there; choose another folder, or ask for access"
        }
        StorageFull => "the disk is full; free some space and try again",
        ReadOnlyFilesystem => "the disk is read-only; choose another folder",
        _ => return system,
    };
    format!("{words} ({system})")
}
