//! Reads the organisation's PowerPoint and Word templates named in
//! `[office]`: the slide master holding the layout trainpack's slides use,
//! its layouts, themes and pictures, and the Word styles. A template that
//! cannot be read, or lacks the layout, is an error at its line of
//! `book.toml`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::diag::{Diagnostic, SourceFile};
use crate::model::office::{
    DocxTemplate, OfficeConfig, OfficeTemplates, PptxTemplate, TemplatePath,
};

/// The layout every slide is put on: a template must have one so named.
pub const LAYOUT: &str = "Title and Content";

/// The templates `config` names, read from the pack at `root`; `book` is
/// `book.toml`, for pointing at the key.
pub fn read_templates(
    root: &Path,
    config: &OfficeConfig,
    book: &SourceFile,
) -> Result<OfficeTemplates, Diagnostic> {
    let fail = |template: &TemplatePath, message: String, hint: &str| {
        Diagnostic::error(message)
            .at_line(book, template.line)
            .hint(hint.to_string())
    };
    let mut out = OfficeTemplates::default();
    if let Some(template) = &config.pptx_template {
        let parts = read_zip(&root.join(&template.path)).map_err(|e| {
            fail(
                template,
                format!(
                    "cannot read the PowerPoint template `{}`: {e}",
                    template.path
                ),
                "give `pptx_template` the path of a `.pptx` file from the pack's folder",
            )
        })?;
        out.pptx = Some(pptx_template(parts).map_err(|what| {
            fail(
                template,
                format!("the PowerPoint template `{}` has {what}", template.path),
                &format!("add a slide layout named `{LAYOUT}`, with a title and a content placeholder, to the template's slide master (View > Slide Master), or rename one"),
            )
        })?);
    }
    if let Some(template) = &config.docx_template {
        let parts = read_zip(&root.join(&template.path)).map_err(|e| {
            fail(
                template,
                format!("cannot read the Word template `{}`: {e}", template.path),
                "give `docx_template` the path of a `.docx` file from the pack's folder",
            )
        })?;
        let styles = parts
            .get("word/styles.xml")
            .and_then(|b| String::from_utf8(b.clone()).ok())
            .ok_or_else(|| {
                fail(
                    template,
                    format!(
                        "the Word template `{}` has no styles (`word/styles.xml`)",
                        template.path
                    ),
                    "save the template from Word or LibreOffice Writer as a `.docx` file",
                )
            })?;
        out.docx = Some(DocxTemplate { styles });
    }
    Ok(out)
}

/// Every part of a zip, by name.
fn read_zip(path: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        parts.insert(name, bytes);
    }
    Ok(parts)
}

/// The value of attribute `name` in the first tag of `xml` that starts
/// with `tag`.
fn attr<'x>(xml: &'x str, tag: &str, name: &str) -> Option<&'x str> {
    let start = xml.find(tag)?;
    let end = start + xml[start..].find('>')?;
    attr_in(&xml[start..end], name)
}

fn attr_in<'x>(tag: &'x str, name: &str) -> Option<&'x str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// Each tag of `xml` starting with `tag`, as text.
fn tags<'x>(xml: &'x str, tag: &'x str) -> impl Iterator<Item = &'x str> + 'x {
    xml.match_indices(tag).filter_map(move |(start, _)| {
        let end = start + xml[start..].find('>')?;
        Some(&xml[start..end])
    })
}

/// The part a relationship of `part` points at, as a package path.
fn resolve(part: &str, target: &str) -> String {
    let mut path: Vec<&str> = part.split('/').collect();
    path.pop();
    for piece in target.split('/') {
        match piece {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            p => path.push(p),
        }
    }
    path.join("/")
}

fn rels_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

fn text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> Option<String> {
    parts
        .get(name)
        .map(|b| String::from_utf8_lossy(b).into_owned())
}

