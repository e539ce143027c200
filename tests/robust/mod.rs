//! Hostile and odd input: every key with a value of the wrong type, files
//! from word processors, huge and deeply nested modules, hostile text, and
//! the machine failing under the build (no space, no permission, a kill,
//! two builds at once). Each case asserts the exact diagnostic, or that the
//! input just works.

use std::path::Path;
use std::process::Command;

use crate::common::{TestPack, check_diagnostics, fixture, run_in};
use crate::site;

mod base_url;
mod files;
mod limits;
mod links;

/// Checks every case of a table: `run` gives the actual diagnostics of an
/// input. With `TRAINPACK_UPDATE_TABLES=1`, prints them all (as Rust string
/// literals, in order) instead of asserting, to update a table after a
/// message changes; read the diff before committing it.
fn assert_table(cases: &[(&str, &str)], run: impl Fn(&str) -> String) {
    let update = std::env::var_os("TRAINPACK_UPDATE_TABLES").is_some();
    for (input, expected) in cases {
        let actual = run(input);
        if update {
            eprintln!("ACTUAL {actual:?}");
        } else {
            assert_eq!(actual, *expected, "input:\n{input}");
        }
    }
}

/// A one-module pack whose module's front matter holds `line` as well.
fn pack_with_front_matter(line: &str) -> TestPack {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "modules/intro.md",
        &format!("+++\ntitle = \"Intro\"\n{line}\n+++\n\nText.\n"),
    );
    pack
}

/// Every front matter key with a value of the wrong type.
const MODULE_KEYS: &[(&str, &str)] = &[
    (
        "number = \"four\"",
        "modules/intro.md:3:10: error: `number` in front matter must be a whole number, found text\n  hint: write a number without quotes, as in `number = 5`",
    ),
    (
        "number = -3",
        "modules/intro.md:3:10: error: `number` in front matter must be a whole number from 0 to 4294967295, found -3\n  hint: write a number without quotes, as in `number = 5`",
    ),
    (
        "duration = [1]",
        "modules/intro.md:3:12: error: `duration` in front matter must be text such as \"1h30\", found a list\n  hint: write `duration = \"1h30\"`, `duration = \"90min\"` or a number of minutes, as in `duration = 90`",
    ),
    (
        "duration = true",
        "modules/intro.md:3:12: error: `duration` in front matter must be text such as \"1h30\", found `true` or `false`\n  hint: write `duration = \"1h30\"`, `duration = \"90min\"` or a number of minutes, as in `duration = 90`",
    ),
    (
        "summary = 1",
        "modules/intro.md:3:11: error: `summary` in front matter must be text in double quotes, found a whole number\n  hint: write `summary = \"...\"`",
    ),
    (
        "activities = \"Quiz\"",
        "modules/intro.md:3:14: error: `activities` in front matter must be a list of text values, found text\n  hint: write `activities = [\"first\", \"second\"]`",
    ),
    (
        "key_messages = [1, 2]",
        "modules/intro.md:3:17: error: `key_messages` in front matter must be a list of text values, found a whole number\n  hint: write `key_messages = [\"first\", \"second\"]`\nmodules/intro.md:3:20: error: `key_messages` in front matter must be a list of text values, found a whole number\n  hint: write `key_messages = [\"first\", \"second\"]`",
    ),
    (
        "handouts = \"case-study-1\"",
        "modules/intro.md:3:12: error: `handouts` in front matter must be a list of text values, found text\n  hint: write `handouts = [\"first\", \"second\"]`",
    ),
    (
        "draft = \"yes\"",
        "modules/intro.md:3:9: error: `draft` in front matter must be `true` or `false`, found text\n  hint: write `draft = true` or `draft = false`",
    ),
    (
        "language = 5",
        "modules/intro.md:3:12: error: `language` in front matter must be text in double quotes, found a whole number\n  hint: write `language = \"...\"`",
    ),
    (
        "language = \"french language\"",
        "modules/intro.md:3:12: error: `french language` is not a language tag\n  hint: use a BCP 47 tag such as \"en\", \"fr\", \"es\", \"ar\" or \"pt-BR\"",
    ),
    (
        "slides = \"none\"",
        "modules/intro.md:3:10: error: `slides` in front matter must be a list of tables, found text\n  hint: write each slide as a table of its own: a line `[[slides]]`, then `title = \"...\"`",
    ),
    (
        "[[slides]]\ntitle = 1",
        "modules/intro.md:4:9: error: `title` in slide 1 must be text in double quotes, found a whole number\n  hint: write `title = \"...\"`",
    ),
    (
        "[[slides]]\ntitle = \"S\"\nminutes = true",
        "modules/intro.md:5:11: error: `minutes` in slide 1 must be text such as \"1h30\", found `true` or `false`\n  hint: write `minutes = \"1h30\"`, `minutes = \"90min\"` or a number of minutes, as in `minutes = 90`",
    ),
    (
        "[[slides]]\ntitle = \"S\"\npoints = \"one\"",
        "modules/intro.md:5:10: error: `points` in slide 1 must be a list of text values, found text\n  hint: write `points = [\"first\", \"second\"]`",
    ),
    (
        "[[slides]]\ntitle = \"S\"\nvideo = 3",
        "modules/intro.md:5:9: error: `video` in slide 1 must be text in double quotes, found a whole number\n  hint: write `video = \"...\"`",
    ),
    (
        "[[slides]]\ntitle = \"S\"\nnotes = \"x\"",
        "modules/intro.md:5:1: error: unknown key `notes` in slide 1\n  hint: did you mean `minutes`?",
    ),
];

