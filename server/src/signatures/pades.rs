//! The signatures inside a PDF (PAdES): each signature dictionary names the
//! byte ranges it covers (`/ByteRange [a b c d]`) and holds the CMS structure
//! in the gap between them (`/Contents <hex>`).
//!
//! A hostile file can name the same gap thousands of times, or ranges that
//! overlap: only distinct signatures with gaps of their own count, at most
//! [`MAX_SIGNATURES`], and each is described by offsets into the file, never
//! by a copy of the bytes it signs.

/// The most signatures a form is looked at for: a signed form carries one or
/// two; a file with more is refused rather than verified signature by signature.
pub const MAX_SIGNATURES: usize = 4;

/// The most distinct gaps examined, readable or not: each costs a pass over
/// its bytes, so a file naming many garbage gaps is refused early.
const MAX_GAPS: usize = 32;

/// One signature of a PDF: its CMS bytes and where the bytes it signs are.
#[derive(Debug)]
pub struct Embedded {
    pub cms: Vec<u8>,
    /// The signed bytes are `pdf[..first_end]` followed by `pdf[gap_end..end]`.
    first_end: usize,
    gap_end: usize,
    end: usize,
    /// Whether the signature covers the file to its last byte. When it does not,
    /// something was added after signing.
    pub covers_whole_file: bool,
}

impl Embedded {
    /// The two signed parts of `pdf`, in place.
    pub fn parts<'a>(&self, pdf: &'a [u8]) -> [&'a [u8]; 2] {
        [&pdf[..self.first_end], &pdf[self.gap_end..self.end]]
    }

    /// The signed bytes in one piece, as OpenSSL wants them; the caller keeps
    /// one such copy alive at a time.
    pub fn signed(&self, pdf: &[u8]) -> Vec<u8> {
        let [a, b] = self.parts(pdf);
        let mut signed = Vec::with_capacity(a.len() + b.len());
        signed.extend_from_slice(a);
        signed.extend_from_slice(b);
        signed
    }
}

/// What a PDF holds: its distinct signatures in file order, or too many.
#[derive(Debug)]
pub enum Found {
    Signatures(Vec<Embedded>),
    TooMany,
}

/// Every well-formed, distinct signature of `pdf`, in file order. Every gap
/// examined is remembered, readable or not, so the same or an overlapping gap
/// is never read twice: the work is bounded by the file's size.
pub fn signatures(pdf: &[u8]) -> Found {
    const KEY: &[u8] = b"/ByteRange";
    let mut found: Vec<Embedded> = Vec::new();
    let mut examined: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&pdf[from..], KEY) {
        let start = from + at + KEY.len();
        from = start;
        let Some(range) = byte_range(pdf, start).filter(|r| well_formed(pdf, *r)) else {
            continue;
        };
        let [_, b, c, d] = range;
        // The same gap named again, or a gap inside another's: not a signature of its own.
        if examined.iter().any(|&(start, end)| b < end && start < c) {
            continue;
        }
        if examined.len() == MAX_GAPS || found.len() == MAX_SIGNATURES {
            return Found::TooMany;
        }
        examined.push((b, c));
        if let Some(cms) = gap_contents(&pdf[b..c]) {
            found.push(Embedded {
                cms,
                first_end: b,
                gap_end: c,
                end: c + d,
                covers_whole_file: c + d == pdf.len(),
            });
        }
    }
    found.sort_by_key(|s| s.end);
    Found::Signatures(found)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The four numbers after `/ByteRange`, as in `[0 840 960 1200]`.
fn byte_range(pdf: &[u8], start: usize) -> Option<[usize; 4]> {
    let rest = pdf.get(start..(start + 120).min(pdf.len()))?;
    // The range is ASCII; stop at the first byte that is not.
    let end = rest
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(rest.len());
    let text = std::str::from_utf8(&rest[..end]).ok()?;
    let open = text.trim_start().strip_prefix('[')?;
    let inside = &open[..open.find(']')?];
    let numbers: Vec<usize> = inside
        .split_ascii_whitespace()
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    numbers.try_into().ok()
}

/// `[0 b c d]` with the gap `b..c` inside the file and the second range ending in it.
fn well_formed(pdf: &[u8], [a, b, c, d]: [usize; 4]) -> bool {
    a == 0 && b < c && c.checked_add(d).is_some_and(|end| end <= pdf.len())
}

