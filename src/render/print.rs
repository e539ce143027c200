//! A class print run laid out: which document goes where, how many times,
//! and the blank pages between them (`trainpack print`). Pure: the PDFs
//! come in as pieces, the file and its manifest go out in memory.
//!
//! The order is the teaching order. In each module, each participant
//! handout and the quiz come once per participant, one copy after
//! another; a run of group handouts comes once per group, each group's set
//! after a cover sheet ("Group 2 of 4"). The trainer's copies (each
//! module's answer key) come last, after a cover sheet of their own. Every
//! document and cover starts on an odd page, so a double-sided print
//! never puts the end of one on the back of another.

use std::fmt::Write as _;

use crate::model::config::Paper;
use crate::render::i18n::Words;
use crate::render::pdf::documents::CoverSheet;
use crate::render::pdf::merge::{self, Metadata, Piece, PrintPage, Printed};

/// Who gets a copy of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copies {
    /// Each participant.
    Participant,
    /// Each group.
    Group,
    /// The trainer, once.
    Trainer,
}

/// A document of the run: one of the pieces.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Its title ("Case Study 1").
    pub title: String,
    /// Who gets a copy.
    pub copies: Copies,
    /// Its index in the pieces.
    pub piece: usize,
    /// Its pages.
    pub pages: usize,
}

/// A module's documents, in teaching order.
#[derive(Debug, Clone)]
pub struct ModuleDocs {
    /// "Module 4: …".
    pub label: String,
    /// Its handouts and quiz, in order.
    pub documents: Vec<Doc>,
    /// Its answer key.
    pub key: Doc,
}

/// The class: how many copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    /// Participants, from 1.
    pub participants: usize,
    /// Groups, from 1.
    pub groups: usize,
}

/// One thing in the run, in order.
#[derive(Debug, Clone)]
enum Item<'a> {
    /// A document of the module at that index (none for the run sheet),
    /// once.
    Doc(&'a Doc, Option<usize>),
    /// Cover sheet `n` (from 0) of the covers document.
    Cover(usize),
}

/// The run in order, and the cover sheets it needs, in their order.
pub struct Layout<'a> {
    items: Vec<(Item<'a>, Option<String>)>,
    /// The cover sheets, for the covers document.
    pub covers: Vec<CoverSheet>,
    /// What each cover is, for the manifest.
    cover_rows: Vec<String>,
    class: Class,
    modules: &'a [ModuleDocs],
}

/// Lays out the run of `modules` for `class`; `trainer` documents (the
/// run sheet) come first in the trainer's copies, before the answer keys.
pub fn layout<'a>(
    modules: &'a [ModuleDocs],
    trainer: &'a [Doc],
    class: Class,
    words: &Words,
) -> Layout<'a> {
    let mut out = Layout {
        items: Vec::new(),
        covers: Vec::new(),
        cover_rows: Vec::new(),
        class,
        modules,
    };
    for (index, module) in modules.iter().enumerate() {
        let mut docs = module.documents.iter().peekable();
        while let Some(doc) = docs.next() {
            if doc.copies != Copies::Group {
                let mark = Some(format!("{}: {}", module.label, doc.title));
                out.repeat(doc, index, class.participants, mark);
                continue;
            }
            let mut set = vec![doc];
            while let Some(next) = docs.next_if(|d| d.copies == Copies::Group) {
                set.push(next);
            }
            out.group_sets(index, &set, words);
        }
    }
    let sheet = CoverSheet {
        heading: words.get("print_trainer").to_string(),
        module: String::new(),
        note: words.get("print_trainer_note").to_string(),
        documents: trainer
            .iter()
            .map(|d| d.title.clone())
            .chain(modules.iter().map(|m| m.label.clone()))
            .collect(),
    };
    let mark = words.get("print_trainer").to_string();
    out.cover(
        sheet,
        "cover sheet of the trainer's copies".into(),
        Some(mark),
    );
    for doc in trainer {
        out.items.push((Item::Doc(doc, None), None));
    }
    for (index, module) in modules.iter().enumerate() {
        out.items.push((Item::Doc(&module.key, Some(index)), None));
    }
    out
}

impl<'a> Layout<'a> {
    fn repeat(&mut self, doc: &'a Doc, module: usize, copies: usize, mark: Option<String>) {
        self.items.push((Item::Doc(doc, Some(module)), mark));
        for _ in 1..copies {
            self.items.push((Item::Doc(doc, Some(module)), None));
        }
    }

    fn cover(&mut self, sheet: CoverSheet, row: String, mark: Option<String>) {
        self.items.push((Item::Cover(self.covers.len()), mark));
        self.covers.push(sheet);
        self.cover_rows.push(row);
    }

