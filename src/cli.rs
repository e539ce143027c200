//! Command-line arguments: what the user typed, kept apart from the options
//! the library runs on.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::doc::Topic;

/// The version of Typst that trainpack embeds, for `--version`. A macro,
/// so that `concat!` can use it; the unit test
/// `typst_version_is_the_one_cargo_builds` keeps it equal to the `typst`
/// pin in Cargo.toml and to the version in Cargo.lock.
macro_rules! typst_version {
    () => {
        "0.15.1"
    };
}

/// What `trainpack --version` prints after the name: trainpack's version
/// and the Typst version that typesets its PDFs, which decides how they look.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (typst ", typst_version!(), ")");

/// Turns training modules written in Markdown into a training pack: a
/// trainer's website, slide decks, handouts, quizzes and answer keys.
#[derive(Debug, Parser)]
#[command(name = "trainpack", version = VERSION, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site (and PDFs) of a pack into its output folder.
    Build(BuildArgs),
    /// Check a pack and report every problem, without writing anything.
    Check(PackArgs),
    /// Write the PDFs alone (handouts, quizzes, answer keys, slide decks) into `pdf/`.
    Pdf(OutputArgs),
    /// Make one print-ready PDF for a class: every handout and quiz once per
    /// participant, group handouts once per group, the trainer's copies last.
    Print(PrintArgs),
    /// Build the site and zip it with its PDFs, for a USB stick or a room
    /// with no network: it opens at `index.html`, and a README.txt says how.
    Bundle(BundleArgs),
    /// Serve the site on this computer and rebuild it on every save.
    Serve(ServeArgs),
    /// Create a new pack with an example module, handout and quiz.
    Init {
        /// Where to create it (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Work with themes.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Show the guide to the source format, offline (`trainpack doc blocks`).
    Doc(DocArgs),
    /// List every translation's state against its original, or record one
    /// up to date (`--mark fr/04-coordination`).
    Translations(TranslationsArgs),
}

/// Arguments of `translations`.
#[derive(Debug, Args)]
pub struct TranslationsArgs {
    #[command(flatten)]
    pub pack: PackArgs,
    /// Record the translation `<language>/<module>` up to date with its original.
    #[arg(long, value_name = "LANG/MODULE")]
    pub mark: Option<String>,
}

/// Arguments of `doc`.
#[derive(Debug, Args)]
pub struct DocArgs {
    /// The part of the guide to show (default: the list of parts).
    pub topic: Option<Topic>,
    /// Open it in the web browser instead, as a page written to a temporary file.
    #[arg(long)]
    pub open: bool,
}

/// `trainpack theme ...`.
#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Write the default theme into a folder, to start a theme of your own.
    Export {
        /// Where to write it (default: `themes/default-export` in the current folder).
        dir: Option<PathBuf>,
    },
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The pack, the output folder and how much to say.
    #[command(flatten)]
    pub common: OutputArgs,
    /// Write the web pages only, without typesetting the PDFs.
    #[arg(long)]
    pub no_pdf: bool,
    /// Leave out the PowerPoint decks and Word handouts (`.pptx`, `.docx`).
    #[arg(long)]
    pub no_office: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    pub timings: bool,
}

/// Arguments of `print`.
#[derive(Debug, Args)]
pub struct PrintArgs {
    /// The pack and which modules to include.
    #[command(flatten)]
    pub pack: PackArgs,
    /// Write the PDF here (default: `print/class.pdf` in the pack); the manifest goes beside it.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// How many participants the class has (default: `[course] participants` in `book.toml`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub participants: Option<u32>,
    /// How many groups the class works in: each gets one copy of each group handout.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub groups: Option<u32>,
    /// Print only these modules, by name (`--modules 01-intro,02-roles`).
    #[arg(long, value_delimiter = ',', num_args = 1.., conflicts_with = "day")]
    pub modules: Vec<String>,
    /// Print only the modules of this day of the course schedule, from 1.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub day: Option<u32>,
    /// Print nothing but errors, warnings and the manifest's last lines.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `bundle`.
#[derive(Debug, Args)]
pub struct BundleArgs {
    /// The pack and which modules to include.
    #[command(flatten)]
    pub pack: PackArgs,
    /// Write the zip here, or into this folder (default: `bundle/<pack title>.zip` in the pack).
    #[arg(long, short, visible_alias = "output")]
    pub out: Option<PathBuf>,
    /// Print nothing but errors, warnings and the bundle's size.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The pack and which modules to include.
    #[command(flatten)]
    pub pack: PackArgs,
    /// The port to listen on (default: a free one).
    #[arg(long, short)]
    pub port: Option<u16>,
    /// Open the site in the web browser.
    #[arg(long)]
    pub open: bool,
}

/// Arguments shared by the commands that write files.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// The pack and which modules to include.
    #[command(flatten)]
    pub pack: PackArgs,
    /// Write here instead of the default folder.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Print nothing but errors and warnings.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments shared by the commands that read a pack.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// The pack's folder, holding `book.toml` (default: the current folder), or that `book.toml`.
    pub dir: Option<PathBuf>,
    /// Include modules marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

impl PackArgs {
    /// The pack folder, defaulting to the current one. A path to the
    /// pack's `book.toml` names its folder, as `mdbook build` reads it.
    pub fn root(&self) -> PathBuf {
        match &self.dir {
            Some(path) if path.ends_with("book.toml") && path.is_file() => path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), PathBuf::from),
            Some(path) => path.clone(),
            None => PathBuf::from("."),
        }
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

    // why: `--version` names the Typst that typesets the PDFs; a Typst
    // upgrade that forgot the constant would print the old version.
    #[test]
    fn typst_version_is_the_one_cargo_builds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let manifest: toml::Table =
            toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
        let pin = format!("={}", typst_version!());
        for name in ["typst", "typst-layout", "typst-pdf"] {
            assert_eq!(
                manifest["dependencies"][name].as_str(),
                Some(pin.as_str()),
                "Cargo.toml's `{name}` pin and `typst_version!` differ"
            );
        }
        let lock: toml::Table =
            toml::from_str(&std::fs::read_to_string(root.join("Cargo.lock")).unwrap()).unwrap();
        let locked: Vec<&str> = lock["package"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|package| package["name"].as_str() == Some("typst"))
            .map(|package| package["version"].as_str().unwrap())
            .collect();
        assert_eq!(locked, [typst_version!()]);
    }

    #[test]
    fn a_path_to_book_toml_names_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book.toml");
        std::fs::write(&book, "[pack]\n").unwrap();
        let args = |dir: Option<PathBuf>| PackArgs { dir, drafts: false };
        assert_eq!(args(Some(book)).root(), dir.path());
        assert_eq!(args(Some(dir.path().into())).root(), dir.path());
        assert_eq!(args(None).root(), PathBuf::from("."));
    }
}