// why: a wrong type in any key is named with its line, never a crash.
#[test]
fn every_front_matter_key_rejects_wrong_types() {
    assert_table(MODULE_KEYS, |line| {
        check_diagnostics(&pack_with_front_matter(line).root)
    });
}

/// Every book.toml key with a value of the wrong type.
const BOOK_KEYS: &[(&str, &str)] = &[
    (
        "[pack]\ntitle = 1",
        "book.toml:2:9: error: `title` in `[pack]` must be text in double quotes, found a whole number\n  hint: write `title = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\nsubtitle = []",
        "book.toml:3:12: error: `subtitle` in `[pack]` must be text in double quotes, found a list\n  hint: write `subtitle = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\nlanguage = 2",
        "book.toml:3:12: error: `language` in `[pack]` must be text in double quotes, found a whole number\n  hint: write `language = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\nauthors = \"Me\"",
        "book.toml:3:11: error: `authors` in `[pack]` must be a list of text values, found text\n  hint: write `authors = [\"first\", \"second\"]`",
    ),
    (
        "[pack]\ntitle = \"T\"\ndescription = 1",
        "book.toml:3:15: error: `description` in `[pack]` must be text in double quotes, found a whole number\n  hint: write `description = \"...\"`",
    ),
    (
        "pack = \"T\"",
        "book.toml:1:1: error: `book.toml` has no `[pack]` table\n  hint: add a `[pack]` table with at least `title = \"...\"`\nbook.toml:1:8: error: `pack` in `book.toml` must be a table, found text\n  hint: write the table as a line `[pack]` followed by its keys",
    ),
    (
        "[pack]\ntitle = \"T\"\n[build]\noutput = 1",
        "book.toml:4:10: error: `output` in `[build]` must be text in double quotes, found a whole number\n  hint: write `output = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[build]\nbase_url = false",
        "book.toml:4:12: error: `base_url` in `[build]` must be text in double quotes, found `true` or `false`\n  hint: write `base_url = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[build]\nraw_html = \"no\"",
        "book.toml:4:12: error: `raw_html` in `[build]` must be `true` or `false`, found text\n  hint: write `raw_html = true` or `raw_html = false`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[build]\nprint_answers = 1",
        "book.toml:4:17: error: `print_answers` in `[build]` must be `true` or `false`, found a whole number\n  hint: write `print_answers = true` or `print_answers = false`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[pdf]\npaper = 4",
        "book.toml:4:9: error: `paper` in `[pdf]` must be text in double quotes, found a whole number\n  hint: write `paper = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[theme]\nname = 1",
        "book.toml:4:8: error: `name` in `[theme]` must be text in double quotes, found a whole number\n  hint: write `name = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[schedule]\nstart = 9",
        "book.toml:4:9: error: `start` in `[schedule]` must be text in double quotes, found a whole number\n  hint: write `start = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[schedule]\nstart = \"09:00\"\nday_end = true",
        "book.toml:5:11: error: `day_end` in `[schedule]` must be text in double quotes, found `true` or `false`\n  hint: write `day_end = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[schedule]\nstart = \"09:00\"\nbreaks = \"lunch\"",
        "book.toml:5:10: error: `breaks` in `[schedule]` must be a list of tables, found text\n  hint: write `breaks = [ { at = \"10:30\", minutes = 15 } ]`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[schedule]\nstart = \"09:00\"\nbreaks = [ { at = 1030, minutes = 15 } ]",
        "book.toml:5:19: error: `at` in break 1 must be text in double quotes, found a whole number\n  hint: write `at = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[schedule]\nstart = \"09:00\"\nbreaks = [ { at = \"10:30\", minutes = \"long\" } ]",
        "book.toml:5:38: error: cannot read `minutes` \"long\" as a duration\n  hint: write a duration such as \"2h\", \"90min\" or \"1h30\"",
    ),
    (
        "[pack]\ntitle = \"T\"\n[schedule]\nstart = \"09:00\"\nbreaks = [ { at = \"10:30\", minutes = 15, title = 2 } ]",
        "book.toml:5:50: error: `title` in break 1 must be text in double quotes, found a whole number\n  hint: write `title = \"...\"`",
    ),
    (
        "[pack]\ntitle = \"T\"\n[schedule]\nstart = \"25:00\"",
        "book.toml:4:9: error: `start` must be a time of day, found \"25:00\"\n  hint: write the time as hours and minutes on a 24-hour clock, as in \"09:00\" or \"13:30\"",
    ),
];