    /// A set of group handouts, once per group, each after its cover.
    fn group_sets(&mut self, index: usize, set: &[&'a Doc], words: &Words) {
        let module = &self.modules[index];
        let groups = self.class.groups.to_string();
        for group in 1..=self.class.groups {
            let number = group.to_string();
            let values = [("number", number.as_str()), ("groups", groups.as_str())];
            let heading = words.fill("print_group", &values);
            let sheet = CoverSheet {
                heading: heading.clone(),
                module: module.label.clone(),
                note: words.fill("print_group_note", &values),
                documents: set.iter().map(|d| d.title.clone()).collect(),
            };
            let mark = Some(format!("{}: {heading}", module.label));
            let row = format!("{}: cover sheet of each group's set", module.label);
            self.cover(sheet, row, mark);
            for doc in set {
                self.items.push((Item::Doc(doc, Some(index)), None));
            }
        }
    }

    /// The pages, bookmarks and manifest, with the covers document's
    /// piece at index `covers` of the pieces.
    pub fn pages(&self, covers: usize) -> Pages {
        let mut pages = Vec::new();
        let mut bookmarks = Vec::new();
        let mut blanks = 0;
        for (item, mark) in &self.items {
            // Each document starts on an odd page: after an odd count.
            if pages.len() % 2 == 1 {
                pages.push(PrintPage::Blank);
                blanks += 1;
            }
            if let Some(mark) = mark {
                bookmarks.push((mark.clone(), pages.len()));
            }
            match item {
                Item::Doc(doc, _) => pages.extend((0..doc.pages).map(|page| PrintPage::Of {
                    piece: doc.piece,
                    page,
                })),
                Item::Cover(n) => pages.push(PrintPage::Of {
                    piece: covers,
                    page: *n,
                }),
            }
        }
        Pages {
            pages,
            bookmarks,
            blanks,
        }
    }

    /// The manifest of the run: what it holds, in order, and the paper.
    pub fn manifest(&self, heading: &str, pages: &Pages) -> Manifest {
        let mut rows: Vec<Row> = Vec::new();
        for (item, _) in &self.items {
            let (document, copies, each) = match item {
                Item::Doc(doc, module) => (
                    match module {
                        Some(m) => format!("{}: {}", self.modules[*m].label, doc.title),
                        None => doc.title.clone(),
                    },
                    who(doc.copies),
                    doc.pages,
                ),
                Item::Cover(n) => (self.cover_rows[*n].clone(), "", 1),
            };
            // Copies of a document count together, where it first comes.
            match rows.iter_mut().find(|row| row.document == document) {
                Some(row) => row.copies += 1,
                None => rows.push(Row {
                    document,
                    who: copies,
                    copies: 1,
                    pages: each,
                }),
            }
        }
        Manifest {
            heading: heading.to_string(),
            rows,
            blanks: pages.blanks,
            total: pages.pages.len(),
        }
    }
}

fn who(copies: Copies) -> &'static str {
    match copies {
        Copies::Participant => "one per participant",
        Copies::Group => "one per group",
        Copies::Trainer => "for the trainer",
    }
}

/// The pages of a run, in order.
pub struct Pages {
    /// Every page.
    pub pages: Vec<PrintPage>,
    /// Bookmarks: a label and the page (from 0) it points at.
    pub bookmarks: Vec<(String, usize)>,
    /// How many of the pages are blank.
    pub blanks: usize,
}

/// What a print run holds, for the print shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Its first lines: the pack, the class and what is taught.
    pub heading: String,
    /// Each document (consecutive copies together), in order.
    pub rows: Vec<Row>,
    /// Blank pages.
    pub blanks: usize,
    /// All pages.
    pub total: usize,
}

/// Copies of one document in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// "Module 4: …: Case Study 1".
    pub document: String,
    /// "one per participant".
    pub who: &'static str,
    /// How many copies.
    pub copies: usize,
    /// The pages of one copy.
    pub pages: usize,
}

impl Manifest {
    /// Sheets of paper printed on both sides.
    pub fn sheets_double_sided(&self) -> usize {
        self.total.div_ceil(2)
    }

    /// Sheets of paper printed on one side, without the blank pages
    /// (which are only there for double-sided printing).
    pub fn sheets_single_sided(&self) -> usize {
        self.total - self.blanks
    }

    /// How many documents (copies of them, and covers) the run holds.
    pub fn documents(&self) -> usize {
        self.rows.iter().map(|r| r.copies).sum()
    }

    /// The manifest as plain text.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n\ncopies  pages  total  document\n", self.heading);
        for row in &self.rows {
            let who = match row.who {
                "" => String::new(),
                who => format!(" ({who})"),
            };
            let _ = writeln!(
                out,
                "{:>6}  {:>5}  {:>5}  {}{who}",
                row.copies,
                row.pages,
                row.copies * row.pages,
                row.document
            );
        }
        if self.blanks > 0 {
            let _ = writeln!(
                out,
                "{:>6}  {:>5}  {:>5}  blank pages, so that every document starts on an odd page",
                self.blanks, 1, self.blanks
            );
        }
        let _ = write!(
            out,
            "\ndocuments: {}\npages: {}\nsheets of paper, double-sided: {}\nsheets of paper, single-sided: {}",
            self.documents(),
            self.total,
            self.sheets_double_sided(),
            self.sheets_single_sided(),
        );
        if self.blanks > 0 {
            let _ = write!(out, " (print without the {} blank pages)", self.blanks);
        }
        out.push('\n');
        out
    }
}

/// The size of a page of `paper`, in points.
pub fn paper_size(paper: Paper) -> (f32, f32) {
    match paper {
        Paper::A4 => (595.2756, 841.8898),
        Paper::Letter => (612.0, 792.0),
    }
}

/// The run as one PDF: `pieces` are the documents' PDFs, read untagged,
/// the covers document last.
pub fn assemble(
    pieces: &[&Piece],
    pages: &Pages,
    paper: Paper,
    metadata: &Metadata<'_>,
) -> anyhow::Result<Vec<u8>> {
    merge::print(
        &Printed {
            pieces,
            pages: &pages.pages,
            bookmarks: &pages.bookmarks,
            paper: paper_size(paper),
        },
        metadata,
    )
}

#[cfg(test)]
mod tests;
