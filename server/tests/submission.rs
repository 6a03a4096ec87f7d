//! Submission over HTTP: what is missing is listed with links to its step; a
//! complete candidacy gets its reference, a receipt PDF listing every file with
//! its SHA-256, and an email carrying it; it is then read-only; it can be
//! withdrawn; after the closing instant a first submission is refused.

mod common;

use axum::http::StatusCode;
use base64::Engine;
use common::drafts::{app, complete_draft, png, Draft, PDF};
use common::smtp::{free_port, smtp_worker, SmtpSink};
use common::{at, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::db::entities::{candidacy, candidacy_event, document};
use sha2::{Digest, Sha256};

/// The PDF attached to a raw email (base64, as lettre writes it).
fn pdf_attachment(raw: &str) -> Vec<u8> {
    let start = raw
        .find("Content-Type: application/pdf")
        .expect("a PDF part");
    let part = &raw[start..];
    let body = &part[part.find("\r\n\r\n").expect("part headers end") + 4..];
    let encoded: String = body.lines().take_while(|l| !l.starts_with("--")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .expect("base64")
}

async fn status_of(app: &TestApp) -> candidacy::Status {
    candidacy::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

#[tokio::test]
async fn what_is_missing_is_listed_and_submission_is_refused_until_complete() {
    let app = app().await;
    let skip = ["template", "cadastral_extract", "owner_signature"];
    let Draft {
        mut owner, base, ..
    } = complete_draft(&app, "gaps@example.it", "10.0.6.1", &skip).await;
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
    let Draft {
        mut owner,
        base,
        files,
    } = complete_draft(&app, "mario@example.it", "10.0.6.2", &[]).await;
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
    // Every file received, each with the SHA-256 computed here from what was sent.
    if let Some(text) = common::pdf_text(&receipt.bytes) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(files.len(), 6);
        for (name, bytes) in &files {
            let digest = hex::encode(Sha256::digest(bytes));
            assert!(text.contains(name.as_str()), "{name} missing:\n{text}");
            assert!(text.contains(&digest), "{name}: {digest} missing:\n{text}");
        }
    }
    // Sent through a real SMTP server, the attachment is the receipt, byte for byte.
    let sink = SmtpSink::start(free_port());
    smtp_worker(sink.port)
        .process_due(&app.state)
        .await
        .unwrap();
    let sent = sink
        .received()
        .into_iter()
        .find(|m| m.to == ["mario@example.it"] && m.data.contains("application/pdf"))
        .expect("the receipt email reached the SMTP server");
    assert_eq!(pdf_attachment(&sent.data), receipt.bytes);

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
    let documents_before = document::Entity::find()
        .order_by_asc(document::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap();
    let (name, xlsx) = &files[0];
    let r = owner
        .upload_to(&format!("{base}/template"), "file", name, xlsx)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = owner
        .upload_to(
            &format!("{base}/forms?purpose=form_a"),
            "form_a",
            "a.pdf",
            PDF,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let photo = document::Entity::find()
        .filter(document::Column::Purpose.eq("photo"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let r = owner
        .post(&format!("{base}/attachments/{}/delete", photo.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let documents = document::Entity::find()
        .order_by_asc(document::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        documents, documents_before,
        "the refused changes left no trace"
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
async fn a_form_signed_by_hand_needs_the_signers_identity_document() {
    let app = app().await;
    let mut d = complete_draft(&app, "scan@example.it", "10.0.6.5", &["scan_b"]).await;
    let submit = format!("{}/submit", d.base);
    let missing = "il documento d'identità di chi ha firmato a mano";
    let page = d.owner.get(&submit).await.body;
    assert!(page.contains(missing), "{page}");
    assert!(!page.contains("id=\"submit-candidacy\""));
    let r = d.owner.post(&submit, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(&app).await, "draft");

    // The signer's identity card, photographed with a phone: a JPEG.
    let step = "forms?purpose=id_document";
    d.upload(step, "id_document", "carta-identita.jpg", common::jpeg())
        .await;
    let page = d.owner.get(&submit).await.body;
    assert!(!page.contains(missing), "{page}");
    let r = d.owner.post(&submit, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(status_of(&app).await, "submitted");
    let receipt = d.owner.get(&format!("{}/receipt.pdf", d.base)).await.bytes;
    if let Some(text) = common::pdf_text(&receipt) {
        assert!(text.contains("carta-identita.jpg"), "{text}");
    }
}

/// Two tabs (or two devices) press "submit" at the same instant, on two
/// threads: one submission, one receipt, one email; the other is told it is
/// already submitted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_submissions_at_the_same_instant_make_one() {
    let app = app().await;
    let d = complete_draft(&app, "twice@example.it", "10.0.6.6", &[]).await;
    let d_base = d.base.clone();
    let submit = format!("{}/submit", d.base);
    let mut other = app.client("10.0.6.7");
    other.login("twice@example.it", common::PASSWORD).await;
    let mut tasks = Vec::new();
    for mut client in [d.owner, other] {
        let path = submit.clone();
        tasks.push(tokio::spawn(
            async move { client.post(&path, &[]).await.status },
        ));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    assert_eq!(status_of(&app).await, "submitted");
    let events = candidacy_event::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    let receipts = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.attachment_name.is_some())
        .count();
    assert_eq!(receipts, 1, "one receipt email");
    // The receipt on file is whole: the loser never rewrote it under a reader.
    let mut owner = app.client("10.0.6.8");
    owner.login("twice@example.it", common::PASSWORD).await;
    let pdf = owner.get(&format!("{}/receipt.pdf", d_base)).await.bytes;
    let stored = document::Entity::find()
        .filter(document::Column::Purpose.eq("receipt"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(hex::encode(Sha256::digest(&pdf)), stored[0].sha256);
}

#[tokio::test]
async fn after_the_closing_instant_submission_is_refused_and_nothing_is_lost() {
    let app = app().await;
    let base = complete_draft(&app, "late@example.it", "10.0.6.4", &[])
        .await
        .base;
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
