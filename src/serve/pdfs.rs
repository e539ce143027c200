//! The PDFs `serve` typesets when the browser asks for them, kept by site
//! path with the fingerprint of what each shows, so that a save typesets
//! again only the PDFs it changed.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diag::{Diagnostic, Sources};
use crate::load::theme::Theme;
use crate::model::Pack;
use crate::render::i18n::Words;
use crate::render::pdf::book::BookModule;
use crate::render::pdf::documents::{Documents, Job};
use crate::render::pdf::{Entry, KeyPart, PdfRenderer, PreviousPdfs};
use crate::render::plan::{self};
use crate::render::{Content, urls};

/// Typesets the PDFs of one language of one build on demand.
pub(super) struct PdfMaker {
    pub(super) prefix: String,
    pub(super) pack: Arc<Pack>,
    pub(super) words: BTreeMap<String, Words>,
    pub(super) renderer: Arc<LazyTypesetter>,
    pub(super) sources: Arc<Sources>,
    pub(super) made: Arc<MadePdfs>,
    /// The course's answer key once made from this build: asking again
    /// then costs no fingerprinting of every module key.
    pub(super) pack_key: OnceLock<Arc<Vec<u8>>>,
    /// The course book once made from this build.
    pub(super) course_book: OnceLock<Arc<Vec<u8>>>,
}

impl PdfMaker {
    pub(super) fn get(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, Diagnostic>> {
        if path == urls::PACK_KEY_PDF {
            if let Some(made) = self.pack_key.get() {
                return Some(Ok(made.clone()));
            }
            return Some(self.pack_key().inspect(|made| {
                let _ = self.pack_key.set(made.clone());
            }));
        }
        if path == urls::COURSE_BOOK_PDF {
            if let Some(made) = self.course_book.get() {
                return Some(Ok(made.clone()));
            }
            return Some(self.course_book().inspect(|made| {
                let _ = self.course_book.set(made.clone());
            }));
        }
        let job = self.with_documents(|documents| {
            let slug = path.strip_prefix(urls::MODULES)?.split('/').next()?;
            let module = self.pack.modules.iter().find(|m| m.slug == slug)?;
            documents
                .module_jobs(module)
                .into_iter()
                .find(|job| job.path == path)
        })?;
        let hash = self.renderer.get().hash(&job);
        Some(self.typeset(&job, &hash).map(|(pdf, _)| pdf))
    }

    /// The PDF of `job`, whose fingerprint is `hash`: kept from an earlier
    /// request while what it shows is the same.
    pub(super) fn typeset(
        &self,
        job: &Job,
        hash: &str,
    ) -> Result<(Arc<Vec<u8>>, usize), Diagnostic> {
        let path = format!("{}{}", self.prefix, job.path);
        self.made.get_or_make(&path, hash, || {
            self.renderer.get().compile(job, &self.sources)
        })
    }

    /// The pack's answer key: every module's key (typeset side by side,
    /// those already made kept), then the cover and the merge, as in a
    /// build; kept whole while no part changed.
    pub(super) fn pack_key(&self) -> Result<Arc<Vec<u8>>, Diagnostic> {
        let keys: Vec<(String, Job)> = self.with_documents(|documents| {
            self.pack
                .modules
                .iter()
                .filter_map(|module| {
                    let path = urls::module_key(&module.slug, "pdf");
                    let job = documents
                        .module_jobs(module)
                        .into_iter()
                        .find(|j| j.path == path)?;
                    Some((documents.label(module), job))
                })
                .collect()
        });
        let typesetter = self.renderer.get();
        let typeset: Vec<(KeyPart, Arc<Vec<u8>>)> = self.made.in_pool(|| {
            keys.into_par_iter()
                .map(|(label, job)| {
                    let hash = typesetter.hash(&job);
                    let (pdf, pages) = self.typeset(&job, &hash)?;
                    // The bytes are copied in only if the merge is needed.
                    let part = KeyPart {
                        label,
                        path: job.path,
                        entry: Entry { hash, pages },
                        content: Content::Bytes(Vec::new()),
                    };
                    Ok((part, pdf))
                })
                .collect::<Result<_, Diagnostic>>()
        })??;
        let (parts, pdfs): (Vec<KeyPart>, Vec<_>) = typeset.into_iter().unzip();
        let cover = self.with_documents(|documents| documents.pack_cover(&parts));
        let path = format!("{}{}", self.prefix, urls::PACK_KEY_PDF);
        let hash = typesetter.pack_key_hash(&cover, &parts);
        let made = self.made.get_or_make(&path, &hash, || {
            let parts: Vec<KeyPart> = parts
                .into_iter()
                .zip(pdfs)
                .map(|(part, pdf)| KeyPart {
                    content: Content::Bytes(pdf.to_vec()),
                    ..part
                })
                .collect();
            let previous = PreviousPdfs::default();
            let made = typesetter.pack_key(&cover, &parts, &previous, &self.sources)?;
            let bytes = made.file.as_bytes().map(<[u8]>::to_vec).unwrap_or_default();
            Ok((bytes, made.entry.pages))
        });
        made.map(|(pdf, _)| pdf)
    }

    /// The course book: each module's guide and handouts typeset (those
    /// already made kept) for their lengths, then the book as a build
    /// makes it.
    pub(super) fn course_book(&self) -> Result<Arc<Vec<u8>>, Diagnostic> {
        let typesetter = self.renderer.get();
        let made = self.made.in_pool(|| {
            self.with_documents(|documents| {
                let modules = self
                    .pack
                    .modules
                    .par_iter()
                    .map(|module| self.book_module(documents, module))
                    .collect::<Result<Vec<_>, Diagnostic>>()?;
                let previous = PreviousPdfs::default();
                let prefetch = Default::default();
                typesetter.course_book(documents, &modules, &previous, &self.sources, prefetch)
            })
        })??;
        let bytes = made.file.as_bytes().map(<[u8]>::to_vec).unwrap_or_default();
        Ok(Arc::new(bytes))
    }

    /// A module as the course book holds it, its guide and handouts
    /// typeset for their lengths.
    fn book_module<'m>(
        &self,
        documents: &Documents<'_>,
        module: &'m crate::model::Module,
    ) -> Result<BookModule<'m>, Diagnostic> {
        let jobs = documents.module_jobs(module);
        let mut fingerprint = blake3::Hasher::new();
        for job in &jobs {
            fingerprint.update(self.renderer.get().hash(job).as_bytes());
        }
        let pages = |path: String| -> Result<usize, Diagnostic> {
            let Some(job) = jobs.iter().find(|j| j.path == path) else {
                return Ok(1);
            };
            let hash = self.renderer.get().hash(job);
            Ok(self.typeset(job, &hash)?.1)
        };
        let handout_pages = module
            .handouts
            .iter()
            .map(|h| pages(urls::handout(&module.slug, &h.id, "pdf")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BookModule {
            module,
            guide_pages: pages(urls::guide_pdf(&module.slug))?,
            handout_pages,
            fingerprint: fingerprint.finalize().to_hex().to_string(),
        })
    }

