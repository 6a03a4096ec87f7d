//! Files uploaded for a candidacy and what their checks said.

use crate::db::entities::document;
use crate::error::AppResult;
use crate::uploads::Received;
use chrono::{DateTime, Utc};
use forms::{Lang, Report, Severity};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};

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
    signature: Option<&str>,
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
        signature: Set(signature.map(str::to_string)),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// The last file uploaded for `purpose`: the one that counts.
pub async fn latest(
    db: &DatabaseConnection,
    candidacy_id: i64,
    purpose: &str,
) -> AppResult<Option<document::Model>> {
    Ok(document::Entity::find()
        .filter(document::Column::CandidacyId.eq(candidacy_id))
        .filter(document::Column::Purpose.eq(purpose))
        .order_by_desc(document::Column::Id)
        .one(db)
        .await?)
}

/// Every file kept for `purpose`, oldest first.
pub async fn all_for(
    db: &DatabaseConnection,
    candidacy_id: i64,
    purpose: &str,
) -> AppResult<Vec<document::Model>> {
    Ok(document::Entity::find()
        .filter(document::Column::CandidacyId.eq(candidacy_id))
        .filter(document::Column::Purpose.eq(purpose))
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?)
}

/// Removes one document of a candidacy; false when it is not one of its attachments.
/// The stored bytes stay: they may be shared with another document of the same content.
pub async fn remove(
    db: &DatabaseConnection,
    candidacy_id: i64,
    document_id: i64,
) -> AppResult<bool> {
    let result = document::Entity::delete_many()
        .filter(document::Column::Id.eq(document_id))
        .filter(document::Column::CandidacyId.eq(candidacy_id))
        .filter(document::Column::Purpose.ne(TEMPLATE))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Removes every document of `purpose` (a single-file slot gets a new file).
pub async fn clear(db: &DatabaseConnection, candidacy_id: i64, purpose: &str) -> AppResult<()> {
    document::Entity::delete_many()
        .filter(document::Column::CandidacyId.eq(candidacy_id))
        .filter(document::Column::Purpose.eq(purpose))
        .exec(db)
        .await?;
    Ok(())
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
