//! The course book, `guide.pdf` at the site root: a title page, the
//! contents with page numbers, the course schedule, every module's printed
//! guide, then the participants' handouts as appendices, with one run of
//! page numbers and a bookmark per module, section and handout.
//!
//! Like the course's answer key it is assembled from parts (see
//! [`super::merge`]). A part leaves its page numbers out: they are stamped
//! on when the book is bound ([`merge::merge_stamped`]), so that a part
//! depends only on its module and on the pages its links print ("Case
//! Study 2, page 57"), not on where it falls. Where each part starts is
//! planned before any is typeset, from its length in the last book or
//! else in the module's own PDF; a part that comes out longer or shorter
//! moves the parts after it, and the book is laid out again, typesetting
//! only the guides whose printed pages moved.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Sources};
use crate::model::{Handout, Module};
use crate::render::cache::CacheEntry;
use crate::render::pdf::documents::{Documents, Folio, Job};
use crate::render::pdf::guide::{BookLookup, BookPages, Place, Places};
use crate::render::pdf::merge::Piece;
use crate::render::pdf::{Made, PdfRenderer, PreviousPdfs};
use crate::render::urls;

mod bound;
mod cover;
mod prefetch;

pub use cover::{BookCover, ContentsLine};
pub use prefetch::BookPrefetch;

/// A module as the course book holds it: its guide and its handouts,
/// with the pages of its own PDFs of them.
pub struct BookModule<'m> {
    /// The module.
    pub module: &'m Module,
    /// The pages of its `guide.pdf`.
    pub guide_pages: usize,
    /// The pages of each handout's PDF, in the module's order.
    pub handout_pages: Vec<usize>,
    /// The fingerprint of everything the module's PDFs show (see
    /// [`PdfRenderer::module_hash`]): a part of the book made from the
    /// module is kept while it and the pages it prints stay the same.
    pub fingerprint: String,
}

/// One part of the book after the cover.
struct PartPlan<'m> {
    module: &'m Module,
    /// The fingerprint of everything its module's PDFs show.
    fingerprint: &'m str,
    /// The handout it prints; `None` for the module's guide.
    handout: Option<&'m Handout>,
    /// Its pages, as planned.
    pages: usize,
}

/// What the book index (`course-book.json` in the cache) records of a
/// part, by [`part_id`]: enough to know it without making its document.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexedPart {
    /// The fingerprint of the document it was typeset from.
    hash: String,
    /// Its pages.
    pages: usize,
    /// The places of the book whose pages it prints, and those pages.
    places: Vec<(Place, Option<usize>)>,
    /// Which part it was (see [`part_name`]), for a first guess at its
    /// length once its module's fingerprint changes.
    #[serde(default)]
    name: String,
}

type BookIndex = BTreeMap<String, IndexedPart>;

/// A part of the book as this build has it.
struct MadePart {
    record: IndexedPart,
    /// Its piece, when this build typeset or read it; else it is read
    /// from the cache when the book is bound.
    piece: Option<Piece>,
}

/// How many times the book is laid out again when parts come out longer
/// or shorter than planned.
const LAYOUTS: usize = 3;

/// How many parts are typeset between two evictions of Typst's memo cache.
const BATCH: usize = 32;

/// How many batches of documents a memoised Typst result survives unused.
const EVICT_AGE: usize = 4;

/// How many page numbers a stamp document holds.
const STAMPS: usize = 64;

/// How many parts are read ahead of the one being written.
const READ_AHEAD: usize = 8;

/// The bytes set aside for each page of the book before it is written:
/// more than a page takes (about 20 KiB), as room set aside but never
/// written costs nothing.
const ROOM_A_PAGE: usize = 32 * 1024;

/// The book's fingerprint: its pieces' in order.
fn book_hash<'h>(hashes: impl IntoIterator<Item = &'h str>) -> String {
    let mut hasher = blake3::Hasher::new();
    for hash in hashes {
        hasher.update(hash.as_bytes());
    }
    hasher.finalize().to_hex().to_string()
}

/// A part's name in the book index: its module's fingerprint and which
/// handout it prints, if any.
fn part_id(part: &PartPlan<'_>) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(part.fingerprint.as_bytes());
    hasher.update(&[u8::from(part.handout.is_some())]);
    hasher.update(part.handout.map_or("", |h| h.id.as_str()).as_bytes());
    hasher.finalize().to_hex().to_string()
}

