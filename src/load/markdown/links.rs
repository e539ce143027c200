//! Links as the renderer reads them: from pulldown-cmark's events, with
//! entities and backslash escapes decoded, never from raw lines. `check`
//! collects them here, so `\[not a link](x)`, a link in code, in raw HTML
//! or in a heading that is not rendered as Markdown is never checked, and
//! a link written `[f](my\_notes.txt)` is checked as `my_notes.txt`.
//!
//! Also says which addresses run code in a browser ([`script_scheme`]), for
//! `check` and for the renderer, which never writes them into a page of a
//! pack that escapes raw HTML.

use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::parser;

/// How a link was written: it decides how `check` reads the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)`, `[text][ref]` with `[ref]: dest`, and images.
    Written,
    /// `<https://…>` or `<handout:id>`: an address with a scheme, never a
    /// file of the pack.
    Autolink,
    /// `<a@b.org>`: the page links to `mailto:a@b.org`.
    Email,
}

/// A link or image found in some Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The destination, decoded as the renderer reads it.
    pub dest: String,
    /// Where the destination is written in the Markdown (for a reference
    /// link, in its definition).
    pub span: Range<usize>,
    /// How it was written.
    pub kind: LinkKind,
    /// True for `![alt](dest)`.
    pub image: bool,
    /// True for an image whose alt text is empty.
    pub alt_missing: bool,
}

/// The schemes that run code when a browser opens them, or hold a page of
/// their own that can (`data:text/html,…`).
const SCRIPT_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// The scheme of `url`, lowercase, when a browser would run code from it:
/// `javascript:`, `vbscript:` or `data:`, in any case. The URL is read as a
/// browser reads it: leading spaces and control characters are dropped,
/// and tabs and line breaks are dropped anywhere (`java\tscript:`).
pub fn script_scheme(url: &str) -> Option<&'static str> {
    let mut scheme = String::new();
    for c in url.trim_start_matches(|c: char| c <= ' ').chars() {
        match c {
            '\t' | '\n' | '\r' => {}
            ':' => return SCRIPT_SCHEMES.into_iter().find(|s| *s == scheme),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {
                scheme.push(c.to_ascii_lowercase());
                if scheme.len() > "javascript".len() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    None
}

/// Every link and image of `markdown`, in order, each once (a reference
/// definition used twice is found once).
pub fn find_links(markdown: &str) -> Vec<FoundLink> {
    if !may_hold_links(markdown) {
        return Vec::new();
    }
    let mut finder = Finder {
        markdown,
        found: Vec::new(),
        references: Vec::new(),
        open: Vec::new(),
    };
    let mut events = parser(markdown).into_offset_iter();
    for (event, range) in events.by_ref() {
        match event {
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    id,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    id,
                    ..
                },
            ) => finder.start(link_type, dest_url.to_string(), &id, range),
            Event::End(TagEnd::Link | TagEnd::Image) => finder.end(),
            Event::Text(ref text) | Event::Code(ref text) => {
                if let Some(link) = finder.open.last_mut() {
                    link.has_text |= !text.trim().is_empty();
                }
                finder.see_inner(range.end);
            }
            _ => finder.see_inner(range.end),
        }
    }
    let Finder {
        mut found,
        references,
        ..
    } = finder;
    let definitions = events.reference_definitions();
    for (index, id) in references {
        if let Some(span) = definitions
            .get(&id)
            .and_then(|d| definition_dest(markdown, d.span.clone()))
        {
            found[index].span = span;
        }
    }
    // One definition used twice is one destination to check.
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|link| seen.insert((link.span.start, link.span.end, link.image)));
    found
}

/// The links found so far in one piece of Markdown.
struct Finder<'m> {
    markdown: &'m str,
    found: Vec<FoundLink>,
    /// (index in `found`, label) of each reference link, placed at its
    /// definition once every definition is known.
    references: Vec<(usize, String)>,
    /// The links and images not ended yet, innermost last.
    open: Vec<OpenLink>,
}

/// A link or image whose end has not been read yet.
struct OpenLink {
    index: usize,
    range: Range<usize>,
    /// Where its text (or alt text) read so far ends.
    text_end: usize,
    has_text: bool,
    inline: bool,
}

