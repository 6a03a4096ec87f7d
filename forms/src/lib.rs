//! The Opportunity Lombardy call as data. For now: the Markdown texts of the
//! information pages and of the emails. Knows nothing of HTTP or databases.

pub mod markdown;
pub mod texts;

pub use texts::{email, page, EmailText, PageText, TextError};
