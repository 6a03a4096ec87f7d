//! Account operations: register, verify the email, log in, reset and change the
//! password. Each multi-step change, its emails included, is one transaction.

use super::{password, session, throttle, tokens};
use crate::db::entities::{auth_token, user};
use crate::email::outbox;
use crate::error::AppResult;
use crate::state::AppState;
use app::view_data::Role;
use app::Lang;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};

const VERIFY: &str = "verify";
const RESET: &str = "reset";
const VERIFY_HOURS: i64 = 48;
const RESET_MINUTES: i64 = 60;
/// Emails a single address or client may trigger per hour (registration, resend, reset).
const EMAILS_PER_HOUR: u64 = 5;
const REQUESTS_PER_IP_PER_HOUR: u64 = 30;

/// Trims and lower-cases an address; `Err` carries the translation key of the problem.
pub fn normalise_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err("error.email_required");
    }
    let valid = email.len() <= 254 && forms::value::is_email(&email);
    valid.then_some(email).ok_or("error.email_invalid")
}

/// Checks a new password and its confirmation: the field at fault and the
/// message key of what is wrong.
pub fn check_new_password(
    password: &str,
    confirm: &str,
) -> Result<(), (&'static str, &'static str)> {
    let length = password.chars().count();
    Err(if length == 0 {
        ("password", "error.password_required")
    } else if length < password::MIN_LEN {
        ("password", "error.password_short")
    } else if length > password::MAX_LEN {
        ("password", "error.password_long")
    } else if password != confirm {
        ("password_confirm", "error.password_mismatch")
    } else {
        return Ok(());
    })
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?)
}

/// Creates an account directly (CLI and demo data). Returns `None` if the email is taken.
pub async fn create_user(
    db: &impl ConnectionTrait,
    email: &str,
    password_plain: &str,
    role: Role,
    lang: Lang,
    verified: bool,
    now: DateTime<Utc>,
) -> AppResult<Option<user::Model>> {
    let hash = password::hash_off(password_plain).await;
    insert_user(db, email, hash, role, lang, verified, now).await
}

