//! Property tests over generated input: no module, handout or book.toml,
//! however broken, makes trainpack panic; every diagnostic points inside
//! its file; and whatever an author writes, the Typst markup made from it
//! compiles; and no link destination, however disguised, puts a script
//! address in a page of a pack with `raw_html = false`, or escapes `check`.
//! `PROPTEST_CASES` sets the number of cases (CI runs the default; the long
//! fuzzing runs set it high).

use proptest::prelude::*;
use trainpack::diag::{Diagnostic, SourceFile};
use trainpack::load::blocks::{Mode, scan};
use trainpack::load::front_matter;
use trainpack::load::markdown::links::script_scheme;
use trainpack::render::markdown::{Links, Page, render_markdown};

use crate::site;

/// Lines that exercise the parser: fences of every kind and depth, code
/// fences, notes headings, list items, links and text with characters that
/// mean something to Markdown, HTML, TOML or Typst.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(":::".to_string()),
        Just("::::".to_string()),
        Just("  :::".to_string()),
        Just("::: activity title=\"Work\" minutes=10".to_string()),
        Just("::: activity minutes=\"1h30\"".to_string()),
        Just("::: activity title=\"unclosed".to_string()),
        Just(":::: activity minutes=5".to_string()),
        Just("::: answers".to_string()),
        Just("   ::: answers".to_string()),
        Just("::: note".to_string()),
        Just("::: questions".to_string()),
        Just("::: quiz title=\"Q\"".to_string()),
        Just("::: steps".to_string()),
        Just("::: handout id=h1 title=\"H\"".to_string()),
        Just("::: handout id=\"bad id\"".to_string()),
        Just("::: bogus x=y".to_string()),
        Just(":::{.class}".to_string()),
        Just("```".to_string()),
        Just("~~~~".to_string()),
        Just("## Notes {slide=1}".to_string()),
        Just("## Range {slide=2-3}".to_string()),
        Just("## Bad {slide=0-x}".to_string()),
        Just("## Plain".to_string()),
        Just("# Title".to_string()),
        Just("1. Question?".to_string()),
        Just("2) Other".to_string()),
        Just("   - [ ] wrong".to_string()),
        Just("   - [x] right".to_string()),
        Just("- 5 min: step".to_string()),
        Just("- step without time".to_string()),
        Just("> quoted ::: fence".to_string()),
        Just("| a | b |".to_string()),
        Just("|---|---|".to_string()),
        Just("[^1]: note".to_string()),
        Just("text[^1] and [^missing]".to_string()),
        Just(
            "[case](handout:h1) [m](module:nope) ![](../../x.png) ![alt](media/a.png)".to_string()
        ),
        Just("<script>alert(1)</script> <b>bold".to_string()),
        Just("[x](JaVaScRiPt:alert(1)) <javascript:x> ![i](data:text/html,x) [r][r]".to_string()),
        Just("[r]: &#x6A;avascript:alert(1) <a@b.org> [f](my\\_notes.txt)".to_string()),
        Just("#set page(width: 1cm) $x$ @ref <label> // c /* d */ \\".to_string()),
        Just("\t\ttabbed".to_string()),
        Just(String::new()),
        "[^\\n]{0,40}".prop_map(|s| s),
        "\\PC{0,20}".prop_map(|s| s),
    ]
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..60).prop_map(|lines| lines.join("\n"))
}

fn front_matter_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title = \"T & <T>\"".to_string()),
        Just("title = 3".to_string()),
        Just("duration = \"1h30\"".to_string()),
        Just("duration = \"soon\"".to_string()),
        Just("number = 4".to_string()),
        Just("number = -1".to_string()),
        Just("outcomes = [\"a\", 2]".to_string()),
        Just("handouts = [\"h1\", \"nope\"]".to_string()),
        Just("[[slides]]\ntitle = \"S\"\nminutes = 5".to_string()),
        Just("[[slides]]\nminutes = \"x\"\nvideo = \"youtu.be\"".to_string()),
        Just("titel = \"typo\"".to_string()),
        Just("= broken toml [".to_string()),
        "[a-z_]{1,8} = \"[^\"\\n]{0,10}\"".prop_map(|s| s),
    ];
    prop::collection::vec(key, 0..8).prop_map(|keys| keys.join("\n"))
}