// why: the same for book.toml.
#[test]
fn every_book_key_rejects_wrong_types() {
    assert_table(BOOK_KEYS, |text| {
        let pack = TestPack::copy("ok", "minimal");
        pack.write("book.toml", &format!("{text}\n"));
        check_diagnostics(&pack.root)
    });
}

/// A module whose body is `body`, with one slide covered.
fn pack_with_body(body: &str) -> TestPack {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "modules/intro.md",
        &format!("+++\ntitle = \"Intro\"\n\n[[slides]]\ntitle = \"S\"\n+++\n\n## S {{slide=1}}\n\n{body}\n"),
    );
    pack
}

/// Bodies that must be reported, with their exact diagnostics.
const BAD_BODIES: &[(&str, &str, &str)] = &[
    (
        "answers_at_top_level",
        "::: answers\n- UNICEF\n:::",
        "modules/intro.md:10:5: error: an `answers` block cannot sit at the top level of a module\n  hint: put the `answers` block inside the activity, handout or quiz question it answers",
    ),
    (
        "steps_outside_activity",
        "::: steps\n- 5 min: a\n:::",
        "modules/intro.md:10:5: error: a `steps` block cannot sit at the top level of a module\n  hint: put the `steps` block inside the `activity` whose time it splits",
    ),
    (
        "quiz_inside_note",
        "::: note\n::: quiz\n1. Q\n:::\n:::",
        "modules/intro.md:11:5: error: a `quiz` block cannot sit inside a `note` block\n  hint: put the quiz in the module's notes, or inside an activity",
    ),
    (
        "two_quizzes",
        "::: quiz\n1. A\n:::\n\n::: quiz\n1. B\n:::",
        "modules/intro.md:14:1: error: a module has one quiz; the first is at line 10\n  hint: put all the questions in one `quiz` block",
    ),
    (
        "empty_quiz",
        "::: quiz\n:::",
        "modules/intro.md:10:1: error: the quiz has no questions\n  hint: write the questions as a numbered list inside the quiz",
    ),
    (
        "empty_questions_in_inline_handout",
        "::: handout id=h\n::: questions\n:::\n:::",
        "modules/intro.md:11:1: error: a `questions` block has no questions\n  hint: write the questions as a numbered list: `1. What would you do first?`",
    ),
    (
        "text_in_steps",
        "::: activity minutes=5\n::: steps\nFirst do this.\n- 5 min: a\n:::\n:::",
        "modules/intro.md:12:1: error: text outside the list\n  hint: a `steps` block holds only a list of steps\nmodules/intro.md:10:5: warning: activity has no title\n  hint: add `title=\"...\"`: the schedule and the run sheet list activities by title",
    ),
    (
        "two_answers_for_a_question",
        "::: quiz\n1. Q?\n\n   ::: answers\n   A\n   :::\n\n   ::: answers\n   B\n   :::\n:::",
        "modules/intro.md:17:1: error: this quiz question already has an `answers` block\n  hint: put all the possible answers of a question in one block",
    ),
    (
        "attribute_given_twice",
        "::: activity minutes=5 minutes=6\n:::",
        "modules/intro.md:10:24: error: attribute `minutes` is given twice\n  hint: keep one of them",
    ),
    (
        "fence_without_kind",
        "::: title=\"x\"\n:::",
        "modules/intro.md:10:5: error: unknown block kind `title`\n  hint: the block kinds are `activity`, `answers`, `note`, `questions`, `quiz`, `handout`, `steps`, `role`",
    ),
    (
        "heading_attribute_typo",
        "## More {slides=1 #x .y sldie=2}",
        "modules/intro.md:10:9: error: unknown heading attribute `sldie`\n  hint: did you mean `slide`?\nmodules/intro.md:10:9: error: unknown heading attribute `slides`\n  hint: did you mean `slide=1`? `slide` also takes a range, as in `{slide=3-4}`",
    ),
    (
        "fence_in_block_quote",
        "> ::: note\n> quoted\n> :::",
        "modules/intro.md:10:1: warning: a `:::` fence inside a block quote is not read as a block\n  hint: move the block out of the quote: fences must not start with `>`\nmodules/intro.md:12:1: warning: a `:::` fence inside a block quote is not read as a block\n  hint: move the block out of the quote: fences must not start with `>`",
    ),
    (
        "unclosed_code_block_hides_fence",
        "::: note\n```\ncode\n:::",
        "modules/intro.md:10:5: error: `note` block is never closed\n  hint: add a line `:::` where the block ends; note that the code block opened at line 11 is never closed, so the fences after it are read as code",
    ),
    (
        "nested_200_deep",
        "NESTED",
        "modules/intro.md:11:204: error: a `note` block cannot sit inside a `note` block\n  hint: a `note` sits in the notes, an activity or an answers block; for a handout, put it inside the handout's `answers` block, which the answer key shows\nmodules/intro.md:12:203: error: a `note` block cannot sit inside a `note` block\n  hint: a `note` sits in the notes, an activity or an answers block; for a handout, put it inside the handout's `answers` block, which the answer key shows\nmodules/intro.md:13:202: error: a `note` block cannot sit inside a `note` block\n  hint: a `note` sits in the notes, an activity or an answers block; for a handout, put it inside the handout's `answers` block, which the answer key shows",
    ),
];

