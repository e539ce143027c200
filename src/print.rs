//! `trainpack print`: one print-ready PDF for a class, and its manifest.
//!
//! The documents are the PDFs `build` makes: a PDF the site already holds,
//! unchanged, is read from it, any other is typeset in memory. The run is
//! laid out by [`crate::render::print`] and written through
//! [`crate::output`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::BuildFailure;
use crate::diag::{Diagnostic, Diagnostics, Sources, nearest};
use crate::load::schedule::course_schedule;
use crate::load::{LoadOptions, PackReader};
use crate::load_and_check;
use crate::model::config::{CONFIG_FILE, MAX_PARTICIPANTS};
use crate::model::{HandoutAudience, Module, Pack};
use crate::output::cache::{SiteCache, cache_folder};
use crate::render::Content;
use crate::render::i18n::{pack_words, words_for};
use crate::render::pdf::documents::{Documents, Job};
use crate::render::pdf::merge::{Metadata, Piece};
use crate::render::pdf::{PdfRenderer, PreviousPdfs};
use crate::render::plan::{pdf_pool, typesetter, with_documents};
use crate::render::print::{Class, Copies, Doc, Manifest, ModuleDocs, assemble, layout};

mod kit;

pub use kit::KitFile;

/// Where the run goes when `--output` does not say, from the pack.
pub const DEFAULT_OUTPUT: &str = "print/class.pdf";

/// What to print.
#[derive(Debug, Clone, Default)]
pub struct PrintOptions {
    /// The pack's folder.
    pub root: PathBuf,
    /// The PDF to write (or a folder to write `class.pdf` into); default
    /// [`DEFAULT_OUTPUT`] in the pack.
    pub output: Option<PathBuf>,
    /// Include draft modules.
    pub drafts: bool,
    /// Participants; default `[course] participants`.
    pub participants: Option<u32>,
    /// Groups; default 1.
    pub groups: Option<u32>,
    /// What is taught.
    pub teach: Teach,
}

/// Which modules a class is taught.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Teach {
    /// Every module of the pack.
    #[default]
    Course,
    /// These modules, by slug, in the pack's order.
    Modules(Vec<String>),
    /// The modules of this day of the course schedule, from 1.
    Day(usize),
}

/// What a print run wrote.
#[derive(Debug)]
pub struct PrintReport {
    /// The PDF.
    pub pdf: PathBuf,
    /// The manifest beside it.
    pub manifest_path: PathBuf,
    /// What the run holds.
    pub manifest: Manifest,
    /// The PDF's size in bytes.
    pub bytes: usize,
    /// Documents typeset because the site did not hold them unchanged.
    pub typeset: usize,
    /// Warnings found while checking.
    pub warnings: Vec<Diagnostic>,
    /// The files read, for printing warnings.
    pub sources: Sources,
    /// The evaluation kit written beside it.
    pub kit: Vec<KitFile>,
    /// How long it took.
    pub elapsed: Duration,
}

