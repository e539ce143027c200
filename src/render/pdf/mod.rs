//! PDFs, typeset by Typst linked in as a library: every handout and quiz
//! for participants, every module's answer key and the pack's answer key,
//! and every module's deck, alone and as notes pages.
//!
//! Each document is data (JSON) handed to a template of the theme
//! (`pdf/handout.typ`...), compiled in a [`world::DocumentWorld`] that can
//! read nothing but the theme, the document and the pack's media. PDFs whose
//! inputs did not change since the previous build are copied from it, by a
//! content hash kept in the site.

pub mod book;
mod catalog;
pub mod deck;
pub mod documents;
pub mod guide;
pub mod kit;
pub mod markup;
pub mod merge;
mod rebind;
pub mod reuse;
mod world;

pub use reuse::{Entry, MANIFEST, Made, PdfOutput, PreviousPdfs};

use std::collections::BTreeMap;
use std::sync::Arc;

use qrcode::QrCode;
use rayon::prelude::*;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, SourceFile, Sources};
use crate::model::files::PackFiles;
use crate::render::cache::CacheEntry;
use crate::render::{Content, OutFile, urls};
use documents::Job;
use rebind::LastMerge;
use world::{DocumentWorld, Environment};

/// When the PDFs were made: `SOURCE_DATE_EPOCH` when set. Without it the
/// PDFs carry no date at all, so two builds still give the same bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timestamp {
    /// Seconds since 1970, UTC.
    pub epoch: Option<i64>,
}

impl Timestamp {
    /// Reads `SOURCE_DATE_EPOCH`.
    pub fn from_env() -> Timestamp {
        let epoch = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|v| v.trim().parse().ok());
        Timestamp { epoch }
    }

    /// The date as a PDF date string: `D:20231114221320Z`.
    pub fn pdf_date(self) -> Option<String> {
        let datetime = self.datetime()?;
        Some(format!(
            "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
            datetime.year()?,
            datetime.month()?,
            datetime.day()?,
            datetime.hour()?,
            datetime.minute()?,
            datetime.second()?
        ))
    }

    fn datetime(self) -> Option<Datetime> {
        let secs = self.epoch?;
        let days = secs.div_euclid(86_400);
        let rest = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        Datetime::from_ymd_hms(
            y,
            m,
            d,
            (rest / 3600) as u8,
            (rest % 3600 / 60) as u8,
            (rest % 60) as u8,
        )
    }
}

/// Days since 1970-01-01 to (year, month, day), in the proleptic Gregorian
/// calendar (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// Compiles PDF jobs with one set of fonts and templates.
pub struct PdfRenderer {
    env: Environment,
    timestamp: Timestamp,
    /// How many documents it typeset, for `build --timings`.
    typeset: std::sync::atomic::AtomicUsize,
}

impl PdfRenderer {
    /// A renderer over the theme's fonts and PDF templates.
    pub fn new(
        theme: &crate::load::theme::Theme,
        files: Arc<dyn PackFiles>,
        timestamp: Timestamp,
    ) -> PdfRenderer {
        PdfRenderer {
            env: Environment::new(theme, files, timestamp.datetime()),
            timestamp,
            typeset: Default::default(),
        }
    }

