//! SeaORM entities, one module per table.

pub mod audit_entry;
pub mod audit_head;
pub mod auth_token;
pub mod candidacy;
pub mod candidacy_event;
pub mod candidacy_value;
pub mod document;
pub mod integration_item;
pub mod integration_request;
pub mod internal_note;
pub mod login_failure;
pub mod outbox;
pub mod owner;
pub mod profile;
pub mod publication;
pub mod recovery_code;
pub mod reminder;
pub mod saved_search;
pub mod saved_search_site;
pub mod session;
pub mod user;