    /// Runs `f` with the documents of this language.
    pub(super) fn with_documents<T>(&self, f: impl FnOnce(&Documents<'_>) -> T) -> T {
        plan::with_documents(&self.pack, &self.words, f)
    }
}

/// The PDFs this server typeset, by site path, with the fingerprint of
/// what each shows: kept from one rebuild to the next, so that a save
/// typesets again only the PDFs it changed.
#[derive(Default)]
pub(super) struct MadePdfs {
    pub(super) pdfs: Mutex<FxHashMap<String, MadePdf>>,
    /// Threads with a stack deep enough for Typst (see `plan::PDF_STACK`).
    pub(super) pool: OnceLock<Result<rayon::ThreadPool, String>>,
}

#[derive(Clone)]
pub(super) struct MadePdf {
    pub(super) hash: String,
    pub(super) pdf: Arc<Vec<u8>>,
    pub(super) pages: usize,
}

impl MadePdfs {
    /// The PDF at `path` when it was made from `hash`, else made by
    /// `make` and kept in place of the old one.
    pub(super) fn get_or_make(
        &self,
        path: &str,
        hash: &str,
        make: impl FnOnce() -> Result<(Vec<u8>, usize), Diagnostic>,
    ) -> Result<(Arc<Vec<u8>>, usize), Diagnostic> {
        let kept = self
            .pdfs
            .lock()
            .ok()
            .and_then(|pdfs| pdfs.get(path).cloned());
        if let Some(made) = kept.filter(|m| m.hash == hash) {
            return Ok((made.pdf, made.pages));
        }
        let (bytes, pages) = make()?;
        let made = MadePdf {
            hash: hash.to_string(),
            pdf: Arc::new(bytes),
            pages,
        };
        if let Ok(mut pdfs) = self.pdfs.lock() {
            pdfs.insert(path.to_string(), made.clone());
        }
        Ok((made.pdf, made.pages))
    }

    /// Drops the PDFs that are in none of `folders` (module folders and
    /// course key paths, see [`pdf_folders`]), so that a long session
    /// does not keep every PDF of every module it ever served.
    pub(super) fn forget_all_but(&self, folders: &FxHashSet<String>) {
        if let Ok(mut pdfs) = self.pdfs.lock() {
            pdfs.retain(|path, _| folders.contains(module_folder_of(path)));
        }
    }

