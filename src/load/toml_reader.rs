//! Typed reading of TOML tables with spans, shared by `book.toml` and front
//! matter.
//!
//! serde's derive stops at the first problem in a table. Authors fix files in
//! one pass when they see every unknown key, wrong type and missing key at
//! once, each under its own line, so we read toml's spanned tree
//! (`toml::de::DeTable`) through [`TableReader`], which records the keys it is
//! asked for and reports the rest as unknown with the nearest known key.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, SourceFile, nearest};

/// A TOML document parsed from part of a file.
pub struct TomlDoc<'i> {
    /// The root table.
    pub root: Spanned<DeTable<'i>>,
}

impl<'i> TomlDoc<'i> {
    /// The root table, to start reading.
    pub fn table(&self) -> TableRef<'_, 'i> {
        TableRef {
            table: self.root.get_ref(),
            span: (self.root.span().start, self.root.span().end),
        }
    }
}

/// A table borrowed from the parsed tree, with its span in the TOML text.
#[derive(Clone, Copy)]
pub struct TableRef<'a, 'i> {
    table: &'a DeTable<'i>,
    span: (usize, usize),
}

impl<'a, 'i> TableRef<'a, 'i> {
    fn of_value(value: &'a Spanned<DeValue<'i>>) -> Option<Self> {
        match value.get_ref() {
            DeValue::Table(table) => Some(TableRef {
                table,
                span: (value.span().start, value.span().end),
            }),
            _ => None,
        }
    }

    /// Where the table was written, relative to the TOML text.
    pub fn span(&self) -> Range<usize> {
        self.span.0..self.span.1
    }
}

/// Parses TOML that starts at byte `offset` of `file`. On a syntax error,
/// reports the first one only and gives nothing to read: what the parser
/// recovers after one slip (a missing `]`) is dozens of errors elsewhere.
pub fn parse<'i>(
    file: &SourceFile,
    text: &'i str,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<TomlDoc<'i>> {
    let (root, errors) = DeTable::parse_recoverable(text);
    let Some(error) = errors.first() else {
        return Some(TomlDoc { root });
    };
    let span = error.span().unwrap_or(0..0);
    let line = line_at(text, span.start);
    let span = offset + span.start..offset + span.end.max(span.start);
    diags.push(
        Diagnostic::error(format!("invalid TOML: {}", first_line(error.message())))
            .at(file, span)
            .hint(syntax_hint(error.message(), line)),
    );
    None
}

/// The whole line of `text` around byte `at`.
fn line_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

fn first_line(message: &str) -> String {
    message
        .trim()
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches('.')
        .to_string()
}

fn syntax_hint(message: &str, line: &str) -> String {
    if line.contains(['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}']) {
        "replace the curly quotes (“ ” ‘ ’, as word processors type them) with straight ones: `title = \"My module\"`".into()
    } else if message.contains("missing comma between array elements") {
        "is the list before this line closed? End a list with `]`, as in `outcomes = [\"One\", \"Two\"]`".into()
    } else if message.contains("duplicate key") {
        "each key may appear only once in a table".into()
    } else if message.contains("string") {
        "text values need double quotes, as in `title = \"My module\"`".into()
    } else {
        "check the line against the examples in the README: `key = value`, text in double quotes"
            .into()
    }
}

/// Reads the keys of one table, one typed getter per key, and reports
/// unknown keys when finished.
pub struct TableReader<'a, 'd, 'i> {
    table: &'a DeTable<'i>,
    table_span: Range<usize>,
    file: &'a SourceFile,
    offset: usize,
    /// How the table is named in messages: "front matter", "`[pack]`", "slide 3".
    what: String,
    known: Vec<&'static str>,
    /// Keys known only at run time (language codes).
    named: Vec<String>,
    diags: &'d mut Vec<Diagnostic>,
}

/// A value read from TOML with its byte range in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written, as a byte range in the file.
    pub span: Range<usize>,
}

impl<'a, 'd, 'i> TableReader<'a, 'd, 'i> {
    /// Starts reading `table`, whose spans are relative to byte `offset` of `file`.
    pub fn new(
        table: TableRef<'a, 'i>,
        file: &'a SourceFile,
        offset: usize,
        what: impl Into<String>,
        diags: &'d mut Vec<Diagnostic>,
    ) -> Self {
        TableReader {
            table: table.table,
            table_span: table.span(),
            file,
            offset,
            what: what.into(),
            known: Vec::new(),
            named: Vec::new(),
            diags,
        }
    }

