//! Counting recent events per key (an account, a client address) in the database,
//! so limits hold across every server instance.

use crate::db::entities::login_failure;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

pub fn account_key(email: &str) -> String {
    format!("acct:{}", email.trim().to_lowercase())
}

pub fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// One account from one address: the limit a guesser meets first, while the
/// owner, elsewhere, can still log in.
pub fn account_ip_key(email: &str, ip: &str) -> String {
    format!("acct-ip:{}|{ip}", email.trim().to_lowercase())
}

/// Counts an attempt under `key` first, then checks the limit: attempts made in
/// parallel each see the others, so no more than `limit` get through (a burst
/// may be refused whole: the safe side). Returns whether this one may go on,
/// and its row, to forget it if it turns out well.
pub async fn attempt(
    db: &impl ConnectionTrait,
    key: &str,
    limit: u64,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<(bool, i64), DbErr> {
    let row = login_failure::ActiveModel {
        key: Set(key.to_string()),
        at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let recent = login_failure::Entity::find()
        .filter(login_failure::Column::Key.eq(key))
        .filter(login_failure::Column::At.gt(now - window))
        .count(db)
        .await?;
    Ok((recent <= limit, row.id))
}

/// [`attempt`] under each `(key, limit)` in turn. At the first refusal the
/// rows of this attempt are taken back: a refused request neither extends a
/// limit nor fills a wider one (one address cannot lock an account everywhere).
/// `None` when refused; otherwise the rows, to forget if it turns out well.
pub async fn attempts(
    db: &impl ConnectionTrait,
    keys: &[(String, u64)],
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Option<Vec<i64>>, DbErr> {
    let mut rows = Vec::new();
    for (key, limit) in keys {
        let (allowed, id) = attempt(db, key, *limit, window, now).await?;
        rows.push(id);
        if !allowed {
            forget(db, &rows).await?;
            return Ok(None);
        }
    }
    Ok(Some(rows))
}

pub async fn forget(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Key.eq(key))
        .exec(db)
        .await
        .map(|_| ())
}

/// Drops events older than a day; no limit looks further back.
pub async fn purge_old(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(now - Duration::days(1)))
        .exec(db)
        .await?
        .rows_affected)
}
