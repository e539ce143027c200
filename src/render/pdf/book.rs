//! The course book, `guide.pdf` at the site root: a title page, the
//! contents with page numbers, the course schedule, every module's printed
//! guide, then the participants' handouts as appendices, with one run of
//! page numbers and a bookmark per module, section and handout.
//!
//! Like the course's answer key it is assembled from parts (see
//! [`super::merge`]), but each part is typeset with its own page numbers
//! in the book and the pages its links point to, so a part is typeset
//! again only when it or its place in the book changes. Where each part
//! starts is known before any of them is typeset: a part has as many pages
//! as the module's own `guide.pdf` or handout PDF, which differ from it
//! only in their page numbers. A part whose page numbers or references
//! change its length all the same moves the parts after it, and the book
//! is laid out again.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Sources};
use crate::model::{Handout, Module};
use crate::render::OutFile;
use crate::render::i18n::words_for;
use crate::render::pdf::documents::{Documents, Folio, Job};
use crate::render::pdf::guide::{BookPages, Places};
use crate::render::pdf::merge::{self, Bookmark, Piece};
use crate::render::pdf::{Entry, Made, PdfRenderer, PreviousPdfs};
use crate::render::urls;

/// The course book's first pages, as `data.book`.
#[derive(Debug, Clone, Serialize)]
pub struct BookCover {
    /// "Course book".
    pub subtitle: String,
    /// The contents: modules and handouts.
    pub contents: Vec<ContentsLine>,
    /// The course schedule, day by day.
    pub days: Vec<super::documents::SheetDay>,
    /// The course's teaching time, in words.
    pub total: String,
}

/// A line of the contents.
#[derive(Debug, Clone, Serialize)]
pub struct ContentsLine {
    /// "Module 3: …", or a handout's title.
    pub label: String,
    /// 1 for modules and the appendix, 2 for handouts.
    pub level: u8,
    /// Its first page, counted from the first page after the cover.
    pub offset: usize,
}

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
    /// module is kept while it and the part's place stay the same.
    pub fingerprint: String,
}

/// One part of the book after the cover.
struct PartPlan<'m> {
    module: &'m Module,
    /// The fingerprint of everything its module's PDFs show.
    fingerprint: &'m str,
    /// The handout it prints; `None` for the module's guide.
    handout: Option<&'m Handout>,
    pages: usize,
}

/// How many times the book is laid out again when parts come out longer
/// or shorter than planned.
const LAYOUTS: usize = 3;

/// How many parts are typeset between two evictions of Typst's memo cache.
const BATCH: usize = 32;

/// How many batches of documents a memoised Typst result survives unused.
const EVICT_AGE: usize = 4;

/// The book's fingerprint: its cover's and parts' in order.
fn book_hash(hashes: &[String]) -> String {
    let mut hasher = blake3::Hasher::new();
    for hash in hashes {
        hasher.update(hash.as_bytes());
    }
    hasher.finalize().to_hex().to_string()
}

