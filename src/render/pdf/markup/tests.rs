use super::*;

fn convert(markdown: &str) -> String {
    let media = |path: &str| path == "modules/m/media/a.svg";
    let cx = MarkupContext {
        audience: Audience::Participant,
        source_dir: "modules/m",
        media: &media,
        videos: std::cell::RefCell::new(Vec::new()),
        answers: AnswerPolicy::Shown,
        refer: None,
    };
    cx.markdown(markdown)
}

// why: no author text may be read as Typst syntax.
#[test]
fn every_special_character_is_escaped() {
    assert_eq!(
        convert("#set page(width: 1cm) $x$ a < b > c @r [a] ~ // c = - + 1. `x`"),
        "\\#set page(width: 1cm) \\$x\\$ a \\< b \\> c \\@r \\[a\\] \\~ \\/\\/ c \\= \\- \\+ 1\\. #raw(\"x\")"
    );
}

#[test]
fn emphasis_and_links() {
    assert_eq!(
        convert("*a* **b** [UN](https://un.org) <https://un.org>"),
        "#emph[a] #strong[b] #link(\"https://un.org\")[UN]#tp-url(\"https://un.org\") #link(\"https://un.org\")[https:\\/\\/un.org]"
    );
}

// why: Typst list syntax depends on indentation; calls do not.
#[test]
fn nested_lists_become_calls() {
    assert_eq!(
        convert("1. one\n   - a\n   - b\n2. two\n"),
        "#enum(start: 1, [one\n\n#list([a], [b], )], [two], )"
    );
}

#[test]
fn tables_with_header_and_alignment() {
    assert_eq!(
        convert("| A | B |\n|:--|--:|\n| 1 | 2 |\n"),
        "#tp-table(columns: 2, align: (start, end,), (table.header([A], [B], ), [1], [2], ))"
    );
}

#[test]
fn footnotes_are_placed_at_their_reference() {
    assert_eq!(
        convert("Text[^n].\n\n[^n]: The note.\n"),
        "Text#footnote[The note.]."
    );
}

#[test]
fn images_from_the_pack_and_elsewhere() {
    assert_eq!(
        convert("![Levels](media/a.svg)"),
        "#tp-image(\"/modules/m/media/a.svg\", alt: \"Levels\")"
    );
    assert_eq!(
        convert("![Map](https://x.org/m.png)"),
        "#emph[Map]#tp-url(\"https://x.org/m.png\")"
    );
}

// why: paper cannot play a video: its address and a QR code are printed.
#[test]
fn video_links_get_a_qr_code() {
    let media = |_: &str| false;
    let cx = MarkupContext {
        audience: Audience::Participant,
        source_dir: "",
        media: &media,
        videos: std::cell::RefCell::new(Vec::new()),
        answers: AnswerPolicy::Shown,
        refer: None,
    };
    let out = cx.markdown("[Teamwork](https://youtu.be/abc)");
    assert_eq!(
        out,
        "#tp-video(url: \"https://youtu.be/abc\", qr: \"/qr/0.svg\", [Teamwork])"
    );
    assert_eq!(cx.videos.into_inner(), ["https://youtu.be/abc"]);
}

// why: the full stop after a video link would sit alone under its QR code.
#[test]
fn the_stop_after_a_video_is_dropped() {
    let media = |_: &str| false;
    let cx = MarkupContext {
        audience: Audience::Participant,
        source_dir: "",
        media: &media,
        videos: std::cell::RefCell::new(Vec::new()),
        answers: AnswerPolicy::Shown,
        refer: None,
    };
    let out = cx.markdown("Watch <https://youtu.be/abc>.");
    assert!(out.ends_with("])"), "{out}");
    assert_eq!(
        convert("See [x](https://x.org)."),
        convert("See [x](https://x.org)") + "."
    );
}

