//! The Markdown-to-paragraphs conversion of the Office files.

use super::*;

fn paras(markdown: &str) -> Vec<Para> {
    let words = Words::english();
    let cx = Converter::new(Audience::Participant, &words);
    let mut out = Vec::new();
    cx.markdown(markdown, &mut out);
    out
}

// why: Office files use named styles, so each Markdown construct must
// map to one.
#[test]
fn lists_headings_and_emphasis_get_styles_and_runs() {
    let out = paras(
        "# Top\n\nSome *it* and **bold** [link](https://x.org).\n\n- a\n  - b\n\n1. one\n2. two\n",
    );
    let styles: Vec<Style> = out.iter().map(|p| p.style).collect();
    assert_eq!(
        styles,
        [
            Style::Heading(1),
            Style::Normal,
            Style::Bullet(0),
            Style::Bullet(1),
            Style::Number(0, 1),
            Style::Number(0, 1),
        ]
    );
    let runs = &out[1].runs;
    assert!(runs.iter().any(|r| r.italic && r.text == "it"));
    assert!(runs.iter().any(|r| r.bold && r.text == "bold"));
    assert!(
        runs.iter()
            .any(|r| r.link.as_deref() == Some("https://x.org"))
    );
}

// why: Word makes a table of the cells only if each knows its row, its
// header and its column; an empty cell must still be a cell.
#[test]
fn table_cells_know_their_row_header_and_alignment() {
    let words = Words::english();
    let cx = Converter::new(Audience::Participant, &words).in_dir("modules/m/handouts");
    let mut out = Vec::new();
    cx.markdown(
        "| A | B |\n|---|--:|\n| *x* | |\n\n![Alt](../media/p.png)\n",
        &mut out,
    );
    let cells: Vec<(bool, bool, Align, String)> = out
        .iter()
        .filter_map(|p| match p.style {
            Style::Cell(c) => Some((c.header, c.row_start, c.align, p.text())),
            _ => None,
        })
        .collect();
    assert_eq!(
        cells,
        [
            (true, true, Align::Start, "A".into()),
            (true, false, Align::End, "B".into()),
            (false, true, Align::Start, "x".into()),
            (false, false, Align::End, String::new()),
        ]
    );
    let picture = &out.last().unwrap().runs[0];
    assert_eq!(
        (picture.text.as_str(), picture.image.as_deref()),
        ("Alt", Some("modules/m/media/p.png"))
    );
    let lines = rows_as_lines(out);
    assert_eq!(lines[0].text(), "A | B");
    assert_eq!(lines[1].text(), "x | ");
}
