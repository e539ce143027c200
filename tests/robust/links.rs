//! Hostile and odd links (issue 18, items 1 and 2): addresses that run
//! scripts never reach a page of a pack with `raw_html = false`, wherever
//! they are written and however they are disguised, and the link checker
//! reads each link as the renderer does.

use trainpack::render::Audience;
use trainpack::render::markdown::{Links, Page, render_markdown};
use trainpack::render::pdf::markup::MarkupContext;

use crate::common::{TestPack, check_diagnostics, run_in};
use crate::site;

const RAW_HTML_OFF: &str = "[pack]\ntitle = \"Links\"\n\n[build]\nraw_html = false\n";
const RAW_HTML_ON: &str = "[pack]\ntitle = \"Links\"\n\n[build]\nraw_html = true\n";

/// A module that writes a script link in every place Markdown is read:
/// notes, footnotes, a heading, a reference definition, an activity, its
/// steps, a note, answers, quiz questions, options and answers, and an
/// inline handout; and a handout file with questions and answers.
const HOSTILE_MODULE: &str = "+++
title = \"Intro\"

[[slides]]
title = \"[t](javascript:alert(1))\"
points = [\"[p](javascript:alert(1))\"]
+++

Overview [a](javascript:alert(1)) and ![pic](data:text/html,x).

## Notes {slide=1}

Entity [b](&#x6A;avascript:alert(1)), case [c](JaVaScRiPt:alert(1)),
space [d](< javascript:alert(1)>), tab [e](<java\tscript:alert(1)>),
vb [f](vbscript:x), auto <javascript:alert(1)>.

A footnote[^1] and [by reference][bad].

[^1]: Note with [g](javascript:alert(1)).

[bad]: javascript:alert(1)

### Heading [h](javascript:alert(1))

::: activity title=\"Work\" minutes=10
Do [i](javascript:alert(1)).

::: steps
- 5 min: Step [j](javascript:alert(1))
- 5 min: More
:::

::: note
Tip [k](javascript:alert(1))
:::

::: answers
- Answer [l](javascript:alert(1))
:::
:::

::: quiz title=\"Q\"
1. Question [m](javascript:alert(1))?
   - [ ] Option [n](javascript:alert(1))
   - [x] Right
2. Open?

   ::: answers
   Answer [o](javascript:alert(1))
   :::
:::

::: handout id=inline title=\"Inline\"
Read [q](javascript:alert(1)).
:::
";

const HOSTILE_HANDOUT: &str = "+++
title = \"Case\"
+++

Read [r](javascript:alert(1)).

::: questions
1. Why [s](javascript:alert(1))?
:::

::: answers
1. Because [u](javascript:alert(1)).
:::
";

/// The hostile module and handout in a pack with `book`.
fn hostile_pack(book: &str) -> TestPack {
    let pack = TestPack::copy("ok", "minimal");
    std::fs::remove_file(pack.path("modules/intro.md")).unwrap();
    pack.write("book.toml", book);
    pack.write("modules/intro/module.md", HOSTILE_MODULE);
    pack.write("modules/intro/handouts/case.md", HOSTILE_HANDOUT);
    pack
}

/// The diagnostic `check` gives for a script link, as (file:line:col,
/// scheme, image).
fn script_diagnostic(place: &str, scheme: &str, image: bool, raw_html: bool) -> String {
    let (what, instead, shown) = if image {
        (
            format!("an image from a `{scheme}:` address"),
            "put the picture in the module's `media/` folder and show it from there, as in `![Diagram](media/diagram.png)`",
            "the pages show its alt text instead",
        )
    } else {
        (
            format!("a link to a `{scheme}:` address"),
            "link to a web page (`https://...`) or to a file of the pack",
            "the pages show its text without the link",
        )
    };
    if raw_html {
        format!(
            "{place}: warning: {what} can run code in the reader's browser\n  hint: {instead}; `raw_html = true` in `book.toml` keeps it as written, so keep it only if you trust it"
        )
    } else {
        format!(
            "{place}: error: {what} is not allowed: it could run code in the reader's browser\n  hint: {instead}; {shown}"
        )
    }
}

/// Every script link of the hostile pack, where `check` reports it.
fn hostile_diagnostics(raw_html: bool) -> String {
    let m = "modules/intro/module.md";
    let h = "modules/intro/handouts/case.md";
    let mut diags = [
        (format!("{h}:5:10"), "javascript", false),
        (format!("{h}:8:12"), "javascript", false),
        (format!("{h}:12:16"), "javascript", false),
        // The slide's point, at its front-matter line.
        (format!("{m}:6:11"), "javascript", false),
        (format!("{m}:9:14"), "javascript", false),
        (format!("{m}:9:46"), "data", true),
        (format!("{m}:13:12"), "javascript", false),
        (format!("{m}:13:48"), "javascript", false),
        (format!("{m}:14:12"), "javascript", false),
        (format!("{m}:14:45"), "javascript", false),
        (format!("{m}:15:8"), "vbscript", false),
        (format!("{m}:15:27"), "javascript", false),
        (format!("{m}:19:21"), "javascript", false),
        (format!("{m}:21:8"), "javascript", false),
        (format!("{m}:23:17"), "javascript", false),
        (format!("{m}:26:8"), "javascript", false),
        (format!("{m}:29:19"), "javascript", false),
        (format!("{m}:34:9"), "javascript", false),
        (format!("{m}:38:14"), "javascript", false),
        (format!("{m}:43:17"), "javascript", false),
        (format!("{m}:44:21"), "javascript", false),
        (format!("{m}:49:15"), "javascript", false),
        (format!("{m}:54:10"), "javascript", false),
    ]
    .iter()
    .map(|(place, scheme, image)| script_diagnostic(place, scheme, *image, raw_html))
    .collect::<Vec<_>>();
    // The notes heading is not the slide's title (which is the link).
    // Warnings come after every error; among warnings, by place.
    let at = if raw_html { 6 } else { diags.len() };
    diags.insert(at, format!("{m}:11:1: warning: notes heading \"Notes\" is not the title of slide 1 (\"[t](javascript:alert(1))\")\n  hint: if a slide was added or moved, these notes now sit on another slide: fix the number, or give the slide an `id` and write `{{slide=notes}}`, which follows the slide wherever it moves"));
    diags.join("\n")
}

// why: `raw_html = false` is for packs that take contributions from many
// hands; a script link anywhere is an error at its line, however disguised.
#[test]
fn script_links_are_errors_with_raw_html_off() {
    let pack = hostile_pack(RAW_HTML_OFF);
    assert_eq!(check_diagnostics(&pack.root), hostile_diagnostics(false));
}

// why: a pack that trusts its authors' HTML is warned, and its pages keep
// the link as written.
#[test]
fn script_links_are_warnings_with_raw_html_on() {
    let pack = hostile_pack(RAW_HTML_ON);
    assert_eq!(check_diagnostics(&pack.root), hostile_diagnostics(true));
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let guide = site::read(&pack.path("site"), "modules/intro/index.html");
    assert!(guide.contains("href=\"javascript:alert(1)\""), "{guide}");
}

// why: defence in depth: even when `check` is bypassed (a program that
// renders pages through the library), no page of a pack with `raw_html =
// false` holds a script link, whether in notes, steps on the course
// schedule, a heading, a handout, the slides or the answer keys.
#[test]
fn pages_never_write_script_links_with_raw_html_off() {
    let pack = hostile_pack(RAW_HTML_OFF);
    let checked = trainpack::load_and_check(&pack.root, &Default::default());
    let (pack_model, theme) = (checked.pack.unwrap(), checked.theme.unwrap());
    let mut sources = checked.sources;
    let renderer = trainpack::render::html::SiteRenderer::new(
        &pack_model,
        &theme,
        Default::default(),
        &mut sources,
    )
    .unwrap();
    let collect = trainpack::render::Collect::default();
    renderer
        .render_into(&collect, &Default::default(), None)
        .unwrap();
    let mut pages = 0;
    for file in collect.into_files() {
        let trainpack::render::Content::Bytes(bytes) = &file.content else {
            continue;
        };
        let text = String::from_utf8_lossy(bytes);
        if file.path.ends_with(".html") {
            pages += 1;
        }
        assert_eq!(
            site::script_addresses(&text),
            Vec::<String>::new(),
            "{}",
            file.path
        );
    }
    assert!(pages >= 8, "only {pages} pages rendered");
}

struct Keep;

impl Links for Keep {
    fn resolve(&self, _: &str) -> Option<String> {
        None
    }
}

fn render(markdown: &str, raw_html: bool) -> String {
    let mut html = String::new();
    render_markdown(markdown, &Page::new(&Keep, raw_html), &mut html);
    html
}

// why: a link left out keeps its text, and an image its alt text, so the
// page still reads.
#[test]
fn script_links_keep_their_text() {
    assert_eq!(
        render(
            "[click](javascript:x) ![a *pic*](data:x) <JAVASCRIPT:x>",
            false
        ),
        "<p>click a <em>pic</em> JAVASCRIPT:x</p>\n"
    );
}

// why: a heading is rendered apart to make its anchor; its raw HTML and
// links must still be escaped and resolved like the rest of the body.
#[test]
fn headings_follow_raw_html_and_resolve_links() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write("book.toml", RAW_HTML_OFF);
    std::fs::remove_file(pack.path("modules/intro.md")).unwrap();
    pack.write(
        "modules/intro/module.md",
        "+++\ntitle = \"Intro\"\n+++\n\n### See <img src=x onerror=alert(1)> [case](handout:case)\n",
    );
    pack.write(
        "modules/intro/handouts/case.md",
        "+++\ntitle = \"Case\"\n+++\n\nText.\n",
    );
    assert_eq!(check_diagnostics(&pack.root), "");
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let guide = site::read(&pack.path("site"), "modules/intro/index.html");
    assert!(!guide.contains("<img src=x"), "raw HTML in a heading");
    assert!(guide.contains("&lt;img src=x"), "{guide}");
    assert!(
        guide.contains("<a href=\"handouts/case.html\">case</a>"),
        "{guide}"
    );
}

// why: steps on the course schedule are Markdown like any other: with
// `raw_html = false` their HTML is escaped there too.
#[test]
fn schedule_steps_follow_raw_html() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write("book.toml", RAW_HTML_OFF);
    pack.write(
        "modules/intro.md",
        "+++\ntitle = \"Intro\"\n+++\n\n::: activity title=\"Work\" minutes=5\n::: steps\n- 5 min: Read <img src=x onerror=alert(1)>\n:::\n:::\n",
    );
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schedule = site::read(&pack.path("site"), "schedule.html");
    assert!(!schedule.contains("<img src=x"), "raw HTML on the schedule");
    assert!(schedule.contains("Read &lt;img src=x"), "{schedule}");
}