/// A part's place in the course, whatever its module holds: its module's
/// name and which handout it prints, if any.
fn part_name(part: &PartPlan<'_>) -> String {
    match part.handout {
        Some(h) => format!("{}#{}", part.module.slug, h.id),
        None => part.module.slug.clone(),
    }
}

/// What one build typesets of the book: its pieces by fingerprint, so
/// that a second layout does not typeset a document again.
#[derive(Default)]
struct Typeset(Mutex<FxHashMap<String, Piece>>);

impl Typeset {
    fn get(&self, hash: &str) -> Option<Piece> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(hash)
            .cloned()
    }

    fn contains(&self, hash: &str) -> bool {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.contains_key(hash)
    }

    fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn put(&self, hash: &str, piece: &Piece) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(hash.to_string(), piece.clone());
    }
}

/// What a typeset document becomes.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A part of the book, or its cover: pages that draw a stamp.
    Part,
    /// Page numbers, drawn over the book's pages.
    Stamps,
}

/// What binding the book reads, and what it typesets as it goes.
struct Binding<'a> {
    renderer: &'a PdfRenderer,
    documents: &'a Documents<'a>,
    previous: &'a PreviousPdfs,
    sources: &'a Sources,
    /// What the last build recorded of each part.
    index: BookIndex,
    typeset: Typeset,
}

