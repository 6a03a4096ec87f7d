//! Files uploaded for a candidacy and what their checks said.

use crate::candidacies;
use crate::candidacies::uploads::{self, Incoming, Received};
use crate::db::entities::{candidacy, document};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use forms::{Lang, Report, Severity};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const TEMPLATE: &str = "template";

/// One finding of a check, kept in both languages so it shows in either later.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    /// error | warning | info
    pub severity: String,
    pub it: String,
    pub en: String,
}

pub fn findings(report: &Report) -> Vec<Finding> {
    let mut problems = report.problems.clone();
    problems.sort_by_key(|p| p.severity);
    problems
        .iter()
        .map(|p| Finding {
            severity: match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            }
            .into(),
            it: p.line(Lang::It),
            en: p.line(Lang::En),
        })
        .collect()
}

pub fn read_findings(doc: &document::Model) -> Vec<Finding> {
    serde_json::from_str(&doc.report).unwrap_or_default()
}

pub async fn record(
    db: &impl ConnectionTrait,
    candidacy_id: i64,
    purpose: &str,
    file: &Received,
    findings: &[Finding],
    signed: Option<Signed<'_>>,
    now: DateTime<Utc>,
) -> AppResult<document::Model> {
    let accepted = !findings.iter().any(|f| f.severity == "error");
    let row = document::ActiveModel {
        candidacy_id: Set(candidacy_id),
        purpose: Set(purpose.to_string()),
        original_name: Set(file.original_name.clone()),
        sha256: Set(file.sha256.clone()),
        size: Set(file.size as i64),
        accepted: Set(accepted),
        report: Set(serde_json::to_string(findings).unwrap_or_else(|_| "[]".into())),
        created_at: Set(now),
        signature: Set(signed.and_then(|s| s.verdict).map(str::to_string)),
        signed_for: Set(signed.map(|s| s.signed_for.to_string())),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// Refuses `adding` bytes more when the account that owns `candidacy_id`
/// would then keep more than `quota` bytes in all its candidacies' documents
/// (files replaced in this transaction are already gone). Two uploads at the
/// same instant to two candidacies can both pass: the excess is one file each.
async fn check_quota(
    txn: &impl ConnectionTrait,
    candidacy_id: i64,
    adding: u64,
    quota: u64,
) -> AppResult<()> {
    let account: i64 = candidacy::Entity::find_by_id(candidacy_id)
        .select_only()
        .column(candidacy::Column::UserId)
        .into_tuple()
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let candidacies: Vec<i64> = candidacy::Entity::find()
        .filter(candidacy::Column::UserId.eq(account))
        .select_only()
        .column(candidacy::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    let sizes: Vec<i64> = document::Entity::find()
        .filter(document::Column::CandidacyId.is_in(candidacies))
        .select_only()
        .column(document::Column::Size)
        .into_tuple()
        .all(txn)
        .await?;
    let used: u64 = sizes.iter().map(|s| u64::try_from(*s).unwrap_or(0)).sum();
    if used.saturating_add(adding) > quota {
        return Err(AppError::QuotaFull);
    }
    Ok(())
}

/// What was checked of a signed form or an identity document: whose it must be.
#[derive(Clone, Copy, Debug)]
pub struct Signed<'a> {
    /// The signature check's verdict (valid | invalid | …); none for the identity document.
    pub verdict: Option<&'a str>,
    /// `signed_forms::checked_for` of the owner it was checked against.
    pub signed_for: &'a str,
}

/// The last file uploaded for `purpose`: the one that counts.
pub async fn latest(
    db: &impl ConnectionTrait,
    candidacy_id: i64,
    purpose: &str,
) -> AppResult<Option<document::Model>> {
    Ok(document::Entity::find()
        .filter(document::Column::CandidacyId.eq(candidacy_id))
        .filter(document::Column::Purpose.eq(purpose))
        .filter(document::Column::RetiredAt.is_null())
        .order_by_desc(document::Column::Id)
        .one(db)
        .await?)
}

/// Every file kept for `purpose`, oldest first.
pub async fn all_for(
    db: &impl ConnectionTrait,
    candidacy_id: i64,
    purpose: &str,
) -> AppResult<Vec<document::Model>> {
    Ok(document::Entity::find()
        .filter(document::Column::CandidacyId.eq(candidacy_id))
        .filter(document::Column::Purpose.eq(purpose))
        .filter(document::Column::RetiredAt.is_null())
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?)
}

/// Keeps a checked file for a candidacy still editable, all or nothing: the
/// file moves from `tmp` into the store under `dir`, and in one transaction a
/// single-file slot (`replace`) loses its previous file and the row is written.
/// Files no row points to any more are deleted; so is this one if it is refused.
/// `part` is the slot: the template (with the request it was compared with) or
/// a document's purpose.
#[allow(clippy::too_many_arguments)]
pub async fn keep(
    db: &DatabaseConnection,
    dir: &Path,
    candidacy_id: i64,
    part: candidacies::Part<'_>,
    replace: bool,
    incoming: Incoming,
    findings: &[Finding],
    signed: Option<Signed<'_>>,
    quota: u64,
    now: DateTime<Utc>,
) -> AppResult<document::Model> {
    let purpose = part
        .purpose()
        .ok_or_else(|| AppError::Internal(format!("{part:?} is not a document")))?;
    let _blobs = uploads::BLOBS.lock().await;
    let file = uploads::store(incoming, dir)
        .await
        .map_err(|e| AppError::Internal(format!("{e:?}")))?;
    let result = async {
        let (txn, submitted) = candidacies::editing(db, candidacy_id, part, now).await?;
        let replaced = if replace {
            clear(&txn, candidacy_id, purpose, &submitted, now).await?
        } else {
            Vec::new()
        };
        check_quota(&txn, candidacy_id, file.size, quota).await?;
        let row = record(&txn, candidacy_id, purpose, &file, findings, signed, now).await?;
        txn.commit().await?;
        Ok::<_, AppError>((row, replaced))
    }
    .await;
    match result {
        Ok((row, replaced)) => {
            for sha256 in replaced {
                forget(db, dir, &sha256).await;
            }
            Ok(row)
        }
        Err(e) => {
            forget(db, dir, &file.sha256).await;
            Err(e)
        }
    }
}

/// Deletes a file the portal stored itself (a receipt) if no row points to it.
pub async fn forget_unused(db: &DatabaseConnection, dir: &Path, sha256: &str) {
    let _blobs = uploads::BLOBS.lock().await;
    forget(db, dir, sha256).await;
}

/// Deletes the stored file `sha256` if no row points to it (caller holds `BLOBS`).
async fn forget(db: &DatabaseConnection, dir: &Path, sha256: &str) {
    match referenced(db, sha256).await {
        Ok(false) => uploads::delete_stored(dir, sha256).await,
        Ok(true) => {}
        Err(e) => tracing::warn!(error = %e, "a stored file's references could not be counted"),
    }
}

/// Removes one attachment of a candidacy still editable, and its file when no
/// other row shares it; `NotFound` when it is not one of its attachments (the
/// template, the signed forms and the receipt are replaced, never removed).
pub async fn remove_attachment(
    db: &DatabaseConnection,
    dir: &Path,
    candidacy_id: i64,
    document_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let removable: Vec<&str> = forms::attachments::ALL.iter().map(|p| p.code()).collect();
    let _blobs = uploads::BLOBS.lock().await;
    let Some(doc) = document::Entity::find_by_id(document_id)
        .filter(document::Column::CandidacyId.eq(candidacy_id))
        .filter(document::Column::Purpose.is_in(removable))
        .filter(document::Column::RetiredAt.is_null())
        .one(db)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    let part = candidacies::Part::Document(&doc.purpose);
    let (txn, submitted) = candidacies::editing(db, candidacy_id, part, now).await?;
    if submitted.contains(&doc.id) {
        retire(&txn, &[doc.id], now).await?;
        txn.commit().await?;
        return Ok(());
    }
    document::Entity::delete_by_id(doc.id).exec(&txn).await?;
    txn.commit().await?;
    forget(db, dir, &doc.sha256).await;
    Ok(())
}

/// Takes every document of `purpose` out of the candidacy (a single-file slot
/// gets a new file), returning the hashes of the files no row keeps. While
/// answering a request, a document among `submitted` is listed by a receipt:
/// it is retired, not deleted.
async fn clear(
    db: &impl ConnectionTrait,
    candidacy_id: i64,
    purpose: &str,
    submitted: &[i64],
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    let (kept, since_request): (Vec<_>, Vec<_>) = all_for(db, candidacy_id, purpose)
        .await?
        .into_iter()
        .partition(|d| submitted.contains(&d.id));
    let ids: Vec<i64> = kept.iter().map(|d| d.id).collect();
    retire(db, &ids, now).await?;
    let gone: Vec<i64> = since_request.iter().map(|d| d.id).collect();
    document::Entity::delete_many()
        .filter(document::Column::Id.is_in(gone))
        .exec(db)
        .await?;
    Ok(since_request.into_iter().map(|d| d.sha256).collect())
}

async fn retire(db: &impl ConnectionTrait, ids: &[i64], now: DateTime<Utc>) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    document::Entity::update_many()
        .col_expr(document::Column::RetiredAt, Expr::value(Some(now)))
        .filter(document::Column::Id.is_in(ids.to_vec()))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether any document row still points to the stored file `sha256`.
async fn referenced(db: &impl ConnectionTrait, sha256: &str) -> AppResult<bool> {
    Ok(document::Entity::find()
        .filter(document::Column::Sha256.eq(sha256))
        .one(db)
        .await?
        .is_some())
}

/// A document of this candidacy; None for another candidacy's.
pub async fn find(
    db: &DatabaseConnection,
    candidacy_id: i64,
    document_id: i64,
) -> AppResult<Option<document::Model>> {
    Ok(document::Entity::find_by_id(document_id)
        .one(db)
        .await?
        .filter(|d| d.candidacy_id == candidacy_id))
}