fn module_text() -> impl Strategy<Value = String> {
    (front_matter_text(), body(), any::<bool>(), any::<bool>()).prop_map(|(fm, body, crlf, bom)| {
        let text = format!("+++\n{fm}\n+++\n{body}\n");
        let text = if crlf {
            text.replace('\n', "\r\n")
        } else {
            text
        };
        if bom { format!("\u{feff}{text}") } else { text }
    })
}

fn assert_inside(file: &SourceFile, diags: &[Diagnostic]) {
    let lines = file.text.lines().count().max(1);
    for d in diags {
        assert!(
            d.line <= lines + 1,
            "line {} beyond {} lines: {}",
            d.line,
            lines,
            d.short()
        );
        if let Some(span) = &d.span {
            assert!(
                span.start <= file.text.len(),
                "span beyond the file: {}",
                d.short()
            );
        }
    }
}

proptest! {
    // why: a panic on bad input is a bug; diagnostics must point inside the file.
    #[test]
    fn module_parsing_never_panics(text in module_text()) {
        let file = SourceFile::new("m.md", &text);
        let mut diags = Vec::new();
        if let Some(split) = front_matter::split(&file, &mut diags) {
            front_matter::read_module(&file, &split, &mut diags);
            let result = scan(&file, split.body, Mode::Module);
            diags.extend(result.diagnostics);
            let result = scan(&file, split.body, Mode::Handout);
            diags.extend(result.diagnostics);
        }
        assert_inside(&file, &diags);
    }

    // why: the whole pipeline, from files on disk to pages, must survive any module.
    #[test]
    fn a_pack_with_any_module_builds_or_reports(text in module_text(), handout in body()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("book.toml"), "[pack]\ntitle = \"Fuzz\"\n").unwrap();
        std::fs::create_dir_all(root.join("modules/m/handouts")).unwrap();
        std::fs::write(root.join("modules/m/module.md"), &text).unwrap();
        std::fs::write(root.join("modules/m/handouts/h1.md"), format!("+++\ntitle = \"H\"\n+++\n{handout}\n")).unwrap();
        let options = trainpack::build::BuildOptions {
            root: root.to_path_buf(),
            output: Some(root.join("out")),
            outputs: trainpack::build::Outputs::Site,
            ..Default::default()
        };
        match trainpack::build::build(&options) {
            Ok(report) => prop_assert!(report.pages > 0),
            Err(failure) => prop_assert!(failure.diagnostics.iter().any(Diagnostic::is_error) || failure.error.is_some()),
        }
    }
}

proptest! {
    // Each case typesets a PDF: fewer cases by default.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24), ..ProptestConfig::default() })]

    // why: author text is escaped, so no text can make a PDF fail to compile.
    #[test]
    fn any_handout_text_typesets(handout in body(), title in "\\PC{0,30}") {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("book.toml"), "[pack]\ntitle = \"Fuzz\"\n").unwrap();
        std::fs::create_dir_all(root.join("modules/m/handouts")).unwrap();
        std::fs::write(root.join("modules/m/module.md"), "+++\ntitle = \"M\"\n+++\n").unwrap();
        let title = toml_string(&title);
        std::fs::write(root.join("modules/m/handouts/h1.md"), format!("+++\ntitle = {title}\n+++\n{handout}\n")).unwrap();
        let options = trainpack::build::BuildOptions {
            root: root.to_path_buf(),
            output: Some(root.join("out")),
            outputs: trainpack::build::Outputs::Pdfs,
            ..Default::default()
        };
        if let Err(failure) = trainpack::build::build(&options) {
            let pdf_errors: Vec<String> = failure.diagnostics.iter().filter(|d| d.message.starts_with("cannot make")).map(Diagnostic::short).collect();
            prop_assert!(pdf_errors.is_empty(), "{pdf_errors:#?}");
        }
    }
}

