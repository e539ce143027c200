//! HTML for the `:::` blocks, for each audience. Trainer-only blocks
//! (answers, notes, activities) are never written for participants; this is
//! the one place that decides it.

use std::fmt::Write;

use crate::model::{Activity, Answers, Block, Module, Questions, Quiz, Steps};
use crate::render::Audience;
use crate::render::i18n::Words;
use crate::render::markdown::{
    BlockRenderer, Page, escape, escape_attr, render_body, render_inline,
};
use crate::render::urls;

/// Renders blocks for one audience on one page.
pub struct HtmlBlocks<'a> {
    /// Who reads the page.
    pub audience: Audience,
    /// The page's words.
    pub words: &'a Words,
    /// The module the page belongs to (for inline handout links).
    pub module: &'a Module,
    /// The page's URL, relative to the site root.
    pub page_url: &'a str,
}

impl BlockRenderer for HtmlBlocks<'_> {
    fn render_block(&self, block: &Block, page: &Page<'_>, out: &mut String) {
        let participant = self.audience == Audience::Participant;
        match block {
            Block::Activity(a) if !participant => self.activity(a, page, out),
            Block::Steps(s) if !participant => self.steps(s, page, out),
            Block::Answers(a) if !participant => self.answers(a, page, out),
            Block::Note(n) if !participant => {
                out.push_str("<aside class=\"tp-note\">\n<p class=\"tp-note-label\">");
                out.push_str(&escape(self.words.get("trainers_tip")));
                out.push_str("</p>\n");
                render_body(&n.body, page, self, out);
                out.push_str("</aside>\n");
            }
            Block::Questions(q) => self.questions(q, page, out),
            Block::Quiz(q) => self.quiz(q, page, out),
            Block::Handout(h) if !participant => self.handout_ref(&h.id, out),
            Block::Role(r) if !participant => {
                // Shown to trainers as a card; participants get it printed.
                out.push_str("<aside class=\"tp-note tp-role\">\n<p class=\"tp-note-label\">");
                out.push_str(&escape(
                    &self.words.fill("role_card", &[("title", &r.title)]),
                ));
                out.push_str("</p>\n");
                render_body(&r.body, page, self, out);
                out.push_str("</aside>\n");
            }
            _ => {}
        }
    }
}

impl HtmlBlocks<'_> {
    fn minutes(&self, minutes: crate::model::time::Minutes) -> String {
        format!(
            "<span class=\"tp-minutes\">{}</span>",
            escape(&self.words.duration(minutes))
        )
    }

    fn activity(&self, a: &Activity, page: &Page<'_>, out: &mut String) {
        let id = page.unique_id(&a.anchor);
        let _ = write!(
            out,
            "<section class=\"tp-activity\" id=\"{id}\" aria-labelledby=\"{id}-title\">\n<header class=\"tp-activity-head\"><h3 id=\"{id}-title\"><span class=\"tp-activity-label\">{label}</span> {title}</h3>{minutes}</header>\n",
            id = escape_attr(&id),
            label = escape(self.words.get("activity")),
            title = escape(&a.title),
            minutes = self.minutes(a.minutes),
        );
        render_body(&a.body, page, self, out);
        out.push_str("</section>\n");
    }

    fn steps(&self, steps: &Steps, page: &Page<'_>, out: &mut String) {
        let _ = writeln!(
            out,
            "<ol class=\"tp-steps\" aria-label=\"{}\">",
            escape_attr(self.words.get("steps"))
        );
        for step in &steps.items {
            let _ = writeln!(
                out,
                "<li>{} {}</li>",
                self.minutes(step.minutes),
                render_inline(&step.text, page)
            );
        }
        out.push_str("</ol>\n");
    }

    fn answers(&self, a: &Answers, page: &Page<'_>, out: &mut String) {
        let open = if self.audience == Audience::Key {
            " open"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<details class=\"tp-answers\"{open}>\n<summary>{}</summary>\n<div class=\"tp-answers-body\">\n",
            escape(self.words.get("possible_answers"))
        );
        render_body(&a.body, page, self, out);
        out.push_str("</div>\n</details>\n");
    }

    fn questions(&self, q: &Questions, page: &Page<'_>, out: &mut String) {
        out.push_str("<ol class=\"tp-questions\">\n");
        for question in &q.items {
            out.push_str("<li>");
            crate::render::markdown::render_markdown(&question.text, page, out);
            if self.audience == Audience::Participant {
                let _ = write!(
                    out,
                    "<div class=\"tp-lines\" role=\"presentation\" title=\"{}\"></div>",
                    escape_attr(self.words.get("answer_lines"))
                );
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }

    fn quiz(&self, quiz: &Quiz, page: &Page<'_>, out: &mut String) {
        let _ = write!(
            out,
            "<section class=\"tp-quiz\">\n<h3 class=\"tp-quiz-title\">{}</h3>\n<ol class=\"tp-quiz-questions\">\n",
            escape(&quiz.title)
        );
        for question in &quiz.questions {
            out.push_str("<li>\n<div class=\"tp-question\">");
            render_body(&question.text, page, self, out);
            out.push_str("</div>\n");
            if !question.options.is_empty() {
                self.options(question, page, out);
            } else if self.audience == Audience::Participant {
                out.push_str("<div class=\"tp-lines\" role=\"presentation\"></div>\n");
            }
            if let Some(answers) = question
                .answers
                .as_ref()
                .filter(|_| self.audience != Audience::Participant)
            {
                self.answers(answers, page, out);
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
    }

    fn options(&self, question: &crate::model::QuizQuestion, page: &Page<'_>, out: &mut String) {
        out.push_str("<ul class=\"tp-options\">\n");
        for option in &question.options {
            let marked = option.correct && self.audience != Audience::Participant;
            let (class, box_char, note) = if marked {
                (
                    "tp-option tp-correct",
                    "\u{2611}",
                    format!(
                        " <span class=\"tp-sr\">({})</span>",
                        escape(self.words.get("correct"))
                    ),
                )
            } else {
                ("tp-option", "\u{2610}", String::new())
            };
            let _ = writeln!(
                out,
                "<li class=\"{class}\"><span class=\"tp-box\" aria-hidden=\"true\">{box_char}</span> {}{note}</li>",
                render_inline(&option.text, page)
            );
        }
        out.push_str("</ul>\n");
    }

    fn handout_ref(&self, id: &str, out: &mut String) {
        let Some(handout) = self.module.handout(id) else {
            return;
        };
        let html = urls::relative(self.page_url, &urls::handout(&self.module.slug, id, "html"));
        let pdf = urls::relative(self.page_url, &urls::handout(&self.module.slug, id, "pdf"));
        let _ = writeln!(
            out,
            "<p class=\"tp-handout-ref\"><span class=\"tp-handout-label\">{label}:</span> <a href=\"{html}\">{title}</a> · <a href=\"{pdf}\">{pdf_word}</a></p>",
            label = escape(self.words.get("handout")),
            html = escape_attr(&html),
            title = escape(&handout.title),
            pdf = escape_attr(&pdf),
            pdf_word = escape(self.words.get("download_pdf")),
        );
    }
}