    /// How many documents it has typeset.
    pub fn documents_typeset(&self) -> usize {
        self.typeset.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The PDF of a job: copied from `previous` when its inputs did not
    /// change, else typeset. Also gives its hash and whether it was typeset.
    pub fn render_job(
        &self,
        job: &Job,
        previous: &PreviousPdfs,
        sources: &Sources,
    ) -> Result<Made, Diagnostic> {
        let hash = self.hash(job);
        if let Some(made) = previous.reuse(&job.path, &hash) {
            return Ok(made);
        }
        let (bytes, pages) = self.compile(job, sources)?;
        Ok(Made {
            file: OutFile::bytes(job.path.clone(), bytes),
            entry: Entry { hash, pages },
            typeset: true,
        })
    }

    /// The fingerprint of the pack's answer key made of `cover` and `parts`.
    pub fn pack_key_hash(&self, cover: &Job, parts: &[KeyPart]) -> String {
        pack_key_hash(&self.hash(cover), parts)
    }

    /// The pack's answer key: a cover listing the modules, then each
    /// module's answer key (`parts`, in module order), reused when neither
    /// the cover nor any part changed.
    pub fn pack_key(
        &self,
        cover: &Job,
        parts: &[KeyPart],
        previous: &PreviousPdfs,
        sources: &Sources,
    ) -> Result<Made, Diagnostic> {
        let cover_hash = self.hash(cover);
        let hash = pack_key_hash(&cover_hash, parts);
        let path = urls::PACK_KEY_PDF;
        if let Some(made) = previous.reuse(path, &hash) {
            let parts = parts.iter().map(|p| p.entry.hash.as_str());
            previous.keep(std::iter::once(cover_hash.as_str()).chain(parts));
            return Ok(made);
        }
        let cover_piece = match previous.piece(&cover_hash) {
            Some(kept) => kept,
            None => {
                let (pdf, _) = self.compile(cover, sources)?;
                merge::Piece::of(&pdf).map_err(|e| {
                    Diagnostic::error(format!("cannot read the cover of `{path}`: {e:#}"))
                        .in_file(&cover.source)
                })?
            }
        };
        let data = &cover.data;
        let metadata = merge::Metadata {
            title: &data.title,
            authors: &data.authors,
            language: &data.lang,
            date: self.timestamp.pdf_date(),
        };
        let last = LastMerge::read(previous, CacheEntry::KeyBinding, path);
        let (hashes, plan, pieces) = key_plan(&last, (&cover_hash, &cover_piece), parts, previous)?;
        let kept = last.kept(&hashes, &plan.slots());
        let pieces = read_missing(pieces, &kept[1..], parts, previous)?;
        let mut remembered: Vec<(&str, &merge::Piece)> = vec![(&cover_hash, &cover_piece)];
        let fresh = (parts.iter().zip(&pieces)).filter_map(|(p, piece)| Some((p, piece.as_ref()?)));
        remembered.extend(fresh.map(|(part, piece)| (part.entry.hash.as_str(), piece)));
        previous.remember_pieces(&remembered);
        previous.keep(hashes.iter().map(String::as_str));
        let mut kept = kept;
        let source = |i: usize| {
            let marks = match i.checked_sub(1) {
                None => plan.head(0).bookmarks(),
                Some(part) => vec![merge::Bookmark::new(1, &parts[part].label, 0)],
            };
            let piece = match i.checked_sub(1) {
                None => Some(&cover_piece),
                Some(part) => pieces[part].as_ref(),
            };
            let source = match (kept[i].take(), piece) {
                (Some(segment), _) => merge::Source::Previous(segment),
                (None, Some(piece)) => merge::Source::Piece(std::borrow::Cow::Borrowed(piece)),
                (None, None) => return Err(anyhow::anyhow!("a module's key was not read")),
            };
            Ok((marks, source))
        };
        let written = merge::merge_each(&plan, source, &metadata).map_err(|e| {
            Diagnostic::error(format!("cannot make `{path}`: {e:#}")).in_file(&cover.source)
        })?;
        let pages = cover_piece.page_count() + parts.iter().map(|p| p.entry.pages).sum::<usize>();
        let content = last.finish(previous, &hash, (hashes, plan.pieces.into_iter()), written);
        Ok(Made {
            file: OutFile {
                path: path.to_string(),
                content,
            },
            entry: Entry { hash, pages },
            typeset: true,
        })
    }

    /// What the PDF depends on: trainpack's version, the fonts and
    /// templates, the document and the media it shows.
    pub fn hash(&self, job: &Job) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(self.env.fingerprint.as_bytes());
        hasher.update(job.template.as_bytes());
        hasher.update(&serde_json::to_vec(&job.data).unwrap_or_default());
        for url in &job.videos {
            hasher.update(url.as_bytes());
        }
        if let Some(drawn) = &job.drawn {
            hasher.update(drawn.hash.as_bytes());
        }
        hasher.update(&self.timestamp.epoch.unwrap_or(0).to_le_bytes());
        for image in images_of(job) {
            if let Ok(bytes) = self.env.files().read(&image) {
                hasher.update(image.as_bytes());
                hasher.update(&bytes);
            }
        }
        hasher.finalize().to_hex().to_string()
    }

