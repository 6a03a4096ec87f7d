//! Deadline reminders: proponents with drafts not yet submitted get an email
//! 30, 7 and 1 days before the closing instant. Each is sent once, even with
//! several server instances: the row that records it has a unique index, and
//! the email is queued in the same transaction as that row.

use crate::candidacies::status::Status;
use crate::db::entities::{candidacy, reminder, user};
use crate::email::outbox;
use crate::error::AppResult;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use std::collections::BTreeMap;

/// Days before the closing instant at which a reminder goes out.
pub const DAYS_BEFORE: [i64; 3] = [30, 7, 1];

/// The reminder due at `now`: the nearest threshold already reached. A portal
/// that was down at 30 days and starts at 6 sends the 7-day one only.
pub fn due(now: DateTime<Utc>, deadline: DateTime<Utc>) -> Option<i64> {
    if now >= deadline {
        return None;
    }
    DAYS_BEFORE
        .into_iter()
        .filter(|d| now >= deadline - Duration::days(*d))
        .min()
}

/// Queues the reminder due now for every proponent with drafts who has not had
/// it yet; returns how many were queued by this call.
pub async fn send_due(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now();
    let deadline = state.config.submission_deadline;
    let Some(days) = due(now, deadline) else {
        return Ok(0);
    };
    let already: Vec<i64> = reminder::Entity::find()
        .filter(reminder::Column::DaysBefore.eq(days as i32))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    let mut drafts: BTreeMap<i64, usize> = BTreeMap::new();
    for c in candidacy::Entity::find()
        .filter(candidacy::Column::Status.eq(Status::Draft))
        .filter(candidacy::Column::UserId.is_not_in(already))
        .all(&state.db)
        .await?
    {
        *drafts.entry(c.user_id).or_default() += 1;
    }
    let mut queued = 0;
    for (user_id, count) in drafts {
        let Some(account) = user::Entity::find_by_id(user_id).one(&state.db).await? else {
            continue;
        };
        queued += usize::from(remind(state, &account, days, count, now).await?);
    }
    Ok(queued)
}

/// Records and queues one reminder; false when another instance already did.
async fn remind(
    state: &AppState,
    account: &user::Model,
    days: i64,
    count: usize,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let txn = state.db.begin().await?;
    let row = reminder::ActiveModel {
        user_id: Set(account.id),
        days_before: Set(days as i32),
        sent_at: Set(now),
        ..Default::default()
    };
    let inserted = reminder::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([reminder::Column::UserId, reminder::Column::DaysBefore])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    if inserted == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    let lang = app::Lang::from_code(&account.lang).unwrap_or_default();
    let deadline =
        app::pages::format_datetime(lang, &crate::clock::rome(state.config.submission_deadline));
    let link = state.link("/candidacies");
    let left = match days {
        1 => app::i18n::t(lang, "reminder.one_day_left"),
        _ => app::i18n::tf(lang, "reminder.days_left", &[("days", &days.to_string())]),
    };
    outbox::enqueue(
        &txn,
        &account.email,
        "deadline_reminder",
        lang,
        &[
            ("left", &left),
            ("deadline", &deadline),
            ("count", &count.to_string()),
            ("link", &link),
        ],
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_nearest_threshold_reached_is_due() {
        let deadline = at("2028-06-30T21:59:59Z");
        assert_eq!(due(at("2028-05-31T21:59:58Z"), deadline), None);
        assert_eq!(due(at("2028-05-31T21:59:59Z"), deadline), Some(30));
        assert_eq!(due(at("2028-06-24T12:00:00Z"), deadline), Some(7));
        assert_eq!(due(at("2028-06-29T22:00:00Z"), deadline), Some(1));
        assert_eq!(due(at("2028-06-30T21:59:59Z"), deadline), None);
    }
}