fn pdf_markup(markdown: &str) -> String {
    let media = |_: &str| false;
    let cx = MarkupContext {
        audience: Audience::Key,
        source_dir: "modules/m",
        media: &media,
        videos: std::cell::RefCell::new(Vec::new()),
        answers: trainpack::render::pdf::markup::AnswerPolicy::Shown,
        refer: None,
    };
    cx.markdown(markdown)
}

// why: a PDF link is clickable too: only web and mail addresses become
// links in a PDF, never a script, however it is written.
#[test]
fn pdfs_never_link_script_addresses() {
    let markup = pdf_markup(
        "[a](javascript:x) [b](&#x6A;avascript:x) [c](JaVaScRiPt:x) [d](< javascript:x>) <javascript:x> [e](vbscript:x) [f](data:text/html,x) ![g](data:image/png,x)",
    );
    assert!(!markup.contains("#link("), "{markup}");
    assert_eq!(
        pdf_markup("[w](https://un.org)"),
        "#link(\"https://un.org\")[w]#tp-url(\"https://un.org\")"
    );
}

/// A one-module pack whose module body is `body`, with the files `files`.
fn pack_with(body: &str, files: &[&str]) -> TestPack {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "modules/intro.md",
        &format!("+++\ntitle = \"Intro\"\n+++\n\n{body}\n"),
    );
    for file in files {
        pack.write(file, "x");
    }
    pack
}

