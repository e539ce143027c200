//! Markdown to HTML: the event pass that turns a [`Body`] into HTML for one
//! audience, over the parser that loading also reads with
//! ([`crate::load::markdown::parser`]).
//!
//! The pass expands block placeholders into rendered blocks (through
//! [`BlockRenderer`]), rewrites `handout:`, `module:` and relative links into
//! URLs relative to the page, gives headings unique anchors, scopes footnote
//! ids to the page, escapes raw HTML when the pack asks for it, and collects
//! the plain text for the search index. When the pack escapes raw HTML, it
//! also never writes a link or image whose address runs a script
//! ([`links::script_scheme`]): the link's text stays, as plain text.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd, html};

use crate::load::anchor_of;
use crate::load::markdown::{links, parser};
use crate::model::{Block, Body, parse_placeholder};

/// Resolves link destinations written by authors into URLs for the page
/// being rendered.
pub trait Links {
    /// The URL to write for `dest`, or `None` to keep it as written.
    fn resolve(&self, dest: &str) -> Option<String>;
}

/// Renders the blocks that placeholders stand for.
pub trait BlockRenderer {
    /// Appends the HTML of `block` to `out` (nothing, to leave it out).
    fn render_block(&self, block: &Block, page: &Page<'_>, out: &mut String);
}

/// What a rendering pass needs to know about the page it renders for.
pub struct Page<'a> {
    /// Link resolution for the page.
    pub links: &'a dyn Links,
    /// False escapes raw HTML written in Markdown.
    pub raw_html: bool,
    /// Anchors already used on the page, so headings stay unique.
    pub ids: RefCell<BTreeSet<String>>,
    /// Prefix for footnote ids, unique per rendered body on the page.
    pub footnotes: RefCell<usize>,
    /// Plain text collected for the search index, when wanted.
    pub text: Option<RefCell<String>>,
}

