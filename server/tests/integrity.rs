//! A submitted candidacy does not change underneath its receipt, and files are
//! not kept longer than a row points to them.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{rossi_with_draft, Client, TestApp};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::db::entities::{candidacy, document};

fn png(shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 6, image::Rgb([shade, 102, 204]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn id_of(base: &str) -> i64 {
    base.rsplit('/').next().unwrap().parse().unwrap()
}

fn stored(app: &TestApp) -> Vec<String> {
    let dir = app.state.config.data_dir.join("uploads");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn tmp_files(app: &TestApp) -> usize {
    let tmp = app.state.config.data_dir.join("uploads").join("tmp");
    std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0)
}

async fn documents_of(app: &TestApp, id: i64, purpose: &str) -> Vec<document::Model> {
    document::Entity::find()
        .filter(document::Column::CandidacyId.eq(id))
        .filter(document::Column::Purpose.eq(purpose))
        .order_by_asc(document::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn set_status(app: &TestApp, id: i64, status: &str) {
    candidacy::Entity::update_many()
        .col_expr(candidacy::Column::Status, Expr::value(status))
        .filter(candidacy::Column::Id.eq(id))
        .exec(&app.state.db)
        .await
        .unwrap();
}

/// Starts a photo upload whose body stops half-way until `go` is sent.
fn held_upload(
    mut client: Client,
    base: &str,
    photo: Vec<u8>,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<(Client, common::TestResponse)>,
) {
    let boundary = "held-boundary";
    let head = common::csrf_part(boundary, &client.csrf())
        + &format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"foto.png\"\r\nContent-Type: image/png\r\n\r\n"
    );
    let (first, rest) = photo.split_at(photo.len() / 2);
    let (go, wait) = tokio::sync::oneshot::channel::<()>();
    let parts: Vec<Vec<u8>> = vec![
        [head.as_bytes(), first].concat(),
        [rest, format!("\r\n--{boundary}--\r\n").as_bytes()].concat(),
    ];
    let wait = std::sync::Mutex::new(Some(wait));
    let stream = futures_util::stream::unfold(0usize, move |n| {
        let part = parts.get(n).cloned();
        let wait = if n == 1 {
            wait.lock().unwrap().take()
        } else {
            None
        };
        async move {
            if let Some(wait) = wait {
                let _ = wait.await;
            }
            part.map(|p| (Ok::<_, std::io::Error>(p), n + 1))
        }
    });
    let uri = format!("{base}/attachments?purpose=photo");
    let request = Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from_stream(stream))
        .unwrap();
    let task = tokio::spawn(async move {
        let r = client.send(request).await;
        (client, r)
    });
    (go, task)
}

#[tokio::test]
async fn an_upload_finishing_after_submission_is_not_recorded() {
    let app = TestApp::new().await;
    let (mut owner, base) = rossi_with_draft(&app, "held@example.it", "10.0.8.1").await;
    owner.get("/").await;
    let id = id_of(&base);
    let (go, task) = held_upload(owner, &base, png(1));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // Meanwhile the candidacy is submitted (here, directly: the race is the point).
    set_status(&app, id, "submitted").await;
    go.send(()).unwrap();
    let (_, r) = task.await.unwrap();
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(documents_of(&app, id, "photo").await.is_empty());
    assert!(
        stored(&app).is_empty(),
        "the refused photo's bytes are gone"
    );
    assert_eq!(tmp_files(&app), 0);
}

#[tokio::test]
async fn a_document_on_the_receipt_cannot_be_replaced_or_removed_after_submission() {
    let app = TestApp::new().await;
    let (mut owner, base) = rossi_with_draft(&app, "frozen@example.it", "10.0.8.2").await;
    let id = id_of(&base);
    let path = format!("{base}/attachments?purpose=photo");
    let r = owner.upload_to(&path, "photo", "a.png", &png(2)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let kept = documents_of(&app, id, "photo").await;
    set_status(&app, id, "submitted").await;
    let r = owner.upload_to(&path, "photo", "b.png", &png(3)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = owner
        .post(&format!("{base}/attachments/{}/delete", kept[0].id), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = owner
        .post(
            &format!("{base}/location"),
            &[
                ("municipality", "Dalmine (BG)"),
                ("address", "Via Altrove 1"),
                ("postcode", "24044"),
                ("latitude", "45,6471"),
                ("longitude", "9,6003"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(documents_of(&app, id, "photo").await, kept);
    assert_eq!(stored(&app), vec![kept[0].sha256.clone()]);
}

#[tokio::test]
async fn stored_files_go_when_no_document_points_to_them() {
    let app = TestApp::new().await;
    let (mut owner, base) = rossi_with_draft(&app, "blobs@example.it", "10.0.8.3").await;
    let id = id_of(&base);
    let path = format!("{base}/attachments?purpose=photo");
    // The same photo twice: two rows, one stored file.
    for name in ["uno.png", "due.png"] {
        let r = owner.upload_to(&path, "photo", name, &png(4)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let photos = documents_of(&app, id, "photo").await;
    assert_eq!((photos.len(), stored(&app).len()), (2, 1));
    let remove = |d: &document::Model| format!("{base}/attachments/{}/delete", d.id);
    assert_eq!(
        owner.post(&remove(&photos[0]), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&app).len(), 1, "still used by the other row");
    assert_eq!(
        owner.post(&remove(&photos[1]), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(stored(&app).is_empty(), "no row points to it any more");

    // A single-file slot: the replaced report's bytes go.
    let report = format!("{base}/attachments?purpose=report");
    let pdf = |n: u8| {
        format!("%PDF-1.7\n% {n}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n").into_bytes()
    };
    owner.upload_to(&report, "report", "r1.pdf", &pdf(1)).await;
    let first = documents_of(&app, id, "report").await[0].sha256.clone();
    owner.upload_to(&report, "report", "r2.pdf", &pdf(2)).await;
    let now = documents_of(&app, id, "report").await;
    assert_eq!(now.len(), 1);
    assert_eq!(stored(&app), vec![now[0].sha256.clone()]);
    assert_ne!(now[0].sha256, first);

    // A refused file leaves nothing in tmp or in the store.
    let r = owner
        .upload_to(&path, "photo", "finta.png", b"not a picture")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(tmp_files(&app), 0);
    assert_eq!(stored(&app).len(), 1);

    // Another candidacy's document, reached through one's own: not found.
    let foreign = now[0].id;
    let (mut second, base2) = rossi_with_draft(&app, "blobs2@example.it", "10.0.8.5").await;
    let r = second
        .post(&format!("{base2}/attachments/{foreign}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(documents_of(&app, id, "report").await.len(), 1);
}

#[tokio::test]
async fn the_template_and_the_signed_forms_cannot_be_removed_as_attachments() {
    let app = TestApp::new().await;
    let (mut owner, base) = rossi_with_draft(&app, "keep@example.it", "10.0.8.6").await;
    let id = id_of(&base);
    let a = owner.get(&format!("{base}/forms/A.pdf")).await.bytes;
    let r = owner
        .upload_to(
            &format!("{base}/forms?purpose=form_a"),
            "form_a",
            "a.pdf",
            &a,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let form = documents_of(&app, id, "form_a").await;
    let r = owner
        .post(&format!("{base}/attachments/{}/delete", form[0].id), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(documents_of(&app, id, "form_a").await.len(), 1);
}
