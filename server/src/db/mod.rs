//! Database: connection (SQLite file by default, PostgreSQL from `DATABASE_URL`),
//! the entities and the one set of migrations both backends share.

pub mod entities;
pub mod migrations;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

/// Opens the database named by `url` and brings its schema up to date.
/// `schema` (PostgreSQL only) isolates a test run in its own schema.
pub async fn connect(url: &str, schema: Option<&str>) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file(url) {
        if let Some(parent) = std::path::Path::new(path).parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| DbErr::Custom(format!("cannot create {parent:?}: {e}")))?;
        }
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(if url.starts_with("sqlite") { 8 } else { 20 })
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if let Some(schema) = schema {
        options.set_schema_search_path(schema.to_string());
    }
    // Set on every pooled connection as it opens, not on whichever one runs a
    // statement first: WAL lets the outbox worker write while pages are read,
    // the busy timeout makes concurrent writers wait instead of failing, and
    // foreign keys are a per-connection setting in SQLite.
    options.map_sqlx_sqlite_opts(|o| {
        o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
    });
    let db = Database::connect(options).await?;
    migrations::Migrator::up(&db, None).await?;
    Ok(db)
}

/// The file path of a `sqlite://path?…` URL, unless it is in memory.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn every_pooled_sqlite_connection_enforces_foreign_keys() {
        use sea_orm::{ConnectionTrait, Statement};
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let db = super::connect(&url, None).await.unwrap();
        // Hold several connections at once, so more than the first one is asked.
        let mut answers = Vec::new();
        let txns = futures_util::future::join_all((0..4).map(|_| {
            use sea_orm::TransactionTrait;
            db.begin()
        }))
        .await;
        for txn in txns {
            let txn = txn.unwrap();
            let row = txn
                .query_one_raw(Statement::from_string(
                    txn.get_database_backend(),
                    "PRAGMA foreign_keys",
                ))
                .await
                .unwrap()
                .unwrap();
            answers.push(row.try_get_by_index::<i32>(0).unwrap());
        }
        assert_eq!(answers, vec![1; 4]);
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            super::sqlite_file("sqlite://data/portal.db?mode=rwc"),
            Some("data/portal.db")
        );
        assert_eq!(super::sqlite_file("sqlite::memory:"), None);
        assert_eq!(super::sqlite_file("postgres://x/y"), None);
    }
}
