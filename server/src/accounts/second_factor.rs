//! The second factor staff and administrators log in with: a TOTP code from
//! an authenticator app (enrolled on first login, by scanning a QR code),
//! or one of ten recovery codes, each working once. Codes are throttled per
//! account and address, and per account from everywhere, so six digits
//! take years of guessing, and one address alone cannot lock the owner out.
//!
//! TOTP runs on the wall clock, never on the portal's settable clock
//! (`PORTAL_NOW`): the phone computing the code knows only real time.

use super::throttle;
use super::tokens::sha256_hex;
use super::totp;
use crate::audit;
use crate::db::entities::{recovery_code, user};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};

/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Codes tried per window, per account from one address and per account
/// from all addresses, before the page says to wait.
const PER_ADDRESS: u64 = 5;
const PER_ACCOUNT: u64 = 20;
const WINDOW_MINUTES: i64 = 15;

fn throttle_keys(user_id: i64, ip: &str) -> [(String, u64); 2] {
    [
        (format!("second-factor:{user_id}|{ip}"), PER_ADDRESS),
        (format!("second-factor:{user_id}"), PER_ACCOUNT),
    ]
}

/// At a password login: a secret drawn for an enrolment never finished is
/// forgotten, so whoever saw it earlier (another login with the same
/// password, a shared screen) cannot read the codes of the app enrolled now.
pub async fn forget_unconfirmed(db: &impl sea_orm::ConnectionTrait, user_id: i64) -> AppResult<()> {
    user::Entity::update_many()
        .col_expr(
            user::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::TotpConfirmedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
/// What the authenticator app shows as the account's issuer.
pub const ISSUER: &str = "Opportunity Lombardy";

/// Whether `u` needs a second factor: the back office's accounts.
pub fn needed(u: &user::Model) -> bool {
    matches!(u.role.as_str(), "staff" | "admin")
}

/// Whether `u` has an authenticator app that proved it has the secret.
pub fn enrolled(u: &user::Model) -> bool {
    u.totp_confirmed_at.is_some() && u.totp_secret.is_some()
}

/// The secret `u` is enrolling with: the one stored, or a new one stored
/// first (a second tab shows the same one). `None` once enrolled.
pub async fn enrolment_secret(state: &AppState, user_id: i64) -> AppResult<Option<Vec<u8>>> {
    let fresh = totp::base32(&totp::new_secret());
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(Some(fresh)))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::TotpSecret.is_null())
        .filter(user::Column::TotpConfirmedAt.is_null())
        .exec(&state.db)
        .await?;
    let u = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if enrolled(&u) {
        return Ok(None);
    }
    let secret = u.totp_secret.as_deref().and_then(totp::from_base32);
    secret
        .map(Some)
        .ok_or_else(|| AppError::Internal(format!("account {user_id}: unreadable TOTP secret")))
}

/// What a code typed came to.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Enrolment confirmed: the recovery codes, shown once.
    Enrolled(Vec<String>),
    Accepted,
    Wrong,
    /// Too many codes tried lately: wait.
    Throttled,
}

