//! Argon2id password hashing (PHC string format, parameters from the argon2 crate's defaults).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::LazyLock;

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

pub fn verify(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checked when the email is unknown, so a login takes as long whether or not the account exists.
static DUMMY: LazyLock<String> = LazyLock::new(|| hash("not-a-real-password-at-all"));

pub fn verify_dummy(password: &str) {
    let _ = verify(&DUMMY, password);
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_and_differ() {
        let a = super::hash("correct horse battery");
        let b = super::hash("correct horse battery");
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(super::verify(&a, "correct horse battery"));
        assert!(!super::verify(&a, "correct horse battery!"));
        assert!(!super::verify("garbage", "x"));
    }
}
