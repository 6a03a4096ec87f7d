//! The benchmarks' PostgreSQL: the database `TEST_DATABASE_URL` names, in
//! a schema made for the run and dropped after it.

/// Runs `run(url, schema)` in a fresh schema named after `prefix` and the
/// process, then drops it; says so and does nothing without a PostgreSQL URL.
pub async fn in_fresh_schema<F, Fut>(prefix: &str, run: F)
where
    F: FnOnce(String, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    use sea_orm::ConnectionTrait;
    let url = match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            println!("PostgreSQL: skipped (TEST_DATABASE_URL does not name one)");
            return;
        }
    };
    let schema = format!("{prefix}_{}", std::process::id());
    let admin = sea_orm::Database::connect(&url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
        .await
        .unwrap();
    run(url, schema.clone()).await;
    admin
        .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .unwrap();
}
