//! One module: its front matter, blocks and handouts read and assembled
//! into the model's [`Module`], with its sections' anchors and schedule.

#[allow(clippy::wildcard_imports)]
use super::*;

/// A module as loaded, shared with the cache: reusing it costs no copy.
/// A module as read, shared rather than copied when `serve` reuses it.
#[derive(Clone)]
pub(super) struct ModuleLoad {
    pub(super) module: Option<(Arc<Module>, Arc<ModuleLinks>)>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) sources: Sources,
}

/// Loads one module; `language` is the module's language when it does not
/// say (in a pack in several languages, its folder's).
pub(super) fn load_module(
    root: &Path,
    unit: &ModuleUnit,
    part: &Part,
    language: Option<&str>,
) -> ModuleLoad {
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let module =
        read_module(root, unit, &mut diags, &mut sources).map(|(mut module, mut links)| {
            if module.language.is_none() {
                module.language = language.map(str::to_string);
            }
            links.modules_dir.clone_from(&part.dir);
            (Arc::new(module), Arc::new(links))
        });
    ModuleLoad {
        module,
        diagnostics: diags,
        sources,
    }
}

pub(super) fn read_module(
    root: &Path,
    unit: &ModuleUnit,
    diags: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> Option<(Module, ModuleLinks)> {
    let file = read_source(root, &unit.file, diags)?;
    sources.add(&file);
    let slug = module_slug(root, unit, diags)?;
    let split = front_matter::split(&file, diags)?;
    let meta = front_matter::read_module(&file, &split, diags);
    let scan = blocks::scan(&file, split.body, Mode::Module);
    diags.extend(scan.diagnostics);
    let mut meta = meta?;
    let image_spans = std::mem::take(&mut meta.image_spans);
    let slide_links = std::mem::take(&mut meta.slide_links);
    let mut links: Vec<(String, LinkRef)> = slide_links
        .into_iter()
        .chain(scan.links)
        .map(|l| (file.path.clone(), l))
        .collect();
    let mut handouts = Vec::new();
    for path in &unit.handouts {
        if let Some(handout) = read_handout(root, path, diags, sources, &mut links) {
            handouts.push(handout);
        }
    }
    handouts.extend(scan.handouts);
    let handouts = order_handouts(&file, handouts, &meta, diags);
    let dir = unit.folder.as_deref().map_or_else(
        || rel_path(root, unit.file.parent().unwrap_or(root)),
        |f| rel_path(root, f),
    );
    let mut module = assemble(
        slug,
        file.path.clone(),
        dir,
        meta,
        scan.sections,
        handouts,
        &file,
        diags,
    );
    find_slide_images(root, &mut module, &image_spans, &file, diags);
    let slug = module.slug.clone();
    Some((
        module,
        ModuleLinks {
            slug,
            modules_dir: String::new(),
            links,
        },
    ))
}

/// Finds each slide's picture in the module's folder; a slide whose
/// picture is not there loses it, with an error at its `image`.
fn find_slide_images(
    root: &Path,
    module: &mut Module,
    spans: &[(u32, std::ops::Range<usize>)],
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) {
    for slide in &mut module.slides {
        let Some(image) = &mut slide.image else {
            continue;
        };
        let joined =
            crate::load::markdown::links::normalise(&Path::new(&module.dir).join(&image.src));
        let path = joined.to_string_lossy().replace('\\', "/");
        let inside = !image.src.starts_with('/')
            && !image.src.contains(':')
            && !path.starts_with("..")
            && root.join(&path).is_file();
        if inside {
            image.path = path;
            continue;
        }
        let span = spans
            .iter()
            .find(|(n, _)| *n == slide.number)
            .map_or(0..0, |(_, span)| span.clone());
        diags.push(
            Diagnostic::error(format!("there is no file `{path}` for the picture of slide {}", slide.number))
                .at(file, span)
                .hint("put the picture in the module's `media/` folder and write its path from the module's folder, as in `image = \"media/referral.png\"`"),
        );
        slide.image = None;
    }
}

/// The name a module's file or folder gives it, checked or not.
pub(super) fn unit_name(unit: &ModuleUnit) -> String {
    match &unit.folder {
        Some(folder) => folder.file_name(),
        None => unit.file.file_stem(),
    }
    .map(|s| s.to_string_lossy().into_owned())
    .unwrap_or_default()
}

pub(super) fn module_slug(
    root: &Path,
    unit: &ModuleUnit,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let source = unit.folder.as_deref().unwrap_or(&unit.file);
    let slug = unit_name(unit);
    let ok = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        diags.push(
            Diagnostic::error(format!("`{slug}` cannot be used in web addresses"))
                .in_file(rel_path(root, source))
                .hint(
                    "rename it with letters, digits, `-`, `_` and `.` only, as in `03-group-work`",
                ),
        );
        return None;
    }
    Some(slug)
}