/// The slide master with the layout, and everything it and its layouts
/// use. Errs with what is missing.
fn pptx_template(parts: BTreeMap<String, Vec<u8>>) -> Result<PptxTemplate, String> {
    let presentation = text(&parts, "ppt/presentation.xml").ok_or("no `ppt/presentation.xml`")?;
    let rels = text(&parts, "ppt/_rels/presentation.xml.rels").unwrap_or_default();
    let mut found = None;
    for master_id in tags(&presentation, "<p:sldMasterId ") {
        let (Some(id), Some(rid)) = (attr_in(master_id, "id"), attr_in(master_id, "r:id")) else {
            continue;
        };
        let Some(target) = tags(&rels, "<Relationship ")
            .find(|r| attr_in(r, "Id") == Some(rid))
            .and_then(|r| attr_in(r, "Target"))
        else {
            continue;
        };
        let master = resolve("ppt/presentation.xml", target);
        let master_rels = text(&parts, &rels_of(&master)).unwrap_or_default();
        let layout = tags(&master_rels, "<Relationship ")
            .filter(|r| attr_in(r, "Type").is_some_and(|t| t.ends_with("/slideLayout")))
            .filter_map(|r| attr_in(r, "Target"))
            .map(|t| resolve(&master, t))
            .find(|layout| {
                text(&parts, layout)
                    .is_some_and(|xml| attr(&xml, "<p:cSld", "name") == Some(LAYOUT))
            });
        if let Some(layout) = layout {
            found = Some((master, id.to_string(), layout));
            break;
        }
    }
    let (master, master_id, layout) =
        found.ok_or_else(|| format!("no slide layout named `{LAYOUT}`"))?;
    let slide_size = tags(&presentation, "<p:sldSz ")
        .next()
        .map(|t| format!("{}/>", t.trim_end_matches('/')))
        .unwrap_or_default();
    // What the master uses, and what that uses in turn (layouts, themes,
    // pictures), but not slides or notes.
    let mut keep = std::collections::BTreeSet::new();
    let mut todo = vec![master.clone()];
    while let Some(part) = todo.pop() {
        if !keep.insert(part.clone()) {
            continue;
        }
        let rels_name = rels_of(&part);
        let Some(rels) = text(&parts, &rels_name) else {
            continue;
        };
        keep.insert(rels_name);
        for r in tags(&rels, "<Relationship ") {
            let external = attr_in(r, "TargetMode") == Some("External");
            let kind = attr_in(r, "Type").unwrap_or("");
            if external || kind.ends_with("/slide") || kind.ends_with("/notesSlide") {
                continue;
            }
            if let Some(target) = attr_in(r, "Target") {
                let target = resolve(&part, target);
                if parts.contains_key(&target) {
                    todo.push(target);
                }
            }
        }
    }
    let types = text(&parts, "[Content_Types].xml").unwrap_or_default();
    let overrides = tags(&types, "<Override ")
        .filter_map(|t| {
            Some((
                attr_in(t, "PartName")?.to_string(),
                attr_in(t, "ContentType")?.to_string(),
            ))
        })
        .filter(|(name, _)| keep.contains(name.trim_start_matches('/')))
        .collect();
    let defaults = tags(&types, "<Default ")
        .filter_map(|t| {
            Some((
                attr_in(t, "Extension")?.to_lowercase(),
                attr_in(t, "ContentType")?.to_string(),
            ))
        })
        .collect();
    let parts = parts
        .into_iter()
        .filter(|(name, _)| keep.contains(name))
        .collect();
    Ok(PptxTemplate {
        parts,
        overrides,
        defaults,
        master,
        master_id,
        layout,
        slide_size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // why: relationship targets are relative to the part that holds them.
    #[test]
    fn targets_resolve_from_their_part() {
        assert_eq!(
            resolve("ppt/slideMasters/slideMaster1.xml", "../theme/theme1.xml"),
            "ppt/theme/theme1.xml"
        );
        assert_eq!(
            rels_of("ppt/presentation.xml"),
            "ppt/_rels/presentation.xml.rels"
        );
    }
}
