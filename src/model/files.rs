//! The pack's own files (its pictures) as every stage after loading may
//! read them. Loading knows where the pack is on disk and gives a reader
//! ([`crate::load::PackReader`]); rendering reads only through it, so it
//! never opens a file itself and can be given files from anywhere (a test,
//! memory).

use std::time::Duration;

/// Reads files of the pack by their path relative to the pack (`/`
/// separators), refusing any path outside the modules folder.
pub trait PackFiles: Send + Sync {
    /// The file's bytes.
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>>;
    /// The file's length and modification time (since the Unix epoch), to
    /// fingerprint it without reading it.
    fn stamp(&self, path: &str) -> Option<(u64, Duration)>;
}
