//! The deck's PDFs, read back with poppler: `slides.pdf` has one 16:9 page
//! per slide and no notes; `slides-notes.pdf` has each slide with its notes.

use std::path::Path;

use crate::common::{TestPack, run_in};
use crate::pdf::{info, pdf_text, tool};
use crate::site;

const MODULE: &str = "modules/04-coordination";

/// The text of one page, white space collapsed.
pub fn page_text(path: &Path, page: usize) -> String {
    let page = page.to_string();
    let text = tool(
        "pdftotext",
        &["-f", &page, "-l", &page, path.to_str().unwrap(), "-"],
    );
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Letters and digits only, lowercase: hyphenation and line breaks aside.
pub fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first words of each notes section of the sample's English module,
/// as plain text.
fn notes_openings(root: &Path) -> Vec<String> {
    let pack = trainpack::load_and_check(root, &Default::default())
        .pack
        .unwrap();
    pack.modules[0]
        .sections
        .iter()
        .filter_map(|s| {
            let line = s.body.markdown.lines().find(|l| {
                let l = l.trim();
                !l.is_empty() && l.chars().next().is_some_and(char::is_alphabetic)
            })?;
            let words: Vec<&str> = line
                .split_whitespace()
                .take_while(|w| w.chars().all(|c| c.is_alphanumeric() || ",.'".contains(c)))
                .take(6)
                .collect();
            (words.len() >= 3).then(|| words.join(" "))
        })
        .collect()
}

// why: the checks: one page per slide, each slide's title on its
// page, the notes in the notes pages and never in the participants' deck.
#[test]
fn deck_pdfs_hold_the_slides_and_the_notes() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = pack.path("site");
    let model = trainpack::load_and_check(&pack.root, &Default::default())
        .pack
        .unwrap();
    let slides = &model.modules[0].slides;
    let deck = out.join(MODULE).join("slides.pdf");
    assert_eq!(info(&deck, "Pages"), slides.len().to_string());
    assert_eq!(info(&deck, "Page size"), "720 x 405 pts");
    assert_eq!(info(&deck, "Tagged"), "yes");
    for slide in slides {
        let page = page_text(&deck, slide.number as usize);
        assert!(
            page.contains(&slide.title),
            "slide {}: {page}",
            slide.number
        );
        assert!(
            page.contains(&format!("Slide {} of {}", slide.number, slides.len())),
            "{page}"
        );
    }
    // The video prints its address beside its QR code.
    assert!(page_text(&deck, 2).contains("https://youtu.be/4duPBWzf46E"));
    let openings = notes_openings(&pack.root);
    assert!(openings.len() >= 5, "{openings:?}");
    let deck_text = letters(&pdf_text(&deck));
    let notes = out.join(MODULE).join("slides-notes.pdf");
    let notes_text = letters(&pdf_text(&notes));
    for opening in &openings {
        assert!(
            !deck_text.contains(&letters(opening)),
            "notes in the deck: {opening}"
        );
        assert!(
            notes_text.contains(&letters(opening)),
            "notes missing: {opening}"
        );
    }
    for slide in slides {
        assert!(
            notes_text.contains(&letters(&slide.title)),
            "{}",
            slide.title
        );
    }
    let pages: usize = info(&notes, "Pages").parse().unwrap();
    assert!(pages >= slides.len(), "{pages}");
    assert_eq!(info(&notes, "Page size"), "595.276 x 841.89 pts (A4)");
    let first = page_text(&notes, 1);
    assert!(
        first.contains("Learning outcomes") && first.contains("Trainer's notes"),
        "{first}"
    );
    // Slide 11 shares the notes of slide 10 ({slide=10-11}).
    assert!(notes_text.contains(&letters("The notes for this slide are with slide 10.")));
    // The French deck is typeset in French.
    let french = pdf_text(&out.join("fr").join(MODULE).join("slides.pdf"));
    assert!(french.contains("Objectifs d'apprentissage"), "{french}");
    assert!(
        french.contains("Diapositive 1 sur 11") || french.contains("1 sur 11"),
        "{french}"
    );
}