impl Finder<'_> {
    fn start(&mut self, link_type: LinkType, dest: String, id: &str, range: Range<usize>) {
        let image = self.markdown[range.start..].starts_with('!');
        self.see_inner(range.end);
        if is_reference(link_type) {
            self.references.push((self.found.len(), id.to_string()));
        }
        self.open.push(OpenLink {
            index: self.found.len(),
            range: range.clone(),
            text_end: range.start + if image { 2 } else { 1 },
            has_text: false,
            inline: link_type == LinkType::Inline,
        });
        self.found.push(FoundLink {
            dest,
            span: autolink_span(link_type, &range).unwrap_or(range.start..range.start),
            kind: kind_of(link_type),
            image,
            alt_missing: false,
        });
    }

    /// Something inside the innermost open link ends at `end`.
    fn see_inner(&mut self, end: usize) {
        if let Some(link) = self.open.last_mut() {
            link.text_end = link.text_end.max(end.min(link.range.end));
        }
    }

    fn end(&mut self) {
        let Some(link) = self.open.pop() else {
            return;
        };
        let found = &mut self.found[link.index];
        found.alt_missing = found.image && !link.has_text;
        if link.inline
            && let Some(span) = inline_dest(self.markdown, link.text_end, link.range.end)
        {
            found.span = span;
        }
    }
}

fn is_reference(link_type: LinkType) -> bool {
    matches!(
        link_type,
        LinkType::Reference
            | LinkType::ReferenceUnknown
            | LinkType::Collapsed
            | LinkType::CollapsedUnknown
            | LinkType::Shortcut
            | LinkType::ShortcutUnknown
    )
}

fn kind_of(link_type: LinkType) -> LinkKind {
    match link_type {
        LinkType::Autolink => LinkKind::Autolink,
        LinkType::Email => LinkKind::Email,
        _ => LinkKind::Written,
    }
}

/// `<dest>`: the destination inside the brackets.
fn autolink_span(link_type: LinkType, range: &Range<usize>) -> Option<Range<usize>> {
    matches!(link_type, LinkType::Autolink | LinkType::Email)
        .then(|| range.start + 1..range.end.saturating_sub(1).max(range.start + 1))
}

/// The destination of an inline link whose text ends at `text_end`: after
/// the `](` that follows the text.
fn inline_dest(markdown: &str, text_end: usize, end: usize) -> Option<Range<usize>> {
    let open = text_end + markdown.get(text_end..end)?.find("](")? + 2;
    dest_at(markdown, open, end)
}

/// The destination of a reference definition `[label]: dest "title"`.
fn definition_dest(markdown: &str, span: Range<usize>) -> Option<Range<usize>> {
    let text = markdown.get(span.clone())?;
    let mut escaped = false;
    let close = text.char_indices().find_map(|(i, c)| {
        let found = c == ']' && !escaped;
        escaped = c == '\\' && !escaped;
        found.then_some(i)
    })?;
    text[close..]
        .starts_with("]:")
        .then(|| dest_at(markdown, span.start + close + 2, span.end))?
}

/// The destination that starts after white space at `start`, as CommonMark
/// reads it: inside `<…>`, or up to white space or an unbalanced `)`.
fn dest_at(markdown: &str, start: usize, end: usize) -> Option<Range<usize>> {
    let text = markdown.get(start..end)?;
    let lead = text.len() - text.trim_start().len();
    let begin = start + lead;
    let rest = &text[lead..];
    if let Some(inner) = rest.strip_prefix('<') {
        let close = inner.find('>')?;
        return Some(begin + 1..begin + 1 + close);
    }
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' if depth == 0 => return Some(begin..begin + i),
            ')' => depth -= 1,
            c if c.is_whitespace() => return Some(begin..begin + i),
            _ => {}
        }
    }
    Some(begin..begin + rest.len())
}