/// The gap is `<hex>`, padded with zeros to the size reserved before signing;
/// the DER parser reads one structure and ignores the padding.
fn gap_contents(gap: &[u8]) -> Option<Vec<u8>> {
    let hex_digits = gap.strip_prefix(b"<")?.strip_suffix(b">")?;
    let digits: Vec<u8> = hex_digits
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    hex::decode(&digits).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(contents: &str, tail: &str) -> Vec<u8> {
        // Builds a PDF-like file whose byte range is exact around `<contents>`.
        let head = "%PDF-1.7\n1 0 obj <</Type/Sig/ByteRange [0 AAAA BBBB CCCC] /Contents ";
        let after = ">> endobj\n%%EOF\n";
        let a_len = head.len();
        let gap = format!("<{contents}>");
        let c = a_len + gap.len();
        let d = after.len() + tail.len();
        let fixed = head
            .replace("AAAA", &format!("{a_len:04}"))
            .replace("BBBB", &format!("{c:04}"))
            .replace("CCCC", &format!("{d:04}"));
        format!("{fixed}{gap}{after}{tail}").into_bytes()
    }

    fn found(pdf: &[u8]) -> Vec<Embedded> {
        match signatures(pdf) {
            Found::Signatures(s) => s,
            Found::TooMany => panic!("too many"),
        }
    }

    #[test]
    fn the_gap_and_the_ranges_are_found() {
        let pdf = sample("3003020100000000", "");
        let sigs = found(&pdf);
        assert_eq!(sigs.len(), 1);
        assert_eq!(
            sigs[0].cms,
            vec![0x30, 0x03, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00]
        );
        assert!(sigs[0].covers_whole_file);
        let signed = sigs[0].signed(&pdf);
        assert!(!signed.windows(4).any(|w| w == b"3003"));
        assert_eq!(signed.len(), pdf.len() - "<3003020100000000>".len());
    }

    #[test]
    fn bytes_added_after_the_signature_are_noticed() {
        let mut pdf = sample("3003020100", "");
        pdf.extend_from_slice(b"1 0 obj (changed) endobj\n");
        assert!(!found(&pdf)[0].covers_whole_file);
    }

    #[test]
    fn nonsense_ranges_are_ignored() {
        for junk in [
            &b"/ByteRange [0 99999999999 1 1]"[..],
            b"/ByteRange [5 1 2 3]",
            b"/ByteRange [0 1",
            b"/ByteRange",
            b"/ByteRange [0 18446744073709551615 18446744073709551615 5]",
        ] {
            assert!(found(junk).is_empty());
        }
    }

    /// A 10 KB file with a `<00>` gap at each of `gaps`, and `entries` naming them,
    /// each entry `(text position, gap index)`.
    fn hostile(gaps: &[usize], entries: impl Iterator<Item = (usize, usize)>) -> Vec<u8> {
        let len = 10_000;
        let mut pdf = vec![b' '; len];
        pdf[..9].copy_from_slice(b"%PDF-1.7\n");
        for &g in gaps {
            pdf[g..g + 4].copy_from_slice(b"<00>");
        }
        for (at, i) in entries {
            let g = gaps[i];
            let text = format!("/ByteRange [0 {g} {} {}]", g + 4, len - g - 4);
            pdf[at..at + text.len()].copy_from_slice(text.as_bytes());
        }
        pdf
    }

    #[test]
    fn the_same_gap_named_thousands_of_times_is_one_signature() {
        // 200 entries naming one gap (the attack used 2,000 in 1 MB).
        let pdf = hostile(&[9_000], (0..200).map(|n| (20 + n * 40, 0)));
        let sigs = found(&pdf);
        assert_eq!(sigs.len(), 1);
        assert!(sigs[0].covers_whole_file);
    }

    #[test]
    fn more_distinct_signatures_than_the_limit_are_too_many() {
        let gaps: Vec<usize> = (0..=MAX_SIGNATURES).map(|i| 8_000 + i * 100).collect();
        let within = hostile(
            &gaps[..MAX_SIGNATURES],
            (0..MAX_SIGNATURES).map(|i| (20 + i * 40, i)),
        );
        assert_eq!(found(&within).len(), MAX_SIGNATURES);
        let beyond = hostile(&gaps, (0..=MAX_SIGNATURES).map(|i| (20 + i * 40, i)));
        assert!(matches!(signatures(&beyond), Found::TooMany));
    }

    #[test]
    fn many_distinct_unreadable_gaps_are_too_many_without_reading_them_all() {
        // Gaps of `<zz>`: not hex, so never a signature, but each would be read.
        let gaps: Vec<usize> = (0..100).map(|i| 5_000 + i * 40).collect();
        let mut pdf = hostile(&gaps, (0..100).map(|i| (20 + i * 45, i)));
        for &g in &gaps {
            pdf[g..g + 4].copy_from_slice(b"<zz>");
        }
        assert!(matches!(signatures(&pdf), Found::TooMany));
    }
}
