//! Word files: a handout, a quiz or an answer key as a `.docx`, every
//! paragraph in a named style (Title, Heading 1-3, List Bullet, List
//! Number, Answer, Answer Line) so the organisation's own styles restyle
//! it, and no direct formatting beyond emphasis.

use std::collections::BTreeMap;

use super::drawing::{Rels, is_external};
use super::package::{Part, esc, package};
use super::picture::Picture;
use super::text::{Align, Para, Run, Style};
use crate::model::config::Paper;

/// A Word document.
#[derive(Debug, Clone)]
pub struct WordDoc {
    /// The title, set in the Title style.
    pub title: String,
    /// The line under it ("Module 4: …"), in the Subtitle style.
    pub subtitle: String,
    /// BCP 47 language.
    pub lang: String,
    /// Right to left.
    pub rtl: bool,
    /// Paper size.
    pub paper: Paper,
    /// The content.
    pub paras: Vec<Para>,
    /// The pictures the content shows, by the pack-relative path its runs
    /// name; one not here is shown as its alternative text.
    pub pictures: BTreeMap<String, Picture>,
}

/// Styles a template must define: (style id, name) as Word names them.
pub const STYLES: &[(&str, &str)] = &[
    ("Title", "Title"),
    ("Subtitle", "Subtitle"),
    ("Heading1", "heading 1"),
    ("Heading2", "heading 2"),
    ("Heading3", "heading 3"),
    ("ListBullet", "List Bullet"),
    ("ListBullet2", "List Bullet 2"),
    ("ListNumber", "List Number"),
    ("ListNumber2", "List Number 2"),
    ("Quote", "Quote"),
    ("Answer", "Answer"),
    ("AnswerLine", "Answer Line"),
    ("Label", "Label"),
    ("SourceCode", "Source Code"),
    ("TrainpackTable", "Trainpack Table"),
];

/// A4's or Letter's page size, and the width between the margins, in
/// twentieths of a point.
fn page(paper: Paper) -> (i64, i64, i64) {
    let (w, h) = match paper {
        Paper::A4 => (11906, 16838),
        Paper::Letter => (12240, 15840),
    };
    (w, h, w - 2 * MARGIN)
}

const MARGIN: i64 = 1418;

/// What the document's parts collect while its body is written.
struct Writer<'d> {
    doc: &'d WordDoc,
    rels: Rels,
    lists: Vec<u32>,
    media: Vec<Part>,
    /// Each picture embedded so far: its path and its `a:blip`.
    blips: Vec<(String, String)>,
    /// Pictures shown so far, for their ids.
    drawings: usize,
}

/// The Word file of `doc`; `styles` are the template's `styles.xml`
/// (else the default ones).
pub fn docx(doc: &WordDoc, styles: Option<&str>) -> std::io::Result<Vec<u8>> {
    let mut rels = Rels::default();
    rels.add(STYLES_REL, "styles.xml");
    rels.add(NUMBERING_REL, "numbering.xml");
    rels.add(SETTINGS_REL, "settings.xml");
    rels.add(FOOTER_REL, "footer1.xml");
    let mut out = Writer {
        doc,
        rels,
        lists: Vec::new(),
        media: Vec::new(),
        blips: Vec::new(),
        drawings: 0,
    };
    let mut body = out.paragraph(&Para::plain(Style::Title, doc.title.clone()));
    if !doc.subtitle.is_empty() {
        body.push_str(&out.paragraph(&Para::plain(Style::Heading(0), doc.subtitle.clone())));
    }
    let mut rest = &doc.paras[..];
    while let Some(para) = rest.first() {
        match para.style {
            Style::Cell(cell) => {
                let len = rest
                    .iter()
                    .take_while(|p| matches!(p.style, Style::Cell(c) if c.table == cell.table))
                    .count();
                body.push_str(&out.table(&rest[..len]));
                rest = &rest[len..];
            }
            _ => {
                body.push_str(&out.paragraph(para));
                rest = &rest[1..];
            }
        }
    }
    let Writer {
        rels, lists, media, ..
    } = out;
    let (w, h, _) = page(doc.paper);
    let bidi = if doc.rtl { "<w:bidi/>" } else { "" };
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {WNS} {DRAWING_NS}><w:body>{body}<w:sectPr><w:footerReference w:type="default" r:id="rId4"/><w:pgSz w:w="{w}" w:h="{h}"/><w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" w:header="709" w:footer="709" w:gutter="0"/>{bidi}</w:sectPr></w:body></w:document>"#
    );
    let mut parts = vec![
        Part::xml("[Content_Types].xml", CONTENT_TYPES.to_string()),
        Part::xml("_rels/.rels", ROOT_RELS.to_string()),
        Part::xml("docProps/core.xml", super::core_xml(&doc.title, &doc.lang)),
        Part::xml("docProps/app.xml", super::app_xml("trainpack")),
        Part::xml("word/document.xml", document),
        Part::xml("word/_rels/document.xml.rels", rels.xml()),
        Part::xml(
            "word/styles.xml",
            match styles {
                Some(template) => merge_styles(template, &default_styles(&doc.lang, doc.rtl)),
                None => default_styles(&doc.lang, doc.rtl),
            },
        ),
        Part::xml("word/numbering.xml", numbering(&lists)),
        Part::xml("word/settings.xml", SETTINGS.to_string()),
        Part::xml("word/footer1.xml", footer(doc.rtl)),
    ];
    parts.extend(media);
    package(&parts)
}