impl PdfRenderer {
    /// The course book of `modules`, kept from the previous build when no
    /// part of it changed.
    /// The parts `prefetch` typeset while the modules' own PDFs were made
    /// are not typeset again.
    pub fn course_book(
        &self,
        documents: &Documents<'_>,
        modules: &[BookModule<'_>],
        previous: &PreviousPdfs,
        sources: &Sources,
        prefetch: BookPrefetch,
    ) -> Result<Made, Diagnostic> {
        let binding = Binding {
            renderer: self,
            documents,
            previous,
            sources,
            index: previous.book_index(),
            typeset: prefetch.into_typeset(),
        };
        binding.book(modules)
    }
}

impl Binding<'_> {
    fn book(&self, modules: &[BookModule<'_>]) -> Result<Made, Diagnostic> {
        let mut plan = plan(modules, &self.index);
        for _ in 0..LAYOUTS {
            let cover_job = self
                .documents
                .book_cover(cover::plan_lines(self.documents, &plan));
            let cover_hash = self.renderer.hash(&cover_job);
            let cover = self.piece(&cover_job, &cover_hash, Kind::Part)?;
            let layout = Layout::of(&plan, cover.page_count());
            let parts = self.parts(&layout, &plan)?;
            let lengths: Vec<usize> = parts.iter().map(|p| p.record.pages).collect();
            if lengths.iter().eq(plan.iter().map(|p| &p.pages)) {
                let cover = MadePart {
                    record: IndexedPart {
                        hash: cover_hash,
                        pages: cover.page_count(),
                        places: Vec::new(),
                        name: String::new(),
                    },
                    piece: Some(cover),
                };
                return self.finish(&plan, &layout, cover, parts);
            }
            for (part, pages) in plan.iter_mut().zip(lengths) {
                part.pages = pages;
            }
        }
        Err(Diagnostic::error(format!(
            "cannot lay out `{}`: its parts keep changing length",
            urls::COURSE_BOOK_PDF
        ))
        .in_file(crate::model::config::CONFIG_FILE))
    }

    /// The book of `cover` and `parts` as laid out, with its page numbers:
    /// kept from the last build when none of them changed.
    fn finish(
        &self,
        plan: &[PartPlan<'_>],
        layout: &Layout,
        cover: MadePart,
        parts: Vec<MadePart>,
    ) -> Result<Made, Diagnostic> {
        let index: BookIndex = plan
            .iter()
            .zip(&parts)
            .map(|(p, made)| (part_id(p), made.record.clone()))
            .collect();
        self.previous.remember_book_index(&index);
        let stamps = self.stamp_jobs(layout);
        let made: Vec<MadePart> = std::iter::once(cover).chain(parts).collect();
        let hashes: Vec<&str> = made
            .iter()
            .map(|m| m.record.hash.as_str())
            .chain(stamps.iter().map(|(_, hash)| hash.as_str()))
            .collect();
        let hash = book_hash(hashes.iter().copied());
        if let Some(book) = self.previous.reuse(urls::COURSE_BOOK_PDF, &hash) {
            self.previous.keep(hashes);
            return Ok(book);
        }
        (self.previous).remember_book_record(CacheEntry::BookLayout, layout);
        self.previous.keep(hashes);
        let stamps: Vec<(String, Piece)> = stamps
            .into_par_iter()
            .map(|(job, hash)| Ok((hash.clone(), self.piece(&job, &hash, Kind::Stamps)?)))
            .collect::<Result<_, Diagnostic>>()?;
        let typeset: Vec<(&str, &Piece)> = made
            .iter()
            .filter_map(|m| Some((m.record.hash.as_str(), m.piece.as_ref()?)))
            .chain(stamps.iter().map(|(hash, piece)| (hash.as_str(), piece)))
            .collect();
        self.previous.remember_pieces(&typeset);
        // Each piece from now on is held once, by `made`, until bound.
        self.typeset.clear();
        let mut made = made.into_iter();
        let cover = made.next().and_then(|m| Some((m.record.hash, m.piece?)));
        let (cover_hash, cover) = cover.ok_or_else(|| {
            Diagnostic::error(format!(
                "cannot make `{}`: it has no cover",
                urls::COURSE_BOOK_PDF
            ))
            .in_file(crate::model::config::CONFIG_FILE)
        })?;
        let cover = (cover_hash.as_str(), &cover);
        self.bind(plan, layout, cover, made.collect(), &stamps, hash)
    }

    /// The stamp documents of a book laid out as `layout`, with their
    /// fingerprints.
    fn stamp_jobs(&self, layout: &Layout) -> Vec<(Job, String)> {
        let total = layout.total;
        (1..=total)
            .step_by(STAMPS)
            .map(|first| {
                let count = STAMPS.min(total + 1 - first);
                let job = self
                    .documents
                    .page_numbers(first, count, total, layout.appendix);
                let hash = self.renderer.hash(&job);
                (job, hash)
            })
            .collect()
    }

    /// Every part as laid out, typeset in batches: Typst's memo cache is
    /// emptied of what a batch left behind before the next, or it grows
    /// with every part (6.7 GB at 200 modules).
    fn parts(&self, layout: &Layout, plan: &[PartPlan<'_>]) -> Result<Vec<MadePart>, Diagnostic> {
        let mut parts = Vec::with_capacity(plan.len());
        for chunk in plan.chunks(BATCH) {
            let done = chunk
                .par_iter()
                .map(|part| self.part(layout, part))
                .collect::<Result<Vec<_>, _>>()?;
            typst::comemo::evict(EVICT_AGE);
            parts.extend(done);
        }
        Ok(parts)
    }

    /// A part as laid out. One the last build recorded, whose printed
    /// pages have not moved, is known without its document being made.
    fn part(&self, layout: &Layout, part: &PartPlan<'_>) -> Result<MadePart, Diagnostic> {
        if let Some(known) = self.index.get(&part_id(part))
            && known
                .places
                .iter()
                .all(|(place, page)| layout.pages.get(place) == *page)
            && self.previous.has_piece(&known.hash)
        {
            return Ok(MadePart {
                record: IndexedPart {
                    name: part_name(part),
                    ..known.clone()
                },
                piece: None,
            });
        }
        let (job, places) = layout.job(self.documents, part);
        let hash = self.renderer.hash(&job);
        let piece = self.piece(&job, &hash, Kind::Part)?;
        let places = places
            .into_iter()
            .map(|place| {
                let page = layout.pages.get(&place);
                (place, page)
            })
            .collect();
        Ok(MadePart {
            record: IndexedPart {
                hash,
                pages: piece.page_count(),
                places,
                name: part_name(part),
            },
            piece: Some(piece),
        })
    }

    /// The piece of `job`, of fingerprint `hash`: typeset by this build
    /// already, kept by an earlier one, or typeset now.
    fn piece(&self, job: &Job, hash: &str, kind: Kind) -> Result<Piece, Diagnostic> {
        if let Some(piece) = self.typeset.get(hash).or_else(|| self.previous.piece(hash)) {
            return Ok(piece);
        }
        let (pdf, _) = self.renderer.compile(job, self.sources)?;
        let piece = match kind {
            Kind::Part => Piece::stamped(&pdf),
            Kind::Stamps => Piece::stamps(&pdf),
        }
        .map_err(|e| {
            Diagnostic::error(format!(
                "cannot read a part of `{}`: {e:#}",
                urls::COURSE_BOOK_PDF
            ))
            .in_file(&job.source)
        })?;
        self.typeset.put(hash, &piece);
        Ok(piece)
    }

    /// A part's piece: typeset by this build, else read from the cache,
    /// else (when the cache lost it) typeset again.
    fn part_piece(
        &self,
        layout: &Layout,
        plan: &PartPlan<'_>,
        part: MadePart,
    ) -> Result<Piece, Diagnostic> {
        if let Some(piece) = part
            .piece
            .or_else(|| self.previous.piece(&part.record.hash))
        {
            return Ok(piece);
        }
        let (job, _) = layout.job(self.documents, plan);
        let hash = self.renderer.hash(&job);
        let piece = self.piece(&job, &hash, Kind::Part)?;
        self.previous.remember_pieces(&[(&hash, &piece)]);
        Ok(piece)
    }
}

/// The book's parts in order, each as long as it was in the last book,
/// or else as the module's own PDF of it.
fn plan<'m>(modules: &'m [BookModule<'m>], index: &BookIndex) -> Vec<PartPlan<'m>> {
    let guides = modules.iter().map(|m| PartPlan {
        module: m.module,
        fingerprint: &m.fingerprint,
        handout: None,
        pages: m.guide_pages,
    });
    let handouts = modules.iter().flat_map(|m| {
        m.module
            .handouts
            .iter()
            .zip(&m.handout_pages)
            .map(|(h, pages)| PartPlan {
                module: m.module,
                fingerprint: &m.fingerprint,
                handout: Some(h),
                pages: *pages,
            })
    });
    let mut plan: Vec<PartPlan<'m>> = guides.chain(handouts).collect();
    // A part of a module whose fingerprint changed (as every module's does
    // when another's title does) is guessed as long as it was: its own
    // PDF's length was a worse guess, and every guide after the first one
    // that differed was typeset in a layout that did not hold.
    let by_name: FxHashMap<&str, usize> = index
        .values()
        .map(|known| (known.name.as_str(), known.pages))
        .collect();
    for part in &mut plan {
        let known = index.get(&part_id(part)).map(|known| known.pages);
        if let Some(pages) = known.or_else(|| by_name.get(part_name(part).as_str()).copied()) {
            part.pages = pages;
        }
    }
    plan
}

/// Where each part of the book starts, after a cover of known length.
#[derive(Debug, Serialize, Deserialize)]
struct Layout {
    /// Where each module starts, and each handout within the appendix
    /// (from 1), for the guides' links. A guide prints a handout's page as
    /// "A-3": it does not move when a guide before the appendix grows.
    pages: BookPages,
    /// The book's pages.
    total: usize,
    /// The appendix's first page, if the book has handouts.
    appendix: Option<usize>,
}

impl Layout {
    fn of(plan: &[PartPlan<'_>], cover_pages: usize) -> Layout {
        let mut pages = BookPages::default();
        let mut at = cover_pages + 1;
        let mut appendix = None;
        for part in plan {
            let slug = part.module.slug.clone();
            match part.handout {
                None => pages.modules.insert(slug, at),
                Some(h) => {
                    let first = *appendix.get_or_insert(at);
                    pages.handouts.insert((slug, h.id.clone()), at - first + 1)
                }
            };
            at += part.pages;
        }
        Layout {
            pages,
            total: at - 1,
            appendix,
        }
    }

    /// A part's document, and the places of the book it prints the
    /// pages of.
    fn job(&self, documents: &Documents<'_>, part: &PartPlan<'_>) -> (Job, Vec<Place>) {
        let (mut job, places) = match part.handout {
            None => {
                let lookup = BookLookup::new(&self.pages);
                let job = documents.guide(part.module, Places::Book(&lookup));
                (job, lookup.looked_up())
            }
            Some(h) => (documents.handout(part.module, h), Vec::new()),
        };
        job.data.folio = Some(Folio::Stamped);
        job.path = format!("{}#{}", urls::COURSE_BOOK_PDF, job.path);
        (job, places)
    }
}
