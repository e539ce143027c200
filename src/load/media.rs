//! A translation may leave out `media/`: each picture of the original's
//! module that the translation has no file of its own for is given to the
//! translation under its own path, read from the original's file. So
//! `![...](media/map.png)` works the same in both, and a translated
//! picture (a map with French labels) is used when there is one.

use crate::model::{Asset, Pack};

/// Adds to `translation` the media of `main`'s modules it lacks.
pub fn borrow(main: &Pack, translation: &mut Pack) {
    let mut borrowed = Vec::new();
    for module in &translation.modules {
        let Some(original) = main.modules.iter().find(|m| m.slug == module.slug) else {
            continue;
        };
        // Only folder modules have a `media/` of their own.
        if !original.path.ends_with("/module.md") || !module.path.ends_with("/module.md") {
            continue;
        }
        let from = format!("{}/media/", original.dir);
        for asset in main.assets.iter().filter(|a| a.path.starts_with(&from)) {
            let path = format!("{}/media/{}", module.dir, &asset.path[from.len()..]);
            if !translation.assets.iter().any(|a| a.path == path) {
                borrowed.push(Asset {
                    path,
                    source: Some(asset.path.clone()),
                });
            }
        }
    }
    translation.assets.extend(borrowed);
}
