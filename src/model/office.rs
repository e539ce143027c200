//! `[office]` in `book.toml`, and the organisation's templates as read
//! from their files: the parts the PowerPoint and Word files take from
//! them.

use std::collections::BTreeMap;

use serde::Serialize;

/// `[office]`: the organisation's reference files.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OfficeConfig {
    /// `pptx_template`: the decks' slide master, layouts and theme.
    pub pptx_template: Option<TemplatePath>,
    /// `docx_template`: the Word files' styles.
    pub docx_template: Option<TemplatePath>,
}

/// A template's path as written, and the line of `book.toml` it is on.
#[derive(Debug, Clone, Serialize)]
pub struct TemplatePath {
    /// From the pack's root (`templates/org.pptx`).
    pub path: String,
    /// Line in `book.toml`, from 1.
    pub line: usize,
}

/// What a deck takes from a PowerPoint template.
#[derive(Debug, Clone, Default)]
pub struct PptxTemplate {
    /// The parts kept: masters, layouts, themes and their pictures, by name
    /// in the package, in name order.
    pub parts: Vec<(String, Vec<u8>)>,
    /// The content type of each part kept (`/ppt/slideMasters/...`).
    pub overrides: BTreeMap<String, String>,
    /// The content type of each file extension.
    pub defaults: BTreeMap<String, String>,
    /// The slide master holding the layout (`ppt/slideMasters/slideMaster1.xml`).
    pub master: String,
    /// Its id in the template's `presentation.xml`.
    pub master_id: String,
    /// The layout the slides use (`ppt/slideLayouts/slideLayout2.xml`).
    pub layout: String,
    /// The template's `<p:sldSz .../>`.
    pub slide_size: String,
}

/// What a Word file takes from a Word template.
#[derive(Debug, Clone, Default)]
pub struct DocxTemplate {
    /// Its `word/styles.xml`.
    pub styles: String,
}

/// The templates of a pack, read.
#[derive(Debug, Clone, Default)]
pub struct OfficeTemplates {
    /// From `pptx_template`.
    pub pptx: Option<PptxTemplate>,
    /// From `docx_template`.
    pub docx: Option<DocxTemplate>,
}
