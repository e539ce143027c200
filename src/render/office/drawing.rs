//! DrawingML text: paragraphs and runs as PowerPoint's slides and notes
//! hold them, with the relationships their links need.

use super::package::esc;
use super::text::{Para, Run, Style};

/// The relationships of one part (a slide, a notes page), numbered from
/// `rId1` in the order they are added, so ids follow the content.
#[derive(Debug, Default)]
pub struct Rels {
    items: Vec<(String, &'static str, String, bool)>,
}

/// Relationship types.
pub mod rel {
    /// A slide's layout.
    pub const LAYOUT: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout";
    /// A hyperlink.
    pub const LINK: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
    /// A picture.
    pub const IMAGE: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
    /// A slide's notes page.
    pub const NOTES_SLIDE: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide";
    /// The notes master.
    pub const NOTES_MASTER: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesMaster";
    /// A slide.
    pub const SLIDE: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide";
    /// The slide master.
    pub const MASTER: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideMaster";
    /// A theme.
    pub const THEME: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";
}

impl Rels {
    /// Adds a relationship to a part of the package (`target` relative to
    /// the part); returns its id.
    pub fn add(&mut self, kind: &'static str, target: impl Into<String>) -> String {
        self.push(kind, target.into(), false)
    }

    /// Adds a hyperlink to `url`, once per address; returns its id.
    pub fn link(&mut self, url: &str) -> String {
        if let Some((id, ..)) = self
            .items
            .iter()
            .find(|(_, kind, target, external)| *external && *kind == rel::LINK && target == url)
        {
            return id.clone();
        }
        self.push(rel::LINK, url.to_string(), true)
    }

    fn push(&mut self, kind: &'static str, target: String, external: bool) -> String {
        let id = format!("rId{}", self.items.len() + 1);
        self.items.push((id.clone(), kind, target, external));
        id
    }

    /// The `.rels` part.
    pub fn xml(&self) -> String {
        let mut out = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for (id, kind, target, external) in &self.items {
            let mode = if *external {
                r#" TargetMode="External""#
            } else {
                ""
            };
            out.push_str(&format!(
                r#"<Relationship Id="{id}" Type="{kind}" Target="{}"{mode}/>"#,
                esc(target)
            ));
        }
        out.push_str("</Relationships>");
        out
    }
}

/// How the text of a part is written: its language and direction.
#[derive(Debug, Clone)]
pub struct TextOptions {
    /// BCP 47 language.
    pub lang: String,
    /// Right to left (Arabic).
    pub rtl: bool,
}

/// One paragraph, with `extra` paragraph properties (`marL="0"`...).
pub fn paragraph(para: &Para, text: &TextOptions, rels: &mut Rels) -> String {
    let (attrs, bullet) = match para.style {
        Style::Bullet(level) => (format!(r#" lvl="{level}""#), String::new()),
        Style::Number(level, _) => (
            format!(r#" lvl="{level}""#),
            r#"<a:buFont typeface="+mj-lt"/><a:buAutoNum type="arabicPeriod"/>"#.to_string(),
        ),
        _ => (r#" marL="0" indent="0""#.to_string(), "<a:buNone/>".into()),
    };
    let direction = if text.rtl { r#" rtl="1" algn="r""# } else { "" };
    let mut out = format!("<a:p><a:pPr{attrs}{direction}>{bullet}</a:pPr>");
    let bold = matches!(para.style, Style::Label | Style::Heading(_));
    let italic = matches!(para.style, Style::Answer | Style::Quote);
    for run in &para.runs {
        out.push_str(&run_xml(run, text, rels, bold, italic));
    }
    out.push_str(&format!(
        r#"<a:endParaRPr lang="{}" dirty="0"/></a:p>"#,
        esc(&text.lang)
    ));
    out
}

/// A paragraph of plain runs (a title).
pub fn runs_paragraph(runs: &[Run], text: &TextOptions, rels: &mut Rels, bullet: bool) -> String {
    paragraph(
        &Para {
            style: if bullet {
                Style::Bullet(0)
            } else {
                Style::Normal
            },
            runs: runs.to_vec(),
        },
        text,
        rels,
    )
}

fn run_xml(run: &Run, text: &TextOptions, rels: &mut Rels, bold: bool, italic: bool) -> String {
    if run.text.is_empty() {
        return String::new();
    }
    let mut attrs = format!(r#" lang="{}""#, esc(&text.lang));
    if run.bold || bold {
        attrs.push_str(r#" b="1""#);
    }
    if run.italic || italic {
        attrs.push_str(r#" i="1""#);
    }
    attrs.push_str(r#" dirty="0""#);
    let mut inner = String::new();
    if run.code {
        inner.push_str(r#"<a:latin typeface="Courier New"/><a:cs typeface="Courier New"/>"#);
    }
    if let Some(url) = &run.link
        && is_external(url)
    {
        let id = rels.link(url);
        inner.push_str(&format!(r#"<a:hlinkClick r:id="{id}"/>"#));
    }
    format!(
        "<a:r><a:rPr{attrs}>{inner}</a:rPr><a:t>{}</a:t></a:r>",
        esc(&run.text)
    )
}

/// True for an address a slide can open: the web or mail.
pub fn is_external(url: &str) -> bool {
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}
