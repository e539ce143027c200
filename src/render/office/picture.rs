//! A slide's picture: its bytes, kind and size in pixels, read from the
//! file's header (PNG, JPEG, GIF, or an SVG's `viewBox`), and the
//! DrawingML that shows it in a slide or a Word file.

use super::drawing::{Rels, rel};
use super::package::Part;

/// A picture to embed.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its format.
    pub kind: PictureKind,
    /// Width, in pixels (or SVG user units).
    pub width: u32,
    /// Height.
    pub height: u32,
    /// What it shows.
    pub alt: String,
}

/// The picture formats an Office file can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
    /// SVG, with a PNG stand-in for older readers.
    Svg,
}

impl PictureKind {
    /// The file extension in the package.
    pub fn extension(self) -> &'static str {
        match self {
            PictureKind::Png => "png",
            PictureKind::Jpeg => "jpeg",
            PictureKind::Gif => "gif",
            PictureKind::Svg => "svg",
        }
    }
}

/// A 1×1 transparent PNG: the stand-in PowerPoint's SVG extension wants
/// beside an SVG.
pub const BLANK_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

impl Picture {
    /// Its size fitted into a `width` × `height` box, keeping its shape.
    pub fn fit(&self, width: i64, height: i64) -> (i64, i64) {
        let (w, h) = (i64::from(self.width.max(1)), i64::from(self.height.max(1)));
        if w * height > h * width {
            (width, width * h / w)
        } else {
            (height * w / h, height)
        }
    }

    /// The `a:blip` that shows it, its file added to `media` as
    /// `{dir}/media/trainpack-image{n}.ext` and to `rels` as `{from}media/…`
    /// (`../` from a slide, nothing from Word's document): an SVG with a
    /// PNG stand-in, as PowerPoint and Word want.
    pub fn blip(
        &self,
        n: usize,
        (dir, from): (&str, &str),
        rels: &mut Rels,
        media: &mut Vec<Part>,
    ) -> String {
        let ext = self.kind.extension();
        let blip = match self.kind {
            PictureKind::Svg => {
                let png = rels.add(
                    rel::IMAGE,
                    format!("{from}media/trainpack-image{n}-fallback.png"),
                );
                let svg = rels.add(rel::IMAGE, format!("{from}media/trainpack-image{n}.svg"));
                media.push(Part {
                    name: format!("{dir}/media/trainpack-image{n}-fallback.png"),
                    bytes: BLANK_PNG.to_vec(),
                });
                format!(
                    r#"<a:blip r:embed="{png}"><a:extLst><a:ext uri="{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}"><asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="{svg}"/></a:ext></a:extLst></a:blip>"#
                )
            }
            _ => {
                let id = rels.add(rel::IMAGE, format!("{from}media/trainpack-image{n}.{ext}"));
                format!(r#"<a:blip r:embed="{id}"/>"#)
            }
        };
        media.push(Part {
            name: format!("{dir}/media/trainpack-image{n}.{ext}"),
            bytes: self.bytes.clone(),
        });
        blip
    }

    /// The picture in `bytes`, if its format and size can be read.
    pub fn read(bytes: Vec<u8>, alt: &str) -> Option<Picture> {
        let (kind, width, height) = size(&bytes)?;
        Some(Picture {
            bytes,
            kind,
            width,
            height,
            alt: alt.to_string(),
        })
    }
}

fn size(b: &[u8]) -> Option<(PictureKind, u32, u32)> {
    let be32 = |i: usize| Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?));
    let be16 = |i: usize| {
        Some(u32::from(u16::from_be_bytes(
            b.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some((PictureKind::Png, be32(16)?, be32(20)?));
    }
    if b.starts_with(b"GIF8") {
        let le16 = |i: usize| {
            Some(u32::from(u16::from_le_bytes(
                b.get(i..i + 2)?.try_into().ok()?,
            )))
        };
        return Some((PictureKind::Gif, le16(6)?, le16(8)?));
    }
    if b.starts_with(&[0xff, 0xd8]) {
        // Walk the segments to the first start-of-frame.
        let mut i = 2;
        while i + 9 < b.len() {
            if b[i] != 0xff {
                return None;
            }
            let marker = b[i + 1];
            let len = be16(i + 2)? as usize;
            if matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc) {
                return Some((PictureKind::Jpeg, be16(i + 7)?, be16(i + 5)?));
            }
            i += 2 + len;
        }
        return None;
    }
    let text = std::str::from_utf8(b.get(..b.len().min(4096))?).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&tag[at..at + tag[at..].find('"')?])
    };
    let number = |v: &str| v.trim_end_matches("px").trim().parse::<f64>().ok();
    let (w, h) = match attr("viewBox") {
        Some(view) => {
            let v: Vec<f64> = view
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            (*v.get(2)?, *v.get(3)?)
        }
        None => (number(attr("width")?)?, number(attr("height")?)?),
    };
    (w > 0.0 && h > 0.0).then(|| (PictureKind::Svg, w.round() as u32, h.round() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    // why: the picture keeps its shape only if its size is read right.
    #[test]
    fn reads_png_and_svg_sizes() {
        let png = Picture::read(BLANK_PNG.to_vec(), "").unwrap();
        assert_eq!((png.kind, png.width, png.height), (PictureKind::Png, 1, 1));
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450">"#;
        let svg = Picture::read(svg.to_vec(), "").unwrap();
        assert_eq!(
            (svg.kind, svg.width, svg.height),
            (PictureKind::Svg, 800, 450)
        );
        assert!(Picture::read(b"nothing".to_vec(), "").is_none());
    }
}