// why: misplaced, empty, doubled and unclosed blocks each get their own message.
#[test]
fn bad_block_structures_are_reported() {
    for (name, body, expected) in BAD_BODIES {
        let body = if *body == "NESTED" {
            let mut text = String::new();
            for depth in 0..200 {
                text.push_str(&format!("{} note\n", ":".repeat(203 - depth)));
            }
            for depth in (0..200).rev() {
                text.push_str(&format!("{}\n", ":".repeat(203 - depth)));
            }
            text
        } else {
            body.to_string()
        };
        let pack = pack_with_body(&body);
        let actual = check_diagnostics(&pack.root);
        let actual: String = actual.lines().take(6).collect::<Vec<_>>().join("\n");
        if std::env::var_os("TRAINPACK_UPDATE_TABLES").is_some() {
            eprintln!("ACTUAL {actual:?}");
        } else {
            assert_eq!(actual, *expected, "case {name}");
        }
    }
}

/// Bodies that are odd but valid: the pack checks clean and builds.
const GOOD_BODIES: &[(&str, &str)] = &[
    (
        "fence_inside_code_block",
        "```markdown\n::: activity\n:::\n```",
    ),
    ("fence_inside_tilde_code", "~~~\n:::\n~~~"),
    (
        "fence_under_list_item",
        "- item\n\n  ::: note\n  A tip.\n  :::",
    ),
    ("tabs", "\t- tabbed item\n\n::: note\n\tindented tip\n:::"),
    (
        "raw_html_and_script",
        "<div class=\"x\">box</div>\n\n<script>alert('x')</script>",
    ),
    (
        "special_characters",
        "Q&A <b> \"quoted\" & 'single' #hash $dollar @at `code` ~tilde",
    ),
    ("unicode", "Côte d'Ivoire, Ærø, Łódź, 北京, الطفل, 🎓"),
    ("empty_notes", ""),
];

