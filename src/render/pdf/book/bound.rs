//! Binding the course book: its stamps, cover and parts merged into one
//! file, most of it kept from the book the last build bound (see
//! `pdf::rebind`).

use std::borrow::Cow;

use super::{Binding, Layout, MadePart, PartPlan, READ_AHEAD, ROOM_A_PAGE};
use crate::diag::Diagnostic;
use crate::model::Module;
use crate::render::cache::CacheEntry;
use crate::render::i18n::words_for;
use crate::render::pdf::documents::Documents;
use crate::render::pdf::merge::{self, Bookmark, Head, Piece, Source};
use crate::render::pdf::rebind::LastMerge;
use crate::render::pdf::{Entry, Made};
use crate::render::{OutFile, urls};

/// The pieces to bind, the stamps first: each one's fingerprint and head.
struct Pieces<'a> {
    hashes: Vec<String>,
    heads: Vec<Cow<'a, Head>>,
}

impl Binding<'_> {
    /// The book made of its cover and parts, with a bookmark per module,
    /// per section and per handout, and its pages numbered by `stamps`.
    /// Pieces the last book holds where they go now are copied from it;
    /// the others are read one after another on a second thread while
    /// the book is written, and each is dropped once written: holding
    /// all of a large book's parts at once cost a gigabyte.
    pub(super) fn bind(
        &self,
        plan: &[PartPlan<'_>],
        layout: &Layout,
        cover: (&str, &Piece),
        parts: Vec<MadePart>,
        stamps: &[(String, Piece)],
        hash: String,
    ) -> Result<Made, Diagnostic> {
        let last = LastMerge::read(
            self.previous,
            CacheEntry::BookBinding,
            urls::COURSE_BOOK_PDF,
        );
        let pieces = self.heads(plan, layout, cover, &parts, stamps, &last)?;
        let size = pieces.heads.iter().map(|h| h.page_count()).sum::<usize>() * ROOM_A_PAGE;
        let split = stamps.len() + 1;
        let mut heads = pieces.heads.into_iter();
        let merge_plan = merge::Plan {
            stamps: heads.by_ref().take(stamps.len()).collect(),
            pieces: heads.collect(),
            size,
            // Typst tags every document, and the parts keep their tags.
            tagged: true,
        };
        let slots = merge_plan.slots();
        let mut kept = last.kept(&pieces.hashes, &slots);
        let words = words_for(self.documents.words, self.documents.pack, None);
        let appendix = words.get("appendix_handouts").to_string();
        let config = &self.documents.pack.config;
        let metadata = merge::Metadata {
            title: &config.pack.title,
            authors: &config.pack.authors,
            language: &words.language,
            date: self.renderer.timestamp.pdf_date(),
        };
        let mut failure = None;
        let written = std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel(READ_AHEAD);
            let copied: Vec<bool> = kept[split..].iter().map(Option::is_some).collect();
            scope.spawn(move || {
                let wanted = parts.into_iter().zip(plan).zip(copied);
                for ((part, part_plan), copied) in wanted {
                    if copied {
                        continue;
                    }
                    let piece = self.part_piece(layout, part_plan, part);
                    let failed = piece.is_err();
                    if send.send(piece).is_err() || failed {
                        break;
                    }
                }
            });
            let failure = &mut failure;
            let merge_plan = &merge_plan;
            let each = move |i: usize| {
                let head = merge_plan.head(i);
                let marks = match i.checked_sub(split) {
                    Some(part) => bookmarks(self.documents, plan, part, &appendix, head),
                    None if i + 1 == split => head.bookmarks(),
                    None => Vec::new(),
                };
                if let Some(segment) = kept[i].take() {
                    return Ok((marks, Source::Previous(segment)));
                }
                let piece = match i.checked_sub(split) {
                    Some(_) => Cow::Owned(receive.recv()?.map_err(|diagnostic| {
                        *failure = Some(diagnostic);
                        anyhow::anyhow!("a part of the book could not be made")
                    })?),
                    None if i + 1 == split => Cow::Borrowed(cover.1),
                    None => Cow::Borrowed(&stamps[i].1),
                };
                Ok((marks, Source::Piece(piece)))
            };
            merge::merge_each(merge_plan, each, &metadata)
        });
        let written = written.map_err(|e| {
            failure.take().unwrap_or_else(|| {
                Diagnostic::error(format!("cannot make `{}`: {e:#}", urls::COURSE_BOOK_PDF))
                    .in_file(crate::model::config::CONFIG_FILE)
            })
        })?;
        let pages = merge_plan.pieces.iter().map(|h| h.page_count()).sum();
        let heads = merge_plan.stamps.into_iter().chain(merge_plan.pieces);
        let content = last.finish(self.previous, &hash, (pieces.hashes, heads), written);
        Ok(Made {
            file: OutFile {
                path: urls::COURSE_BOOK_PDF.to_string(),
                content,
            },
            entry: Entry { hash, pages },
            typeset: true,
        })
    }

    /// Each piece's fingerprint and head, the stamps first. A part this
    /// build did not typeset has the head the last book recorded, or
    /// else (when the cache lost that record) its piece is read for it.
    fn heads<'a>(
        &self,
        plan: &[PartPlan<'_>],
        layout: &Layout,
        cover: (&'a str, &'a Piece),
        parts: &[MadePart],
        stamps: &'a [(String, Piece)],
        last: &'a LastMerge,
    ) -> Result<Pieces<'a>, Diagnostic> {
        let mut pieces = Pieces {
            hashes: Vec::new(),
            heads: Vec::new(),
        };
        let given = stamps.iter().map(|(hash, piece)| (hash.as_str(), piece));
        for (hash, piece) in given.chain([cover]) {
            pieces.hashes.push(hash.to_string());
            pieces.heads.push(Cow::Owned(piece.head()));
        }
        for (part, part_plan) in parts.iter().zip(plan) {
            let hash = part.record.hash.as_str();
            let head = match (&part.piece, last.head(hash)) {
                (Some(piece), _) => Cow::Owned(piece.head()),
                (None, Some(head)) => Cow::Borrowed(head),
                (None, None) => {
                    let again = MadePart {
                        record: part.record.clone(),
                        piece: None,
                    };
                    Cow::Owned(self.part_piece(layout, part_plan, again)?.head())
                }
            };
            pieces.hashes.push(hash.to_string());
            pieces.heads.push(head);
        }
        Ok(pieces)
    }
}

/// The bookmarks of part `i` of the book: a guide's own under its
/// module's title, a handout's title, and the appendix's heading before
/// its first handout.
fn bookmarks(
    documents: &Documents<'_>,
    plan: &[PartPlan<'_>],
    i: usize,
    appendix: &str,
    head: &Head,
) -> Vec<Bookmark> {
    let part = &plan[i];
    let mut bookmarks = match part.handout {
        None => module_bookmarks(documents, part.module, head),
        Some(h) => vec![Bookmark::new(2, &h.title, 0)],
    };
    if part.handout.is_some() && (i == 0 || plan[i - 1].handout.is_none()) {
        bookmarks.insert(0, Bookmark::new(1, appendix, 0));
    }
    bookmarks
}

/// A guide's own bookmarks, its title as "Module 4: …".
fn module_bookmarks(documents: &Documents<'_>, module: &Module, head: &Head) -> Vec<Bookmark> {
    let mut bookmarks = head.bookmarks();
    match bookmarks.first_mut() {
        Some(first) if first.level == 1 => first.title = documents.label(module),
        _ => bookmarks.insert(0, Bookmark::new(1, &documents.label(module), 0)),
    }
    bookmarks
}
