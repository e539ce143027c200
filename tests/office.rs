//! The Office files (`slides.pptx`, the handouts', quiz's and answer key's
//! `.docx`), read back by independent readers: python-pptx and python-docx
//! (installed by `scripts/install-test-deps`), and LibreOffice.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{TestPack, run_in};
use crate::site::sample_root;

const MODULE: &str = "modules/04-coordination";

/// The Python that has python-pptx and python-docx: the venv that
/// `scripts/install-test-deps` makes, else the system's. None (the test
/// is skipped) only when there is no Python at all.
fn python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/office-venv/bin/python");
    let python = if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    };
    match Command::new(&python)
        .arg("-c")
        .arg("import pptx, docx")
        .output()
    {
        Err(_) => {
            eprintln!("skipped: no python3 to read the Office files back with");
            None
        }
        Ok(out) => {
            assert!(
                out.status.success(),
                "python-pptx or python-docx is missing: run scripts/install-test-deps\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(python)
        }
    }
}

/// What python-pptx and python-docx read in `files`, by path.
fn read_back(python: &Path, files: &[PathBuf]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/office/read_back.py");
    let out = Command::new(python)
        .arg(script)
        .args(files)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from read_back.py")
}

fn built_sample(args: &[&str]) -> (TestPack, PathBuf) {
    let pack = TestPack::copy_dir(&sample_root());
    let mut all = vec!["build", "--no-pdf"];
    all.extend(args);
    let run = run_in(&pack.root, &all);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let site = pack.root.join("site");
    (pack, site)
}

