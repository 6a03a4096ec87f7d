//! Queueing emails, and the admin's view of the ones that could not be delivered.

use crate::db::entities::outbox;
use crate::error::{AppError, AppResult};
use app::Lang;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// Templates whose link signs its reader in or sets a password: once the
/// message is delivered or given up, its body is wiped from the record, so
/// whoever reads the database later (a backup, a report) finds no usable link.
pub const ONE_TIME_LINKS: [&str; 2] = ["verify_email", "password_reset"];

/// What stays of a wiped body.
pub const WIPED: &str = "(one-time link removed after delivery)";

/// Renders the email `template` (a Markdown file in `forms/texts/emails/`) in the
/// recipient's language and queues it. Call it with the transaction of the change
/// that causes the email, so both happen or neither.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    to: &str,
    template: &str,
    lang: Lang,
    vars: &[(&str, &str)],
    now: DateTime<Utc>,
) -> AppResult<()> {
    insert(db, to, template, lang, vars, Extras::default(), now).await
}

/// A file sent with an email: the name the recipient sees, and the stored file's path.
pub struct Attachment<'a> {
    pub name: &'a str,
    pub path: &'a str,
}

/// `enqueue`, with a file attached (read when the message is sent).
pub async fn enqueue_with_file(
    db: &impl ConnectionTrait,
    to: &str,
    template: &str,
    lang: Lang,
    vars: &[(&str, &str)],
    file: Attachment<'_>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let extras = Extras {
        file: Some(file),
        ..Default::default()
    };
    insert(db, to, template, lang, vars, extras, now).await
}

/// `enqueue`, for one of a series the recipient can stop: `unsubscribe` is
/// the address that stops it, sent in the headers mail programs offer as
/// an "unsubscribe" button (RFC 2369, one-click POST of RFC 8058).
pub async fn enqueue_stoppable(
    db: &impl ConnectionTrait,
    to: &str,
    template: &str,
    lang: Lang,
    vars: &[(&str, &str)],
    unsubscribe: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let extras = Extras {
        unsubscribe: Some(unsubscribe),
        ..Default::default()
    };
    insert(db, to, template, lang, vars, extras, now).await
}

/// What some messages carry besides their text.
#[derive(Default)]
struct Extras<'a> {
    file: Option<Attachment<'a>>,
    unsubscribe: Option<&'a str>,
}

async fn insert(
    db: &impl ConnectionTrait,
    to: &str,
    template: &str,
    lang: Lang,
    vars: &[(&str, &str)],
    extras: Extras<'_>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let text =
        forms::email(template, lang.code(), vars).map_err(|e| AppError::Internal(e.to_string()))?;
    let file = extras.file;
    outbox::ActiveModel {
        unsubscribe: Set(extras.unsubscribe.map(str::to_string)),
        attachment_name: Set(file.as_ref().map(|f| f.name.to_string())),
        attachment_path: Set(file.as_ref().map(|f| f.path.to_string())),
        to_addr: Set(to.to_string()),
        template: Set(template.to_string()),
        subject: Set(text.subject),
        body_text: Set(text.text),
        body_html: Set(text.html),
        status: Set(PENDING.to_string()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Messages given up on, newest first, for the admin page.
pub async fn failed(db: &impl ConnectionTrait) -> AppResult<Vec<outbox::Model>> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.eq(FAILED))
        .order_by_desc(outbox::Column::CreatedAt)
        .all(db)
        .await?)
}