// why: a module without slides has no deck PDFs, and links to none.
#[test]
fn a_module_without_slides_has_no_deck_pdf() {
    let pack = TestPack::copy("ok", "minimal");
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let module = pack.path("site/modules/intro");
    assert!(!module.join("slides.pdf").exists());
    assert!(!module.join("slides-notes.pdf").exists());
    let guide = site::read(&pack.path("site"), "modules/intro/index.html");
    assert!(!guide.contains("slides.pdf"), "{guide}");
}

/// The left edge of the first word on page 1 holding `word`, in points.
pub fn left_of(pdf: &Path, word: &str) -> f64 {
    let html = tool(
        "pdftotext",
        &["-bbox", "-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    );
    let line = html
        .lines()
        .find(|l| {
            // pdftotext gives right-to-left words in visual order.
            let reversed: String = word.chars().rev().collect();
            l.contains("xMin=")
                && (l.contains(&format!(">{word}<")) || l.contains(&format!(">{reversed}<")))
        })
        .unwrap_or_else(|| panic!("no {word} in {html}"));
    let x = line
        .split("xMin=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    x.parse().unwrap()
}

// why: an Arabic deck reads right to left: its title starts at the right.
#[test]
fn an_arabic_deck_is_right_to_left() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write("book.toml", "[pack]\ntitle = \"حزمة\"\nlanguage = \"ar\"\n");
    pack.write(
        "modules/intro.md",
        "+++\ntitle = \"مقدمة\"\n\n[[slides]]\nid = \"welcome\"\ntitle = \"مرحبا\"\npoints = [\"نقطة\"]\n+++\n\n## مرحبا {slide=welcome}\n\nملاحظات.\n",
    );
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let deck = pack.path("site/modules/intro/slides.pdf");
    assert_eq!(info(&deck, "Pages"), "1");
    assert!(
        left_of(&deck, "مرحبا") > 360.0,
        "the title is not on the right"
    );
    let notes = pack.path("site/modules/intro/slides-notes.pdf");
    // (pdftotext splits the lam-alef ligature of "ملاحظات", so the title
    // is what is looked for.)
    assert!(pdf_text(&notes).contains("مرحبا"));
}

/// Whether `pdftohtml` reports the text run that is (or starts with)
/// `words` in `pdf` as set in a bold font.
fn is_bold(pdf: &Path, words: &str) -> bool {
    let xml = tool(
        "pdftohtml",
        &["-xml", "-i", "-stdout", pdf.to_str().unwrap()],
    );
    let line = xml
        .lines()
        .find(|l| {
            l.starts_with("<text")
                && (l.contains(&format!(">{words}<")) || l.contains(&format!(">{words} ")))
        })
        .unwrap_or_else(|| panic!("no {words} in {xml}"));
    line.contains(&format!("<b>{words}</b>"))
}

// why: a table in a slide's body has its header row in bold in the deck,
// as in the handouts and the notes pages (the deck is typeset outside the
// handouts' page setup, which once held the table's style).
#[test]
fn a_slide_table_has_a_bold_header_row() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "modules/intro.md",
        "+++\ntitle = \"Intro\"\n\n[[slides]]\nid = \"levels\"\ntitle = \"Levels\"\nbody = \"\"\"\n| Level | Who |\n|---|---|\n| Strategic | Headquarters |\n\"\"\"\n+++\n\n## Levels {slide=levels}\n\nNotes.\n",
    );
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for pdf in ["slides.pdf", "slides-notes.pdf"] {
        let pdf = pack.path("site/modules/intro").join(pdf);
        assert!(is_bold(&pdf, "Level"), "{pdf:?}");
        assert!(is_bold(&pdf, "Who"), "{pdf:?}");
        assert!(!is_bold(&pdf, "Strategic"), "{pdf:?}");
    }
}

