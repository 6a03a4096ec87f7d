//! The audit log: who did what, when, to which candidacy, old → new, and
//! why, for every status move, assignment, field changed after submission,
//! internal note, download of a candidacy's document, export, and change
//! to a back-office account.
//!
//! Append-only: the application only inserts, and the database refuses
//! UPDATE and DELETE on `audit_log` (triggers, on SQLite and PostgreSQL).
//! Each line carries the SHA-256 of the line before and its own content, so
//! a line changed or removed behind the portal's back (by someone who can
//! drop the triggers) breaks the chain at that line: [`verify`] says where.
//! The head row keeps the last number and hash, so removing the last lines
//! is caught too; what the chain cannot catch is someone rewriting the
//! whole chain and the head, which is why the dashboard shows the head's
//! hash to be noted down elsewhere.

use crate::candidacies::status::Actor;
use crate::db::entities::{audit_entry, audit_head, candidacy_event, user};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use sha2::{Digest, Sha256};

/// What a line records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A move of the status table (old → new status).
    Status,
    /// An administrator gave the candidacy to another officer.
    Assign,
    /// A version taken off the catalogue while the candidacy stays in review.
    Unpublish,
    /// A template field changed by a reply to a request for integration.
    Field,
    /// An internal note written.
    Note,
    /// A document of the candidacy downloaded.
    Download,
    /// An export of the queue (every candidacy the filters select).
    Export,
    /// A line of the history from before the audit log, imported once.
    Import,
    /// A change to an account: created, role, deactivated, second factor.
    Account,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Status,
        Action::Assign,
        Action::Unpublish,
        Action::Field,
        Action::Note,
        Action::Download,
        Action::Export,
        Action::Import,
        Action::Account,
    ];

    /// As stored, and as the translation keys `audit.action_*` name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Status => "status",
            Action::Assign => "assign",
            Action::Unpublish => "unpublish",
            Action::Field => "field",
            Action::Note => "note",
            Action::Download => "download",
            Action::Export => "export",
            Action::Import => "import",
            Action::Account => "account",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Who: an account as whom it acted, or the portal itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    pub kind: &'static str,
    pub id: Option<i64>,
}

impl Who {
    pub fn actor((actor, id): (Actor, i64)) -> Who {
        Who {
            kind: actor.as_str(),
            id: (actor != Actor::Clock).then_some(id),
        }
    }

    /// An account, as its role (`users.role`) says.
    pub fn user(u: &user::Model) -> Who {
        let kind = match u.role.as_str() {
            "admin" => "admin",
            "staff" => "staff",
            "investor" => "investor",
            _ => "proponent",
        };
        Who {
            kind,
            id: Some(u.id),
        }
    }

    pub fn system() -> Who {
        Who {
            kind: "system",
            id: None,
        }
    }
}

/// One line to append.
#[derive(Clone, Debug)]
pub struct Entry {
    pub who: Who,
    pub candidacy_id: Option<i64>,
    pub action: Action,
    pub subject: String,
    pub old: String,
    pub new: String,
    pub note: String,
}

impl Entry {
    pub fn new(who: Who, candidacy_id: Option<i64>, action: Action) -> Entry {
        Entry {
            who,
            candidacy_id,
            action,
            subject: String::new(),
            old: String::new(),
            new: String::new(),
            note: String::new(),
        }
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Entry {
        self.subject = subject.into();
        self
    }

    pub fn change(mut self, old: impl Into<String>, new: impl Into<String>) -> Entry {
        self.old = old.into();
        self.new = new.into();
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Entry {
        self.note = note.into().trim().to_string();
        self
    }
}

/// Appends `e` at `now`, in the caller's transaction: the line stands or
/// falls with what it records. The head is updated first, which holds it
/// until the transaction ends, so appends happen one after the other and
/// number the lines without gaps. Lock order: callers lock the candidacy
/// row they change before appending and lock no other candidacy after, so
/// the head cannot be part of a deadlock.
pub async fn append(txn: &DatabaseTransaction, e: Entry, now: DateTime<Utc>) -> AppResult<i64> {
    let moved = audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Seq,
            Expr::col(audit_head::Column::Seq).add(1),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    let head = audit_head::Entity::find_by_id(1)
        .one(txn)
        .await?
        .filter(|_| moved.rows_affected == 1)
        .ok_or_else(|| AppError::Internal("the audit log has no head".into()))?;
    // PostgreSQL keeps microseconds, SQLite's text would keep nanoseconds:
    // cut to what both store, so the hash is of the value read back.
    let at = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    let line = audit_entry::Model {
        seq: head.seq,
        at,
        actor_id: e.who.id,
        actor_kind: e.who.kind.to_string(),
        candidacy_id: e.candidacy_id,
        action: e.action.as_str().to_string(),
        subject: e.subject,
        old_value: e.old,
        new_value: e.new,
        note: e.note,
        hash: String::new(),
    };
    let hash = hash_of(&head.hash, &line);
    audit_entry::ActiveModel {
        seq: Set(line.seq),
        at: Set(line.at),
        actor_id: Set(line.actor_id),
        actor_kind: Set(line.actor_kind),
        candidacy_id: Set(line.candidacy_id),
        action: Set(line.action),
        subject: Set(line.subject),
        old_value: Set(line.old_value),
        new_value: Set(line.new_value),
        note: Set(line.note),
        hash: Set(hash.clone()),
    }
    .insert(txn)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    Ok(head.seq)
}

/// Takes the log's head for the rest of `txn` without appending yet: for a
/// check that must see what any other appender did (the last administrator)
/// and, on SQLite, a transaction whose first statement must be a write.
pub async fn hold(txn: &DatabaseTransaction) -> AppResult<()> {
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq))
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    Ok(())
}

