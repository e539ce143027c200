//! Checks across the languages of a pack written in several: every module
//! of the main language exists in the others, with as many slides,
//! handouts and quiz questions, so trainers can switch language mid-course.

use std::collections::BTreeMap;

use crate::check::fingerprint::{changed, fingerprint};
use crate::diag::{Diagnostic, Sources, nearest};
use crate::model::config::CONFIG_FILE;
use crate::model::{Module, Pack};

/// Warns about modules missing in a language, or that differ in shape.
pub fn check_translations(pack: &Pack, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let main: BTreeMap<&str, &Module> = by_slug(pack);
    for translation in &pack.translations {
        let language = &translation.config.pack.language;
        let translated = by_slug(translation);
        let pending = pack
            .config
            .translations
            .get(language)
            .map_or(&[][..], |t| &t.pending[..]);
        check_pending(pending, language, (&main, &translated), sources, diags);
        for module in &pack.modules {
            match translated.get(module.slug.as_str()) {
                Some(other) => {
                    compare(module, other, language, diags);
                    check_fingerprint(module, other, language, sources, diags);
                }
                None if pending.contains(&module.slug) => {}
                None => diags.push(
                    Diagnostic::warning(format!(
                        "module `{}` has no {} version: there is no `{}/{}`",
                        module.slug, language, translation.modules_dir, module.slug
                    ))
                    .in_file(&module.path)
                    .hint(format!("translate the module into that language, or list it in `[languages.{language}] pending` in `book.toml` to show the original there until it is")),
                ),
            }
        }
        for other in &translation.modules {
            if !main.contains_key(other.slug.as_str()) {
                diags.push(
                    Diagnostic::warning(format!(
                        "module `{}` exists only in {}: there is no `{}/{}`",
                        other.slug, language, pack.modules_dir, other.slug
                    ))
                    .in_file(&other.path)
                    .hint("give it the same folder or file name as the module it translates"),
                );
            }
        }
    }
}

/// A language's modules by slug: a large pack has too many to search.
fn by_slug(pack: &Pack) -> BTreeMap<&str, &Module> {
    pack.modules
        .iter()
        .map(|m| (m.slug.as_str(), &**m))
        .collect()
}

fn compare(module: &Module, other: &Module, language: &str, diags: &mut Vec<Diagnostic>) {
    let quiz = |m: &Module| m.quiz().map_or(0, |q| q.questions.len());
    let counts = [
        ("slides", module.slides.len(), other.slides.len()),
        ("handouts", module.handouts.len(), other.handouts.len()),
        ("quiz questions", quiz(module), quiz(other)),
    ];
    for (what, main, translated) in counts {
        if main != translated {
            diags.push(
                Diagnostic::warning(format!(
                    "the {language} version of `{}` has {translated} {what} but the original has {main}",
                    module.slug
                ))
                .in_file(&other.path)
                .hint("a translation has the same slides, handouts and quiz as its original, so trainers can switch language"),
            );
        }
    }
}

/// Warns about a `pending` entry that names no module, or one that is
/// translated already (the translation is shown, so the entry is stale).
fn check_pending(
    pending: &[String],
    language: &str,
    (main, translated): (&BTreeMap<&str, &Module>, &BTreeMap<&str, &Module>),
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
    let config = sources.file(CONFIG_FILE);
    for slug in pending {
        let d = if let Some(other) = translated.get(slug.as_str()) {
            Diagnostic::warning(format!(
                "module `{slug}` is listed as pending in `[languages.{language}]`, but `{}` translates it",
                other.path
            ))
            .hint("take it out of `pending`: the translation is shown")
        } else if main.contains_key(slug.as_str()) {
            continue;
        } else {
            let hint = match nearest(slug, main.keys().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "list the folder or file names of the original modules".to_string(),
            };
            Diagnostic::warning(format!(
                "`[languages.{language}] pending` names module `{slug}`, which the pack does not have"
            ))
            .hint(hint)
        };
        // The slug's own place in the list; `book.toml` when it is not found.
        let quoted = format!("\"{slug}\"");
        let at = config
            .as_ref()
            .and_then(|f| f.text.find(&quoted).map(|i| (f, i)));
        diags.push(match at {
            Some((file, i)) => d.at(file, i..i + quoted.len()),
            None => d.in_file(CONFIG_FILE),
        });
    }
}

/// Warns when the original changed since the translation was last marked
/// up to date: its recorded fingerprint differs from the original's.
fn check_fingerprint(
    module: &Module,
    other: &Module,
    language: &str,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(recorded) = &other.translation_of else {
        return;
    };
    let changed = changed(recorded, &fingerprint(module));
    if changed.is_empty() {
        return;
    }
    let d = Diagnostic::warning(format!(
        "`{}` was translated from an older `{}`: its {} changed since",
        other.path,
        module.path,
        changed.join(", ")
    ))
    .hint(format!(
        "bring the translation up to date, then record it with `trainpack translations --mark {language}/{}`",
        module.slug
    ));
    diags.push(match sources.file(&other.path) {
        Some(file) => d.at_line(&file, file.key_line("translation_of")),
        None => d.in_file(&other.path),
    });
}
