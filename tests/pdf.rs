//! The PDFs of a build, read back with poppler's `pdftotext` and `pdfinfo`
//! (installed by `scripts/install-test-deps`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::{TestPack, run_in};
use crate::site;

pub fn tool(name: &str, args: &[&str]) -> String {
    let output = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{name}` ({e}); run `scripts/install-test-deps` (poppler-utils)")
    });
    assert!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The text of a PDF, white space collapsed.
pub fn pdf_text(path: &Path) -> String {
    let text = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `pdfinfo` field.
pub fn info(path: &Path, field: &str) -> String {
    tool("pdfinfo", &[path.to_str().unwrap()])
        .lines()
        .find_map(|l| {
            l.strip_prefix(&format!("{field}:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default()
}

fn build(pack: &TestPack) -> std::path::PathBuf {
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    pack.path("site")
}

fn sample() -> (TestPack, std::path::PathBuf) {
    let pack = TestPack::copy_dir(&site::sample_root());
    let out = build(&pack);
    (pack, out)
}

const MODULE: &str = "modules/04-coordination";

// why: each handout prints its text and questions, with a page X of Y footer.
#[test]
fn handouts_print_their_text_and_questions() {
    let (_pack, out) = sample();
    let pdf = out.join(MODULE).join("handouts/case-study-1.pdf");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("You are deployed with the UN Police in Liberia."),
        "{text}"
    );
    assert!(
        text.contains("Which actors would you advise inviting to the meeting?"),
        "{text}"
    );
    assert!(text.contains("Page 1 of 1"), "{text}");
    assert!(text.contains("Child Protection for UN Police"), "{text}");
    assert!(
        text.contains("Module 4: Coordination with Child Protection Actors"),
        "{text}"
    );
    assert_eq!(info(&pdf, "Page size"), "595.276 x 841.89 pts (A4)");
    assert_eq!(info(&pdf, "Pages"), "1");
    assert_eq!(info(&pdf, "Title"), "Case Study 1");
    assert_eq!(info(&pdf, "Author"), "trainpack sample");
}

// why: participants' PDFs must never carry answers or trainer's notes.
#[test]
fn participant_pdfs_hold_no_answers() {
    let (pack, out) = sample();
    let model = trainpack::load_and_check(&pack.root, &Default::default())
        .pack
        .unwrap();
    let module = &model.modules[0];
    let mut trainer_only = Vec::new();
    for handout in &module.handouts {
        handout.body.walk(&mut |block, _| {
            if let trainpack::model::Block::Answers(a) = block {
                trainer_only.extend(a.body.markdown.lines().map(|l| {
                    l.trim_start_matches(|c: char| {
                        c.is_ascii_digit() || c == '.' || c == '-' || c == ' '
                    })
                    .to_string()
                }));
            }
        });
    }
    for q in &module.quiz().unwrap().questions {
        if let Some(a) = &q.answers {
            trainer_only.extend(a.body.markdown.lines().map(str::to_string));
        }
    }
    let fragments: Vec<String> = trainer_only
        .iter()
        .flat_map(|l| {
            l.split([',', ';', ':', '.'])
                .map(str::trim)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|f| f.len() > 25 && !f.contains('*') && !f.contains('['))
        .collect();
    assert!(fragments.len() > 10, "{fragments:?}");
    for name in [
        "handouts/case-study-1.pdf",
        "handouts/case-study-2.pdf",
        "handouts/case-study-3.pdf",
        "handouts/case-study-4.pdf",
        "quiz.pdf",
    ] {
        let text = pdf_text(&out.join(MODULE).join(name));
        for fragment in &fragments {
            assert!(
                !text.contains(fragment.as_str()),
                "{name} prints an answer: {fragment}"
            );
        }
    }
}

// why: the quiz prints empty boxes; the answer key marks the correct options.
#[test]
fn quiz_and_answer_key() {
    let (_pack, out) = sample();
    let quiz = pdf_text(&out.join(MODULE).join("quiz.pdf"));
    assert!(quiz.contains("End of module quiz"), "{quiz}");
    assert!(quiz.contains("The Child Protection Advisor"), "{quiz}");
    assert!(
        !quiz.contains("(correct)"),
        "an option is marked in the participants' quiz: {quiz}"
    );
    let key = pdf_text(&out.join(MODULE).join("answer-key.pdf"));
    assert!(
        key.contains("The Child Protection Advisor (correct)"),
        "{key}"
    );
    assert!(!key.contains("The Police Commissioner (correct)"), "{key}");
    for text in [&key, &pdf_text(&out.join("answer-key.pdf"))] {
        assert!(
            text.contains("Short exercise on international actors"),
            "{text}"
        );
        assert!(text.contains("Case Study 4"), "{text}");
        assert!(text.contains("Page 1 of "), "{text}");
    }
}

// why: an answers block under a question with options explains it in the key, never in the quiz.
#[test]
fn a_question_with_options_keeps_its_answers_in_the_key() {
    let pack = TestPack::copy("ok", "full");
    pack.edit(
        "modules/02-roles/module.md",
        "   - [x] The Child Protection Advisor\n",
        "   - [x] The Child Protection Advisor\n\n   ::: answers\n   Advisers brief the mission leadership.\n   :::\n",
    );
    let out = build(&pack);
    let key = pdf_text(&out.join("modules/02-roles/answer-key.pdf"));
    assert!(
        key.contains("Advisers brief the mission leadership."),
        "{key}"
    );
    assert!(key.contains("The specialised police unit."), "{key}");
    let course_key = pdf_text(&out.join("answer-key.pdf"));
    assert!(course_key.contains("Advisers brief the mission leadership."));
    let quiz = pdf_text(&out.join("modules/02-roles/quiz.pdf"));
    assert!(!quiz.contains("Advisers brief"), "{quiz}");
}

// why: the key follows the module: activities, then handouts, then the quiz, in source order.
#[test]
fn answer_key_follows_source_order() {
    let (_pack, out) = sample();
    let key = pdf_text(&out.join(MODULE).join("answer-key.pdf"));
    let order = [
        "Short exercise on international actors",
        "what makes coordination difficult",
        "a 13-year-old boy caught stealing fruit",
        "the four categories of national actors",
        "Discussion: the key messages of this module",
        "Case Study 1",
        "Case Study 2",
        "Case Study 3",
        "Case Study 4",
        "End of module quiz",
    ];
    let mut at = 0;
    for title in order {
        let found = key[at..]
            .find(title)
            .unwrap_or_else(|| panic!("`{title}` missing or out of order"));
        at += found + title.len();
    }
}

// why: office printers in the Americas use Letter paper.
#[test]
fn letter_paper_from_book_toml() {
    let pack = TestPack::copy("ok", "full");
    let out = build(&pack);
    let pdf = out.join("modules/02-roles/handouts/case-study-1.pdf");
    assert_eq!(info(&pdf, "Page size"), "612 x 792 pts (letter)");
}

// why: SOURCE_DATE_EPOCH fixes the creation date, so builds are reproducible.
#[test]
fn creation_date_comes_from_source_date_epoch() {
    let (_pack, out) = sample();
    let date = info(&out.join("answer-key.pdf"), "CreationDate");
    assert!(date.contains("Nov 14") && date.contains("2023"), "{date}");
}

// why: text must be selectable and fonts embedded as subsets.
#[test]
fn fonts_are_embedded_subsets() {
    let (_pack, out) = sample();
    let fonts = tool(
        "pdffonts",
        &[out.join(MODULE).join("quiz.pdf").to_str().unwrap()],
    );
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert!(row.contains("NotoSans"), "{row}");
        assert!(row.contains(" yes yes "), "not an embedded subset: {row}");
    }
}

// why: author text is never Typst code, and accents survive.
#[test]
fn author_text_is_printed_as_written() {
    let pack = TestPack::copy("ok", "full");
    pack.write(
        "modules/02-roles/handouts/case-study-2.md",
        "+++\ntitle = \"Côte d'Ivoire: #set & $x$\"\n+++\n\n#set page(width: 1cm) [a] <b> *Élève* à São Tomé, Ærø, Łódź, Ğ.\n\n| Actor | Role |\n|---|---|\n| A very long cell text that must wrap inside its column without crossing the border | CPA |\n\n::: questions\n1. What is `#panic()`?\n:::\n",
    );
    let out = build(&pack);
    let pdf = out.join("modules/02-roles/handouts/case-study-2.pdf");
    let text = pdf_text(&pdf);
    assert!(text.contains("#set page(width: 1cm) [a]"), "{text}");
    assert!(text.contains("Élève à São Tomé, Ærø, Łódź, Ğ."), "{text}");
    assert!(text.contains("What is #panic()?"), "{text}");
    assert_eq!(info(&pdf, "Title"), "Côte d'Ivoire: #set & $x$");
}

