//! /candidacies/{id}/forms: forms A and B to download prefilled, their signed
//! copies to upload and verify, and the identity document for a handwritten signature.

use super::{head, upload_result, DocumentLang, Slot};
use crate::candidacies::documents;
use crate::candidacies::owners;
use crate::candidacies::profiles;
use crate::candidacies::signed_forms::{self, forms_needed, handwritten, ID_DOCUMENT};
use crate::candidacies::uploads;
use crate::db::entities::{candidacy, document};
use crate::error::{AppError, AppResult};
use crate::signatures;
use crate::web::context::Ctx;
use crate::web::extract::{Editable, Own};
use crate::web::review::integration::not_reopened;
use crate::web::{page, see_other};
use app::view_data::{FormState, SignedSlotView};
use axum::extract::{Multipart, Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use forms::attachments::{Purpose, MAX_ATTACHMENT_BYTES};
use forms::signed_forms::Form;

async fn render(
    ctx: &Ctx,
    c: &candidacy::Model,
    form: &FormState,
    status: StatusCode,
) -> AppResult<Response> {
    let mut latest = Vec::new();
    for f in forms_needed(c) {
        latest.push((
            f.code(),
            documents::latest(&ctx.state.db, c.id, f.code()).await?,
        ));
    }
    let id_needed = handwritten(latest.iter().filter_map(|(_, d)| d.as_ref()));
    let id_doc = documents::latest(&ctx.state.db, c.id, ID_DOCUMENT).await?;
    // A file checked for the owner's earlier details no longer counts: say so.
    let signer = owners::owner_of(&ctx.state.db, c)
        .await?
        .map(|o| signed_forms::checked_for(&o));
    let slot = |purpose, needed, d: Option<document::Model>| SignedSlotView {
        purpose,
        needed,
        outdated: d.as_ref().is_some_and(|d| d.signed_for != signer),
        upload: d.map(|d| upload_result(ctx, d)),
    };
    let mut slots: Vec<SignedSlotView> = latest
        .into_iter()
        .map(|(purpose, d)| slot(purpose, true, d))
        .collect();
    slots.push(slot(ID_DOCUMENT, id_needed, id_doc));
    let html =
        app::pages::signed_forms::signed_forms(&ctx.page(), &head(ctx, c).await?, &slots, form);
    Ok(page(status, html))
}

pub async fn show(ctx: Ctx, Own(c): Own) -> AppResult<Response> {
    render(&ctx, &c, &FormState::default(), StatusCode::OK).await
}

/// A form prefilled from the profile and the draft, as a PDF download.
pub async fn download(
    ctx: Ctx,
    Own(c): Own,
    Path((_, file)): Path<(i64, String)>,
    Query(q): Query<DocumentLang>,
) -> AppResult<Response> {
    let id = c.id;
    let form = file
        .strip_suffix(".pdf")
        .and_then(|letter| Form::from_code(&format!("form_{}", letter.to_lowercase())))
        .filter(|f| forms_needed(&c).contains(f))
        .ok_or(AppError::NotFound)?;
    let lang = q.or_page(ctx.lang);
    // The forms speak of the owner and, for form C, of the delegate, as the
    // candidacy names them; a delegate who has not saved the owner yet gets
    // them filled with their own details. Without a profile, nothing to fill.
    let (owner, filer) = match owners::Parties::of(&ctx.state.db, &c).await? {
        Some(p) => (p.owner, p.filer),
        None => match profiles::load(&ctx.state.db, c.user_id).await? {
            Some(filer) => (filer.clone(), filer),
            None => return Ok(see_other("/profile")),
        },
    };
    let delegate = c.owner_id.is_some().then_some(filer);
    let bytes = ctx
        .state
        .heavy
        .run(move || signed_forms::render(form, &c, &owner, delegate.as_ref(), lang))
        .await?
        .map_err(AppError::Internal)?;
    Ok(crate::web::download(
        "application/pdf",
        &form.file_name(lang, id),
        bytes,
    ))
}

/// A signed form (or the identity document): received to disk, checked, and
/// kept with the verdict even when the signature is refused, so the page can
/// say why. A file that is not a PDF or a signed envelope is not kept.
pub async fn upload(
    ctx: Ctx,
    Editable(c): Editable,
    Query(q): Query<Slot>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let id = c.id;
    let form = Form::from_code(&q.purpose).filter(|f| forms_needed(&c).contains(f));
    let purpose: &'static str = match form {
        Some(f) => f.code(),
        None if q.purpose == ID_DOCUMENT => ID_DOCUMENT,
        None => return Err(AppError::NotFound),
    };
    let part = crate::candidacies::Part::Document(purpose);
    if let Some(form) = not_reopened(&ctx, &c, part, purpose).await? {
        return render(&ctx, &c, &form, StatusCode::CONFLICT).await;
    }
    let dir = ctx.state.config.uploads_dir();
    let refuse = |key: &'static str| {
        let mut form = FormState::default();
        form.add_error(purpose, key);
        form
    };
    let limit = MAX_ATTACHMENT_BYTES;
    let received = match uploads::receive(&mut multipart, purpose, &dir, limit).await {
        Ok(received) => received,
        Err(e) => {
            let (form, status) =
                crate::web::upload_refusal(e, purpose, "error.attachment_too_large")?;
            return render(&ctx, &c, &form, status).await;
        }
    };
    let path = received.path().to_path_buf();
    // Whose signature counts comes from the owner's details; without them, fill them first.
    let Some(owner) = owners::owner_of(&ctx.state.db, &c).await? else {
        return Ok(see_other("/profile"));
    };
    let expected = signed_forms::expected_signer(&owner);
    let signed_for = signed_forms::checked_for(&owner);
    let outcome = match form {
        Some(form) => {
            let anchors = ctx.state.anchors.clone();
            let candidacy_id = c.id;
            ctx.state
                .heavy
                .run(move || -> std::io::Result<_> {
                    let bytes = std::fs::read(&path)?;
                    Ok(signatures::check(&bytes, &anchors)
                        .map(|checked| {
                            let a = signed_forms::assess(form, candidacy_id, &checked, &expected);
                            (a.findings, Some(a.signature))
                        })
                        .ok_or("error.signed_unreadable"))
                })
                .await?
        }
        // The identity document: a PDF or a picture that decodes, like an attachment.
        None => {
            ctx.state
                .heavy
                .run(move || -> std::io::Result<_> {
                    let bytes = super::attachments::read_for_check(&path)?;
                    Ok(super::attachments::check(Purpose::IdDocument, &bytes)
                        .map(|f| (vec![f], None)))
                })
                .await?
        }
    }
    .map_err(|e: std::io::Error| AppError::Internal(e.to_string()))?;
    let (findings, verdict) = match outcome {
        Ok(checked) => checked,
        Err(key) => {
            let form = refuse(key);
            return render(&ctx, &c, &form, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let signed = documents::Signed {
        verdict,
        signed_for: &signed_for,
    };
    let kept = documents::keep(
        &ctx.state.db,
        &dir,
        c.id,
        part,
        true,
        received,
        &findings,
        Some(signed),
        ctx.state.config.limits.bytes_per_account,
        ctx.state.clock.now(),
    )
    .await;
    if let Some(form) = crate::web::quota_refusal(&kept, purpose) {
        return render(&ctx, &c, &form, StatusCode::PAYLOAD_TOO_LARGE).await;
    }
    kept?;
    Ok(see_other(&format!(
        "/candidacies/{id}/forms#slot-{purpose}"
    )))
}
