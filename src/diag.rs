//! Diagnostics: the one way every stage reports a problem in the user's pack.
//!
//! A [`Diagnostic`] names the file, line and column, says what is wrong and,
//! where we can, what to do about it. Stages collect them in a [`Diagnostics`]
//! list instead of stopping at the first one, so `trainpack check` reports
//! every problem at once. [`Sources`] keeps the text of every file read, so
//! the printer can show the offending line.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The pack cannot be built as written.
    Error,
    /// The pack builds, but probably not as the author meant.
    Warning,
}

/// How a diagnostic bears on the others of its file: an error in reading
/// the text hides the warnings about counts and totals that it may cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bearing {
    /// Stands on its own.
    #[default]
    Alone,
    /// An error in how the file's text is read (a block left open, a notes
    /// heading or an attribute that cannot be read): what is counted from
    /// the text after it is unreliable.
    Misreads,
    /// A warning about counts and totals (a slide without notes, a schedule
    /// that does not add up) that a misread text can cause: not printed
    /// while a [`Bearing::Misreads`] error of its file stands.
    Counts,
}

/// A text file of the pack as it was read, with Windows line endings and a
/// leading byte-order mark already removed, so spans and lines agree.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the pack root, with `/` separators.
    pub path: String,
    /// The text, normalised to `\n` line endings.
    pub text: Arc<str>,
}

