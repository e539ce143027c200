//! The evaluation kit `trainpack print` writes beside a class's print run
//! (`print/kit/`), read back with poppler, over the fixture `ok/class`.

use std::path::Path;

use crate::common::{TestPack, run_in};
use crate::pdf::{info, pdf_text};

fn print(pack: &TestPack) -> std::path::PathBuf {
    let run = run_in(&pack.root, &["print", "--quiet"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("print/kit/certificates.pdf"),
        "{}",
        run.stdout
    );
    pack.path("print/kit")
}

fn pages(pdf: &Path) -> usize {
    info(pdf, "Pages").parse().unwrap()
}

/// Where each of `words` first appears in `text`.
fn positions(text: &str, words: &[&str]) -> Vec<usize> {
    words
        .iter()
        .map(|w| text.find(w).unwrap_or_else(|| panic!("no `{w}` in {text}")))
        .collect()
}

// why: the checks on the tests: the same questions before and
// after, the options in another order, answers only in the keys.
#[test]
fn the_tests_share_questions_but_not_the_order_of_options() {
    let pack = TestPack::copy("ok", "class");
    let kit = print(&pack);
    let pre = pdf_text(&kit.join("pre-test.pdf"));
    let post = pdf_text(&kit.join("post-test.pdf"));
    let options = ["Nobody", "The officer"];
    let (a, b) = (positions(&pre, &options), positions(&post, &options));
    let order = |p: &[usize]| {
        let mut idx: Vec<usize> = (0..p.len()).collect();
        idx.sort_by_key(|&i| p[i]);
        idx
    };
    assert_ne!(order(&a), order(&b), "the same order before and after");
    for text in [&pre, &post] {
        assert!(!text.contains("(correct)"), "{text}");
        assert!(text.contains("Module 1: Intake"), "{text}");
    }
    let key = pdf_text(&kit.join("post-test-key.pdf"));
    assert!(key.contains("The officer (correct)"), "{key}");
    // Run twice, the same bytes.
    let first = std::fs::read(kit.join("pre-test.pdf")).unwrap();
    print(&pack);
    assert_eq!(first, std::fs::read(kit.join("pre-test.pdf")).unwrap());
}

// why: an attendance sheet per day with a row per participant, the
// names from participants.csv, and a certificate for each of them.
#[test]
fn attendance_and_certificates_follow_the_class() {
    let pack = TestPack::copy("ok", "class");
    let kit = print(&pack);
    let attendance = pdf_text(&kit.join("attendance.pdf"));
    assert_eq!(pages(&kit.join("attendance.pdf")), 2, "{attendance}");
    assert!(
        attendance.contains("Day 1") && attendance.contains("Day 2"),
        "{attendance}"
    );
    assert_eq!(
        pages(&kit.join("certificates.pdf")),
        6,
        "one per participant"
    );
    let evaluation = pdf_text(&kit.join("evaluation.pdf"));
    assert!(evaluation.contains("Module 1: Intake"), "{evaluation}");
    assert!(
        evaluation.contains("The trainers explained the content clearly"),
        "{evaluation}"
    );

    pack.write(
        "participants.csv",
        "unit,name\nUNPOL,\"Diallo, Aminata\"\nFPU,Jean Martin\n",
    );
    let kit = print(&pack);
    let certificates = pdf_text(&kit.join("certificates.pdf"));
    assert_eq!(pages(&kit.join("certificates.pdf")), 2);
    assert!(certificates.contains("Diallo, Aminata") && certificates.contains("Jean Martin"));
    let attendance = pdf_text(&kit.join("attendance.pdf"));
    assert!(attendance.contains("Diallo, Aminata"), "{attendance}");
}

// why: a participants.csv a spreadsheet saved in another encoding says
// how to save it instead, before anything is printed.
#[test]
fn a_participants_file_that_is_not_utf8_says_how_to_save_it() {
    let pack = TestPack::copy("ok", "class");
    std::fs::write(pack.path("participants.csv"), b"name\nJos\xe9 Mart\xedn\n").unwrap();
    let run = run_in(&pack.root, &["print", "--quiet"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "error: `participants.csv` is not UTF-8 text\n  --> participants.csv:2:1\n  |\n2 | Jos\u{fffd} Mart\u{fffd}n\n  | ^^^^^^^^^^^\n  |\n  = hint: save it from your spreadsheet as \"CSV UTF-8\"\n\n1 error\nnothing was written\n"
    );
    assert!(!pack.path("print").exists());
}
