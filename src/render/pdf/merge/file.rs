//! The merged file as it is written: objects one after another, then the
//! cross-reference table that points at each.

use anyhow::Result;
use lopdf::{Object, StringFormat, Writer};

/// A PDF file being written object by object, with the offsets its
/// cross-reference table needs.
pub(super) struct MergedFile {
    pub(super) bytes: Vec<u8>,
    /// Each object's offset, by number (object 0 is the free list's head).
    offsets: Vec<usize>,
}

impl MergedFile {
    pub(super) fn with_capacity(bytes: usize) -> MergedFile {
        let mut file = MergedFile {
            bytes: Vec::with_capacity(bytes + 4096),
            offsets: vec![0, 0],
        };
        // The second line's bytes above 127 tell tools the file is binary.
        file.bytes
            .extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        file
    }

    pub(super) fn next_number(&self) -> u32 {
        self.offsets.len() as u32
    }

    pub(super) fn start_object(&mut self, number: u32) {
        let number = number as usize;
        if self.offsets.len() <= number {
            self.offsets.resize(number + 1, 0);
        }
        self.offsets[number] = self.bytes.len();
        let mut digits = itoa::Buffer::new();
        self.bytes
            .extend_from_slice(digits.format(number).as_bytes());
        self.bytes.extend_from_slice(b" 0 obj\n");
    }

    pub(super) fn end_object(&mut self) {
        self.bytes.extend_from_slice(b"\nendobj\n");
    }

    pub(super) fn add(&mut self, number: u32, object: &Object) -> Result<()> {
        self.start_object(number);
        Writer::write_object(&mut self.bytes, object)?;
        self.end_object();
        Ok(())
    }

    /// The file, closed by its cross-reference table and trailer.
    pub(super) fn finish(mut self, catalog: u32, info: u32) -> Vec<u8> {
        let table = self.bytes.len();
        let size = self.offsets.len();
        self.bytes
            .extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f\r\n").as_bytes());
        for offset in &self.offsets[1..] {
            // Each entry is exactly 20 bytes: a ten-digit offset first.
            let mut digits = itoa::Buffer::new();
            let digits = digits.format(*offset).as_bytes();
            let zeros = 10usize.saturating_sub(digits.len());
            self.bytes.extend_from_slice(&b"0000000000"[..zeros]);
            self.bytes.extend_from_slice(digits);
            self.bytes.extend_from_slice(b" 00000 n\r\n");
        }
        self.bytes.extend_from_slice(
            format!(
                "trailer\n<</Size {size}/Root {catalog} 0 R/Info {info} 0 R>>\nstartxref\n{table}\n%%EOF\n"
            )
            .as_bytes(),
        );
        self.bytes
    }
}

/// A PDF text string: PDFDocEncoding for ASCII, UTF-16BE otherwise.
pub(super) fn text(value: &str) -> Object {
    if value.is_ascii() {
        return Object::String(value.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(value.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}