// why: odd but valid input must just work, in the site and the PDFs.
#[test]
fn odd_valid_bodies_build() {
    for (name, body) in GOOD_BODIES {
        let pack = pack_with_body(body);
        assert_eq!(check_diagnostics(&pack.root), "", "case {name}");
        let run = run_in(&pack.root, &["build", "--quiet"]);
        assert_eq!(run.code, 0, "case {name}: {}", run.stderr);
    }
}

// why: files saved on Windows or by Word (BOM, CRLF, mixed endings) must just work.
#[test]
fn bom_crlf_and_mixed_line_endings_just_work() {
    let pack = TestPack::copy("ok", "full");
    let path = pack.path("modules/02-roles/module.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut mixed = String::from("\u{feff}");
    for (i, line) in text.lines().enumerate() {
        mixed.push_str(line);
        mixed.push_str(if i % 3 == 0 {
            "\r\n"
        } else if i % 3 == 1 {
            "\n"
        } else {
            "\r"
        });
    }
    std::fs::write(&path, mixed).unwrap();
    let book = std::fs::read_to_string(pack.path("book.toml"))
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(pack.path("book.toml"), format!("\u{feff}{book}")).unwrap();
    assert_eq!(check_diagnostics(&pack.root), "");
    let reference = TestPack::copy("ok", "full");
    let a = trainpack::load_and_check(&pack.root, &Default::default())
        .pack
        .unwrap();
    let b = trainpack::load_and_check(&reference.root, &Default::default())
        .pack
        .unwrap();
    assert_eq!(
        format!("{:?}", a.modules[1].sections[0].body.markdown),
        format!("{:?}", b.modules[1].sections[0].body.markdown)
    );
    assert_eq!(a.modules[1].schedule.total, b.modules[1].schedule.total);
}

// why: handouts need not have questions, and handout ids are per module.
#[test]
fn handouts_without_questions_and_ids_shared_across_modules() {
    let pack = TestPack::copy("ok", "full");
    pack.write(
        "modules/03-more/module.md",
        "+++\ntitle = \"More\"\n+++\n\nSee [the case](handout:case-study-1).\n",
    );
    pack.write(
        "modules/03-more/handouts/case-study-1.md",
        "+++\ntitle = \"Another Case Study 1\"\n+++\n\nJust a text to read.\n",
    );
    assert_eq!(check_diagnostics(&pack.root), "");
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let guide = site::read(&pack.path("site"), "modules/03-more/index.html");
    assert!(
        guide.contains("href=\"handouts/case-study-1.html\""),
        "links stay in the module"
    );
}

// why: a title with markup characters must be text everywhere it appears.
#[test]
fn markup_characters_in_titles_are_escaped_everywhere() {
    let pack = TestPack::copy("ok", "full");
    let path = pack.path("modules/02-roles/handouts/case-study-1.md");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "title = \"Case Study 1\"",
        "title = \"A<b>&\\\"Case\\\"</b>\"",
    );
    std::fs::write(&path, text).unwrap();
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = pack.path("site");
    for page in [
        "modules/02-roles/handouts/case-study-1.html",
        "modules/02-roles/index.html",
        "index.html",
        "answer-key.html",
    ] {
        let html = site::read(&out, page);
        assert!(!html.contains("A<b>&"), "{page} has the raw title");
        assert!(
            html.contains("A&lt;b&gt;&amp;&quot;Case&quot;&lt;&#x2F;b&gt;")
                || html.contains("A&lt;b&gt;&amp;&quot;Case&quot;&lt;/b&gt;"),
            "{page}"
        );
    }
    let index = site::read(&out, "search-index.js");
    assert!(
        index.contains("A\\u003cb>&\\\"Case\\\"\\u003c/b>"),
        "search index: {index}"
    );
    let info = Command::new("pdfinfo")
        .arg(out.join("modules/02-roles/handouts/case-study-1.pdf"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("Title:           A<b>&\"Case\"</b>"));
}

// why: `raw_html = false` is for packs that take outside contributions.
#[test]
fn raw_html_is_escaped_when_turned_off() {
    let pack = pack_with_body("<script>alert('x')</script>\n\nText <img src=x onerror=alert(1)>");
    let book = "[pack]\ntitle = \"Minimal pack\"\n\n[build]\nraw_html = false\n";
    pack.write("book.toml", book);
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site::read(&pack.path("site"), "modules/intro/index.html");
    assert!(!html.contains("<script>alert"), "script passed through");
    assert!(!html.contains("<img src=x"), "img passed through");
    assert!(html.contains("&lt;script&gt;alert"), "{html}");
}

// why: a theme with a syntax error is reported with its line.
#[test]
fn template_syntax_errors_are_reported() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Minimal pack\"\n\n[theme]\nname = \"mine\"\n",
    );
    pack.write(
        "themes/mine/templates/index.html",
        "<p>\n{% if site.title %}\n</p>\n",
    );
    let run = run_in(&pack.root, &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: syntax error in template"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> themes/mine/templates/index.html:"),
        "{}",
        run.stderr
    );
}

