//! Words the theme prints, per language: the theme's `i18n/LANG.toml` files,
//! layered key by key so a pack can override one word or add a language.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::{Diagnostic, SourceFile, Sources};
use crate::load::theme::{Theme, default_text};
use crate::model::time::Minutes;
use crate::model::{Module, Pack};

/// The words of one language, with English behind every missing key.
#[derive(Debug, Clone, Serialize)]
pub struct Words {
    /// The BCP 47 tag these words are for.
    pub language: String,
    /// `ltr` or `rtl`.
    pub dir: String,
    /// Every key, for templates (`t.possible_answers`).
    pub map: BTreeMap<String, String>,
}

impl Words {
    /// Loads the words for `language`: English first, then the language's
    /// primary subtag ("pt"), then the full tag ("pt-BR"), each from the
    /// default theme and then from the pack's theme.
    pub fn load(theme: &Theme, language: &str, diags: &mut Vec<Diagnostic>) -> Words {
        let mut map = BTreeMap::new();
        let primary = language.split('-').next().unwrap_or(language);
        let mut layers = vec!["en".to_string()];
        for tag in [primary, language] {
            if !layers.iter().any(|l| l.eq_ignore_ascii_case(tag)) {
                layers.push(tag.to_string());
            }
        }
        for tag in &layers {
            let path = format!("i18n/{tag}.toml");
            if let Some(text) = default_text(&path) {
                merge(&mut map, &path, &text, diags);
            }
            if let Some(text) = theme.override_text(&path) {
                merge(&mut map, &theme.shown_path(&path), text, diags);
            }
        }
        let dir = map.get("dir").cloned().unwrap_or_else(|| "ltr".into());
        Words {
            language: language.to_string(),
            dir: if dir == "rtl" { dir } else { "ltr".into() },
            map,
        }
    }

    /// English words from the default theme alone.
    pub fn english() -> Words {
        Words::load(&Theme::default_only(), "en", &mut Vec::new())
    }

    /// The word for `key`, or the key itself when no layer has it.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// The word for `key` with `{name}` placeholders filled in.
    /// One pass, and a value is never filled in again: every duration on
    /// every page comes through here (replacing name by name, with a
    /// `format!` for each, was 2 % of a site build).
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut rest = self.get(key);
        let mut text = String::with_capacity(rest.len() + 16);
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name = after.find('}').map(|close| &after[..close]);
            match name.and_then(|name| values.iter().find(|(n, _)| *n == name)) {
                Some((name, value)) => {
                    text.push_str(value);
                    rest = &after[name.len() + 1..];
                }
                None => {
                    text.push('{');
                    rest = after;
                }
            }
        }
        text.push_str(rest);
        text
    }

    /// A duration in this language: "2h", "1h 30min", "25 min".
    pub fn duration(&self, minutes: Minutes) -> String {
        match (minutes.0 / 60, minutes.0 % 60) {
            (0, m) => self.fill("minutes_short", &[("minutes", &m.to_string())]),
            (h, 0) => self.fill("hours_short", &[("hours", &h.to_string())]),
            (h, m) => self.fill(
                "hours_minutes_short",
                &[("hours", &h.to_string()), ("minutes", &format!("{m:02}"))],
            ),
        }
    }

    /// Elapsed time on a run sheet: "0h 25m" in English.
    pub fn elapsed(&self, minutes: Minutes) -> String {
        self.fill(
            "elapsed",
            &[
                ("hours", &(minutes.0 / 60).to_string()),
                ("minutes", &format!("{:02}", minutes.0 % 60)),
            ],
        )
    }

    /// "Module 4: Coordination", or the title alone without a number.
    pub fn module_label(&self, number: Option<u32>, title: &str) -> String {
        match number {
            Some(n) => self.fill(
                "module_label",
                &[("number", &n.to_string()), ("title", title)],
            ),
            None => title.to_string(),
        }
    }
}

/// Adds the theme's own translation files to `sources`, so an error in
/// one shows its line.
pub fn add_sources(theme: &Theme, sources: &mut Sources) {
    for path in theme.paths_under("i18n/") {
        if let Some(text) = theme.override_text(&path) {
            sources.add(&SourceFile::new(theme.shown_path(&path), text));
        }
    }
}

fn merge(map: &mut BTreeMap<String, String>, path: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    match toml::from_str::<BTreeMap<String, String>>(text) {
        Ok(words) => map.extend(words),
        Err(e) => {
            let file = SourceFile::new(path, text);
            let d = Diagnostic::error(format!("cannot read the translation file: {}", e.message()))
                .hint("each line of a translation file is `key = \"text\"`");
            diags.push(match e.span() {
                Some(span) => d.at(&file, span),
                None => d.in_file(path),
            });
        }
    }
}

/// The words of every language a pack's pages are in: the pack's and
/// each module's own.
pub fn pack_words(
    theme: &Theme,
    pack: &Pack,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Words> {
    let mut words = BTreeMap::new();
    let languages = std::iter::once(pack.config.pack.language.clone())
        .chain(pack.modules.iter().filter_map(|m| m.language.clone()));
    for language in languages {
        if let std::collections::btree_map::Entry::Vacant(slot) = words.entry(language) {
            let loaded = Words::load(theme, slot.key(), diags);
            slot.insert(loaded);
        }
    }
    words
}

/// The words of `module`'s language, else of the pack's, from the words
/// loaded for a pack. A language whose words were not loaded falls back
/// to the pack's, then to any: words are never missing from a page.
pub fn words_for<'w>(
    words: &'w BTreeMap<String, Words>,
    pack: &Pack,
    module: Option<&Module>,
) -> &'w Words {
    let own = module.and_then(|m| m.language.as_ref());
    own.and_then(|language| words.get(language))
        .or_else(|| words.get(&pack.config.pack.language))
        .or_else(|| words.values().next())
        .expect("a renderer loads the words of the pack's language")
}

/// A language's own name in its own words ("Français"), from the theme.
pub fn language_name(theme: &Theme, language: &str) -> String {
    Words::load(theme, language, &mut Vec::new())
        .get("language_name")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_has_every_word_the_code_uses() {
        let words = Words::english();
        for key in [
            "possible_answers",
            "trainers_tip",
            "activity",
            "module_label",
            "page_of",
        ] {
            assert_ne!(words.get(key), key, "missing {key}");
        }
        assert_eq!(words.dir, "ltr");
    }

    #[test]
    fn durations_and_labels() {
        let words = Words::english();
        assert_eq!(words.duration(Minutes(120)), "2h");
        assert_eq!(words.duration(Minutes(95)), "1h 35min");
        assert_eq!(words.duration(Minutes(25)), "25 min");
        assert_eq!(
            words.module_label(Some(4), "Coordination"),
            "Module 4: Coordination"
        );
    }

    // why: translators write the placeholders; a word may hold several,
    // the same twice, an unknown one or a lone brace, and a filled-in value
    // is text, never a placeholder.
    #[test]
    fn fill_replaces_known_placeholders_once() {
        let mut words = Words::english();
        words.map.insert(
            "t".to_string(),
            "{a} and {b}, {a} again; {unknown} {a".to_string(),
        );
        let filled = words.fill("t", &[("a", "1"), ("b", "{a}")]);
        assert_eq!(filled, "1 and {a}, 1 again; {unknown} {a");
        assert_eq!(words.fill("no-such-key", &[("a", "1")]), "no-such-key");
    }

    #[test]
    fn unknown_language_falls_back_to_english() {
        let words = Words::load(&Theme::default_only(), "xx", &mut Vec::new());
        assert_eq!(words.get("schedule"), "Schedule");
    }
}
