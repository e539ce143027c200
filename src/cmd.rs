//! The subcommands: each a thin shell over a library function that prints
//! what happened. They return `Ok(false)` when the pack has errors.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use trainpack::build::{
    BuildFailure, BuildOptions, BuildReport, Office, OfficeCount, Outputs, PdfCount, Progress,
};
use trainpack::diag::{self, Diagnostic, Sources};
use trainpack::load::LoadOptions;
use trainpack::print::{PrintOptions, Teach};

use crate::cli::{
    BuildArgs, BundleArgs, OutputArgs, PackArgs, PrintArgs, ServeArgs, TranslationsArgs,
};
use trainpack::serve::{ServeOptions, ServeReport};

/// `trainpack check`.
pub fn check(args: &PackArgs) -> anyhow::Result<bool> {
    let report = trainpack::check(
        &args.root(),
        &LoadOptions {
            drafts: args.drafts,
        },
    );
    print_diagnostics(&report.diagnostics, &report.sources);
    if report.has_errors() {
        return Ok(false);
    }
    if let Some(summary) = &report.summary {
        println!("{summary}\ncheck: {}", verdict(report.diagnostics.len()));
    }
    Ok(true)
}

fn verdict(warnings: usize) -> String {
    match warnings {
        0 => "no problems found".to_string(),
        n => count(n, "warning", "warnings"),
    }
}

/// `trainpack build`.
pub fn build(args: &BuildArgs) -> anyhow::Result<bool> {
    let outputs = if args.no_pdf {
        Outputs::Site
    } else {
        Outputs::SiteAndPdfs
    };
    let report = if args.timings {
        Report::WithTimings
    } else {
        Report::Summary
    };
    let office = if args.no_office {
        Office::Skipped
    } else {
        Office::Made
    };
    write(&args.common, outputs, office, report)
}

/// `trainpack pdf`: the PDFs alone, into `pdf/` unless `--output` says.
pub fn pdf(args: &OutputArgs) -> anyhow::Result<bool> {
    write(args, Outputs::Pdfs, Office::Skipped, Report::Summary)
}

/// `trainpack print`: the class's PDF and its manifest, printed.
pub fn print(args: &PrintArgs) -> anyhow::Result<bool> {
    let teach = match (&args.day, args.modules.is_empty()) {
        (Some(day), _) => Teach::Day(*day as usize),
        (None, false) => Teach::Modules(args.modules.clone()),
        (None, true) => Teach::Course,
    };
    let options = PrintOptions {
        root: args.pack.root(),
        output: args.output.clone(),
        drafts: args.pack.drafts,
        participants: args.participants,
        groups: args.groups,
        teach,
    };
    match trainpack::print::print(&options) {
        Ok(report) => {
            print_diagnostics(&report.warnings, &report.sources);
            if !args.quiet {
                print!("{}", report.manifest.text());
            }
            println!(
                "wrote `{}` ({} pages, {:.1} MB) and `{}` in {:.2} s ({} typeset)",
                report.pdf.display(),
                report.manifest.total,
                report.bytes as f64 / 1e6,
                report.manifest_path.display(),
                report.elapsed.as_secs_f64(),
                count(report.typeset, "document", "documents"),
            );
            for file in &report.kit {
                println!(
                    "wrote `{}` ({})",
                    file.path.display(),
                    count(file.pages, "page", "pages")
                );
            }
            Ok(true)
        }
        Err(failure) => {
            print_diagnostics(&failure.diagnostics, &failure.sources);
            match failure.error {
                Some(error) => Err(error.context("the print run failed")),
                None => {
                    eprintln!("nothing was written");
                    Ok(false)
                }
            }
        }
    }
}

/// `trainpack bundle`: builds, zips the site, prints the sizes.
pub fn bundle(args: &BundleArgs) -> anyhow::Result<bool> {
    let bar = progress_bar(args.quiet);
    let options = trainpack::bundle::BundleOptions {
        root: args.pack.root(),
        output: args.out.clone(),
        drafts: args.pack.drafts,
        progress: bar.clone().map(|bar| -> Progress {
            Arc::new(move |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })
        }),
    };
    let result = trainpack::bundle::bundle(&options);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            print_diagnostics(&report.build.warnings, &report.build.sources);
            if !args.quiet {
                println!("{}", summary(&report.build));
            }
            print!("{}", report.sizes.text());
            println!(
                "wrote `{}` ({}) in {:.2} s: unzip it, then open `index.html`",
                report.zip.display(),
                trainpack::render::bundle::size(report.sizes.zipped),
                report.elapsed.as_secs_f64()
            );
            Ok(true)
        }
        Err(failure) => {
            print_diagnostics(&failure.diagnostics, &failure.sources);
            match failure.error {
                Some(error) => Err(error.context("no bundle was written")),
                None => {
                    eprintln!("nothing was written");
                    Ok(false)
                }
            }
        }
    }
}

