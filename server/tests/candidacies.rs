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
    let (mut owner, base) = located_draft(&app, "owner@example.it", "10.0.2.7").await;

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

async fn located_draft(app: &TestApp, email: &str, ip: &str) -> (common::Client, String) {
    let mut owner = app.user(email, "proponent", ip).await;
    let base = draft(&mut owner, "a").await;
    assert_eq!(
        owner
            .post(&format!("{base}/location"), &LOCATION)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    (owner, base)
}

#[tokio::test]
async fn an_uploaded_template_is_checked_and_every_problem_shown_with_its_cell() {
    let app = TestApp::new().await;
    let (mut owner, base) = located_draft(&app, "owner@example.it", "10.0.2.8").await;
    // The template as downloaded: prefilled, but the technical data are still missing.
    let blank = owner.get(&format!("{base}/template.xlsx")).await.bytes;
    let r = owner
        .upload(&format!("{base}/template"), "modello.xlsx", &blank)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let step = owner.get(&format!("{base}/template")).await.body;
    assert!(
        step.contains("Il modello contiene errori da correggere"),
        "{step}"
    );
    assert!(step.contains("File «modello.xlsx»"));
    assert!(
        step.contains("C5 Titolo (italiano): campo obbligatorio: inserire un valore."),
        "{step}"
    );
    assert!(
        step.contains("il punto cade in provincia di Bergamo (BG)"),
        "the province note is shown"
    );
    assert!(
        !step.contains("C9 Comune: campo obbligatorio"),
        "the prefilled municipality is not missing"
    );

    // Filled completely (here by the engine itself): accepted; the last upload counts.
    let call = Call::embedded();
    let mut values = forms::template::Prefill::new();
    for (id, value) in forms::check_file(call, &blank, Some(Kind::Settlement)).values {
        values.insert(id, value);
    }
    let filled =
        forms::template::write(call, Kind::Settlement, forms::Lang::It, &complete(values)).unwrap();
    assert_eq!(
        owner
            .upload(
                &format!("{base}/template"),
                "modello-completo.xlsx",
                &filled
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let step = owner.get(&format!("{base}/template")).await.body;
    assert!(step.contains("Il modello è completo e corretto."), "{step}");
    assert!(step.contains("modello-completo.xlsx"));

    // In English, the same findings in English.
    owner.get("/lang/en").await;
    assert!(owner
        .get(&format!("{base}/template"))
        .await
        .body
        .contains("The template is complete and correct."));
}

/// Every field of a settlement opportunity given a valid value, keeping those already there.
fn complete(mut values: forms::template::Prefill) -> forms::template::Prefill {
    use forms::value::cadastral;
    let text = |t: &str| Value::Text(t.to_string());
    let defaults = [
        ("title_it", text("Ex area tessile di via Grumello")),
        ("asset_type", Value::Choice("brownfield".into())),
        ("asset_state", Value::Choice("disused".into())),
        (
            "cadastral_refs",
            Value::Cadastral(cadastral("12/345, 346").unwrap()),
        ),
        ("ownership", Value::Choice("private".into())),
        ("owners_count", Value::Integer(1)),
        ("availability", Value::Choices(vec!["sale".into()])),
        (
            "available_from",
            Value::Date(chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
        ),
        ("land_area", Value::Decimal(25_000.0)),
        ("zoning", text("Ambito produttivo D1")),
        (
            "permitted_functions",
            Value::Choices(vec!["production".into(), "logistics".into()]),
        ),
        ("remediation", Value::Choice("not_needed".into())),
        ("km_motorway", Value::Decimal(3.5)),
        (
            "description_it",
            text("Area dismessa servita dalla ferrovia."),
        ),
        ("contact_name", text("Mario Rossi")),
        ("contact_email", text("mario.rossi@example.it")),
    ];
    for (id, value) in defaults {
        values.entry(id.to_string()).or_insert(value);
    }
    values
}

#[tokio::test]
async fn bad_uploads_are_answered_next_to_the_field_and_keep_nothing() {
    let app = TestApp::new().await;
    let (mut owner, base) = located_draft(&app, "owner@example.it", "10.0.2.9").await;
    let upload_path = format!("{base}/template");

    // Not a spreadsheet, whatever its name: recorded with the reason, shown on the step.
    assert_eq!(
        owner
            .upload(&upload_path, "modello.xlsx", b"%PDF-1.7 fake")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(owner
        .get(&upload_path)
        .await
        .body
        .contains("non è un foglio di calcolo"));

    // No file chosen.
    let r = owner.upload(&upload_path, "", b"").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-file-error\"") && r.body.contains("Scegliere il file da caricare.")
    );

    // Over the limit: refused with the reason, and no partial file is left behind.
    let big = vec![b'x'; forms::template::guard::MAX_FILE_BYTES + 1];
    let r = owner.upload(&upload_path, "enorme.xlsx", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body.contains("Il file supera i 10 MB ammessi"),
        "{}",
        r.body
    );
    let tmp = app.state.config.data_dir.join("uploads").join("tmp");
    assert_eq!(
        std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0),
        0,
        "no half-received file is kept"
    );

    // Without the CSRF token nothing is received; someone else's candidacy is not found.
    let blank = owner.get(&format!("{base}/template.xlsx")).await.bytes;
    assert_eq!(
        owner
            .upload_with(&upload_path, "file", "m.xlsx", &blank, None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut other = app.user("other@example.it", "proponent", "10.0.2.10").await;
    assert_eq!(
        other.upload(&upload_path, "m.xlsx", &blank).await.status,
        StatusCode::NOT_FOUND
    );
}