const WNS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
const DRAWING_NS: &str = r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;
const STYLES_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const NUMBERING_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering";
const SETTINGS_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings";
const FOOTER_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="gif" ContentType="image/gif"/><Default Extension="svg" ContentType="image/svg+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

fn footer(rtl: bool) -> String {
    let bidi = if rtl { "<w:bidi/>" } else { "" };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {WNS}><w:p><w:pPr><w:pStyle w:val="Footer"/>{bidi}<w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#
    )
}

/// The style id and numbering of a paragraph: (style, numId, level).
fn style_of(style: Style, lists: &mut Vec<u32>) -> (&'static str, Option<(u32, u8)>) {
    match style {
        Style::Normal => ("Normal", None),
        Style::Title => ("Title", None),
        Style::Heading(0) => ("Subtitle", None),
        Style::Heading(1) => ("Heading1", None),
        Style::Heading(2) => ("Heading2", None),
        Style::Heading(_) => ("Heading3", None),
        Style::Bullet(0) => ("ListBullet", None),
        Style::Bullet(level) => ("ListBullet2", Some((1, level))),
        Style::Number(level, list) => {
            let index = match lists.iter().position(|l| *l == list) {
                Some(i) => i,
                None => {
                    lists.push(list);
                    lists.len() - 1
                }
            };
            let name = if level == 0 {
                "ListNumber"
            } else {
                "ListNumber2"
            };
            (name, Some((2 + index as u32, level)))
        }
        Style::Quote => ("Quote", None),
        Style::Code => ("SourceCode", None),
        Style::Answer => ("Answer", None),
        Style::AnswerLine => ("AnswerLine", None),
        Style::Label => ("Label", None),
        Style::Cell(_) => ("Normal", None),
    }
}