// why: unchanged PDFs are copied from the previous build, changed ones typeset again.
#[test]
fn unchanged_pdfs_are_reused() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let first = run_in(&pack.root, &["build"]);
    assert!(
        first.stdout.contains("22 PDFs (22 typeset, 0 unchanged)"),
        "{}",
        first.stdout
    );
    let second = run_in(&pack.root, &["build"]);
    assert!(
        second.stdout.contains("22 PDFs (0 typeset, 22 unchanged)"),
        "{}",
        second.stdout
    );
    let path = pack.path("modules/en/04-coordination/handouts/case-study-2.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\n\n::: questions", " One more sentence.\n\n::: questions");
    std::fs::write(&path, text).unwrap();
    let third = run_in(&pack.root, &["build"]);
    assert!(
        third.stdout.contains("22 PDFs (2 typeset, 20 unchanged)"),
        "{}",
        third.stdout
    );
    // The answers are only in the module's and the pack's answer keys.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("take very seriously", "take most seriously");
    let text = text.replace("being taken very seriously", "being taken most seriously");
    std::fs::write(&path, text).unwrap();
    let fourth = run_in(&pack.root, &["build"]);
    assert!(
        fourth.stdout.contains("22 PDFs (2 typeset, 20 unchanged)"),
        "{}",
        fourth.stdout
    );
}

