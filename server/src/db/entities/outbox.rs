use sea_orm::entity::prelude::*;

/// An email waiting to be delivered, or its record once delivered or given up.
/// Rendered when queued, so it is sent exactly as it was meant when the change happened.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// "pending", "sent" or "failed" (permanently).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A worker holds the message until this instant; another worker may take it after.
    pub locked_until: Option<DateTimeUtc>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// A file sent with the message (the submission receipt): its name, and where it is stored.
    pub attachment_name: Option<String>,
    pub attachment_path: Option<String>,
    /// The template it was made from (`forms/texts/emails/<template>.md`).
    pub template: String,
    /// The address that ends the emails this one belongs to (a saved
    /// search's), sent as `List-Unsubscribe` with one-click POST (RFC 8058).
    pub unsubscribe: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