/// The form XObjects that page `page` (from 1) of `pdf` draws.
fn forms_on_page(pdf: &Path, page: usize) -> usize {
    let doc = lopdf::Document::load(pdf).unwrap();
    let id = doc.get_pages()[&(page as u32)];
    let resources = doc.get_page_resources(id).unwrap();
    let xobjects = match resources.0 {
        Some(dict) => dict.get(b"XObject").ok().cloned(),
        None => resources
            .1
            .iter()
            .find_map(|r| doc.get_dictionary(*r).ok()?.get(b"XObject").ok().cloned()),
    };
    let xobjects = match xobjects {
        Some(lopdf::Object::Dictionary(d)) => d,
        Some(lopdf::Object::Reference(r)) => doc.get_dictionary(r).unwrap().clone(),
        _ => return 0,
    };
    xobjects
        .iter()
        .filter(|(_, o)| {
            let stream = o.as_reference().and_then(|r| doc.get_object(r));
            stream.and_then(|s| s.as_stream()).is_ok_and(|s| {
                s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Form")
            })
        })
        .count()
}

// why: a notes page draws its slide from the deck (`slides.pdf`) instead
// of typesetting it again; the slide's text stays in the page, and a
// rebuild after a notes-only edit, which keeps the deck, still draws it.
#[test]
fn notes_pages_draw_the_slides_of_the_deck() {
    let pack = TestPack::copy("ok", "minimal");
    let module = |notes: &str| {
        format!(
            "+++\ntitle = \"Intro\"\n\n[[slides]]\nid = \"welcome\"\ntitle = \"Welcome aboard\"\npoints = [\"Ground rules\"]\n\n[[slides]]\nid = \"plan\"\ntitle = \"The plan\"\npoints = [\"Three sessions\"]\n+++\n\n## Welcome aboard {{slide=welcome}}\n\n{notes}\n\n## The plan {{slide=plan}}\n\nWalk through the day.\n"
        )
    };
    pack.write("modules/intro.md", &module("Greet the class."));
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes = pack.path("site/modules/intro/slides-notes.pdf");
    for page in 1..=2 {
        assert_eq!(forms_on_page(&notes, page), 1, "page {page}");
    }
    let first = page_text(&notes, 1);
    assert!(
        first.contains("Welcome aboard") && first.contains("Ground rules"),
        "{first}"
    );
    assert!(first.contains("Greet the class."), "{first}");
    let second = page_text(&notes, 2);
    assert!(
        second.contains("The plan") && second.ends_with("Page 2 of 2"),
        "{second}"
    );

    let deck = pack.path("site/modules/intro/slides.pdf");
    let deck_before = std::fs::read(&deck).unwrap();
    pack.write("modules/intro.md", &module("Greet the class by name."));
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read(&deck).unwrap(), deck_before);
    let first = page_text(&notes, 1);
    assert!(
        first.contains("Welcome aboard") && first.contains("Greet the class by name."),
        "{first}"
    );
    assert_eq!(forms_on_page(&notes, 1), 1);
}

// why: a theme's deck that does not print one page per slide cannot be
// drawn from: the notes pages then typeset each slide themselves.
#[test]
fn notes_pages_typeset_the_slides_when_the_deck_is_not_one_page_each() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Minimal pack\"\n\n[theme]\nname = \"mine\"\n",
    );
    pack.write(
        "themes/mine/pdf/slides.typ",
        "#let render(data) = for slide in data.slides {\n  page[#slide.title]\n  page[#slide.title, again]\n}\n",
    );
    pack.write(
        "modules/intro.md",
        "+++\ntitle = \"Intro\"\n\n[[slides]]\nid = \"welcome\"\ntitle = \"Welcome aboard\"\npoints = [\"Ground rules\"]\n+++\n\n## Welcome aboard {slide=welcome}\n\nGreet the class.\n",
    );
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = pack.path("site/modules/intro");
    assert_eq!(info(&site.join("slides.pdf"), "Pages"), "2");
    let notes = site.join("slides-notes.pdf");
    assert_eq!(forms_on_page(&notes, 1), 0);
    let first = page_text(&notes, 1);
    assert!(
        first.contains("Welcome aboard") && first.contains("Ground rules"),
        "{first}"
    );
}
