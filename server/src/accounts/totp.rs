//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): the
//! second factor staff and administrators log in with. HMAC-SHA-1, six
//! digits, 30-second steps: what every authenticator app reads from an
//! `otpauth://` link. Pure functions; the accounts' secrets and the last
//! step used live in `accounts::second_factor`.

use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;

/// Seconds per step.
pub const STEP: i64 = 30;
/// Steps either side of now a code is accepted for: a phone's clock a little off.
pub const DRIFT: i64 = 1;
/// Bytes of a new secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    secret
}

/// RFC 4648 base32 without padding, as authenticator apps take secrets.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The bytes of a base32 secret (spaces, dashes, padding and case ignored);
/// `None` for any other character.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let value = ALPHABET
            .iter()
            .position(|&a| a as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The step a Unix time falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP)
}

/// HOTP (RFC 4226 §5.3): the HMAC-SHA-1 of the counter, dynamically
/// truncated, as `digits` decimal digits.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let key = PKey::hmac(secret).expect("an HMAC key takes any bytes");
    let mut signer = Signer::new(MessageDigest::sha1(), &key).expect("SHA-1 HMAC");
    signer.update(&counter.to_be_bytes()).expect("HMAC update");
    let mac = signer.sign_to_vec().expect("HMAC");
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let binary = (u32::from(mac[offset]) & 0x7f) << 24
        | u32::from(mac[offset + 1]) << 16
        | u32::from(mac[offset + 2]) << 8
        | u32::from(mac[offset + 3]);
    binary % 10u32.pow(digits)
}

/// The six-digit code of `step`, zero-padded as apps show it.
pub fn code(secret: &[u8], step: i64) -> String {
    format!("{:06}", hotp(secret, step.max(0) as u64, 6))
}

/// The step `typed` is the code of, within [`DRIFT`] steps of `now_step`
/// and after `last_used` (a code works once: RFC 6238 §5.2), or `None`.
/// Compared in constant time, whatever was typed.
pub fn accepts(secret: &[u8], typed: &str, now_step: i64, last_used: Option<i64>) -> Option<i64> {
    use subtle::ConstantTimeEq;
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != 6 || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut found = None;
    for step in now_step - DRIFT..=now_step + DRIFT {
        let matches: bool = code(secret, step).as_bytes().ct_eq(typed.as_bytes()).into();
        if matches && last_used.is_none_or(|last| step > last) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// The `otpauth://` link an authenticator app reads (also as a QR code).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let enc = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period={STEP}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1, its eight digits cut to six.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(secret, step_at(time) as u64, 8), eight, "{time}");
            assert_eq!(
                code(secret, step_at(time)),
                format!("{:06}", eight % 1_000_000)
            );
        }
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        let secret = new_secret();
        assert_eq!(from_base32(&base32(&secret)).unwrap(), secret);
        assert_eq!(from_base32("mzxw 6ytb-oi==").unwrap(), b"foobar");
        assert_eq!(from_base32("MZXW1"), None);
    }

    #[test]
    fn a_code_works_near_its_time_and_once() {
        let secret = b"12345678901234567890";
        let now = step_at(1111111109);
        let typed = code(secret, now);
        assert_eq!(accepts(secret, &typed, now, None), Some(now));
        assert_eq!(accepts(secret, &format!(" {typed} "), now, None), Some(now));
        // A phone a step behind or ahead.
        assert_eq!(accepts(secret, &typed, now + 1, None), Some(now));
        assert_eq!(accepts(secret, &typed, now - 1, None), Some(now));
        // Too far, used already, or not a code.
        assert_eq!(accepts(secret, &typed, now + 2, None), None);
        assert_eq!(accepts(secret, &typed, now, Some(now)), None);
        assert_eq!(accepts(secret, "12345", now, None), None);
        assert_eq!(accepts(secret, "abcdef", now, None), None);
        assert_eq!(accepts(secret, &"9".repeat(10_000), now, None), None);
    }

    #[test]
    fn the_link_names_the_issuer_and_account() {
        let uri = otpauth_uri("Opportunity Lombardy", "anna@regione.test", b"foobar");
        assert_eq!(
            uri,
            "otpauth://totp/Opportunity%20Lombardy:anna%40regione.test?secret=MZXW6YTBOI\
             &issuer=Opportunity%20Lombardy&algorithm=SHA1&digits=6&period=30"
        );
    }
}
