//! Accounts on the web: registering, logging in and out, resetting the
//! password (`auth`), and the account page (`account`).

pub mod account;
pub mod auth;
pub mod second_factor;
pub mod staff;
