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

/// Argon2 takes tens of milliseconds of CPU and 19 MiB each time: run on the
/// async workers, a few logins at once would stall every other request. So it
/// runs on the blocking pool, at most this many at a time; the rest wait their turn.
const AT_ONCE: usize = 2;
static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);

async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let _slot = SLOTS
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(work)
        .await
        .expect("password hashing does not panic")
}

/// [`hash`], off the async workers.
pub async fn hash_off(password: &str) -> String {
    let password = password.to_string();
    off_the_workers(move || hash(&password)).await
}

/// [`verify`] of an account's hash, or of a dummy one when there is no account,
/// so that both take as long; off the async workers.
pub async fn verify_off(stored: Option<&str>, password: &str) -> bool {
    let (stored, password) = (stored.map(str::to_string), password.to_string());
    off_the_workers(move || match stored {
        Some(stored) => verify(&stored, &password),
        None => {
            verify_dummy(&password);
            false
        }
    })
    .await
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
