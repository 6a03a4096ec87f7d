//! `portal-server serve --demo`: demo accounts, and a demo proponent with a
//! profile, two drafts and a candidacy submitted with forms signed by the demo CA.

mod common;

use common::TestApp;

#[tokio::test]
async fn demo_data_is_created_once_and_is_consistent() {
    // As `serve --demo` does when no real trust anchors are configured.
    let app = TestApp::new_with(|c| {
        c.trust_anchors = Some(server::demo_pki::ensure(&c.data_dir.join("demo-pki")).unwrap())
    })
    .await;
    assert_eq!(server::demo::seed(&app.state, 3).await.unwrap(), 4);
    assert_eq!(
        server::demo::seed(&app.state, 3).await.unwrap(),
        0,
        "running again keeps what exists"
    );
    // The demo catalogue: the sites asked for, published once.
    let mut visitor = app.client("10.0.4.9");
    let list = visitor.get("/opportunita").await;
    assert!(list.body.contains("3 siti trovati"), "{}", list.body);
    // The demo officer logs in with the printed secret's code, as anyone
    // trying the back office would with an authenticator app.
    let printed = server::demo::describe();
    let (_, secret) = server::demo::TOTP_SECRETS[0];
    assert!(
        printed.contains(secret) && printed.contains("otpauth://totp/"),
        "{printed}"
    );
    let mut officer = app.client("10.0.4.2");
    let r = officer
        .login("istruttore@demo.test", server::demo::PASSWORD)
        .await;
    assert!(r.location().starts_with("/login/code"), "{}", r.location());
    let bytes = server::accounts::totp::from_base32(secret).unwrap();
    let now = server::accounts::totp::step_at(chrono::Utc::now().timestamp());
    let code = server::accounts::totp::code(&bytes, now);
    let r = officer.post("/login/code", &[("code", &code)]).await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        officer.get("/staff").await.status,
        axum::http::StatusCode::OK
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
    assert_eq!(ids.len(), 3, "{list}");
    assert!(list.contains("Presentata"), "{list}");
    // The submitted one: its reference, its receipt, the email with the receipt.
    let submitted = proponent
        .get(&format!("/candidacies/{}/submit", ids[0]))
        .await
        .body;
    assert!(
        submitted.contains(&format!("OL-2026-{:06}", ids[0].parse::<i64>().unwrap())),
        "{submitted}"
    );
    assert!(submitted.contains("Scarica la ricevuta"));
    assert!(app
        .outbox()
        .await
        .iter()
        .any(|m| m.attachment_name.is_some()));
    let forms = proponent
        .get(&format!("/candidacies/{}/forms", ids[0]))
        .await
        .body;
    assert!(
        forms.contains("Firma digitale valida di Maria Rossi (RSSMRA80A41F205B)"),
        "{forms}"
    );
    let profile = proponent.get("/profile").await.body;
    assert!(profile.contains("value=\"80050050154\""));
    // The located draft's point falls in its municipality's province, without a warning.
    let mut placed = 0;
    for id in &ids[1..] {
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
