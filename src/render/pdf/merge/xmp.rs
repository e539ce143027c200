//! The XMP metadata of a merged file: its title, authors, language and
//! date, as the document information dictionary also gives them (PDF/UA
//! readers and archives read XMP, older readers the dictionary).

use super::Metadata;
use crate::render::office::package::esc as escape;

/// The XMP packet for `metadata`, with `date` as the PDF's own
/// (`D:20231114221320Z`), if any.
pub(super) fn packet(metadata: &Metadata<'_>) -> String {
    let mut out = String::from(concat!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" ",
        "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n",
        "<dc:format>application/pdf</dc:format>\n",
    ));
    let lang = escape(metadata.language);
    let title = escape(metadata.title);
    out.push_str(&format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li><rdf:li xml:lang=\"{lang}\">{title}</rdf:li></rdf:Alt></dc:title>\n"
    ));
    if !metadata.authors.is_empty() {
        out.push_str("<dc:creator><rdf:Seq>");
        for author in metadata.authors {
            out.push_str(&format!("<rdf:li>{}</rdf:li>", escape(author)));
        }
        out.push_str("</rdf:Seq></dc:creator>\n");
    }
    out.push_str(&format!(
        "<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>\n"
    ));
    out.push_str(&format!(
        "<pdf:Producer>trainpack {}</pdf:Producer>\n",
        env!("CARGO_PKG_VERSION")
    ));
    if let Some(date) = metadata.date.as_deref().and_then(iso_date) {
        out.push_str(&format!("<xmp:CreateDate>{date}</xmp:CreateDate>\n"));
    }
    out.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
    out
}

/// `D:20231114221320Z` as `2023-11-14T22:13:20Z`.
fn iso_date(pdf: &str) -> Option<String> {
    let d = pdf.strip_prefix("D:")?.strip_suffix('Z')?;
    if d.len() != 14 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_language_and_date_are_in_the_packet() {
        let authors = vec!["A & B".to_string()];
        let xmp = packet(&Metadata {
            title: "Police <ethics>",
            authors: &authors,
            language: "fr",
            date: Some("D:20231114221320Z".into()),
        });
        assert!(xmp.contains("<rdf:li xml:lang=\"x-default\">Police &lt;ethics&gt;</rdf:li>"));
        assert!(xmp.contains("<rdf:li>A &amp; B</rdf:li>"));
        assert!(xmp.contains("<dc:language><rdf:Bag><rdf:li>fr</rdf:li>"));
        assert!(xmp.contains("<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>"));
    }
}
