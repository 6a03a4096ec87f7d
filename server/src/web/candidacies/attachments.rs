//! /candidacies/{id}/attachments: photos, perimeter, cadastral extract, report.

use super::{head, Slot};
use crate::audit;
use crate::candidacies::documents;
use crate::candidacies::uploads;
use crate::db::entities::{candidacy, document};
use crate::error::{AppError, AppResult};
use crate::web::context::Ctx;
use crate::web::extract::{Editable, Own};
use crate::web::review::integration::not_reopened;
use crate::web::{page, see_other};
use app::view_data::{AttachmentSlotView, AttachmentView, FormState};
use axum::extract::{Multipart, Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use forms::attachments::{self, Purpose, MAX_ATTACHMENT_BYTES};

async fn render(
    ctx: &Ctx,
    c: &candidacy::Model,
    form: &FormState,
    status: StatusCode,
) -> AppResult<Response> {
    let mut slots = Vec::new();
    for purpose in attachments::ALL {
        let files = documents::all_for(&ctx.state.db, c.id, purpose.code())
            .await?
            .into_iter()
            .map(|d| AttachmentView {
                kind: documents::read_findings(&d)
                    .first()
                    .map(|f| f.it.clone())
                    .unwrap_or_default(),
                id: d.id,
                name: d.original_name,
                size_bytes: d.size,
            })
            .collect();
        slots.push(AttachmentSlotView {
            purpose: purpose.code(),
            accept: purpose.accept_attribute(),
            mandatory: purpose.mandatory(),
            many: purpose.many(),
            files,
        });
    }
    let html =
        app::pages::attachments::attachments(&ctx.page(), &head(ctx, c).await?, &slots, form);
    Ok(page(status, html))
}

pub async fn show(ctx: Ctx, Own(c): Own) -> AppResult<Response> {
    render(&ctx, &c, &FormState::default(), StatusCode::OK).await
}

/// One file for one slot: received to a temporary file, checked by content,
/// kept only when it is what the slot accepts.
pub async fn upload(
    ctx: Ctx,
    Editable(c): Editable,
    Query(q): Query<Slot>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let id = c.id;
    let purpose = Purpose::from_code(&q.purpose).ok_or(AppError::NotFound)?;
    let part = crate::candidacies::Part::Document(purpose.code());
    if let Some(form) = not_reopened(&ctx, &c, part, purpose.code()).await? {
        return render(&ctx, &c, &form, StatusCode::CONFLICT).await;
    }
    let dir = ctx.state.config.uploads_dir();
    let refuse = |key: &'static str, status: StatusCode| {
        let mut form = FormState::default();
        form.add_error(purpose.code(), key);
        (form, status)
    };
    let limit = MAX_ATTACHMENT_BYTES;
    let received = match uploads::receive(&mut multipart, purpose.code(), &dir, limit).await {
        Ok(received) => received,
        Err(e) => {
            let (form, status) =
                crate::web::upload_refusal(e, purpose.code(), "error.attachment_too_large")?;
            return render(&ctx, &c, &form, status).await;
        }
    };
    let path = received.path().to_path_buf();
    let checked = ctx
        .state
        .heavy
        .run(move || read_for_check(&path).map(|bytes| check(purpose, &bytes)))
        .await?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let finding = match checked {
        Ok(finding) => finding,
        Err(key) => {
            let (form, status) = refuse(key, StatusCode::UNPROCESSABLE_ENTITY);
            return render(&ctx, &c, &form, status).await;
        }
    };
    let kept = documents::keep(
        &ctx.state.db,
        &dir,
        c.id,
        crate::candidacies::Part::Document(purpose.code()),
        !purpose.many(),
        received,
        &[finding],
        None,
        ctx.state.config.limits.bytes_per_account,
        ctx.state.clock.now(),
    )
    .await;
    if let Some(form) = crate::web::quota_refusal(&kept, purpose.code()) {
        return render(&ctx, &c, &form, StatusCode::PAYLOAD_TOO_LARGE).await;
    }
    kept?;
    Ok(see_other(&format!(
        "/candidacies/{id}/attachments#slot-{}",
        purpose.code()
    )))
}

/// Checks a file for `purpose` by its content: its type as the file's one
/// finding (shown next to its name), or the key of the error to show.
pub(super) fn check(purpose: Purpose, bytes: &[u8]) -> Result<documents::Finding, &'static str> {
    let found = attachments::check(purpose, bytes).map_err(|m| match m.key.as_str() {
        "attachment_wrong_type" => "error.attachment_wrong_type",
        "attachment_image_broken" => "error.attachment_image_broken",
        "attachment_image_too_large" => "error.attachment_image_too_large",
        _ => "error.attachment_unknown_type",
    })?;
    Ok(documents::Finding {
        severity: "info".into(),
        it: found.label().into(),
        en: found.label().into(),
    })
}

/// What the check needs of a received file: a PDF or KML is told by its first
/// kilobytes, so a 25 MB plan is not read into memory; pictures (decoded) and
/// GeoJSON (parsed) are read whole.
pub(super) fn read_for_check(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(64 * 1024);
    std::fs::File::open(path)?
        .take(64 * 1024)
        .read_to_end(&mut head)?;
    match attachments::sniff(&head) {
        Some(attachments::FileType::Pdf | attachments::FileType::Kml) => Ok(head),
        _ => std::fs::read(path),
    }
}

pub async fn remove(
    ctx: Ctx,
    Editable(c): Editable,
    Path((_, document_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let id = c.id;
    let dir = ctx.state.config.uploads_dir();
    let now = ctx.state.clock.now();
    documents::remove_attachment(&ctx.state.db, &dir, c.id, document_id, now).await?;
    Ok(see_other(&format!("/candidacies/{id}/attachments")))
}

/// One stored file of a candidacy, back to its owner, as a download.
pub async fn download(
    ctx: Ctx,
    Own(c): Own,
    Path((_, document_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let doc = documents::find(&ctx.state.db, c.id, document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    stored_file(&ctx, &c, &doc, "application/octet-stream").await
}

/// The bytes of a stored document, as a download under its original name.
/// Read by anyone but `c`'s own proponent (staff, an owner given read
/// access), it goes into the audit log first.
pub(crate) async fn stored_file(
    ctx: &Ctx,
    c: &candidacy::Model,
    doc: &document::Model,
    content_type: &str,
) -> AppResult<Response> {
    let path = ctx.state.config.uploads_dir().join(&doc.sha256);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
    // Every document of a candidacy holds personal data: who else read it is
    // kept, before the bytes leave.
    let user = ctx.user()?;
    if user.id != c.user_id {
        let entry = audit::Entry::new(audit::Who::user(user), Some(c.id), audit::Action::Download)
            .subject(format!("{} ({})", doc.original_name, doc.purpose));
        audit::append_alone(&ctx.state.db, entry, ctx.state.clock.now()).await?;
    }
    Ok(crate::web::download(
        content_type,
        &doc.original_name,
        bytes,
    ))
}
