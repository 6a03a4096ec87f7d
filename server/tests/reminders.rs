//! Deadline reminders 30, 7 and 1 days before closing, to proponents with
//! drafts only, each sent once even when two server instances run at once.

mod common;

use common::{at, TestApp};
use server::candidacies::reminders;

async fn reminder_mails(app: &TestApp) -> Vec<(String, String)> {
    app.outbox()
        .await
        .into_iter()
        .filter(|m| m.subject.contains("alla chiusura delle candidature"))
        .map(|m| (m.to_addr, m.subject))
        .collect()
}

/// Two instances on two threads race for each reminder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reminder_goes_once_to_proponents_with_drafts() {
    let app = TestApp::new().await;
    let mut drafter = app
        .user("drafter@example.it", "proponent", "10.0.8.1")
        .await;
    drafter.post("/candidacies", &[("kind", "a")]).await;
    drafter.post("/candidacies", &[("kind", "b")]).await;
    // A proponent with no draft gets nothing.
    app.user("idle@example.it", "proponent", "10.0.8.2").await;
    let (second, _) = app.second_instance().await;

    // 31 days before 30 June 2028, 23:59:59 Rome (21:59:59 UTC): nothing yet.
    app.state.clock.set(at("2028-05-30T21:59:59Z"));
    assert_eq!(reminders::send_due(&app.state).await.unwrap(), 0);

    // 30 days before, two instances at once: one email in all.
    for when in [
        "2028-05-31T22:00:00Z",
        "2028-06-23T22:00:00Z",
        "2028-06-29T22:00:00Z",
    ] {
        app.state.clock.set(at(when));
        second.clock.set(at(when));
        let tasks = [app.state.clone(), second.clone()]
            .map(|state| tokio::spawn(async move { reminders::send_due(&state).await.unwrap() }));
        let mut sent = 0;
        for t in tasks {
            sent += t.await.unwrap();
        }
        assert_eq!(sent, 1, "at {when}");
        assert_eq!(
            reminders::send_due(&app.state).await.unwrap(),
            0,
            "again at {when}"
        );
    }
    let mails = reminder_mails(&app).await;
    let subjects: Vec<&str> = mails.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "Mancano 30 giorni alla chiusura delle candidature - Opportunity Lombardy",
            "Mancano 7 giorni alla chiusura delle candidature - Opportunity Lombardy",
            "Manca 1 giorno alla chiusura delle candidature - Opportunity Lombardy",
        ]
    );
    assert!(mails.iter().all(|(to, _)| to == "drafter@example.it"));
    let body = &app.outbox().await.last().unwrap().body_text.clone();
    assert!(
        body.contains("Candidature in bozza non ancora presentate: 2."),
        "{body}"
    );
    assert!(body.contains("30 giugno 2028, ore 23:59:59"), "{body}");
    assert!(body.contains("http://portal.test/candidacies"));

    // After the closing instant: no more reminders.
    app.state.clock.set(at("2028-06-30T22:00:00Z"));
    assert_eq!(reminders::send_due(&app.state).await.unwrap(), 0);
}