impl SourceFile {
    /// Wraps raw file text, normalising line endings and dropping a BOM.
    pub fn new(path: impl Into<String>, raw: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: normalise_text(raw).into(),
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// The line of `key = ...` in a file's front matter, for pointing at
    /// keys after the TOML tree is gone.
    pub fn key_line(&self, key: &str) -> usize {
        self.text
            .lines()
            .take_while(|l| !l.starts_with("[["))
            .position(|l| {
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(1, |i| i + 1)
    }
}

/// Drops a UTF-8 byte-order mark and turns `\r\n` and lone `\r` into `\n`:
/// files copied from Word or edited on Windows must just work.
pub fn normalise_text(raw: &str) -> Cow<'_, str> {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if !raw.contains('\r') {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The 1-based line and column (in characters) of `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// The lines of ascending offsets in one text, counted in one pass rather
/// than from the start for each (a module's slides were 9 % of reading it).
pub struct LineCounter<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    /// A counter at the start of `text`.
    pub fn new(text: &'t str) -> LineCounter<'t> {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of `offset`; an offset before the last one asked
    /// for is counted from the start.
    pub fn line_of(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = LineCounter::new(self.text);
        }
        let between = &self.text.as_bytes()[self.offset..offset];
        self.line += between.iter().filter(|b| **b == b'\n').count();
        self.offset = offset;
        self.line
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The byte offset where 1-based `line` starts in `text`.
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// One problem in the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the pack root with `/` separators; empty when the
    /// problem is not in any one file.
    pub path: String,
    /// 1-based line, or 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters, or 0 with `line`.
    pub column: usize,
    /// Byte range in the file's normalised text, used to underline the source.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    /// What is wrong: lowercase, no final period, names in backticks.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// Whether it may hide others of its file, or be hidden by them.
    #[serde(skip)]
    pub bearing: Bearing,
}

impl Diagnostic {
    /// An error not yet tied to a place.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, message.into())
    }

    /// A warning not yet tied to a place.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, message.into())
    }

    fn new(severity: Severity, message: String) -> Diagnostic {
        Diagnostic {
            severity,
            path: String::new(),
            line: 0,
            column: 0,
            span: None,
            message,
            hint: None,
            bearing: Bearing::Alone,
        }
    }

    /// Points the diagnostic at a byte range of a source file.
    pub fn at(mut self, file: &SourceFile, span: Range<usize>) -> Diagnostic {
        let (line, column) = file.line_col(span.start);
        self.path = file.path.clone();
        self.line = line;
        self.column = column;
        self.span = Some(span);
        self
    }

    /// Points the diagnostic at a whole line of a source file.
    pub fn at_line(self, file: &SourceFile, line: usize) -> Diagnostic {
        let start = line_start(&file.text, line);
        let end = file.text[start..]
            .find('\n')
            .map_or(file.text.len(), |i| start + i);
        self.at(file, start..end)
    }

    /// Ties the diagnostic to a file without a position (unreadable files,
    /// paths, folders).
    pub fn in_file(mut self, path: impl Into<String>) -> Diagnostic {
        self.path = path.into();
        self
    }

    /// Adds the hint that says what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Says how the diagnostic bears on the others of its file.
    pub fn bearing(mut self, bearing: Bearing) -> Diagnostic {
        self.bearing = bearing;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// One line per diagnostic: `path:line:col: error: message`, plus the hint
    /// on a second line. Tests assert this form, and `serve` shows it.
    pub fn short(&self) -> String {
        let mut out = String::new();
        if !self.path.is_empty() {
            out.push_str(&self.path);
            if self.line > 0 {
                out.push_str(&format!(":{}:{}", self.line, self.column));
            }
            out.push_str(": ");
        }
        out.push_str(match self.severity {
            Severity::Error => "error: ",
            Severity::Warning => "warning: ",
        });
        out.push_str(&self.message);
        if let Some(hint) = &self.hint {
            out.push_str("\n  hint: ");
            out.push_str(hint);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

/// The text of every file read, by path, so diagnostics can show source lines.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Paths are shared: `serve` copies a pack's sources on every save.
    files: BTreeMap<Arc<str>, Arc<str>>,
}

impl Sources {
    /// Remembers a file's text.
    pub fn add(&mut self, file: &SourceFile) {
        self.files
            .insert(file.path.as_str().into(), file.text.clone());
    }

    /// Adds every file of another set.
    pub fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }

    /// The text of a file, if it was read.
    pub fn get(&self, path: &str) -> Option<&Arc<str>> {
        self.files.get(path)
    }

    /// A file that was read, as a `SourceFile` for diagnostics.
    pub fn file(&self, path: &str) -> Option<SourceFile> {
        self.get(path).map(|text| SourceFile {
            path: path.to_string(),
            text: text.clone(),
        })
    }
}

/// A list of diagnostics gathered over a whole run.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all of another list.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics in a stable order, the causes first: errors before
    /// warnings, each by file, then line, then column, so output does not
    /// depend on which thread finished first. Warnings about counts in a
    /// file whose text was misread are left out while that error stands.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        let misread: std::collections::BTreeSet<String> = self
            .items
            .iter()
            .filter(|d| d.is_error() && d.bearing == Bearing::Misreads)
            .map(|d| d.path.clone())
            .collect();
        self.items
            .retain(|d| !(d.bearing == Bearing::Counts && misread.contains(&d.path)));
        self.items.sort_by(|a, b| {
            (a.severity, &a.path, a.line, a.column, &a.message)
                .cmp(&(b.severity, &b.path, b.line, b.column, &b.message))
        });
        self.items.dedup();
        self.items
    }

    /// The diagnostics as gathered.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Renders diagnostics the way rustc and typst do: the message, then
/// `--> file:line:col`, the source line underlined, and the hint. Plain ASCII
/// so it reads the same in any terminal and in CI logs.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut files = SimpleFiles::new();
    let mut out = String::new();
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    for diagnostic in diagnostics {
        let mut cs = CsDiagnostic::new(match diagnostic.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        })
        .with_message(&diagnostic.message);
        let text = sources.get(&diagnostic.path);
        match (&diagnostic.span, text) {
            (Some(span), Some(text)) => {
                let id = files.add(diagnostic.path.clone(), text.clone());
                let span = clamp_span(text, span.clone());
                cs = cs.with_label(Label::primary(id, span));
            }
            // A file whose text could not be kept (not UTF-8) still has a line.
            _ if diagnostic.line > 0 => {
                cs = cs.with_note(format!(
                    "in `{}`, line {}",
                    diagnostic.path, diagnostic.line
                ));
            }
            _ if !diagnostic.path.is_empty() => {
                cs = cs.with_note(format!("in `{}`", diagnostic.path));
            }
            _ => {}
        }
        if let Some(hint) = &diagnostic.hint {
            cs = cs.with_note(format!("hint: {hint}"));
        }
        let rendered = if color {
            let mut buffer = Vec::new();
            let mut writer = term::termcolor::Ansi::new(&mut buffer);
            term::emit_to_write_style(&mut writer, &config, &files, &cs)
                .map(|_| String::from_utf8_lossy(&buffer).into_owned())
        } else {
            term::emit_into_string(&config, &files, &cs)
        };
        out.push_str(&rendered.unwrap_or_else(|_| format!("{}\n", diagnostic.short())));
    }
    out
}

fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    start..end
}

