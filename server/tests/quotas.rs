//! What one account may keep: a number of drafts and a number of bytes of
//! files. Beyond either, the proponent reads why next to the field, and
//! nothing is created or kept.

mod common;

use axum::http::StatusCode;
use common::{rossi_with_draft, TestApp};
use sea_orm::{EntityTrait, PaginatorTrait};
use server::db::entities::{candidacy, document};

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

#[tokio::test]
async fn an_account_has_at_most_its_number_of_drafts() {
    let app = TestApp::new_with(|c| c.limits.drafts_per_account = 2).await;
    // One draft already (rossi_with_draft), one more is allowed.
    let (mut rossi, _) = rossi_with_draft(&app, "drafts@example.it", "10.0.12.1").await;
    let r = rossi.post("/candidacies", &[("kind", "b")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let r = rossi.post("/candidacies", &[("kind", "a")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Hai già il numero massimo di bozze aperte"),
        "{}",
        r.body
    );
    let count = candidacy::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 2, "the refused draft was not kept");

    // Another account is not affected.
    let (mut other, _) = rossi_with_draft(&app, "other@example.it", "10.0.12.2").await;
    let r = other.post("/candidacies", &[("kind", "a")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_account_keeps_at_most_its_bytes_of_files() {
    let quota = (PDF.len() * 2 + PDF.len() / 2) as u64;
    let app = TestApp::new_with(|c| c.limits.bytes_per_account = quota).await;
    let (mut rossi, base) = rossi_with_draft(&app, "bytes@example.it", "10.0.12.3").await;
    for purpose in ["perimeter", "cadastral_extract"] {
        let path = format!("{base}/attachments?purpose={purpose}");
        let r = rossi.upload_to(&path, purpose, "a.pdf", PDF).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{purpose}");
    }
    // A third file would pass the quota: refused next to its field.
    let path = format!("{base}/attachments?purpose=report");
    let r = rossi.upload_to(&path, "report", "relazione.pdf", PDF).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body
            .contains("raggiunto lo spazio disponibile per i file"),
        "{}",
        r.body
    );
    let kept = document::Entity::find().count(&app.state.db).await.unwrap();
    assert_eq!(kept, 2);

    // Replacing a single-file slot's file frees its bytes first: allowed.
    let path = format!("{base}/attachments?purpose=cadastral_extract");
    let r = rossi
        .upload_to(&path, "cadastral_extract", "b.pdf", PDF)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}
