//! The Markdown of a slide: its points (inline Markdown) and its `body`
//! (short Markdown for what is not a list). Their links are checked like
//! any other, placed at the front-matter value that holds them, since a
//! TOML string's escapes make offsets inside it unreliable.

use pulldown_cmark::{Event, Tag};

use crate::diag::Diagnostic;
use crate::load::blocks::LinkRef;
use crate::load::markdown::links::find_links;
use crate::load::markdown::parser;
use crate::load::toml_reader::{Located, TableReader};

/// The links of `text`, each placed at the whole value.
pub(super) fn links(text: &Located<String>) -> Vec<LinkRef> {
    find_links(&text.value)
        .into_iter()
        .map(|link| LinkRef {
            dest: link.dest,
            span: text.span.clone(),
            kind: link.kind,
            image: link.image,
            alt_missing: link.alt_missing,
        })
        .collect()
}

/// Slide `number`'s `body`, or `None` (with an error) when it holds what
/// a slide cannot show: a heading or a `:::` block.
pub(super) fn body(
    t: &mut TableReader<'_, '_, '_>,
    body: Located<String>,
    number: u32,
    links_out: &mut Vec<LinkRef>,
) -> Option<String> {
    if let Some(what) = not_allowed(&body.value) {
        let file = t.file();
        t.report(
            Diagnostic::error(format!("the body of slide {number} holds {what}"))
                .at(file, body.span)
                .hint("a slide's `body` holds short Markdown: paragraphs, a quote, a table, a list; the slide's heading is its `title`, and blocks (`:::`) go in the notes"),
        );
        return None;
    }
    links_out.extend(links(&body));
    Some(body.value)
}

/// What in `markdown` a slide's body may not hold, in words.
fn not_allowed(markdown: &str) -> Option<&'static str> {
    if markdown.lines().any(|l| l.trim_start().starts_with(":::")) {
        return Some("a `:::` block");
    }
    parser(markdown)
        .any(|e| matches!(e, Event::Start(Tag::Heading { .. })))
        .then_some("a heading")
}

#[cfg(test)]
mod tests {
    use super::not_allowed;

    #[test]
    fn headings_and_blocks_are_not_allowed() {
        assert_eq!(not_allowed("# Big\n"), Some("a heading"));
        assert_eq!(not_allowed("Text\n---\n"), Some("a heading"));
        assert_eq!(not_allowed("::: note\nx\n:::\n"), Some("a `:::` block"));
        assert_eq!(
            not_allowed("> A quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
            None
        );
    }
}
