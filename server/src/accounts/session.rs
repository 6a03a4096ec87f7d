//! Login sessions stored in the database, so any server instance can serve any request.

use super::tokens::{random_token, sha256_hex};
use crate::db::entities::{session, user};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

pub const COOKIE: &str = "ol_session";
pub const LIFETIME_HOURS: i64 = 8;

/// Creates a session and returns the secret for the cookie.
pub async fn create(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    insert(db, user_id, now, None).await
}

/// Replaces the session `old` with a new one that has given its second
/// factor, returning the new secret for the cookie: a session identifier
/// seen before the second factor is worth nothing after it.
pub async fn upgrade(
    txn: &sea_orm::DatabaseTransaction,
    old: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    // Only the password-only session of this very account becomes verified:
    // one ended meanwhile (deactivation, a reset phone) stays ended.
    let gone = session::Entity::delete_many()
        .filter(session::Column::Id.eq(sha256_hex(old)))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::VerifiedAt.is_null())
        .exec(txn)
        .await?;
    if gone.rows_affected != 1 {
        return Err(DbErr::RecordNotFound("the session ended".into()));
    }
    insert(txn, user_id, now, Some(now)).await
}

async fn insert(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
    verified_at: Option<DateTime<Utc>>,
) -> Result<String, DbErr> {
    let secret = random_token();
    session::ActiveModel {
        id: Set(sha256_hex(&secret)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(LIFETIME_HOURS)),
        verified_at: Set(verified_at),
    }
    .insert(db)
    .await?;
    Ok(secret)
}

/// A live session: its account, and whether it gave the second factor.
pub struct Live {
    pub user: user::Model,
    pub second_factor: bool,
}

/// The live session the cookie names, if any; none for an account an
/// administrator deactivated (its sessions end at once).
pub async fn live(
    db: &impl ConnectionTrait,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<Live>, DbErr> {
    let Some(found) = session::Entity::find_by_id(sha256_hex(secret))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if found.expires_at <= now {
        session::Entity::delete_by_id(found.id).exec(db).await?;
        return Ok(None);
    }
    let user = user::Entity::find_by_id(found.user_id).one(db).await?;
    Ok(user
        .filter(|u| u.deactivated_at.is_none())
        .map(|user| Live {
            user,
            second_factor: found.verified_at.is_some(),
        }))
}

pub async fn delete(db: &impl ConnectionTrait, secret: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(sha256_hex(secret))
        .exec(db)
        .await
        .map(|_| ())
}

/// Ends every session of a user except, optionally, the one making the request.
pub async fn delete_all_for(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(), DbErr> {
    let mut query = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(sha256_hex(keep)));
    }
    query.exec(db).await.map(|_| ())
}

pub async fn purge_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}
