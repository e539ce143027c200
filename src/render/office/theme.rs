//! The default DrawingML theme of the decks (colours and fonts), shared by
//! the slide master and the notes master.

/// The theme part, with `font` as the Latin and complex-script typeface.
pub fn theme_xml(name: &str, font: &str) -> String {
    let solid = |c: &str| format!(r#"<a:solidFill><a:schemeClr val="{c}"/></a:solidFill>"#);
    let line = |w: u32| {
        format!(
            r#"<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>"#
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="{name}"><a:themeElements><a:clrScheme name="trainpack"><a:dk1><a:srgbClr val="1F2933"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1D3557"/></a:dk2><a:lt2><a:srgbClr val="EEF2F6"/></a:lt2><a:accent1><a:srgbClr val="1D6FB8"/></a:accent1><a:accent2><a:srgbClr val="E07A1F"/></a:accent2><a:accent3><a:srgbClr val="2A9D8F"/></a:accent3><a:accent4><a:srgbClr val="8A5CB8"/></a:accent4><a:accent5><a:srgbClr val="C0392B"/></a:accent5><a:accent6><a:srgbClr val="7F8C8D"/></a:accent6><a:hlink><a:srgbClr val="1D6FB8"/></a:hlink><a:folHlink><a:srgbClr val="8A5CB8"/></a:folHlink></a:clrScheme><a:fontScheme name="trainpack"><a:majorFont><a:latin typeface="{font}"/><a:ea typeface=""/><a:cs typeface="{font}"/></a:majorFont><a:minorFont><a:latin typeface="{font}"/><a:ea typeface=""/><a:cs typeface="{font}"/></a:minorFont></a:fontScheme><a:fmtScheme name="trainpack"><a:fillStyleLst>{f1}{f1}{f1}</a:fillStyleLst><a:lnStyleLst>{l1}{l2}{l3}</a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst>{f1}{f1}{f1}</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#,
        f1 = solid("phClr"),
        l1 = line(6350),
        l2 = line(12700),
        l3 = line(19050),
    )
}