// why: 10,000 slides and 100 MB of notes must finish, with bounded memory.
#[test]
fn huge_modules_finish() {
    let pack = TestPack::copy("ok", "minimal");
    let mut text = String::from("+++\ntitle = \"Huge\"\n");
    for i in 1..=10_000 {
        text.push_str(&format!(
            "\n[[slides]]\ntitle = \"Slide {i}\"\nminutes = 1\n"
        ));
    }
    text.push_str("+++\n\n");
    for i in 1..=10_000 {
        text.push_str(&format!(
            "## Slide {i} {{slide={i}}}\n\nNotes for slide {i}.\n\n"
        ));
    }
    pack.write("modules/intro.md", &text);
    let report = trainpack::check(&pack.root, &Default::default());
    assert!(
        report.diagnostics.is_empty(),
        "{:?}",
        report.diagnostics.first()
    );
    assert_eq!(report.summary.unwrap().modules[0].slides, 10_000);

    let paragraph =
        "Trainers read this paragraph of notes, which is long enough to make a big file quickly. "
            .repeat(10);
    let mut big = String::with_capacity(101 * 1024 * 1024);
    big.push_str("+++\ntitle = \"Big\"\n+++\n\n");
    while big.len() < 100 * 1024 * 1024 {
        big.push_str(&paragraph);
        big.push_str("\n\n");
    }
    pack.write("modules/intro.md", &big);
    drop(big);
    let report = trainpack::check(&pack.root, &Default::default());
    assert!(report.diagnostics.is_empty());
}