/// False when `markdown` cannot hold a link, so most bodies are never
/// parsed for links: an inline link needs `](`, a reference link needs a
/// definition (`[label]:`, not a footnote's `[^label]:`), and an autolink
/// `<` then a letter of its scheme. (Email autolinks are not checked.)
fn may_hold_links(markdown: &str) -> bool {
    let bytes = markdown.as_bytes();
    if markdown.contains("](") {
        return true;
    }
    let autolink = bytes
        .windows(2)
        .any(|w| w[0] == b'<' && w[1].is_ascii_alphabetic());
    autolink
        || markdown.match_indices("]:").any(|(at, _)| {
            let label = &markdown[..at];
            let open = label.rfind(['[', '\n']);
            !open.is_some_and(|i| label[i..].starts_with("[^"))
        })
}

/// True for `https:`, `mailto:` and other URL schemes (not `C:` drive letters).
pub fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) if i >= 2 => dest[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

/// Removes `.` and `a/..` from a relative path without touching the disk.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Decodes `%20`-style escapes in a link destination.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dests(markdown: &str) -> Vec<(String, &str, LinkKind)> {
        find_links(markdown)
            .into_iter()
            .map(|l| (l.dest, &markdown[l.span], l.kind))
            .collect()
    }

    #[test]
    fn destinations_are_decoded_and_located() {
        let md =
            "a [f](my\\_notes.txt) b ![x](<media/a b.png> \"t\") [r][ref]\n\n[ref]: &#x6A;s.txt\n";
        assert_eq!(
            dests(md),
            [
                ("my_notes.txt".into(), "my\\_notes.txt", LinkKind::Written),
                ("media/a b.png".into(), "media/a b.png", LinkKind::Written),
                ("js.txt".into(), "&#x6A;s.txt", LinkKind::Written),
            ]
        );
    }

    #[test]
    fn code_escapes_and_autolinks() {
        assert!(dests("\\[no](x) `[no](y)`\n\n    [no](z)\n").is_empty());
        assert_eq!(
            dests("<https://un.org> <a@b.org>"),
            [
                (
                    "https://un.org".into(),
                    "https://un.org",
                    LinkKind::Autolink
                ),
                ("a@b.org".into(), "a@b.org", LinkKind::Email),
            ]
        );
    }

    #[test]
    fn nested_and_tricky_text() {
        let md = "[![logo](media/l.png)](https://x.org) [`](`](y.txt) [a\n](z.txt)";
        let found: Vec<&str> = find_links(md).iter().map(|l| &md[l.span.clone()]).collect();
        assert_eq!(found, ["https://x.org", "media/l.png", "y.txt", "z.txt"]);
    }

    #[test]
    fn alt_text() {
        let found = find_links("![](a.png) ![ ](b.png) ![x](c.png)");
        let missing: Vec<bool> = found.iter().map(|l| l.alt_missing).collect();
        assert_eq!(missing, [true, true, false]);
    }

    #[test]
    fn script_schemes_as_a_browser_reads_them() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            " \u{1}javascript:x",
            "java\tscript:x",
            "java\nscript:x",
            "vbscript:x",
            "DATA:text/html,x",
        ] {
            assert!(script_scheme(url).is_some(), "{url:?}");
        }
        for url in [
            "https://x.org",
            "media/javascript:x",
            "javascripts:x",
            "x",
            "%6Aavascript:x",
        ] {
            assert_eq!(script_scheme(url), None, "{url:?}");
        }
    }

    #[test]
    fn bodies_without_links_are_not_parsed() {
        assert!(!may_hold_links(
            "text[^1]\n\n[^1]: note\n<!--\u{E000}0-->\n- [ ] box"
        ));
        assert!(may_hold_links("[r]\n\n[r]: x"));
        assert!(may_hold_links("<handout:x>"));
    }

    #[test]
    fn schemes_and_drive_letters() {
        assert!(has_scheme("https://un.org"));
        assert!(has_scheme("mailto:a@b.org"));
        assert!(!has_scheme("C:\\x.png"));
        assert!(!has_scheme("media/x.png"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("my%20file.png"), "my file.png");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn normalise_drops_dots() {
        assert_eq!(
            normalise(Path::new("modules/a/../b/./c.png")),
            PathBuf::from("modules/b/c.png")
        );
    }
}
