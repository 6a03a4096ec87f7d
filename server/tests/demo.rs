//! `portal-server serve --demo`: demo accounts, and a demo proponent with a profile and drafts.

mod common;

use common::TestApp;

#[tokio::test]
async fn demo_data_is_created_once_and_is_consistent() {
    let app = TestApp::new().await;
    assert_eq!(server::demo::seed(&app.state).await.unwrap(), 4);
    assert_eq!(
        server::demo::seed(&app.state).await.unwrap(),
        0,
        "running again keeps what exists"
    );
    let mut proponent = app.client("10.0.4.1");
    let r = proponent
        .login("proponente@demo.test", server::demo::PASSWORD)
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER);
    let list = proponent.get("/candidacies").await.body;
    assert!(list.contains("Dalmine (BG) – Via Provinciale 12"), "{list}");
    assert!(list.contains("Proposta di investimento"));
    let ids: Vec<String> = list
        .match_indices("href=\"/candidacies/")
        .map(|(i, _)| {
            list[i + 19..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        })
        .collect();
    assert_eq!(ids.len(), 2, "{list}");
    let profile = proponent.get("/profile").await.body;
    assert!(profile.contains("value=\"80050050154\""));
    // The located draft's point falls in its municipality's province, without a warning.
    let mut placed = 0;
    for id in ids {
        let step = proponent
            .get(&format!("/candidacies/{id}/template"))
            .await
            .body;
        assert!(!step.contains("Attenzione"), "{step}");
        placed +=
            usize::from(step.contains("Il punto indicato cade in provincia di Bergamo (BG)."));
    }
    assert_eq!(placed, 1);
}
