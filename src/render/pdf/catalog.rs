//! A last touch to the catalog of each PDF Typst writes: readers show the
//! document's title rather than its file name (`DisplayDocTitle`), and
//! `MarkInfo` leaves out `Suspects false`, which poppler reports as an
//! error on every page it reads.

/// `pdf` with its catalog tidied, when the catalog is the last object
/// before the cross-reference table, as Typst writes it; otherwise `pdf`
/// as it was. Growing the last object moves only the table, so only
/// `startxref` changes.
pub fn tidy(pdf: Vec<u8>) -> Vec<u8> {
    let Some(start) = rfind(&pdf, b"<</Type/Catalog") else {
        return pdf;
    };
    let Some(length) = find(&pdf[start..], b"\nendobj\nxref\n") else {
        return pdf;
    };
    let Some(table) = rfind(&pdf, b"startxref\n") else {
        return pdf;
    };
    let old = String::from_utf8_lossy(&pdf[start..start + length]).into_owned();
    let new = tidied(&old);
    let number = &pdf[table + 10..];
    let digits = number.iter().take_while(|b| b.is_ascii_digit()).count();
    let Some(offset) = std::str::from_utf8(&number[..digits])
        .ok()
        .and_then(|d| d.parse::<usize>().ok())
    else {
        return pdf;
    };
    let mut out = Vec::with_capacity(pdf.len() + 32);
    out.extend_from_slice(&pdf[..start]);
    out.extend_from_slice(new.as_bytes());
    out.extend_from_slice(&pdf[start + length..table + 10]);
    let moved = offset + new.len() - old.len();
    out.extend_from_slice(moved.to_string().as_bytes());
    out.extend_from_slice(&pdf[table + 10 + digits..]);
    out
}

fn tidied(catalog: &str) -> String {
    let mut out = catalog.replace("/Suspects false", "");
    if out.contains("/DisplayDocTitle") {
        return out;
    }
    match out.find("/ViewerPreferences<<") {
        Some(at) => out.insert_str(at + "/ViewerPreferences<<".len(), "/DisplayDocTitle true"),
        None => {
            let end = out.rfind(">>").unwrap_or(out.len());
            out.insert_str(end, "/ViewerPreferences<</DisplayDocTitle true>>");
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_shows_the_title_and_the_table_moves_with_it() {
        let head = "%PDF-1.7\n1 0 obj\n<</Type/Catalog/MarkInfo<</Marked true/Suspects false>>/ViewerPreferences<</Direction/R2L>>>>";
        let tail = "\nendobj\nxref\n0 2\n";
        let pdf = format!(
            "{head}{tail}trailer\n<</Root 1 0 R>>\nstartxref\n{}\n%%EOF\n",
            head.len() + 8
        );
        let out = String::from_utf8(tidy(pdf.into_bytes())).unwrap();
        assert!(
            out.contains(
                "/MarkInfo<</Marked true>>/ViewerPreferences<</DisplayDocTitle true/Direction/R2L>>"
            ),
            "{out}"
        );
        let at: usize = out
            .split("startxref\n")
            .nth(1)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(out[at..].starts_with("xref\n"), "{}", &out[at..]);
    }

    #[test]
    fn a_file_of_another_shape_is_left_as_it_was() {
        let pdf =
            b"%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\n2 0 obj\nnull\nendobj\nxref\n".to_vec();
        assert_eq!(tidy(pdf.clone()), pdf);
    }
}