/// [`append`] in a transaction of its own, for what writes nothing else (a
/// download, an export).
pub async fn append_alone(db: &DatabaseConnection, e: Entry, now: DateTime<Utc>) -> AppResult<()> {
    let txn = db.begin().await?;
    append(&txn, e, now).await?;
    txn.commit().await?;
    Ok(())
}

/// SHA-256 of the previous hash and the line's fields, each written with its
/// length so that no two different lines hash the same text.
fn hash_of(previous: &str, l: &audit_entry::Model) -> String {
    let mut h = Sha256::new();
    let fields = [
        previous.to_string(),
        l.seq.to_string(),
        l.at.timestamp_micros().to_string(),
        l.actor_id.map(|id| id.to_string()).unwrap_or_default(),
        l.actor_kind.clone(),
        l.candidacy_id.map(|id| id.to_string()).unwrap_or_default(),
        l.action.clone(),
        l.subject.clone(),
        l.old_value.clone(),
        l.new_value.clone(),
        l.note.clone(),
    ];
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every line chains to the one before, and the head names the last.
    Intact { lines: i64, head: String },
    /// The first line that does not: changed, removed or out of order.
    BrokenAt(i64),
    /// The head names lines the log no longer has.
    Truncated { lines: i64, head_seq: i64 },
}

/// Recomputes the chain from the first line to the one the head names, a
/// page at a time (memory stays flat however long the log). The head is
/// read first: lines appended while the check runs come after it and are
/// left for the next check, not taken for a tampered tail.
pub async fn verify(db: &impl ConnectionTrait) -> AppResult<Verdict> {
    const PAGE: u64 = 1000;
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal("the audit log has no head".into()))?;
    let mut previous = "0".repeat(64);
    let mut expected = 1;
    while expected <= head.seq {
        let lines = audit_entry::Entity::find()
            .filter(audit_entry::Column::Seq.gte(expected))
            .filter(audit_entry::Column::Seq.lte(head.seq))
            .order_by_asc(audit_entry::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        if lines.is_empty() {
            break;
        }
        for l in lines {
            if l.seq != expected || hash_of(&previous, &l) != l.hash {
                return Ok(Verdict::BrokenAt(expected));
            }
            previous = l.hash;
            expected += 1;
        }
    }
    let lines = expected - 1;
    if lines != head.seq || head.hash != previous {
        return Ok(Verdict::Truncated {
            lines,
            head_seq: head.seq,
        });
    }
    Ok(Verdict::Intact {
        lines,
        head: previous,
    })
}

/// The latest `limit` lines about candidacy `id`, oldest first (the CSV
/// has them all).
pub async fn of_candidacy(
    db: &impl ConnectionTrait,
    candidacy_id: i64,
    limit: u64,
) -> AppResult<Vec<audit_entry::Model>> {
    let mut lines = audit_entry::Entity::find()
        .filter(audit_entry::Column::CandidacyId.eq(candidacy_id))
        .order_by_desc(audit_entry::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    lines.reverse();
    Ok(lines)
}

/// Up to `limit` lines before line `before` (the latest when none), newest
/// first: a page of the whole log.
pub async fn page(
    db: &impl ConnectionTrait,
    before: Option<i64>,
    limit: u64,
) -> AppResult<Vec<audit_entry::Model>> {
    let mut q = audit_entry::Entity::find();
    if let Some(before) = before {
        q = q.filter(audit_entry::Column::Seq.lt(before));
    }
    Ok(q.order_by_desc(audit_entry::Column::Seq)
        .limit(limit)
        .all(db)
        .await?)
}

/// Lines from `from` on, oldest first, `limit` at a time: for exports.
pub async fn from_seq(
    db: &impl ConnectionTrait,
    candidacy_id: Option<i64>,
    from: i64,
    limit: u64,
) -> AppResult<Vec<audit_entry::Model>> {
    let mut q = audit_entry::Entity::find().filter(audit_entry::Column::Seq.gte(from));
    if let Some(id) = candidacy_id {
        q = q.filter(audit_entry::Column::CandidacyId.eq(id));
    }
    Ok(q.order_by_asc(audit_entry::Column::Seq)
        .limit(limit)
        .all(db)
        .await?)
}

/// The history written before the audit log (status moves and
/// reassignments), copied into it once, at start-up, while the log is still
/// empty, each line as who made it then and when. Returns how many.
pub async fn import_history(db: &DatabaseConnection) -> AppResult<u64> {
    let txn = db.begin().await?;
    // The head's lock first: two servers starting at once import once.
    hold(&txn).await?;
    if audit_entry::Entity::find().count(&txn).await? > 0 {
        txn.rollback().await?;
        return Ok(0);
    }
    let events = candidacy_event::Entity::find()
        .order_by_asc(candidacy_event::Column::Id)
        .all(&txn)
        .await?;
    let imported = events.len() as u64;
    for ev in events {
        let kind = Actor::ALL
            .into_iter()
            .find(|a| a.as_str() == ev.actor_kind)
            .map_or("system", Actor::as_str);
        let who = Who {
            kind,
            id: (kind != "clock").then_some(ev.actor_id),
        };
        let entry = Entry::new(who, Some(ev.candidacy_id), Action::Import)
            .change(ev.from_status, ev.to_status)
            .note(ev.note);
        append(&txn, entry, ev.at).await?;
    }
    txn.commit().await?;
    Ok(imported)
}
