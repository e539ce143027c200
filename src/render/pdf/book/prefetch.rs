//! The course book's parts of an edited module, typeset while the
//! module's own PDFs are.
//!
//! The book is planned once every module's PDFs are made, and a module's
//! PDFs are typeset one after another (its notes draw its slides), so
//! after a one-module edit the book's part of that module waited for them
//! on one core while the other was idle: a tenth of a second of a
//! one-second rebuild at 1000 modules. Laid out as in the last book, the
//! part is typeset beside the module's PDFs instead; when the book comes
//! out laid out the same, its part has the same fingerprint and is taken
//! from here, and when it does not, it is typeset again as before.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::Sources;
use crate::model::Module;
use crate::render::cache::CacheEntry;
use crate::render::pdf::documents::Documents;
use crate::render::pdf::merge::Piece;
use crate::render::pdf::{PdfRenderer, PreviousPdfs};

use super::{Layout, PartPlan, Typeset};

/// How many modules' parts are typeset ahead. After a change to every
/// module (a theme's), the book is likely laid out otherwise, and parts
/// typeset ahead would be typeset twice.
const MODULES_AHEAD: usize = 8;

/// The last book's layout, and the parts typeset ahead from it.
#[derive(Default)]
pub struct BookPrefetch {
    layout: Option<Layout>,
    typeset: Typeset,
    /// How many modules' parts were asked for.
    asked: AtomicUsize,
}

impl BookPrefetch {
    /// Ready to typeset parts laid out as in the last book, if the cache
    /// recorded it.
    pub fn read(previous: &PreviousPdfs) -> BookPrefetch {
        BookPrefetch {
            layout: previous.book_record(CacheEntry::BookLayout),
            typeset: Typeset::default(),
            asked: AtomicUsize::new(0),
        }
    }

    /// Typesets the book's parts of `module` (of fingerprint
    /// `fingerprint`) that the cache does not hold, for the first few
    /// modules asked. A part that fails is left for the book, which
    /// reports it.
    pub fn module(
        &self,
        renderer: &PdfRenderer,
        documents: &Documents<'_>,
        module: &Module,
        fingerprint: &str,
        (previous, sources): (&PreviousPdfs, &Sources),
    ) {
        let Some(layout) = &self.layout else {
            return;
        };
        if self.asked.fetch_add(1, Ordering::Relaxed) >= MODULES_AHEAD {
            return;
        }
        let handouts = module.handouts.iter().map(Some);
        for handout in std::iter::once(None).chain(handouts) {
            let part = PartPlan {
                module,
                fingerprint,
                handout,
                pages: 0,
            };
            let (job, _) = layout.job(documents, &part);
            let hash = renderer.hash(&job);
            if previous.has_piece(&hash) || self.typeset.contains(&hash) {
                continue;
            }
            if let Ok((pdf, _)) = renderer.compile(&job, sources)
                && let Ok(piece) = Piece::stamped(&pdf)
            {
                self.typeset.put(&hash, &piece);
            }
        }
    }

    pub(super) fn into_typeset(self) -> Typeset {
        self.typeset
    }
}
