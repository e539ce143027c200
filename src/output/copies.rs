//! Copying files into the new site: from the pack, from the previous
//! site (linked when it can be), and stretches of the previous site's
//! files into new ones.

use std::path::Path;

use anyhow::{Context, Result};

use crate::render::{Splice, Spliced};

/// Writes a file of rendered bytes and stretches of the previous site's
/// file: those are copied by the system (`copy_file_range`), and never
/// pass through memory.
pub(super) fn write_spliced(path: &Path, spliced: &Spliced) -> Result<()> {
    splice_into(path, spliced).with_context(|| {
        format!(
            "cannot write `{}` from `{}`",
            path.display(),
            spliced.previous.display()
        )
    })
}

fn splice_into(path: &Path, spliced: &Spliced) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut out = std::fs::File::create(path)?;
    let mut previous = std::fs::File::open(&spliced.previous)?;
    for splice in &spliced.splices {
        match splice {
            Splice::Own(range) => out.write_all(&spliced.bytes[range.clone()])?,
            Splice::Previous(range) => {
                previous.seek(SeekFrom::Start(range.start))?;
                let len = range.end - range.start;
                if std::io::copy(&mut (&mut previous).take(len), &mut out)? != len {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
            }
        }
    }
    Ok(())
}

/// Copies a file and gives the copy the source's modification time, so
/// the next build can tell, as rsync does, that it is still the same.
pub(super) fn copy_in_place(from: &Path, to: &Path) -> Result<()> {
    copy_with_time(from, to)
        .with_context(|| format!("cannot copy `{}` to `{}`", from.display(), to.display()))
}

fn copy_with_time(from: &Path, to: &Path) -> std::io::Result<()> {
    // The time is read first: a source saved during the copy then differs
    // from its copy, which the next build makes again.
    let modified = std::fs::metadata(from)?.modified()?;
    std::fs::copy(from, to)?;
    std::fs::File::options()
        .write(true)
        .open(to)?
        .set_modified(modified)
}

/// True when `copy`, made by an earlier build, still holds what `source`
/// holds: same length and modification time and, when the source was
/// saved shortly before the copy was made, same bytes.
pub(super) fn is_current_copy(source: &Path, copy: &Path) -> bool {
    let (Ok(source_meta), Ok(copy_meta)) = (std::fs::metadata(source), std::fs::metadata(copy))
    else {
        return false;
    };
    let stamp = |m: &std::fs::Metadata| Some((m.len(), m.modified().ok()?));
    if stamp(&source_meta).is_none() || stamp(&source_meta) != stamp(&copy_meta) {
        return false;
    }
    !is_racy(&source_meta, &copy_meta) || same_bytes(source, copy).unwrap_or(false)
}

/// A file's time is kept in ticks of a few milliseconds (seconds on some
/// disks), so a save in the tick the source was copied in would leave its
/// time as it was. A copy made well after the source's time is safe.
#[cfg(unix)]
fn is_racy(source: &std::fs::Metadata, copy: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // The copy's status-change time is when it was made, or later.
    copy.ctime() < source.mtime().saturating_add(2)
}

#[cfg(not(unix))]
fn is_racy(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (mut a, mut b) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut left, mut right) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = a.read(&mut left)?;
        if n == 0 {
            return Ok(b.read(&mut right[..1])? == 0);
        }
        b.read_exact(&mut right[..n])?;
        if left[..n] != right[..n] {
            return Ok(false);
        }
    }
}

pub(super) fn link_in_place(from: &Path, to: &Path) -> Result<()> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    copy_in_place(from, to)
}
