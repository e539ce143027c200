//! `trainpack print`: the class print run, read back with poppler's
//! `pdftotext` and `pdfinfo`, over the fixture `ok/class` (a module with a
//! participant handout, a group handout and a quiz; a module with an
//! inline group handout; 6 participants in `[course]`; two days).

use std::path::Path;
use std::process::Command;

use crate::common::{Run, TestPack, run_in};

fn print(pack: &TestPack, args: &[&str]) -> Run {
    let mut all = vec!["print"];
    all.extend_from_slice(args);
    run_in(&pack.root, &all)
}

fn printed(pack: &TestPack, args: &[&str]) -> Run {
    let run = print(pack, args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    run
}

/// Each page's text, white space collapsed; blank pages are "".
fn pages(pdf: &Path) -> Vec<String> {
    let output = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed: run `scripts/install-test-deps`");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    // pdftotext ends the last page with a form feed too.
    pages.pop();
    pages
}

fn page_count(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

fn count(pages: &[String], text: &str) -> usize {
    pages.iter().filter(|p| p.contains(text)).count()
}

/// The manifest's `name: value` line, as a number.
fn stated(manifest: &str, name: &str) -> usize {
    manifest
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no `{name}` in the manifest:\n{manifest}"))
}

// why: the check: 24 participants in 4 groups get 24 copies of
// each participant document and 4 of each group document, on the pages
// the manifest states, every document on an odd page, and no answer
// before the trainer's copies.
#[test]
fn a_class_of_24_in_4_groups() {
    let pack = TestPack::copy("ok", "class");
    let run = printed(&pack, &["--participants", "24", "--groups", "4"]);
    let pdf = pack.path("print/class.pdf");
    let manifest = std::fs::read_to_string(pack.path("print/class-manifest.txt")).unwrap();
    assert!(run.stdout.contains(&manifest), "{}", run.stdout);
    let pages = pages(&pdf);
    assert_eq!(page_count(&pdf), stated(&manifest, "pages"));
    assert_eq!(pages.len(), stated(&manifest, "pages"));
    assert_eq!(count(&pages, "PARTICIPANT-HANDOUT-TEXT"), 24);
    assert_eq!(count(&pages, "Who fills in the intake form?"), 24 + 1);
    assert_eq!(count(&pages, "GROUP-HANDOUT-TEXT"), 4);
    assert_eq!(count(&pages, "GROUP-INLINE-TEXT"), 4);
    // Five role cards, four to a page: two pages in each group's set.
    for card in ["ROLECARD-OFFICER", "ROLECARD-MOTHER", "ROLECARD-OBSERVER"] {
        assert_eq!(count(&pages, card), 4, "{card}");
    }
    for group in 1..=4 {
        assert_eq!(count(&pages, &format!("Group {group} of 4")), 2, "{group}");
    }
    let trainer = pages
        .iter()
        .position(|p| p.contains("Trainer's copies"))
        .expect("a cover for the trainer's copies");
    for (at, page) in pages[..trainer].iter().enumerate() {
        for answer in ["SECRETANSWER", "(correct)"] {
            assert!(!page.contains(answer), "page {}: {page}", at + 1);
        }
    }
    let keys = pages[trainer..].join(" ");
    assert!(keys.contains("SECRETANSWER-HANDOUT"), "{keys}");
    // The run sheet of the course leads the trainer's copies.
    let sheet = &pages[trainer + 2];
    for text in [
        "Run sheet",
        "Day 1",
        "Module 1: Intake",
        "ACTIVITY Team case",
        "09:10",
    ] {
        assert!(sheet.contains(text), "{text}: {sheet}");
    }
    assert!(
        pages[trainer + 3].contains("Day 2"),
        "{}",
        pages[trainer + 3]
    );
    assert!(keys.contains("SECRETANSWER-ACTIVITY"), "{keys}");
    assert!(keys.contains("The officer (correct)"), "{keys}");
    // Every document's first page, and every cover, is an odd page.
    let starts: Vec<usize> = (0..pages.len())
        .filter(|&i| {
            let p = &pages[i];
            p.contains("Page 1 of") || p.contains("In this set")
        })
        .collect();
    assert_eq!(
        starts.len(),
        24 + 24 + 4 + 4 + 4 + 8 + 1 + 1 + 2,
        "{starts:?}"
    );
    assert!(starts.iter().all(|i| i % 2 == 0), "{starts:?}");
    // Each page that is no document's first follows the page before it
    // in one document, or is blank.
    let blanks = pages.iter().filter(|p| p.is_empty()).count();
    assert!(
        manifest.contains(&format!("print without the {blanks} blank pages")),
        "{manifest}"
    );
    assert_eq!(
        stated(&manifest, "sheets of paper, double-sided"),
        pages.len().div_ceil(2)
    );
    assert_eq!(
        stated(&manifest, "sheets of paper, single-sided"),
        pages.len() - blanks
    );
}

// why: copies reuse the first copy's pages, so a class of 24 does not
// make a file 24 times the size of one participant's.
#[test]
fn copies_share_their_pages() {
    let pack = TestPack::copy("ok", "class");
    printed(&pack, &["--participants", "1", "-o", "one.pdf", "--quiet"]);
    printed(
        &pack,
        &["--participants", "24", "-o", "many.pdf", "--quiet"],
    );
    let one = std::fs::metadata(pack.path("one.pdf")).unwrap().len();
    let many = std::fs::metadata(pack.path("many.pdf")).unwrap().len();
    assert!(
        many < one * 3 / 2,
        "1 participant: {one} bytes, 24: {many} bytes"
    );
    assert!(pack.path("one-manifest.txt").is_file());
}

// why: the class's size comes from `[course]` when not given, and `--day`
// prints only that day's modules.
#[test]
fn participants_from_the_course_and_one_day() {
    let pack = TestPack::copy("ok", "class");
    let run = printed(&pack, &[]);
    assert!(
        run.stdout.contains("class: 6 participants in 1 group\n"),
        "{}",
        run.stdout
    );
    let pages_all = pages(&pack.path("print/class.pdf"));
    assert_eq!(count(&pages_all, "PARTICIPANT-HANDOUT-TEXT"), 6);
    assert_eq!(count(&pages_all, "GROUP-HANDOUT-TEXT"), 1);
    printed(&pack, &["--day", "2", "--groups", "3"]);
    let day = pages(&pack.path("print/class.pdf"));
    assert_eq!(count(&day, "PARTICIPANT-HANDOUT-TEXT"), 0);
    assert_eq!(count(&day, "GROUP-INLINE-TEXT"), 3);
}

// why: a site already built gives its PDFs to the print run: nothing is
// typeset again but the cover sheets and the role cards (which only a
// print run holds); the trainer's guide shows the role cards.
#[test]
fn a_built_site_gives_its_pdfs() {
    let pack = TestPack::copy("ok", "class");
    let build = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let run = printed(&pack, &["--quiet"]);
    assert!(
        run.stdout.contains("(1 document typeset)"),
        "{}",
        run.stdout
    );
    let guide = std::fs::read_to_string(pack.path("site/modules/02-follow-up/index.html")).unwrap();
    assert!(guide.contains("Role card: The officer"), "{guide}");
    let fresh = TestPack::copy("ok", "class");
    let run = printed(&fresh, &["--quiet"]);
    assert!(
        run.stdout.contains("(7 documents typeset)"),
        "{}",
        run.stdout
    );
}

// why: a wrong class or module choice says what to do, and writes nothing.
#[test]
fn wrong_choices_are_errors() {
    let pack = TestPack::copy("ok", "class");
    let run = print(&pack, &["--modules", "01-intak"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no module named `01-intak`")
            && run.stderr.contains("did you mean `01-intake`?"),
        "{}",
        run.stderr
    );
    let run = print(&pack, &["--participants", "3", "--groups", "4"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("cannot split 3 participants into 4 groups"),
        "{}",
        run.stderr
    );
    let run = print(&pack, &["--day", "3"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("the course has no day 3"),
        "{}",
        run.stderr
    );
    let run = print(&pack, &["-o", "site/class.pdf"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is inside the site's folder"),
        "{}",
        run.stderr
    );
    let run = print(&pack, &["-o", "modules/class.pdf"]);
    assert!(
        run.stderr.contains("is inside `modules/`"),
        "{}",
        run.stderr
    );
    assert!(!pack.path("modules/class.pdf").exists());
    pack.edit("book.toml", "[course]\nparticipants = 6\n", "");
    let run = print(&pack, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("how many participants"),
        "{}",
        run.stderr
    );
    assert!(!pack.path("print").exists());
}