// why: a changed image is typeset again even when no Markdown changed.
#[test]
fn a_changed_image_typesets_the_pdfs_that_show_it() {
    let pack = TestPack::copy("ok", "full");
    let module = pack.path("modules/02-roles/module.md");
    let text = std::fs::read_to_string(&module).unwrap();
    let text = text.replacen(
        "2. Report to the CPA\n",
        "2. Report to the CPA\n\n![Chart](media/levels.svg)\n",
        1,
    );
    std::fs::write(&module, text).unwrap();
    let typeset = |run: &crate::common::Run| {
        assert_eq!(run.code, 0, "{}", run.stderr);
        let (_, after) = run.stdout.split_once(" PDFs (").unwrap();
        after
            .split_once(" typeset")
            .unwrap()
            .0
            .parse::<usize>()
            .unwrap()
    };
    let first = typeset(&run_in(&pack.root, &["build"]));
    assert!(first > 2, "{first}");
    assert_eq!(typeset(&run_in(&pack.root, &["build"])), 0);
    // The pieces of the course key (its cover and each module's key) and
    // of the course book (its cover, each module's guide, each handout and
    // its page numbers), each read or typeset once.
    let pieces = || -> BTreeMap<String, std::time::SystemTime> {
        std::fs::read_dir(pack.path(".site.cache/answer-key"))
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name, e.metadata().unwrap().modified().unwrap())
            })
            .collect()
    };
    let before = pieces();
    assert_eq!(before.len(), 10, "3 of the key, 7 of the book: {before:?}");
    let svg = pack.path("modules/02-roles/media/levels.svg");
    let drawing = std::fs::read_to_string(&svg)
        .unwrap()
        .replace("#36c", "#c63");
    std::fs::write(&svg, drawing).unwrap();
    // The module's answer key, its notes pages and printed guide (the notes
    // show it), the course's key and book: nothing else shows it.
    assert_eq!(typeset(&run_in(&pack.root, &["build"])), 5);
    let after = pieces();
    let kept = before
        .iter()
        .filter(|(name, time)| after.get(*name) == Some(time));
    // The book is as long as before, so its page numbers are kept too.
    assert_eq!(
        kept.count(),
        8,
        "all but module 2's key and guide kept: {after:?}"
    );
    assert_eq!(after.len(), 10, "module 2's old pieces removed: {after:?}");
    let site_svg = pack.path("site/modules/02-roles/media/levels.svg");
    assert!(std::fs::read_to_string(site_svg).unwrap().contains("#c63"));
}

