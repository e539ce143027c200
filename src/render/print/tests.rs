use super::*;

fn doc(title: &str, copies: Copies, piece: usize, pages: usize) -> Doc {
    Doc {
        title: title.into(),
        copies,
        piece,
        pages,
    }
}

/// Two modules: the first with a handout of 1 page, two group handouts
/// (2 pages and 1 page) and a quiz of 1 page; the second with a handout of
/// 3 pages and no quiz.
fn modules() -> Vec<ModuleDocs> {
    vec![
        ModuleDocs {
            label: "Module 1: A".into(),
            documents: vec![
                doc("Case", Copies::Participant, 0, 1),
                doc("Group case", Copies::Group, 1, 2),
                doc("Role play", Copies::Group, 2, 1),
                doc("Quiz", Copies::Participant, 3, 1),
            ],
            key: doc("Answer key", Copies::Trainer, 4, 2),
        },
        ModuleDocs {
            label: "Module 2: B".into(),
            documents: vec![doc("Long case", Copies::Participant, 5, 3)],
            key: doc("Answer key", Copies::Trainer, 6, 1),
        },
    ]
}

const CLASS: Class = Class {
    participants: 3,
    groups: 2,
};

/// The documents of the run, as (piece, first page index) in order.
fn starts(pages: &[PrintPage]) -> Vec<(usize, usize)> {
    pages
        .iter()
        .enumerate()
        .filter_map(|(at, page)| match page {
            PrintPage::Of { piece, page: 0 } => Some((*piece, at)),
            _ => None,
        })
        .collect()
}

// why: a double-sided print must never put two documents on one sheet.
#[test]
fn every_document_starts_on_an_odd_page() {
    let modules = modules();
    let laid = layout(&modules, &[], CLASS, &Words::english());
    let pages = laid.pages(7);
    let starts = starts(&pages.pages);
    assert!(starts.iter().all(|(_, at)| at % 2 == 0), "{starts:?}");
    let blanks = pages
        .pages
        .iter()
        .filter(|p| **p == PrintPage::Blank)
        .count();
    assert_eq!(blanks, pages.blanks);
}

#[test]
fn copies_follow_the_class_in_teaching_order() {
    let modules = modules();
    let laid = layout(&modules, &[], CLASS, &Words::english());
    let pages = laid.pages(7);
    let order: Vec<usize> = starts(&pages.pages).into_iter().map(|(p, _)| p).collect();
    // Three copies of the handout; per group, its cover then its set;
    // three of the quiz; three of module 2's handout; the trainer's
    // cover; the keys. Covers are the pages of piece 7, in order (only
    // the first cover is its page 0).
    assert_eq!(order, [0, 0, 0, 7, 1, 2, 1, 2, 3, 3, 3, 5, 5, 5, 4, 6]);
    let covers: Vec<usize> = pages
        .pages
        .iter()
        .filter_map(|p| match p {
            PrintPage::Of { piece: 7, page } => Some(*page),
            _ => None,
        })
        .collect();
    assert_eq!(covers, [0, 1, 2]);
    assert_eq!(laid.covers[1].heading, "Group 2 of 2");
    assert_eq!(laid.covers[1].documents, ["Group case", "Role play"]);
    assert_eq!(laid.covers[2].heading, "Trainer's copies");
}

#[test]
fn the_manifest_counts_pages_and_sheets() {
    let modules = modules();
    let laid = layout(&modules, &[], CLASS, &Words::english());
    let pages = laid.pages(7);
    let manifest = laid.manifest("print run: T", &pages);
    let rows: Vec<(&str, usize, usize)> = manifest
        .rows
        .iter()
        .map(|r| (r.document.as_str(), r.copies, r.pages))
        .collect();
    assert_eq!(
        rows,
        [
            ("Module 1: A: Case", 3, 1),
            ("Module 1: A: cover sheet of each group's set", 2, 1),
            ("Module 1: A: Group case", 2, 2),
            ("Module 1: A: Role play", 2, 1),
            ("Module 1: A: Quiz", 3, 1),
            ("Module 2: B: Long case", 3, 3),
            ("cover sheet of the trainer's copies", 1, 1),
            ("Module 1: A: Answer key", 1, 2),
            ("Module 2: B: Answer key", 1, 1),
        ]
    );
    let printed: usize = manifest.rows.iter().map(|r| r.copies * r.pages).sum();
    assert_eq!(printed + manifest.blanks, manifest.total);
    assert_eq!(manifest.total, pages.pages.len());
    assert_eq!(manifest.sheets_double_sided(), manifest.total.div_ceil(2));
    assert_eq!(manifest.sheets_single_sided(), printed);
    let text = manifest.text();
    assert!(
        text.contains("     3      3      9  Module 2: B: Long case (one per participant)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("pages: {}\n", manifest.total)),
        "{text}"
    );
}
