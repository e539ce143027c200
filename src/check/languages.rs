//! Checks across the languages of a pack written in several: every module
//! of the main language exists in the others, with as many slides,
//! handouts and quiz questions, so trainers can switch language mid-course.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::model::{Module, Pack};

/// Warns about modules missing in a language, or that differ in shape.
pub fn check_translations(pack: &Pack, diags: &mut Vec<Diagnostic>) {
    let main: BTreeMap<&str, &Module> = by_slug(pack);
    for translation in &pack.translations {
        let language = &translation.config.pack.language;
        let translated = by_slug(translation);
        for module in &pack.modules {
            match translated.get(module.slug.as_str()) {
                Some(other) => compare(module, other, language, diags),
                None => diags.push(
                    Diagnostic::warning(format!(
                        "module `{}` has no {} version: there is no `{}/{}`",
                        module.slug, language, translation.modules_dir, module.slug
                    ))
                    .in_file(&module.path)
                    .hint("translate the module into that language, or the language switcher leads to that language's home page"),
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