fn unshare_available() -> bool {
    Command::new("unshare")
        .args(["-rm", "true"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Runs the binary inside a private mount namespace where `mount_dir`
/// is a tmpfs mounted with `options`, after `setup` copies files into it.
fn run_on_tmpfs(mount_dir: &Path, options: &str, script: &str) -> (i32, String) {
    let bin = env!("CARGO_BIN_EXE_trainpack");
    let full = format!(
        "mount -t tmpfs -o {options} tmpfs '{dir}' && {script}",
        dir = mount_dir.display()
    )
    .replace("TRAINPACK", bin);
    let out = Command::new("unshare")
        .args(["-rm", "sh", "-c", &full])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// why: a full disk must fail with a clear error and leave the old site.
#[test]
fn a_full_disk_fails_cleanly() {
    assert!(
        unshare_available(),
        "this test needs `unshare -rm` (util-linux) to mount a tiny tmpfs"
    );
    let pack = TestPack::copy_dir(&site::sample_root());
    let disk = pack.root.parent().unwrap().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    // A first build fits in 6 MB; the second, with a 5 MB picture more, does not.
    let script = format!(
        "TRAINPACK build '{pack}' --output '{disk}/site' --quiet && head -c 5000000 /dev/urandom > '{pack}/modules/en/04-coordination/media/big.bin' && TRAINPACK build '{pack}' --output '{disk}/site'; echo \"exit=$?\" >&2; ls -a '{disk}' >&2; cat '{disk}/site/index.html' | head -c 15 >&2",
        pack = pack.root.display(),
        disk = disk.display()
    );
    let (_, stderr) = run_on_tmpfs(&disk, "size=6m", &script);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        stderr.contains("the disk is full; free some space"),
        "{stderr}"
    );
    assert!(!stderr.contains("os error"), "{stderr}");
    assert!(
        stderr.contains("the build failed and the output folder was left as it was"),
        "{stderr}"
    );
    assert!(stderr.contains("exit=1"), "{stderr}");
    assert!(
        stderr.contains("<!DOCTYPE html>"),
        "the old site is still there: {stderr}"
    );
    let listing = stderr.split("exit=").nth(1).unwrap_or("");
    assert!(
        !listing.contains("building"),
        "no staging folder is left: {stderr}"
    );
}

// why: an output folder the build may not write to is a clear error.
#[test]
fn an_unwritable_output_folder_fails_cleanly() {
    assert!(
        unshare_available(),
        "this test needs `unshare -rm` (util-linux) to mount a read-only tmpfs"
    );
    let pack = TestPack::copy("ok", "minimal");
    let disk = pack.root.parent().unwrap().join("readonly");
    std::fs::create_dir_all(&disk).unwrap();
    let script = format!(
        "TRAINPACK build '{}' --output '{}/site'",
        pack.root.display(),
        disk.display()
    );
    let (code, stderr) = run_on_tmpfs(&disk, "ro,size=1m", &script);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with("error: the build failed and the output folder was left as it was: cannot create the lock file"), "{stderr}");
    assert!(
        stderr.ends_with("the disk is read-only; choose another folder (Read-only file system)\n"),
        "{stderr}"
    );
}

// why: killing a build at any moment leaves a complete site, old or new.
#[test]
fn a_killed_build_leaves_a_complete_site() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0);
    let old = snapshot(&pack.path("site"));
    let path = pack.path("modules/en/04-coordination/module.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Since 2001", "Ever since 2001")).unwrap();
    let mut outcomes = std::collections::BTreeSet::new();
    for delay_ms in [0u64, 5, 10, 20, 30, 45, 60, 80, 120, 200] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trainpack"))
            .args(["build", "--quiet"])
            .current_dir(&pack.root)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&pack.path("site"));
        let guide =
            String::from_utf8_lossy(&now["modules/04-coordination/index.html"]).into_owned();
        if guide.contains("Ever since 2001") {
            outcomes.insert("new");
            assert_eq!(now.len(), old.len(), "the new site is complete");
        } else {
            outcomes.insert("old");
            assert_same_site(&now, &old);
        }
        // Put the old site back for the next round, by a build of the old text.
        std::fs::write(&path, &text).unwrap();
        assert_eq!(run_in(&pack.root, &["build", "--quiet"]).code, 0);
        std::fs::write(&path, text.replace("Since 2001", "Ever since 2001")).unwrap();
    }
    assert!(
        outcomes.contains("old"),
        "some kill should land before the swap"
    );
}

/// Asserts two sites hold the same files with the same bytes, naming the
/// first difference (never printing whole files).
fn assert_same_site(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) {
    let names_a: Vec<&String> = a.keys().collect();
    let names_b: Vec<&String> = b.keys().collect();
    assert_eq!(names_a, names_b, "the sites hold different files");
    for (path, bytes) in a {
        assert!(bytes == &b[path], "`{path}` differs");
    }
}

fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    site::files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

// why: two builds into one folder at once must not mix their files.
#[test]
fn two_builds_at_once_take_turns() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_trainpack"))
            .args(["build", "--quiet"])
            .current_dir(&pack.root)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let reference = TestPack::copy_dir(&site::sample_root());
    assert_eq!(run_in(&reference.root, &["build", "--quiet"]).code, 0);
    assert_same_site(
        &snapshot(&pack.path("site")),
        &snapshot(&reference.path("site")),
    );
}

// why: builds on two paths, at two times, from files written in another
// order, with no SOURCE_DATE_EPOCH, give the same bytes.
#[test]
fn builds_are_reproducible_across_paths_times_and_file_order() {
    let first = TestPack::copy_dir(&site::sample_root());
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("elsewhere/pack");
    let mut files = site::files(&first.root);
    files.reverse();
    for file in files {
        let target = second.join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(first.root.join(&file), target).unwrap();
    }
    let build = |root: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_trainpack"))
            .args(["build", "--quiet"])
            .current_dir(root)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    build(&first.root);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    build(&second);
    assert_same_site(
        &snapshot(&first.path("site")),
        &snapshot(&second.join("site")),
    );
}

// why: the output folder may never be inside modules/, even from the command line.
#[test]
fn output_inside_modules_from_the_command_line() {
    let run = run_in(
        &fixture("ok", "minimal"),
        &["build", "--output", "modules/site"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: the output folder is inside `modules/`"),
        "{}",
        run.stderr
    );
}
