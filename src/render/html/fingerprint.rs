//! Fingerprints of what pages show: a module's (its model, the site around
//! it, the theme, trainpack's version) and a course page's. When a
//! fingerprint is the same as in the previous build, so is the page.

#[allow(clippy::wildcard_imports)]
use super::*;

impl<'a> SiteRenderer<'a> {
    /// The fingerprint of a page in [`PACK_PAGES`]: the site's and that of
    /// what the page shows besides (for the answer key, every module's
    /// part; for the schedule, the course's schedule).
    pub(super) fn page_hash(&self, shown: &str) -> String {
        let site = self.site_digest().to_hex();
        blake3::hash(format!("{site}{shown}").as_bytes())
            .to_hex()
            .to_string()
    }

    /// The fingerprint of everything `module`'s pages show: when it is the
    /// same as in the previous build, so are the pages.
    pub fn module_digest(&self, module: &Module) -> String {
        let compute = || {
            let mut hasher = blake3::Hasher::new();
            hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
            hasher.update(self.site_digest().as_bytes());
            // The model in postcard's compact form, lengths and bytes: its
            // Debug text, hashed before, escaped every character (fields
            // the pages do not show, such as source line numbers, are left
            // out).
            if !hash_postcard(&mut hasher, module) {
                // Not expected (the model has no type postcard cannot
                // write), but the Debug text covers every field too.
                let shown = format!("{module:?}");
                return site_digest(&[shown.as_bytes(), self.site_digest().as_bytes()])
                    .to_hex()
                    .to_string();
            }
            hasher.finalize().to_hex().to_string()
        };
        let index = self.index.get(module.slug.as_str());
        match index.and_then(|&i| self.module_digests.get(i)) {
            Some(memo) => memo.get_or_init(compute).clone(),
            None => compute(),
        }
    }

    /// The fingerprint of what every page shows besides its module.
    pub(super) fn site_digest(&self) -> &blake3::Hash {
        self.digest.get_or_init(|| {
            let site = SiteView::of(self.pack, self.pack_words());
            // Debug output covers every field and is deterministic: the
            // model holds no hash maps.
            let shown = format!(
                "{:?}",
                (
                    &site,
                    &self.cards,
                    &self.words,
                    &self.pack.config,
                    &self.html,
                    &self.pack.prefix,
                    self.theme.get("static/custom.css").is_some(),
                )
            );
            site_digest(&[shown.as_bytes(), &theme_digest(self.theme)])
        })
    }
}

/// The fingerprint of `parts` and of this version of trainpack.
pub(super) fn site_digest(parts: &[&[u8]]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize()
}

/// The fingerprint of the theme's templates and words.
pub(super) fn theme_digest(theme: &Theme) -> Vec<u8> {
    let mut hasher = blake3::Hasher::new();
    for prefix in ["templates/", "i18n/"] {
        for path in theme.paths_under(prefix) {
            let bytes = theme.get(&path).unwrap_or_default();
            hasher.update(path.as_bytes());
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
    }
    hasher.finalize().as_bytes().to_vec()
}
