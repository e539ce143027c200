//! A slide's picture: its bytes, kind and size in pixels, read from the
//! file's header (PNG, JPEG, GIF, or an SVG's `viewBox`), and the
//! DrawingML that shows it in a slide or a Word file.

use std::sync::{Arc, Mutex};

use resvg::{tiny_skia, usvg};

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
    /// An SVG drawn as a PNG, for readers without SVG (LibreOffice, Word
    /// before 2016); see [`Picture::drawn`].
    pub fallback: Option<Vec<u8>>,
}

/// The fonts an SVG's text is drawn with: the theme's, so a drawing looks
/// the same on every machine (and no system font is read); and the PNGs
/// drawn so far, by the SVG's digest, so an SVG that many modules show is
/// drawn once a build.
#[derive(Clone)]
pub struct SvgFonts(Arc<usvg::fontdb::Database>, String, Arc<Mutex<Drawn>>);

type Drawn = std::collections::HashMap<[u8; 32], Option<Vec<u8>>>;

impl SvgFonts {
    /// The fonts in `files` (TrueType or OpenType bytes); the first
    /// family stands for the generic ones (`sans-serif`...).
    pub fn new(files: impl IntoIterator<Item = Vec<u8>>) -> SvgFonts {
        let mut db = usvg::fontdb::Database::new();
        let mut hasher = blake3::Hasher::new();
        for bytes in files {
            hasher.update(&bytes);
            db.load_font_data(bytes);
        }
        let first = db
            .faces()
            .next()
            .and_then(|f| f.families.first())
            .map(|(name, _)| name.clone());
        if let Some(family) = first {
            db.set_sans_serif_family(family.clone());
            db.set_serif_family(family.clone());
            db.set_monospace_family(family);
        }
        SvgFonts(
            Arc::new(db),
            hasher.finalize().to_hex().to_string(),
            Arc::default(),
        )
    }

    /// The theme's fonts (`fonts/*.ttf|otf|ttc`).
    pub fn of_theme(theme: &crate::load::theme::Theme) -> SvgFonts {
        SvgFonts::new(theme.paths_under("fonts/").into_iter().filter_map(|path| {
            let lower = path.to_ascii_lowercase();
            [".ttf", ".otf", ".ttc"]
                .iter()
                .any(|ext| lower.ends_with(ext))
                .then(|| theme.get(&path).map(|b| b.into_owned()))
                .flatten()
        }))
    }

    /// A digest of the fonts, for the fingerprint of the files they draw.
    pub fn digest(&self) -> &str {
        &self.1
    }
}

impl std::fmt::Debug for SvgFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SvgFonts({} faces)", self.0.len())
    }
}

/// The longer side of an SVG's PNG stand-in, in pixels: sharp on a slide
/// or a printed page, small in the file.
const FALLBACK_SIDE: f32 = 1200.0;

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
                    bytes: self.fallback.clone().unwrap_or_else(|| BLANK_PNG.to_vec()),
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

    /// The picture, an SVG with its PNG stand-in drawn (when it can be).
    pub fn drawn(mut self, fonts: &SvgFonts) -> Picture {
        if self.kind == PictureKind::Svg {
            let key = *blake3::hash(&self.bytes).as_bytes();
            let known = fonts.2.lock().ok().and_then(|d| d.get(&key).cloned());
            self.fallback = match known {
                Some(png) => png,
                None => {
                    let png = rasterise(&self.bytes, fonts);
                    if let Ok(mut drawn) = fonts.2.lock() {
                        drawn.insert(key, png.clone());
                    }
                    png
                }
            };
        }
        self
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
            fallback: None,
        })
    }
}

/// An SVG as a PNG of [`FALLBACK_SIDE`] pixels on its longer side; images
/// it links to are left out (only `data:` ones are drawn: no file is read).
fn rasterise(svg: &[u8], fonts: &SvgFonts) -> Option<Vec<u8>> {
    let options = usvg::Options {
        fontdb: fonts.0.clone(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(svg, &options).ok()?;
    let size = tree.size();
    let scale = FALLBACK_SIDE / size.width().max(size.height());
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().ok()
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

    // why: readers without SVG show the PNG stand-in, so it must be the
    // drawing (its shape and colours), not a blank.
    #[test]
    fn svg_gets_a_drawn_png_stand_in() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><rect width="200" height="100" fill="#ff0000"/></svg>"##;
        let picture = Picture::read(svg.to_vec(), "")
            .unwrap()
            .drawn(&SvgFonts::new([]));
        let png = picture.fallback.expect("a PNG");
        let drawn = Picture::read(png, "").unwrap();
        assert_eq!(
            (drawn.kind, drawn.width, drawn.height),
            (PictureKind::Png, 1200, 600)
        );
        assert!(
            Picture::read(BLANK_PNG.to_vec(), "")
                .unwrap()
                .drawn(&SvgFonts::new([]))
                .fallback
                .is_none()
        );
    }
}