// why: an error in a PDF template points at the template's line.
#[test]
fn pdf_template_errors_name_the_template_line() {
    let pack = broken_handout_template();
    let run = run_in(&pack.root, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot make `modules/intro/handouts/h.pdf`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> themes/mine/pdf/handout.typ:4:"),
        "{}",
        run.stderr
    );
}

// why: pages and PDFs are made side by side; a build reports the problems
// of both at once, so one run shows everything to fix.
#[test]
fn page_and_pdf_template_errors_are_reported_together() {
    let pack = broken_handout_template();
    pack.write(
        "themes/mine/templates/handout.html",
        "{% extends \"default/handout.html\" %}\n{% block handout_body %}{{ no_such_value }}{% endblock handout_body %}\n",
    );
    let run = run_in(&pack.root, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for place in [
        "--> themes/mine/pdf/handout.typ:4:",
        "--> themes/mine/templates/handout.html:2:",
    ] {
        assert!(run.stderr.contains(place), "{place}\n{}", run.stderr);
    }
    assert!(!pack.path("site").exists());
}

/// The minimal pack with a handout, whose theme's handout PDF template
/// fails on line 4.
fn broken_handout_template() -> TestPack {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Minimal pack\"\n\n[theme]\nname = \"mine\"\n",
    );
    pack.write(
        "modules/intro/handouts/h.md",
        "+++\ntitle = \"H\"\n+++\n\nText.\n",
    );
    std::fs::rename(
        pack.path("modules/intro.md"),
        pack.path("modules/intro/module.md"),
    )
    .unwrap();
    pack.write(
        "themes/mine/pdf/handout.typ",
        "#import \"common.typ\": *\n\n#let render(data) = {\n  data.no_such_key\n}\n",
    );
    pack
}

