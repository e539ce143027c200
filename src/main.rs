//! The `trainpack` command: parses arguments, calls the library, prints
//! diagnostics and sets the exit code, all in one place.

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command};
use trainpack::diag;
use trainpack::pack::LoadOptions;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => {
            let options = LoadOptions {
                drafts: args.drafts,
            };
            let report = trainpack::check(&args.root(), &options);
            print_diagnostics(&report.diagnostics, &report.sources);
            if report.has_errors() {
                return Ok(ExitCode::FAILURE);
            }
            if let Some(summary) = &report.summary {
                let warnings = report.diagnostics.len();
                let verdict = match warnings {
                    0 => "no problems found".to_string(),
                    1 => "1 warning".to_string(),
                    n => format!("{n} warnings"),
                };
                println!("{summary}\ncheck: {verdict}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            let dir = dir.unwrap_or_else(|| ".".into());
            let files = trainpack::init::init(&dir)?;
            println!("created a new pack in `{}`:", dir.display());
            for file in files {
                println!("  {file}");
            }
            println!("next: `trainpack check {}`", dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints diagnostics to stderr, with colour on a terminal, and a count.
fn print_diagnostics(diagnostics: &[diag::Diagnostic], sources: &diag::Sources) {
    if diagnostics.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diag::render(diagnostics, sources, color));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 {
        let mut line = count(errors, "error", "errors");
        if warnings > 0 {
            line.push_str(&format!(" and {}", count(warnings, "warning", "warnings")));
        }
        eprintln!("{line}");
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
