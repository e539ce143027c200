//! The benchmark floor: the least work any Markdown site generator built on
//! pulldown-cmark must do. It reads every `.md` file under IN_DIR, renders
//! each to HTML with pulldown-cmark (tables, footnotes, strikethrough, task
//! lists and heading attributes on), wraps it in a minimal page and writes it
//! to the same relative path under OUT_DIR with `.html`. Files are spread
//! over a rayon pool of all cores, or `-j N` threads.
//!
//! usage: floor IN_DIR OUT_DIR [-j N] [-q]
//!
//! A summary line goes to stderr: files, bytes in and out, threads, seconds
//! and MB/s of Markdown measured inside the process.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

struct Args {
    input: PathBuf,
    output: PathBuf,
    jobs: Option<usize>,
    quiet: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut jobs = None;
    let mut quiet = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-j" | "--jobs" => {
                let n = args.next().ok_or("-j needs a number")?;
                let n: usize = n
                    .parse()
                    .map_err(|_| format!("-j: `{n}` is not a number"))?;
                jobs = Some(n.max(1));
            }
            "-q" | "--quiet" => quiet = true,
            "-h" | "--help" => return Err(String::new()),
            _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`")),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let [input, output]: [PathBuf; 2] = positional
        .try_into()
        .map_err(|_| "expected IN_DIR and OUT_DIR".to_string())?;
    Ok(Args {
        input,
        output,
        jobs,
        quiet,
    })
}

/// Every `.md` file under `dir`, as paths relative to it, sorted.
fn markdown_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            markdown_files(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A minimal page: the title is the text of the first heading, if any.
fn render_page(markdown: &str, out: &mut String) {
    out.clear();
    let title = markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or("")
        .trim();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    escape_text(title, out);
    out.push_str("</title></head>\n<body>\n<main>\n");
    html::push_html(out, Parser::new_ext(markdown, options()));
    out.push_str("</main>\n</body></html>\n");
}

fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

/// Renders one file; returns (bytes read, bytes written).
fn convert(args: &Args, rel: &Path, buf: &mut String) -> Result<(u64, u64), String> {
    let src = args.input.join(rel);
    let markdown =
        fs::read_to_string(&src).map_err(|e| format!("cannot read `{}`: {e}", src.display()))?;
    render_page(&markdown, buf);
    let dest = args.output.join(rel).with_extension("html");
    fs::write(&dest, buf.as_bytes())
        .map_err(|e| format!("cannot write `{}`: {e}", dest.display()))?;
    Ok((markdown.len() as u64, buf.len() as u64))
}

fn run(args: &Args) -> Result<(), String> {
    let start = Instant::now();
    if let Some(jobs) = args.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
            .map_err(|e| e.to_string())?;
    }
    let mut files = Vec::new();
    markdown_files(&args.input, &args.input, &mut files)
        .map_err(|e| format!("cannot read `{}`: {e}", args.input.display()))?;
    files.sort();
    // Create the output folders up front, once each, so workers only write files.
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .map(|f| args.output.join(f.parent().unwrap_or(Path::new(""))))
        .collect();
    dirs.dedup();
    for dir in dirs.iter().chain([&args.output]) {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    }
    let (bytes_in, bytes_out) = files
        .par_iter()
        .map_init(
            || String::with_capacity(256 * 1024),
            |buf, rel| convert(args, rel, buf),
        )
        .try_reduce(|| (0, 0), |a, b| Ok((a.0 + b.0, a.1 + b.1)))?;
    let secs = start.elapsed().as_secs_f64();
    if !args.quiet {
        eprintln!(
            "floor: {} files, {bytes_in} bytes in, {bytes_out} bytes out, {} threads, {secs:.4} s, {:.1} MB/s",
            files.len(),
            rayon::current_num_threads(),
            bytes_in as f64 / 1e6 / secs
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("floor: {message}");
            }
            eprintln!("usage: floor IN_DIR OUT_DIR [-j N] [-q]");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("floor: {message}");
            ExitCode::FAILURE
        }
    }
}
