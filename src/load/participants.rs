//! `participants.csv` beside `book.toml`: the names of a class, for its
//! certificates of attendance and attendance sheets. A header row names
//! the columns; the names are in the column headed `name` (any case), or
//! the first column when none is.

use std::path::Path;

use crate::diag::{Diagnostic, SourceFile};
use crate::load::Loaded;
use crate::model::config::MAX_PARTICIPANTS;

/// The file, beside `book.toml`.
pub const PARTICIPANTS_FILE: &str = "participants.csv";

/// The names in the pack's `participants.csv`; none when it has no such
/// file. Problems are located diagnostics.
pub(super) fn read(root: &Path, loaded: &mut Loaded) -> Vec<String> {
    let Ok(bytes) = std::fs::read(root.join(PARTICIPANTS_FILE)) else {
        return Vec::new();
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
            let file = SourceFile::new(PARTICIPANTS_FILE, &String::from_utf8_lossy(&bytes));
            loaded.sources.add(&file);
            loaded.diagnostics.push(
                Diagnostic::error(format!("`{PARTICIPANTS_FILE}` is not UTF-8 text"))
                    .at_line(&file, line)
                    .hint("save it from your spreadsheet as \"CSV UTF-8\""),
            );
            return Vec::new();
        }
    };
    let file = SourceFile::new(PARTICIPANTS_FILE, &text);
    loaded.sources.add(&file);
    let (names, diagnostics) = parse(&file);
    loaded.diagnostics.extend(diagnostics);
    names
}

fn parse(file: &SourceFile) -> (Vec<String>, Vec<Diagnostic>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(file.text.as_bytes());
    let column = match reader.headers() {
        Ok(headers) => headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case("name"))
            .unwrap_or(0),
        Err(e) => return (Vec::new(), vec![csv_error(file, &e)]),
    };
    let mut names = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => names.extend(
                record
                    .get(column)
                    .filter(|name| !name.is_empty())
                    .map(str::to_string),
            ),
            Err(e) => return (names, vec![csv_error(file, &e)]),
        }
    }
    if names.len() > MAX_PARTICIPANTS as usize {
        let too_many = Diagnostic::error(format!(
            "`{PARTICIPANTS_FILE}` lists {} names; a class has at most {MAX_PARTICIPANTS}",
            names.len()
        ))
        .in_file(PARTICIPANTS_FILE)
        .hint("split the list into one file per class");
        return (Vec::new(), vec![too_many]);
    }
    (names, Vec::new())
}

fn csv_error(file: &SourceFile, error: &csv::Error) -> Diagnostic {
    let line = error.position().map_or(1, |p| p.line() as usize);
    Diagnostic::error(format!(
        "cannot read `{PARTICIPANTS_FILE}`: {}",
        plain(error)
    ))
    .at_line(file, line)
    .hint("write one participant per line, with a header line such as `name,unit` first")
}

/// The error without the position the diagnostic gives already.
fn plain(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "a line is not UTF-8 text".to_string(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> (Vec<String>, Vec<String>) {
        let file = SourceFile::new(PARTICIPANTS_FILE, text);
        let (names, diags) = parse(&file);
        (names, diags.iter().map(Diagnostic::short).collect())
    }

    #[test]
    fn names_come_from_the_name_column() {
        let (found, diags) = names("unit,Name\nUNPOL,\"Diallo, Aminata\"\nFPU, Jean Martin \n,\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(found, ["Diallo, Aminata", "Jean Martin"]);
        let (found, _) = names("participant\nA. Kone\n");
        assert_eq!(found, ["A. Kone"]);
    }
}
