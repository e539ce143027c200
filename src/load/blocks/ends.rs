//! Where a block left open probably should have closed: the first line
//! after its fence that could not be inside it, which the "never closed"
//! error names; and the errors inside it that its being open may cause,
//! held back until it closes.

#[allow(clippy::wildcard_imports)]
use super::*;

impl Scanner<'_> {
    /// A heading of level 1 or 2 inside open blocks: a notes section
    /// starts there, so each open block probably ends before it.
    pub(super) fn note_heading(&mut self, text: &str, line_no: usize) {
        let Some(level) = heading_level(text).filter(|l| *l <= 2) else {
            return;
        };
        let why = format!("the next `{}` heading", "#".repeat(level));
        for open in self.stack.iter_mut().filter(|o| o.ends_by.is_none()) {
            open.ends_by = Some((line_no, why.clone()));
        }
    }

    /// A fence opening a block that cannot sit inside the innermost open
    /// one: that block probably ends before it.
    pub(super) fn note_misfit(&mut self, kind: &str, line_no: usize) {
        let Some(open) = self.stack.last_mut() else {
            return;
        };
        let fits = !KINDS.contains(&kind)
            || !KINDS.contains(&open.kind.as_str())
            || kinds::allowed_parents(kind).contains(&Some(open.kind.as_str()));
        if fits || open.ends_by.is_some() {
            return;
        }
        let why = format!(
            "which opens {} `{kind}` block, and that cannot sit inside {} `{}` block",
            kinds::article(kind),
            kinds::article(&open.kind),
            open.kind
        );
        open.ends_by = Some((line_no, why));
    }

    /// The hint of the "never closed" error.
    pub(super) fn unclosed_hint(&self, open: &Open) -> String {
        let mut hint = "add a line `:::` where the block ends".to_string();
        if let Some((line, why)) = &open.ends_by {
            hint.push_str(&format!(": probably before line {line}, {why}"));
        }
        if let Some(code) = &self.code {
            hint.push_str(&format!(
                "; note that the code block opened at line {} is never closed, so the fences after it are read as code",
                code.line
            ));
        }
        hint
    }

    /// Errors about a block inside another go with the open block around
    /// it, if any: reported only if that block is closed.
    pub(super) fn hold_or_report(&mut self, found: Vec<Diagnostic>) {
        match self.stack.last_mut() {
            Some(open) => open.held.extend(found),
            None => self.out.diagnostics.extend(found),
        }
    }
}

/// The level of an ATX heading (`#` to `######` then a space or the end).
pub(super) fn heading_level(text: &str) -> Option<usize> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let rest = &text[indent..];
    let level = rest.chars().take_while(|c| *c == '#').count();
    let after = rest[level..].chars().next();
    (indent <= 3 && (1..=6).contains(&level) && after.is_none_or(|c| c == ' ' || c == '\t'))
        .then_some(level)
}
