//! Property tests over generated input: no module, handout or book.toml,
//! however broken, makes trainpack panic; every diagnostic points inside
//! its file; and whatever an author writes, the Typst markup made from it
//! compiles. `PROPTEST_CASES` sets the number of cases (CI runs the
//! default; the long fuzzing runs set it high).

use proptest::prelude::*;
use trainpack::blocks::{Mode, scan};
use trainpack::diag::{Diagnostic, SourceFile};
use trainpack::front_matter;

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
            pdf_only: true,
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