    /// What all the PDFs of a module depend on: trainpack's version, the
    /// fonts and templates, the date, `shown` (the fingerprint of the
    /// module and of everything besides it that its pages show) and
    /// `media` (see [`media_digest`]).
    pub fn module_hash(&self, shown: &str, media: &str) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(self.env.fingerprint.as_bytes());
        hasher.update(&self.timestamp.epoch.unwrap_or(0).to_le_bytes());
        hasher.update(shown.as_bytes());
        hasher.update(media.as_bytes());
        hasher.finalize().to_hex().to_string()
    }

    /// Typesets one document: its bytes and its number of pages.
    pub fn compile(&self, job: &Job, sources: &Sources) -> Result<(Vec<u8>, usize), Diagnostic> {
        if !self.env.has_template(job.template) {
            return Err(Diagnostic::error(format!("the theme has no PDF template `{}`", job.template))
                .in_file(&job.source)
                .hint("restore the file in your theme, or remove your theme's `pdf/` folder to use the default templates"));
        }
        let mut files = BTreeMap::new();
        let data = serde_json::to_vec(&job.data).unwrap_or_default();
        files.insert("/data.json".to_string(), Bytes::new(data));
        for (i, url) in job.videos.iter().enumerate() {
            files.insert(format!("/qr/{i}.svg"), Bytes::new(qr_svg(url).into_bytes()));
        }
        if let Some(drawn) = &job.drawn {
            let bytes = drawn.content.bytes().map_err(|e| {
                Diagnostic::error(format!(
                    "cannot read the PDF that `{}` draws: {e:#}",
                    job.path
                ))
                .in_file(&job.source)
            })?;
            files.insert(
                documents::DRAWN_PDF.to_string(),
                Bytes::new(bytes.into_owned()),
            );
        }
        let world = DocumentWorld::new(&self.env, job.template, files);
        self.typeset
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let warned = typst::compile::<PagedDocument>(&world);
        let document = warned
            .output
            .map_err(|errors| self.diagnostic(&world, job, &errors, sources))?;
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(job.path.clone()),
            timestamp: self.env.today().map(typst_pdf::Timestamp::new_utc),
            ..Default::default()
        };
        let pages = document.pages().len();
        typst_pdf::pdf(&document, &options)
            .map(|bytes| (catalog::tidy(bytes), pages))
            .map_err(|errors| self.diagnostic(&world, job, &errors, sources))
    }

    /// The first error of a compilation, pointed at the theme's template
    /// when it is there, else at the document's Markdown file.
    fn diagnostic(
        &self,
        world: &DocumentWorld<'_>,
        job: &Job,
        errors: &[SourceDiagnostic],
        sources: &Sources,
    ) -> Diagnostic {
        let error = errors
            .iter()
            .find(|e| e.severity == Severity::Error)
            .or(errors.first());
        let Some(error) = error else {
            return Diagnostic::error("the PDF could not be made").in_file(&job.source);
        };
        let mut message = format!("cannot make `{}`: {}", job.path, error.message);
        let hint = error
            .hints
            .first()
            .map(|h| h.v.to_string())
            .unwrap_or_else(|| "check the PDF templates of your theme; the default theme's are in `trainpack theme export`".into());
        let place = error.span.id().and_then(|id| {
            let path = DocumentWorld::path_of(id);
            let shown = self.env.shown.get(&path)?;
            let text = typst::World::source(world, id).ok()?;
            let range = world.range(error.span)?;
            Some((SourceFile::new(shown.clone(), text.text()), range))
        });
        match place {
            Some((file, range)) => Diagnostic::error(message).at(&file, range).hint(hint),
            None => {
                message.push_str(" (in the text of the document)");
                let d = Diagnostic::error(message).hint(hint);
                match sources.file(&job.source) {
                    Some(file) => d.at_line(&file, 1),
                    None => d.in_file(&job.source),
                }
            }
        }
    }
}

