//! Encoding detection and chunk-safe decoding to UTF-8.
//!
//! The first bytes of a file (up to [`SNIFF_BYTES`]) decide: a BOM names UTF-8 or UTF-16; else text
//! that is valid UTF-8 is UTF-8; else GB18030, the superset of GBK that Chinese Windows Excel and the
//! platforms write. Decoding is streaming (`encoding_rs::Decoder`), so a multibyte character split
//! across two chunks decodes correctly.

use encoding_rs::{Decoder, Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// How many bytes are looked at before the encoding and dialect are decided.
pub const SNIFF_BYTES: usize = 64 * 1024;

#[cfg(test)]
thread_local! {
    /// Bytes [`sniff`] was given, on this thread: the work-budget test of pushing in tiny chunks
    /// (`ingest::chunking_tests`) reads it.
    pub(crate) static SNIFFED_BYTES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The longest magic number [`sniff`] compares (OLE2's eight bytes): enough to tell a container.
pub const MAGIC_BYTES: usize = 8;

/// A text encoding the sniffer tells apart. A load report names it by [`TextEncoding::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 that starts with a byte-order mark.
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// GB18030, the superset of GBK.
    Gb18030,
}

impl TextEncoding {
    /// Every encoding, in the order of [`TextEncoding::name`]'s doc.
    pub const ALL: [TextEncoding; 5] = [
        TextEncoding::Utf8,
        TextEncoding::Utf8Bom,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Gb18030,
    ];

    /// The name a load report gives: `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `gb18030`.
    pub const fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Gb18030 => "gb18030",
        }
    }

    /// The encoding of a [`TextEncoding::name`], if it is one.
    pub fn from_name(name: &str) -> Option<TextEncoding> {
        TextEncoding::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The decoder's encoding (a BOM is the same encoding without it).
    pub fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => UTF_8,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::Gb18030 => GB18030,
        }
    }

    /// UTF-8, with or without a BOM.
    pub fn is_utf8(self) -> bool {
        matches!(self, TextEncoding::Utf8 | TextEncoding::Utf8Bom)
    }
}

/// What the first bytes say the file is.
#[derive(Debug, PartialEq, Eq)]
pub enum Sniffed {
    Text(TextEncoding),
    /// NUL bytes or many control characters: not a text export.
    Binary,
    /// A ZIP container (.xlsx, or the ZIP that advertising reports come in).
    Zip,
    /// An OLE2 compound file (old binary .xls).
    Ole2,
}

pub fn sniff(head: &[u8], complete: bool) -> Sniffed {
    #[cfg(test)]
    SNIFFED_BYTES.with(|n| n.set(n.get() + head.len() as u64));
    if head.starts_with(b"PK\x03\x04") {
        return Sniffed::Zip;
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniffed::Ole2;
    }
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Sniffed::Text(TextEncoding::Utf8Bom);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Sniffed::Text(TextEncoding::Utf16Le);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Sniffed::Text(TextEncoding::Utf16Be);
    }
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)))
        .count();
    if head.contains(&0) || controls * 100 > head.len() {
        return Sniffed::Binary;
    }
    if looks_utf8(head, complete) {
        Sniffed::Text(TextEncoding::Utf8)
    } else {
        Sniffed::Text(TextEncoding::Gb18030)
    }
}

/// UTF-8 unless invalid sequences outnumber valid multibyte characters. A UTF-8 file with one
/// GBK-encoded row (mixed encodings) stays UTF-8, so only that row is rejected; GBK text, read as
/// UTF-8, is almost nothing but invalid sequences.
fn looks_utf8(head: &[u8], complete: bool) -> bool {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    let mut rest = head;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (ok, after) = rest.split_at(e.valid_up_to());
                valid_multibyte += std::str::from_utf8(ok)
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        rest = &after[n..];
                    }
                    // A character cut at the end of the sniffed prefix is not an error.
                    None => {
                        if complete {
                            invalid += 1;
                        }
                        break;
                    }
                }
            }
        }
    }
    invalid == 0 || valid_multibyte > invalid * 2
}

/// Streaming decoder appending UTF-8 to a `String`.
pub struct TextDecoder {
    decoder: Decoder,
    /// Characters that could not be decoded (replaced by U+FFFD).
    pub malformed: bool,
}

impl TextDecoder {
    pub fn new(encoding: &'static Encoding) -> TextDecoder {
        TextDecoder {
            decoder: encoding.new_decoder_with_bom_removal(),
            malformed: false,
        }
    }

    /// Decode `bytes` and append to `out`; `last` flushes a trailing partial character.
    pub fn decode(&mut self, bytes: &[u8], out: &mut String, last: bool) {
        let mut rest = bytes;
        loop {
            let need = self
                .decoder
                .max_utf8_buffer_length(rest.len())
                .unwrap_or(rest.len() * 3 + 16);
            out.reserve(need);
            let (result, read, replaced) = self.decoder.decode_to_string(rest, out, last);
            self.malformed |= replaced;
            rest = &rest[read..];
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_boms_utf8_and_gbk() {
        assert!(matches!(
            sniff(b"\xEF\xBB\xBFa,b", true),
            Sniffed::Text(TextEncoding::Utf8Bom)
        ));
        assert!(matches!(
            sniff("订单,金额".as_bytes(), true),
            Sniffed::Text(TextEncoding::Utf8)
        ));
        let (gbk, _, _) = GB18030.encode("订单编号,买家实际支付金额");
        assert!(matches!(
            sniff(&gbk, true),
            Sniffed::Text(TextEncoding::Gb18030)
        ));
        assert_eq!(sniff(b"a\0b\0", true), Sniffed::Binary);
        assert_eq!(sniff(b"PK\x03\x04rest", true), Sniffed::Zip);
    }

    #[test]
    fn utf8_cut_mid_character_is_still_utf8() {
        let s = "订单".as_bytes();
        assert!(matches!(
            sniff(&s[..4], false),
            Sniffed::Text(TextEncoding::Utf8)
        ));
    }

    #[test]
    fn gbk_split_across_chunks_decodes() {
        let (gbk, _, _) = GB18030.encode("交易成功");
        let mut d = TextDecoder::new(GB18030);
        let mut out = String::new();
        for b in gbk.iter() {
            d.decode(std::slice::from_ref(b), &mut out, false);
        }
        d.decode(&[], &mut out, true);
        assert_eq!(out, "交易成功");
        assert!(!d.malformed);
    }
}
