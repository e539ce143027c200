//! The printed trainer's guide (`modules/<slug>/guide.pdf`) and the course
//! book (`guide.pdf`), read back with poppler and lopdf.

use std::path::Path;

use trainpack::model::{Block, Body, Module};

use crate::common::{TestPack, run_in};
use crate::deck_pdf::{letters, page_text};
use crate::pdf::{info, tool};
use crate::site;

const MODULE: &str = "modules/04-coordination";

fn text_of(path: &Path) -> String {
    tool("pdftotext", &[path.to_str().unwrap(), "-"])
}

/// The first words of the first plain line of some Markdown: what any
/// rendering of it starts with.
fn opening(markdown: &str) -> Option<String> {
    let line = markdown.lines().find(|l| {
        let l = l.trim().trim_start_matches(['-', '*', '>', ' ']);
        !l.is_empty() && l.chars().next().is_some_and(char::is_alphabetic)
    })?;
    let plain = line.replace(['*', '_'], "");
    let words: Vec<&str> = plain
        .trim()
        .trim_start_matches(['-', '>', ' '])
        .split_whitespace()
        .take_while(|w| w.chars().all(|c| c.is_alphanumeric() || ",.'’".contains(c)))
        .take(6)
        .collect();
    (words.len() >= 3).then(|| words.join(" "))
}

/// The openings of every `answers` block of a module, in source order.
fn answers(module: &Module) -> Vec<String> {
    let mut out = Vec::new();
    let mut visit = |body: &Body| {
        body.walk(&mut |block, _| {
            if let Block::Answers(a) = block {
                out.extend(opening(&a.body.markdown));
            }
        });
    };
    visit(&module.overview);
    module.sections.iter().for_each(|s| visit(&s.body));
    out
}

/// Asserts that each of `needles` is in `hay` after the one before.
fn in_order(hay: &str, needles: &[String], what: &str) {
    let hay = letters(hay);
    let mut from = 0;
    for needle in needles {
        let found = hay[from..].find(&letters(needle));
        let at = found.unwrap_or_else(|| panic!("{what} `{needle}` missing or out of order"));
        from += at + 1;
    }
}

fn build(pack: &TestPack) -> std::path::PathBuf {
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    pack.path("site")
}

fn sample_module(root: &Path) -> std::sync::Arc<Module> {
    let pack = trainpack::load_and_check(root, &Default::default())
        .pack
        .unwrap();
    pack.modules[0].clone()
}

// why: the check: every notes section, answer and key message of
// the sample module is in its printed guide, in order.
#[test]
fn the_guide_holds_every_section_answer_and_key_message_in_order() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let site = build(&pack);
    let module = sample_module(&pack.root);
    let guide = site.join(MODULE).join("guide.pdf");
    let text = text_of(&guide);
    let titles: Vec<String> = module.sections.iter().map(|s| s.title.clone()).collect();
    assert!(titles.len() > 5, "{titles:?}");
    in_order(&text, &titles, "section");
    let notes: Vec<String> = module
        .sections
        .iter()
        .filter_map(|s| opening(&s.body.markdown))
        .collect();
    in_order(&text, &notes, "notes");
    let answers = answers(&module);
    assert!(answers.len() >= 3, "{answers:?}");
    in_order(&text, &answers, "answer");
    in_order(&text, &module.key_messages, "key message");
    let slides: Vec<String> = module.slides.iter().map(|s| s.title.clone()).collect();
    in_order(&text, &slides, "slide");
    assert_eq!(info(&guide, "Tagged"), "yes");
    assert_eq!(info(&guide, "Page size"), "595.276 x 841.89 pts (A4)");
    let pages: usize = info(&guide, "Pages").parse().unwrap();
    assert!(page_text(&guide, pages).contains(&format!("Page {pages} of {pages}")));
}

