//! Markdown on slides (issue 21): points are inline Markdown and a slide
//! may have a short `body`, shown in the deck, on the guide's slide card
//! and in both deck PDFs; their links are checked like any other.

use crate::common::{TestPack, check_diagnostics, run_in};
use crate::pdf::pdf_text;
use crate::site;

/// A module whose slide has Markdown points and a body with a table.
const MODULE: &str = r#"+++
title = "Intro"

[[slides]]
id = "welcome"
title = "Welcome"
points = ["An *important* point", "See [the guide](module:intro) and `code`"]
body = """
> A short quote.

| Actor | Role |
|---|---|
| Tabled | Cellvalue |
"""
+++

## Welcome {slide=welcome}

Notes for the trainer.
"#;

fn pack() -> TestPack {
    let pack = TestPack::copy("ok", "minimal");
    pack.write("modules/intro.md", MODULE);
    pack
}

// why: a point's emphasis and links are Markdown, rendered (and links
// rewritten) in the deck and on the guide's card; the body shows too.
#[test]
fn slide_markdown_shows_in_the_deck_and_the_guide() {
    let pack = pack();
    assert_eq!(check_diagnostics(&pack.root), "");
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = pack.path("site");
    for page in ["modules/intro/slides.html", "modules/intro/index.html"] {
        let html = site::read(&out, page);
        assert!(html.contains("An <em>important</em> point"), "{html}");
        assert!(html.contains("<code>code</code>"), "{html}");
        assert!(!html.contains("module:intro"), "{html}");
        assert!(html.contains("\">the guide</a>"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<td>Cellvalue</td>"), "{html}");
    }
}

// why: both deck PDFs typeset the body, its table's cells included.
#[test]
fn a_slide_body_table_is_in_the_deck_pdfs() {
    let pack = pack();
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in ["slides.pdf", "slides-notes.pdf"] {
        let text = pdf_text(&pack.path(&format!("site/modules/intro/{name}")));
        for word in ["important", "Tabled", "Cellvalue", "A short quote."] {
            assert!(text.contains(word), "{name}: no {word} in {text}");
        }
        assert!(!text.contains('*'), "{name}: {text}");
    }
}

// why: a broken link in a point is found, at the point's line.
#[test]
fn a_broken_link_in_a_point_is_located() {
    let pack = pack();
    pack.edit("modules/intro.md", "module:intro", "module:nowhere");
    let diags = check_diagnostics(&pack.root);
    assert!(diags.starts_with("modules/intro.md:7:"), "{diags}");
    assert!(diags.contains("nowhere"), "{diags}");
}

// why: a slide's body is not a page: a heading or a `:::` block in it is
// an error at the body, saying what is allowed.
#[test]
fn a_body_with_a_heading_or_a_block_is_an_error() {
    let pack = pack();
    pack.edit("modules/intro.md", "> A short quote.", "## Big");
    let hint = "  hint: a slide's `body` holds short Markdown: paragraphs, a quote, a table, a list; the slide's heading is its `title`, and blocks (`:::`) go in the notes";
    assert_eq!(
        check_diagnostics(&pack.root),
        format!("modules/intro.md:8:8: error: the body of slide 1 holds a heading\n{hint}")
    );
    pack.edit("modules/intro.md", "## Big", "::: note\nHi\n:::");
    assert_eq!(
        check_diagnostics(&pack.root),
        format!("modules/intro.md:8:8: error: the body of slide 1 holds a `:::` block\n{hint}")
    );
}

// why: a slide's Markdown follows `raw_html` like any other: with it off,
// HTML in a point or the body is shown as text, never run.
#[test]
fn raw_html_on_a_slide_follows_the_pack() {
    let pack = pack();
    pack.edit(
        "modules/intro.md",
        "> A short quote.",
        "<script>alert(1)</script>",
    );
    pack.edit(
        "modules/intro.md",
        "An *important* point",
        "An <b onclick=x>important</b> point",
    );
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Minimal pack\"\n\n[build]\nraw_html = false\n",
    );
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["modules/intro/slides.html", "modules/intro/index.html"] {
        let html = site::read(&pack.path("site"), page);
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<b onclick"), "{html}");
        assert!(html.contains("&lt;script&gt;alert"), "{html}");
    }
}
