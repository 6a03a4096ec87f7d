//! The database layer on each backend, and two server instances sharing one database.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use sea_orm::DatabaseBackend;
use server::email::{transport::Mailer, worker::Worker};

#[tokio::test]
async fn runs_on_the_backend_the_environment_names() {
    let app = TestApp::new().await;
    let wanted = std::env::var("PORTAL_TEST_DATABASE_URL")
        .map(|v| !v.is_empty())
        .unwrap_or(false);
    let backend = app.state.db.get_database_backend();
    assert_eq!(
        backend == DatabaseBackend::Postgres,
        wanted,
        "backend {backend:?}"
    );
    assert_eq!(app.is_postgres(), wanted);
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let app = TestApp::new().await;
    // Connecting again runs the migrator again over the existing schema: nothing to do, no error.
    let (second, _) = app.second_instance().await;
    assert!(second.db.ping().await.is_ok());
}

#[tokio::test]
async fn two_instances_share_sessions_and_the_outbox() {
    let app = TestApp::new().await;
    let (other_state, other_router) = app.second_instance().await;

    // Log in through instance A, carry on through instance B with the same cookies.
    let on_a = app.user("shared@example.it", "proponent", "10.3.0.1").await;
    let mut on_b = app.client_of(&other_router, "10.3.0.1");
    on_b.cookies = on_a.cookies.clone();
    let page = on_b.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("shared@example.it"));

    // An email queued by A is delivered by B's worker, once.
    app.client("10.3.0.2")
        .register("queued@example.it", "investor")
        .await;
    let worker_b = Worker::new(Mailer::new(&other_state.config.mail).unwrap());
    let worker_a = Worker::new(Mailer::new(&app.state.config.mail).unwrap());
    let delivered = worker_b.process_due(&other_state).await.unwrap();
    assert_eq!(
        delivered, 2,
        "the verification emails of both registrations"
    );
    assert_eq!(
        worker_a.process_due(&app.state).await.unwrap(),
        0,
        "nothing left for A"
    );
}
