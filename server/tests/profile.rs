//! The proponent's profile: saved once, reloaded, checked field by field.

mod common;

use axum::http::StatusCode;
use common::TestApp;

const COMPANY: [(&str, &str); 14] = [
    ("subject_type", "organisation"),
    ("org_type", "company"),
    ("name", "Immobiliare Brembo S.r.l."),
    ("tax_code", "12345678903"),
    ("vat_number", "IT 12345678903"),
    ("legal_rep", "Maria Rossi"),
    ("legal_rep_tax_code", "RSSMRA80A41F205B"),
    ("address", "Via Grumello 57"),
    ("postcode", "24127"),
    ("city", "Bergamo"),
    ("email", "Info@Brembo.example.it"),
    ("pec", "brembo@pec.example.it"),
    ("phone", "+39 035 123 4567"),
    ("property_role", "owner"),
];

#[tokio::test]
async fn a_profile_is_saved_once_and_reloaded() {
    let app = TestApp::new().await;
    let mut owner = app.user("owner@example.it", "proponent", "10.0.1.1").await;

    let first = owner.get("/profile").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.contains("value=\"owner@example.it\""),
        "the account email is proposed"
    );

    let r = owner.post("/profile", &COMPANY).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/profile?saved=1"),
        "{}",
        r.body
    );
    let page = owner.get("/profile?saved=1").await;
    assert!(page.body.contains("Profilo salvato"));
    assert!(page.body.contains("value=\"Immobiliare Brembo S.r.l.\""));
    assert!(
        page.body.contains("value=\"12345678903\""),
        "the VAT number is stored without IT and spaces"
    );
    assert!(
        page.body.contains("value=\"info@brembo.example.it\""),
        "emails are normalised"
    );
    assert!(
        page.body.contains("<option value=\"company\" selected"),
        "{}",
        page.body
    );

    // A change is saved over the same profile.
    let mut changed = COMPANY.to_vec();
    changed[9] = ("city", "Dalmine");
    assert_eq!(
        owner.post("/profile", &changed).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(owner
        .get("/profile")
        .await
        .body
        .contains("value=\"Dalmine\""));

    // Another proponent sees their own, empty profile.
    let mut other = app.user("other@example.it", "proponent", "10.0.1.2").await;
    assert!(!other.get("/profile").await.body.contains("Brembo"));
}

#[tokio::test]
async fn every_bad_field_is_reported_next_to_it_and_nothing_typed_is_lost() {
    let app = TestApp::new().await;
    let mut owner = app.user("owner@example.it", "proponent", "10.0.1.3").await;
    let r = owner
        .post(
            "/profile",
            &[
                ("subject_type", "person"),
                ("name", "Mario Rossi"),
                ("tax_code", "RSSMRA85T10A562T"),
                ("address", ""),
                ("postcode", "2412"),
                ("city", "Bergamo"),
                ("email", "mario.rossi"),
                ("pec", "pec@"),
                ("phone", "chiamatemi"),
                ("property_role", "landlord"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, text) in [
        ("tax_code", "Il codice fiscale non è valido"),
        ("address", "Compilare questo campo."),
        ("postcode", "Il CAP è di cinque cifre"),
        ("email", "Inserisci un indirizzo email valido"),
        ("pec", "Inserisci un indirizzo email valido"),
        ("phone", "Il numero di telefono può contenere solo cifre"),
        ("property_role", "Scegliere una voce dall"),
    ] {
        assert!(
            r.body.contains(&format!("id=\"f-{field}-error\"")),
            "{field} has no error next to it"
        );
        assert!(r.body.contains(text), "{field}: {text}");
    }
    assert!(
        r.body.contains("href=\"#f-tax_code\""),
        "the summary links to the field"
    );
    assert!(
        r.body.contains("value=\"RSSMRA85T10A562T\"") && r.body.contains("value=\"chiamatemi\""),
        "typed values are kept"
    );
    assert!(!r.body.contains("id=\"f-name-error\""));
}

#[tokio::test]
async fn organisations_need_their_type_representative_and_companies_a_vat_number() {
    let app = TestApp::new().await;
    let mut owner = app.user("ente@example.it", "proponent", "10.0.1.4").await;
    let mut fields: Vec<_> = COMPANY
        .iter()
        .filter(|(k, _)| !["org_type", "vat_number", "legal_rep", "legal_rep_tax_code"].contains(k))
        .copied()
        .collect();
    let r = owner.post("/profile", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-org_type-error\"")
            && r.body.contains("id=\"f-legal_rep-error\"")
            && r.body.contains("id=\"f-legal_rep_tax_code-error\"")
    );
    fields.push(("org_type", "company"));
    fields.push(("legal_rep", "Maria Rossi"));
    // A company's code is not a person's: the representative's must be 16 characters.
    fields.push(("legal_rep_tax_code", "12345678903"));
    let r = owner.post("/profile", &fields).await;
    assert!(
        r.body.contains("id=\"f-legal_rep_tax_code-error\""),
        "{}",
        r.body
    );
    fields.pop();
    fields.push(("legal_rep_tax_code", "RSSMRA80A41F205B"));
    let r = owner.post("/profile", &fields).await;
    assert!(
        r.body.contains("la partita IVA è obbligatoria"),
        "{}",
        r.body
    );
    fields.push(("vat_number", "12345678901"));
    assert!(owner
        .post("/profile", &fields)
        .await
        .body
        .contains("La partita IVA non è valida"));
}

#[tokio::test]
async fn only_a_logged_in_proponent_with_a_csrf_token_reaches_the_profile() {
    let app = TestApp::new().await;
    let mut anonymous = app.client("10.0.1.5");
    assert_eq!(
        anonymous.get("/profile").await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut investor = app
        .user("investor@example.com", "investor", "10.0.1.6")
        .await;
    assert_eq!(investor.get("/profile").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        investor.post("/profile", &COMPANY).await.status,
        StatusCode::FORBIDDEN
    );

    let mut owner = app.user("owner@example.it", "proponent", "10.0.1.7").await;
    let body = serde_urlencoded::to_string(COMPANY).unwrap();
    let r = owner.post_raw("/profile", &body, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token, no change");
    assert!(!owner.get("/profile").await.body.contains("Brembo"));
}
