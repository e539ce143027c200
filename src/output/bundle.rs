//! The zip of `trainpack bundle`: the built site's files, listed from its
//! folder and written into one zip whose bytes depend on nothing but
//! theirs (sorted entries, README.txt first, fixed dates and modes), beside
//! the target and renamed over it, so a failed bundle never leaves a cut
//! zip where the last good one was. The format is written here, on the
//! flate2 that Typst already builds (see the comment in Cargo.toml).

use std::path::Path;

use anyhow::{Context, Result, bail};
use flate2::Crc;
use flate2::write::DeflateEncoder;
use std::io::Write;

use super::{MARKER, create_parent, rename};
use crate::render::bundle::{Entry, README};

/// The files of the site in `dir`, by their `/`-separated paths, sorted
/// byte-wise: every file but hidden ones (the site's marker, a `.part`
/// file a write left behind).
pub fn site_files(dir: &Path) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for item in walk {
        let item = item.with_context(|| format!("cannot read the site in `{}`", dir.display()))?;
        if !item.file_type().is_file() {
            continue;
        }
        let relative = item.path().strip_prefix(dir).unwrap_or(item.path());
        let path: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let bytes = item
            .metadata()
            .with_context(|| format!("cannot read `{}`", item.path().display()))?
            .len();
        entries.push(Entry {
            path: path.join("/"),
            bytes,
        });
    }
    entries.retain(|e| e.path != MARKER && e.path != README);
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// Writes the zip `target`: `readme` as [`README`] first, then `files`
/// (as [`site_files`] lists them) read from `dir`. Gives the zip's size.
pub fn write_zip(target: &Path, readme: &str, dir: &Path, files: &[Entry]) -> Result<u64> {
    create_parent(target)?;
    let name = target
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let aside = target.with_file_name(format!(".{name}.part"));
    let written = zip_into(&aside, readme, dir, files);
    if written.is_err() {
        let _ = std::fs::remove_file(&aside);
    }
    let bytes = written.with_context(|| format!("cannot write `{}`", target.display()))?;
    rename(&aside, target)?;
    Ok(bytes)
}

fn zip_into(path: &Path, readme: &str, dir: &Path, files: &[Entry]) -> Result<u64> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    let mut zip = Zip::new(std::io::BufWriter::new(file));
    zip.add(README, readme.as_bytes())?;
    for entry in files {
        let source = dir.join(&entry.path);
        let bytes = std::fs::read(&source)
            .with_context(|| format!("cannot read `{}`", source.display()))?;
        zip.add(&entry.path, &bytes)?;
    }
    let file = zip.finish()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(file.metadata()?.len())
}

// The zip format (PKWARE's APPNOTE), as much of it as a bundle needs:
// deflated entries with UTF-8 names, each dated 1980-01-01 00:00 (the
// earliest date a zip holds: 0 for the time, day 1 of month 1 of year 0
// for the date) and mode 0644 as made on Unix, without zip64 (a bundle is
// refused past 4 GB or 65,535 files, which no USB stick copy of a pack
// nears) and without extra fields, so the bytes depend on the files alone.

const DOS_DATE: u16 = (1 << 5) | 1;
/// Version 2.0 (deflate), made on Unix (3).
const MADE_BY: u16 = (3 << 8) | 20;
const NEEDED: u16 = 20;
/// Bit 11: the names are UTF-8.
const FLAGS: u16 = 1 << 11;
const DEFLATE: u16 = 8;
/// A regular file, rw-r--r--, in the high half.
const MODE: u32 = 0o100644 << 16;

/// One entry's line in the central directory.
struct Written {
    name: String,
    crc: u32,
    packed: u32,
    size: u32,
    offset: u32,
}

/// A zip being written: local entries one after the other, then the
/// central directory.
struct Zip<W: Write> {
    out: W,
    at: u64,
    entries: Vec<Written>,
}

fn small<T: TryFrom<u64>>(n: u64, what: &str) -> Result<T> {
    match T::try_from(n) {
        Ok(n) => Ok(n),
        Err(_) => bail!("the bundle is too large for a zip without zip64 ({what})"),
    }
}

impl<W: Write> Zip<W> {
    fn new(out: W) -> Zip<W> {
        Zip {
            out,
            at: 0,
            entries: Vec::new(),
        }
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    fn add(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let mut crc = Crc::new();
        crc.update(bytes);
        let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes)?;
        let packed = encoder.finish()?;
        let entry = Written {
            name: name.to_string(),
            crc: crc.sum(),
            packed: small(packed.len() as u64, name)?,
            size: small(bytes.len() as u64, name)?,
            offset: small(self.at, "its offsets")?,
        };
        let mut header = Vec::with_capacity(30 + name.len());
        header.extend(0x0403_4b50u32.to_le_bytes());
        header.extend(NEEDED.to_le_bytes());
        header.extend(FLAGS.to_le_bytes());
        header.extend(DEFLATE.to_le_bytes());
        header.extend(0u16.to_le_bytes());
        header.extend(DOS_DATE.to_le_bytes());
        header.extend(entry.crc.to_le_bytes());
        header.extend(entry.packed.to_le_bytes());
        header.extend(entry.size.to_le_bytes());
        header.extend(small::<u16>(name.len() as u64, name)?.to_le_bytes());
        header.extend(0u16.to_le_bytes());
        header.extend(name.as_bytes());
        self.put(&header)?;
        self.put(&packed)?;
        self.entries.push(entry);
        Ok(())
    }

