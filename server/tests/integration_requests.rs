//! Requests for integration over HTTP: the officer in charge marks a field
//! and a document to fix; the proponent can change those only (checked by
//! the server), replies and submits again; the officer sees each item
//! changed or not, old → new; the reminders and the overdue flag come once;
//! the legal clock stops while the request is open.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use chrono::Duration;
use common::drafts::{app, complete_draft, reread};
use common::{Client, TestApp};
use forms::call::{Call, Kind, Lang};
use forms::Value;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::candidacies::status::Status;
use server::db::entities::document;
use server::review::integration;

/// Rossi's candidacy, submitted and taken in charge by Anna.
async fn taken(app: &TestApp, n: u8) -> (Client, Client, i64, String) {
    let mut d = complete_draft(app, "rossi@example.it", &format!("10.0.{n}.1"), &[]).await;
    let r = d.owner.post(&format!("{}/submit", d.base), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = d.base.rsplit('/').next().unwrap().parse().unwrap();
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, &format!("10.0.{n}.2"))
        .await;
    let r = anna
        .post(&format!("/staff/candidacies/{id}/take"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    (d.owner, anna, id, d.base)
}

/// Rossi's candidacy, taken by Anna, who asks to fix the distance to the
/// motorway and the photo.
async fn asked(app: &TestApp, n: u8) -> (Client, Client, i64, String) {
    let (rossi, mut anna, id, base) = taken(app, n).await;
    let ask = format!("/staff/candidacies/{id}/integration");
    let form = anna.get(&ask).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("value=\"field:km_motorway\""),
        "{}",
        form.body
    );
    // Nothing marked: the checklist comes back with the error, the days kept.
    let r = anna
        .post(&ask, &[("days", "12"), ("message", "Grazie")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Segna almeno una voce"), "{}", r.body);
    assert!(r.body.contains("value=\"12\""), "{}", r.body);
    // An item that does not exist is refused, not stored.
    let r = anna
        .post(&ask, &[("item", "field:nonsense"), ("days", "10")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = anna
        .post(
            &ask,
            &[
                ("item", "field:km_motorway"),
                ("note:field:km_motorway", "La distanza sembra sbagliata"),
                ("item", "document:photo"),
                ("note:document:photo", "Serve una foto dall'alto"),
                ("days", "10"),
                ("message", "Grazie per la collaborazione"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reread(app, id).await.status, Status::IntegrationRequested);
    (rossi, anna, id, base)
}

fn template_with(changes: &[(&str, Value)]) -> Vec<u8> {
    template_in(Lang::It, changes)
}

fn template_in(lang: Lang, changes: &[(&str, Value)]) -> Vec<u8> {
    let mut values = forms::sample::complete(Kind::Settlement);
    for (field, value) in changes {
        values.insert(field.to_string(), value.clone());
    }
    forms::template::write(Call::embedded(), Kind::Settlement, lang, &values).unwrap()
}

#[tokio::test]
async fn the_proponent_changes_only_what_was_asked_and_the_officer_sees_the_diff() {
    let app = app().await;
    let (mut rossi, mut anna, id, base) = asked(&app, 30).await;
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "rossi@example.it" && m.subject.contains("Integrazioni richieste"))
        .expect("the request's email");
    assert!(mail.body_text.contains("Grazie per la collaborazione"));
    assert!(mail
        .body_text
        .contains(&format!("/candidacies/{id}/submit")));

    // Every step shows what to fix, by when.
    let step = rossi.get(&format!("{base}/template")).await;
    assert!(step.body.contains("id=\"integration\""), "{}", step.body);
    assert!(step.body.contains("La distanza sembra sbagliata"));
    // The template to download is the very file submitted: only what was
    // asked needs changing.
    let file = rossi.get(&format!("{base}/template.xlsx?lang=en")).await;
    assert_eq!(file.status, StatusCode::OK);
    let submitted = document::Entity::find()
        .filter(document::Column::CandidacyId.eq(id))
        .filter(document::Column::Purpose.eq("template"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let stored = std::fs::read(app.state.config.uploads_dir().join(&submitted.sha256)).unwrap();
    assert_eq!(file.bytes, stored);

    // What was not asked stays locked, checked by the server.
    let r = rossi
        .upload_to(
            &format!("{base}/attachments?purpose=perimeter"),
            "perimeter",
            "p.pdf",
            common::drafts::PDF,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("non ha riaperto"), "{}", r.body);
    let r = rossi
        .post(
            &format!("{base}/location"),
            &[("municipality", "Milano (MI)"), ("address", "Via Nuova 1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Via Nuova 1"), "what was typed is kept");
    assert!(reread(&app, id).await.address.unwrap().contains("Grumello"));

    // A template that also changes the title is kept, with an error per
    // field not asked for, and cannot be submitted.
    let wrong = template_with(&[
        ("km_motorway", Value::Decimal(4.5)),
        ("title_it", Value::Text("Un altro titolo".into())),
    ]);
    let r = rossi
        .upload_to(
            &format!("{base}/template"),
            "file",
            "modello-2.xlsx",
            &wrong,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let step = rossi.get(&format!("{base}/template")).await;
    assert!(step.body.contains("Un altro titolo"), "{}", step.body);
    let r = rossi.post(&format!("{base}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Only the field asked for: accepted, also in the template's other
    // language (its choices read "Building", not "Edificio": the same).
    let right = template_in(Lang::En, &[("km_motorway", Value::Decimal(4.5))]);
    let r = rossi
        .upload_to(
            &format!("{base}/template"),
            "file",
            "modello-3.xlsx",
            &right,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The photo asked for: the submitted one is retired, not deleted.
    let old_photo = document::Entity::find()
        .filter(document::Column::CandidacyId.eq(id))
        .filter(document::Column::Purpose.eq("photo"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let r = rossi
        .upload_to(
            &format!("{base}/attachments?purpose=photo"),
            "photo",
            "dall-alto.png",
            &common::drafts::png_coloured([20, 140, 60]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = rossi
        .post(&format!("{base}/attachments/{}/delete", old_photo.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let kept = document::Entity::find_by_id(old_photo.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("a submitted document stays");
    assert!(kept.retired_at.is_some());

    // The reply: back to Anna, who is told.
    let r = rossi
        .post(
            &format!("{base}/submit"),
            &[("reply", "Corretta la distanza, nuova foto")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = reread(&app, id).await;
    assert_eq!(c.status, Status::UnderReview);
    assert_eq!(
        c.assigned_to,
        Some(app.account("anna@regione.test").await.id)
    );
    assert!(app
        .outbox()
        .await
        .iter()
        .any(|m| m.to_addr == "anna@regione.test"
            && m.subject.contains("Risposta alle integrazioni")));

    let page = anna.get(&format!("/staff/candidacies/{id}")).await;
    assert!(
        page.body.contains("Corretta la distanza, nuova foto"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"changes-0\""), "{}", page.body);
    assert!(
        page.body.contains("<del>") && page.body.contains("<ins>4,5</ins>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("dall-alto.png"));
    assert!(
        !page.body.contains("non modificato"),
        "both items changed: {}",
        page.body
    );
    // The audit log keeps the field the reply changed, old → new, as Rossi's.
    let fields: Vec<_> = server::audit::of_candidacy(&app.state.db, id, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.action == "field")
        .collect();
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(
        (fields[0].subject.as_str(), fields[0].new_value.as_str()),
        ("km_motorway", "4.5")
    );
    assert_ne!(fields[0].old_value, "4.5");
    let rossi_id = app.account("rossi@example.it").await.id;
    assert_eq!(fields[0].actor_id, Some(rossi_id));
    let timeline = anna.get(&format!("/staff/candidacies/{id}/audit")).await;
    assert!(
        timeline.body.contains("Campo modificato"),
        "{}",
        timeline.body
    );
    // Locked again once replied.
    let r = rossi
        .upload_to(
            &format!("{base}/template"),
            "file",
            "modello-4.xlsx",
            &right,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = anna
        .post(
            &format!("/staff/candidacies/{id}/decide"),
            &[("decision", "validate")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(reread(&app, id).await.status, Status::Validated);
}

#[tokio::test]
async fn reminders_come_once_and_an_overdue_reply_is_flagged_to_the_officer() {
    let app = app().await;
    let (_rossi, mut anna, id, _) = asked(&app, 31).await;
    let count = |subject: &'static str, to: &'static str| {
        let app = &app;
        async move {
            app.outbox()
                .await
                .iter()
                .filter(|m| m.to_addr == to && m.subject.contains(subject))
                .count()
        }
    };
    assert_eq!(integration::send_reminders(&app.state).await.unwrap(), 0);
    let late = anna.get("/staff?reply=overdue").await;
    assert!(late.body.contains("id=\"queue-empty\""), "{}", late.body);
    // Eight days on: less than three days left, the first reminder, once.
    app.state.clock.advance(Duration::days(8));
    assert_eq!(integration::send_reminders(&app.state).await.unwrap(), 1);
    assert_eq!(integration::send_reminders(&app.state).await.unwrap(), 0);
    assert_eq!(
        count("Promemoria integrazioni", "rossi@example.it").await,
        1
    );
    app.state.clock.advance(Duration::days(2));
    assert_eq!(integration::send_reminders(&app.state).await.unwrap(), 1);
    assert_eq!(
        count("Promemoria integrazioni", "rossi@example.it").await,
        2
    );
    // Past the due date: Anna is told once; nothing is rejected.
    app.state.clock.advance(Duration::days(2));
    assert_eq!(integration::send_reminders(&app.state).await.unwrap(), 1);
    assert_eq!(integration::send_reminders(&app.state).await.unwrap(), 0);
    assert_eq!(count("Integrazioni scadute", "anna@regione.test").await, 1);
    assert_eq!(reread(&app, id).await.status, Status::IntegrationRequested);
    // Anna's session has expired meanwhile: a colleague looks.
    let mut carla = app
        .privileged_user("carla@regione.test", Role::Staff, "10.0.31.3")
        .await;
    let late = carla.get("/staff?reply=overdue").await;
    let reference = reread(&app, id).await.reference.unwrap();
    assert!(late.body.contains(&reference), "{}", late.body);
    assert!(late.body.contains("risposta scaduta"), "{}", late.body);
    let page = carla.get(&format!("/staff/candidacies/{id}")).await;
    assert!(
        page.body.contains("Termine per la risposta scaduto"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("sospeso"),
        "the clock is stopped: {}",
        page.body
    );
}

/// Anna asks `items` (code, note) of candidacy `id`, ten days to reply.
async fn ask(anna: &mut Client, id: i64, items: &[(&str, &str)]) {
    let notes: Vec<(String, String)> = items
        .iter()
        .flat_map(|(code, note)| {
            [
                ("item".to_string(), code.to_string()),
                (format!("note:{code}"), note.to_string()),
            ]
        })
        .chain([("days".to_string(), "10".to_string())])
        .collect();
    let fields: Vec<(&str, &str)> = notes
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = anna
        .post(&format!("/staff/candidacies/{id}/integration"), &fields)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn the_owner_reopened_reopens_the_signed_forms_and_withdrawing_closes_the_request() {
    let app = app().await;
    let (mut rossi, mut anna, id, base) = taken(&app, 32).await;
    ask(&mut anna, id, &[("owner", "Manca la PEC")]).await;
    // The forms name the owner: reopened with it, and the proponent is told.
    let step = rossi.get(&format!("{base}/forms")).await;
    assert!(
        step.body
            .contains("Moduli firmati e documento d&#39;identità")
            || step.body.contains("Moduli firmati e documento d'identità"),
        "{}",
        step.body
    );
    let form = rossi.get(&format!("{base}/forms/A.pdf")).await.bytes;
    let signed = common::signing::cades(&form, "owner");
    let r = rossi
        .upload_to(
            &format!("{base}/forms?purpose=form_a"),
            "form_a",
            "modulo-A-nuovo.pdf.p7m",
            &signed,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("valid")
    );
    // The attachments were not reopened.
    let r = rossi
        .upload_to(
            &format!("{base}/attachments?purpose=photo"),
            "photo",
            "altra.png",
            &common::drafts::png_coloured([200, 40, 40]),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Withdrawn while the request is open: the request closes, nothing reminds.
    let r = rossi
        .post(&format!("{base}/withdraw"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reread(&app, id).await.status, Status::Withdrawn);
    let requests = integration::all(&app.state.db, id).await.unwrap();
    assert!(requests.iter().all(|r| !r.is_open()));
    app.state.clock.advance(Duration::days(12));
    assert_eq!(integration::send_reminders(&app.state).await.unwrap(), 0);
}

#[tokio::test]
async fn the_database_keeps_one_open_request_and_an_unreadable_snapshot_retires_nothing() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    use server::db::entities::integration_request;
    let app = app().await;
    let (mut rossi, _anna, id, base) = asked(&app, 33).await;
    let open = integration::open(&app.state.db, id).await.unwrap().unwrap();
    // A second open request for the same candidacy: refused by the database.
    let mut second: integration_request::ActiveModel = open.row.clone().into();
    second.id = sea_orm::ActiveValue::NotSet;
    let refused = second.clone().insert(&app.state.db).await.unwrap_err();
    assert!(
        matches!(
            refused.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        ),
        "{refused}"
    );
    // A closed one beside it is fine: the index covers open requests only.
    second.replied_at = Set(Some(open.row.requested_at));
    second.insert(&app.state.db).await.unwrap();

    // A snapshot that no longer reads: the submitted photo is not replaced.
    let mut broken: integration_request::ActiveModel = open.row.clone().into();
    broken.before = Set("{not json".into());
    broken.update(&app.state.db).await.unwrap();
    let photo = document::Entity::find()
        .filter(document::Column::CandidacyId.eq(id))
        .filter(document::Column::Purpose.eq("photo"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let r = rossi
        .post(&format!("{base}/attachments/{}/delete", photo.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    let still = document::Entity::find_by_id(photo.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the submitted photo stays");
    assert!(still.retired_at.is_none());
}
