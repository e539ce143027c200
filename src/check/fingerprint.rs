//! The fingerprint of a module's structure, recorded in a translation's
//! front matter (`translation_of`) when it is brought up to date: one short
//! hash per part a translator must follow (slides, activities, handouts,
//! answers, quiz), so a change names the parts that changed.

use serde::Serialize;
use serde_json::Value;

use crate::model::{Block, Module, Pack};

/// The parts, in the order they are written.
pub const PARTS: [&str; 5] = ["slides", "activities", "handouts", "answers", "quiz"];

/// `slides=1a2b3c4d activities=... handouts=... answers=... quiz=...`.
pub fn fingerprint(module: &Module) -> String {
    let mut answers = Vec::new();
    let mut activities = Vec::new();
    let mut visit = |block: &Block| match block {
        Block::Answers(a) => answers.push(json(a)),
        Block::Activity(a) => activities.push(json(a)),
        _ => {}
    };
    module.overview.walk(&mut |b, _| visit(b));
    for section in &module.sections {
        section.body.walk(&mut |b, _| visit(b));
    }
    for handout in &module.handouts {
        handout.body.walk(&mut |b, _| visit(b));
    }
    let values = [
        json(&module.slides),
        Value::Array(activities),
        json(&module.handouts),
        Value::Array(answers),
        json(&module.quiz()),
    ];
    PARTS
        .iter()
        .zip(values)
        .map(|(part, value)| format!("{part}={}", short_hash(&value)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The parts that differ between a recorded fingerprint and the current one;
/// a part missing from the recorded one counts as changed.
pub fn changed(recorded: &str, current: &str) -> Vec<&'static str> {
    let part_of = |text: &str, part: &str| {
        text.split_whitespace()
            .find_map(|p| p.strip_prefix(part)?.strip_prefix('=').map(String::from))
    };
    PARTS
        .into_iter()
        .filter(|part| part_of(recorded, part) != part_of(current, part))
        .collect()
}

/// Positions (`line`, `path`) move with every edit above them: leave them
/// out so only what a translator must follow counts.
fn json(value: &impl Serialize) -> Value {
    let mut value = serde_json::to_value(value).unwrap_or(Value::Null);
    strip(&mut value);
    value
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| !matches!(key.as_str(), "line" | "path" | "span"));
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

fn short_hash(value: &Value) -> String {
    let hash = blake3::hash(value.to_string().as_bytes());
    hash.to_hex()[..8].to_string()
}

/// Where a translation stands against its original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Its recorded fingerprint is the original's.
    UpToDate,
    /// These parts of the original changed since it was recorded.
    Changed(Vec<&'static str>),
    /// No `translation_of` yet.
    NotTracked,
    /// Not translated: listed in `pending`, or missing.
    Missing,
}

/// One translation of one module.
#[derive(Debug, Clone)]
pub struct TranslationState {
    /// The translation's language.
    pub language: String,
    /// The module's slug.
    pub slug: String,
    /// The original's file.
    pub original: String,
    /// The translation's file, when there is one.
    pub path: Option<String>,
    /// Where it stands.
    pub state: State,
    /// The original's fingerprint now, to record.
    pub fingerprint: String,
}

/// Every module of the main language in every other language.
pub fn states(pack: &Pack) -> Vec<TranslationState> {
    let mut out = Vec::new();
    for translation in &pack.translations {
        for module in &pack.modules {
            let current = fingerprint(module);
            let other = translation
                .modules
                .iter()
                .find(|m| m.slug == module.slug && !m.untranslated);
            let state = match other.map(|m| &m.translation_of) {
                None => State::Missing,
                Some(None) => State::NotTracked,
                Some(Some(recorded)) => match changed(recorded, &current) {
                    parts if parts.is_empty() => State::UpToDate,
                    parts => State::Changed(parts),
                },
            };
            out.push(TranslationState {
                language: translation.config.pack.language.clone(),
                slug: module.slug.clone(),
                original: module.path.clone(),
                path: other.map(|m| m.path.clone()),
                state,
                fingerprint: current,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // why: only the parts that differ are named.
    #[test]
    fn changed_names_the_parts_that_differ() {
        let old = "slides=aaaa activities=bbbb handouts=cccc answers=dddd quiz=eeee";
        let new = "slides=aaaa activities=bbbb handouts=cccc answers=dddd quiz=ffff";
        assert_eq!(changed(old, new), vec!["quiz"]);
        assert_eq!(changed(old, old), Vec::<&str>::new());
        assert_eq!(changed("slides=aaaa", new).len(), 4);
    }
}
