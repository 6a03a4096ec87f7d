//! The review queue: every candidacy past its draft, filtered, sorted and
//! paged in the database, with the count per status under the same filters.

use crate::candidacies::status::Status;
use crate::db::entities::{candidacy, integration_request, user};
use crate::error::AppResult;
use crate::review::integration::{self, LegalClock};
use chrono::{DateTime, Duration, Utc};
use forms::reference::Municipalities;
use forms::Kind;
use sea_orm::sea_query::{Condition, Expr, Func, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use std::collections::HashMap;

pub const PAGE_SIZE: u64 = 25;

/// Whose candidacies to list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InCharge {
    #[default]
    Anyone,
    /// The officer looking at the queue.
    Me,
    /// Nobody yet: waiting to be taken.
    Nobody,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Waiting longest first: the order work should be done in.
    #[default]
    Oldest,
    Newest,
}

/// What the officer asked to see. Values the queue does not know are dropped
/// by the web layer before they get here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub status: Option<Status>,
    /// Two letters, "BG".
    pub province: Option<String>,
    /// ISTAT code.
    pub municipality: Option<String>,
    pub kind: Option<Kind>,
    pub in_charge: InCharge,
    /// Filed by a delegate for an owner.
    pub delegated: bool,
    /// Submitted at least this many days ago.
    pub waiting_days: Option<u32>,
    /// Waiting for a reply to a request for integration past its due date.
    pub reply_overdue: bool,
    /// Part of the reference ("000123") or of the address.
    pub text: String,
    pub sort: Sort,
    /// From 1.
    pub page: u64,
}

pub struct Row {
    pub candidacy: candidacy::Model,
    pub officer: Option<String>,
    /// While staff must decide it.
    pub clock: Option<LegalClock>,
}

pub struct Queue {
    pub rows: Vec<Row>,
    /// Matching the whole filter.
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Per status, under every filter but the status itself.
    pub counts: Vec<(Status, u64)>,
}

/// The statuses the queue shows: all but drafts, which staff never see.
pub fn statuses() -> impl Iterator<Item = Status> {
    <Status as sea_orm::Iterable>::iter().filter(|s| *s != Status::Draft)
}

/// The candidacies matching everything in `f` except its status.
fn matching(f: &Filter, me: i64, now: DateTime<Utc>) -> Select<candidacy::Entity> {
    let mut q = candidacy::Entity::find().filter(candidacy::Column::Status.ne(Status::Draft));
    if let Some(code) = &f.municipality {
        q = q.filter(candidacy::Column::MunicipalityCode.eq(code.as_str()));
    } else if let Some(province) = &f.province {
        let codes: Vec<&str> = Municipalities::get()
            .all()
            .iter()
            .filter(|m| &m.province_code == province)
            .map(|m| m.istat_code.as_str())
            .collect();
        q = q.filter(candidacy::Column::MunicipalityCode.is_in(codes));
    }
    if let Some(kind) = f.kind {
        q = q.filter(candidacy::Column::Kind.eq(kind.code()));
    }
    q = match f.in_charge {
        InCharge::Anyone => q,
        InCharge::Me => q.filter(candidacy::Column::AssignedTo.eq(me)),
        InCharge::Nobody => q.filter(candidacy::Column::AssignedTo.is_null()),
    };
    if f.delegated {
        q = q.filter(candidacy::Column::OwnerId.is_not_null());
    }
    if f.reply_overdue {
        let late = Query::select()
            .column(integration_request::Column::CandidacyId)
            .from(integration_request::Entity)
            .and_where(integration_request::Column::RepliedAt.is_null())
            .and_where(integration_request::Column::DueAt.lt(now))
            .to_owned();
        q = q
            .filter(candidacy::Column::Status.eq(Status::IntegrationRequested))
            .filter(candidacy::Column::Id.in_subquery(late));
    }
    if let Some(days) = f.waiting_days {
        let since = now - Duration::days(i64::from(days));
        q = q.filter(candidacy::Column::SubmittedAt.lte(since));
    }
    let text = searchable(&f.text);
    if !text.is_empty() {
        let pattern = format!("%{text}%");
        q = q.filter(
            Condition::any()
                .add(candidacy::Column::Reference.like(pattern.to_uppercase()))
                .add(sea_orm::sea_query::ExprTrait::like(
                    Expr::expr(Func::lower(Expr::col(candidacy::Column::Address))),
                    pattern.to_lowercase(),
                )),
        );
    }
    q
}

/// The candidacies matching all of `f` (its status too), unsorted and
/// unpaged: the page's rows, and the exports', come from here.
pub fn selected(f: &Filter, me: i64, now: DateTime<Utc>) -> Select<candidacy::Entity> {
    let q = matching(f, me, now);
    match f.status {
        Some(s) => q.filter(candidacy::Column::Status.eq(s)),
        None => q,
    }
}

/// The search text without LIKE's wildcards, at most 64 characters.
pub fn searchable(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\') && !c.is_control())
        .take(64)
        .collect();
    // Trimmed last, so cleaning twice gives what cleaning once gave.
    kept.trim().to_string()
}

#[derive(FromQueryResult)]
struct StatusCount {
    status: Status,
    n: i64,
}

/// The page of the queue `f` asks for; `target` is the days staff have to
/// decide (each row's legal clock counts against it).
pub async fn load(
    db: &impl ConnectionTrait,
    f: &Filter,
    me: i64,
    now: DateTime<Utc>,
    target: i64,
) -> AppResult<Queue> {
    let counted: Vec<StatusCount> = matching(f, me, now)
        .select_only()
        .column(candidacy::Column::Status)
        .column_as(candidacy::Column::Id.count(), "n")
        .group_by(candidacy::Column::Status)
        .into_model()
        .all(db)
        .await?;
    let count_of = |s: Status| {
        counted
            .iter()
            .find(|c| c.status == s)
            .map_or(0, |c| c.n.max(0) as u64)
    };
    let counts: Vec<(Status, u64)> = statuses().map(|s| (s, count_of(s))).collect();
    let total = match f.status {
        Some(s) => count_of(s),
        None => counts.iter().map(|(_, n)| n).sum(),
    };
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = f.page.clamp(1, pages);
    let mut q = selected(f, me, now);
    q = match f.sort {
        Sort::Oldest => q.order_by_asc(candidacy::Column::SubmittedAt),
        Sort::Newest => q.order_by_desc(candidacy::Column::SubmittedAt),
    };
    let found = q
        .order_by_asc(candidacy::Column::Id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let officers = emails_of(db, found.iter().filter_map(|c| c.assigned_to)).await?;
    let mut clocks = integration::clocks_of(db, &found, now, target).await?;
    let rows = found
        .into_iter()
        .map(|c| Row {
            officer: c.assigned_to.and_then(|id| officers.get(&id).cloned()),
            clock: clocks.remove(&c.id),
            candidacy: c,
        })
        .collect();
    Ok(Queue {
        rows,
        total,
        page,
        pages,
        counts,
    })
}

/// The email of each account in `ids`.
pub async fn emails_of(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_text_cannot_widen_the_pattern() {
        assert_eq!(super::searchable(" 00_01% "), "0001");
        assert_eq!(super::searchable(&"x".repeat(500)).len(), 64);
        for raw in ["% a", " 0\u{0}1 ", "_ _x_ _"] {
            let once = super::searchable(raw);
            assert_eq!(super::searchable(&once), once, "{raw:?}");
        }
    }
}
