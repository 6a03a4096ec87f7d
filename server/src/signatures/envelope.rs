//! How signed files arrive: a DER envelope (`.p7m`), the same in base64 or
//! PEM armour (some signing tools and mail clients write that), or a PDF.

use base64::Engine;

#[derive(Debug, PartialEq)]
pub enum Envelope {
    /// A CMS/PKCS#7 structure in DER (or BER, as many `.p7m` files are).
    Der(Vec<u8>),
    Pdf,
    Unknown,
}

/// What `bytes` are, decoding base64 or PEM armour once.
pub fn open(bytes: &[u8]) -> Envelope {
    if bytes.starts_with(b"%PDF-") {
        return Envelope::Pdf;
    }
    if looks_like_der(bytes) {
        return Envelope::Der(bytes.to_vec());
    }
    match decode_text(bytes) {
        Some(decoded) if looks_like_der(&decoded) => Envelope::Der(decoded),
        _ => Envelope::Unknown,
    }
}

/// A SEQUENCE tag followed by a length: 0x80 is indefinite (BER), 0x81 to
/// 0x84 a definite length in one to four bytes.
fn looks_like_der(bytes: &[u8]) -> bool {
    matches!(bytes, [0x30, 0x80..=0x84, ..])
}

/// The bytes of a PEM block (`-----BEGIN …-----`) or of a whole file of base64.
fn decode_text(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let body: String = if let Some(start) = text.find("-----BEGIN") {
        let after = &text[start..];
        let header_end = after.find('\n')?;
        let end = after.find("-----END")?;
        after.get(header_end..end)?.to_string()
    } else {
        text.to_string()
    };
    let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return None;
    }
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn der_base64_and_pem_are_opened() {
        let der = vec![0x30, 0x82, 0x01, 0x00, 0x06, 0x09];
        assert_eq!(open(&der), Envelope::Der(der.clone()));
        let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
        assert_eq!(open(b64.as_bytes()), Envelope::Der(der.clone()));
        let pem = format!("-----BEGIN PKCS7-----\n{b64}\n-----END PKCS7-----\n");
        assert_eq!(open(pem.as_bytes()), Envelope::Der(der));
        assert_eq!(open(b"%PDF-1.7\n"), Envelope::Pdf);
        assert_eq!(open(b"hello world"), Envelope::Unknown);
        assert_eq!(open(b""), Envelope::Unknown);
    }
}