/// Makes the print run of the pack at `options.root`.
pub fn print(options: &PrintOptions) -> Result<PrintReport, BuildFailure> {
    let started = Instant::now();
    let checked = load_and_check(
        &options.root,
        &LoadOptions {
            drafts: options.drafts,
        },
    );
    let (mut diagnostics, sources) = (checked.diagnostics, checked.sources);
    let (Some(pack), Some(theme)) = (checked.pack, checked.theme) else {
        return Err(failure(diagnostics, sources, None));
    };
    let class = class(options, &pack);
    let modules = chosen(&pack, &options.teach);
    let (class, modules) = match (class, modules) {
        (Ok(class), Ok(modules)) if !diagnostics.has_errors() => (class, modules),
        (class, modules) => {
            diagnostics.extend(class.err());
            diagnostics.extend(modules.err());
            return Err(failure(diagnostics, sources, None));
        }
    };
    let target = target(options, &pack);
    if let Some(d) = misplaced(&target, &pack, "--output", DEFAULT_OUTPUT) {
        diagnostics.push(d);
        return Err(failure(diagnostics, sources, None));
    }
    let mut diags = Vec::new();
    let words = pack_words(&theme, &pack, &mut diags);
    diagnostics.extend(diags);
    let site = pack.root.join(&pack.config.build.output);
    let previous = PreviousPdfs::read(Arc::new(SiteCache::open(&site, &cache_folder(&site))));
    let pdf = typesetter(&theme, PackReader::for_pack(&pack));
    let made = with_documents(&pack, &words, |documents| {
        let pool = pdf_pool().map_err(|e| anyhow::anyhow!(e))?;
        pool.install(|| Ok(pieces(&modules, documents, &pdf, &previous, &sources)))
    });
    let made = match made {
        Ok(Ok(made)) => made,
        Ok(Err(diags)) => {
            diagnostics.extend(diags);
            return Err(failure(diagnostics, sources, None));
        }
        Err(error) => return Err(failure(diagnostics, sources, Some(error))),
    };
    let pack_words = words_for(&words, &pack, None);
    let sheet = match run_sheet(&pack, &modules, &words, &pdf, &sources) {
        Ok(piece) => piece,
        Err(d) => {
            diagnostics.push(d);
            return Err(failure(diagnostics, sources, None));
        }
    };
    let trainer = [Doc {
        title: pack_words.get("run_sheet").to_string(),
        copies: Copies::Trainer,
        piece: made.pieces.len(),
        pages: sheet.page_count(),
    }];
    let laid = layout(&made.modules, &trainer, class, pack_words);
    let covers = with_documents(&pack, &words, |d| d.print_covers(laid.covers.clone()));
    let cover_piece = match cover_piece(&pdf, &covers, laid.covers.len(), &sources) {
        Ok(piece) => piece,
        Err(d) => {
            diagnostics.push(d);
            return Err(failure(diagnostics, sources, None));
        }
    };
    let mut pieces: Vec<&Piece> = made.pieces.iter().collect();
    pieces.push(&sheet);
    pieces.push(&cover_piece);
    let pages = laid.pages(made.pieces.len() + 1);
    let manifest = laid.manifest(&heading(&pack, class, &modules), &pages);
    let title = format!(
        "{}: {}",
        pack_words.get("print_run"),
        pack.config.pack.title
    );
    let metadata = Metadata {
        title: &title,
        authors: &pack.config.pack.authors,
        language: &pack.config.pack.language,
        date: crate::render::pdf::Timestamp::from_env().pdf_date(),
    };
    let bytes = match assemble(&pieces, &pages, pack.config.pdf.paper, &metadata) {
        Ok(bytes) => bytes,
        Err(e) => return Err(failure(diagnostics, sources, Some(e))),
    };
    let manifest_path = manifest_path(&target);
    let written = crate::output::write_aside(&target, &bytes)
        .and_then(|()| crate::output::write_aside(&manifest_path, manifest.text().as_bytes()));
    if let Err(error) = written {
        return Err(failure(diagnostics, sources, Some(error)));
    }
    let kit = match write_kit(&pack, &modules, class, &words, &pdf, &target, &sources) {
        Ok(Ok(kit)) => kit,
        Ok(Err(error)) => return Err(failure(diagnostics, sources, Some(error))),
        Err(diags) => {
            diagnostics.extend(diags);
            return Err(failure(diagnostics, sources, None));
        }
    };
    Ok(PrintReport {
        pdf: target,
        manifest_path,
        manifest,
        bytes: bytes.len(),
        typeset: made.typeset,
        kit,
        warnings: diagnostics.sorted(),
        sources,
        elapsed: started.elapsed(),
    })
}

/// The evaluation kit of the class, typeset and written into `kit/`
/// beside the run's PDF.
fn write_kit(
    pack: &Pack,
    modules: &[&Module],
    class: Class,
    words: &std::collections::BTreeMap<String, crate::render::i18n::Words>,
    pdf: &PdfRenderer,
    target: &Path,
    sources: &Sources,
) -> Result<Result<Vec<KitFile>, anyhow::Error>, Vec<Diagnostic>> {
    let jobs = with_documents(pack, words, |d| {
        kit::jobs(d, pack, modules, class.participants)
    });
    let folder = target.parent().unwrap_or(Path::new("."));
    match pdf_pool() {
        Ok(pool) => pool.install(|| kit::write(&jobs, folder, pdf, sources)),
        Err(e) => Ok(Err(anyhow::anyhow!(e))),
    }
}

/// The class: participants and groups, checked against each other.
fn class(options: &PrintOptions, pack: &Pack) -> Result<Class, Diagnostic> {
    let Some(participants) = options.participants.or(pack.config.course.participants) else {
        return Err(Diagnostic::error("how many participants does the class have?")
            .in_file(CONFIG_FILE)
            .hint("pass `--participants 24`, or set `participants = 24` under `[course]` in `book.toml`"));
    };
    let groups = options.groups.unwrap_or(1);
    if groups == 0 || groups > participants || participants > MAX_PARTICIPANTS {
        return Err(Diagnostic::error(format!(
            "cannot split {participants} participants into {groups} groups"
        ))
        .hint(format!(
            "pass `--groups` from 1 to the number of participants ({participants}); participants go from 1 to {MAX_PARTICIPANTS}"
        )));
    }
    Ok(Class {
        participants: participants as usize,
        groups: groups as usize,
    })
}

