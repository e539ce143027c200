//! `slides.pptx`: a module's deck as a PowerPoint file. Each slide gets
//! its title, points, body, picture and video link on the default layout,
//! a slide number, and a notes page holding the trainer's notes.

use super::drawing::{Rels, TextOptions, paragraph, rel, runs_paragraph};
use super::package::{Part, esc, package};
use super::picture::Picture;
use super::text::{Para, Run};
use crate::model::office::PptxTemplate;

mod masters;

use masters::{NS, TREE_START, placeholder, xfrm};

/// A deck, as the PowerPoint file shows it.
#[derive(Debug, Clone)]
pub struct Deck {
    /// The module's title, for the file's properties.
    pub title: String,
    /// Language and direction of the text.
    pub text: TextOptions,
    /// The slides, in order.
    pub slides: Vec<DeckSlide>,
    /// The name of the layout the slides use.
    pub layout: String,
}

/// One slide.
#[derive(Debug, Clone)]
pub struct DeckSlide {
    /// The title.
    pub title: String,
    /// The points, each one line.
    pub points: Vec<Vec<Run>>,
    /// The slide's body, under the points.
    pub body: Vec<Para>,
    /// The video link: its label and address.
    pub video: Option<(String, String)>,
    /// The picture.
    pub picture: Option<Picture>,
    /// The speaker notes.
    pub notes: Vec<Para>,
}

/// The layout trainpack's slides are put on.
pub const LAYOUT: &str = "Title and Content";

