//! Accounts and their security: password hashing, sessions, single-use emailed
//! links, login throttling, and the account operations built on them.

pub mod operations;
pub mod password;
pub mod second_factor;
pub mod session;
pub mod staff;
pub mod throttle;
pub mod tokens;
pub mod totp;