// why: the renderer decodes entities and backslash escapes in a
// destination, so the checker must check the same file, and name it.
#[test]
fn link_destinations_are_checked_decoded() {
    let pack = pack_with(
        "[f](my\\_notes.txt) [g](media/a&#x20;b.txt) [h](&#x6D;issing.txt)",
        &["modules/my_notes.txt", "modules/media/a b.txt"],
    );
    assert_eq!(
        check_diagnostics(&pack.root),
        "modules/intro.md:5:48: error: broken link: there is no file `modules/missing.txt`\n  hint: check the file name and its folder; paths are relative to this Markdown file"
    );
}

// why: what the renderer does not read as a link (escaped brackets, code,
// raw HTML, autolinks) must not be reported as a broken one.
#[test]
fn only_what_renders_as_a_link_is_checked() {
    let pack = pack_with(
        "\\[not a link](a.txt) and `[code](b.txt)`\n\n    [indented code](c.txt)\n\n<div>\n[in raw html](d.txt)\n</div>\n\n<https://un.org/e.txt> <a@b.org>\n\n[real](f.txt)",
        &[],
    );
    assert_eq!(
        check_diagnostics(&pack.root),
        "modules/intro.md:15:8: error: broken link: there is no file `modules/f.txt`\n  hint: check the file name and its folder; paths are relative to this Markdown file"
    );
}

// why: a reference link is checked once, at its definition, where the
// destination is written (here in brackets, with a space), at the right
// line inside nested blocks.
#[test]
fn reference_links_are_checked_at_their_definition() {
    let pack = pack_with(
        "::: activity title=\"W\" minutes=5\n- Read [one][doc] and [two][DOC].\n\n  [doc]: <missing file.pdf>\n:::",
        &[],
    );
    assert_eq!(
        check_diagnostics(&pack.root),
        "modules/intro.md:8:11: error: broken link: there is no file `modules/missing file.pdf`\n  hint: check the file name and its folder; paths are relative to this Markdown file"
    );
}

// why: an email autolink is an address, not a path: `mailto:a@b.org`, not
// `mailto:../a@b.org`.
#[test]
fn email_autolinks_link_to_mailto() {
    let pack = pack_with("Write to <a@b.org>.", &[]);
    assert_eq!(check_diagnostics(&pack.root), "");
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let guide = site::read(&pack.path("site"), "modules/intro/index.html");
    assert!(
        guide.contains("<a href=\"mailto:a@b.org\">a@b.org</a>"),
        "{guide}"
    );
}

// why: CommonMark keeps a backslash before a letter: `[l](foo\bar)` is
// `foo%5Cbar`, the file `foo\bar`, not `foo/bar`.
#[test]
fn backslashes_in_destinations_are_not_separators() {
    let pack = pack_with("[l](media\\notes.txt)", &["modules/media\\notes.txt"]);
    assert_eq!(check_diagnostics(&pack.root), "");
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let guide = site::read(&pack.path("site"), "modules/intro/index.html");
    assert!(guide.contains("href=\"../media%5Cnotes.txt\""), "{guide}");
}