    fn shift(&self, span: Range<usize>) -> Range<usize> {
        self.offset + span.start..self.offset + span.end
    }

    fn entry(&mut self, key: &'static str) -> Option<(&'a Spanned<DeValue<'i>>, Range<usize>)> {
        self.known.push(key);
        let table: &'a DeTable<'i> = self.table;
        table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, value)| (value, self.shift(value.span())))
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &DeValue<'_>, span: Range<usize>) {
        self.diags.push(
            Diagnostic::error(format!(
                "`{key}` in {} must be {expected}, found {}",
                self.what,
                describe(found)
            ))
            .at(self.file, span)
            .hint(type_hint(key, expected)),
        );
    }

    /// Reports a missing required key, pointing at the table's first line.
    pub fn missing(&mut self, key: &str, example: &str) {
        let span = self.shift(self.table_span.clone());
        let line_end = self.file.text[span.start.min(self.file.text.len())..]
            .find('\n')
            .map_or(span.end, |i| span.start + i);
        self.diags.push(
            Diagnostic::error(format!("missing required key `{key}` in {}", self.what))
                .at(self.file, span.start..line_end.max(span.start))
                .hint(format!("add `{key} = {example}`")),
        );
    }

    /// A text value.
    pub fn string(&mut self, key: &'static str) -> Option<Located<String>> {
        let (value, span) = self.entry(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                span,
            }),
            other => {
                self.wrong_type(key, "text in double quotes", other, span);
                None
            }
        }
    }

    /// A text value that must be present.
    pub fn required_string(&mut self, key: &'static str, example: &str) -> Option<Located<String>> {
        let present = self.table.iter().any(|(k, _)| k.get_ref().as_ref() == key);
        let value = self.string(key);
        if !present {
            self.missing(key, example);
        }
        match value {
            Some(blank) if blank.value.trim().is_empty() => {
                self.diags.push(
                    Diagnostic::error(format!("`{key}` in {} is empty", self.what))
                        .at(self.file, blank.span)
                        .hint(format!(
                            "write it between the quotes, as in `{key} = {example}`"
                        )),
                );
                None
            }
            value => value,
        }
    }

    /// A whole number.
    pub fn integer(&mut self, key: &'static str) -> Option<Located<i64>> {
        let located = self.whole_number(key, i64::MIN.into(), i64::MAX.into())?;
        Some(Located {
            value: i64::try_from(located.value).ok()?,
            span: located.span,
        })
    }

    /// A whole number that is not negative and fits in 32 bits.
    pub fn count(&mut self, key: &'static str) -> Option<Located<u32>> {
        let located = self.whole_number(key, 0, u32::MAX.into())?;
        Some(Located {
            value: u32::try_from(located.value).ok()?,
            span: located.span,
        })
    }

    /// A whole number from `min` to `max`; one outside says the range,
    /// whatever its size.
    fn whole_number(&mut self, key: &'static str, min: i128, max: i128) -> Option<Located<i128>> {
        let (value, span) = self.entry(key)?;
        let DeValue::Integer(i) = value.get_ref() else {
            self.wrong_type(key, "a whole number", value.get_ref(), span);
            return None;
        };
        let digits = i.as_str().replace('_', "");
        let prefix = match i.radix() {
            16 => "0x",
            8 => "0o",
            2 => "0b",
            _ => "",
        };
        let digits = digits.strip_prefix(prefix).unwrap_or(&digits);
        match i128::from_str_radix(digits, i.radix()) {
            Ok(n) if (min..=max).contains(&n) => Some(Located { value: n, span }),
            _ => {
                // As written: `as_str` drops the `0x` of hexadecimal.
                let written = self.file.text.get(span.clone()).unwrap_or(i.as_str());
                self.diags.push(
                    Diagnostic::error(format!(
                        "`{key}` in {} must be a whole number from {min} to {max}, found {written}",
                        self.what,
                    ))
                    .at(self.file, span)
                    .hint(type_hint(key, "a whole number")),
                );
                None
            }
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, key: &'static str) -> Option<Located<bool>> {
        let (value, span) = self.entry(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Located { value: *b, span }),
            other => {
                self.wrong_type(key, "`true` or `false`", other, span);
                None
            }
        }
    }

    /// Either text or a whole number (durations accept both).
    pub fn string_or_integer(&mut self, key: &'static str) -> Option<Located<String>> {
        let (value, span) = self.entry(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                span,
            }),
            DeValue::Integer(i) => Some(Located {
                value: i.as_str().to_string(),
                span,
            }),
            other => {
                self.wrong_type(key, "text such as \"1h30\"", other, span);
                None
            }
        }
    }

    /// A list of text values.
    pub fn string_list(&mut self, key: &'static str) -> Option<Vec<Located<String>>> {
        let (value, span) = self.entry(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, "a list of text values", value.get_ref(), span);
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let span = self.shift(item.span());
            match item.get_ref() {
                DeValue::String(s) => out.push(Located {
                    value: s.to_string(),
                    span,
                }),
                other => self.wrong_type(key, "a list of text values", other, span),
            }
        }
        Some(out)
    }

    /// The sub-table under a key known only at run time (a language code).
    pub fn table_named(&mut self, key: &str) -> Option<TableRef<'a, 'i>> {
        self.named.push(key.to_string());
        let table: &'a DeTable<'i> = self.table;
        let (_, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == key)?;
        let span = self.shift(value.span());
        let found = TableRef::of_value(value);
        if found.is_none() {
            let key = key.to_string();
            self.wrong_type(&key, "a table", value.get_ref(), span);
        }
        found
    }

    /// A sub-table (`[build]`, or an inline `{ ... }`).
    pub fn table(&mut self, key: &'static str) -> Option<TableRef<'a, 'i>> {
        let (value, span) = self.entry(key)?;
        let table = TableRef::of_value(value);
        if table.is_none() {
            self.wrong_type(key, "a table", value.get_ref(), span);
        }
        table
    }

    /// A list of tables (`[[slides]]`, or an array of inline tables).
    pub fn table_list(&mut self, key: &'static str) -> Vec<TableRef<'a, 'i>> {
        let Some((value, span)) = self.entry(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, "a list of tables", value.get_ref(), span);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match TableRef::of_value(item) {
                Some(table) => out.push(table),
                None => {
                    let span = self.shift(item.span());
                    self.wrong_type(key, "a list of tables", item.get_ref(), span);
                }
            }
        }
        out
    }

    /// Byte offset in the file where the table starts (its `[header]`).
    pub fn table_start(&self) -> usize {
        self.offset + self.table_span.start
    }

    /// Byte offset of the table's TOML text in the file.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The file being read.
    pub fn file(&self) -> &'a SourceFile {
        self.file
    }

    /// Pushes a diagnostic found while interpreting a value.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    /// Reports every key of the table that no getter asked for, suggesting the
    /// nearest known key.
    pub fn finish(self) {
        let mut unknown: Vec<_> = self
            .table
            .iter()
            .filter(|(k, _)| {
                let name = k.get_ref().as_ref();
                !self.known.contains(&name) && !self.named.iter().any(|n| n == name)
            })
            .collect();
        unknown.sort_by_key(|(k, _)| k.span().start);
        for (key, _) in unknown {
            let name = key.get_ref().as_ref();
            let span = self.offset + key.span().start..self.offset + key.span().end;
            let all: Vec<&str> = self
                .known
                .iter()
                .copied()
                .chain(self.named.iter().map(String::as_str))
                .collect();
            let hint = match nearest(name, all.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the keys allowed here are {}", list_keys(&all)),
            };
            self.diags.push(
                Diagnostic::error(format!("unknown key `{name}` in {}", self.what))
                    .at(self.file, span)
                    .hint(hint),
            );
        }
    }
}

fn list_keys(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "`true` or `false`",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn type_hint(key: &str, expected: &str) -> String {
    match expected {
        "text in double quotes" => format!("write `{key} = \"...\"`"),
        "a whole number" => format!("write a number without quotes, as in `{key} = 5`"),
        "`true` or `false`" => format!("write `{key} = true` or `{key} = false`"),
        "a list of text values" => format!("write `{key} = [\"first\", \"second\"]`"),
        "a list of tables" if key == "slides" => {
            "write each slide as a table of its own: a line `[[slides]]`, then `title = \"...\"`"
                .to_string()
        }
        "a list of tables" => format!("write `{key} = [ {{ at = \"10:30\", minutes = 15 }} ]`"),
        "a table" => format!("write the table as a line `[{key}]` followed by its keys"),
        expected if expected.starts_with("text such as") => {
            format!(
                "write `{key} = \"1h30\"`, `{key} = \"90min\"` or a number of minutes, as in `{key} = 90`"
            )
        }
        _ => format!("see the README for the form of `{key}`"),
    }
}