/// Finds the known name closest to a misspelt one, for "did you mean" hints.
pub fn nearest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(wrong, candidate), candidate))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "é = 1\nab";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (1, 2));
        assert_eq!(line_col(text, 8), (2, 2));
    }

    // why: slides' lines are counted on from the last one, and must agree
    // with counting from the start, also when asked out of order.
    #[test]
    fn line_counter_agrees_with_line_col() {
        let text = "a\nb\n\nc\nd";
        let mut lines = LineCounter::new(text);
        for offset in [0, 2, 3, 5, 6, 1, 8, 100] {
            let expected = line_col(text, offset).0;
            assert_eq!(lines.line_of(offset), expected, "offset {offset}");
        }
    }

    #[test]
    fn crlf_and_bom_are_normalised() {
        let file = SourceFile::new("a.md", "\u{feff}a\r\nb\rc\n");
        assert_eq!(&*file.text, "a\nb\nc\n");
    }

    #[test]
    fn nearest_suggests_close_names_only() {
        let known = ["title", "subtitle", "language"];
        assert_eq!(nearest("titel", known), Some("title"));
        assert_eq!(nearest("zzzz", known), None);
    }

    #[test]
    fn short_form_names_file_line_and_hint() {
        let file = SourceFile::new("book.toml", "[pack]\ntitel = 1\n");
        let d = Diagnostic::error("unknown key `titel`")
            .at(&file, 7..12)
            .hint("did you mean `title`?");
        assert_eq!(
            d.short(),
            "book.toml:2:1: error: unknown key `titel`\n  hint: did you mean `title`?"
        );
    }

    #[test]
    fn render_shows_the_source_line() {
        let file = SourceFile::new("book.toml", "[pack]\ntitel = 1\n");
        let mut sources = Sources::default();
        sources.add(&file);
        let d = Diagnostic::error("unknown key `titel`").at(&file, 7..12);
        let out = render(&[d], &sources, false);
        assert!(out.contains("book.toml:2:1"), "{out}");
        assert!(out.contains("titel = 1"), "{out}");
    }

    // why: the cause prints first, and the warnings it causes not at all.
    #[test]
    fn errors_come_first_and_hide_the_counts_they_cause() {
        let file = SourceFile::new("a.md", "one\ntwo\nthree\n");
        let other = SourceFile::new("b.md", "one\n");
        let mut diags = Diagnostics::new();
        diags.push(Diagnostic::warning("early").at_line(&file, 1));
        diags.push(
            Diagnostic::warning("no notes")
                .at_line(&file, 1)
                .bearing(Bearing::Counts),
        );
        diags.push(
            Diagnostic::warning("kept")
                .at_line(&other, 1)
                .bearing(Bearing::Counts),
        );
        diags.push(
            Diagnostic::error("open")
                .at_line(&file, 3)
                .bearing(Bearing::Misreads),
        );
        let messages: Vec<String> = diags.sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(messages, ["open", "early", "kept"]);
    }

    // why: a file that is not UTF-8 has no text to show, but its line still helps.
    #[test]
    fn a_line_without_its_text_is_still_named() {
        let file = SourceFile::new("a.md", "one\ntwo\n");
        let d = Diagnostic::error("the file is not valid UTF-8 text").at_line(&file, 2);
        let shown = render(&[d], &Sources::default(), false);
        assert!(shown.contains("in `a.md`, line 2"), "{shown}");
    }
}
