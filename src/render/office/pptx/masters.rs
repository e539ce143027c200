//! The default slide master, its one layout ("Title and Content") and the
//! notes master: plain parts a template's replace (see
//! [`super::super::template`]).

/// The namespaces of PresentationML parts.
pub const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#;

/// The slide's width and height (16:9), in EMU.
pub const SLIDE: (i64, i64) = (12_192_000, 6_858_000);
/// A notes page's width and height (portrait), in EMU.
pub const NOTES: (i64, i64) = (6_858_000, 9_144_000);

/// The empty group every shape tree starts with.
pub const TREE_START: &str = r#"<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>"#;

/// The slide-number field's fixed id.
pub const SLIDE_NUMBER_FIELD: &str = "{6D4D9E4E-2B5A-4C1B-9E55-7A0B8E1C2F10}";

/// Where the title, the body and the slide number sit.
pub const TITLE_BOX: (i64, i64, i64, i64) = (609_600, 365_125, 10_972_800, 1_143_000);
/// The body's place.
pub const BODY_BOX: (i64, i64, i64, i64) = (609_600, 1_600_200, 10_972_800, 4_525_963);
/// The slide number's place.
pub const NUMBER_BOX: (i64, i64, i64, i64) = (9_448_800, 6_245_225, 2_133_600, 365_125);

/// `<a:xfrm>` of a box.
pub fn xfrm(b: (i64, i64, i64, i64)) -> String {
    format!(
        r#"<a:xfrm><a:off x="{}" y="{}"/><a:ext cx="{}" cy="{}"/></a:xfrm>"#,
        b.0, b.1, b.2, b.3
    )
}

/// A placeholder shape: `ph` is its `<p:ph .../>` attributes.
pub fn placeholder(id: u32, name: &str, ph: &str, spr: &str, body: &str) -> String {
    format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr><p:spPr>{spr}</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/>{body}</p:txBody></p:sp>"#
    )
}

fn number_field(lang: &str) -> String {
    format!(
        r#"<a:p><a:pPr algn="r"/><a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum"><a:rPr lang="{lang}"/><a:t>‹#›</a:t></a:fld><a:endParaRPr lang="{lang}"/></a:p>"#
    )
}

fn level(n: u32, size: u32, indent: i64) -> String {
    let mar = 342_900 + i64::from(n - 1) * indent;
    format!(
        r#"<a:lvl{n}pPr marL="{mar}" indent="-342900" algn="l"><a:spcBef><a:spcPts val="600"/></a:spcBef><a:buFont typeface="Arial"/><a:buChar char="•"/><a:defRPr sz="{size}"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{n}pPr>"#
    )
}

/// The slide master, with its layouts' relationship ids.
pub fn slide_master(layouts: &[&str], lang: &str) -> String {
    let ids: String = layouts
        .iter()
        .enumerate()
        .map(|(i, rid)| {
            format!(
                r#"<p:sldLayoutId id="{}" r:id="{rid}"/>"#,
                2_147_483_649 + i
            )
        })
        .collect();
    let body_levels: String = (1..=9)
        .map(|n| {
            level(
                n,
                [2400, 2000, 1800, 1600, 1600, 1600, 1600, 1600, 1600][n as usize - 1],
                400_050,
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:sldMaster {NS}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>{TREE_START}{title}{body}{number}</p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst>{ids}</p:sldLayoutIdLst><p:txStyles><p:titleStyle><a:lvl1pPr algn="l"><a:defRPr sz="3600" b="1"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill><a:latin typeface="+mj-lt"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle><p:bodyStyle>{body_levels}</p:bodyStyle><p:otherStyle><a:lvl1pPr><a:defRPr sz="1800"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/></a:defRPr></a:lvl1pPr></p:otherStyle></p:txStyles></p:sldMaster>"#,
        title = placeholder(
            2,
            "Title Placeholder 1",
            r#"type="title""#,
            &xfrm(TITLE_BOX),
            &format!(r#"<a:p><a:r><a:rPr lang="{lang}"/><a:t>Title</a:t></a:r></a:p>"#)
        ),
        body = placeholder(
            3,
            "Text Placeholder 2",
            r#"type="body" idx="1""#,
            &xfrm(BODY_BOX),
            &format!(
                r#"<a:p><a:pPr lvl="0"/><a:r><a:rPr lang="{lang}"/><a:t>Text</a:t></a:r></a:p>"#
            )
        ),
        number = placeholder(
            4,
            "Slide Number Placeholder 3",
            r#"type="sldNum" sz="quarter" idx="12""#,
            &xfrm(NUMBER_BOX),
            &number_field(lang)
        ),
    )
}

/// The layout every slide uses.
pub fn title_and_content(name: &str, lang: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:sldLayout {NS} type="obj" preserve="1"><p:cSld name="{name}"><p:spTree>{TREE_START}{title}{body}{number}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"#,
        title = placeholder(
            2,
            "Title 1",
            r#"type="title""#,
            "",
            &format!(r#"<a:p><a:r><a:rPr lang="{lang}"/><a:t>Title</a:t></a:r></a:p>"#)
        ),
        body = placeholder(
            3,
            "Content Placeholder 2",
            r#"idx="1""#,
            "",
            &format!(
                r#"<a:p><a:pPr lvl="0"/><a:r><a:rPr lang="{lang}"/><a:t>Text</a:t></a:r></a:p>"#
            )
        ),
        number = placeholder(
            4,
            "Slide Number Placeholder 3",
            r#"type="sldNum" sz="quarter" idx="12""#,
            "",
            &number_field(lang)
        ),
    )
}

/// Where a notes page puts the slide's picture and the notes.
pub const NOTES_IMAGE: (i64, i64, i64, i64) = (685_800, 685_800, 5_486_400, 3_086_100);
/// The notes' place on a notes page.
pub const NOTES_BODY: (i64, i64, i64, i64) = (685_800, 4_000_500, 5_486_400, 4_457_700);

/// The notes master.
pub fn notes_master(lang: &str) -> String {
    let image = format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg" idx="2"/></p:nvPr></p:nvSpPr><p:spPr>{}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln w="12700"><a:solidFill><a:prstClr val="black"/></a:solidFill></a:ln></p:spPr></p:sp>"#,
        xfrm(NOTES_IMAGE)
    );
    let body = placeholder(
        3,
        "Notes Placeholder 2",
        r#"type="body" sz="quarter" idx="3""#,
        &format!(
            "{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>",
            xfrm(NOTES_BODY)
        ),
        &format!(r#"<a:p><a:pPr lvl="0"/><a:r><a:rPr lang="{lang}"/><a:t>Notes</a:t></a:r></a:p>"#),
    );
    let lvl = |n: u32| {
        format!(
            r#"<a:lvl{n}pPr marL="{}" algn="l"><a:defRPr sz="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{n}pPr>"#,
            i64::from(n - 1) * 457_200
        )
    };
    let levels: String = (1..=9).map(lvl).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:notesMaster {NS}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>{TREE_START}{image}{body}</p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:notesStyle>{levels}</p:notesStyle></p:notesMaster>"#
    )
}