impl Writer<'_> {
    fn paragraph(&mut self, para: &Para) -> String {
        let (style, numbering) = style_of(para.style, &mut self.lists);
        let mut ppr = String::new();
        if style != "Normal" {
            ppr.push_str(&format!(r#"<w:pStyle w:val="{style}"/>"#));
        }
        if let Some((id, level)) = numbering {
            ppr.push_str(&format!(
                r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{id}"/></w:numPr>"#
            ));
        }
        if self.doc.rtl {
            ppr.push_str("<w:bidi/>");
        }
        if let Style::Cell(cell) = para.style {
            // The author's column alignment (`start` is the default).
            match (cell.align, self.doc.rtl) {
                (Align::Center, _) => ppr.push_str(r#"<w:jc w:val="center"/>"#),
                (Align::End, false) => ppr.push_str(r#"<w:jc w:val="right"/>"#),
                (Align::End, true) => ppr.push_str(r#"<w:jc w:val="left"/>"#),
                _ => {}
            }
        }
        let mut out = String::from("<w:p>");
        if !ppr.is_empty() {
            out.push_str(&format!("<w:pPr>{ppr}</w:pPr>"));
        }
        for (i, run) in para.runs.iter().enumerate() {
            // A picture whose alternative text has emphasis is shown once.
            let shown = i > 0 && run.image.is_some() && para.runs[i - 1].image == run.image;
            if !shown {
                out.push_str(&self.run(run));
            }
        }
        out.push_str("</w:p>");
        out
    }

    /// A table of `cells` (all of one table): the TrainpackTable style,
    /// equal columns over the text width, the header row repeated on each
    /// page.
    fn table(&mut self, cells: &[Para]) -> String {
        let mut rows: Vec<(bool, Vec<&Para>)> = Vec::new();
        for para in cells {
            let Style::Cell(cell) = para.style else {
                continue;
            };
            match rows.last_mut() {
                Some((_, row)) if !cell.row_start => row.push(para),
                _ => rows.push((cell.header, vec![para])),
            }
        }
        let columns = rows.iter().map(|(_, r)| r.len()).max().unwrap_or(1).max(1);
        let (_, _, text) = page(self.doc.paper);
        let width = text / columns as i64;
        // In the schema's order: tblStyle, bidiVisual, tblW, tblLook.
        let bidi = if self.doc.rtl { "<w:bidiVisual/>" } else { "" };
        let mut out = format!(
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="TrainpackTable"/>{bidi}<w:tblW w:w="{text}" w:type="dxa"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
        );
        for _ in 0..columns {
            out.push_str(&format!(r#"<w:gridCol w:w="{width}"/>"#));
        }
        out.push_str("</w:tblGrid>");
        for (header, row) in rows {
            out.push_str("<w:tr>");
            if header {
                out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
            }
            for i in 0..columns {
                out.push_str(&format!(
                    r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>"#
                ));
                match row.get(i) {
                    Some(para) => out.push_str(&self.paragraph(para)),
                    None => out.push_str("<w:p/>"),
                }
                out.push_str("</w:tc>");
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
        out
    }

    fn run(&mut self, run: &Run) -> String {
        if let Some(picture) = run.image.as_ref().and_then(|p| self.doc.pictures.get(p)) {
            return self.picture(run.image.as_deref().unwrap_or(""), picture, &run.text);
        }
        if run.text.is_empty() {
            return String::new();
        }
        let mut rpr = String::new();
        let link = run.link.as_deref().filter(|url| is_external(url));
        if link.is_some() {
            rpr.push_str(r#"<w:rStyle w:val="Hyperlink"/>"#);
        } else if run.code {
            rpr.push_str(r#"<w:rStyle w:val="VerbatimChar"/>"#);
        }
        if run.bold {
            rpr.push_str("<w:b/><w:bCs/>");
        }
        if run.italic {
            rpr.push_str("<w:i/><w:iCs/>");
        }
        if self.doc.rtl {
            rpr.push_str("<w:rtl/>");
        }
        let rpr = if rpr.is_empty() {
            String::new()
        } else {
            format!("<w:rPr>{rpr}</w:rPr>")
        };
        let r = format!(
            r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#,
            esc(&run.text)
        );
        match link {
            Some(url) => {
                let id = self.rels.link(url);
                format!(r#"<w:hyperlink r:id="{id}" w:history="1">{r}</w:hyperlink>"#)
            }
            None => r,
        }
    }

    /// An inline picture: its pixels at 96 dpi, shrunk to the text width
    /// and to half the page's height; its alternative text as `descr`.
    fn picture(&mut self, path: &str, picture: &Picture, alt: &str) -> String {
        let n = self.blips.len() + 1;
        self.drawings += 1;
        let id = self.drawings;
        let blip = match self.blips.iter().find(|(p, _)| p == path) {
            Some((_, blip)) => blip.clone(),
            None => {
                let blip = picture.blip(n, ("word", ""), &mut self.rels, &mut self.media);
                self.blips.push((path.to_string(), blip.clone()));
                blip
            }
        };
        // EMU: 635 per twip, 9525 per pixel at 96 dpi.
        let (_, h, text) = page(self.doc.paper);
        let (most_w, most_h) = (text * 635, (h - 2 * MARGIN) * 635 / 2);
        let (w, hh) = (
            i64::from(picture.width) * 9525,
            i64::from(picture.height) * 9525,
        );
        let (cx, cy) = if w <= most_w && hh <= most_h {
            (w.max(1), hh.max(1))
        } else {
            picture.fit(most_w, most_h)
        };
        let alt = esc(alt);
        format!(
            r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{id}" name="Picture {n}" descr="{alt}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{id}" name="Picture {n}" descr="{alt}"/><pic:cNvPicPr><a:picLocks noChangeAspect="1"/></pic:cNvPicPr></pic:nvPicPr><pic:blipFill>{blip}<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
        )
    }
}

/// The numbering: bullets (1) and one numbered list per list (2...), each
/// starting from 1.
fn numbering(lists: &[u32]) -> String {
    let levels = |bullet: bool| -> String {
        (0..9)
            .map(|l| {
                let indent = 720 * (l + 1);
                let (fmt, text) = if bullet {
                    ("bullet", ["•", "◦", "▪"][l % 3].to_string())
                } else {
                    ("decimal", format!("%{}.", l + 1))
                };
                format!(
                    r#"<w:lvl w:ilvl="{l}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr></w:lvl>"#
                )
            })
            .collect()
    };
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>{}</w:abstractNum><w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        levels(true),
        levels(false)
    );
    for i in 0..lists.len().max(1) {
        out.push_str(&format!(
            r#"<w:num w:numId="{}"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#,
            2 + i
        ));
    }
    out.push_str("</w:numbering>");
    out
}

/// The default styles: Noto Sans, headings in the theme's blue.
pub fn default_styles(lang: &str, rtl: bool) -> String {
    let lang = esc(lang);
    let bidi = if rtl { "<w:bidi/>" } else { "" };
    let para = |id: &str, name: &str, ppr: &str, rpr: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
        )
    };
    let heading = |n: u32, size: u32| {
        para(
            &format!("Heading{n}"),
            &format!("heading {n}"),
            &format!(
                r#"<w:keepNext/><w:spacing w:before="{}" w:after="80"/><w:outlineLvl w:val="{}"/>"#,
                360 - n * 60,
                n - 1
            ),
            &format!(
                r#"<w:b/><w:bCs/><w:color w:val="1D3557"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#
            ),
        )
    };
    let list = |id: &str, name: &str, num: u32, level: u32| {
        para(
            id,
            name,
            &format!(
                r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr><w:spacing w:after="60"/><w:contextualSpacing/>"#
            ),
            "",
        )
    };
    [
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Noto Sans" w:hAnsi="Noto Sans" w:eastAsia="Noto Sans" w:cs="Noto Sans Arabic"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="{lang}"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/>{bidi}</w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>"#
        ),
        para("Title", "Title", r#"<w:spacing w:after="120"/>"#, r#"<w:b/><w:bCs/><w:color w:val="1D3557"/><w:sz w:val="48"/><w:szCs w:val="48"/>"#),
        para("Subtitle", "Subtitle", r#"<w:spacing w:after="240"/>"#, r#"<w:color w:val="52606D"/><w:sz w:val="26"/><w:szCs w:val="26"/>"#),
        heading(1, 32),
        heading(2, 28),
        heading(3, 24),
        list("ListBullet", "List Bullet", 1, 0),
        list("ListBullet2", "List Bullet 2", 1, 1),
        list("ListNumber", "List Number", 2, 0),
        list("ListNumber2", "List Number 2", 2, 1),
        para("Quote", "Quote", r#"<w:ind w:left="567" w:right="567"/>"#, "<w:i/><w:iCs/>"),
        para("Answer", "Answer", r#"<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="2A9D8F"/></w:pBdr><w:ind w:left="284"/>"#, r#"<w:color w:val="1F5F58"/>"#),
        para("AnswerLine", "Answer Line", r#"<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="9AA5B1"/><w:between w:val="single" w:sz="4" w:space="1" w:color="9AA5B1"/></w:pBdr><w:spacing w:before="240" w:after="0"/>"#, ""),
        para("Label", "Label", r#"<w:keepNext/><w:spacing w:before="160" w:after="40"/>"#, "<w:b/><w:bCs/>"),
        para("SourceCode", "Source Code", r#"<w:spacing w:after="0"/>"#, r#"<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/><w:sz w:val="20"/>"#),
        para("Footer", "footer", r#"<w:jc w:val="center"/>"#, r#"<w:sz w:val="18"/>"#),
        TABLE_STYLES.to_string(),
        r#"<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:color w:val="1D6FB8"/><w:u w:val="single"/></w:rPr></w:style><w:style w:type="character" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/></w:rPr></w:style></w:styles>"#.to_string(),
    ]
    .concat()
}

/// Word's default table style, and trainpack's: thin grey rules, the
/// header row bold on a light fill.
const TABLE_STYLES: &str = r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="table" w:styleId="TrainpackTable"><w:name w:val="Trainpack Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/><w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:left w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:right w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/></w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E8EEF4"/></w:tcPr></w:tblStylePr></w:style>"#;

/// A template's styles, with the default definition of each style
/// trainpack uses that the template lacks (as Pandoc's reference documents
/// get them), so every paragraph keeps a style of its own name.
pub fn merge_styles(template: &str, ours: &str) -> String {
    let Some(end) = template.rfind("</w:styles>") else {
        return ours.to_string();
    };
    let mut missing = String::new();
    let mut rest = ours;
    while let Some(start) = rest.find("<w:style ") {
        let Some(len) = rest[start..].find("</w:style>") else {
            break;
        };
        let style = &rest[start..start + len + "</w:style>".len()];
        rest = &rest[start + style.len()..];
        let id = style
            .split("w:styleId=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("");
        if !template.contains(&format!("w:styleId=\"{id}\"")) {
            missing.push_str(style);
        }
    }
    format!("{}{missing}{}", &template[..end], &template[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    // why: a template's own styles win; those it lacks come from ours.
    #[test]
    fn template_styles_are_kept_and_missing_ones_added() {
        let template = r#"<w:styles><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:rPr><w:color w:val="FF0000"/></w:rPr></w:style></w:styles>"#;
        let merged = merge_styles(template, &default_styles("en", false));
        assert_eq!(merged.matches(r#"w:styleId="Title""#).count(), 1);
        assert!(merged.contains("FF0000"));
        assert!(merged.contains(r#"w:styleId="AnswerLine""#));
        // Tables fall back to trainpack's table style the same way.
        assert!(merged.contains(r#"w:styleId="TrainpackTable""#));
        assert!(merged.ends_with("</w:styles>"));
    }
}
