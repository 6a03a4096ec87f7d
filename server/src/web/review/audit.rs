//! The audit log for staff: `/staff/candidacies/{id}/audit` (one
//! candidacy's timeline, any officer) and `/staff/audit` (the whole log and
//! the check of its chain, administrators only), each also as CSV.

use crate::audit::{self, Action, Verdict};
use crate::candidacies::status::Status;
use crate::clock::rome;
use crate::db::entities::{audit_entry, candidacy};
use crate::error::AppResult;
use crate::review::exports::{csv_lines, Cell};
use crate::review::queue;
use crate::web::candidacies::status_name;
use crate::web::context::Ctx;
use crate::web::download_body;
use crate::web::extract::{Admin, Reviewed};
use crate::web::page;
use app::view_data::{AuditLine, AuditView};
use app::Lang;
use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use forms::Call;
use sea_orm::{ActiveEnum, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use serde::Deserialize;
use std::collections::HashMap;

/// Lines on a page of the whole log, on a candidacy's page (the latest),
/// and read at once for a CSV.
const PAGE: u64 = 200;
const SHOWN: u64 = 500;
const CSV_PAGE: u64 = 1000;

/// One candidacy's lines, oldest first.
pub async fn candidacy(ctx: Ctx, r: Reviewed) -> AppResult<Response> {
    let c = &r.candidacy;
    let rows = audit::of_candidacy(&ctx.state.db, c.id, SHOWN).await?;
    let reference = c.reference.clone().unwrap_or_default();
    let view = AuditView {
        candidacy: Some((reference, format!("/staff/candidacies/{}", c.id))),
        lines: shown(&ctx.state.db, ctx.lang, rows).await?,
        csv_href: format!("/staff/candidacies/{}/audit.csv", c.id),
        older_href: None,
        verify_href: None,
        verdict: None,
    };
    Ok(page(
        StatusCode::OK,
        app::pages::audit::audit(&ctx.page(), &view),
    ))
}

pub async fn candidacy_csv(ctx: Ctx, r: Reviewed) -> AppResult<Response> {
    let name = format!(
        "registro-{}.csv",
        r.candidacy.reference.as_deref().unwrap_or("candidatura")
    );
    Ok(download_body(
        "text/csv; charset=utf-8",
        &name,
        csv_body(&ctx, Some(r.candidacy.id)),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    /// Lines before this number (the next page of older lines).
    before: Option<i64>,
    /// `1`: check the chain from the first line.
    verify: Option<u8>,
}

/// The whole log, newest first, a page at a time; the chain checked when
/// asked (it reads every line, so not on every visit).
pub async fn log(ctx: Ctx, Admin(_): Admin, Query(q): Query<LogQuery>) -> AppResult<Response> {
    let rows = audit::page(&ctx.state.db, q.before, PAGE).await?;
    let older_href = match rows.last() {
        Some(last) if rows.len() as u64 == PAGE && last.seq > 1 => {
            Some(format!("/staff/audit?before={}", last.seq))
        }
        _ => None,
    };
    let verdict = match q.verify {
        Some(1) => Some(match audit::verify(&ctx.state.db).await? {
            Verdict::Intact { lines, head } => ("audit.intact", format!("{lines}: {head}")),
            Verdict::BrokenAt(seq) => ("audit.broken", seq.to_string()),
            Verdict::Truncated { lines, head_seq } => {
                ("audit.truncated", format!("{lines} / {head_seq}"))
            }
        }),
        _ => None,
    };
    let view = AuditView {
        candidacy: None,
        lines: shown(&ctx.state.db, ctx.lang, rows).await?,
        csv_href: "/staff/audit.csv".into(),
        older_href,
        verify_href: Some("/staff/audit?verify=1#verdict".into()),
        verdict,
    };
    Ok(page(
        StatusCode::OK,
        app::pages::audit::audit(&ctx.page(), &view),
    ))
}

pub async fn log_csv(ctx: Ctx, Admin(_): Admin) -> AppResult<Response> {
    let now = rome(ctx.state.clock.now());
    let name = format!(
        "registro-{:04}-{:02}-{:02}.csv",
        now.year, now.month, now.day
    );
    Ok(download_body(
        "text/csv; charset=utf-8",
        &name,
        csv_body(&ctx, None),
    ))
}

/// Lines as the page shows them: accounts by email, statuses and fields
/// by name in `lang`, references of the candidacies.
async fn shown(
    db: &DatabaseConnection,
    lang: Lang,
    rows: Vec<audit_entry::Model>,
) -> AppResult<Vec<AuditLine>> {
    // Actors, and the officers a reassignment names by id.
    let assigned = rows
        .iter()
        .filter(|l| l.action == Action::Assign.as_str())
        .flat_map(|l| [l.old_value.parse().ok(), l.new_value.parse().ok()])
        .flatten();
    let ids = rows.iter().filter_map(|l| l.actor_id).chain(assigned);
    let emails = queue::emails_of(db, ids.collect::<Vec<i64>>().into_iter()).await?;
    let references = references_of(db, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|l| {
            let (old, new) = values(&l, lang, &emails);
            AuditLine {
                seq: l.seq,
                at: rome(l.at),
                who: who(&emails, &l, lang),
                candidacy: l.candidacy_id.map(|id| {
                    let reference = references
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| id.to_string());
                    (reference, format!("/staff/candidacies/{id}"))
                }),
                action: action_key(&l.action),
                subject: subject(&l, lang),
                old,
                new,
                note: l.note,
            }
        })
        .collect())
}

async fn references_of(
    db: &DatabaseConnection,
    rows: &[audit_entry::Model],
) -> AppResult<HashMap<i64, String>> {
    let mut ids: Vec<i64> = rows.iter().filter_map(|l| l.candidacy_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let found: Vec<(i64, Option<String>)> = candidacy::Entity::find()
        .select_only()
        .column(candidacy::Column::Id)
        .column(candidacy::Column::Reference)
        .filter(candidacy::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found
        .into_iter()
        .filter_map(|(id, r)| Some((id, r?)))
        .collect())
}

fn who(emails: &HashMap<i64, String>, l: &audit_entry::Model, lang: Lang) -> String {
    let kind = app::i18n::t(lang, &format!("review.actor_{}", l.actor_kind));
    match l.actor_id.and_then(|id| emails.get(&id)) {
        Some(email) => format!("{email} ({kind})"),
        None => kind,
    }
}

fn action_key(stored: &str) -> &'static str {
    match Action::parse(stored) {
        Some(Action::Status) => "audit.action_status",
        Some(Action::Assign) => "audit.action_assign",
        Some(Action::Unpublish) => "audit.action_unpublish",
        Some(Action::Field) => "audit.action_field",
        Some(Action::Note) => "audit.action_note",
        Some(Action::Download) => "audit.action_download",
        Some(Action::Export) => "audit.action_export",
        Some(Action::Account) => "audit.action_account",
        Some(Action::Import) | None => "audit.action_import",
    }
}

/// A field by its label in `lang`; anything else as recorded.
fn subject(l: &audit_entry::Model, lang: Lang) -> String {
    match Action::parse(&l.action) {
        Some(Action::Field) => Call::embedded().field(&l.subject).map_or_else(
            || l.subject.clone(),
            |f| f.label.get(forms_lang(lang)).to_string(),
        ),
        _ => l.subject.clone(),
    }
}

/// Old and new values to read: statuses by name, a field's options by
/// label; anything else as recorded.
fn values(l: &audit_entry::Model, lang: Lang, emails: &HashMap<i64, String>) -> (String, String) {
    let officer = |v: &str| match v.parse::<i64>().ok().and_then(|id| emails.get(&id)) {
        Some(email) => email.clone(),
        None => v.to_string(),
    };
    let status = |s: &str| match Status::try_from_value(&s.to_string()) {
        Ok(s) => app::i18n::t(lang, status_name(s)),
        Err(_) => s.to_string(),
    };
    match Action::parse(&l.action) {
        Some(Action::Status | Action::Import) => (status(&l.old_value), status(&l.new_value)),
        Some(Action::Assign) => (officer(&l.old_value), officer(&l.new_value)),
        Some(Action::Field) => match Call::embedded().field(&l.subject) {
            Some(field) => {
                let read = |v: &str| {
                    if v.is_empty() {
                        return String::new();
                    }
                    match crate::review::answers::read_kept(field, v, forms_lang(lang)) {
                        crate::review::answers::Kept::Labels(labels) => labels.join(", "),
                        crate::review::answers::Kept::Text(t) => t,
                        crate::review::answers::Kept::Number(_) => v.to_string(),
                    }
                };
                (read(&l.old_value), read(&l.new_value))
            }
            None => (l.old_value.clone(), l.new_value.clone()),
        },
        _ => (l.old_value.clone(), l.new_value.clone()),
    }
}

fn forms_lang(lang: Lang) -> forms::Lang {
    crate::candidacies::signed_forms::document_lang(lang)
}

/// The CSV of the log (of one candidacy, or all of it), oldest first, a
/// page of lines at a time: memory stays flat however long the log. Each
/// line carries its hash, to find it in the log (the CSV shows names where
/// the log keeps ids: the chain is checked on the log, not on the file).
fn csv_body(ctx: &Ctx, candidacy_id: Option<i64>) -> Body {
    let (db, lang) = (ctx.state.db.clone(), ctx.lang);
    // (next line to read, whether the header went out)
    let chunks = futures_util::stream::unfold(Some((1i64, false)), move |at| {
        let db = db.clone();
        async move {
            let (from, header_sent) = at?;
            let chunk = csv_chunk(&db, lang, candidacy_id, from, header_sent).await;
            match chunk {
                Ok(Some((bytes, next))) => Some((Ok(Bytes::from(bytes)), Some((next, true)))),
                Ok(None) => None,
                Err(e) => {
                    tracing::error!(error = %e, "audit export broken off");
                    Some((Err(std::io::Error::other(e.to_string())), None))
                }
            }
        }
    });
    Body::from_stream(chunks)
}

/// The header (first time) and the lines from `from` on: the bytes and the
/// next line to read, or `None` when everything was sent.
async fn csv_chunk(
    db: &DatabaseConnection,
    lang: Lang,
    candidacy_id: Option<i64>,
    from: i64,
    header_sent: bool,
) -> AppResult<Option<(Vec<u8>, i64)>> {
    let rows = audit::from_seq(db, candidacy_id, from, CSV_PAGE).await?;
    let next = match rows.last() {
        Some(last) => last.seq + 1,
        None if header_sent => return Ok(None),
        None => from,
    };
    let mut out = Vec::new();
    if !header_sent {
        let keys = [
            "audit.seq",
            "audit.when",
            "audit.who",
            "audit.candidacy",
            "audit.what",
            "audit.subject",
            "audit.old",
            "audit.new",
            "audit.why",
            "audit.hash",
        ];
        let header: Vec<String> = keys.iter().map(|k| app::i18n::t(lang, k)).collect();
        // A byte-order mark, so spreadsheets read the file as UTF-8.
        out.extend("\u{feff}".as_bytes());
        out.extend(csv_lines(Some(&header), &[], lang)?);
    }
    let hashes: Vec<(String, String)> = rows
        .iter()
        .map(|l| (l.at.to_rfc3339(), l.hash.clone()))
        .collect();
    let lines = shown(db, lang, rows).await?;
    let cells: Vec<Vec<Cell>> = lines
        .into_iter()
        .zip(hashes)
        .map(|(l, (at, hash))| {
            vec![
                Cell::Number(l.seq as f64),
                Cell::Text(at),
                Cell::Text(l.who),
                Cell::Text(l.candidacy.map(|(r, _)| r).unwrap_or_default()),
                Cell::Text(app::i18n::t(lang, l.action)),
                Cell::Text(l.subject),
                Cell::Text(l.old),
                Cell::Text(l.new),
                Cell::Text(l.note),
                Cell::Text(hash),
            ]
        })
        .collect();
    out.extend(csv_lines(None, &cells, lang)?);
    Ok(Some((out, next)))
}
