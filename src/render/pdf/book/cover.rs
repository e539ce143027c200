//! The course book's first pages (title, contents, course schedule) and
//! its page numbers, as documents for the templates.

use serde::Serialize;

use super::PartPlan;
use crate::render::i18n::words_for;
use crate::render::pdf::documents::{Documents, Folio, Job, Rows, SheetDay};
use crate::render::urls;

/// The course book's first pages, as `data.book`.
#[derive(Debug, Clone, Serialize)]
pub struct BookCover {
    /// "Course book".
    pub subtitle: String,
    /// The contents: modules and handouts.
    pub contents: Vec<ContentsLine>,
    /// The course schedule, day by day.
    pub days: Vec<SheetDay>,
    /// The course's teaching time, in words.
    pub total: String,
}

/// A line of the contents.
#[derive(Debug, Clone, Serialize)]
pub struct ContentsLine {
    /// "Module 3: …", or a handout's title.
    pub label: String,
    /// 1 for modules and the appendix, 2 for handouts.
    pub level: u8,
    /// Its first page, counted from the first page after the cover.
    pub offset: usize,
    /// A handout's first page within the appendix (printed "A-3").
    pub appendix_page: Option<usize>,
}

/// The contents of a book laid out as `plan`.
pub(super) fn plan_lines(documents: &Documents<'_>, plan: &[PartPlan<'_>]) -> Vec<ContentsLine> {
    let words = words_for(documents.words, documents.pack, None);
    let mut lines = Vec::new();
    let mut offset = 0;
    let mut appendix = None;
    for (i, part) in plan.iter().enumerate() {
        match part.handout {
            None => lines.push(ContentsLine {
                label: documents.label(part.module),
                level: 1,
                offset,
                appendix_page: None,
            }),
            Some(h) => {
                if i == 0 || plan[i - 1].handout.is_none() {
                    lines.push(ContentsLine {
                        label: words.get("appendix_handouts").to_string(),
                        level: 1,
                        offset,
                        appendix_page: None,
                    });
                }
                let first = *appendix.get_or_insert(offset);
                lines.push(ContentsLine {
                    label: h.title.clone(),
                    level: 2,
                    offset,
                    appendix_page: Some(offset - first + 1),
                });
            }
        }
        offset += part.pages;
    }
    lines
}

impl Documents<'_> {
    /// The course book's cover: its title page, the contents (`lines`)
    /// and the course schedule.
    pub fn book_cover(&self, lines: Vec<ContentsLine>) -> Job {
        let words = words_for(self.words, self.pack, None);
        let schedule = crate::load::schedule::course_schedule(
            self.pack.modules.iter().map(|m| m.as_ref()),
            self.pack.config.schedule.as_ref(),
        );
        let mut data = self.document(None, "course-book", self.pack.config.pack.title.clone());
        data.book = Some(BookCover {
            subtitle: words.get("course_book").to_string(),
            contents: lines,
            days: self.sheet_days(&schedule, &|_| true, Rows::ModulesAndBreaks),
            total: words.duration(schedule.total),
        });
        data.folio = Some(Folio::Stamped);
        Job {
            path: format!("{}#cover", urls::COURSE_BOOK_PDF),
            template: "pdf/course-book.typ",
            data,
            videos: Vec::new(),
            source: crate::model::config::CONFIG_FILE.to_string(),
            drawn: None,
        }
    }

    /// The page numbers of `count` pages of the course book from page
    /// `first`, of `total`, alone on their pages (see
    /// [`crate::render::pdf::merge::merge_stamped`]); the appendix starts
    /// at page `appendix`.
    pub fn page_numbers(
        &self,
        first: usize,
        count: usize,
        total: usize,
        appendix: Option<usize>,
    ) -> Job {
        let title = self.pack.config.pack.title.clone();
        let mut data = self.document(None, "page-numbers", title);
        data.folio = Some(Folio::Stamp {
            first,
            count,
            total,
            appendix,
        });
        Job {
            path: format!("{}#pages-{first}", urls::COURSE_BOOK_PDF),
            template: "pdf/page-numbers.typ",
            data,
            videos: Vec::new(),
            source: crate::model::config::CONFIG_FILE.to_string(),
            drawn: None,
        }
    }
}
