//! The merged file as it is written: objects one after another, then the
//! cross-reference stream that points at each.

use anyhow::{Result, anyhow};
use lopdf::{Object, StringFormat, Writer};

use super::{Piece, Segment, Slot};
use crate::render::Splice;

/// Pieces start at a multiple of this many bytes (see [`MergedFile::pad`]).
const BLOCK: usize = 4096;

/// A PDF file being written object by object, with the offsets its
/// cross-reference stream needs.
pub(super) struct MergedFile {
    /// The bytes written, without the stretches kept from the file merged
    /// before.
    pub(super) bytes: Vec<u8>,
    /// Each object's offset in the file, by number; 0 for a number not
    /// used (object 0 is the free list's head).
    offsets: Vec<usize>,
    /// The file so far, when it keeps stretches of the one before.
    splices: Vec<Splice>,
    /// Where the bytes not yet in `splices` start.
    open: usize,
    /// How many bytes the kept stretches take.
    kept: usize,
}

impl MergedFile {
    pub(super) fn with_capacity(bytes: usize) -> MergedFile {
        let mut file = MergedFile {
            bytes: Vec::with_capacity(bytes + 4096),
            offsets: vec![0, 0],
            splices: Vec::new(),
            open: 0,
            kept: 0,
        };
        // The second line's bytes above 127 tell tools the file is binary.
        file.bytes
            .extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        file
    }

    pub(super) fn next_number(&self) -> u32 {
        self.offsets.len() as u32
    }

    /// Where the next byte goes in the file.
    fn position(&self) -> usize {
        self.kept + self.bytes.len()
    }

    fn set_offset(&mut self, number: u32, offset: usize) {
        let number = number as usize;
        if self.offsets.len() <= number {
            self.offsets.resize(number + 1, 0);
        }
        self.offsets[number] = offset;
    }

    pub(super) fn start_object(&mut self, number: u32) {
        self.set_offset(number, self.position());
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

    /// Fills the file with spaces up to the next multiple of [`BLOCK`]
    /// bytes. A piece a few bytes longer or shorter then leaves the pieces
    /// after it at the same offsets, so that the file merged before can be
    /// patched where it is instead of copied (see `output::patch`).
    pub(super) fn pad(&mut self) {
        let room = (BLOCK - self.position() % BLOCK) % BLOCK;
        if room > 0 {
            self.bytes.resize(self.bytes.len() + room - 1, b' ');
            self.bytes.push(b'\n');
        }
    }

    /// Writes `piece` at `slot`, its stamped pages drawing the forms
    /// `stamps`, padded to a block, and says where it went.
    pub(super) fn write_piece(&mut self, piece: &Piece, slot: Slot, stamps: &[u32]) -> Segment {
        let start = self.position();
        piece.write_objects(slot.base, slot.key_base, stamps, self);
        self.pad();
        let objects = slot.base as usize + 1..slot.base as usize + 1 + piece.ends.len();
        Segment {
            slot,
            start: start as u64,
            len: (self.position() - start) as u64,
            offsets: self.offsets[objects]
                .iter()
                .map(|offset| (offset - start) as u32)
                .collect(),
        }
    }

    /// Puts `segment` of the file merged before at `slot`, where it was.
    pub(super) fn keep(&mut self, segment: Segment, slot: Slot) -> Result<Segment> {
        if segment.slot != slot {
            return Err(anyhow!("a piece kept from the last file has moved"));
        }
        let start = self.position();
        let len = usize::try_from(segment.len)?;
        let written = self.open < self.bytes.len();
        if written {
            self.splices.push(Splice::Own(self.open..self.bytes.len()));
        }
        self.open = self.bytes.len();
        let range = segment.start..segment.start + segment.len;
        // Pieces kept one after another are copied at once.
        match self.splices.last_mut() {
            Some(Splice::Previous(last)) if !written && last.end == range.start => {
                last.end = range.end
            }
            _ => self.splices.push(Splice::Previous(range)),
        }
        self.kept += len;
        for (number, offset) in (slot.base + 1..).zip(&segment.offsets) {
            self.set_offset(number, start + *offset as usize);
        }
        Ok(Segment {
            start: start as u64,
            ..segment
        })
    }

    /// The file, closed by its cross-reference table and trailer.
    pub(super) fn finish(self, catalog: u32, info: u32) -> Vec<u8> {
        self.finish_spliced(catalog, info).0
    }

    /// The file's bytes, closed by its cross-reference stream, and how
    /// they and the stretches it keeps follow one another (none when it
    /// keeps none).
    ///
    /// A stream (PDF 1.5), not a table: a course book has over a million
    /// objects, whose table took 26 MiB (20 bytes an object) to write at
    /// every rebuild, where the stream's binary entries take 7.
    pub(super) fn finish_spliced(mut self, catalog: u32, info: u32) -> (Vec<u8>, Vec<Splice>) {
        let table = self.position();
        let number = self.next_number();
        self.set_offset(number, table);
        let size = self.offsets.len();
        let width = (usize::BITS - table.leading_zeros()).div_ceil(8).max(1) as usize;
        let (index, entries) = self.entries(width);
        let head = format!(
            "{number} 0 obj\n<</Type/XRef/Size {size}/W[1 {width} 2]/Index[{index}]/Root {catalog} 0 R/Info {info} 0 R/Length {}>>\nstream\n",
            entries.len()
        );
        self.bytes.extend_from_slice(head.as_bytes());
        self.bytes.extend_from_slice(&entries);
        let tail = format!("\nendstream\nendobj\nstartxref\n{table}\n%%EOF\n");
        self.bytes.extend_from_slice(tail.as_bytes());
        if !self.splices.is_empty() {
            self.splices.push(Splice::Own(self.open..self.bytes.len()));
        }
        (self.bytes, self.splices)
    }

    /// The stream's `Index` (a first number and a count for each run of
    /// used numbers: those not used are left out) and its entries: a
    /// type, an offset `width` bytes long, a generation.
    fn entries(&self, width: usize) -> (String, Vec<u8>) {
        let (mut index, mut entries) = (String::new(), Vec::with_capacity(self.offsets.len() * 7));
        let size = self.offsets.len();
        let mut number = 0;
        while number < size {
            // The free list's head, object 0, opens the first run.
            let run = 1 + self.offsets[number + 1..]
                .iter()
                .take_while(|offset| **offset != 0)
                .count();
            if !index.is_empty() {
                index.push(' ');
            }
            index.push_str(&format!("{number} {run}"));
            for used in number..number + run {
                let (kind, offset, generation) = match used {
                    0 => (0u8, 0, [0xFF, 0xFF]),
                    _ => (1, self.offsets[used], [0, 0]),
                };
                entries.push(kind);
                entries.extend_from_slice(&offset.to_be_bytes()[size_of::<usize>() - width..]);
                entries.extend_from_slice(&generation);
            }
            number += run;
            while number < size && self.offsets[number] == 0 {
                number += 1;
            }
        }
        (index, entries)
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