/// What a build prints when it worked, besides its warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Report {
    /// What was written.
    Summary,
    /// What was written, and how long each stage took (`--timings`).
    WithTimings,
}

fn write(
    args: &OutputArgs,
    outputs: Outputs,
    office: Office,
    shown: Report,
) -> anyhow::Result<bool> {
    let bar = progress_bar(args.quiet);
    let output = match (&args.output, outputs) {
        (Some(dir), _) => Some(dir.clone()),
        (None, Outputs::Pdfs) => Some(args.pack.root().join("pdf")),
        (None, _) => None,
    };
    let options = BuildOptions {
        root: args.pack.root(),
        output,
        drafts: args.pack.drafts,
        outputs,
        office,
        progress: bar.clone().map(|bar| -> Progress {
            Arc::new(move |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })
        }),
    };
    let result = trainpack::build::build(&options);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            print_diagnostics(&report.warnings, &report.sources);
            if !args.quiet {
                println!("{}", summary(&report));
            }
            if shown == Report::WithTimings {
                let t = &report.timings;
                let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
                eprintln!(
                    "timings: load and check {:.0} ms, module pages {:.0} ms, pack pages {:.0} ms, PDFs {:.0} ms ({} typeset), Office files {:.0} ms, write {:.0} ms{}",
                    ms(t.load),
                    ms(t.modules),
                    ms(t.pack_pages),
                    ms(t.pdf),
                    count(report.pdfs.documents, "document", "documents"),
                    ms(t.office),
                    ms(t.write),
                    peak_memory().map_or(String::new(), |mib| format!("; peak memory {mib} MiB"))
                );
            }
            Ok(true)
        }
        Err(BuildFailure {
            diagnostics,
            sources,
            error,
        }) => {
            print_diagnostics(&diagnostics, &sources);
            match error {
                Some(error) => {
                    Err(error.context("the build failed and the output folder was left as it was"))
                }
                None => {
                    eprintln!("nothing was written: the output folder was left as it was");
                    Ok(false)
                }
            }
        }
    }
}

/// "built 4 modules (3 unchanged) into `site`: 30 pages, 21 PDFs (3 typeset,
/// 18 unchanged), 60 files in 1.20 s".
fn summary(report: &BuildReport) -> String {
    let PdfCount {
        written: pdfs,
        typeset,
        ..
    } = report.pdfs;
    let mut parts = Vec::new();
    if report.pages > 0 {
        parts.push(count(report.pages, "page", "pages"));
    }
    if pdfs > 0 {
        parts.push(format!(
            "{} ({typeset} typeset, {} unchanged)",
            count(pdfs, "PDF", "PDFs"),
            pdfs - typeset
        ));
    }
    let OfficeCount { written, made } = report.office;
    if written > 0 {
        parts.push(format!(
            "{} ({made} made, {} unchanged)",
            count(written, "Office file", "Office files"),
            written - made
        ));
    }
    parts.push(count(report.files, "file", "files"));
    let mut modules = count(report.modules, "module", "modules");
    if report.modules_reused > 0 {
        modules.push_str(&format!(" ({} unchanged)", report.modules_reused));
    }
    format!(
        "built {} into `{}`: {} in {:.2} s",
        modules,
        report.output.display(),
        parts.join(", "),
        report.elapsed.as_secs_f64()
    )
}

/// A progress bar on a terminal, unless quiet.
fn progress_bar(quiet: bool) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    let style =
        ProgressStyle::with_template("{spinner} rendering modules {pos}/{len} {wide_bar}").ok()?;
    bar.set_style(style);
    Some(bar)
}

