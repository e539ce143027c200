//! Modules a language lists as `pending` (`[languages.fr] pending = [...]`):
//! until they are translated, that language's site shows the original, its
//! pages saying so in that language.

use std::sync::Arc;

use crate::model::Pack;

/// Puts the original of each pending module that has no translation in
/// its translation's place, in the original's order, marked untranslated.
pub fn fill(pack: &mut Pack) {
    let originals = pack.modules.clone();
    for translation in &mut pack.translations {
        let language = translation.config.pack.language.clone();
        let Some(pending) = pack.config.translations.get(&language).map(|t| &t.pending) else {
            continue;
        };
        let before = translation.modules.len();
        for original in originals.iter().filter(|m| pending.contains(&m.slug)) {
            if translation.modules.iter().any(|m| m.slug == original.slug) {
                continue;
            }
            let mut shown = (**original).clone();
            shown.untranslated = true;
            // The theme's words, and so the notice, in the site's language.
            shown.language = Some(language.clone());
            translation.modules.push(Arc::new(shown));
        }
        if translation.modules.len() == before {
            continue;
        }
        let position = |slug: &str| originals.iter().position(|m| m.slug == slug);
        // Stable: modules found only in the translation keep their order, last.
        translation
            .modules
            .sort_by_key(|m| position(&m.slug).unwrap_or(usize::MAX));
    }
}