impl<'a> Page<'a> {
    /// A page with the given link resolution.
    pub fn new(links: &'a dyn Links, raw_html: bool) -> Page<'a> {
        Page {
            links,
            raw_html,
            ids: RefCell::new(BTreeSet::new()),
            footnotes: RefCell::new(0),
            text: None,
        }
    }

    /// Also collect plain text for search.
    pub fn collecting_text(mut self) -> Self {
        self.text = Some(RefCell::new(String::new()));
        self
    }

    /// Takes the text collected so far.
    pub fn take_text(&self) -> String {
        self.text
            .as_ref()
            .map(|t| std::mem::take(&mut *t.borrow_mut()))
            .unwrap_or_default()
    }

    /// Reserves an anchor, adding `-2`, `-3` … if it is taken.
    pub fn unique_id(&self, base: &str) -> String {
        let mut ids = self.ids.borrow_mut();
        let mut id = base.to_string();
        let mut n = 1;
        while ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        ids.insert(id.clone());
        id
    }

    fn add_text(&self, text: &str) {
        if let Some(buffer) = &self.text {
            let mut buffer = buffer.borrow_mut();
            buffer.push_str(text);
            buffer.push(' ');
        }
    }
}

/// Renders a body, its blocks included, to HTML.
pub fn render_body(body: &Body, page: &Page<'_>, blocks: &dyn BlockRenderer, out: &mut String) {
    render_markdown_with(&body.markdown, page, out, &|index, out| {
        if let Some(block) = body.blocks.get(index) {
            blocks.render_block(block, page, out);
        }
    });
}

/// Renders Markdown that holds no blocks.
pub fn render_markdown(markdown: &str, page: &Page<'_>, out: &mut String) {
    render_markdown_with(markdown, page, out, &|_, _| {});
}

/// Renders one line of inline Markdown (a step, a quiz option) without the
/// surrounding paragraph.
pub fn render_inline(markdown: &str, page: &Page<'_>) -> String {
    let mut out = String::new();
    render_markdown(markdown, page, &mut out);
    let trimmed = out.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

fn render_markdown_with(
    markdown: &str,
    page: &Page<'_>,
    out: &mut String,
    block: &dyn Fn(usize, &mut String),
) {
    let scope = {
        let mut n = page.footnotes.borrow_mut();
        *n += 1;
        *n
    };
    let mut pass = Pass {
        page,
        block,
        scope,
        heading: None,
        footnotes: HashMap::new(),
        image_depth: 0,
        dropped: Vec::new(),
        in_comment: false,
    };
    let events: Vec<Event<'_>> = parser(markdown).filter_map(|e| pass.event(e)).collect();
    html::push_html(out, events.into_iter());
}

struct Pass<'p, 'a> {
    page: &'p Page<'a>,
    block: &'p dyn Fn(usize, &mut String),
    scope: usize,
    heading: Option<HeadingBuffer<'p>>,
    /// The number of each footnote label, in order of first use: a map,
    /// since a search through a list is quadratic in a handout of 50,000.
    footnotes: HashMap<String, usize>,
    image_depth: usize,
    /// For each open link or image, innermost last: true when it was left
    /// out, so its end is left out too.
    dropped: Vec<bool>,
    /// Inside an HTML comment that spans several chunks of an HTML block.
    in_comment: bool,
}

/// A heading being collected, so its anchor can come from its text.
struct HeadingBuffer<'e> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    text: String,
    inner: Vec<Event<'e>>,
}

impl<'p> Pass<'p, '_> {
    fn event<'e>(&mut self, event: Event<'e>) -> Option<Event<'e>>
    where
        'e: 'p,
    {
        if self.heading.is_some() {
            return self.heading_event(event);
        }
        match event {
            Event::Html(html) | Event::InlineHtml(html) => Some(self.html(html)),
            Event::Text(text) => {
                if self.image_depth == 0 {
                    self.page.add_text(&text);
                }
                Some(Event::Text(text))
            }
            Event::Code(code) => {
                self.page.add_text(&code);
                Some(Event::Code(code))
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.heading = Some(HeadingBuffer {
                    level,
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(ToString::to_string).collect(),
                    text: String::new(),
                    inner: Vec::new(),
                });
                None
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. })
            | Event::End(TagEnd::Link | TagEnd::Image) => self.link(event),
            Event::FootnoteReference(label) => Some(Event::Html(self.footnote_ref(&label).into())),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Some(Event::Html(self.footnote_def(&label).into()))
            }
            Event::End(TagEnd::FootnoteDefinition) => Some(Event::Html("</div>\n".into())),
            other => Some(other),
        }
    }

    fn html<'e>(&mut self, html: CowStr<'e>) -> Event<'e> {
        if let Some(index) = parse_placeholder(&html) {
            let mut out = String::new();
            (self.block)(index, &mut out);
            return Event::Html(out.into());
        }
        // An author's comment is for authors: escaped, it would show on the
        // page, and kept, anyone could read it in a participant's page.
        if self.in_comment || html.trim_start().starts_with("<!--") {
            let rest = html.split_once("-->").map(|(_, rest)| rest.to_string());
            self.in_comment = rest.is_none();
            return match rest {
                Some(rest) if !rest.trim().is_empty() => self.html(rest.into()),
                _ => Event::Text("".into()),
            };
        }
        if self.page.raw_html {
            Event::Html(html)
        } else {
            Event::Text(html)
        }
    }

    fn resolve<'e>(&self, dest: CowStr<'e>) -> CowStr<'e> {
        match self.page.links.resolve(&dest) {
            Some(url) => url.into(),
            None => dest,
        }
    }

    /// An event inside a heading, kept until the heading ends so its anchor
    /// can come from its text. Its links and raw HTML are read as anywhere
    /// else: a heading is no way around `raw_html = false`.
    fn heading_event<'e>(&mut self, event: Event<'e>) -> Option<Event<'e>>
    where
        'e: 'p,
    {
        let event = match event {
            Event::End(TagEnd::Heading(_)) => {
                return Some(Event::Html(self.finish_heading().into()));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                self.heading.as_mut()?.text.push_str(t);
                event
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html(html),
            Event::Start(Tag::Link { .. } | Tag::Image { .. })
            | Event::End(TagEnd::Link | TagEnd::Image) => self.link(event)?,
            other => other,
        };
        self.heading.as_mut()?.inner.push(event);
        None
    }

    /// A link or image, its address resolved for the page. When the pack
    /// escapes raw HTML, one whose address would run a script is left out
    /// and its text (an image's alt text) stays as plain text, even if
    /// `check` was never run.
    fn link<'e>(&mut self, event: Event<'e>) -> Option<Event<'e>> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.address(link_type, dest_url);
                self.dropped.push(dest_url.is_none());
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest_url?,
                    title,
                    id,
                }))
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.image_depth += 1;
                let dest_url = self.address(link_type, dest_url);
                self.dropped.push(dest_url.is_none());
                Some(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest_url?,
                    title,
                    id,
                }))
            }
            Event::End(end) => {
                if end == TagEnd::Image {
                    self.image_depth -= 1;
                }
                let dropped = self.dropped.pop().unwrap_or(false);
                (!dropped).then_some(Event::End(end))
            }
            other => Some(other),
        }
    }

    /// The address to write for a link, or `None` to leave the link out.
    fn address<'e>(&self, link_type: LinkType, dest: CowStr<'e>) -> Option<CowStr<'e>> {
        // The writer puts `mailto:` before an email autolink's address: it
        // is no path to resolve.
        let url = match link_type {
            LinkType::Email => dest,
            _ => self.resolve(dest),
        };
        (self.page.raw_html || links::script_scheme(&url).is_none()).then_some(url)
    }

    fn finish_heading(&mut self) -> String {
        let Some(heading) = self.heading.take() else {
            return String::new();
        };
        let base = heading
            .id
            .clone()
            .unwrap_or_else(|| anchor_of(&heading.text));
        let id = self.page.unique_id(&base);
        self.page.add_text(&heading.text);
        let mut inner = String::new();
        html::push_html(&mut inner, heading.inner.into_iter());
        let class = if heading.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape_attr(&heading.classes.join(" ")))
        };
        format!(
            "<{level} id=\"{id}\"{class}>{inner} <a class=\"tp-anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></{level}>\n",
            level = heading.level,
            id = escape_attr(&id),
        )
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label.to_string()).or_insert(next)
    }

    fn footnote_ref(&mut self, label: &str) -> String {
        let n = self.footnote_number(label);
        let id = escape_attr(&anchor_of(label));
        format!(
            "<sup class=\"footnote-reference\"><a href=\"#fn-{s}-{id}\" id=\"fnref-{s}-{id}\">{n}</a></sup>",
            s = self.scope
        )
    }

    fn footnote_def(&mut self, label: &str) -> String {
        let n = self.footnote_number(label);
        let id = escape_attr(&anchor_of(label));
        format!(
            "<div class=\"footnote-definition\" id=\"fn-{s}-{id}\"><sup class=\"footnote-definition-label\"><a href=\"#fnref-{s}-{id}\">{n}</a></sup>",
            s = self.scope
        )
    }
}

/// Escapes text for an HTML attribute or element.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content.
pub fn escape(text: &str) -> String {
    escape_attr(text)
}

#[cfg(test)]
mod tests;
