use super::*;
use crate::model::{Block, Note, placeholder};

struct Prefix;

impl Links for Prefix {
    fn resolve(&self, dest: &str) -> Option<String> {
        dest.strip_prefix("handout:")
            .map(|id| format!("handouts/{id}.html"))
    }
}

struct Tips;

impl BlockRenderer for Tips {
    fn render_block(&self, block: &Block, page: &Page<'_>, out: &mut String) {
        if let Block::Note(note) = block {
            out.push_str("<aside>");
            render_body(&note.body, page, self, out);
            out.push_str("</aside>");
        }
    }
}

fn html(markdown: &str, raw_html: bool) -> String {
    let page = Page::new(&Prefix, raw_html);
    let mut out = String::new();
    render_markdown(markdown, &page, &mut out);
    out
}

// why: a block's placeholder becomes the block's HTML, even inside a list item.
#[test]
fn placeholders_expand_to_blocks() {
    let inner = Body {
        markdown: "A *tip*.\n".into(),
        blocks: Vec::new(),
        lines: vec![1],
    };
    let body = Body {
        markdown: format!("- item\n\n  {}\n", placeholder(0)),
        blocks: vec![Block::Note(Note {
            body: inner,
            line: 1,
        })],
        lines: vec![1, 2, 3],
    };
    let page = Page::new(&Prefix, true);
    let mut out = String::new();
    render_body(&body, &page, &Tips, &mut out);
    assert_eq!(
        out,
        "<ul>\n<li>\n<p>item</p>\n<aside><p>A <em>tip</em>.</p>\n</aside></li>\n</ul>\n"
    );
}

#[test]
fn links_are_resolved_for_the_page() {
    assert_eq!(
        html("[Case](handout:case-1) [UN](https://un.org)", true),
        "<p><a href=\"handouts/case-1.html\">Case</a> <a href=\"https://un.org\">UN</a></p>\n"
    );
}

// why: `[build] raw_html = false` must neutralise HTML from outside contributors.
#[test]
fn raw_html_is_escaped_when_the_pack_asks() {
    assert_eq!(
        html("<script>x()</script>\n", false),
        "&lt;script&gt;x()&lt;/script&gt;\n"
    );
    assert_eq!(html("a <b>b</b>", false), "<p>a &lt;b&gt;b&lt;/b&gt;</p>\n");
    assert_eq!(html("a <b>b</b>", true), "<p>a <b>b</b></p>\n");
}

#[test]
fn headings_get_unique_anchors() {
    let page = Page::new(&Prefix, true);
    let mut out = String::new();
    render_markdown(
        "### Step one\n\n### Step one\n\n### Custom {#mine}\n",
        &page,
        &mut out,
    );
    assert!(out.contains("<h3 id=\"step-one\">Step one"), "{out}");
    assert!(out.contains("<h3 id=\"step-one-2\">"), "{out}");
    assert!(out.contains("<h3 id=\"mine\">"), "{out}");
}

// why: two bodies on one page may both use `[^1]`; their ids must not clash.
#[test]
fn footnotes_are_scoped_per_body() {
    let page = Page::new(&Prefix, true);
    let mut out = String::new();
    render_markdown("A[^1]\n\n[^1]: One.\n", &page, &mut out);
    render_markdown("B[^1]\n\n[^1]: Two.\n", &page, &mut out);
    assert!(out.contains("id=\"fn-1-1\""), "{out}");
    assert!(out.contains("id=\"fn-2-1\""), "{out}");
    assert!(out.contains("href=\"#fnref-2-1\""), "{out}");
}

#[test]
fn inline_rendering_drops_the_paragraph() {
    let page = Page::new(&Prefix, true);
    assert_eq!(
        render_inline("Form *groups*", &page),
        "Form <em>groups</em>"
    );
}

#[test]
fn text_is_collected_for_search() {
    let page = Page::new(&Prefix, true).collecting_text();
    let mut out = String::new();
    render_markdown(
        "# Title\n\nSome `code` and ![alt](x.png) text.",
        &page,
        &mut out,
    );
    assert_eq!(page.take_text(), "Title Some  code  and   text. ");
}

// why: an author's comment must not show on a page, nor hide in its source.
#[test]
fn comments_are_left_out() {
    let markdown = "Before <!-- inline: B is right --> after.\n\n<!--\nTrainer: the answer is B.\n-->\n\n<!-- one --><b>kept</b>\n\nEnd.\n";
    for raw_html in [true, false] {
        let out = html(markdown, raw_html);
        assert!(
            !out.contains("answer") && !out.contains("B is right"),
            "{out}"
        );
        assert!(!out.contains("<!--") && !out.contains("&lt;!--"), "{out}");
        assert!(out.contains("Before") && out.contains("after.") && out.contains("End."));
        assert!(out.contains("kept"), "{out}");
    }
}