/// `trainpack serve`: prints the address, then one line per rebuild, and
/// the problems of a save that broke the pack.
pub fn serve(args: &ServeArgs) -> anyhow::Result<bool> {
    // Errors in a pack are shown while serving, to be fixed on the next
    // save; a folder that is no pack at all has nothing to serve.
    if !args
        .pack
        .root()
        .join(trainpack::model::config::CONFIG_FILE)
        .is_file()
    {
        return check(&args.pack);
    }
    let options = ServeOptions {
        root: args.pack.root(),
        port: args.port,
        drafts: args.pack.drafts,
    };
    let open = args.open;
    let report = move |report: ServeReport| match report {
        ServeReport::Listening(url) => {
            println!("serving at {url} (Ctrl-C to stop)");
            if open && let Err(e) = ::open::that_detached(&url) {
                eprintln!("cannot open the browser ({e}); open {url} yourself");
            }
        }
        ServeReport::Rebuilt(rebuilt) => {
            print_diagnostics(&rebuilt.warnings, &rebuilt.sources);
            println!(
                "rebuilt {} of {} in {} ms",
                count(rebuilt.modules, "module", "modules"),
                rebuilt.total,
                rebuilt.elapsed.as_millis()
            );
        }
        ServeReport::Broken(broken) => {
            print_diagnostics(&broken.diagnostics, &broken.sources);
            eprintln!("the pages keep showing the last good build until the errors are fixed");
        }
        ServeReport::NotWatched(error) => {
            eprintln!("error: {error}; restart `trainpack serve` to see changes there");
        }
    };
    trainpack::serve::serve(&options, Arc::new(report))?;
    println!("stopped");
    Ok(true)
}

/// `trainpack init`.
pub fn init(dir: Option<PathBuf>) -> anyhow::Result<bool> {
    let dir = dir.unwrap_or_else(|| ".".into());
    let files = trainpack::init::init(&dir)?;
    println!("created a new pack in `{}`:", dir.display());
    for file in files {
        println!("  {file}");
    }
    println!("next: `trainpack check {}`", dir.display());
    Ok(true)
}

/// `trainpack theme export`.
pub fn theme_export(dir: Option<PathBuf>) -> anyhow::Result<bool> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("themes/default-export"));
    let files = trainpack::output::export::export_theme(&dir)?;
    println!(
        "wrote the default theme ({}) into `{}`",
        count(files.len(), "file", "files"),
        dir.display()
    );
    println!(
        "next: rename the folder, then set `[theme] name` in `book.toml` to its name; keep only the files you change"
    );
    Ok(true)
}

/// Prints diagnostics to stderr, with colour on a terminal, and a count.
fn print_diagnostics(diagnostics: &[Diagnostic], sources: &Sources) {
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

/// The most memory this process has held, in MiB, where the system says
/// (Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// `trainpack translations`: every translation's state, or `--mark`.
pub fn translations(args: &TranslationsArgs) -> anyhow::Result<bool> {
    use trainpack::check::fingerprint::{State, states};
    let root = args.pack.root();
    let checked = trainpack::load_and_check(
        &root,
        &LoadOptions {
            drafts: args.pack.drafts,
        },
    );
    let Some(pack) = &checked.pack else {
        print_diagnostics(&checked.diagnostics.clone().sorted(), &checked.sources);
        return Ok(false);
    };
    let all = states(pack);
    if let Some(target) = &args.mark {
        let found = all
            .iter()
            .find(|s| format!("{}/{}", s.language, s.slug) == *target);
        let Some(path) = found.and_then(|s| s.path.as_ref().map(|p| (p, s))) else {
            eprintln!(
                "error: no translation `{target}`\n  hint: give the language and the module, as in `fr/04-coordination`; `trainpack translations` lists them"
            );
            return Ok(false);
        };
        trainpack::output::mark::record(&pack.root.join(path.0), &path.1.fingerprint)?;
        println!("{target}: recorded up to date with {}", path.1.original);
        return Ok(true);
    }
    if all.is_empty() {
        println!("this pack has no translations");
    }
    for s in &all {
        let state = match &s.state {
            State::UpToDate => "up to date".to_string(),
            State::Changed(parts) => format!("original changed: {}", parts.join(", ")),
            State::NotTracked => "not tracked yet (mark it once it is up to date)".to_string(),
            State::Missing => "not translated".to_string(),
        };
        println!("{}/{}  {state}", s.language, s.slug);
    }
    Ok(true)
}
