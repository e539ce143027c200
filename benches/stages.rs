//! Micro-benchmarks of the hot stages of a build, on the sample module:
//! reading a module (front matter and blocks), rendering its Markdown,
//! rendering its pages through the templates, building its search
//! document, and typesetting one handout. `cargo bench`; the figures are in
//! BENCHMARKS.md.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use trainpack::diag::SourceFile;
use trainpack::load::LoadOptions;
use trainpack::load::blocks::{Mode, scan};
use trainpack::load::front_matter;
use trainpack::model::Pack;
use trainpack::render::html::{HtmlOptions, SiteRenderer};
use trainpack::render::markdown::{Links, Page, render_markdown};
use trainpack::render::pdf::documents::Documents;
use trainpack::render::pdf::{PdfRenderer, Timestamp, media_set, merge};
use trainpack::render::search::SearchDoc;

const MODULE: &str = "modules/en/04-coordination/module.md";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> (Pack, trainpack::load::theme::Theme) {
    let checked = trainpack::load_and_check(root(), &LoadOptions::default());
    (
        checked.pack.expect("the sample loads"),
        checked.theme.expect("the default theme"),
    )
}

struct Keep;

impl Links for Keep {
    fn resolve(&self, _: &str) -> Option<String> {
        None
    }
}

fn parsing(c: &mut Criterion) {
    let text = std::fs::read_to_string(root().join(MODULE)).unwrap();
    c.bench_function("read a module: front matter and blocks", |b| {
        b.iter(|| {
            let file = SourceFile::new("module.md", &text);
            let mut diags = Vec::new();
            let split = front_matter::split(&file, &mut diags).unwrap();
            let meta = front_matter::read_module(&file, &split, &mut diags);
            let blocks = scan(&file, split.body, Mode::Module);
            (meta, blocks)
        })
    });
}

fn markdown(c: &mut Criterion) {
    let (pack, _) = sample();
    let module = &pack.modules[0];
    let markdown: String = module.bodies().map(|b| b.markdown.as_str()).collect();
    c.bench_function("render a module's Markdown", |b| {
        b.iter(|| {
            let page = Page::new(&Keep, true);
            let mut out = String::new();
            render_markdown(&markdown, &page, &mut out);
            out
        })
    });
}

fn templates(c: &mut Criterion) {
    let (pack, theme) = sample();
    let mut sources = Default::default();
    let renderer = SiteRenderer::new(&pack, &theme, HtmlOptions::default(), &mut sources).unwrap();
    c.bench_function("render a module's 8 pages through the templates", |b| {
        b.iter(|| renderer.render_module(&pack.modules[0]).unwrap())
    });
}

fn search(c: &mut Criterion) {
    let (pack, _) = sample();
    let module = &pack.modules[0];
    let page = Page::new(&Keep, true).collecting_text();
    let mut out = String::new();
    for body in module.bodies() {
        render_markdown(&body.markdown, &page, &mut out);
    }
    let text = page.take_text();
    c.bench_function("build a module's search document", |b| {
        b.iter(|| {
            SearchDoc::new(
                &module.title,
                "modules/x/index.html",
                "Module 4",
                None,
                &text,
            )
        })
    });
}

fn pdf(c: &mut Criterion) {
    let (pack, theme) = sample();
    let mut sources = Default::default();
    let renderer = SiteRenderer::new(&pack, &theme, HtmlOptions::default(), &mut sources).unwrap();
    let media = media_set(&pack);
    let is_media = |p: &str| media.contains(p);
    let documents = Documents {
        pack: &pack,
        words: renderer.all_words(),
        media: &is_media,
    };
    let jobs = documents.module_jobs(&pack.modules[0]);
    let handout = jobs
        .iter()
        .find(|j| j.path.ends_with("case-study-1.pdf"))
        .unwrap();
    let typesetter = PdfRenderer::new(
        &theme,
        std::sync::Arc::new(trainpack::load::PackReader::new(&pack.root)),
        Timestamp::default(),
    );
    let mut group = c.benchmark_group("typeset");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    // Typst memoises layouts: each run starts with an empty memo cache, as
    // a new handout would.
    group.bench_function("one handout PDF (Typst)", |b| {
        b.iter(|| {
            typst::comemo::evict(0);
            typesetter.compile(handout, &sources).unwrap()
        })
    });
    let key = jobs
        .iter()
        .find(|j| j.path.ends_with("answer-key.pdf"))
        .unwrap();
    let (key_pdf, _) = typesetter.compile(key, &sources).unwrap();
    group.bench_function("read a module's answer key into a piece", |b| {
        b.iter(|| merge::Piece::of(&key_pdf).unwrap())
    });
    // The course key of a 1000-module pack, from cached pieces.
    let piece = merge::Piece::of(&key_pdf).unwrap();
    let parts: Vec<merge::Part<'_>> = (1..=1000)
        .map(|n| merge::Part {
            bookmarks: vec![merge::Bookmark::new(1, &format!("Module {n}"), 0)],
            piece: &piece,
        })
        .collect();
    let metadata = merge::Metadata {
        title: "Answer key",
        authors: &[],
        language: "en",
        date: None,
    };
    group.bench_function("assemble a course key from 1000 pieces", |b| {
        b.iter(|| merge::merge(&piece, &parts, &metadata).unwrap())
    });
    group.finish();
}

criterion_group! {
    name = stages;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = parsing, markdown, templates, search, pdf
}
criterion_main!(stages);