// why: `print_answers = false` leaves possible answers out of the printed
// guide, and only them.
#[test]
fn a_guide_without_answers_holds_none() {
    let pack = TestPack::copy_dir(&site::sample_root());
    pack.edit("book.toml", "[build]\n", "[build]\nprint_answers = false\n");
    let site = build(&pack);
    let module = sample_module(&pack.root);
    let text = letters(&text_of(&site.join(MODULE).join("guide.pdf")));
    for answer in answers(&module) {
        assert!(
            !text.contains(&letters(&answer)),
            "answer `{answer}` printed"
        );
    }
    let notes: Vec<String> = module
        .sections
        .iter()
        .filter_map(|s| opening(&s.body.markdown))
        .collect();
    in_order(&text, &notes, "notes");
    // The answer keys still hold them.
    let key = letters(&text_of(&site.join(MODULE).join("answer-key.pdf")));
    assert!(key.contains(&letters(&answers(&module)[0])));
}

/// What the contents page prints after each line of `labels`: a page
/// number, or a handout's page within the appendix ("A-3").
fn contents_marks(book: &Path, labels: &[&str]) -> Vec<String> {
    let path = book.to_str().unwrap();
    let layout = tool("pdftotext", &["-layout", "-f", "2", "-l", "2", path, "-"]);
    let contents = layout.split_whitespace().collect::<Vec<_>>().join(" ");
    labels
        .iter()
        .map(|label| {
            let at = contents
                .find(label)
                .unwrap_or_else(|| panic!("`{label}` not in the contents: {contents}"));
            let rest = contents[at + label.len()..].trim_start();
            rest.split(' ').next().unwrap_or_default().to_string()
        })
        .collect()
}

/// The page of the book each line of `labels` starts on, by the contents:
/// a handout's "A-3" is the appendix's third page.
fn contents_pages(book: &Path, labels: &[&str]) -> Vec<usize> {
    let number = |mark: &str| {
        mark.parse::<usize>()
            .unwrap_or_else(|_| panic!("not a page number: `{mark}`"))
    };
    let appendix = || number(&contents_marks(book, &["Appendix: handouts"])[0]);
    contents_marks(book, labels)
        .iter()
        .map(|mark| match mark.strip_prefix("A-") {
            Some(within) => appendix() + number(within) - 1,
            None => number(mark),
        })
        .collect()
}

// why: the checks on the course book: the contents give the page
// each module starts on, and that page holds it; one run of page numbers;
// links print as where to find what they link to.
#[test]
fn the_course_book_lists_its_parts_on_the_pages_that_hold_them() {
    let pack = TestPack::copy("ok", "full");
    let site = build(&pack);
    let book = site.join("guide.pdf");
    let pages: usize = info(&book, "Pages").parse().unwrap();
    let labels = [
        "Module 1: Welcome",
        "Module 2: Roles & Responsibilities",
        "Case Study 2",
        "Referral checklist",
    ];
    let starts = contents_pages(&book, &labels);
    for (label, page) in labels.iter().zip(&starts) {
        let title = label.split(": ").last().unwrap();
        assert!(
            page_text(&book, *page).contains(title),
            "page {page} does not hold `{label}`"
        );
    }
    for page in 1..=pages {
        let text = page_text(&book, page);
        assert!(
            text.contains(&format!("Page {page} of {pages}")),
            "page {page}: {text}"
        );
    }
    // The appendix's pages also carry their number within it.
    let checklist = contents_marks(&book, &["Referral checklist"])[0].clone();
    assert!(page_text(&book, starts[3]).contains(&format!("{checklist} · Page")));
    let text = page_text(&book, starts[1]) + &page_text(&book, starts[1] + 1);
    let case_one = &contents_marks(&book, &["Case Study 1"])[0];
    assert!(case_one.starts_with("A-"), "{case_one}");
    assert!(
        text.contains(&format!("Case Study 1 (page {case_one})")),
        "no page for the case study: {text}"
    );
    let welcome = page_text(&book, starts[0]);
    assert!(
        welcome.contains(&format!("see Module 2, page {}", starts[1])),
        "{welcome}"
    );
    // The module's own guide names the handout instead.
    let own = tool(
        "pdftotext",
        &[
            site.join("modules/02-roles/guide.pdf").to_str().unwrap(),
            "-",
        ],
    );
    assert!(own.contains("Case Study 1 (handout)"), "{own}");
    assert_eq!(info(&book, "Page size"), "612 x 792 pts (letter)");
    assert_eq!(info(&book, "Title"), "Full pack");
    assert_eq!(info(&book, "Tagged"), "yes");
}

