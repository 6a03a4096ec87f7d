//! The outbox worker. Several may run (one per server instance): each message is
//! claimed with a conditional update, so only one worker sends it, and a claim
//! expires so a crashed worker's messages are picked up again.

use super::outbox::{FAILED, ONE_TIME_LINKS, PENDING, SENT, WIPED};
use super::transport::{Mailer, SendError};
use crate::db::entities::outbox;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// How long a claim lasts: longer than any SMTP exchange (timeout 20 s).
const LEASE_SECONDS: i64 = 120;
const BATCH: u64 = 20;
const MAX_BACKOFF_MS: u64 = 3_600_000;

pub struct Worker {
    pub id: String,
    pub mailer: Mailer,
}

impl Worker {
    pub fn new(mailer: Mailer) -> Worker {
        Worker {
            id: uuid::Uuid::new_v4().to_string(),
            mailer,
        }
    }

    /// Runs until the process ends, polling every `poll_ms`.
    pub async fn run(self, state: AppState) {
        let poll = std::time::Duration::from_millis(state.config.outbox.poll_ms);
        loop {
            if let Err(e) = self.process_due(&state).await {
                tracing::warn!(error = %e, "outbox pass failed; will retry");
            }
            housekeeping(&state).await;
            tokio::time::sleep(poll).await;
        }
    }

    /// Sends every message that is due now. Returns how many were delivered.
    pub async fn process_due(&self, state: &AppState) -> Result<usize, sea_orm::DbErr> {
        let now = state.clock.now();
        let due = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(PENDING))
            .filter(outbox::Column::NextAttemptAt.lte(now))
            .filter(
                Condition::any()
                    .add(outbox::Column::LockedUntil.is_null())
                    .add(outbox::Column::LockedUntil.lt(now)),
            )
            .order_by_asc(outbox::Column::Id)
            .limit(BATCH)
            .all(&state.db)
            .await?;
        let mut delivered = 0;
        for message in due {
            if !self.claim(state, &message, now).await? {
                continue; // another worker took it
            }
            let result = self.mailer.send(&state.config.mail.from, &message).await;
            delivered += usize::from(result.is_ok());
            self.record(state, &message, result).await?;
        }
        Ok(delivered)
    }

    async fn claim(
        &self,
        state: &AppState,
        message: &outbox::Model,
        now: DateTime<Utc>,
    ) -> Result<bool, sea_orm::DbErr> {
        let result = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::LockedUntil,
                Expr::value(now + Duration::seconds(LEASE_SECONDS)),
            )
            .col_expr(outbox::Column::LockedBy, Expr::value(self.id.clone()))
            .filter(outbox::Column::Id.eq(message.id))
            .filter(outbox::Column::Status.eq(PENDING))
            .filter(
                Condition::any()
                    .add(outbox::Column::LockedUntil.is_null())
                    .add(outbox::Column::LockedUntil.lt(now)),
            )
            .exec(&state.db)
            .await?;
        Ok(result.rows_affected == 1)
    }

    async fn record(
        &self,
        state: &AppState,
        message: &outbox::Model,
        result: Result<(), SendError>,
    ) -> Result<(), sea_orm::DbErr> {
        let now = state.clock.now();
        let attempts = message.attempts + 1;
        let mut update = outbox::ActiveModel {
            id: Set(message.id),
            attempts: Set(attempts),
            locked_until: Set(None),
            locked_by: Set(None),
            ..Default::default()
        };
        match result {
            Ok(()) => {
                update.status = Set(SENT.to_string());
                update.sent_at = Set(Some(now));
                update.last_error = Set(None);
            }
            Err(SendError::Permanent(error)) => {
                tracing::warn!(id = message.id, %error, "email refused permanently");
                update.status = Set(FAILED.to_string());
                update.last_error = Set(Some(error));
            }
            Err(SendError::Transient(error)) => {
                let give_up = attempts >= state.config.outbox.max_attempts;
                if give_up {
                    update.status = Set(FAILED.to_string());
                }
                tracing::info!(id = message.id, attempts, give_up, %error, "email not delivered");
                update.next_attempt_at =
                    Set(now + backoff(state.config.outbox.backoff_ms, attempts));
                update.last_error = Set(Some(error));
            }
        }
        let done = update.status.is_set();
        if done && ONE_TIME_LINKS.contains(&message.template.as_str()) {
            update.body_text = Set(WIPED.to_string());
            update.body_html = Set(WIPED.to_string());
        }
        outbox::Entity::update(update)
            .exec(&state.db)
            .await
            .map(|_| ())
    }
}

/// Delay before attempt `attempts + 1`: the base doubled per attempt, capped at an hour.
pub fn backoff(base_ms: u64, attempts: i32) -> Duration {
    let factor = 1u64 << (attempts.clamp(1, 20) - 1);
    Duration::milliseconds(base_ms.saturating_mul(factor).min(MAX_BACKOFF_MS) as i64)
}

/// Periodic clean-up that any instance may do: expired sessions, old throttle records.
async fn housekeeping(state: &AppState) {
    if let Err(e) = crate::review::integration::send_reminders(state).await {
        tracing::warn!(error = %e, "integration reminders failed");
    }
    if let Err(e) = crate::candidacies::reminders::send_due(state).await {
        tracing::warn!(error = %e, "deadline reminders failed; will retry");
    }
    let now = state.clock.now();
    let _ = crate::accounts::session::purge_expired(&state.db, now).await;
    let _ = crate::accounts::throttle::purge_old(&state.db, now).await;
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(super::backoff(1000, 1).num_milliseconds(), 1000);
        assert_eq!(super::backoff(1000, 2).num_milliseconds(), 2000);
        assert_eq!(super::backoff(1000, 4).num_milliseconds(), 8000);
        assert_eq!(super::backoff(1000, 30).num_milliseconds(), 3_600_000);
    }
}
