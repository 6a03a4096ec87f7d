//! Accounts and their security: password hashing, sessions, single-use emailed
//! links, login throttling, and the account operations built on them.

pub mod accounts;
pub mod password;
pub mod session;
pub mod throttle;
pub mod tokens;
