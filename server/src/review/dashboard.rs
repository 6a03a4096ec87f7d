//! The back office's figures: how many candidacies in each status, province
//! and kind; how long deciding takes (median days from submission to the
//! first decision) and answering a request for integration; how old the
//! backlog is; how many replies are overdue. Read with a few grouped
//! queries and one pass over the decided candidacies, so the page costs
//! the same whatever the officer's filters.

use crate::candidacies::status::Status;
use crate::db::entities::{candidacy, candidacy_event, integration_request};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use forms::reference::Municipalities;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use std::collections::{BTreeMap, HashMap};

/// Ages of the backlog, in days since submission: 0–7, 8–15, 16–30, over 30.
pub const AGE_BUCKETS: [(i64, i64); 4] = [(0, 7), (8, 15), (16, 30), (31, i64::MAX)];

/// What the dashboard shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Past their draft, by status in the table's order.
    pub by_status: Vec<(Status, u64)>,
    /// By province code (with none for a candidacy without a place), most first.
    pub by_province: Vec<(String, u64)>,
    /// By kind code.
    pub by_kind: Vec<(String, u64)>,
    /// Median days from submission to the first decision, and how many decided.
    pub decision_days: Option<f64>,
    pub decided: usize,
    /// Median days from a request for integration to its reply, and how many replied.
    pub reply_days: Option<f64>,
    pub replied: usize,
    /// Candidacies waiting for the office (submitted, under review), by age bucket.
    pub backlog: [u64; 4],
    /// Requests for integration open past their due date.
    pub overdue: u64,
}

pub async fn figures(db: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<Figures> {
    let by_status = counts(db, candidacy::Column::Status).await?;
    let by_status = <Status as sea_orm::Iterable>::iter()
        .filter(|s| *s != Status::Draft)
        .map(|s| (s, by_status.get(s.as_str()).copied().unwrap_or(0)))
        .collect();
    let mut by_province: BTreeMap<String, u64> = BTreeMap::new();
    let places = Municipalities::get();
    for (code, n) in counts(db, candidacy::Column::MunicipalityCode).await? {
        let province = places
            .by_istat_code(&code)
            .map(|m| m.province_code.clone())
            .unwrap_or_default();
        *by_province.entry(province).or_default() += n;
    }
    let mut by_province: Vec<(String, u64)> = by_province.into_iter().collect();
    by_province.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let by_kind = counts(db, candidacy::Column::Kind)
        .await?
        .into_iter()
        .collect();
    let (decision_days, decided) = decision_days(db).await?;
    let (reply_days, replied) = reply_days(db).await?;
    Ok(Figures {
        by_status,
        by_province,
        by_kind,
        decision_days,
        decided,
        reply_days,
        replied,
        backlog: backlog(db, now).await?,
        overdue: integration_request::Entity::find()
            .filter(integration_request::Column::RepliedAt.is_null())
            .filter(integration_request::Column::DueAt.lt(now))
            .count(db)
            .await?,
    })
}

/// Candidacies past their draft, counted by `column` (as text; none as "").
async fn counts(
    db: &impl ConnectionTrait,
    column: candidacy::Column,
) -> AppResult<HashMap<String, u64>> {
    let rows: Vec<(Option<String>, i64)> = candidacy::Entity::find()
        .select_only()
        .column(column)
        .column_as(
            Expr::from(Func::count(Expr::col(candidacy::Column::Id))),
            "n",
        )
        .filter(candidacy::Column::Status.ne(Status::Draft))
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k.unwrap_or_default(), n.max(0) as u64))
        .collect())
}

/// Median days from submission to the first validation or rejection.
async fn decision_days(db: &impl ConnectionTrait) -> AppResult<(Option<f64>, usize)> {
    let decided: Vec<(i64, DateTime<Utc>)> = candidacy_event::Entity::find()
        .select_only()
        .column(candidacy_event::Column::CandidacyId)
        .column_as(
            Expr::from(Func::min(Expr::col(candidacy_event::Column::At))),
            "at",
        )
        .filter(
            candidacy_event::Column::ToStatus
                .is_in([Status::Validated.as_str(), Status::Rejected.as_str()]),
        )
        .group_by(candidacy_event::Column::CandidacyId)
        .into_tuple()
        .all(db)
        .await?;
    let submitted: HashMap<i64, DateTime<Utc>> = candidacy::Entity::find()
        .select_only()
        .column(candidacy::Column::Id)
        .column(candidacy::Column::SubmittedAt)
        .filter(candidacy::Column::SubmittedAt.is_not_null())
        .into_tuple::<(i64, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, at)| Some((id, at?)))
        .collect();
    let days: Vec<f64> = decided
        .into_iter()
        .filter_map(|(id, at)| Some(days_between(*submitted.get(&id)?, at)))
        .collect();
    let count = days.len();
    Ok((median(days), count))
}

/// Median days from a request for integration to its reply (withdrawals,
/// which close a request without one, left out).
async fn reply_days(db: &impl ConnectionTrait) -> AppResult<(Option<f64>, usize)> {
    let rows: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = integration_request::Entity::find()
        .select_only()
        .column(integration_request::Column::RequestedAt)
        .column(integration_request::Column::RepliedAt)
        .filter(integration_request::Column::RepliedBy.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let days: Vec<f64> = rows
        .into_iter()
        .filter_map(|(asked, replied)| Some(days_between(asked, replied?)))
        .collect();
    let count = days.len();
    Ok((median(days), count))
}

/// Submitted and under-review candidacies by days since submission.
async fn backlog(db: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<[u64; 4]> {
    let waiting: Vec<Option<DateTime<Utc>>> = candidacy::Entity::find()
        .select_only()
        .column(candidacy::Column::SubmittedAt)
        .filter(candidacy::Column::Status.is_in([Status::Submitted, Status::UnderReview]))
        .into_tuple()
        .all(db)
        .await?;
    let mut buckets = [0u64; 4];
    for at in waiting.into_iter().flatten() {
        let age = (now - at).num_days().max(0);
        if let Some(i) = AGE_BUCKETS
            .iter()
            .position(|(lo, hi)| (*lo..=*hi).contains(&age))
        {
            buckets[i] += 1;
        }
    }
    Ok(buckets)
}

fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds().max(0) as f64 / 86_400.0
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(match values.len() % 2 {
        1 => values[mid],
        _ => (values[mid - 1] + values[mid]) / 2.0,
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0]), Some(3.0));
        assert_eq!(median(vec![9.0, 1.0, 4.0]), Some(4.0));
        assert_eq!(median(vec![1.0, 2.0, 10.0, 4.0]), Some(3.0));
    }
}
