//! The zip container of an Office file (Open Packaging Conventions), made
//! the same way every time: parts in the order given, each stamped
//! 1980-01-01 00:00 (zip's earliest time) with fixed permissions, so two
//! builds give the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One part of a package: its name in the zip and its bytes.
pub struct Part {
    /// `ppt/slides/slide1.xml`.
    pub name: String,
    /// The part's bytes.
    pub bytes: Vec<u8>,
}

impl Part {
    /// A part holding XML text.
    pub fn xml(name: impl Into<String>, xml: String) -> Part {
        Part {
            name: name.into(),
            bytes: xml.into_bytes(),
        }
    }
}

/// The zip of `parts`, in their order (`[Content_Types].xml` must come
/// first for some readers, so callers put it first).
pub fn package(parts: &[Part]) -> std::io::Result<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .compression_method(CompressionMethod::Deflated);
    for part in parts {
        // Pictures are compressed already.
        let options = if is_media(&part.name) {
            options
                .compression_method(CompressionMethod::Stored)
                .compression_level(None)
        } else {
            options
        };
        zip.start_file(part.name.as_str(), options)
            .map_err(std::io::Error::other)?;
        zip.write_all(&part.bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

fn is_media(name: &str) -> bool {
    [".png", ".jpg", ".jpeg", ".gif"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Escapes text for XML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold at all.
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // why: two builds must give byte-identical files.
    #[test]
    fn same_parts_give_same_bytes() {
        let parts = || {
            vec![
                Part::xml("[Content_Types].xml", "<a/>".into()),
                Part::xml("b.xml", "<b>x</b>".into()),
            ]
        };
        let one = package(&parts()).unwrap();
        assert_eq!(one, package(&parts()).unwrap());
        assert_eq!(&one[..4], b"PK\x03\x04");
    }

    // why: author text must never break the XML.
    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