pub(super) fn read_handout(
    root: &Path,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
    sources: &mut Sources,
    links: &mut Vec<(String, LinkRef)>,
) -> Option<Handout> {
    let file = read_source(root, path, diags)?;
    sources.add(&file);
    let id = path.file_stem()?.to_string_lossy().into_owned();
    if !is_valid_id(&id) {
        diags.push(
            Diagnostic::error(format!("`{id}` cannot be used as a handout id"))
                .in_file(&file.path)
                .hint("rename the file with letters, digits, `-` and `_` only, as in `case-study-1.md`"),
        );
        return None;
    }
    let split = front_matter::split(&file, diags)?;
    let meta = front_matter::read_handout(&file, &split, diags);
    let mut scan = blocks::scan(&file, split.body, Mode::Handout);
    diags.extend(scan.diagnostics);
    links.extend(scan.links.into_iter().map(|l| (file.path.clone(), l)));
    for inline in &scan.handouts {
        diags.push(
            Diagnostic::error("a handout file cannot hold a `handout` block")
                .at_line(&file, inline.line)
                .hint("write the second handout as a file of its own under `handouts/`"),
        );
    }
    let body = scan.sections.pop().map(|s| s.body).unwrap_or_default();
    let meta = meta?;
    Some(Handout {
        id,
        title: meta.title,
        path: file.path.clone(),
        line: 1,
        audience: meta.audience,
        body,
    })
}