fn pack_key_hash(cover_hash: &str, parts: &[KeyPart]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(cover_hash.as_bytes());
    for part in parts {
        hasher.update(part.entry.hash.as_bytes());
    }
    hasher.finalize().to_hex().to_string()
}

/// One module's answer key, as a part of the pack's.
#[derive(Debug, Clone)]
pub struct KeyPart {
    /// "Module 4: …".
    pub label: String,
    /// Its path in the site.
    pub path: String,
    /// Its manifest entry.
    pub entry: Entry,
    /// Its bytes, or the previous site's file holding them.
    pub content: Content,
}

impl KeyPart {
    /// The PDF's bytes.
    pub fn bytes(&self) -> anyhow::Result<std::borrow::Cow<'_, [u8]>> {
        self.content.bytes()
    }
}

/// The piece of the answer key that `part` is: kept from an earlier
/// build, or read from its PDF.
fn piece_of(part: &KeyPart, previous: &PreviousPdfs) -> Result<merge::Piece, Diagnostic> {
    if let Some(kept) = previous.piece(&part.entry.hash) {
        return Ok(kept);
    }
    part.bytes()
        .and_then(|pdf| merge::Piece::of(&pdf))
        .map_err(|e| Diagnostic::error(format!("cannot read `{}`: {e:#}", part.path)))
}

/// Each piece of the course's answer key (the cover, then each module's
/// key): its fingerprint, the merge's plan, and the pieces read to know
/// their heads (those the last merge did not record).
type KeyPlan<'a> = (Vec<String>, merge::Plan<'a>, Vec<Option<merge::Piece>>);

fn key_plan<'a>(
    last: &'a LastMerge,
    (cover_hash, cover): (&str, &merge::Piece),
    parts: &[KeyPart],
    previous: &PreviousPdfs,
) -> Result<KeyPlan<'a>, Diagnostic> {
    let pieces = parts
        .par_iter()
        .map(|part| match last.head(&part.entry.hash) {
            Some(_) => Ok(None),
            None => piece_of(part, previous).map(Some),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut heads = vec![std::borrow::Cow::Owned(cover.head())];
    for (part, piece) in parts.iter().zip(&pieces) {
        heads.push(match (piece, last.head(&part.entry.hash)) {
            (Some(piece), _) => std::borrow::Cow::Owned(piece.head()),
            (None, Some(head)) => std::borrow::Cow::Borrowed(head),
            (None, None) => unreachable!("a key without a head is read"),
        });
    }
    let hashes = std::iter::once(cover_hash.to_string())
        .chain(parts.iter().map(|p| p.entry.hash.clone()))
        .collect();
    let plan = merge::Plan {
        stamps: Vec::new(),
        size: pieces
            .iter()
            .flatten()
            .map(merge::Piece::written_size)
            .sum(),
        tagged: heads.iter().any(|h| h.is_tagged()),
        pieces: heads,
    };
    Ok((hashes, plan, pieces))
}

/// `pieces` with those read that are neither kept in the last file
/// (`kept`) nor read already.
fn read_missing(
    pieces: Vec<Option<merge::Piece>>,
    kept: &[Option<merge::Segment>],
    parts: &[KeyPart],
    previous: &PreviousPdfs,
) -> Result<Vec<Option<merge::Piece>>, Diagnostic> {
    (pieces.into_par_iter().zip(kept).zip(parts))
        .map(|((piece, kept), part)| match (piece, kept) {
            (Some(piece), _) => Ok(Some(piece)),
            (None, Some(_)) => Ok(None),
            (None, None) => piece_of(part, previous).map(Some),
        })
        .collect()
}

/// Pack-relative paths of the images a job shows.
fn images_of(job: &Job) -> Vec<String> {
    let mut out = Vec::new();
    let mut scan = |markup: &str| {
        for piece in markup.split("#tp-image(\"").skip(1) {
            if let Some(end) = piece.find('"') {
                out.push(piece[..end].trim_start_matches('/').to_string());
            }
        }
    };
    scan(&job.data.body);
    job.data.slides.iter().for_each(|s| scan(&s.notes));
    for m in &job.data.modules {
        m.activities.iter().for_each(|a| scan(&a.answers));
        m.handouts
            .iter()
            .flat_map(|h| &h.items)
            .for_each(|i| scan(&i.answer));
        if let Some(q) = &m.quiz {
            scan(q);
        }
    }
    let pictures = job.data.slides.iter().filter_map(|s| s.image.as_ref());
    out.extend(pictures.map(|i| i.path.trim_start_matches('/').to_string()));
    if let Some(guide) = &job.data.guide {
        out.extend(guide::images(guide));
    }
    out
}

/// A QR code of `url`, as SVG.
fn qr_svg(url: &str) -> String {
    match QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .quiet_zone(true)
            .min_dimensions(200, 200)
            .build(),
        Err(_) => "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>".into(),
    }
}