fn toml_string(text: &str) -> String {
    let escaped: String = text
        .chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            c if c.is_control() => format!("\\u{:04X}", c as u32),
            c => c.to_string(),
        })
        .collect();
    format!("\"{escaped}\"")
}

/// One character of a scheme, mostly as is, else disguised: another case,
/// a numeric entity, a tab or line break after it (browsers drop them).
fn disguised(c: char, how: u8) -> String {
    match how % 40 {
        0..=9 => c.to_ascii_uppercase().to_string(),
        10 => format!("&#x{:X};", c as u32),
        11 => format!("&#{};", c as u32),
        12 => format!("{c}\t"),
        13 => format!("{c}&#10;"),
        _ => c.to_string(),
    }
}

/// A link destination made of the pieces that hide a scheme: leading
/// white space and control characters (raw, as entities or escaped), the
/// scheme's letters disguised, and a colon written plainly, escaped or as
/// an entity.
fn destination() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        3 => Just("javascript"),
        1 => Just("vbscript"),
        2 => Just("data"),
        1 => Just("https"),
        1 => Just("mailto"),
        1 => Just("handout"),
        1 => Just("media/x"),
        1 => Just(""),
    ];
    let lead = prop_oneof![
        6 => Just(""),
        1 => Just(" "),
        1 => Just("\u{1}"),
        1 => Just("\t"),
        1 => Just("&#x20;"),
        1 => Just("&#0;"),
        1 => Just("&Tab;"),
        1 => Just("&NewLine;"),
        1 => Just("\\ "),
    ];
    let colon = prop_oneof![
        4 => Just(":"),
        1 => Just("\\:"),
        1 => Just("&#58;"),
        1 => Just("&colon;"),
        1 => Just("&#x3a;"),
    ];
    let rest = prop_oneof![
        Just("alert(1)"),
        Just("text/html,x"),
        Just("//x.org/a"),
        Just("")
    ];
    (
        scheme,
        prop::collection::vec(any::<u8>(), 10),
        lead,
        colon,
        rest,
    )
        .prop_map(|(scheme, hows, lead, colon, rest)| {
            let letters: String = scheme
                .chars()
                .zip(hows.iter().cycle())
                .map(|(c, how)| disguised(c, *how))
                .collect();
            format!("{lead}{letters}{colon}{rest}")
        })
}

/// The destination written in one of the ways Markdown links and images
/// are: inline, in brackets, as an image, by reference, as an autolink, in
/// a heading, a footnote, a list or a table.
fn link_markdown() -> impl Strategy<Value = String> {
    (destination(), 0u8..9).prop_map(|(dest, form)| match form {
        0 => format!("[t]({dest})"),
        1 => format!("[t](<{dest}>)"),
        2 => format!("![alt]({dest})"),
        3 => format!("[t][r]\n\n[r]: {dest}"),
        4 => format!("<{dest}>"),
        5 => format!("### [t]({dest})"),
        6 => format!("x[^1]\n\n[^1]: [t]({dest})"),
        7 => format!("- [ ] [t]({dest})"),
        _ => format!("| [t]({dest}) |\n|---|"),
    })
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

proptest! {
    // why: `raw_html = false` must hold whatever disguise a destination wears.
    #[test]
    fn no_destination_writes_a_script_link_with_raw_html_off(markdown in link_markdown()) {
        let html = render(&markdown, false);
        prop_assert_eq!(site::script_addresses(&html), Vec::<String>::new(), "{}", html);
    }

    // why: check must see every script link the pages would write when
    // they keep links as written, so that it reports each one: the links
    // it reads are those the scan of a file records.
    #[test]
    fn check_finds_every_script_link_the_pages_would_write(markdown in link_markdown()) {
        let html = render(&markdown, true);
        let written = !site::script_addresses(&html).is_empty();
        let file = SourceFile::new("h.md", &markdown);
        let found = scan(&file, 0, Mode::Handout).links.iter().any(|l| script_scheme(&l.dest).is_some());
        prop_assert!(!written || found, "{markdown:?} gave {html}");
    }
}
