//! Candidacy drafts: created by a proponent, located, and their prefilled template downloaded.

mod common;

use axum::http::{header, StatusCode};
use common::{at, TestApp, PASSWORD};
use forms::{Call, Kind, Value};

const LOCATION: [(&str, &str); 5] = [
    ("municipality", "bergamo (bg)"),
    ("address", "Via Grumello 57"),
    ("postcode", "24127"),
    ("latitude", "45,6905"),
    ("longitude", "9.6410"),
];

async fn draft(owner: &mut common::Client, kind: &str) -> String {
    let r = owner.post("/candidacies", &[("kind", kind)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.location().to_string();
    assert!(location.ends_with("/location"), "{location}");
    location.trim_end_matches("/location").to_string()
}

#[tokio::test]
async fn a_draft_is_located_and_its_template_comes_prefilled() {
    let app = TestApp::new().await;
    let mut owner = app.user("owner@example.it", "proponent", "10.0.2.1").await;
    let profile = [
        ("subject_type", "person"),
        ("name", "Mario Rossi"),
        ("tax_code", "RSSMRA85T10A562S"),
        ("address", "Via Roma 1"),
        ("postcode", "24121"),
        ("city", "Bergamo"),
        ("email", "mario.rossi@example.it"),
        ("phone", "+39 035 123 4567"),
        ("property_role", "owner"),
    ];
    assert_eq!(
        owner.post("/profile", &profile).await.status,
        StatusCode::SEE_OTHER
    );

    assert!(owner
        .get("/candidacies")
        .await
        .body
        .contains("Non hai ancora candidature"));
    let base = draft(&mut owner, "b").await;
    let list = owner.get("/candidacies").await.body;
    assert!(
        list.contains("Proposta di investimento")
            && list.contains("Bozza")
            && list.contains("Luogo da indicare"),
        "{list}"
    );
    assert_eq!(
        owner.get(&base).await.location(),
        format!("{base}/location"),
        "a draft without a place starts there"
    );

    let r = owner.post(&format!("{base}/location"), &LOCATION).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, format!("{base}/template").as_str()),
        "{}",
        r.body
    );
    let step = owner.get(&format!("{base}/template")).await.body;
    assert!(step.contains("provincia di Bergamo (BG)"), "{step}");
    assert!(!step.contains("Attenzione"), "no mismatch");
    assert!(owner
        .get("/candidacies")
        .await
        .body
        .contains("Bergamo (BG) – Via Grumello 57"));

    let file = owner.get(&format!("{base}/template.xlsx?lang=en")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert!(file.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let report = forms::check_file(Call::embedded(), &file.bytes, Some(Kind::Investment));
    let v = &report.values;
    assert_eq!(v["municipality"], Value::Municipality("016024".into()));
    assert_eq!(v["address"], Value::Text("Via Grumello 57".into()));
    assert_eq!(v["latitude"], Value::Coordinate(45.6905));
    assert_eq!(v["contact_name"], Value::Text("Mario Rossi".into()));
    assert_eq!(
        v["contact_email"],
        Value::Text("mario.rossi@example.it".into())
    );
    assert_eq!(
        report.sheet.as_deref(),
        Some("Data"),
        "the English template"
    );
    assert!(
        !report.is_accepted(),
        "the person still has the technical data to fill in"
    );
}

#[tokio::test]
async fn a_bad_location_is_explained_field_by_field_and_kept() {
    let app = TestApp::new().await;
    let mut owner = app.user("owner@example.it", "proponent", "10.0.2.2").await;
    let base = draft(&mut owner, "a").await;
    let r = owner
        .post(
            &format!("{base}/location"),
            &[
                ("municipality", "Roma"),
                ("address", ""),
                ("postcode", "2412"),
                ("latitude", "41.9028"),
                ("longitude", "12.4964"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, text) in [
        ("municipality", "Scegliere un comune della Lombardia"),
        ("address", "Compilare questo campo."),
        ("postcode", "Il CAP è di cinque cifre"),
        ("latitude", "Il punto cade fuori dalla Lombardia"),
    ] {
        assert!(
            r.body.contains(&format!("id=\"f-{field}-error\"")),
            "{field}"
        );
        assert!(r.body.contains(text), "{field}: {text}");
    }
    assert!(
        r.body.contains("value=\"Roma\"") && r.body.contains("value=\"41.9028\""),
        "typed values are kept"
    );

    // Coordinates in Milano for a site in Bergamo: accepted, with a warning on the next step.
    let mut milano = LOCATION.to_vec();
    milano[3] = ("latitude", "45.4642");
    milano[4] = ("longitude", "9.19");
    assert_eq!(
        owner
            .post(&format!("{base}/location"), &milano)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let step = owner.get(&format!("{base}/template")).await.body;
    assert!(step.contains("il punto cade in provincia di Milano (MI), ma il comune è in provincia di Bergamo (BG)"), "{step}");
}

#[tokio::test]
async fn nobody_else_reaches_a_candidacy() {
    let app = TestApp::new().await;
    let mut owner = app.user("owner@example.it", "proponent", "10.0.2.3").await;
    let base = draft(&mut owner, "a").await;
    let mut other = app.user("other@example.it", "proponent", "10.0.2.4").await;
    for path in [
        base.clone(),
        format!("{base}/location"),
        format!("{base}/template"),
        format!("{base}/template.xlsx"),
    ] {
        let r = other.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.body.contains("Via Grumello"));
    }
    assert_eq!(
        other
            .post(&format!("{base}/location"), &LOCATION)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(!other.get("/candidacies").await.body.contains(&base));
    assert_eq!(
        other.get("/candidacies/999999/location").await.status,
        StatusCode::NOT_FOUND
    );

    let mut investor = app
        .user("investor@example.com", "investor", "10.0.2.5")
        .await;
    assert_eq!(
        investor.get(&format!("{base}/location")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.client("10.0.2.6")
            .get(&format!("{base}/template.xlsx"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn after_the_deadline_no_draft_starts_but_existing_ones_stay() {
    let app = TestApp::new().await;
    let mut owner = app.user("owner@example.it", "proponent", "10.0.2.7").await;
    let base = draft(&mut owner, "a").await;
    assert_eq!(
        owner
            .post(&format!("{base}/location"), &LOCATION)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    // 30 June 2028 23:59:59 in Rome is 21:59:59 UTC (summer time).
    app.state.clock.set(at("2028-06-30T21:59:59Z"));
    // Sessions last 8 hours: log in again at the new time.
    assert_eq!(
        owner.login("owner@example.it", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        owner.post("/candidacies", &[("kind", "a")]).await.status,
        StatusCode::SEE_OTHER,
        "one second before"
    );
    app.state.clock.set(at("2028-06-30T22:00:00Z"));
    let r = owner.post("/candidacies", &[("kind", "a")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r
        .body
        .contains("Il termine per presentare candidature è scaduto"));
    let list = owner.get("/candidacies").await.body;
    assert_eq!(
        list.matches("Opportunità insediativa").count(),
        2,
        "both drafts are still listed"
    );
    assert_eq!(
        owner.get(&format!("{base}/template.xlsx")).await.status,
        StatusCode::OK,
        "and downloadable"
    );
}