    /// Runs `f` on the PDF threads.
    pub(super) fn in_pool<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T, Diagnostic> {
        match self.pool.get_or_init(plan::pdf_pool) {
            Ok(pool) => Ok(pool.install(f)),
            Err(e) => Err(Diagnostic::error(e.clone())
                .hint("close other programs to free memory, then ask for the PDF again")),
        }
    }
}

/// Where the PDFs of `pack` are: each language's module folders and its
/// course key.
pub(super) fn pdf_folders(pack: &Pack) -> FxHashSet<String> {
    pack.languages()
        .flat_map(|part| {
            let folders = part
                .modules
                .iter()
                .map(|m| format!("{}{}", part.prefix, urls::module_dir(&m.slug)));
            folders.chain([
                format!("{}{}", part.prefix, urls::PACK_KEY_PDF),
                format!("{}{}", part.prefix, urls::COURSE_BOOK_PDF),
            ])
        })
        .collect()
}

/// The module folder a site path is in (`fr/modules/04-x/` for
/// `fr/modules/04-x/quiz.pdf`), or the path itself when it is in none.
pub(super) fn module_folder_of(path: &str) -> &str {
    let Some(at) = path.find(urls::MODULES) else {
        return path;
    };
    let slug_at = at + urls::MODULES.len();
    match path[slug_at..].find('/') {
        Some(end) => &path[..slug_at + end + 1],
        None => path,
    }
}

/// The PDF typesetter of a build, made when a PDF is first asked for:
/// loading the fonts is not worth doing on every save.
pub(super) struct LazyTypesetter {
    pub(super) theme: Arc<Theme>,
    pub(super) files: crate::load::PackReader,
    pub(super) typesetter: OnceLock<PdfRenderer>,
}

impl LazyTypesetter {
    pub(super) fn get(&self) -> &PdfRenderer {
        self.typesetter
            .get_or_init(|| plan::typesetter(&self.theme, self.files.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    pub(super) fn a_pdf_is_made_again_only_when_its_fingerprint_changes() {
        let made = MadePdfs::default();
        let calls = Cell::new(0);
        let make = |bytes: &[u8]| {
            calls.set(calls.get() + 1);
            Ok((bytes.to_vec(), 1))
        };
        let get =
            |hash: &str, bytes: &[u8]| made.get_or_make("a.pdf", hash, || make(bytes)).unwrap();
        assert_eq!(*get("h1", b"one").0, b"one");
        assert_eq!(*get("h1", b"not asked").0, b"one");
        assert_eq!(calls.get(), 1);
        assert_eq!(*get("h2", b"two").0, b"two");
        assert_eq!(calls.get(), 2);
        // Another path is another PDF.
        let other = made.get_or_make("b.pdf", "h2", || make(b"three"));
        assert_eq!(*other.unwrap().0, b"three");
        assert_eq!(calls.get(), 3);
    }

    #[test]
    pub(super) fn pdfs_of_removed_modules_are_forgotten() {
        let made = MadePdfs::default();
        for path in ["modules/a/quiz.pdf", "modules/b/quiz.pdf", "answer-key.pdf"] {
            made.get_or_make(path, "h", || Ok((b"pdf".to_vec(), 1)))
                .unwrap();
        }
        let folders = ["modules/a/", "answer-key.pdf"].map(String::from);
        made.forget_all_but(&folders.into_iter().collect());
        let mut left: Vec<String> = made.pdfs.lock().unwrap().keys().cloned().collect();
        left.sort();
        assert_eq!(left, ["answer-key.pdf", "modules/a/quiz.pdf"]);
    }

    #[test]
    pub(super) fn pdfs_are_grouped_by_module_folder() {
        assert_eq!(module_folder_of("modules/a/quiz.pdf"), "modules/a/");
        assert_eq!(
            module_folder_of("fr/modules/a/handouts/h.pdf"),
            "fr/modules/a/"
        );
        assert_eq!(module_folder_of("fr/answer-key.pdf"), "fr/answer-key.pdf");
    }

    #[test]
    pub(super) fn a_failed_pdf_is_not_kept() {
        let made = MadePdfs::default();
        let failed = made.get_or_make("a.pdf", "h", || Err(Diagnostic::error("broken")));
        assert!(failed.is_err());
        let mended = made.get_or_make("a.pdf", "h", || Ok((b"ok".to_vec(), 1)));
        assert_eq!(*mended.unwrap().0, b"ok");
    }
}