/// The PowerPoint file of `deck`, on the master and layout of `template`
/// when given, else on the default ones.
pub fn pptx(deck: &Deck, template: Option<&PptxTemplate>) -> std::io::Result<Vec<u8>> {
    let lang = esc(&deck.text.lang);
    let frame = match template {
        Some(t) => Frame::of_template(t),
        None => Frame::default_one(&deck.layout, &lang),
    };
    let mut parts = vec![Part::xml(
        "[Content_Types].xml",
        content_types(deck, &frame),
    )];
    parts.push(Part::xml("_rels/.rels", ROOT_RELS.to_string()));
    parts.push(Part::xml(
        "docProps/core.xml",
        super::core_xml(&deck.title, &deck.text.lang),
    ));
    parts.push(Part::xml("docProps/app.xml", super::app_xml("trainpack")));
    parts.push(Part::xml(
        "ppt/presentation.xml",
        presentation(deck.slides.len(), &frame),
    ));
    parts.push(Part::xml(
        "ppt/_rels/presentation.xml.rels",
        presentation_rels(deck.slides.len(), &frame),
    ));
    parts.push(Part::xml(
        "ppt/presProps.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:presentationPr {NS}/>"#
        ),
    ));
    parts.push(Part::xml("ppt/viewProps.xml", format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:viewPr {NS}><p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr><p:gridSpacing cx="76200" cy="76200"/></p:viewPr>"#)));
    parts.push(Part::xml("ppt/tableStyles.xml", r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:tblStyleLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>"#.to_string()));
    parts.push(Part::xml(
        NOTES_THEME,
        super::theme::theme_xml("trainpack notes", "Noto Sans"),
    ));
    parts.push(Part::xml(
        "ppt/notesMasters/notesMaster1.xml",
        masters::notes_master(&lang),
    ));
    let mut notes_master_rels = Rels::default();
    notes_master_rels.add(rel::THEME, "../theme/trainpack-notes.xml");
    parts.push(Part::xml(
        "ppt/notesMasters/_rels/notesMaster1.xml.rels",
        notes_master_rels.xml(),
    ));
    let layout = format!("../{}", frame.layout.trim_start_matches("ppt/"));
    let mut media = Vec::new();
    for (i, slide) in deck.slides.iter().enumerate() {
        let n = i + 1;
        let (xml, rels) = slide_xml(slide, n, &deck.text, &layout, &mut media);
        parts.push(Part::xml(format!("ppt/slides/slide{n}.xml"), xml));
        parts.push(Part::xml(
            format!("ppt/slides/_rels/slide{n}.xml.rels"),
            rels.xml(),
        ));
        let (xml, rels) = notes_xml(slide, n, &deck.text);
        parts.push(Part::xml(format!("ppt/notesSlides/notesSlide{n}.xml"), xml));
        parts.push(Part::xml(
            format!("ppt/notesSlides/_rels/notesSlide{n}.xml.rels"),
            rels.xml(),
        ));
    }
    parts.extend(frame.parts);
    parts.extend(media);
    package(&parts)
}

/// The notes master's theme: named apart from any template's themes.
const NOTES_THEME: &str = "ppt/theme/trainpack-notes.xml";

/// The slide master, its layouts and its theme: the default ones, or a
/// template's.
struct Frame {
    parts: Vec<Part>,
    /// Content types of the parts, by part name (`/ppt/...`).
    overrides: Vec<(String, String)>,
    /// Content types of extensions a template's pictures use.
    defaults: Vec<(String, String)>,
    master: String,
    master_id: String,
    layout: String,
    theme: Option<String>,
    slide_size: String,
}

impl Frame {
    fn default_one(layout_name: &str, lang: &str) -> Frame {
        let ct = "application/vnd.openxmlformats-officedocument.presentationml";
        let mut parts = vec![Part::xml(
            "ppt/theme/theme1.xml",
            super::theme::theme_xml("trainpack", "Noto Sans"),
        )];
        let mut master_rels = Rels::default();
        let layout_rid = master_rels.add(rel::LAYOUT, "../slideLayouts/slideLayout1.xml");
        master_rels.add(rel::THEME, "../theme/theme1.xml");
        parts.push(Part::xml(
            "ppt/slideMasters/slideMaster1.xml",
            masters::slide_master(&[&layout_rid], lang),
        ));
        parts.push(Part::xml(
            "ppt/slideMasters/_rels/slideMaster1.xml.rels",
            master_rels.xml(),
        ));
        parts.push(Part::xml(
            "ppt/slideLayouts/slideLayout1.xml",
            masters::title_and_content(&esc(layout_name), lang),
        ));
        let mut layout_rels = Rels::default();
        layout_rels.add(rel::MASTER, "../slideMasters/slideMaster1.xml");
        parts.push(Part::xml(
            "ppt/slideLayouts/_rels/slideLayout1.xml.rels",
            layout_rels.xml(),
        ));
        Frame {
            parts,
            overrides: vec![
                ("/ppt/theme/theme1.xml".into(), THEME_TYPE.into()),
                (
                    "/ppt/slideMasters/slideMaster1.xml".into(),
                    format!("{ct}.slideMaster+xml"),
                ),
                (
                    "/ppt/slideLayouts/slideLayout1.xml".into(),
                    format!("{ct}.slideLayout+xml"),
                ),
            ],
            defaults: Vec::new(),
            master: "ppt/slideMasters/slideMaster1.xml".into(),
            master_id: "2147483648".into(),
            layout: "ppt/slideLayouts/slideLayout1.xml".into(),
            theme: Some("ppt/theme/theme1.xml".into()),
            slide_size: format!(
                r#"<p:sldSz cx="{}" cy="{}"/>"#,
                masters::SLIDE.0,
                masters::SLIDE.1
            ),
        }
    }

    fn of_template(t: &PptxTemplate) -> Frame {
        let ours = ["png", "jpeg", "gif", "svg", "rels", "xml"];
        Frame {
            parts: t
                .parts
                .iter()
                .map(|(name, bytes)| Part {
                    name: name.clone(),
                    bytes: bytes.clone(),
                })
                .collect(),
            overrides: t
                .overrides
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            defaults: t
                .defaults
                .iter()
                .filter(|(ext, _)| !ours.contains(&ext.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            master: t.master.clone(),
            master_id: t.master_id.clone(),
            layout: t.layout.clone(),
            theme: t
                .parts
                .iter()
                .map(|(n, _)| n)
                .find(|n| n.starts_with("ppt/theme/") && !n.contains("/_rels/"))
                .cloned(),
            slide_size: t.slide_size.clone(),
        }
    }
}

const THEME_TYPE: &str = "application/vnd.openxmlformats-officedocument.theme+xml";

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

fn content_types(deck: &Deck, frame: &Frame) -> String {
    let ct = "application/vnd.openxmlformats-officedocument.presentationml";
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="gif" ContentType="image/gif"/><Default Extension="svg" ContentType="image/svg+xml"/>"#,
    );
    for (ext, kind) in &frame.defaults {
        out.push_str(&format!(
            r#"<Default Extension="{}" ContentType="{}"/>"#,
            esc(ext),
            esc(kind)
        ));
    }
    for (part, kind) in &frame.overrides {
        out.push_str(&format!(
            r#"<Override PartName="{}" ContentType="{}"/>"#,
            esc(part),
            esc(kind)
        ));
    }
    let mut over = |part: &str, kind: &str| {
        out.push_str(&format!(
            r#"<Override PartName="/{part}" ContentType="{kind}"/>"#
        ));
    };
    over(
        "ppt/presentation.xml",
        &format!("{ct}.presentation.main+xml"),
    );
    over("ppt/presProps.xml", &format!("{ct}.presProps+xml"));
    over("ppt/viewProps.xml", &format!("{ct}.viewProps+xml"));
    over("ppt/tableStyles.xml", &format!("{ct}.tableStyles+xml"));
    over(
        "ppt/notesMasters/notesMaster1.xml",
        &format!("{ct}.notesMaster+xml"),
    );
    over(NOTES_THEME, THEME_TYPE);
    for n in 1..=deck.slides.len() {
        over(
            &format!("ppt/slides/slide{n}.xml"),
            &format!("{ct}.slide+xml"),
        );
        over(
            &format!("ppt/notesSlides/notesSlide{n}.xml"),
            &format!("{ct}.notesSlide+xml"),
        );
    }
    over(
        "docProps/core.xml",
        "application/vnd.openxmlformats-package.core-properties+xml",
    );
    over(
        "docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    );
    out.push_str("</Types>");
    out
}

fn presentation(slides: usize, frame: &Frame) -> String {
    let ids: String = (0..slides)
        .map(|i| format!(r#"<p:sldId id="{}" r:id="rId{}"/>"#, 256 + i, 10 + i))
        .collect();
    let list = if slides == 0 {
        String::new()
    } else {
        format!("<p:sldIdLst>{ids}</p:sldIdLst>")
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:presentation {NS} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="{}" r:id="rId1"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="rId2"/></p:notesMasterIdLst>{list}{}<p:notesSz cx="{}" cy="{}"/></p:presentation>"#,
        esc(&frame.master_id),
        frame.slide_size,
        masters::NOTES.0,
        masters::NOTES.1
    )
}

fn presentation_rels(slides: usize, frame: &Frame) -> String {
    let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let master = esc(frame.master.trim_start_matches("ppt/"));
    let theme = frame.theme.as_deref().map_or(String::new(), |theme| {
        format!(
            r#"<Relationship Id="rId5" Type="{base}/theme" Target="{}"/>"#,
            esc(theme.trim_start_matches("ppt/"))
        )
    });
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{base}/slideMaster" Target="{master}"/><Relationship Id="rId2" Type="{base}/notesMaster" Target="notesMasters/notesMaster1.xml"/><Relationship Id="rId3" Type="{base}/presProps" Target="presProps.xml"/><Relationship Id="rId4" Type="{base}/viewProps" Target="viewProps.xml"/>{theme}<Relationship Id="rId6" Type="{base}/tableStyles" Target="tableStyles.xml"/>"#
    );
    for i in 0..slides {
        out.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{base}/slide" Target="slides/slide{}.xml"/>"#,
            10 + i,
            i + 1
        ));
    }
    out.push_str("</Relationships>");
    out
}

/// Where the body goes beside a picture, and the picture's box.
const BODY_WITH_PICTURE: (i64, i64, i64, i64) = (609_600, 1_600_200, 6_400_800, 4_525_963);
const PICTURE_BOX: (i64, i64, i64, i64) = (7_239_000, 1_600_200, 4_343_400, 4_525_963);

fn slide_xml(
    slide: &DeckSlide,
    n: usize,
    text: &TextOptions,
    layout: &str,
    media: &mut Vec<Part>,
) -> (String, Rels) {
    let mut rels = Rels::default();
    rels.add(rel::LAYOUT, layout);
    rels.add(
        rel::NOTES_SLIDE,
        format!("../notesSlides/notesSlide{n}.xml"),
    );
    let title = runs_paragraph(
        &[Run {
            text: slide.title.clone(),
            ..Run::default()
        }],
        text,
        &mut rels,
        false,
    );
    let mut body = String::new();
    for point in &slide.points {
        body.push_str(&runs_paragraph(point, text, &mut rels, true));
    }
    for para in &slide.body {
        body.push_str(&paragraph(para, text, &mut rels));
    }
    if let Some((label, url)) = &slide.video {
        let runs = [
            Run {
                text: format!("{label}: "),
                bold: true,
                ..Run::default()
            },
            Run {
                text: url.clone(),
                link: Some(url.clone()),
                ..Run::default()
            },
        ];
        body.push_str(&runs_paragraph(&runs, text, &mut rels, false));
    }
    if body.is_empty() {
        body = format!(r#"<a:p><a:endParaRPr lang="{}"/></a:p>"#, esc(&text.lang));
    }
    let (body_spr, picture) = match &slide.picture {
        Some(picture) => (
            xfrm(BODY_WITH_PICTURE),
            picture_xml(picture, n, &mut rels, media),
        ),
        None => (String::new(), String::new()),
    };
    let number = format!(
        r#"<a:p><a:pPr algn="r"{}/><a:fld id="{}" type="slidenum"><a:rPr lang="{}"/><a:t>{n}</a:t></a:fld><a:endParaRPr lang="{2}"/></a:p>"#,
        if text.rtl { r#" rtl="1""# } else { "" },
        masters::SLIDE_NUMBER_FIELD,
        esc(&text.lang)
    );
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:sld {NS}><p:cSld><p:spTree>{TREE_START}{}{}{picture}{}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"#,
        placeholder(2, "Title 1", r#"type="title""#, "", &title),
        placeholder(3, "Content Placeholder 2", r#"idx="1""#, &body_spr, &body),
        placeholder(
            5,
            "Slide Number Placeholder 4",
            r#"type="sldNum" sz="quarter" idx="12""#,
            "",
            &number
        ),
    );
    (xml, rels)
}

/// The picture, fitted into its box keeping its shape; its file is added
/// to `media` (an SVG with a PNG stand-in, as PowerPoint wants).
fn picture_xml(picture: &Picture, n: usize, rels: &mut Rels, media: &mut Vec<Part>) -> String {
    let (bx, by, bw, bh) = PICTURE_BOX;
    let (cx, cy) = picture.fit(bw, bh);
    let (x, y) = (bx + (bw - cx) / 2, by + (bh - cy) / 2);
    let blip = picture.blip(n, ("ppt", "../"), rels, media);
    format!(
        r#"<p:pic><p:nvPicPr><p:cNvPr id="4" name="Picture 3" descr="{}"/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill>{blip}<a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr>{}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>"#,
        esc(&picture.alt),
        xfrm((x, y, cx, cy))
    )
}

fn notes_xml(slide: &DeckSlide, n: usize, text: &TextOptions) -> (String, Rels) {
    let mut rels = Rels::default();
    rels.add(rel::NOTES_MASTER, "../notesMasters/notesMaster1.xml");
    rels.add(rel::SLIDE, format!("../slides/slide{n}.xml"));
    let mut body: String = slide
        .notes
        .iter()
        .map(|p| paragraph(p, text, &mut rels))
        .collect();
    if body.is_empty() {
        body = format!(r#"<a:p><a:endParaRPr lang="{}"/></a:p>"#, esc(&text.lang));
    }
    let image = r#"<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>"#;
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:notes {NS}><p:cSld><p:spTree>{TREE_START}{image}{}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"#,
        placeholder(
            3,
            "Notes Placeholder 2",
            r#"type="body" idx="1""#,
            "",
            &body
        )
    );
    (xml, rels)
}
