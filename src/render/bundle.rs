//! What `trainpack bundle` says, without touching the disk: the README.txt
//! at the top of the zip, in the pack's language, and the size report a
//! trainer reads to know the bundle fits on a USB stick or a poor
//! connection. The zip itself is written by [`crate::output::bundle`].

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::render::i18n::Words;

/// The name of the README at the top of the zip.
pub const README: &str = "README.txt";

/// How many of the largest files the report names.
pub const LARGEST: usize = 10;

/// The README.txt of a bundle of the pack titled `title`, in `words`'
/// language: how to open it, what it holds. Lines end in CRLF, which
/// Windows' Notepad (where most trainers will open it) and every other
/// editor show as line breaks; it starts with a byte-order mark so that
/// Notepad reads its accents and Arabic as UTF-8.
pub fn readme(words: &Words, title: &str) -> String {
    let heading = words.fill("bundle_title", &[("title", title)]);
    let rule = |text: &str| "=".repeat(text.chars().count().min(72));
    let mut lines = vec![heading.clone(), rule(&heading), String::new()];
    lines.push(words.get("bundle_open").to_string());
    for (n, key) in [
        "bundle_step_unzip",
        "bundle_step_index",
        "bundle_step_together",
    ]
    .iter()
    .enumerate()
    {
        lines.push(format!("{}. {}", n + 1, words.get(key)));
    }
    lines.push(String::new());
    lines.push(words.get("bundle_holds").to_string());
    for key in ["bundle_holds_site", "bundle_holds_pdfs"] {
        lines.push(format!("- {}", words.get(key)));
    }
    lines.push(String::new());
    lines.push(words.get("bundle_trainer_only").to_string());
    let mut text = String::from("\u{feff}");
    for line in lines {
        text.push_str(&line);
        text.push_str("\r\n");
    }
    text
}

/// One file of the bundle: its path in the zip (`/`-separated) and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The path inside the zip, such as `modules/04-coordination/slides.pdf`.
    pub path: String,
    /// Its size unpacked, in bytes.
    pub bytes: u64,
}

/// The sizes a trainer checks before copying or sending a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeReport {
    /// Files in the zip, README.txt included.
    pub files: usize,
    /// Their size unpacked.
    pub unpacked: u64,
    /// The zip's size.
    pub zipped: u64,
    /// Per module folder (`modules/<slug>`, `fr/modules/<slug>`), in the
    /// site's order of paths, then everything else under [`OTHER`].
    pub groups: Vec<(String, u64)>,
    /// The largest files, largest first (ties by path).
    pub largest: Vec<Entry>,
}

/// The group of the files outside every module's folder.
pub const OTHER: &str = "other pages and files";

impl SizeReport {
    /// The report for `entries` zipped into `zipped` bytes.
    pub fn new(entries: &[Entry], zipped: u64) -> SizeReport {
        let mut groups: BTreeMap<String, u64> = BTreeMap::new();
        let mut other = 0;
        for entry in entries {
            match module_folder(&entry.path) {
                Some(folder) => *groups.entry(folder.to_string()).or_default() += entry.bytes,
                None => other += entry.bytes,
            }
        }
        let mut groups: Vec<(String, u64)> = groups.into_iter().collect();
        if other > 0 {
            groups.push((OTHER.to_string(), other));
        }
        let mut largest = entries.to_vec();
        largest.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
        largest.truncate(LARGEST);
        SizeReport {
            files: entries.len(),
            unpacked: entries.iter().map(|e| e.bytes).sum(),
            zipped,
            groups,
            largest,
        }
    }

    /// The report as printed: totals, per module, the largest files.
    pub fn text(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "bundle: {} files, {} unpacked, {} zipped",
            self.files,
            size(self.unpacked),
            size(self.zipped)
        );
        let width = self.groups.iter().map(|(g, _)| g.len()).max().unwrap_or(0);
        if !self.groups.is_empty() {
            text.push_str("per module (unpacked):\n");
        }
        for (group, bytes) in &self.groups {
            let _ = writeln!(text, "  {group:<width$}  {:>8}", size(*bytes));
        }
        if !self.largest.is_empty() {
            text.push_str("largest files:\n");
        }
        for entry in &self.largest {
            let _ = writeln!(text, "  {:>8}  {}", size(entry.bytes), entry.path);
        }
        text
    }
}