fn paragraphs(doc: &Value) -> Vec<(String, String)> {
    doc["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["style"].as_str().unwrap().to_string(),
                p["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// why: the deck must hold every slide with its title, and the trainer's
// notes as speaker notes, activities and possible answers marked.
#[test]
fn deck_has_every_slide_and_the_notes_as_speaker_notes() {
    let Some(python) = python() else { return };
    let (_pack, site) = built_sample(&[]);
    let path = site.join(MODULE).join("slides.pptx");
    let all = read_back(&python, std::slice::from_ref(&path));
    let deck = &all[path.to_str().unwrap()];
    let slides = deck["slides"].as_array().unwrap();
    let titles: Vec<&str> = slides
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Learning outcomes",
            "The power of teamwork",
            "Coordination with other child protection actors",
            "Coordinating with actors of the child protection system",
            "Child Protection Advisors (CPAs)",
            "UN Police Child Protection Focal Point",
            "Conclusion",
            "Questions",
            "Key messages",
            "Key messages (1 of 2)",
            "Key messages (2 of 2)",
        ]
    );
    assert_eq!(slides.len(), 11);
    assert!(slides.iter().all(|s| s["layout"] == "Title and Content"));
    let notes = |i: usize| slides[i]["notes"].as_str().unwrap().to_string();
    assert!(
        notes(0).starts_with("Earlier modules showed"),
        "{}",
        notes(0)
    );
    assert!(
        notes(2).contains("Activity: Short exercise on international actors (10 min)"),
        "{}",
        notes(2)
    );
    assert!(
        slides
            .iter()
            .any(|s| s["notes"].as_str().unwrap().contains("Possible answers:")),
        "no slide marks its possible answers"
    );
    // The video is a link on its slide; the picture is on its slide.
    assert!(
        slides[1]["texts"]
            .to_string()
            .contains("Video: https://youtu.be/4duPBWzf46E"),
        "{}",
        slides[1]["texts"]
    );
    assert_eq!(slides[2]["pictures"], 1);
    // The SVG's PNG stand-in (what LibreOffice shows) is its drawing, not
    // a blank pixel.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let fallback = zip
        .by_name("ppt/media/trainpack-image3-fallback.png")
        .expect("the SVG's stand-in");
    assert!(fallback.size() > 10_000, "{} bytes", fallback.size());
}

// why: participants' files never hold answers or the trainer's notes, and
// every paragraph is in a named style.
#[test]
fn participant_files_hold_no_answers_and_use_styles() {
    let Some(python) = python() else { return };
    let (_pack, site) = built_sample(&[]);
    let dir = site.join(MODULE);
    let handouts: Vec<PathBuf> = (1..=4)
        .map(|i| dir.join(format!("handouts/case-study-{i}.docx")))
        .collect();
    let mut files = handouts.clone();
    files.push(dir.join("quiz.docx"));
    files.push(dir.join("answer-key.docx"));
    let all = read_back(&python, &files);
    let doc = |p: &Path| &all[p.to_str().unwrap()];
    let key = paragraphs(doc(&dir.join("answer-key.docx")));
    let answers: Vec<&String> = key
        .iter()
        .filter(|(style, text)| style == "Answer" && text.len() > 25)
        .map(|(_, text)| text)
        .collect();
    assert!(answers.len() > 5, "{key:?}");
    let styles: Vec<&str> = key.iter().map(|(s, _)| s.as_str()).collect();
    for style in ["Title", "Heading 1", "Heading 2", "Answer", "List Number"] {
        assert!(styles.contains(&style), "{style} not in {styles:?}");
    }
    for path in &files[..files.len() - 1] {
        let paras = paragraphs(doc(path));
        for (style, text) in &paras {
            assert!(
                !["Answer", "Label"].contains(&style.as_str()),
                "{}: {style}: {text}",
                path.display()
            );
            for answer in &answers {
                assert!(
                    !text.contains(answer.as_str()),
                    "{}: answer {answer}",
                    path.display()
                );
            }
        }
        assert_eq!(paras[0].0, "Title");
        assert!(paras.iter().any(|(s, _)| s == "List Number"), "{paras:?}");
        assert!(paras.iter().any(|(s, _)| s == "Answer Line"), "{paras:?}");
    }
    let quiz = paragraphs(doc(&dir.join("quiz.docx")));
    assert!(!quiz.iter().any(|(_, t)| t.contains('☑')), "{quiz:?}");
    assert!(key.iter().any(|(_, t)| t.contains('☑')), "{key:?}");
}

// why: two builds of the same pack give byte-identical Office files.
#[test]
fn office_files_are_reproducible() {
    let (_a, one) = built_sample(&[]);
    let (_b, two) = built_sample(&[]);
    let mut compared = 0;
    for name in [
        "slides.pptx",
        "answer-key.docx",
        "quiz.docx",
        "handouts/case-study-1.docx",
    ] {
        let a = std::fs::read(one.join(MODULE).join(name)).unwrap();
        let b = std::fs::read(two.join(MODULE).join(name)).unwrap();
        assert!(a == b, "{name} differs between two builds");
        compared += 1;
    }
    assert_eq!(compared, 4);
}

// why: unchanged modules' Office files are copied, not made again, and
// `--no-office` leaves them out.
#[test]
fn office_files_are_reused_and_no_office_skips_them() {
    let pack = TestPack::copy_dir(&sample_root());
    let first = run_in(&pack.root, &["build", "--no-pdf"]);
    assert!(
        first
            .stdout
            .contains("14 Office files (14 made, 0 unchanged)"),
        "{}",
        first.stdout
    );
    let second = run_in(&pack.root, &["build", "--no-pdf"]);
    assert!(
        second
            .stdout
            .contains("14 Office files (0 made, 14 unchanged)"),
        "{}",
        second.stdout
    );
    pack.edit(
        "modules/en/04-coordination/handouts/case-study-2.md",
        "\n\n::: questions",
        " One more sentence.\n\n::: questions",
    );
    let third = run_in(&pack.root, &["build", "--no-pdf"]);
    assert!(
        third
            .stdout
            .contains("14 Office files (7 made, 7 unchanged)"),
        "{}",
        third.stdout
    );
    let skipped = run_in(&pack.root, &["build", "--no-pdf", "--no-office"]);
    assert_eq!(skipped.code, 0, "{}", skipped.stderr);
    assert!(!skipped.stdout.contains("Office"), "{}", skipped.stdout);
    assert!(
        !pack
            .root
            .join("site")
            .join(MODULE)
            .join("slides.pptx")
            .exists()
    );
}

// why: Arabic reads right to left in PowerPoint and Word.
#[test]
fn arabic_files_are_right_to_left() {
    let Some(python) = python() else { return };
    let pack = TestPack::copy("ok", "office_rtl");
    let run = run_in(&pack.root, &["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let dir = pack.root.join("site/modules/01-intro");
    let files = [dir.join("slides.pptx"), dir.join("handouts/case.docx")];
    let all = read_back(&python, &files);
    let deck = &all[files[0].to_str().unwrap()];
    assert_eq!(deck["slides"][0]["title"], "الأدوار");
    assert_eq!(deck["slides"][0]["rtl"], true, "{deck}");
    let paras = all[files[1].to_str().unwrap()]["paragraphs"]
        .as_array()
        .unwrap()
        .clone();
    assert!(paras.iter().all(|p| p["bidi"] == true), "{paras:?}");
    let tables = &all[files[1].to_str().unwrap()]["tables"];
    assert_eq!(tables[0]["rows"][1][0], "مستشار", "{tables}");
    assert_eq!(tables[0]["bidi"], true, "{tables}");
    assert!(
        !paras
            .iter()
            .any(|p| p["text"].as_str().unwrap().contains("مستشار"))
    );
}

// why: a Markdown table is a Word table (a style, its header row repeated
// on each page, the cells' emphasis and links kept) and a picture an
// inline image with its alternative text, not text that stands for them;
// the answers stay out of the handout all the same.
#[test]
fn handout_tables_and_pictures_are_word_tables_and_images() {
    let Some(python) = python() else { return };
    let pack = TestPack::copy("ok", "office_tables");
    let run = run_in(&pack.root, &["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let dir = pack.root.join("site/modules/01-roles");
    let files = [
        dir.join("handouts/who-does-what.docx"),
        dir.join("slides.pptx"),
        dir.join("answer-key.docx"),
    ];
    let all = read_back(&python, &files);
    let doc = &all[files[0].to_str().unwrap()];
    let tables = doc["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1, "{doc}");
    let table = &tables[0];
    assert_eq!(table["style"], "Trainpack Table");
    assert_eq!(
        table["rows"],
        serde_json::json!([
            ["Actor", "Role", "Contact"],
            ["Child Protection Advisor", "Advises the mission", "UNICEF"],
            ["UN Police focal point", "Trains officers", ""],
        ])
    );
    assert_eq!(table["header"], serde_json::json!([true, false, false]));
    assert_eq!(table["bidi"], false);
    let paras = paragraphs(doc);
    assert!(
        !paras
            .iter()
            .any(|(_, t)| t.contains('|') || t.contains("Chart of")),
        "{paras:?}"
    );
    assert!(
        !paras.iter().any(|(_, t)| t.contains("at once")),
        "answer in the handout: {paras:?}"
    );
    let pictures = doc["pictures"].as_array().unwrap();
    assert_eq!(pictures.len(), 2, "{doc}");
    assert_eq!(
        pictures[0]["descr"],
        "Chart of the three levels of coordination"
    );
    assert_eq!(pictures[0]["type"], "image/png");
    let png = std::fs::metadata(pack.root.join("modules/01-roles/media/levels.png")).unwrap();
    assert_eq!(pictures[0]["bytes"], png.len());
    // 320 pixels at 96 dpi: 3.33 inches.
    assert_eq!(pictures[0]["width"], 320 * 9525);
    // An SVG: its drawing as the PNG that readers without SVG show.
    assert_eq!(
        pictures[1]["descr"],
        "Diagram: UN Police coordinate at three levels"
    );
    assert_eq!(pictures[1]["type"], "image/png");
    assert!(pictures[1]["bytes"].as_u64().unwrap() > 10_000, "{doc}");
    // The answers' picture is in the key only, found from the handout's
    // folder.
    let key = &all[files[2].to_str().unwrap()];
    assert_eq!(key["pictures"][0]["descr"], "Answer chart", "{key}");
    assert_eq!(key["pictures"].as_array().unwrap().len(), 1);
    // A slide's notes have no tables: a row is a line of its cells.
    let deck = &all[files[1].to_str().unwrap()];
    let notes = deck["slides"][0]["notes"].as_str().unwrap();
    assert!(notes.contains("CPA | Advises"), "{notes}");
}

// why: LibreOffice opens the files and makes the expected pages of them.
#[test]
fn libreoffice_converts_the_sample_to_pdf() {
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("skipped: no LibreOffice (`soffice`): run scripts/install-test-deps");
        return;
    }
    let (pack, site) = built_sample(&[]);
    let out = pack.root.join("lo");
    let dir = site.join(MODULE);
    let profile = format!(
        "-env:UserInstallation=file://{}",
        pack.root.join("lo-profile").display()
    );
    let run = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&out)
        .arg(dir.join("slides.pptx"))
        .arg(dir.join("quiz.docx"))
        .output()
        .expect("run soffice");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pages = |name: &str| -> usize {
        let info = Command::new("pdfinfo")
            .arg(out.join(name))
            .output()
            .expect("pdfinfo");
        let text = String::from_utf8_lossy(&info.stdout).into_owned();
        text.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no page count for {name}: {text}"))
    };
    assert_eq!(pages("slides.pdf"), 11);
    assert!(pages("quiz.pdf") >= 1);
}

// why: the organisation's master, its layouts (a custom one too) and its
// Word styles survive into the files.
#[test]
fn template_master_layouts_and_styles_are_kept() {
    let Some(python) = python() else { return };
    let pack = TestPack::copy("ok", "office_template");
    let run = run_in(&pack.root, &["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let dir = pack.root.join("site/modules/01-intro");
    let files = [dir.join("slides.pptx"), dir.join("handouts/case.docx")];
    let all = read_back(&python, &files);
    let deck = &all[files[0].to_str().unwrap()];
    let layouts = deck["layouts"].to_string();
    assert!(layouts.contains("Org Banner"), "{layouts}");
    assert_eq!(deck["masters"], 1);
    assert_eq!(deck["slides"][0]["layout"], "Title and Content");
    assert_eq!(deck["slides"][0]["notes"], "ملاحظات المدرب.");
    // The master's own shape, from the template.
    let zip = std::fs::read(&files[0]).unwrap();
    let text = String::from_utf8_lossy(&zip);
    assert!(text.contains("slideMaster1.xml"), "no master part");
    let doc = &all[files[1].to_str().unwrap()];
    let styles = doc["styles"].to_string();
    assert!(styles.contains("Answer Line"), "{styles}");
    assert_eq!(doc["paragraphs"][0]["style"], "Title");
    let styles_xml = Command::new(&python)
        .args(["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/styles.xml').decode())"])
        .arg(&files[1])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&styles_xml.stdout).contains("C0392B"),
        "the template's Title colour is gone"
    );
    let master = Command::new(&python)
        .args(["-c", "import sys; from pptx import Presentation; print([s.name for s in Presentation(sys.argv[1]).slide_master.shapes])"])
        .arg(&files[0])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&master.stdout).contains("ORG MASTER MARK"),
        "{}",
        String::from_utf8_lossy(&master.stderr)
    );
}

// why: a template without the layout the slides need is an error at its
// key, naming the layout.
#[test]
fn template_without_the_layout_is_a_located_error() {
    let pack = TestPack::copy("bad", "office_template_layout");
    let run = run_in(&pack.root, &["build", "--no-pdf"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let expected = "error: the PowerPoint template `templates/org.pptx` has no slide layout named `Title and Content`
  --> book.toml:6:1
  |
6 | pptx_template = \"templates/org.pptx\"
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  |
  = hint: add a slide layout named `Title and Content`, with a title and a content placeholder, to the template's slide master (View > Slide Master), or rename one
";
    assert!(run.stderr.starts_with(expected), "{}", run.stderr);
}

// why: the target is under 2 ms per slide and per handout. Timing, not a
// check: `cargo test --test main office_speed -- --ignored --nocapture`
// (the test profile builds trainpack unoptimised, so this overstates).
#[test]
#[ignore]
fn office_speed() {
    use trainpack::render::html::{HtmlOptions, SiteRenderer};
    use trainpack::render::office::OfficeRenderer;
    let checked = trainpack::load_and_check(&sample_root(), &Default::default());
    let pack = checked.pack.unwrap();
    let theme = checked.theme.unwrap();
    let mut sources = Default::default();
    let renderer = SiteRenderer::new(&pack, &theme, HtmlOptions::default(), &mut sources).unwrap();
    let files = trainpack::load::PackReader::for_pack(&pack);
    let templates = Default::default();
    let svg_fonts = trainpack::render::office::SvgFonts::of_theme(&theme);
    let office = OfficeRenderer {
        svg_fonts: &svg_fonts,
        pack: &pack,
        words: renderer.all_words(),
        files: &files,
        media: &|_| true,
        templates: &templates,
    };
    let module = &pack.modules[0];
    let words = renderer.all_words().values().next().unwrap();
    let runs = 200;
    let started = std::time::Instant::now();
    let mut bytes = 0;
    for _ in 0..runs {
        let deck = office.deck(module, words);
        bytes = trainpack::render::office::pptx(&deck, None).unwrap().len();
    }
    let per_deck = started.elapsed() / runs;
    eprintln!(
        "pptx: {per_deck:?} a deck of {} slides ({:?} a slide), {bytes} bytes",
        module.slides.len(),
        per_deck / module.slides.len() as u32
    );
    let started = std::time::Instant::now();
    for _ in 0..runs {
        bytes = office.module_files(module).unwrap().len();
    }
    let all = started.elapsed() / runs;
    let docs = module.handouts.len() + 2;
    eprintln!(
        "all {bytes} files of the module: {all:?}; the {docs} Word files: {:?} each",
        all.saturating_sub(per_deck) / docs as u32
    );
}
