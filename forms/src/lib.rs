//! The Opportunity Lombardy call as data and its engine: the field catalogue
//! (`call/opportunity-lombardy.toml`), the reference lists, the Excel template
//! writer and reader, the validator and the Markdown texts.
//! Knows nothing of HTTP or databases.

pub mod attachments;
pub mod call;
pub mod identity;
pub mod markdown;
pub mod pdf;
pub mod receipt;
pub mod reference;
pub mod report;
pub mod sample;
pub mod signed_forms;
pub mod template;
pub mod texts;
pub mod validate;
pub mod value;

pub use call::{Call, Kind, Lang, Localized};
pub use report::{Problem, Severity};
pub use texts::{email, page, reasons, EmailText, PageText, ReasonText, TextError};
pub use validate::{check_file, Report};
pub use value::{Cell, Value};