/// The modules taught, in the pack's order.
fn chosen<'p>(pack: &'p Pack, teach: &Teach) -> Result<Vec<&'p Module>, Diagnostic> {
    let modules: Vec<&Module> = pack.modules.iter().map(|m| m.as_ref()).collect();
    match teach {
        Teach::Course => Ok(modules),
        Teach::Modules(slugs) => {
            if let Some(unknown) = slugs
                .iter()
                .find(|s| !modules.iter().any(|m| &m.slug == *s))
            {
                let known = modules.iter().map(|m| m.slug.as_str());
                let hint = match nearest(unknown, known) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "the modules are {}",
                        modules
                            .iter()
                            .map(|m| format!("`{}`", m.slug))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                return Err(
                    Diagnostic::error(format!("`--modules`: no module named `{unknown}`"))
                        .hint(hint),
                );
            }
            Ok(modules
                .into_iter()
                .filter(|m| slugs.contains(&m.slug))
                .collect())
        }
        Teach::Day(day) => {
            let schedule = course_schedule(modules.iter().copied(), pack.config.schedule.as_ref());
            let Some(found) = schedule.days.iter().find(|d| d.number == *day) else {
                let days = schedule.days.len();
                return Err(Diagnostic::error(format!(
                    "`--day {day}`: the course has no day {day}"
                ))
                .hint(format!(
                    "the course schedule has {days} day{}: pass `--day` from 1 to {days}",
                    if days == 1 { "" } else { "s" }
                )));
            };
            let slugs: Vec<&str> = found
                .rows
                .iter()
                .filter(|r| r.kind == "module")
                .filter_map(|r| r.module.as_deref())
                .collect();
            Ok(modules
                .into_iter()
                .filter(|m| slugs.contains(&m.slug.as_str()))
                .collect())
        }
    }
}

/// The documents of the modules, as pieces, and how many were typeset.
struct MadePieces {
    modules: Vec<ModuleDocs>,
    pieces: Vec<Piece>,
    typeset: usize,
}