/// The theme's PDF templates as source files, so diagnostics can show
/// their lines.
pub fn template_sources(theme: &crate::load::theme::Theme) -> Vec<SourceFile> {
    theme
        .paths_under("pdf/")
        .into_iter()
        .filter_map(|path| {
            Some(SourceFile::new(
                theme.shown_path(&path),
                &theme.text(&path)?,
            ))
        })
        .collect()
}

/// The fingerprint of every image a PDF of `pack` may show: each media
/// file's path, size and modification time, read without opening the
/// files. When it changes, each PDF's own fingerprint (which holds the
/// bytes of the images it shows) decides what is typeset again.
pub fn media_digest(pack: &crate::model::Pack, files: &dyn PackFiles) -> String {
    let mut hasher = blake3::Hasher::new();
    for asset in &pack.assets {
        hasher.update(asset.path.as_bytes());
        hasher.update(&[0]);
        if let Some((len, modified)) = files.stamp(asset.file()) {
            hasher.update(&len.to_le_bytes());
            hasher.update(&modified.as_nanos().to_le_bytes());
        }
    }
    hasher.finalize().to_hex().to_string()
}

/// Where a pack's PDFs may read images from: its non-Markdown files.
pub fn media_set(pack: &crate::model::Pack) -> std::collections::BTreeSet<String> {
    pack.assets.iter().map(|a| a.path.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::cache::{Cache, CacheEntry};

    fn previous(site_hash: &str, with_file: bool) -> (tempfile::TempDir, PreviousPdfs) {
        let dir = tempfile::tempdir().unwrap();
        let (site, cache) = (dir.path().join("site"), dir.path().join(".site.cache"));
        std::fs::create_dir_all(site.join("m")).unwrap();
        std::fs::create_dir_all(&cache).unwrap();
        if with_file {
            std::fs::write(site.join("m/key.pdf"), "%PDF").unwrap();
        }
        let entry = |hash: &str| serde_json::json!({ "hash": hash, "pages": 1 });
        let manifest = serde_json::json!({ "m/key.pdf": entry(site_hash) });
        std::fs::write(site.join(MANIFEST), manifest.to_string()).unwrap();
        let modules =
            serde_json::json!({ "m": { "hash": "m1", "pdfs": { "m/key.pdf": entry("h1") } } });
        let cache = crate::output::cache::SiteCache::open(&site, &cache);
        cache.put(CacheEntry::PdfRecord, modules.to_string().as_bytes());
        let previous = PreviousPdfs::read(Arc::new(cache));
        (dir, previous)
    }

    #[test]
    fn a_module_keeps_its_pdfs_only_when_the_site_still_has_them() {
        let (_dir, kept) = previous("h1", true);
        let made = kept.reuse_module("m", "m1").unwrap();
        assert_eq!(made.len(), 1);
        assert!(!made[0].typeset);
        assert!(kept.reuse_module("m", "m2").is_none());
        assert!(kept.reuse_module("other", "m1").is_none());
        // A build that failed after recording: the site has other PDFs.
        let (_dir, replaced) = previous("h0", true);
        assert!(replaced.reuse_module("m", "m1").is_none());
        let (_dir, lost) = previous("h1", false);
        assert!(lost.reuse_module("m", "m1").is_none());
    }

    #[test]
    fn epoch_to_calendar() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_675), (2023, 11, 14));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
