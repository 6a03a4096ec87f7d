//! Random secrets for cookies and emailed links. Only their SHA-256 is stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// The form token as a page carries it: the secret XORed with fresh random
/// bytes, the bytes in front. Every response shows a different string, so a
/// compressed page reveals nothing about the secret (BREACH).
pub fn mask(secret: &str) -> String {
    let mut pad = vec![0u8; secret.len()];
    rand::rngs::OsRng.fill_bytes(&mut pad);
    let masked: Vec<u8> = secret.bytes().zip(&pad).map(|(s, p)| s ^ p).collect();
    URL_SAFE_NO_PAD.encode([pad, masked].concat())
}

/// The secret behind a masked token; `None` for anything that is not one.
pub fn unmask(token: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() % 2 != 0 || bytes.len() > 512 {
        return None;
    }
    let (pad, masked) = bytes.split_at(bytes.len() / 2);
    String::from_utf8(masked.iter().zip(pad).map(|(m, p)| m ^ p).collect()).ok()
}

/// Compares secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_tokens_differ_every_time_and_unmask_to_the_secret() {
        let secret = random_token();
        let (a, b) = (mask(&secret), mask(&secret));
        assert_ne!(a, b);
        assert!(!a.contains(&secret));
        assert_eq!(unmask(&a).as_deref(), Some(secret.as_str()));
        assert_eq!(unmask(&b).as_deref(), Some(secret.as_str()));
        assert_eq!(unmask("not a token!"), None);
        // A raw token may happen to decode as a masked one: callers compare it raw first.
    }
}
