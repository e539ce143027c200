//! Rendering: turns the checked model into the files of the site. Nothing
//! here touches the disk; [`crate::output`] writes what it returns.

pub mod blocks;
pub mod bundle;
pub mod cache;
pub mod html;
pub mod i18n;
pub mod markdown;
pub mod office;
pub mod pages;
pub mod pdf;
pub mod plan;
pub mod print;
pub mod reuse;
pub mod search;
pub mod templates;
pub mod urls;
pub mod views;

use std::path::PathBuf;

use serde::Serialize;

/// Who a page is for. Decides which blocks are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// The trainer's guide: everything, answers collapsed.
    Trainer,
    /// Handouts and quizzes: no answers, no notes, no activities.
    Participant,
    /// Answer keys: answers open.
    Key,
}

/// A file of the site: its path relative to the site root, and what goes
/// in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// Path with `/` separators, relative to the site root.
    pub path: String,
    /// The contents.
    pub content: Content,
}

/// What a file of the site holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Bytes rendered in memory.
    Bytes(Vec<u8>),
    /// A file of the pack, copied unchanged when the site is written (media
    /// can be large, so it is not read into memory here).
    Copy(PathBuf),
    /// Bytes rendered in memory with stretches of the previous site's
    /// file between them: the course book after a small edit, most of
    /// which stays as it was (see `pdf::merge::Source::Previous`).
    Spliced(Spliced),
}

/// A file made of bytes rendered in memory and stretches of another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spliced {
    /// The bytes rendered.
    pub bytes: Vec<u8>,
    /// The file, stretch by stretch.
    pub splices: Vec<Splice>,
    /// The file the [`Splice::Previous`] stretches are read from.
    pub previous: PathBuf,
}

/// A stretch of a [`Spliced`] file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Splice {
    /// These of its rendered bytes.
    Own(std::ops::Range<usize>),
    /// These bytes of the previous file.
    Previous(std::ops::Range<u64>),
}

impl Splice {
    /// How many bytes it is.
    pub fn size(&self) -> u64 {
        match self {
            Splice::Own(range) => (range.end - range.start) as u64,
            Splice::Previous(range) => range.end - range.start,
        }
    }
}

impl Spliced {
    /// True when each stretch of the previous file is where it was in
    /// that file: the new file is the previous one with its own bytes
    /// written over it, and can be made by patching it.
    pub fn in_place(&self) -> bool {
        let mut at = 0;
        self.splices.iter().all(|splice| {
            let here = at;
            at += splice.size();
            match splice {
                Splice::Own(_) => true,
                Splice::Previous(range) => range.start == here,
            }
        })
    }

    /// The whole file, read into memory.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        let mut previous = std::fs::File::open(&self.previous)?;
        let mut bytes = Vec::new();
        for splice in &self.splices {
            match splice {
                Splice::Own(range) => bytes.extend_from_slice(&self.bytes[range.clone()]),
                Splice::Previous(range) => {
                    previous.seek(SeekFrom::Start(range.start))?;
                    let len = range.end - range.start;
                    let read = (&mut previous).take(len).read_to_end(&mut bytes)?;
                    if read as u64 != len {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                }
            }
        }
        Ok(bytes)
    }
}

impl OutFile {
    /// A text file.
    pub fn text(path: impl Into<String>, text: String) -> OutFile {
        OutFile::bytes(path, text.into_bytes())
    }

    /// A file with the given bytes.
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> OutFile {
        OutFile {
            path: path.into(),
            content: Content::Bytes(bytes),
        }
    }

    /// The bytes, for files rendered in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.content {
            Content::Bytes(bytes) => Some(bytes),
            Content::Copy(_) | Content::Spliced(_) => None,
        }
    }
}

impl Content {
    /// The bytes: those rendered, or the copied file's, read.
    pub fn bytes(&self) -> anyhow::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Content::Bytes(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            Content::Copy(path) => Ok(std::borrow::Cow::Owned(std::fs::read(path)?)),
            Content::Spliced(spliced) => Ok(std::borrow::Cow::Owned(spliced.read()?)),
        }
    }
}

/// Where rendered files go as they are made: the staging folder of a
/// build, or memory. Writing as we go keeps a large pack's pages out of
/// memory and overlaps writing with rendering.
pub trait Sink: Sync {
    /// Takes some files of the site.
    fn put(&self, files: Vec<OutFile>) -> anyhow::Result<()>;
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// Problems in the pack or its theme.
    Pack(Vec<crate::diag::Diagnostic>),
    /// The files could not be written.
    Io(anyhow::Error),
}

impl From<Vec<crate::diag::Diagnostic>> for RenderError {
    fn from(diagnostics: Vec<crate::diag::Diagnostic>) -> RenderError {
        RenderError::Pack(diagnostics)
    }
}

/// A sink that keeps the files in memory, in the order they came.
#[derive(Debug, Default)]
pub struct Collect {
    files: std::sync::Mutex<Vec<OutFile>>,
}

impl Collect {
    /// The files collected.
    pub fn into_files(self) -> Vec<OutFile> {
        self.files.into_inner().unwrap_or_default()
    }
}

impl Sink for Collect {
    fn put(&self, files: Vec<OutFile>) -> anyhow::Result<()> {
        if let Ok(mut all) = self.files.lock() {
            all.extend(files);
        }
        Ok(())
    }
}
