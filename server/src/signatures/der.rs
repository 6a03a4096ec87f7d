//! Just enough DER to read what OpenSSL's verification does not report: the
//! digest each signer used, whether an envelope carries its document, and a
//! certificate's key usage. Input is what OpenSSL itself re-encoded
//! (`to_der`), so only definite lengths occur; anything else reads as nothing.

/// One tag-length-value: its tag byte and its contents.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub body: &'a [u8],
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const OCTET_STRING: u8 = 0x04;
const BIT_STRING: u8 = 0x03;
/// `[0]` and `[3]`, constructed, context-specific.
const CONTEXT_0: u8 = 0xa0;
const CONTEXT_3: u8 = 0xa3;

/// The first element of `input` and what follows it.
fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (first as usize, rest),
        0x81..=0x84 => {
            let n = (first & 0x7f) as usize;
            let (bytes, rest) = (rest.get(..n)?, &rest[n..]);
            (
                bytes.iter().fold(0usize, |acc, b| (acc << 8) | *b as usize),
                rest,
            )
        }
        // Indefinite (0x80) or absurd lengths: not DER.
        _ => return None,
    };
    let body = rest.get(..len)?;
    Some((Tlv { tag, body }, &rest[len..]))
}

/// The elements inside a constructed value, in order; stops at the first malformed one.
fn children(body: &[u8]) -> impl Iterator<Item = Tlv<'_>> {
    let mut rest = body;
    std::iter::from_fn(move || {
        let (tlv, next) = read(rest)?;
        rest = next;
        Some(tlv)
    })
}

/// The SignedData inside a ContentInfo (`SEQUENCE { OID, [0] SignedData }`).
fn signed_data(content_info: &[u8]) -> Option<Tlv<'_>> {
    let (outer, _) = read(content_info)?;
    let wrapper = children(outer.body).find(|t| t.tag == CONTEXT_0)?;
    children(wrapper.body).next().filter(|t| t.tag == SEQUENCE)
}

/// The digest algorithm of each signer of a CMS SignedData, as DER OID bodies.
pub fn signer_digests(content_info: &[u8]) -> Vec<Vec<u8>> {
    let Some(sd) = signed_data(content_info) else {
        return Vec::new();
    };
    let Some(signer_infos) = children(sd.body).filter(|t| t.tag == SET).last() else {
        return Vec::new();
    };
    children(signer_infos.body)
        .filter_map(|si| {
            // version, sid, digestAlgorithm: the third element.
            let alg = children(si.body).nth(2).filter(|t| t.tag == SEQUENCE)?;
            let oid = children(alg.body).next().filter(|t| t.tag == OID)?;
            Some(oid.body.to_vec())
        })
        .collect()
}

/// Whether a CMS SignedData leaves its document out (a detached `.p7s`).
pub fn is_detached(content_info: &[u8]) -> bool {
    let Some(sd) = signed_data(content_info) else {
        return false;
    };
    // version, digestAlgorithms, encapContentInfo.
    children(sd.body)
        .nth(2)
        .filter(|t| t.tag == SEQUENCE)
        .is_some_and(|encap| !children(encap.body).any(|t| t.tag == CONTEXT_0))
}

/// The key usage bits of a certificate (`digitalSignature` is 0x80 of the first
/// byte, `nonRepudiation` 0x40), or None when it has no key usage extension.
pub fn key_usage(certificate: &[u8]) -> Option<u8> {
    const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f]; // 2.5.29.15
    let (cert, _) = read(certificate)?;
    let tbs = children(cert.body).next()?;
    let extensions = children(tbs.body).find(|t| t.tag == CONTEXT_3)?;
    let list = children(extensions.body).next()?;
    let ext = children(list.body).find(|e| {
        children(e.body)
            .next()
            .is_some_and(|oid| oid.tag == OID && oid.body == KEY_USAGE)
    })?;
    let value = children(ext.body).find(|t| t.tag == OCTET_STRING)?;
    let (bits, _) = read(value.body).filter(|(t, _)| t.tag == BIT_STRING)?;
    // The first byte counts the unused bits; the flags follow.
    Some(bits.body.get(1).copied().unwrap_or(0))
}

/// Digests strong enough for a signature under the Italian rules (SHA-256 or
/// stronger). Some tools name the signature algorithm in the digest field
/// (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`); OpenSSL accepts those, so do we.
pub fn strong_digest(oid: &[u8]) -> bool {
    // 2.16.840.1.101.3.4.2.x: 1 SHA-256, 2 SHA-384, 3 SHA-512, 8-10 SHA3-256/384/512.
    const NIST_HASH: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
    // 1.2.840.113549.1.1.x: 11-13 sha256/384/512WithRSAEncryption.
    const PKCS1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
    // 1.2.840.10045.4.3.x: 2-4 ecdsa-with-SHA256/384/512.
    const ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03];
    oid.strip_prefix(NIST_HASH)
        .is_some_and(|last| matches!(last, [1 | 2 | 3 | 8 | 9 | 10]))
        || oid
            .strip_prefix(PKCS1)
            .is_some_and(|l| matches!(l, [11..=13]))
        || oid
            .strip_prefix(ECDSA)
            .is_some_and(|l| matches!(l, [2..=4]))
}

/// A digest's common name, for the message that refuses it; empty when the
/// algorithm is not one we know (the message then says so).
pub fn digest_name(oid: &[u8]) -> &'static str {
    match oid {
        [0x2b, 0x0e, 0x03, 0x02, 0x1a] | [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05] => {
            "SHA-1"
        }
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05] => "MD5",
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04] => "SHA-224",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_read_and_bad_ones_refused() {
        let (t, rest) = read(&[0x30, 0x02, 0x05, 0x00, 0xff]).unwrap();
        assert_eq!((t.tag, t.body, rest), (0x30, &[5u8, 0][..], &[0xffu8][..]));
        let long = [&[0x04, 0x81, 0x80][..], &[7u8; 128]].concat();
        assert_eq!(read(&long).unwrap().0.body.len(), 128);
        assert!(read(&[0x30, 0x80, 0, 0]).is_none(), "indefinite");
        assert!(read(&[0x30, 0x05, 1]).is_none(), "short");
        assert!(read(&[0x30, 0x88, 1, 1, 1, 1, 1, 1, 1, 1]).is_none());
        assert!(signer_digests(&[0x30]).is_empty());
        assert!(!is_detached(b"junk"));
        assert_eq!(key_usage(b""), None);
    }

    #[test]
    fn digests_are_judged() {
        assert!(strong_digest(&[
            0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01
        ]));
        assert!(!strong_digest(&[0x2b, 0x0e, 0x03, 0x02, 0x1a]));
        assert_eq!(digest_name(&[0x2b, 0x0e, 0x03, 0x02, 0x1a]), "SHA-1");
        let sha256_rsa = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
        assert!(strong_digest(&sha256_rsa));
        assert_eq!(digest_name(&[0x2a, 0x03]), "");
    }
}