#[test]
fn code_blocks_keep_their_text() {
    assert_eq!(
        convert("```\na \"b\"\n#c\n```\n"),
        "#raw(block: true, \"a \\\"b\\\"\\n#c\")"
    );
}

#[test]
fn string_literals_escape_quotes_and_backslashes() {
    assert_eq!(string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
}

// why: Typst sets a paragraph in time quadratic in its words; a paragraph
// of thousands (50,000 footnotes in one) took minutes. It is split at a
// space every thousand words, in a list item or a table cell as well.
#[test]
fn long_paragraphs_are_split_every_thousand_words() {
    let words: Vec<String> = (0..2500).map(|i| format!("w{i}")).collect();
    let paragraph = convert(&words.join(" "));
    let parts: Vec<&str> = paragraph.split("\n\n").collect();
    assert_eq!(parts.len(), 3, "{paragraph}");
    assert!(parts[0].starts_with("w0 ") && parts[0].ends_with(" w1000"));
    assert!(parts[1].starts_with("w1001 ") && parts[1].ends_with(" w2001"));
    assert!(parts[2].starts_with("w2002 ") && parts[2].ends_with(" w2499"));
    // Footnotes and line breaks count too (three pieces a line here); the
    // split falls at a line break.
    let lines: Vec<String> = (0..1500).map(|i| format!("s{i}[^n]")).collect();
    let noted = convert(&format!("{}\n\n[^n]: Note.", lines.join("\n")));
    assert_eq!(noted.matches("\n\n").count(), 4, "{noted}");
    assert!(noted.contains("s333#footnote[Note.]\n\ns334#footnote"));
    let item = convert(&format!("- {}", words.join(" ")));
    assert_eq!(item.matches("\n\n").count(), 2, "{item}");
    // Inside emphasis nothing is split: the brackets must stay whole.
    let emphasised = convert(&format!("*{}*", words.join(" ")));
    assert!(!emphasised.contains("\n\n"), "{emphasised}");
}

#[test]
fn links_within_the_pack_say_where_to_find_them() {
    let media = |_: &str| false;
    let refer = |dest: &str| {
        (dest == "handout:case").then(|| Reference {
            title: "Case Study 2".into(),
            place: "page 7".into(),
            full: "Case Study 2, page 7".into(),
        })
    };
    let cx = MarkupContext {
        audience: Audience::Trainer,
        source_dir: "",
        media: &media,
        videos: std::cell::RefCell::new(Vec::new()),
        answers: AnswerPolicy::Shown,
        refer: Some(&refer),
    };
    assert_eq!(
        cx.markdown("Read [Case Study 2](handout:case)."),
        "Read Case Study 2#tp-ref(\"page 7\")."
    );
    assert_eq!(
        cx.markdown("Read [the case](handout:case) and [this](module:x)."),
        "Read the case#tp-ref(\"Case Study 2, page 7\") and this."
    );
}

#[test]
fn a_guide_without_answers_leaves_them_out() {
    let media = |_: &str| false;
    let file = crate::diag::SourceFile::new(
        "m.md",
        "::: activity title=\"Talk\" minutes=5\nDiscuss.\n\n::: answers\nThe secret answer.\n:::\n:::\n",
    );
    let scan = crate::load::blocks::scan(&file, 0, crate::load::blocks::Mode::Module);
    let body = scan.sections.into_iter().next().unwrap().body;
    let mut cx = MarkupContext {
        audience: Audience::Trainer,
        source_dir: "",
        media: &media,
        videos: std::cell::RefCell::new(Vec::new()),
        answers: AnswerPolicy::Shown,
        refer: None,
    };
    assert!(cx.body(&body).contains("secret answer"));
    cx.answers = AnswerPolicy::LeftOut;
    let out = cx.body(&body);
    assert!(out.contains("Discuss") && !out.contains("secret"), "{out}");
    cx.audience = Audience::Key;
    assert!(cx.body(&body).contains("secret answer"));
}
