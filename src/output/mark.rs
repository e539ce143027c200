//! `trainpack translations --mark`: records the original's fingerprint in
//! a translation's front matter, replacing the one there.

use std::path::Path;

use anyhow::{Context, Result};

/// Writes `translation_of = "<fingerprint>"` into the front matter of the
/// module file at `path`.
pub fn record(path: &Path, fingerprint: &str) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let updated = with_fingerprint(&text, fingerprint)
        .with_context(|| format!("{} does not start with `+++` front matter", path.display()))?;
    // why: this is the author's own source; a write stopped halfway must
    // not leave it cut short.
    super::write_aside(path, updated.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The text with its `translation_of` line replaced, or added right after
/// the opening `+++` (before any `[[slides]]` table, where a top-level key
/// must be).
fn with_fingerprint(text: &str, fingerprint: &str) -> Option<String> {
    let line = format!("translation_of = \"{fingerprint}\"");
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.first()?.trim_end() != "+++" {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "+++")? + 1;
    let existing = lines[1..close]
        .iter()
        .position(|l| l.trim_start().starts_with("translation_of"));
    let new_line = format!("{line}\n");
    match existing {
        Some(i) => lines[i + 1] = &new_line,
        None => lines.insert(1, &new_line),
    }
    Some(lines.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    // why: marking twice replaces the fingerprint, never adds a second key.
    #[test]
    fn adds_then_replaces_the_key() {
        let text = "+++\ntitle = \"T\"\n+++\nBody\n";
        let once = with_fingerprint(text, "a").unwrap();
        assert_eq!(
            once,
            "+++\ntranslation_of = \"a\"\ntitle = \"T\"\n+++\nBody\n"
        );
        let twice = with_fingerprint(&once, "b").unwrap();
        assert_eq!(
            twice,
            "+++\ntranslation_of = \"b\"\ntitle = \"T\"\n+++\nBody\n"
        );
        assert_eq!(with_fingerprint("no front matter", "a"), None);
    }
}
