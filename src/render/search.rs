//! The search index: one document per trainer's guide and per handout,
//! written as a script (`search-index.js`) so search works from `file://`,
//! where pages cannot fetch files.

use rustc_hash::FxHashSet;
use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// One searchable page. Field names are short because the index of a large
/// pack is downloaded whole.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SearchDoc {
    /// Title.
    pub t: String,
    /// URL, relative to the site root.
    pub u: String,
    /// The module's label.
    pub m: String,
    /// A short excerpt shown under the result.
    pub x: String,
    /// The page's distinct words, folded (see [`fold`]), space-separated.
    pub w: String,
}

/// Longest excerpt, in characters.
const EXCERPT_CHARS: usize = 160;

impl SearchDoc {
    /// A document from a page's plain text. The excerpt is the summary when
    /// there is one, else the start of the text.
    pub fn new(
        title: &str,
        url: &str,
        module: &str,
        summary: Option<&str>,
        text: &str,
    ) -> SearchDoc {
        // A page has thousands of words but only hundreds of distinct ones:
        // dedupe before sorting, and fold only words that need it; a
        // capitalised word is lowered in a buffer and kept only when new.
        let mut distinct: FxHashSet<Cow<'_, str>> =
            FxHashSet::with_capacity_and_hasher(room_for_words(text), Default::default());
        let mut lowered = String::new();
        for word in split_words(title).chain(split_words(text)) {
            if is_folded(word) {
                distinct.insert(Cow::Borrowed(word));
            } else if word.is_ascii() {
                lowered.clear();
                lowered.push_str(word);
                lowered.make_ascii_lowercase();
                if !distinct.contains(lowered.as_str()) {
                    distinct.insert(Cow::Owned(lowered.clone()));
                }
            } else {
                distinct.insert(Cow::Owned(fold(word)));
            }
        }
        let mut words: Vec<Cow<'_, str>> = distinct.into_iter().collect();
        words.sort_unstable();
        SearchDoc {
            t: title.to_string(),
            u: url.to_string(),
            m: module.to_string(),
            x: excerpt(summary.unwrap_or(text)),
            w: words.join(" "),
        }
    }
}

/// Lower case without accents, so "Côte" is found by "cote": canonical
/// decomposition, then combining marks dropped.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of a text: runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    split_words(text).map(|w| fold_word(w).into_owned())
}

fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Room for the distinct words of a page's text, so that the set is not
/// grown and rehashed several times per page: the sample's guide has 930
/// in 34 kB of text; a handout, about 100 in 1 kB.
fn room_for_words(text: &str) -> usize {
    (text.len() / 32).clamp(64, 2048)
}

/// True when `word` is its own [`fold`]: lower-case ASCII letters and digits.
fn is_folded(word: &str) -> bool {
    word.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// [`fold`] for one word, without allocating when it is already folded.
fn fold_word(word: &str) -> Cow<'_, str> {
    if is_folded(word) {
        Cow::Borrowed(word)
    } else if word.is_ascii() {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Owned(fold(word))
    }
}

fn excerpt(text: &str) -> String {
    // Only the start of the text is read: a page's text is kilobytes long.
    let mut clean = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if !clean.is_empty() {
            clean.push(' ');
            chars += 1;
        }
        clean.push_str(word);
        chars += word.chars().count();
        if chars > EXCERPT_CHARS {
            break;
        }
    }
    if chars <= EXCERPT_CHARS {
        return clean;
    }
    let cut: String = clean.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// The index as a script that sets `window.TRAINPACK_SEARCH`.
/// `docs` are [`SearchDoc`]s or references to them; they are dropped once
/// written, as the index of a large pack is many megabytes.
pub fn index_script<D: Serialize>(docs: Vec<D>) -> String {
    #[derive(Serialize)]
    struct Index<D> {
        docs: Vec<D>,
    }
    let mut script = b"window.TRAINPACK_SEARCH = ".to_vec();
    let mut json = serde_json::Serializer::with_formatter(&mut script, ScriptSafe);
    if (Index { docs }).serialize(&mut json).is_err() {
        return "window.TRAINPACK_SEARCH = {\"docs\":[]};\n".into();
    }
    script.extend_from_slice(b";\n");
    String::from_utf8(script).unwrap_or_default()
}

/// JSON in which `<` never appears raw, so no text can close the script
/// element: written as `\u003c` inside strings, the only place it can be.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut pieces = fragment.split('<');
        if let Some(first) = pieces.next() {
            writer.write_all(first.as_bytes())?;
        }
        for piece in pieces {
            writer.write_all(b"\\u003c")?;
            writer.write_all(piece.as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Côte d'Ivoire"), "cote d'ivoire");
        assert_eq!(fold("ÉLÈVE"), "eleve");
        assert_eq!(fold("الطفل"), "الطفل");
    }

    #[test]
    fn documents_hold_distinct_sorted_words() {
        let doc = SearchDoc::new(
            "Case Study",
            "u.html",
            "Module 4",
            None,
            "A boy, a BOY and a café.",
        );
        assert_eq!(doc.w, "a and boy cafe case study");
        assert_eq!(doc.x, "A boy, a BOY and a café.");
    }

    #[test]
    fn long_excerpts_are_cut_at_a_word() {
        let text = "word ".repeat(100);
        let doc = SearchDoc::new("T", "u", "m", None, &text);
        assert!(doc.x.ends_with("word…"));
        assert!(doc.x.chars().count() <= EXCERPT_CHARS + 1);
    }

    #[test]
    fn excerpts_keep_whole_texts_up_to_the_limit() {
        assert_eq!(excerpt("a  b\n\t c "), "a b c");
        let words = |n: usize| vec!["abcd"; n].join(" ");
        // 32 words are 159 characters: kept whole.
        assert_eq!(excerpt(&words(32)), words(32));
        assert_eq!(excerpt(&words(33)), format!("{}…", words(32)));
        assert_eq!(excerpt(&words(500)), format!("{}…", words(32)));
    }

    #[test]
    fn the_script_cannot_be_closed_by_text() {
        let doc = SearchDoc::new("</script><b>", "u", "m", None, "");
        let script = index_script(vec![&doc]);
        assert!(!script.contains("</script>"));
        assert!(script.starts_with("window.TRAINPACK_SEARCH = {\"docs\":[{"));
        let json = script
            .strip_prefix("window.TRAINPACK_SEARCH = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap();
        let back: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(back["docs"][0]["t"], "</script><b>");
    }
}
