//! The benchmarks' officer: one staff account, verified, to seed and to log in with.
#![allow(dead_code)]

pub const EMAIL: &str = "officer@bench.test";
pub const PASSWORD: &str = "Benchmark-password-2028";

/// Creates the officer in `db` at `now`.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> server::db::entities::user::Model {
    server::accounts::operations::create_user(
        db,
        EMAIL,
        PASSWORD,
        app::view_data::Role::Staff,
        app::Lang::It,
        true,
        now,
    )
    .await
    .unwrap()
    .unwrap()
}
