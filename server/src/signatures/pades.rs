//! The signatures inside a PDF (PAdES): each signature dictionary names the
//! byte ranges it covers (`/ByteRange [a b c d]`) and holds the CMS structure
//! in the gap between them (`/Contents <hex>`).

/// One signature of a PDF: its CMS bytes and the bytes it signs.
#[derive(Debug)]
pub struct Embedded {
    pub cms: Vec<u8>,
    pub signed: Vec<u8>,
    /// Whether the signature covers the file to its last byte. When it does not,
    /// something was added after signing.
    pub covers_whole_file: bool,
}

/// Every well-formed signature of `pdf`, in file order.
pub fn signatures(pdf: &[u8]) -> Vec<Embedded> {
    const KEY: &[u8] = b"/ByteRange";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&pdf[from..], KEY) {
        let start = from + at + KEY.len();
        from = start;
        if let Some(sig) = byte_range(pdf, start).and_then(|r| embedded(pdf, r)) {
            found.push(sig);
        }
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The four numbers after `/ByteRange`, as in `[0 840 960 1200]`.
fn byte_range(pdf: &[u8], start: usize) -> Option<[usize; 4]> {
    let rest = pdf.get(start..(start + 120).min(pdf.len()))?;
    let text = std::str::from_utf8(rest).ok().or_else(|| {
        // The range is ASCII; stop at the first byte that is not.
        let end = rest
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        std::str::from_utf8(&rest[..end]).ok()
    })?;
    let open = text.trim_start().strip_prefix('[')?;
    let inside = &open[..open.find(']')?];
    let numbers: Vec<usize> = inside
        .split_ascii_whitespace()
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    numbers.try_into().ok()
}

fn embedded(pdf: &[u8], [a, b, c, d]: [usize; 4]) -> Option<Embedded> {
    let first_end = a.checked_add(b)?;
    let second_end = c.checked_add(d)?;
    if a != 0 || first_end >= c || second_end > pdf.len() {
        return None;
    }
    // The gap is `<hex>`, padded with zeros to the size reserved before signing;
    // the DER parser reads one structure and ignores the padding.
    let gap = pdf.get(first_end..c)?;
    let hex_digits = gap.strip_prefix(b"<")?.strip_suffix(b">")?;
    let digits: Vec<u8> = hex_digits
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let cms = hex::decode(&digits).ok()?;
    let mut signed = Vec::with_capacity(b + d);
    signed.extend_from_slice(&pdf[..first_end]);
    signed.extend_from_slice(&pdf[c..second_end]);
    Some(Embedded {
        cms,
        signed,
        covers_whole_file: second_end == pdf.len(),
    })
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

    #[test]
    fn the_gap_and_the_ranges_are_found() {
        let pdf = sample("3003020100000000", "");
        let sigs = signatures(&pdf);
        assert_eq!(sigs.len(), 1);
        assert_eq!(
            sigs[0].cms,
            vec![0x30, 0x03, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00]
        );
        assert!(sigs[0].covers_whole_file);
        assert!(!sigs[0].signed.windows(4).any(|w| w == b"3003"));
    }

    #[test]
    fn bytes_added_after_the_signature_are_noticed() {
        let mut pdf = sample("3003020100", "");
        pdf.extend_from_slice(b"1 0 obj (changed) endobj\n");
        let sigs = signatures(&pdf);
        assert!(!sigs[0].covers_whole_file);
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
            assert!(signatures(junk).is_empty());
        }
    }
}
