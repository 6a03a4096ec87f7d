//! Submission over HTTP: what is missing is listed with links to its step; a
//! complete candidacy gets its reference, a receipt PDF listing every file with
//! its SHA-256, and an email carrying it; it is then read-only; it can be
//! withdrawn; after the closing instant a first submission is refused.

mod common;

use axum::http::StatusCode;
use common::signing::{anchors_file, cades};
use common::{at, rossi_with_draft, Client, TestApp};
use forms::call::{Call, Kind, Lang};
use sea_orm::EntityTrait;
use server::db::entities::{candidacy, candidacy_event};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 6, image::Rgb([0, 102, 204]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn app() -> TestApp {
    let anchors = anchors_file();
    TestApp::new_with(|c| c.trust_anchors = Some(anchors)).await
}

async fn upload(owner: &mut Client, path: &str, field: &str, name: &str, bytes: &[u8]) {
    let r = owner.upload_to(path, field, name, bytes).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
}

/// Mario Rossi with a draft that has everything but what `skip` names.
async fn complete_draft(app: &TestApp, email: &str, ip: &str, skip: &[&str]) -> (Client, String) {
    let (mut owner, base) = rossi_with_draft(app, email, ip).await;
    if !skip.contains(&"template") {
        let values = forms::sample::complete(Kind::Settlement);
        let xlsx =
            forms::template::write(Call::embedded(), Kind::Settlement, Lang::It, &values).unwrap();
        upload(
            &mut owner,
            &format!("{base}/template"),
            "file",
            "modello.xlsx",
            &xlsx,
        )
        .await;
    }
    upload(
        &mut owner,
        &format!("{base}/attachments?purpose=photo"),
        "photo",
        "foto.png",
        &png(),
    )
    .await;
    upload(
        &mut owner,
        &format!("{base}/attachments?purpose=perimeter"),
        "perimeter",
        "perimetro.pdf",
        PDF,
    )
    .await;
    if !skip.contains(&"cadastral_extract") {
        let path = format!("{base}/attachments?purpose=cadastral_extract");
        upload(&mut owner, &path, "cadastral_extract", "estratto.pdf", PDF).await;
    }
    for letter in ["A", "B"] {
        let form = owner.get(&format!("{base}/forms/{letter}.pdf")).await.bytes;
        let purpose = format!("form_{}", letter.to_lowercase());
        let who = if skip.contains(&"owner_signature") && letter == "B" {
            "other"
        } else {
            "owner"
        };
        let path = format!("{base}/forms?purpose={purpose}");
        upload(
            &mut owner,
            &path,
            &purpose,
            &format!("modulo-{letter}.pdf.p7m"),
            &cades(&form, who),
        )
        .await;
    }
    (owner, base)
}

#[tokio::test]
async fn what_is_missing_is_listed_and_submission_is_refused_until_complete() {
    let app = app().await;
    let skip = ["template", "cadastral_extract", "owner_signature"];
    let (mut owner, base) = complete_draft(&app, "gaps@example.it", "10.0.6.1", &skip).await;
    let page = owner.get(&format!("{base}/submit")).await.body;
    for gap in [
        "il modello Excel compilato",
        "l'estratto di mappa catastale",
        "il modulo B firmato dal proprietario, con firma valida",
    ] {
        assert!(page.contains(gap), "{gap} not listed:\n{page}");
    }
    assert!(
        !page.contains("id=\"submit-candidacy\""),
        "no button while incomplete"
    );
    // The answers so far, each with the step that changes it.
    assert!(page.contains("Le tue risposte") && page.contains("Mario Rossi (RSSMRA80A01F205X)"));
    assert!(
        page.contains("A: firma digitale valida; B: firmato da chi non è il proprietario"),
        "{page}"
    );
    assert!(page.contains("(mancano ") && page.contains(" giorni)."));
    assert!(page.contains(&format!("href=\"{base}/template\"")));
    let r = owner.post(&format!("{base}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let c = candidacy::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.status.as_str(), c.reference), ("draft", None));
}

#[tokio::test]
async fn a_complete_candidacy_is_submitted_with_receipt_and_email_then_locked_and_withdrawn() {
    let app = app().await;
    let (mut owner, base) = complete_draft(&app, "mario@example.it", "10.0.6.2", &[]).await;
    let page = owner.get(&format!("{base}/submit")).await.body;
    assert!(page.contains("La candidatura è completa"), "{page}");

    let r = owner.post(&format!("{base}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = candidacy::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let reference = format!("OL-2026-{:06}", c.id);
    assert_eq!(c.status, "submitted");
    assert_eq!(c.reference.as_deref(), Some(reference.as_str()));
    assert_eq!(c.submitted_at, Some(at(common::START)));
    let events = candidacy_event::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].from_status.as_str(), events[0].to_status.as_str()),
        ("draft", "submitted")
    );

    // The summary: reference, instant in Rome time, receipt.
    let page = owner.get(&format!("{base}/submit")).await.body;
    assert!(
        page.contains(&format!(
            "Candidatura {reference} presentata il 22 novembre 2026, ore 11:00:00"
        )),
        "{page}"
    );
    let receipt = owner.get(&format!("{base}/receipt.pdf")).await;
    assert_eq!(receipt.headers["content-type"], "application/pdf");
    assert!(receipt.bytes.starts_with(b"%PDF-"));
    let marker = format!("OL-RECEIPT:{reference};");
    assert!(receipt
        .bytes
        .windows(marker.len())
        .any(|w| w == marker.as_bytes()));

    // The email carries the reference and the receipt.
    let mail = app.outbox().await;
    let receipt_mail = mail
        .iter()
        .find(|m| m.subject.contains(&reference))
        .expect("receipt email");
    assert_eq!(receipt_mail.to_addr, "mario@example.it");
    assert_eq!(
        receipt_mail.attachment_name.as_deref(),
        Some(format!("{reference}.pdf").as_str())
    );
    assert!(receipt_mail
        .body_text
        .contains(&format!("http://portal.test{base}/submit")));

    // Read-only now: every change is refused, nothing changes.
    let r = owner
        .post(
            &format!("{base}/location"),
            &[("municipality", "Dalmine (BG)")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Candidatura già presentata"));
    let path = format!("{base}/attachments?purpose=photo");
    let r = owner.upload_to(&path, "photo", "altra.png", &png()).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        owner.post(&format!("{base}/submit"), &[]).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(owner.get(&base).await.location(), format!("{base}/submit"));

    // Withdrawal needs the box ticked, then is recorded and confirmed by email.
    let r = owner.post(&format!("{base}/withdraw"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Spunta la casella per confermare."));
    let r = owner
        .post(&format!("{base}/withdraw"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let c = candidacy::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, "withdrawn");
    assert!(owner
        .get(&format!("{base}/submit"))
        .await
        .body
        .contains("è stata ritirata"));
    assert!(app
        .outbox()
        .await
        .iter()
        .any(|m| m.subject.contains("Candidatura ritirata")));
    assert_eq!(
        candidacy_event::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .len(),
        2
    );

    // Nobody else reaches the summary, the receipt or the withdrawal.
    let mut stranger = app.user("other@example.it", "proponent", "10.0.6.3").await;
    assert_eq!(
        stranger.get(&format!("{base}/submit")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger.get(&format!("{base}/receipt.pdf")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn after_the_closing_instant_submission_is_refused_and_nothing_is_lost() {
    let app = app().await;
    let (_, base) = complete_draft(&app, "late@example.it", "10.0.6.4", &[]).await;
    // 30 June 2028, 23:59:59 in Rome is 21:59:59 UTC (summer time).
    app.state.clock.set(at("2028-06-30T22:00:00Z"));
    let mut owner = app.client("10.0.6.4");
    owner.login("late@example.it", common::PASSWORD).await;
    let r = owner.post(&format!("{base}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body
            .contains("Il termine per presentare le candidature è scaduto"),
        "{}",
        r.body
    );
    let c = candidacy::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, "draft");
    // The draft and its files are still there.
    assert_eq!(
        owner.get(&format!("{base}/template.xlsx")).await.status,
        StatusCode::OK
    );

    // One second earlier, the same candidacy goes through.
    app.state.clock.set(at("2028-06-30T21:59:59Z"));
    let r = owner.post(&format!("{base}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = candidacy::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        c.reference.as_deref(),
        Some(format!("OL-2028-{:06}", c.id).as_str())
    );
}