impl PdfRenderer {
    /// The course book of `modules`, kept from the previous build when no
    /// part of it changed.
    pub fn course_book(
        &self,
        documents: &Documents<'_>,
        modules: &[BookModule<'_>],
        previous: &PreviousPdfs,
        sources: &Sources,
    ) -> Result<Made, Diagnostic> {
        let mut plan = plan(modules);
        let index = previous.book_index();
        for _ in 0..LAYOUTS {
            let cover = documents.book_cover(plan_lines(documents, &plan), total_of(&plan));
            let cover_hash = self.hash(&cover);
            let cover_piece = self.part_piece(&cover, &cover_hash, previous, sources)?;
            let layout = Layout::of(&plan, cover_piece.page_count());
            let parts = self.parts(documents, &layout, &plan, &index, previous, sources)?;
            let mut hashes = vec![cover_hash];
            hashes.extend(parts.iter().map(|(hash, _)| hash.clone()));
            let hash = book_hash(&hashes);
            let keys: Vec<String> = plan
                .iter()
                .enumerate()
                .map(|(i, p)| layout.key(i, p))
                .collect();
            let new_index: BTreeMap<String, String> =
                keys.into_iter().zip(hashes[1..].iter().cloned()).collect();
            if let Some(made) = previous.reuse(urls::COURSE_BOOK_PDF, &hash) {
                previous.keep(hashes.iter().map(String::as_str));
                previous.remember_book_index(&new_index);
                return Ok(made);
            }
            let mut pieces = vec![cover_piece];
            pieces.extend(
                parts
                    .into_par_iter()
                    .zip(plan.par_iter().enumerate())
                    .map(|((part_hash, piece), (i, part))| match piece {
                        Some(piece) => Ok(piece),
                        // A kept piece that cannot be read back is typeset
                        // again.
                        None => match previous.piece(&part_hash) {
                            Some(kept) => Ok(kept),
                            None => {
                                let job = layout.job(documents, i, part);
                                let hash = self.hash(&job);
                                self.part_piece(&job, &hash, previous, sources)
                            }
                        },
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            );
            typst::comemo::evict(EVICT_AGE);
            let lengths: Vec<usize> = pieces[1..].iter().map(Piece::page_count).collect();
            if lengths == plan.iter().map(|p| p.pages).collect::<Vec<_>>() {
                let kept: Vec<(&str, &Piece)> =
                    hashes.iter().map(String::as_str).zip(&pieces).collect();
                previous.remember_pieces(&kept);
                previous.remember_book_index(&new_index);
                return self.bind(documents, &plan, &pieces, hash);
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

    /// Every part's fingerprint and piece (see [`PdfRenderer::part`]),
    /// typeset in batches: Typst's memo cache is emptied of what a batch
    /// left behind before the next, or it grows with every part (6.7 GB at
    /// 200 modules).
    fn parts(
        &self,
        documents: &Documents<'_>,
        layout: &Layout,
        plan: &[PartPlan<'_>],
        index: &BTreeMap<String, String>,
        previous: &PreviousPdfs,
        sources: &Sources,
    ) -> Result<Vec<(String, Option<Piece>)>, Diagnostic> {
        let mut parts = Vec::with_capacity(plan.len());
        for (batch, chunk) in plan.chunks(BATCH).enumerate() {
            let done = chunk
                .par_iter()
                .enumerate()
                .map(|(j, part)| {
                    let i = batch * BATCH + j;
                    self.part(documents, layout, i, part, index, previous, sources)
                })
                .collect::<Result<Vec<_>, _>>()?;
            typst::comemo::evict(EVICT_AGE);
            parts.extend(done);
        }
        Ok(parts)
    }

    /// Part `i`'s document fingerprint, and its piece when it had to be
    /// typeset. A part whose module and place are as the last build had
    /// them is known by the fingerprint that build recorded, without its
    /// document being made again; its piece is then read when the book is
    /// bound.
    #[allow(clippy::too_many_arguments)]
    fn part(
        &self,
        documents: &Documents<'_>,
        layout: &Layout,
        i: usize,
        part: &PartPlan<'_>,
        index: &BTreeMap<String, String>,
        previous: &PreviousPdfs,
        sources: &Sources,
    ) -> Result<(String, Option<Piece>), Diagnostic> {
        if let Some(hash) = index.get(&layout.key(i, part))
            && previous.has_piece(hash)
        {
            return Ok((hash.clone(), None));
        }
        let job = layout.job(documents, i, part);
        let hash = self.hash(&job);
        if previous.has_piece(&hash) {
            return Ok((hash, None));
        }
        let piece = self.part_piece(&job, &hash, previous, sources)?;
        Ok((hash, Some(piece)))
    }

    fn part_piece(
        &self,
        job: &Job,
        hash: &str,
        previous: &PreviousPdfs,
        sources: &Sources,
    ) -> Result<Piece, Diagnostic> {
        if let Some(kept) = previous.piece(hash) {
            return Ok(kept);
        }
        let (pdf, _) = self.compile(job, sources)?;
        Piece::of(&pdf).map_err(|e| {
            Diagnostic::error(format!(
                "cannot read a part of `{}`: {e:#}",
                urls::COURSE_BOOK_PDF
            ))
            .in_file(&job.source)
        })
    }

    /// The book made of its cover and parts, with a bookmark per module,
    /// per section and per handout.
    fn bind(
        &self,
        documents: &Documents<'_>,
        plan: &[PartPlan<'_>],
        pieces: &[Piece],
        hash: String,
    ) -> Result<Made, Diagnostic> {
        let words = words_for(documents.words, documents.pack, None);
        let appendix = words.get("appendix_handouts").to_string();
        let parts: Vec<merge::Part<'_>> = plan
            .iter()
            .zip(&pieces[1..])
            .enumerate()
            .map(|(i, (part, piece))| {
                let mut bookmarks = match part.handout {
                    None => module_bookmarks(documents, part.module, piece),
                    Some(h) => vec![Bookmark::new(2, &h.title, 0)],
                };
                if part.handout.is_some() && (i == 0 || plan[i - 1].handout.is_none()) {
                    bookmarks.insert(0, Bookmark::new(1, &appendix, 0));
                }
                merge::Part { bookmarks, piece }
            })
            .collect();
        let config = &documents.pack.config;
        let title = config.pack.title.clone();
        let metadata = merge::Metadata {
            title: &title,
            authors: &config.pack.authors,
            language: &words.language,
            date: self.timestamp.pdf_date(),
        };
        let pdf = merge::merge(&pieces[0], &parts, &metadata).map_err(|e| {
            Diagnostic::error(format!("cannot make `{}`: {e:#}", urls::COURSE_BOOK_PDF))
                .in_file(crate::model::config::CONFIG_FILE)
        })?;
        let pages = pieces.iter().map(Piece::page_count).sum();
        Ok(Made {
            file: OutFile::bytes(urls::COURSE_BOOK_PDF, pdf),
            entry: Entry { hash, pages },
            typeset: true,
        })
    }
}

/// A guide's own bookmarks, its title as "Module 4: …".
fn module_bookmarks(documents: &Documents<'_>, module: &Module, piece: &Piece) -> Vec<Bookmark> {
    let mut bookmarks = piece.bookmarks();
    match bookmarks.first_mut() {
        Some(first) if first.level == 1 => first.title = documents.label(module),
        _ => bookmarks.insert(0, Bookmark::new(1, &documents.label(module), 0)),
    }
    bookmarks
}

fn plan<'m>(modules: &'m [BookModule<'m>]) -> Vec<PartPlan<'m>> {
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
    guides.chain(handouts).collect()
}

fn total_of(plan: &[PartPlan<'_>]) -> usize {
    plan.iter().map(|p| p.pages).sum()
}

/// Where each part of the book starts, after a cover of known length.
struct Layout {
    /// The first page of each part, in plan order.
    starts: Vec<usize>,
    /// The book's pages.
    total: usize,
    /// Where each module and handout starts, for the guides' links.
    pages: BookPages,
    /// The fingerprint of `pages`.
    pages_digest: String,
}

impl Layout {
    fn of(plan: &[PartPlan<'_>], cover_pages: usize) -> Layout {
        let mut pages = BookPages::default();
        let mut at = cover_pages + 1;
        let mut starts = Vec::with_capacity(plan.len());
        for part in plan {
            let slug = part.module.slug.clone();
            match part.handout {
                None => pages.modules.insert(slug, at),
                Some(h) => pages.handouts.insert((slug, h.id.clone()), at),
            };
            starts.push(at);
            at += part.pages;
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update(&postcard::to_stdvec(&pages).unwrap_or_default());
        Layout {
            starts,
            total: at - 1,
            pages,
            pages_digest: hasher.finalize().to_hex().to_string(),
        }
    }

    /// Part `i`'s page numbers in the book.
    fn folio(&self, i: usize, part: &PartPlan<'_>) -> Folio {
        let first = self.starts[i];
        Folio {
            first,
            after: self.total + 1 - first - part.pages,
        }
    }

    /// The fingerprint of part `i` as laid out: its module's (everything
    /// the module's PDFs show), which handout it is, its page numbers and
    /// the pages its links may name. Made without the part's document, so
    /// that the parts of unchanged modules cost no markup.
    fn key(&self, i: usize, part: &PartPlan<'_>) -> String {
        let folio = self.folio(i, part);
        let mut hasher = blake3::Hasher::new();
        hasher.update(part.fingerprint.as_bytes());
        hasher.update(part.handout.map_or("", |h| h.id.as_str()).as_bytes());
        hasher.update(&[u8::from(part.handout.is_some())]);
        hasher.update(&folio.first.to_le_bytes());
        hasher.update(&folio.after.to_le_bytes());
        hasher.update(self.pages_digest.as_bytes());
        hasher.finalize().to_hex().to_string()
    }

    /// Part `i`'s document.
    fn job(&self, documents: &Documents<'_>, i: usize, part: &PartPlan<'_>) -> Job {
        let mut job = match part.handout {
            None => documents.guide(part.module, Places::Book(&self.pages)),
            Some(h) => documents.handout(part.module, h),
        };
        job.data.folio = Some(self.folio(i, part));
        job.path = format!("{}#{}", urls::COURSE_BOOK_PDF, job.path);
        job
    }
}

fn plan_lines(documents: &Documents<'_>, plan: &[PartPlan<'_>]) -> Vec<ContentsLine> {
    let words = words_for(documents.words, documents.pack, None);
    let mut lines = Vec::new();
    let mut offset = 0;
    for (i, part) in plan.iter().enumerate() {
        match part.handout {
            None => lines.push(ContentsLine {
                label: documents.label(part.module),
                level: 1,
                offset,
            }),
            Some(h) => {
                if i == 0 || plan[i - 1].handout.is_none() {
                    lines.push(ContentsLine {
                        label: words.get("appendix_handouts").to_string(),
                        level: 1,
                        offset,
                    });
                }
                lines.push(ContentsLine {
                    label: h.title.clone(),
                    level: 2,
                    offset,
                });
            }
        }
        offset += part.pages;
    }
    lines
}

impl Documents<'_> {
    /// The course book's cover: its title page, the contents (`lines`)
    /// and the course schedule; `after` pages follow it.
    pub fn book_cover(&self, lines: Vec<ContentsLine>, after: usize) -> Job {
        let words = words_for(self.words, self.pack, None);
        let schedule = crate::load::schedule::course_schedule(
            self.pack.modules.iter().map(|m| m.as_ref()),
            self.pack.config.schedule.as_ref(),
        );
        let mut data = self.document(None, "course-book", self.pack.config.pack.title.clone());
        data.book = Some(BookCover {
            subtitle: words.get("course_book").to_string(),
            contents: lines,
            days: self.sheet_days(
                &schedule,
                &|_| true,
                super::documents::Rows::ModulesAndBreaks,
            ),
            total: words.duration(schedule.total),
        });
        data.folio = Some(Folio { first: 1, after });
        Job {
            path: format!("{}#cover", urls::COURSE_BOOK_PDF),
            template: "pdf/course-book.typ",
            data,
            videos: Vec::new(),
            source: crate::model::config::CONFIG_FILE.to_string(),
        }
    }
}
