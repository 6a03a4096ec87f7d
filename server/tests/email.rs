//! Email delivery through a real SMTP server on loopback: retries, permanent
//! failures, and two workers that never send the same message twice.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use common::smtp::{free_port, smtp_worker, SmtpSink};
use common::TestApp;
use server::email::transport::Mailer;
use server::email::worker::Worker;

#[tokio::test]
async fn nothing_is_lost_while_the_smtp_server_is_down() {
    let app = TestApp::new().await;
    let port = free_port();
    let worker = smtp_worker(port);
    let mut browser = app.client("10.2.0.1");
    browser.register("rita@example.it", "proponent").await;
    let link = app.last_link_to("rita@example.it").await;

    // Server down: the attempt fails, is recorded, and is scheduled again later.
    assert_eq!(worker.process_due(&app.state).await.unwrap(), 0);
    let mail = app.outbox().await.pop().unwrap();
    assert_eq!((mail.status.as_str(), mail.attempts), ("pending", 1));
    assert!(mail.last_error.is_some());
    assert!(mail.next_attempt_at > app.state.clock.now(), "backs off");
    assert_eq!(
        worker.process_due(&app.state).await.unwrap(),
        0,
        "not retried before its time"
    );

    // Server back: the retry delivers it with the right recipient, subject and link.
    let sink = SmtpSink::start(port);
    app.state.clock.advance(chrono::Duration::seconds(2));
    assert_eq!(worker.process_due(&app.state).await.unwrap(), 1);
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, vec!["rita@example.it".to_string()]);
    assert!(
        received[0]
            .data
            .contains("Subject: Conferma il tuo indirizzo email"),
        "{}",
        received[0].data
    );
    // The body is quoted-printable: undo soft line breaks before looking for the token.
    let body = received[0].data.replace("=\r\n", "");
    let token = link.split("token=").nth(1).unwrap();
    assert!(
        body.contains(token),
        "the message carries the verification link: {body}"
    );
    let mail = app.outbox().await.pop().unwrap();
    assert_eq!((mail.status.as_str(), mail.attempts), ("sent", 2));
    // Delivered, the one-time link is no longer kept in the database.
    assert!(!mail.body_text.contains(token) && !mail.body_html.contains(token));
    assert_eq!(mail.body_text, server::email::outbox::WIPED);

    // And the link in it works.
    assert_eq!(browser.get(&link).await.status, StatusCode::OK);
    assert_eq!(
        worker.process_due(&app.state).await.unwrap(),
        0,
        "sent once"
    );
}

/// Two workers on two threads, as two server instances would run them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_never_send_a_message_twice() {
    let app = TestApp::new().await;
    let sink = SmtpSink::start(free_port());
    for i in 0..12 {
        app.client(&format!("10.2.1.{i}"))
            .register(&format!("user{i}@example.it"), "investor")
            .await;
    }
    let tasks = [smtp_worker(sink.port), smtp_worker(sink.port)].map(|worker| {
        let state = app.state.clone();
        tokio::spawn(async move { worker.process_due(&state).await.unwrap() })
    });
    let mut sent = 0;
    for t in tasks {
        sent += t.await.unwrap();
    }
    assert_eq!(sent, 12);
    let mut recipients: Vec<String> = sink.received().into_iter().flat_map(|r| r.to).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 12);
    assert_eq!(sink.received().len(), 12, "no duplicates");
    assert!(app
        .outbox()
        .await
        .iter()
        .all(|m| m.status == "sent" && m.attempts == 1));
}

#[tokio::test]
async fn permanent_failures_stop_and_are_shown_to_admins() {
    let app = TestApp::new().await;
    let sink = SmtpSink::start(free_port());
    let worker = smtp_worker(sink.port);
    app.client("10.2.2.1")
        .register("reject-me@example.it", "investor")
        .await;
    worker.process_due(&app.state).await.unwrap();
    let mail = app.outbox().await.pop().unwrap();
    assert_eq!(
        (mail.status.as_str(), mail.attempts),
        ("failed", 1),
        "a 550 is not retried"
    );
    assert!(mail.last_error.as_deref().unwrap_or("").contains("550"));

    let mut admin = app
        .privileged_user("admin@example.it", Role::Admin, "10.2.2.2")
        .await;
    let page = admin.get("/admin/outbox").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("reject-me@example.it") && page.body.contains("550"));
}

#[tokio::test]
async fn transient_failures_give_up_after_the_configured_attempts() {
    let app = TestApp::new().await;
    let worker = smtp_worker(free_port()); // nothing listens there
    app.client("10.2.3.1")
        .register("patient@example.it", "investor")
        .await;
    for _ in 0..3 {
        worker.process_due(&app.state).await.unwrap();
        app.state.clock.advance(chrono::Duration::hours(2));
    }
    let mail = app.outbox().await.pop().unwrap();
    assert_eq!((mail.status.as_str(), mail.attempts), ("failed", 3));
}

#[tokio::test]
async fn file_transport_writes_eml_files_for_development() {
    let app = TestApp::new().await;
    app.client("10.2.4.1")
        .register("dev@example.it", "investor")
        .await;
    let worker = Worker::new(Mailer::new(&app.state.config.mail).unwrap());
    assert_eq!(worker.process_due(&app.state).await.unwrap(), 1);
    let files: Vec<_> = std::fs::read_dir(app.dir.path().join("mail"))
        .unwrap()
        .collect();
    assert_eq!(files.len(), 1);
    let content = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
    assert!(content.contains("To: dev@example.it"));
}