/// How many documents a rebuild of `pack` typeset after `edit` changed
/// its first module, as `build --timings` reports it.
fn documents_typeset_after(edit: impl Fn(&str) -> String) -> (TestPack, usize) {
    let pack = TestPack::copy("ok", "full");
    build(&pack);
    let file = "modules/01-welcome.md";
    let text = std::fs::read_to_string(pack.path(file)).unwrap();
    pack.write(file, &edit(&text));
    let run = run_in(&pack.root, &["build", "--no-office", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let count = run
        .stderr
        .split(" ms (")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of documents typeset: {}", run.stderr));
    (pack, count)
}

// why: the book's page numbers are stamped on when it is bound, and a
// guide cites a handout by its page within the appendix ("A-2"), so a
// guide that grows by a page renumbers the book without typesetting the
// parts after it again: only the cover (its contents) and the page numbers.
// Before, every later part was typeset.
#[test]
fn a_part_that_grows_retypesets_only_what_shows_the_pages_it_moved() {
    let (short, same_length) = documents_typeset_after(|text| {
        text.replace("Greet the participants.", "Greet all participants.")
    });
    // The module's guide and notes pages, and its part of the course book
    // once: typeset beside them, laid out as in the last book, and taken
    // by the book, which is laid out the same.
    assert_eq!(same_length, 3);
    let filler =
        "This paragraph makes the guide longer, so that it runs on to one more page. ".repeat(6);
    let (pack, longer) = documents_typeset_after(|text| {
        let more = format!(
            "Greet the participants.\n\n{}",
            [filler.as_str(); 30].join("\n\n")
        );
        text.replace("Greet the participants.", &more)
    });
    // The cover and one stamp document, and the welcome guide's part once
    // more: the one typeset beside the module's own PDFs was laid out as
    // in the last book, but the guide prints the page the roles module
    // starts on ("see Module 2, page 9"), which moved. The roles guide,
    // which prints the page of Case Study 1, is kept: that page moved, but
    // not within the appendix.
    assert_eq!(longer, same_length + 3);
    let book = pack.path("site/guide.pdf");
    let pages: usize = info(&book, "Pages").parse().unwrap();
    let before: usize = info(&short.path("site/guide.pdf"), "Pages")
        .parse()
        .unwrap();
    assert!(pages > before, "the guide did not grow: {pages} pages");
    for page in 1..=pages {
        let text = page_text(&book, page);
        assert!(
            text.contains(&format!("Page {page} of {pages}")),
            "page {page}: {text}"
        );
    }
    let roles = contents_pages(&book, &["Module 2: Roles & Responsibilities"])[0];
    let case_one = &contents_marks(&book, &["Case Study 1"])[0];
    let text = page_text(&book, roles) + &page_text(&book, roles + 1);
    assert!(
        text.contains(&format!("Case Study 1 (page {case_one})")),
        "{text}"
    );
    let welcome = page_text(&book, contents_pages(&book, &["Module 1: Welcome"])[0]);
    assert!(
        welcome.contains(&format!("see Module 2, page {roles}")),
        "{welcome}"
    );
}

/// The catalog of a PDF and the text of its XMP metadata.
fn catalog_and_xmp(path: &Path) -> (lopdf::Dictionary, String) {
    let doc = lopdf::Document::load(path).unwrap();
    let catalog = doc.catalog().unwrap().clone();
    let xmp = catalog
        .get(b"Metadata")
        .and_then(|m| m.as_reference())
        .and_then(|id| doc.get_object(id))
        .and_then(|o| o.as_stream())
        .map(|s| String::from_utf8_lossy(&s.content).into_owned())
        .unwrap_or_default();
    (catalog, xmp)
}

// why: the merged PDFs (course book, course answer key) carry their title
// and language in XMP too, show the title, and leave `Suspects` out.
#[test]
fn merged_pdfs_carry_title_and_language_in_xmp() {
    let pack = TestPack::copy("ok", "full");
    let site = build(&pack);
    for (file, title) in [
        ("guide.pdf", "Full pack"),
        ("answer-key.pdf", "Answer key for the whole course"),
    ] {
        let (catalog, xmp) = catalog_and_xmp(&site.join(file));
        assert_eq!(info(&site.join(file), "Title"), title);
        assert!(
            xmp.contains(&format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>")),
            "{file}: {xmp}"
        );
        assert!(
            xmp.contains("<dc:language><rdf:Bag><rdf:li>en</rdf:li>"),
            "{file}: {xmp}"
        );
        let prefs = catalog
            .get(b"ViewerPreferences")
            .unwrap()
            .as_dict()
            .unwrap();
        assert!(
            prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap(),
            "{file}"
        );
        let mark = catalog.get(b"MarkInfo").unwrap().as_dict().unwrap();
        assert!(!mark.has(b"Suspects"), "{file}");
    }
    let outline = lopdf::Document::load(site.join("guide.pdf"))
        .unwrap()
        .get_toc()
        .unwrap();
    let titles: Vec<(usize, &str)> = outline
        .toc
        .iter()
        .map(|t| (t.level, t.title.as_str()))
        .collect();
    assert!(
        titles.contains(&(1, "Module 2: Roles & Responsibilities")),
        "{titles:?}"
    );
    assert!(titles.contains(&(2, "Actors")), "{titles:?}");
    assert!(titles.contains(&(1, "Appendix: handouts")), "{titles:?}");
    assert!(titles.contains(&(2, "Referral checklist")), "{titles:?}");
}

// why: an Arabic guide and course book read right to left: the module's
// title starts at the right of the page.
#[test]
fn an_arabic_guide_is_right_to_left() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write("book.toml", "[pack]\ntitle = \"حزمة\"\nlanguage = \"ar\"\n");
    pack.write(
        "modules/intro.md",
        "+++\ntitle = \"مقدمة\"\nsummary = \"ملخص\"\nkey_messages = [\"رسالة\"]\n\n[[slides]]\nid = \"welcome\"\ntitle = \"مرحبا\"\npoints = [\"نقطة\"]\n+++\n\n## مرحبا {slide=welcome}\n\nملاحظات.\n",
    );
    let site = build(&pack);
    let guide = site.join("modules/intro/guide.pdf");
    assert!(
        crate::deck_pdf::left_of(&guide, "ملخص") > 300.0,
        "the title is not on the right"
    );
    let book = site.join("guide.pdf");
    let text = text_of(&book);
    assert!(text.contains("كتاب الدورة"), "{text}");
    assert!(text.contains("الصفحة"), "{text}");
}

// why: the book is bound from the parts' pieces kept in the cache, read
// one at a time as it is written; a piece that cannot be read (a disk
// that filled up mid-write) must not lose its part: the part is typeset
// again and the book comes out whole.
#[test]
fn a_book_whose_cached_parts_are_unreadable_is_bound_whole() {
    let pack = TestPack::copy("ok", "full");
    build(&pack);
    let book = pack.path("site/guide.pdf");
    let before = text_of(&book);
    let pieces = pack.path(".site.cache/answer-key");
    let files: Vec<_> = std::fs::read_dir(&pieces)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() > 3, "{files:?}");
    for file in files {
        std::fs::write(file, b"not a piece").unwrap();
    }
    // Without the record of where the last book put each piece, every
    // piece is read from the cache again.
    std::fs::remove_file(pack.path(".site.cache/course-book.v1.bound")).unwrap();
    let file = "modules/01-welcome.md";
    let text = std::fs::read_to_string(pack.path(file)).unwrap();
    pack.write(
        file,
        &text.replace("Greet the participants.", "Greet all participants."),
    );
    let run = run_in(&pack.root, &["build", "--no-office"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = text_of(&book);
    assert_eq!(
        after.replace("Greet all participants.", "Greet the participants."),
        before
    );
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

#[cfg(not(unix))]
fn inode(_: &Path) -> u64 {
    0
}

/// The offset of the first letter of the last font subset's tag
/// ("ABCDEF+Font") in a PDF.
fn last_subset_tag(pdf: &[u8]) -> usize {
    let key = b"/BaseFont";
    let at = pdf.windows(key.len()).rposition(|w| w == key).unwrap() + key.len();
    let name = at + pdf[at..].iter().position(|b| *b == b'/').unwrap() + 1;
    assert_eq!(
        pdf[name + 6],
        b'+',
        "{}",
        String::from_utf8_lossy(&pdf[name..name + 20])
    );
    name
}

// why: after a one-module edit the course book copies each piece that did
// not move from the last book instead of writing it again (issue 22: a
// 17,000-page book rebuilt in a second), and must still be the very file
// a build from nothing makes, byte for byte.
#[test]
fn a_book_rebuilt_after_an_edit_copies_the_rest_from_the_last_book() {
    let pack = TestPack::copy("ok", "full");
    build(&pack);
    let book = pack.path("site/guide.pdf");
    let mut marked = std::fs::read(&book).unwrap();
    // A mark in the last handout, which the edit leaves where it was: a
    // rebuild that copies it keeps the mark.
    let tag = last_subset_tag(&marked);
    marked[tag] = if marked[tag] == b'Q' { b'R' } else { b'Q' };
    std::fs::write(&book, &marked).unwrap();
    let (from, to) = ("Greet the participants.", "Greet all participants.");
    pack.edit("modules/01-welcome.md", from, to);
    let file = inode(&book);
    build(&pack);
    assert_eq!(inode(&book), file, "the last book was patched where it is");
    let rebuilt = std::fs::read(&book).unwrap();
    assert!(text_of(&book).contains(to));
    let fresh = TestPack::copy("ok", "full");
    fresh.edit("modules/01-welcome.md", from, to);
    let mut expected = std::fs::read(build(&fresh).join("guide.pdf")).unwrap();
    // The edited part's bytes are a byte longer or shorter: what follows
    // it moves.
    let moved = last_subset_tag(&rebuilt);
    assert_eq!(last_subset_tag(&expected), moved);
    assert_eq!(rebuilt[moved], marked[tag], "the last handout was copied");
    assert_ne!(expected[moved], marked[tag]);
    expected[moved] = marked[tag];
    assert!(
        rebuilt == expected,
        "the rebuilt book differs from a new one"
    );
}

// why: the course's answer key is merged from the module keys like the
// book: after an answer is edited, the keys of the other modules stay
// where they were and the last key is patched where it is; the file must
// still be the one a build from nothing makes.
#[test]
fn a_course_key_rebuilt_after_an_answer_edit_is_the_last_one_patched() {
    let pack = TestPack::copy("ok", "full");
    build(&pack);
    let key = pack.path("site/answer-key.pdf");
    let (from, to) = ("2. Report to the CPA", "2. Report to the PCA");
    pack.edit("modules/02-roles/module.md", from, to);
    let file = inode(&key);
    build(&pack);
    assert_eq!(inode(&key), file, "the last key was patched where it is");
    assert!(text_of(&key).contains("Report to the PCA"));
    let fresh = TestPack::copy("ok", "full");
    fresh.edit("modules/02-roles/module.md", from, to);
    let expected = std::fs::read(build(&fresh).join("answer-key.pdf")).unwrap();
    assert!(
        std::fs::read(&key).unwrap() == expected,
        "the key differs from a new one"
    );
}

// why: a module's title is on every page of the site, so a new title
// changes every module's fingerprint, and with it the book index's name
// for every part. The book used to plan the other modules' parts from
// their own PDFs' lengths, lay out a book that did not hold, and typeset
// every guide after the first whose part is longer (at 1000 modules, 951
// guides and 80 s) before it laid the book out as it was. (In this small
// pack every part is as long as its module's own PDF, so the old plan was
// right here too: this test pins the count; bench/guide_pdfs.sh shows the
// difference at 1000 modules.)
#[test]
fn a_new_module_title_typesets_no_other_modules_part_of_the_book() {
    let (_, retitled) = documents_typeset_after(|text| {
        text.replacen("title = \"Welcome\"", "title = \"Welcome and opening\"", 1)
    });
    // The welcome module's own PDFs that print its title, its part of the
    // book once, and the book's cover, whose contents list the new title:
    // no part of the roles module.
    assert_eq!(retitled, 7);
}