/// Checks `typed` for `u` and, when it is right, replaces the session
/// `session_secret` with one that gave its second factor (returned).
/// Enrolling, the first right code confirms the app and makes the
/// recovery codes; enrolled, a TOTP code or a recovery code works once.
pub async fn check(
    state: &AppState,
    u: &user::Model,
    typed: &str,
    (session_secret, ip): (&str, &str),
) -> AppResult<(Outcome, Option<String>)> {
    let now = state.clock.now();
    let keys = throttle_keys(u.id, ip);
    let window = Duration::minutes(WINDOW_MINUTES);
    let Some(attempt) = throttle::attempts(&state.db, &keys, window, now).await? else {
        return Ok((Outcome::Throttled, None));
    };
    let u = user::Entity::find_by_id(u.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let txn = state.db.begin().await?;
    let outcome = match enrolled(&u) {
        false => confirm(&txn, &u, typed, now).await?,
        true => use_code(&txn, &u, typed, now).await?,
    };
    if outcome == Outcome::Wrong {
        txn.rollback().await?;
        return Ok((Outcome::Wrong, None));
    }
    let Ok(secret) = super::session::upgrade(&txn, session_secret, u.id, now).await else {
        txn.rollback().await?;
        return Err(AppError::Unauthorized);
    };
    txn.commit().await?;
    throttle::forget(&state.db, &attempt).await?;
    throttle::clear(&state.db, &keys[0].0).await?;
    Ok((outcome, Some(secret)))
}

/// The step of `typed` for `secret`, on the wall clock.
fn step_of(secret: Option<&str>, typed: &str, last_used: Option<i64>) -> Option<i64> {
    let secret = totp::from_base32(secret?)?;
    let now = totp::step_at(Utc::now().timestamp());
    totp::accepts(&secret, typed, now, last_used)
}

/// First code of an enrolment: confirms the secret (once: a conditional
/// update), makes the recovery codes and says so in the audit log.
async fn confirm(
    txn: &sea_orm::DatabaseTransaction,
    u: &user::Model,
    typed: &str,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    let Some(step) = step_of(u.totp_secret.as_deref(), typed, None) else {
        return Ok(Outcome::Wrong);
    };
    // The secret checked, still unconfirmed: not one a new login replaced.
    let confirmed = user::Entity::update_many()
        .col_expr(user::Column::TotpConfirmedAt, Expr::value(Some(now)))
        .col_expr(user::Column::TotpLastStep, Expr::value(Some(step)))
        .filter(user::Column::Id.eq(u.id))
        .filter(user::Column::TotpSecret.eq(u.totp_secret.clone()))
        .filter(user::Column::TotpConfirmedAt.is_null())
        .exec(txn)
        .await?;
    if confirmed.rows_affected != 1 {
        return Ok(Outcome::Wrong);
    }
    let codes = new_recovery_codes(txn, u.id).await?;
    let entry = audit::Entry::new(audit::Who::user(u), None, audit::Action::Account)
        .subject(u.email.as_str())
        .change("", "second factor enrolled");
    audit::append(txn, entry, now).await?;
    Ok(Outcome::Enrolled(codes))
}

/// A TOTP code after the last one used, or an unused recovery code: each
/// spent with a conditional update, so two tabs cannot both use it.
async fn use_code(
    txn: &sea_orm::DatabaseTransaction,
    u: &user::Model,
    typed: &str,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    if let Some(step) = step_of(u.totp_secret.as_deref(), typed, u.totp_last_step) {
        // The secret checked, still enrolled (not reset meanwhile), and a
        // step after the last one used.
        let spent = user::Entity::update_many()
            .col_expr(user::Column::TotpLastStep, Expr::value(Some(step)))
            .filter(user::Column::Id.eq(u.id))
            .filter(user::Column::TotpSecret.eq(u.totp_secret.clone()))
            .filter(user::Column::TotpConfirmedAt.is_not_null())
            .filter(
                user::Column::TotpLastStep
                    .is_null()
                    .or(user::Column::TotpLastStep.lt(step)),
            )
            .exec(txn)
            .await?;
        return Ok(match spent.rows_affected {
            1 => Outcome::Accepted,
            _ => Outcome::Wrong,
        });
    }
    let Some(code) = recovery_form(typed) else {
        return Ok(Outcome::Wrong);
    };
    let spent = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Some(now)))
        .filter(recovery_code::Column::UserId.eq(u.id))
        .filter(recovery_code::Column::CodeHash.eq(sha256_hex(&code)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    if spent.rows_affected != 1 {
        return Ok(Outcome::Wrong);
    }
    let entry = audit::Entry::new(audit::Who::user(u), None, audit::Action::Account)
        .subject(u.email.as_str())
        .change("", "recovery code used");
    audit::append(txn, entry, now).await?;
    Ok(Outcome::Accepted)
}

/// A recovery code as stored: ten base32 letters, whatever the case,
/// spaces and dashes typed; `None` for anything else.
fn recovery_form(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = code.len() == 10 && totp::from_base32(&code).is_some();
    ok.then_some(code)
}

/// Ten new recovery codes for `user_id` (replacing any), as shown once:
/// `ABCDE-FGHIJ`. Only their hashes are kept.
async fn new_recovery_codes(
    txn: &sea_orm::DatabaseTransaction,
    user_id: i64,
) -> AppResult<Vec<String>> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(txn)
        .await?;
    let mut shown = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        // 50 random bits, as ten base32 letters.
        let letters: String = totp::base32(&totp::new_secret()).chars().take(10).collect();
        recovery_code::ActiveModel {
            user_id: Set(user_id),
            code_hash: Set(sha256_hex(&letters)),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        shown.push(format!("{}-{}", &letters[..5], &letters[5..]));
    }
    Ok(shown)
}

/// Forgets `user_id`'s app and recovery codes (a lost phone): the next
/// login enrols again. The caller ends the account's sessions.
pub async fn reset(txn: &sea_orm::DatabaseTransaction, user_id: i64) -> AppResult<()> {
    user::Entity::update_many()
        .col_expr(
            user::Column::TotpSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            user::Column::TotpConfirmedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(user::Column::Id.eq(user_id))
        .exec(txn)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(txn)
        .await?;
    // The owner, with a new phone, is not kept waiting by earlier guesses.
    throttle::clear(txn, &format!("second-factor:{user_id}")).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_read_as_typed() {
        assert_eq!(recovery_form("abcde-fghij").as_deref(), Some("ABCDEFGHIJ"));
        assert_eq!(
            recovery_form(" ABCDE FGHIJ ").as_deref(),
            Some("ABCDEFGHIJ")
        );
        assert_eq!(recovery_form("ABCDE-FGHI1"), None, "1 is not base32");
        assert_eq!(recovery_form("ABCDE"), None);
        assert_eq!(recovery_form(&"A".repeat(100_000)), None);
    }
}