/// `modules/<slug>` or `<language>/modules/<slug>` for a file inside a
/// module's folder of the site.
fn module_folder(path: &str) -> Option<&str> {
    let mut ends = path.match_indices('/').map(|(i, _)| i);
    let (first, second) = (ends.next()?, ends.next()?);
    if path.starts_with("modules/") {
        return Some(&path[..second]);
    }
    let third = ends.next()?;
    (path[first + 1..second] == *"modules").then(|| &path[..third])
}

/// A size in decimal units, as USB sticks are sold: "812 B", "4.1 kB",
/// "23.4 MB", "1.20 GB".
pub fn size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.2} GB", b / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::theme::Theme;

    fn entry(path: &str, bytes: u64) -> Entry {
        Entry {
            path: path.to_string(),
            bytes,
        }
    }

    #[test]
    fn readme_says_how_to_open_the_bundle_in_the_packs_language() {
        let english = readme(&Words::english(), "Child protection");
        assert!(english.starts_with(
            "\u{feff}Child protection: the training pack, for use without internet\r\n====="
        ));
        assert!(english.contains("\r\n2. In the folder this gives, open index.html"));
        assert!(english.contains("\r\n- The PDFs for printing"));
        assert!(english.ends_with("not the bundle.\r\n"));
        assert!(!english.contains("bundle_"), "{english}");
        for language in ["fr", "es", "ar"] {
            let words = Words::load(&Theme::default_only(), language, &mut Vec::new());
            let text = readme(&words, "Pack");
            assert!(!text.contains("bundle_"), "{language}: a key is missing");
            assert!(text.contains("index.html"), "{language}: {text}");
            assert_ne!(text, readme(&Words::english(), "Pack"), "{language}");
        }
        let french = Words::load(&Theme::default_only(), "fr", &mut Vec::new());
        assert!(readme(&french, "Pack").contains("Comment l'ouvrir"));
    }

    #[test]
    fn sizes_are_grouped_per_module_folder_and_language() {
        let entries = [
            entry("README.txt", 900),
            entry("index.html", 2_000),
            entry("modules/01-intro/index.html", 3_000),
            entry("modules/01-intro/slides.pdf", 50_000),
            entry("modules/02-roles/index.html", 1_000),
            entry("fr/modules/01-intro/index.html", 3_500),
            entry("fr/index.html", 2_100),
            entry("static/trainpack.css", 20_000),
            entry("modules/index.html", 700),
        ];
        let report = SizeReport::new(&entries, 40_000);
        assert_eq!(report.files, 9);
        assert_eq!(report.unpacked, 83_200);
        assert_eq!(
            report.groups,
            [
                ("fr/modules/01-intro".to_string(), 3_500),
                ("modules/01-intro".to_string(), 53_000),
                ("modules/02-roles".to_string(), 1_000),
                (OTHER.to_string(), 25_700),
            ]
        );
        assert_eq!(
            report.largest[0],
            entry("modules/01-intro/slides.pdf", 50_000)
        );
        assert_eq!(report.largest.len(), 9);
        let text = report.text();
        assert!(
            text.starts_with("bundle: 9 files, 83.2 kB unpacked, 40.0 kB zipped\nper module (unpacked):\n  fr/modules/01-intro    "),
            "{text}"
        );
        assert!(
            text.contains("largest files:\n   50.0 kB  modules/01-intro/slides.pdf\n"),
            "{text}"
        );
    }

    #[test]
    fn only_the_ten_largest_files_are_named() {
        let entries: Vec<Entry> = (0..25).map(|i| entry(&format!("f{i:02}"), i)).collect();
        let report = SizeReport::new(&entries, 1);
        let named: Vec<&str> = report.largest.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(named.len(), LARGEST);
        assert_eq!(named[0], "f24");
        assert_eq!(named[9], "f15");
        assert_eq!(report.groups, [(OTHER.to_string(), 300)]);
    }

    #[test]
    fn sizes_are_in_decimal_units() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(4_100), "4.1 kB");
        assert_eq!(size(23_400_000), "23.4 MB");
        assert_eq!(size(1_200_000_000), "1.20 GB");
    }
}
