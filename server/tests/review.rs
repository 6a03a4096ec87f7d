//! The back office over HTTP: the queue and its filters, the review page
//! (the template read back field by field, the documents as downloads, the
//! history), taking in charge with two officers racing, and deciding, with
//! the proponent told by email in their language.

mod common;

use app::view_data::Role;
use axum::http::{header, StatusCode};
use common::drafts::{app, complete_draft, reread};
use common::{rossi_with_draft, Client, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::candidacies::status::Status;
use server::db::entities::{candidacy_event, document};

/// A candidacy Rossi (`email`) submitted: (Rossi, its id, its reference).
async fn submitted(app: &TestApp, email: &str, ip: &str) -> (Client, i64, String) {
    let mut d = complete_draft(app, email, ip, &[]).await;
    let r = d.owner.post(&format!("{}/submit", d.base), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = d.base.rsplit('/').next().unwrap().parse().unwrap();
    let c = reread(app, id).await;
    (d.owner, id, c.reference.unwrap())
}

#[tokio::test]
async fn the_queue_lists_what_was_submitted_and_filters_in_the_address() {
    let app = app().await;
    let (_, id, reference) = submitted(&app, "rossi@example.it", "10.0.20.1").await;
    // A draft is the proponent's business: staff never see it.
    let (_, draft) = rossi_with_draft(&app, "bozza@example.it", "10.0.20.2").await;
    let draft_id: i64 = draft.rsplit('/').next().unwrap().parse().unwrap();
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.20.3")
        .await;

    let q = anna.get("/staff").await;
    assert_eq!(q.status, StatusCode::OK);
    assert!(q.body.contains(&reference), "{}", q.body);
    assert!(q.body.contains("1 candidature trovate"), "{}", q.body);
    assert!(!q.body.contains(&format!("/staff/candidacies/{draft_id}\"")));
    let listed = |body: &str| body.contains(&reference);
    for (filter, shown) in [
        ("status=submitted", true),
        ("status=validated", false),
        ("province=BG", true),
        ("province=MI", false),
        ("kind=a", true),
        ("kind=b", false),
        ("officer=nobody", true),
        ("officer=me", false),
        ("filed=delegate", false),
        ("waiting=1", false),
        (&format!("q={}", &reference[reference.len() - 6..]), true),
        ("q=grumello", true),
        ("q=%25", true),
        ("q=nowhere", false),
        // Nonsense is dropped, not an error.
        ("status=nonsense&province=XX&page=-4&waiting=abc", true),
    ] {
        let mut r = anna.get(&format!("/staff?{filter}")).await;
        // What the queue does not take is cleaned out of the address first.
        if r.status == StatusCode::SEE_OTHER {
            let clean = r.location().to_string();
            assert!(clean.starts_with("/staff"), "{filter}: {clean}");
            r = anna.get(&clean).await;
        }
        assert_eq!(r.status, StatusCode::OK, "{filter}");
        assert_eq!(listed(&r.body), shown, "{filter}");
    }
    // The filters travel to the review page and back.
    let r = anna.get("/staff?province=BG&sort=newest").await;
    assert!(
        r.body.contains(&format!(
            "/staff/candidacies/{id}?from=province%3DBG%26sort%3Dnewest"
        )),
        "{}",
        r.body
    );
    let page = anna
        .get(&format!(
            "/staff/candidacies/{id}?from=province%3DBG%26sort%3Dnewest"
        ))
        .await;
    assert!(
        page.body
            .contains("href=\"/staff?province=BG&amp;sort=newest\""),
        "{}",
        page.body
    );
    assert_eq!(
        anna.get(&format!("/staff/candidacies/{draft_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_review_page_shows_the_file_as_typed_and_serves_documents_as_downloads() {
    let app = app().await;
    let (_, id, reference) = submitted(&app, "rossi@example.it", "10.0.21.1").await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.21.2")
        .await;
    let page = anna.get(&format!("/staff/candidacies/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        reference.as_str(),
        // A value the proponent typed in the template, read back from the file.
        "ufficio.tecnico@comune.bergamo.it",
        "Mario Rossi",
        "RSSMRA80A01F205X",
        "Bergamo (BG)",
        "modello.xlsx",
        "firma digitale valida",
        "Prendi in carico",
        // The site on the server-drawn map, and what the portal checked.
        "id=\"site-map\"",
        "data-province=\"BG\"",
        "id=\"checks\"",
        "quella del comune",
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }
    assert!(
        !page.body.contains("Da verificare"),
        "a consistent site raises nothing"
    );
    // The photo as a thumbnail the server made: small, a JPEG, no metadata.
    let src = page
        .body
        .split("src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|s| s.ends_with("/thumbnail"))
        .expect("a photo's thumbnail")
        .to_string();
    let thumb = anna.get(&src).await;
    assert_eq!(thumb.status, StatusCode::OK);
    assert_eq!(thumb.headers[header::CONTENT_TYPE], "image/jpeg");
    let small = image::load_from_memory(&thumb.bytes).unwrap();
    assert!(small.width() <= 320 && small.height() <= 320);
    assert!(!thumb.bytes.windows(4).any(|w| w == b"Exif"));
    // In English, the page and the template's labels are English too.
    anna.get("/lang/en?next=/").await;
    let en = anna.get(&format!("/staff/candidacies/{id}")).await;
    assert_eq!(en.status, StatusCode::OK);
    let label = |lang| {
        let call = forms::Call::embedded();
        call.fields_for(forms::Kind::Settlement)
            .next()
            .unwrap()
            .label
            .get(lang)
            .to_string()
    };
    assert!(en.body.contains("Site sheet (Excel template)"));
    assert!(en.body.contains(&label(forms::Lang::En)), "{}", en.body);
    assert!(page.body.contains(&label(forms::Lang::It)));
    let photo = document::Entity::find()
        .filter(document::Column::CandidacyId.eq(id))
        .filter(document::Column::Purpose.eq("photo"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let r = anna
        .get(&format!("/staff/candidacies/{id}/documents/{}", photo.id))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let disposition = r.headers.get(header::CONTENT_DISPOSITION).unwrap();
    assert!(disposition.to_str().unwrap().starts_with("attachment"));
    assert_eq!(r.bytes, common::drafts::png());
    // Another candidacy's document through this one: not found.
    let (_, other, _) = submitted(&app, "verdi@example.it", "10.0.21.3").await;
    let r = anna
        .get(&format!(
            "/staff/candidacies/{other}/documents/{}",
            photo.id
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn two_officers_race_one_takes_it_and_only_they_decide() {
    let app = app().await;
    let (_, id, reference) = submitted(&app, "rossi@example.it", "10.0.22.1").await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.22.2")
        .await;
    let mut bruno = app
        .privileged_user("bruno@regione.test", Role::Staff, "10.0.22.3")
        .await;
    let take = format!("/staff/candidacies/{id}/take");
    // Both press "take" at once: exactly one wins; the other is told who.
    let (a, b) = tokio::join!(anna.post(&take, &[]), bruno.post(&take, &[]));
    let anna_won = match (a.status, b.status) {
        (StatusCode::SEE_OTHER, StatusCode::CONFLICT) => true,
        (StatusCode::CONFLICT, StatusCode::SEE_OTHER) => false,
        other => panic!("{other:?}"),
    };
    let (mut winner, mut loser, refused, winner_email) = if anna_won {
        (anna, bruno, b, "anna@regione.test")
    } else {
        (bruno, anna, a, "bruno@regione.test")
    };
    assert!(refused.body.contains(winner_email), "{}", refused.body);
    let c = reread(&app, id).await;
    assert_eq!(c.status, Status::UnderReview);
    let events = candidacy_event::Entity::find()
        .filter(candidacy_event::Column::CandidacyId.eq(id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 2, "submitted, then taken once");

    // The loser cannot decide it.
    let decide = format!("/staff/candidacies/{id}/decide");
    let r = loser.post(&decide, &[("decision", "validate")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // A rejection without reasons comes back with the error by the field.
    let r = winner
        .post(&decide, &[("decision", "reject"), ("reasons", "  ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Scrivi i motivi"), "{}", r.body);
    assert_eq!(reread(&app, id).await.status, Status::UnderReview);

    // With reasons: rejected, the reasons in the history and in Rossi's email.
    let reasons = "=Manca la planimetria <script>alert(1)</script>";
    let r = winner
        .post(&decide, &[("decision", "reject"), ("reasons", reasons)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reread(&app, id).await.status, Status::Rejected);
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "rossi@example.it" && m.subject.contains("non accolta"))
        .expect("the rejection email");
    assert!(mail.subject.contains(&reference));
    assert!(
        mail.body_text.contains("Manca la planimetria"),
        "{}",
        mail.body_text
    );
    assert!(!mail.body_html.contains("<script>"), "{}", mail.body_html);
    let page = winner.get(&format!("/staff/candidacies/{id}")).await;
    assert!(
        page.body.contains("Manca la planimetria &lt;script&gt;"),
        "{}",
        page.body
    );
    // Decided: nothing more to do, and a second decision is refused.
    assert!(!page.body.contains("id=\"validate\""));
    let r = winner.post(&decide, &[("decision", "validate")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_validated_candidacy_tells_the_proponent() {
    let app = app().await;
    let (_, id, reference) = submitted(&app, "rossi@example.it", "10.0.23.1").await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.23.2")
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
    assert_eq!(reread(&app, id).await.status, Status::Validated);
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "rossi@example.it" && m.subject.contains("verificata"))
        .expect("the validation email");
    assert!(mail.subject.contains(&reference));
    assert!(mail
        .body_text
        .contains(&format!("/candidacies/{id}/submit")));
    // An unknown decision is a bad request, not a move.
    let r = anna
        .post(
            &format!("/staff/candidacies/{id}/decide"),
            &[("decision", "publish")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn taking_in_charge_tells_the_proponent_when_a_decision_is_due() {
    use server::review::integration::{day_text, due_at};
    let app = app().await;
    let (_, id, reference) = submitted(&app, "rossi@example.it", "10.0.27.1").await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.27.2")
        .await;
    let r = anna
        .post(&format!("/staff/candidacies/{id}/take"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let submitted_at = reread(&app, id).await.submitted_at.unwrap();
    let due = day_text(app::Lang::It, due_at(submitted_at, 30));
    let mails: Vec<_> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.subject.contains("presa in carico"))
        .collect();
    assert_eq!(mails.len(), 1, "one email, to Rossi");
    assert_eq!(mails[0].to_addr, "rossi@example.it");
    assert!(mails[0].subject.contains(&reference));
    assert!(
        mails[0].body_text.contains(&due),
        "{due}: {}",
        mails[0].body_text
    );
    assert!(mails[0]
        .body_text
        .contains(&format!("/candidacies/{id}/submit")));

    // Kept internal where the portal is set so: the move, and no email.
    let anchors = common::signing::anchors_file();
    let quiet = TestApp::new_with(|c| {
        c.trust_anchors = Some(anchors);
        c.review.email_in_charge = false;
    })
    .await;
    let (_, id, _) = submitted(&quiet, "rossi@example.it", "10.0.27.3").await;
    let mut anna = quiet
        .privileged_user("anna@regione.test", Role::Staff, "10.0.27.4")
        .await;
    anna.post(&format!("/staff/candidacies/{id}/take"), &[])
        .await;
    assert_eq!(reread(&quiet, id).await.status, Status::UnderReview);
    assert!(!quiet
        .outbox()
        .await
        .iter()
        .any(|m| m.subject.contains("presa in carico")));
}

#[tokio::test]
async fn a_rejection_that_comes_too_late_keeps_the_reasons_typed() {
    let app = app().await;
    let (mut rossi, id, _) = submitted(&app, "rossi@example.it", "10.0.24.1").await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.24.2")
        .await;
    let r = anna
        .post(&format!("/staff/candidacies/{id}/take"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // While Anna writes, Rossi withdraws.
    let base = format!("/candidacies/{id}");
    let r = rossi
        .post(&format!("{base}/withdraw"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let reasons = "La planimetria non corrisponde al perimetro";
    let r = anna
        .post(
            &format!("/staff/candidacies/{id}/decide"),
            &[("decision", "reject"), ("reasons", reasons)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("id=\"decision-error\""), "{}", r.body);
    assert!(r.body.contains("id=\"reasons-typed\""), "{}", r.body);
    assert!(r.body.contains(reasons), "{}", r.body);
    assert_eq!(reread(&app, id).await.status, Status::Withdrawn);
}

#[tokio::test]
async fn an_administrator_reassigns_and_the_new_officer_is_told() {
    let app = app().await;
    let (_, id, reference) = submitted(&app, "rossi@example.it", "10.0.25.1").await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.25.2")
        .await;
    let mut bruno = app
        .privileged_user("bruno@regione.test", Role::Staff, "10.0.25.3")
        .await;
    let mut admin = app
        .privileged_user("capo@regione.test", Role::Admin, "10.0.25.4")
        .await;
    let assign = format!("/staff/candidacies/{id}/assign");
    let bruno_id = app.account("bruno@regione.test").await.id.to_string();
    // Nobody has it yet: nothing to reassign.
    let r = admin.post(&assign, &[("officer", &bruno_id)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = anna
        .post(&format!("/staff/candidacies/{id}/take"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Staff do not reassign, not even to themselves.
    let r = bruno.post(&assign, &[("officer", &bruno_id)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let page = bruno.get(&format!("/staff/candidacies/{id}")).await;
    assert!(!page.body.contains("id=\"reassign\""));
    // An account that is not an officer cannot be given it.
    let rossi_id = app.account("rossi@example.it").await.id.to_string();
    let r = admin.post(&assign, &[("officer", &rossi_id)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // The administrator sees the choice, nobody chosen until they choose.
    let page = admin.get(&format!("/staff/candidacies/{id}")).await;
    assert!(page.body.contains("id=\"reassign\""), "{}", page.body);
    let r = admin.post(&assign, &[("officer", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Scegli a chi assegnarla"), "{}", r.body);
    let r = admin.post(&assign, &[("officer", &bruno_id)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = reread(&app, id).await;
    assert_eq!(c.assigned_to.map(|i| i.to_string()), Some(bruno_id));
    assert_eq!(c.status, Status::UnderReview);
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "bruno@regione.test" && m.subject.contains("assegnata"))
        .expect("Bruno is told");
    assert!(mail.subject.contains(&reference));
    assert!(mail.body_text.contains("anna@regione.test"));
    // Anna no longer decides it; Bruno does, and the history says who moved it.
    let decide = format!("/staff/candidacies/{id}/decide");
    let r = anna.post(&decide, &[("decision", "validate")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let page = bruno.get(&format!("/staff/candidacies/{id}")).await;
    assert!(
        page.body.contains("anna@regione.test → bruno@regione.test"),
        "{}",
        page.body
    );
    let r = bruno.post(&decide, &[("decision", "validate")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_seeder_fills_every_status_and_the_queue_pages_through_them() {
    use sea_orm::{Iterable, PaginatorTrait};
    use server::db::entities::candidacy;
    let app = app().await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.26.1")
        .await;
    let officer = app.account("anna@regione.test").await.id;
    let now = app.state.clock.now();
    let seeded = server::seed::candidacies(&app.state.db, 400, &[officer], now)
        .await
        .unwrap();
    assert_eq!((seeded.candidacies, seeded.proponents), (400, 20));
    for status in Status::iter() {
        let n = candidacy::Entity::find()
            .filter(candidacy::Column::Status.eq(status))
            .count(&app.state.db)
            .await
            .unwrap();
        assert!(n > 0, "{status:?}");
    }
    assert!(seeded.requests > 0);
    let late = anna.get("/staff?reply=overdue").await;
    assert_eq!(late.status, StatusCode::OK);
    assert!(late.body.contains("risposta scaduta"), "{}", late.body);
    let page = anna.get("/staff?officer=me&page=3").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("OL-SEED-"), "{}", page.body);
    // Seeding again adds to what is there.
    server::seed::candidacies(&app.state.db, 20, &[officer], now)
        .await
        .unwrap();
    let all = candidacy::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(all, 420);
}

#[tokio::test]
async fn internal_notes_stay_with_staff() {
    let app = app().await;
    let (mut rossi, id, _) = submitted(&app, "rossi@example.it", "10.0.27.1").await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.27.2")
        .await;
    let notes = format!("/staff/candidacies/{id}/notes");
    let r = anna.post(&notes, &[("note", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Scrivi la nota."), "{}", r.body);
    let secret = "Il proprietario al telefono: perimetro da ricontrollare";
    let r = anna.post(&notes, &[("note", secret)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A colleague reads it; the proponent never does, nor any email.
    let mut bruno = app
        .privileged_user("bruno@regione.test", Role::Staff, "10.0.27.3")
        .await;
    let page = bruno.get(&format!("/staff/candidacies/{id}")).await;
    assert!(page.body.contains(secret), "{}", page.body);
    assert!(page.body.contains("anna@regione.test"));
    let summary = rossi.get(&format!("/candidacies/{id}/submit")).await;
    assert_eq!(summary.status, StatusCode::OK);
    assert!(!summary.body.contains(secret));
    assert!(app
        .outbox()
        .await
        .iter()
        .all(|m| !m.body_text.contains(secret)));
}

#[tokio::test]
async fn a_rejection_can_start_from_a_model_of_reasons() {
    let app = app().await;
    let (_, id, _) = submitted(&app, "rossi@example.it", "10.0.28.1").await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.28.2")
        .await;
    let page = format!("/staff/candidacies/{id}");
    // Not offered before it is Anna's to decide.
    assert!(!anna.get(&page).await.body.contains("reason=outside_scope"));
    anna.post(&format!("{page}/take"), &[]).await;
    let shown = anna.get(&page).await;
    assert!(
        shown.body.contains("Fuori dall&#39;ambito dell&#39;avviso")
            || shown.body.contains("Fuori dall'ambito dell'avviso"),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains("reason=outside_scope"),
        "{}",
        shown.body
    );
    // Following the link fills the field, ready to complete.
    let filled = anna.get(&format!("{page}?reason=outside_scope")).await;
    assert!(
        filled.body.contains("DGR XII/4959, §4.2"),
        "{}",
        filled.body
    );
    // An unknown model fills nothing.
    let plain = anna.get(&format!("{page}?reason=nonsense")).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(!plain.body.contains("DGR XII/4959, §4.2"));
}