    fn finish(mut self) -> Result<W> {
        let start = self.at;
        let mut directory = Vec::new();
        for e in &self.entries {
            directory.extend(0x0201_4b50u32.to_le_bytes());
            directory.extend(MADE_BY.to_le_bytes());
            directory.extend(NEEDED.to_le_bytes());
            directory.extend(FLAGS.to_le_bytes());
            directory.extend(DEFLATE.to_le_bytes());
            directory.extend(0u16.to_le_bytes());
            directory.extend(DOS_DATE.to_le_bytes());
            directory.extend(e.crc.to_le_bytes());
            directory.extend(e.packed.to_le_bytes());
            directory.extend(e.size.to_le_bytes());
            directory.extend((e.name.len() as u16).to_le_bytes());
            // Extra field, comment, disk, internal attributes.
            directory.extend([0u8; 8]);
            directory.extend(MODE.to_le_bytes());
            directory.extend(e.offset.to_le_bytes());
            directory.extend(e.name.as_bytes());
        }
        let count: u16 = small(self.entries.len() as u64, "its number of files")?;
        let mut end = Vec::with_capacity(22);
        end.extend(0x0605_4b50u32.to_le_bytes());
        end.extend([0u8; 4]);
        end.extend(count.to_le_bytes());
        end.extend(count.to_le_bytes());
        end.extend(small::<u32>(directory.len() as u64, "its directory")?.to_le_bytes());
        end.extend(small::<u32>(start, "its offsets")?.to_le_bytes());
        end.extend(0u16.to_le_bytes());
        self.put(&directory)?;
        self.put(&end)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each local entry of a zip: its name, its header, its bytes inflated.
    fn local_entries(zip: &[u8]) -> Vec<(String, Vec<u8>, Vec<u8>)> {
        let mut entries = Vec::new();
        let mut at = 0;
        let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
        while zip[at..].starts_with(&[0x50, 0x4b, 3, 4]) {
            let packed = u32::from_le_bytes(zip[at + 18..at + 22].try_into().unwrap()) as usize;
            let name_len = u16_at(at + 26);
            let name = String::from_utf8(zip[at + 30..at + 30 + name_len].to_vec()).unwrap();
            let data = at + 30 + name_len + u16_at(at + 28);
            let mut inflated = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::DeflateDecoder::new(&zip[data..data + packed]),
                &mut inflated,
            )
            .unwrap();
            entries.push((name, zip[at..at + 30].to_vec(), inflated));
            at = data + packed;
        }
        assert!(zip[at..].starts_with(&[0x50, 0x4b, 1, 2]), "no directory");
        entries
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("index.html", "<p>home</p>"),
            (MARKER, ""),
            ("modules/a/index.html", "<p>a</p>"),
            ("B.html", "b"),
            (".modules.part", "cut"),
        ] {
            crate::output::write_file(&dir.path().join(path), text.as_bytes()).unwrap();
        }
        dir
    }

    #[test]
    fn the_site_is_listed_sorted_without_hidden_files() {
        let dir = site();
        let files = site_files(dir.path()).unwrap();
        let paths: Vec<&str> = files.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["B.html", "index.html", "modules/a/index.html"]);
        assert_eq!(files[2].bytes, 8);
    }

    // why: the same site gives the same bytes, whenever and wherever it is
    // zipped; README.txt comes first, every entry dated 1980 and 0644.
    #[test]
    fn a_zip_is_reproducible_and_starts_with_its_readme() {
        let dir = site();
        let files = site_files(dir.path()).unwrap();
        let out = tempfile::tempdir().unwrap();
        let (one, two) = (out.path().join("one.zip"), out.path().join("z/two.zip"));
        let size = write_zip(&one, "read me", dir.path(), &files).unwrap();
        // Other modification times in the site change nothing.
        std::fs::File::options()
            .write(true)
            .open(dir.path().join("B.html"))
            .unwrap()
            .set_modified(std::time::SystemTime::UNIX_EPOCH)
            .unwrap();
        write_zip(&two, "read me", dir.path(), &files).unwrap();
        let bytes = std::fs::read(&one).unwrap();
        assert_eq!(bytes.len() as u64, size);
        assert_eq!(bytes, std::fs::read(&two).unwrap());
        let entries = local_entries(&bytes);
        let names: Vec<&str> = entries.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["README.txt", "B.html", "index.html", "modules/a/index.html"]
        );
        assert_eq!(entries[0].2, b"read me");
        assert_eq!(entries[3].2, b"<p>a</p>");
        for (name, header, _) in &entries {
            // Deflated (8), time 0 and date 1980-01-01 (0x0021).
            assert_eq!(&header[8..14], &[8, 0, 0, 0, 0x21, 0], "{name}");
        }
        let leftovers: Vec<_> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    // why: a zip that cannot be finished leaves the previous one whole,
    // and no part file.
    #[test]
    fn a_failed_zip_leaves_the_previous_one() {
        let dir = site();
        let mut files = site_files(dir.path()).unwrap();
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("pack.zip");
        write_zip(&target, "first", dir.path(), &files).unwrap();
        let before = std::fs::read(&target).unwrap();
        files.push(Entry {
            path: "gone.html".into(),
            bytes: 1,
        });
        let error = write_zip(&target, "second", dir.path(), &files).unwrap_err();
        assert!(format!("{error:#}").contains("gone.html"), "{error:#}");
        assert_eq!(std::fs::read(&target).unwrap(), before);
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
    }
}
