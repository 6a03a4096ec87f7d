//! Officers' internal notes on a candidacy: what one officer tells the
//! next (a phone call with the owner, a doubt to check). For staff only:
//! never emailed, never on the proponent's pages.

use crate::audit;
use crate::db::entities::{candidacy, internal_note};
use crate::error::{AppError, AppResult};
use crate::review::{decisions, queue};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use sea_orm::{ConnectionTrait, TransactionTrait};

/// A note as the review page lists it.
pub struct Note {
    pub at: DateTime<Utc>,
    pub author: String,
    pub text: String,
}

/// Adds `text` (cleaned; `BadRequest` when empty or too long) to `c`'s notes
/// as written by `officer` now.
pub async fn add(
    state: &AppState,
    c: &candidacy::Model,
    officer: &crate::db::entities::user::Model,
    text: &str,
) -> AppResult<()> {
    decisions::officer(officer)?;
    let text = decisions::check_reasons(text, "").map_err(|_| AppError::BadRequest)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let note = internal_note::ActiveModel {
        candidacy_id: Set(c.id),
        author_id: Set(officer.id),
        at: Set(now),
        text: Set(text),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // The note by its number: its text stays in the notes, not copied here.
    let entry = audit::Entry::new(audit::Who::user(officer), Some(c.id), audit::Action::Note)
        .subject(format!("n. {}", note.id));
    audit::append(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The notes on candidacy `id`, oldest first, with their authors' emails.
pub async fn all(db: &impl ConnectionTrait, candidacy_id: i64) -> AppResult<Vec<Note>> {
    let rows = internal_note::Entity::find()
        .filter(internal_note::Column::CandidacyId.eq(candidacy_id))
        .order_by_asc(internal_note::Column::Id)
        .all(db)
        .await?;
    let emails = queue::emails_of(db, rows.iter().map(|n| n.author_id)).await?;
    Ok(rows
        .into_iter()
        .map(|n| Note {
            at: n.at,
            author: emails.get(&n.author_id).cloned().unwrap_or_default(),
            text: n.text,
        })
        .collect())
}
