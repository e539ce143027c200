//! The slide deck: each slide of `[[slides]]`, and the slides a notes
//! section covers.

use serde::Serialize;

use super::time::Minutes;

/// A slide of the deck, from `[[slides]]`.
#[derive(Debug, Clone, Serialize)]
pub struct Slide {
    /// Position in the deck, from 1.
    pub number: u32,
    /// `id`: the name notes headings give it (`{slide=key-messages}`),
    /// which survives the slide's moving in the deck.
    pub id: Option<String>,
    /// `title`.
    pub title: String,
    /// `minutes` of presenting.
    pub minutes: Option<Minutes>,
    /// `points`: what the slide shows, each a line of inline Markdown.
    pub points: Vec<String>,
    /// `body`: short Markdown shown under the points (a quote, a small
    /// table), without headings or `:::` blocks; empty when not given.
    pub body: String,
    /// `video`: a URL shown as a link.
    pub video: Option<String>,
    /// `image` and `alt`: a picture from the module's folder.
    pub image: Option<SlideImage>,
    /// Line of the `[[slides]]` header in the module file.
    pub line: usize,
}

/// A slide's picture.
#[derive(Debug, Clone, Serialize)]
pub struct SlideImage {
    /// `image`: the path as written, from the module's folder
    /// (`media/referral.png`).
    pub src: String,
    /// The path from the pack root, once the module's file was found.
    pub path: String,
    /// `alt`: what the picture shows, for those who cannot see it.
    pub alt: String,
}

/// Slides covered by one notes section: `{slide=N}` or `{slide=N-M}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlideRange {
    /// First slide, from 1.
    pub first: u32,
    /// Last slide, equal to `first` for one slide.
    pub last: u32,
}

impl SlideRange {
    /// The slide numbers covered, in order.
    pub fn numbers(self) -> std::ops::RangeInclusive<u32> {
        self.first..=self.last
    }
}
