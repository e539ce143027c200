//! Command-line arguments: what the user typed, kept apart from the options
//! the library runs on.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turns training modules written in Markdown into a training pack: a
/// trainer's website, slide decks, handouts, quizzes and answer keys.
#[derive(Debug, Parser)]
#[command(name = "trainpack", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a pack and report every problem, without writing anything.
    Check(PackArgs),
    /// Create a new pack with an example module, handout and quiz.
    Init {
        /// Where to create it (default: the current folder).
        dir: Option<PathBuf>,
    },
}

/// Arguments shared by the commands that read a pack.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// The pack's folder, holding `book.toml` (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Include modules marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

impl PackArgs {
    /// The pack folder, defaulting to the current one.
    pub fn root(&self) -> PathBuf {
        self.dir.clone().unwrap_or_else(|| PathBuf::from("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
