//! Publication over HTTP: a validated candidacy is previewed in Italian and
//! English and published by a second officer (four-eyes), only with a valid
//! form B; a revision keeps the version online until a new one replaces it;
//! unpublishing needs reasons, which reach the proponent.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use common::drafts::{app, complete_draft, reread};
use common::{Client, TestApp};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use server::candidacies::status::Status;
use server::db::entities::document;
use server::review::publication;

/// Rossi's candidacy, taken and validated by Anna: (Rossi, Anna, its id).
async fn validated(app: &TestApp) -> (Client, Client, i64) {
    let mut d = complete_draft(app, "rossi@example.it", "10.0.40.1", &[]).await;
    let r = d.owner.post(&format!("{}/submit", d.base), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = d.base.rsplit('/').next().unwrap().parse().unwrap();
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.40.2")
        .await;
    let r = anna
        .post(&format!("/staff/candidacies/{id}/take"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = anna
        .post(
            &format!("/staff/candidacies/{id}/decide"),
            &[("decision", "validate")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    (d.owner, anna, id)
}

async fn form_b(app: &TestApp, id: i64) -> document::Model {
    document::Entity::find()
        .filter(document::Column::CandidacyId.eq(id))
        .filter(document::Column::Purpose.eq("form_b"))
        .order_by_desc(document::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// The preview's stamp of when the candidacy last changed, which the
/// publishing form sends back.
fn seen(preview: &str) -> String {
    let at = preview
        .find("name=\"seen\" value=\"")
        .expect("the publish form");
    let rest = &preview[at + "name=\"seen\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn set_signature(app: &TestApp, doc: &document::Model, verdict: &str) {
    let mut row: document::ActiveModel = doc.clone().into();
    row.signature = Set(Some(verdict.into()));
    row.update(&app.state.db).await.unwrap();
}

#[tokio::test]
async fn a_second_officer_publishes_with_consent_and_a_revision_keeps_it_online() {
    let app = app().await;
    let (_rossi, mut anna, id) = validated(&app).await;
    let preview = format!("/staff/candidacies/{id}/publish");
    // Four eyes: Anna validated it, so she cannot publish it.
    let page = anna.get(&preview).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("quattro occhi"), "{}", page.body);
    assert!(!page.body.contains("id=\"confirm-publish\""));
    // Posted by hand with the right stamp, it is refused for the rule itself.
    let stamp = publication::seen(&reread(&app, id).await).to_string();
    let r = anna.post(&preview, &[("seen", &stamp)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body
            .contains("chi ha verificato la candidatura non può pubblicarla"),
        "{}",
        r.body
    );
    assert_eq!(reread(&app, id).await.status, Status::Validated);

    // Bruno may, but not without the owner's consent (form B).
    let mut bruno = app
        .privileged_user("bruno@regione.test", Role::Staff, "10.0.40.3")
        .await;
    let consent = form_b(&app, id).await;
    set_signature(&app, &consent, "invalid").await;
    let page = bruno.get(&preview).await;
    assert!(
        page.body.contains("consenso alla pubblicazione"),
        "{}",
        page.body
    );
    let r = bruno.post(&preview, &[("seen", &stamp)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("consenso alla pubblicazione"), "{}", r.body);
    set_signature(&app, &consent, "valid").await;

    // The card in both languages, each marked with its language, the
    // values in each language's words and numbers.
    let page = bruno.get(&preview).await;
    assert!(
        page.body.contains("id=\"confirm-publish\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("lang=\"it\" aria-label=\"Valore di prova «title_it»"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("lang=\"en\" aria-label=\"Valore di prova «title_en»"));
    assert!(page.body.contains("25.000,5 m²"), "{}", page.body);
    assert!(page.body.contains("25,000.5 m²"), "{}", page.body);
    assert!(page.body.contains("Edificio") && page.body.contains("Building"));
    // A form older than the candidacy publishes nothing.
    let r = bruno.post(&preview, &[("seen", "1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("dopo l&#39;anteprima") || r.body.contains("dopo l'anteprima"),
        "{}",
        r.body
    );
    let r = bruno.post(&preview, &[("seen", &seen(&page.body))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reread(&app, id).await.status, Status::Published);
    let v1 = publication::online(&app.state.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v1.version, 1);
    let snapshot = publication::snapshot_of(&v1).unwrap();
    assert_eq!(snapshot.municipality_code, "016024");
    // Values as validated, and no personal data.
    assert_eq!(
        snapshot.fields.get("asset_type").map(String::as_str),
        Some("building")
    );
    assert_eq!(
        snapshot.fields.get("land_area").map(String::as_str),
        Some("25000.5")
    );
    for private in [
        "contact_name",
        "contact_email",
        "contact_phone",
        "cadastral_refs",
    ] {
        assert!(!snapshot.fields.contains_key(private), "{private}");
    }
    assert!(app
        .outbox()
        .await
        .iter()
        .any(|m| m.to_addr == "rossi@example.it" && m.subject.contains("pubblicata")));

    // A revision: reasons needed; then in Bruno's charge, and still online.
    let revise = format!("/staff/candidacies/{id}/revise");
    // Submitted forty days ago: a revision starts the clock to decide again.
    let c = reread(&app, id).await;
    let mut earlier: server::db::entities::candidacy::ActiveModel = c.clone().into();
    earlier.submitted_at = Set(c.submitted_at.map(|t| t - chrono::Duration::days(40)));
    earlier.update(&app.state.db).await.unwrap();
    let r = bruno.post(&revise, &[("revise_reasons", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Scrivi i motivi."), "{}", r.body);
    let r = bruno
        .post(
            &revise,
            &[("revise_reasons", "Il proprietario segnala un nuovo accesso")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = reread(&app, id).await;
    assert_eq!(c.status, Status::UnderReview);
    let page = bruno.get(&format!("/staff/candidacies/{id}")).await;
    assert!(
        page.body.contains("0 giorni usati, 30 rimasti"),
        "{}",
        page.body
    );
    let online = publication::online(&app.state.db, id).await.unwrap();
    assert_eq!(
        online.map(|p| p.version),
        Some(1),
        "the version online stays"
    );
    let r = bruno
        .post(
            &format!("/staff/candidacies/{id}/decide"),
            &[("decision", "validate")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Anna publishes the new version: it replaces the first.
    let page = anna.get(&preview).await;
    assert!(
        page.body.contains("Sostituisce la versione 1"),
        "{}",
        page.body
    );
    let r = anna.post(&preview, &[("seen", &seen(&page.body))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let versions = publication::versions(&app.state.db, id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions[0].ended_at.is_some());
    assert!(versions[1].ended_at.is_none());

    // Off the catalogue: with reasons, which Rossi reads.
    let unpublish = format!("/staff/candidacies/{id}/unpublish");
    let r = anna.post(&unpublish, &[("unpublish_reasons", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reasons = "Il sito non è più disponibile";
    let r = anna
        .post(&unpublish, &[("unpublish_reasons", reasons)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reread(&app, id).await.status, Status::Validated);
    assert!(publication::online(&app.state.db, id)
        .await
        .unwrap()
        .is_none());
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "rossi@example.it" && m.subject.contains("tolta dal catalogo"))
        .expect("the unpublication email");
    assert!(mail.body_text.contains(reasons), "{}", mail.body_text);
    // Offline, it can be reviewed again without going online first, by
    // the officer in charge (taking it over is an administrator's move);
    // anyone else gets the page back with the reasons kept.
    let why = [("revise_reasons", "Nuove foto in arrivo")];
    let r = anna.post(&revise, &why).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("id=\"reasons-typed\""), "{}", r.body);
    let r = bruno.post(&revise, &why).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reread(&app, id).await.status, Status::UnderReview);
}

#[tokio::test]
async fn withdrawing_a_published_candidacy_takes_it_offline() {
    let anchors = common::signing::anchors_file();
    let app = TestApp::new_with(|c| {
        c.trust_anchors = Some(anchors);
        c.review.four_eyes = false;
    })
    .await;
    let (mut rossi, mut anna, id) = validated(&app).await;
    let preview = format!("/staff/candidacies/{id}/publish");
    let page = anna.get(&preview).await;
    let r = anna.post(&preview, &[("seen", &seen(&page.body))]).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "without four eyes: {}",
        r.body
    );
    let r = rossi
        .post(
            &format!("/candidacies/{id}/withdraw"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reread(&app, id).await.status, Status::Withdrawn);
    let versions = publication::versions(&app.state.db, id).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].end_reason, "withdrawn");
}