// why: `trainpack pdf` writes the PDFs alone.
#[test]
fn pdf_command_writes_only_pdfs() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let run = run_in(&pack.root, &["pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = site::files(&pack.path("pdf"));
    assert!(
        files.iter().all(|f| f.ends_with(".pdf")
            || f.rsplit('/')
                .next()
                .is_some_and(|name| name.starts_with(".trainpack"))),
        "{files:?}"
    );
    assert_eq!(files.iter().filter(|f| f.ends_with(".pdf")).count(), 22);
    assert!(!pack.path("site").exists());
}

// why: the pack's key is a cover listing the modules, then each module's
// key as it prints alone, with a bookmark per module.
#[test]
fn the_pack_key_gathers_the_module_keys() {
    let pack = TestPack::copy("ok", "full");
    let out = build(&pack);
    let pages = |path: &str| info(&out.join(path), "Pages").parse::<usize>().unwrap();
    let parts =
        pages("modules/01-welcome/answer-key.pdf") + pages("modules/02-roles/answer-key.pdf");
    assert_eq!(pages("answer-key.pdf"), 1 + parts);
    let cover = tool(
        "pdftotext",
        &["-l", "1", out.join("answer-key.pdf").to_str().unwrap(), "-"],
    );
    let cover: String = cover.split_whitespace().collect::<Vec<_>>().join(" ");
    let second = 2 + pages("modules/01-welcome/answer-key.pdf");
    // pdftotext reads the table column by column: the labels, then the pages.
    assert!(
        cover.contains("Module 1: Welcome Module 2: Roles & Responsibilities"),
        "{cover}"
    );
    assert!(cover.contains(&format!("Page 2 {second}")), "{cover}");
    let document = lopdf::Document::load(out.join("answer-key.pdf")).unwrap();
    let titles: Vec<String> = document
        .get_toc()
        .unwrap()
        .toc
        .into_iter()
        .map(|entry| entry.title)
        .collect();
    assert_eq!(
        titles,
        ["Module 1: Welcome", "Module 2: Roles & Responsibilities"]
    );
    assert_eq!(
        info(&out.join("answer-key.pdf"), "Title"),
        "Answer key for the whole course"
    );
}

/// The structure tree as poppler reads it, with the text of each element:
/// the lines under the top element, IDs' prefixes and annotation numbers
/// (which differ from file to file) taken out.
fn structure(path: &Path) -> Vec<String> {
    let text = tool("pdfinfo", &["-struct-text", path.to_str().unwrap()]);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    assert_eq!(lines.next(), Some("Document"), "{text}");
    lines
        .map(|line| match line.trim_start().starts_with("Object ") {
            true => "Object".to_string(),
            false => without_id_prefixes(line),
        })
        .collect()
}

/// `line` with the prefix the course key gives each ID (`m` and ten hex
/// digits and `-`) removed.
fn without_id_prefixes(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('m') {
        let id = rest.get(at + 1..at + 12);
        let prefixed = id
            .is_some_and(|id| id.ends_with('-') && id[..10].bytes().all(|b| b.is_ascii_hexdigit()));
        out.push_str(&rest[..at]);
        rest = match prefixed {
            true => &rest[at + 12..],
            false => {
                out.push('m');
                &rest[at + 1..]
            }
        };
    }
    out + rest
}

// why: the course key is tagged like the module keys it is made of, so a
// screen reader reads each module's part as it reads the module's key:
// poppler finds every element's text through the merged parent tree.
#[test]
fn the_pack_key_keeps_each_module_keys_structure() {
    let pack = TestPack::copy("ok", "full");
    let out = build(&pack);
    let course = out.join("answer-key.pdf");
    assert_eq!(info(&course, "Tagged"), "yes");
    let mut parts: Vec<Vec<String>> = Vec::new();
    for line in structure(&course) {
        match line.as_str() {
            "  Part" => parts.push(Vec::new()),
            _ => parts.last_mut().unwrap().push(line[2..].to_string()),
        }
    }
    assert_eq!(parts.len(), 3, "the cover and two modules");
    assert!(parts[0].iter().any(|l| l.contains("Module 2: Roles")));
    for (part, module) in parts[1..].iter().zip(["01-welcome", "02-roles"]) {
        let key = structure(&out.join(format!("modules/{module}/answer-key.pdf")));
        assert!(key.iter().any(|l| l.starts_with("  H2 ")), "{key:?}");
        assert_eq!(part, &key, "{module}");
    }
}

/// Checks a tagged PDF's parent tree, which takes a reader from marked
/// content on a page (or an annotation) back to its element: every key a
/// page or link uses is in the tree, and each element it lists holds that
/// content on that page. Returns how many keys were checked.
fn check_parent_tree(path: &Path) -> usize {
    use lopdf::{Document, Object};
    let doc = Document::load(path).unwrap();
    let get = |o: &Object| doc.dereference(o).unwrap().1.clone();
    let root = get(doc.catalog().unwrap().get(b"StructTreeRoot").unwrap());
    let root = root.as_dict().unwrap();
    let nums = get(root.get(b"ParentTree").unwrap());
    let nums = nums
        .as_dict()
        .unwrap()
        .get(b"Nums")
        .unwrap()
        .as_array()
        .unwrap();
    let tree: BTreeMap<i64, Object> = nums
        .chunks(2)
        .map(|pair| (pair[0].as_i64().unwrap(), get(&pair[1])))
        .collect();
    let next = root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
    assert!(tree.keys().all(|k| *k < next));
    // Does `element` hold marked content `mcid` of `page` (or, without an
    // MCID, the annotation `annotation`)?
    let holds = |element: &Object, page: (u32, u16), mcid: Option<i64>, annotation| {
        let element = get(element);
        let element = element.as_dict().unwrap();
        let own_page = element.get(b"Pg").and_then(Object::as_reference).ok();
        let kids = match element.get(b"K") {
            Ok(Object::Array(kids)) => kids.clone(),
            Ok(kid) => vec![kid.clone()],
            Err(_) => Vec::new(),
        };
        kids.iter().any(|kid| match (get(kid), mcid) {
            (Object::Integer(n), Some(m)) => n == m && own_page == Some(page),
            (Object::Dictionary(d), Some(m)) => {
                d.get(b"MCID").and_then(Object::as_i64).ok() == Some(m)
                    && d.get(b"Pg")
                        .and_then(Object::as_reference)
                        .ok()
                        .or(own_page)
                        == Some(page)
            }
            (Object::Dictionary(d), None) => {
                d.get(b"Obj").and_then(Object::as_reference).ok() == Some(annotation)
            }
            _ => false,
        })
    };
    let mut checked = 0;
    for page in doc.get_pages().into_values() {
        let dict = doc.get_dictionary(page).unwrap();
        let key = dict.get(b"StructParents").unwrap().as_i64().unwrap();
        let elements = tree[&key].as_array().unwrap();
        for (mcid, element) in elements.iter().enumerate() {
            if !matches!(element, Object::Null) {
                assert!(
                    holds(element, page, Some(mcid as i64), (0, 0)),
                    "{page:?} {mcid}"
                );
            }
        }
        checked += 1;
        let annotations = dict
            .get(b"Annots")
            .map(get)
            .unwrap_or(Object::Array(Vec::new()));
        for annotation in annotations.as_array().unwrap() {
            let id = annotation.as_reference().unwrap();
            let annot = get(annotation);
            if let Ok(key) = annot.as_dict().unwrap().get(b"StructParent") {
                assert!(
                    holds(&tree[&key.as_i64().unwrap()], page, None, id),
                    "{id:?}"
                );
                checked += 1;
            }
        }
    }
    checked
}

// why: the parent tree is what maps a page's content back to the module's
// elements; merging shifts every piece's keys, and a wrong shift only
// shows here.
#[test]
fn the_pack_keys_parent_tree_leads_to_each_pages_elements() {
    let (_pack, out) = sample();
    let module = check_parent_tree(&out.join(MODULE).join("answer-key.pdf"));
    assert!(module > 10, "{module}: the module key has links");
    let course = check_parent_tree(&out.join("answer-key.pdf"));
    assert!(course > module, "{course}");
}

#[test]
fn id_prefixes_are_taken_out_and_nothing_else() {
    assert_eq!(
        without_id_prefixes("TH <m0123456789-U1x0y0> maximum"),
        "TH <U1x0y0> maximum"
    );
    assert_eq!(without_id_prefixes("mm0123456789-x"), "mx");
}

// why: the course key is assembled from pieces kept by earlier builds; it
// must be the very file a clean build writes, and a broken piece is read again.
#[test]
fn a_rebuilt_course_key_is_what_a_clean_build_writes() {
    let pack = TestPack::copy("ok", "full");
    build(&pack);
    pack.edit(
        "modules/02-roles/module.md",
        "2. Report to the CPA",
        "2. Report to the CPA at once",
    );
    let pieces = pack.path(".site.cache/answer-key");
    let first = std::fs::read_dir(&pieces).unwrap().next().unwrap();
    let path = first.unwrap().path();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let rebuilt = std::fs::read(build(&pack).join("answer-key.pdf")).unwrap();
    assert!(pdf_text(&pack.path("site/answer-key.pdf")).contains("Report to the CPA at once"));
    let clean = tempfile::tempdir().unwrap();
    let out = clean.path().join("site");
    let run = run_in(
        &pack.root,
        &["build", "--quiet", "--output", out.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(rebuilt == std::fs::read(out.join("answer-key.pdf")).unwrap());
}
