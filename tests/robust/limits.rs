//! Sizes and depths that once broke or stalled a build: Markdown nested
//! deeper than the PDFs can typeset is a located error at `check`, and
//! thousands of footnotes or table cells build, into the site and the PDFs.

use crate::common::{TestPack, check_diagnostics, run_in};
use crate::pdf::pdf_text;
use crate::site;

/// A pack with one module, `modules/intro/module.md` (notes from line 5),
/// and its handout `handouts/case.md` (text from line 5).
fn pack_with(notes: &str, handout: &str) -> TestPack {
    let pack = TestPack::copy("ok", "minimal");
    std::fs::remove_file(pack.path("modules/intro.md")).unwrap();
    pack.write(
        "modules/intro/module.md",
        &format!("+++\ntitle = \"Intro\"\n+++\n\n{notes}"),
    );
    pack.write(
        "modules/intro/handouts/case.md",
        &format!("+++\ntitle = \"Case\"\n+++\n\n{handout}"),
    );
    pack
}

/// `depth` block quotes around `inner`, one line each.
fn quotes(depth: usize, inner: &str, indent: &str) -> String {
    inner
        .lines()
        .map(|line| format!("{indent}{}{line}\n", "> ".repeat(depth)))
        .collect()
}

/// `depth` bullet lists, each item on its own line, one level deeper.
fn lists(depth: usize) -> String {
    (0..depth)
        .map(|level| format!("{}- level {level}\n", "  ".repeat(level)))
        .collect()
}

/// Emphasis and bold in turn, `depth` levels around one word.
fn emphasis(depth: usize) -> String {
    let marks: Vec<&str> = (0..depth)
        .map(|level| if level % 2 == 0 { "_" } else { "**" })
        .collect();
    let open: String = marks.iter().map(|m| format!("{m}a ")).collect();
    let close: String = marks.iter().rev().map(|m| format!(" b{m}")).collect();
    format!("{open}word{close}\n")
}

const HINT: &str = "  hint: block quotes, lists, `:::` blocks, emphasis, bold and links count together; make the innermost levels plain paragraphs";

// why: 11 block quotes made the handout's PDF fail at build with a Typst
// error that named no line; check now points at the construct past the limit.
#[test]
fn nesting_past_the_limit_is_an_error_at_its_line() {
    let quiz_answers = format!(
        "::: quiz\n1. Why?\n\n   ::: answers\n{}   :::\n:::\n",
        quotes(6, "deep", "   ")
    );
    let note_in_answers = format!(
        "::: activity title=\"A\" minutes=5\n::: answers\n::: note\n{}:::\n:::\n:::\n",
        lists(6)
    );
    let cases = [
        (
            "Text.\n".to_string(),
            quotes(9, "deep", ""),
            "modules/intro/handouts/case.md:5:17",
        ),
        (
            lists(9),
            "Text.\n".to_string(),
            "modules/intro/module.md:13:17",
        ),
        (
            quiz_answers,
            "Text.\n".to_string(),
            "modules/intro/module.md:9:14",
        ),
        (
            note_in_answers,
            "Text.\n".to_string(),
            "modules/intro/module.md:13:11",
        ),
        (
            emphasis(9),
            "Text.\n".to_string(),
            "modules/intro/module.md:5:29",
        ),
    ];
    for (notes, handout, place) in cases {
        let pack = pack_with(&notes, &handout);
        assert_eq!(
            check_diagnostics(&pack.root),
            format!(
                "{place}: error: text nested more than 8 levels deep: the PDFs cannot set it\n{HINT}"
            ),
            "notes:\n{notes}\nhandout:\n{handout}"
        );
    }
}

// why: the limit is meant to keep every nesting that checks typesetable:
// the costliest cases at the limit (block quotes around a code block, in a
// handout and inside a quiz question's answers) check clean and build.
#[test]
fn nesting_at_the_limit_builds_every_pdf() {
    let code = "```\ncode\n```";
    let notes = format!(
        "::: quiz\n1. Why?\n\n   ::: answers\n{}   :::\n:::\n",
        quotes(5, code, "   ")
    );
    let pack = pack_with(&notes, &quotes(8, code, ""));
    assert_eq!(check_diagnostics(&pack.root), "");
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let key = pdf_text(&pack.path("site/modules/intro/answer-key.pdf"));
    assert!(key.contains("code"), "{key}");
}

// why: a block counts as a level: a note under eight nested lists is
// reported once, at its fence, not at every line inside it.
#[test]
fn a_block_past_the_limit_is_reported_at_its_fence() {
    let notes = format!(
        "{}                ::: note\n                > > tip\n                :::\n",
        lists(8)
    );
    let pack = pack_with(&notes, "Text.\n");
    assert_eq!(
        check_diagnostics(&pack.root),
        format!(
            "modules/intro/module.md:13:17: error: text nested more than 8 levels deep: the PDFs cannot set it\n{HINT}"
        )
    );
}

// why: 50,000 footnotes once took minutes (the site numbered each by
// searching a list); thousands must build, every text in both outputs.
#[test]
fn thousands_of_footnotes_reach_the_site_and_the_pdf() {
    let count = 2000;
    let mut text = String::new();
    for i in 0..count {
        text.push_str(&format!("Sentence {i}[^n{i}].\n\n"));
    }
    for i in 0..count {
        text.push_str(&format!("[^n{i}]: Footnote number {i}.\n"));
    }
    let pack = pack_with("Text.\n", &text);
    assert_eq!(check_diagnostics(&pack.root), "");
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site::read(&pack.path("site"), "modules/intro/handouts/case.html");
    let pdf = pdf_text(&pack.path("site/modules/intro/handouts/case.pdf"));
    for i in [0, 1, count / 2, count - 1] {
        let note = format!("Footnote number {i}.");
        assert!(html.contains(&note), "html lacks {note}");
        assert!(pdf.contains(&note), "pdf lacks {note}");
        assert!(
            html.contains(&format!("href=\"#fn-1-n{i}\"")),
            "reference {i}"
        );
    }
    // Numbered in order of use, the last one last.
    assert!(html.contains(&format!(">{count}</a></sup>")));
}

// why: a table's cells went to Typst as one argument each, which Typst
// binds in quadratic time; thousands of cells must build, all printed.
#[test]
fn a_table_of_thousands_of_cells_reaches_the_pdf() {
    let (rows, columns) = (400, 8);
    let mut table = format!("|{}\n|{}\n", " h |".repeat(columns), "---|".repeat(columns));
    for r in 0..rows {
        let cells: String = (0..columns).map(|c| format!(" r{r}c{c} |")).collect();
        table.push_str(&format!("|{cells}\n"));
    }
    let pack = pack_with("Text.\n", &table);
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = pdf_text(&pack.path("site/modules/intro/handouts/case.pdf"));
    assert!(pdf.contains("r0c0") && pdf.contains("r399c7"), "{pdf}");
}