/// Applies the `handouts` list of the front matter, reporting unknown and
/// repeated ids.
pub(super) fn order_handouts(
    file: &SourceFile,
    handouts: Vec<Handout>,
    meta: &ModuleMeta,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Handout> {
    for (i, h) in handouts.iter().enumerate() {
        if handouts[..i].iter().any(|other| other.id == h.id) {
            let d = Diagnostic::error(format!("two handouts have the id `{}`", h.id)).hint(
                "rename the file or the block's `id` so each handout of a module has its own id",
            );
            diags.push(if h.path == file.path {
                d.at_line(file, h.line)
            } else {
                d.in_file(&h.path)
            });
        }
    }
    let Some(wanted) = &meta.handouts else {
        return handouts;
    };
    let mut pool: Vec<Option<Handout>> = handouts.into_iter().map(Some).collect();
    let mut ordered = Vec::new();
    for (i, id) in wanted.iter().enumerate() {
        if wanted[..i].iter().any(|w| w.value == id.value) {
            diags.push(
                Diagnostic::error(format!("the handout `{}` is listed twice", id.value))
                    .at(file, id.span.clone())
                    .hint("list each handout once, in the order participants get them"),
            );
            continue;
        }
        let found = pool
            .iter_mut()
            .find(|h| h.as_ref().is_some_and(|h| h.id == id.value));
        match found.and_then(Option::take) {
            Some(h) => ordered.push(h),
            None => {
                let known: Vec<&str> = pool.iter().flatten().map(|h| h.id.as_str()).collect();
                let hint = match crate::diag::nearest(&id.value, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "list the file stems of the files in `handouts/`, or the `id` of inline handouts".into(),
                };
                diags.push(
                    Diagnostic::error(format!("no handout with the id `{}`", id.value))
                        .at(file, id.span.clone())
                        .hint(hint),
                );
            }
        }
    }
    ordered
}

#[allow(clippy::too_many_arguments)]
pub(super) fn assemble(
    slug: String,
    path: String,
    dir: String,
    meta: ModuleMeta,
    raw: Vec<RawSection>,
    handouts: Vec<Handout>,
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> Module {
    let mut raw = raw.into_iter();
    let overview = raw.next().map(|s| s.body).unwrap_or_default();
    let sections = make_sections(raw.collect(), &meta.slides, file, diags);
    let number = meta.number.or_else(|| leading_number(&slug));
    let schedule = schedule::module_schedule(&meta.slides, &overview, &sections);
    let module = Module {
        slug,
        path,
        dir,
        number,
        title: meta.title,
        duration: meta.duration.as_ref().map(|d| d.value),
        summary: meta.summary,
        outcomes: meta.outcomes,
        activities: meta.activities,
        key_messages: meta.key_messages,
        language: meta.language,
        draft: meta.draft,
        slides: meta.slides,
        overview,
        sections,
        handouts,
        schedule,
        start: meta.start.clone(),
        untranslated: false,
        translation_of: meta.translation_of.clone(),
    };
    if let Some(duration) = &meta.duration {
        schedule::check_total(&module, file, duration, diags);
    }
    module
}

pub(super) fn make_sections(
    raw: Vec<RawSection>,
    slides: &[crate::model::Slide],
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut used: Vec<String> = Vec::new();
    raw.into_iter()
        .filter_map(|s| {
            let mut heading = s.heading?;
            if let Some(id) = &heading.slide_id {
                heading.slides = slide_by_id(id, slides, file, &heading, diags);
            }
            let base = heading.id.clone().unwrap_or_else(|| match heading.slides {
                Some(r) if r.first == r.last => format!("slide-{}", r.first),
                Some(r) => format!("slides-{}-{}", r.first, r.last),
                None => anchor_of(&heading.title),
            });
            let anchor = unique_anchor(base, &mut used);
            Some(Section {
                title: heading.title,
                slides: heading.slides,
                slide_id: heading.slide_id,
                anchor,
                line: heading.line,
                body: s.body,
            })
        })
        .collect()
}

/// The slide a heading names by id (`{slide=key-messages}`), or an error
/// at the heading that suggests the nearest id.
fn slide_by_id(
    id: &str,
    slides: &[crate::model::Slide],
    file: &SourceFile,
    heading: &blocks::Heading,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::model::SlideRange> {
    if let Some(slide) = slides.iter().find(|s| s.id.as_deref() == Some(id)) {
        return Some(crate::model::SlideRange {
            first: slide.number,
            last: slide.number,
        });
    }
    let ids = slides.iter().filter_map(|s| s.id.as_deref());
    let hint = match crate::diag::nearest(id, ids) {
        Some(near) => format!("did you mean `{{slide={near}}}`?"),
        None => format!(
            "give the slide `id = \"{id}\"` in its `[[slides]]` entry, or name it by number, as in `{{slide=3}}`"
        ),
    };
    diags.push(
        Diagnostic::error(format!("no slide has the id `{id}`"))
            .at(file, heading.span.clone())
            .hint(hint),
    );
    None
}

/// A URL fragment from heading text: lowercase words joined by `-`.
pub fn anchor_of(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".into()
    } else {
        trimmed.into()
    }
}

pub(super) fn unique_anchor(base: String, used: &mut Vec<String>) -> String {
    let mut anchor = base.clone();
    let mut n = 1;
    while used.contains(&anchor) {
        n += 1;
        anchor = format!("{base}-{n}");
    }
    used.push(anchor.clone());
    anchor
}

/// "04-coordination" gives 4.
pub(super) fn leading_number(slug: &str) -> Option<u32> {
    let digits: String = slug.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}