/// Each module's handouts, quiz and answer key, read into pieces: from
/// the site when it holds them unchanged, else typeset.
fn pieces(
    modules: &[&Module],
    documents: &Documents<'_>,
    pdf: &PdfRenderer,
    previous: &PreviousPdfs,
    sources: &Sources,
) -> Result<MadePieces, Vec<Diagnostic>> {
    let results: Vec<Result<Vec<MadeDoc>, Diagnostic>> = modules
        .par_iter()
        .map(|m| module_pieces(m, documents, pdf, previous, sources))
        .collect();
    let mut made = MadePieces {
        modules: Vec::new(),
        pieces: Vec::new(),
        typeset: 0,
    };
    let mut diags = Vec::new();
    for (module, result) in modules.iter().zip(results) {
        let docs = match result {
            Ok(docs) => docs,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let mut list = Vec::new();
        for doc in docs {
            made.typeset += usize::from(doc.typeset);
            list.push(Doc {
                title: doc.title,
                copies: doc.copies,
                piece: made.pieces.len(),
                pages: doc.piece.page_count(),
            });
            made.pieces.push(doc.piece);
        }
        // The answer key is the last job of a module.
        let Some(key) = list.pop() else { continue };
        made.modules.push(ModuleDocs {
            label: documents.label(module),
            documents: list,
            key,
        });
    }
    match diags.is_empty() {
        true => Ok(made),
        false => Err(diags),
    }
}

/// One document of a module, read.
struct MadeDoc {
    title: String,
    copies: Copies,
    piece: Piece,
    typeset: bool,
}

/// A module's documents in teaching order (handouts, role cards, the
/// quiz), then its answer key.
fn module_pieces(
    module: &Module,
    documents: &Documents<'_>,
    pdf: &PdfRenderer,
    previous: &PreviousPdfs,
    sources: &Sources,
) -> Result<Vec<MadeDoc>, Diagnostic> {
    let jobs = documents.print_jobs(module);
    let mut wanted: Vec<(Copies, &Job)> = jobs
        .handouts
        .iter()
        .map(|(handout, job)| {
            let copies = match handout.audience {
                HandoutAudience::Participant => Copies::Participant,
                HandoutAudience::Group => Copies::Group,
            };
            (copies, job)
        })
        .collect();
    // The role cards come after the handouts, before the quiz: once per
    // group, with the group handouts just before them in one set.
    let cards = documents.role_cards(module);
    wanted.extend(cards.iter().map(|job| (Copies::Group, job)));
    wanted.extend(jobs.quiz.iter().map(|job| (Copies::Participant, job)));
    wanted.push((Copies::Trainer, &jobs.key));
    wanted
        .par_iter()
        .map(|(copies, job)| {
            let made = pdf.render_job(job, previous, sources)?;
            let bytes = match made.file.content {
                Content::Bytes(bytes) => bytes,
                Content::Copy(path) => std::fs::read(&path).map_err(|e| {
                    Diagnostic::error(format!("cannot read `{}`: {e}", path.display()))
                        .hint("build the site again with `trainpack build`, or delete it")
                })?,
                Content::Spliced(spliced) => spliced.read().map_err(|e| {
                    let path = spliced.previous.display();
                    Diagnostic::error(format!("cannot read `{path}`: {e}"))
                        .hint("build the site again with `trainpack build`, or delete it")
                })?,
            };
            let piece = Piece::untagged(&bytes).map_err(|e| {
                Diagnostic::error(format!("cannot read `{}`: {e:#}", job.path)).in_file(&job.source)
            })?;
            Ok(MadeDoc {
                title: job.data.title.clone(),
                copies: *copies,
                piece,
                typeset: made.typeset,
            })
        })
        .collect()
}

/// The run sheet of the modules taught, typeset.
fn run_sheet(
    pack: &Pack,
    modules: &[&Module],
    words: &std::collections::BTreeMap<String, crate::render::i18n::Words>,
    pdf: &PdfRenderer,
    sources: &Sources,
) -> Result<Piece, Diagnostic> {
    let schedule = course_schedule(
        pack.modules.iter().map(|m| m.as_ref()),
        pack.config.schedule.as_ref(),
    );
    let taught = |slug: &str| modules.iter().any(|m| m.slug == slug);
    let job = with_documents(pack, words, |d| d.run_sheet(&schedule, &taught));
    let (bytes, _) = pdf.compile(&job, sources)?;
    Piece::untagged(&bytes)
        .map_err(|e| Diagnostic::error(format!("cannot read the run sheet: {e:#}")))
}

fn cover_piece(
    pdf: &PdfRenderer,
    covers: &Job,
    expected: usize,
    sources: &Sources,
) -> Result<Piece, Diagnostic> {
    let (bytes, pages) = pdf.compile(covers, sources)?;
    if pages != expected {
        return Err(Diagnostic::error(format!(
            "the print run's cover sheets took {pages} pages for {expected} covers"
        ))
        .hint("each cover sheet must fit on one page: shorten the documents' titles, or check `pdf/print-covers.typ` in your theme"));
    }
    Piece::untagged(&bytes)
        .map_err(|e| Diagnostic::error(format!("cannot read the cover sheets: {e:#}")))
}

/// The manifest's first lines.
fn heading(pack: &Pack, class: Class, modules: &[&Module]) -> String {
    let slugs: Vec<&str> = modules.iter().map(|m| m.slug.as_str()).collect();
    format!(
        "print run: {}\nclass: {} participants in {} group{}\nmodules: {}",
        pack.config.pack.title,
        class.participants,
        class.groups,
        if class.groups == 1 { "" } else { "s" },
        slugs.join(", ")
    )
}

/// `--output`: a file, or a folder to put `class.pdf` in; else the default.
fn target(options: &PrintOptions, pack: &Pack) -> PathBuf {
    match &options.output {
        Some(dir) if dir.is_dir() => dir.join("class.pdf"),
        Some(file) => file.clone(),
        None => pack.root.join(DEFAULT_OUTPUT),
    }
}

/// Refuses a file of `trainpack print` or `bundle` inside `modules/` (the
/// next build would publish it) or inside the site (the next build
/// replaces the site, and the file with it); `flag` and `example` say what
/// to pass instead.
pub(crate) fn misplaced(
    target: &Path,
    pack: &Pack,
    flag: &str,
    example: &str,
) -> Option<Diagnostic> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let target = absolute(target);
    let places = [
        (pack.root.join(crate::model::MODULES_DIR), "`modules/`"),
        (
            pack.root.join(&pack.config.build.output),
            "the site's folder",
        ),
    ];
    let (_, place) = places
        .iter()
        .find(|(folder, _)| target.starts_with(absolute(folder)))?;
    Some(
        Diagnostic::error(format!("`{}` is inside {place}", target.display())).hint(format!(
            "pass `{flag}` a file outside the modules and the site, such as `{example}`"
        )),
    )
}

/// The manifest beside the PDF: `class.pdf` has `class-manifest.txt`.
pub fn manifest_path(pdf: &Path) -> PathBuf {
    let stem = pdf
        .file_stem()
        .map_or_else(|| "class".into(), |s| s.to_string_lossy().into_owned());
    pdf.with_file_name(format!("{stem}-manifest.txt"))
}

fn failure(
    diagnostics: Diagnostics,
    sources: Sources,
    error: Option<anyhow::Error>,
) -> BuildFailure {
    BuildFailure {
        diagnostics: diagnostics.sorted(),
        sources,
        error,
    }
}