/// Creates an account with a password already hashed; `None` if the email is taken.
async fn insert_user(
    db: &impl ConnectionTrait,
    email: &str,
    password_hash: String,
    role: Role,
    lang: Lang,
    verified: bool,
    now: DateTime<Utc>,
) -> AppResult<Option<user::Model>> {
    if find_by_email(db, email).await?.is_some() {
        return Ok(None);
    }
    let created = user::ActiveModel {
        email: Set(email.to_string()),
        password_hash: Set(password_hash),
        role: Set(role.code().to_string()),
        lang: Set(lang.code().to_string()),
        email_verified_at: Set(verified.then_some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Some(created))
}

async fn issue_token(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: &str,
    valid_for: Duration,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let secret = tokens::random_token();
    auth_token::ActiveModel {
        token_hash: Set(tokens::sha256_hex(&secret)),
        user_id: Set(user_id),
        purpose: Set(purpose.to_string()),
        created_at: Set(now),
        expires_at: Set(now + valid_for),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(secret)
}

/// How long an invitation to a new back-office account stays usable.
const INVITE_HOURS: i64 = 72;

/// A link that sets the first password of an account an administrator
/// created (a reset link that lasts longer: the person may be away a day).
pub(crate) async fn invitation_link(
    state: &AppState,
    txn: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let valid = Duration::hours(INVITE_HOURS);
    let secret = issue_token(txn, user_id, RESET, valid, now).await?;
    Ok(state.link(&format!("/password/reset?token={secret}")))
}

/// Marks a live token used and returns its user; `None` if unknown, used, expired or for another purpose.
async fn redeem_token(
    db: &impl ConnectionTrait,
    secret: &str,
    purpose: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<i64>> {
    let hash = tokens::sha256_hex(secret);
    // The conditional update is the single-use guarantee, even with two clicks at once.
    let result = auth_token::Entity::update_many()
        .col_expr(
            auth_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(auth_token::Column::TokenHash.eq(hash.clone()))
        .filter(auth_token::Column::Purpose.eq(purpose))
        .filter(auth_token::Column::UsedAt.is_null())
        .filter(auth_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    Ok(auth_token::Entity::find_by_id(hash)
        .one(db)
        .await?
        .map(|t| t.user_id))
}

/// Whether a live token exists, without using it (to show the reset form only for good links).
pub async fn token_is_live(state: &AppState, secret: &str, purpose_reset: bool) -> AppResult<bool> {
    let purpose = if purpose_reset { RESET } else { VERIFY };
    let now = state.clock.now();
    Ok(auth_token::Entity::find_by_id(tokens::sha256_hex(secret))
        .one(&state.db)
        .await?
        .is_some_and(|t| t.purpose == purpose && t.used_at.is_none() && t.expires_at > now))
}

/// Counts one email-sending request for the address and the client; `false` when over the hourly limit.
async fn allow_email_request(state: &AppState, email: &str, ip: &str) -> AppResult<bool> {
    let now = state.clock.now();
    let hour = Duration::hours(1);
    let email_key = format!("mail:{email}");
    let ip_key = format!("mail-ip:{ip}");
    let keys = [
        (email_key, EMAILS_PER_HOUR),
        (ip_key, REQUESTS_PER_IP_PER_HOUR),
    ];
    let allowed = throttle::attempts(&state.db, &keys, hour, now)
        .await?
        .is_some();
    if !allowed {
        tracing::info!(%ip, "email request throttled");
    }
    Ok(allowed)
}

/// Registers an account and queues the verification email. If the address is
/// already registered, its owner gets a notice instead: the visitor sees the same
/// answer either way, so the form does not reveal who has an account.
pub async fn register(
    state: &AppState,
    email: &str,
    password_plain: &str,
    role: Role,
    lang: Lang,
    ip: &str,
) -> AppResult<()> {
    if !allow_email_request(state, email, ip).await? {
        return Ok(());
    }
    // Hashed whether or not the address is taken, so the answer takes as long
    // either way; after the throttle, so a flood of registrations is not hashed.
    let hash = password::hash_off(password_plain).await;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    match find_by_email(&txn, email).await? {
        Some(existing) => {
            let link = state.link("/password/forgot");
            outbox::enqueue(
                &txn,
                email,
                "already_registered",
                lang_of(&existing),
                &[("link", &link)],
                now,
            )
            .await?;
        }
        None => {
            let created = insert_user(&txn, email, hash, role, lang, false, now)
                .await?
                .expect("checked absent in this transaction");
            let secret =
                issue_token(&txn, created.id, VERIFY, Duration::hours(VERIFY_HOURS), now).await?;
            let link = state.link(&format!("/verify?token={secret}"));
            outbox::enqueue(&txn, email, "verify_email", lang, &[("link", &link)], now).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Confirms the email of the token's account. `false` for a bad or used link.
pub async fn verify_email(state: &AppState, secret: &str) -> AppResult<bool> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let Some(user_id) = redeem_token(&txn, secret, VERIFY, now).await? else {
        return Ok(false);
    };
    user::ActiveModel {
        id: Set(user_id),
        email_verified_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Sends a fresh verification link to an unverified account; silent otherwise.
pub async fn resend_verification(state: &AppState, email: &str, ip: &str) -> AppResult<()> {
    if !allow_email_request(state, email, ip).await? {
        return Ok(());
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    if let Some(account) = find_by_email(&txn, email)
        .await?
        .filter(|u| u.email_verified_at.is_none())
    {
        let secret =
            issue_token(&txn, account.id, VERIFY, Duration::hours(VERIFY_HOURS), now).await?;
        let link = state.link(&format!("/verify?token={secret}"));
        outbox::enqueue(
            &txn,
            email,
            "verify_email",
            lang_of(&account),
            &[("link", &link)],
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

pub enum LoginOutcome {
    /// Logged in: the session secret for the cookie, and whether the
    /// account still has to give its second factor (staff and admins).
    Success {
        secret: String,
        second_factor: bool,
    },
    /// Right password, email not confirmed yet.
    Unverified,
    Failed,
    Throttled,
}

/// How many times the per-account-and-address limit an account may be tried
/// from all addresses together: bounds guessing spread over many machines.
const ACCOUNT_WIDE_FACTOR: u64 = 10;

/// Logs in. Each attempt is counted before the password is checked (so
/// parallel guesses cannot slip past the limit) under three keys: this account
/// from this address, this address, and this account from anywhere (a wider
/// limit). A guesser is stopped at their own address while the owner, from
/// another, still gets in; a successful login forgets its own attempt.
pub async fn login(
    state: &AppState,
    email: &str,
    password_plain: &str,
    ip: &str,
) -> AppResult<LoginOutcome> {
    let now = state.clock.now();
    let limits = &state.config.throttle;
    let window = Duration::minutes(limits.window_minutes);
    let keys = [
        (throttle::account_ip_key(email, ip), limits.per_account),
        (throttle::ip_key(ip), limits.per_ip),
        (
            throttle::account_key(email),
            limits.per_account * ACCOUNT_WIDE_FACTOR,
        ),
    ];
    let Some(attempts) = throttle::attempts(&state.db, &keys, window, now).await? else {
        tracing::info!(%ip, "login throttled");
        return Ok(LoginOutcome::Throttled);
    };
    let account = find_by_email(&state.db, email).await?;
    let stored = account.as_ref().map(|u| u.password_hash.as_str());
    let matches = password::verify_off(stored, password_plain).await;
    // A deactivated account fails as a wrong password does: nothing learnt.
    let Some(account) = account.filter(|u| matches && u.deactivated_at.is_none()) else {
        return Ok(LoginOutcome::Failed);
    };
    throttle::forget(&state.db, &attempts).await?;
    throttle::clear(&state.db, &keys[0].0).await?;
    if account.email_verified_at.is_none() {
        return Ok(LoginOutcome::Unverified);
    }
    let second_factor = super::second_factor::needed(&account);
    if second_factor {
        super::second_factor::forget_unconfirmed(&state.db, account.id).await?;
    }
    let secret = session::create(&state.db, account.id, now).await?;
    Ok(LoginOutcome::Success {
        secret,
        second_factor,
    })
}

/// Queues a reset link if the address has an account; silent otherwise.
pub async fn request_reset(state: &AppState, email: &str, ip: &str) -> AppResult<()> {
    if !allow_email_request(state, email, ip).await? {
        return Ok(());
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    if let Some(account) = find_by_email(&txn, email).await? {
        let secret = issue_token(
            &txn,
            account.id,
            RESET,
            Duration::minutes(RESET_MINUTES),
            now,
        )
        .await?;
        let link = state.link(&format!("/password/reset?token={secret}"));
        outbox::enqueue(
            &txn,
            email,
            "password_reset",
            lang_of(&account),
            &[("link", &link)],
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Sets a new password from a reset link and ends every session. `false` for a bad link.
pub async fn reset_password(state: &AppState, secret: &str, new_password: &str) -> AppResult<bool> {
    // Hashing is slow: only for a link that is live, and outside the transaction.
    if !token_is_live(state, secret, true).await? {
        return Ok(false);
    }
    let hash = password::hash_off(new_password).await;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let Some(user_id) = redeem_token(&txn, secret, RESET, now).await? else {
        return Ok(false);
    };
    let Some(account) = user::Entity::find_by_id(user_id).one(&txn).await? else {
        return Ok(false);
    };
    // Following the emailed link proves the address, so it also counts as verification.
    let verified = account.email_verified_at.or(Some(now));
    set_password(&txn, state, &account, hash, verified, None).await?;
    // Whoever was guessing the old password, the owner is back in.
    throttle::clear(&txn, &throttle::account_key(&account.email)).await?;
    txn.commit().await?;
    Ok(true)
}

/// Wrong current passwords allowed per account within the login window.
const WRONG_CURRENT_PASSWORDS: u64 = 5;

/// Changes the password of a logged-in user; `Err` is the key of the message for
/// the field. Wrong current passwords are counted: someone at an unattended
/// session cannot guess the password to take the account over.
pub async fn change_password(
    state: &AppState,
    account: &user::Model,
    current: &str,
    new_password: &str,
    keep_session: &str,
) -> AppResult<Result<(), &'static str>> {
    let now = state.clock.now();
    let window = Duration::minutes(state.config.throttle.window_minutes);
    let key = format!("pw:{}", account.id);
    let (allowed, _) =
        throttle::attempt(&state.db, &key, WRONG_CURRENT_PASSWORDS, window, now).await?;
    if !allowed {
        return Ok(Err("error.password_throttled"));
    }
    if !password::verify_off(Some(&account.password_hash), current).await {
        return Ok(Err("error.password_wrong"));
    }
    throttle::clear(&state.db, &key).await?;
    let hash = password::hash_off(new_password).await;
    let txn = state.db.begin().await?;
    set_password(
        &txn,
        state,
        account,
        hash,
        account.email_verified_at,
        Some(keep_session),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// Stores a new password hash, ends the other sessions, voids every reset link
/// still outstanding (one sent before the change must not undo it), and tells the owner.
async fn set_password(
    txn: &impl ConnectionTrait,
    state: &AppState,
    account: &user::Model,
    password_hash: String,
    verified: Option<DateTime<Utc>>,
    keep_session: Option<&str>,
) -> AppResult<()> {
    let now = state.clock.now();
    user::ActiveModel {
        id: Set(account.id),
        password_hash: Set(password_hash),
        email_verified_at: Set(verified),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(txn)
    .await?;
    auth_token::Entity::update_many()
        .col_expr(
            auth_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(auth_token::Column::UserId.eq(account.id))
        .filter(auth_token::Column::Purpose.eq(RESET))
        .filter(auth_token::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    session::delete_all_for(txn, account.id, keep_session).await?;
    let link = state.link("/password/forgot");
    outbox::enqueue(
        txn,
        &account.email,
        "password_changed",
        lang_of(account),
        &[("link", &link)],
        now,
    )
    .await
}

pub fn lang_of(account: &user::Model) -> Lang {
    Lang::from_code(&account.lang).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalise_email("  Mario.Rossi@Example.IT "),
            Ok("mario.rossi@example.it".into())
        );
        assert_eq!(normalise_email(""), Err("error.email_required"));
        for bad in [
            "mario",
            "mario@",
            "@example.it",
            "a@b",
            "a b@c.it",
            "a@@b.it",
            "a@b.it,c@d.it",
            "a@.it",
        ] {
            assert_eq!(normalise_email(bad), Err("error.email_invalid"), "{bad}");
        }
    }

    #[test]
    fn new_passwords_are_checked() {
        let check = |p: &str, c: &str| check_new_password(p, c).err().map(|(_, k)| k);
        assert_eq!(check("", ""), Some("error.password_required"));
        assert_eq!(check("short", "short"), Some("error.password_short"));
        assert_eq!(
            check("long enough pass", "long enough pasS"),
            Some("error.password_mismatch")
        );
        assert_eq!(check("long enough pass", "long enough pass"), None);
        assert_eq!(
            check(&"x".repeat(129), &"x".repeat(129)),
            Some("error.password_long")
        );
    }
}
