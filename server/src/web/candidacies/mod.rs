//! /candidacies: "My candidacies", creating a draft, and its steps (location, Excel template).

pub mod attachments;
pub mod owner;
pub mod profile;
pub mod signed_forms;
pub mod submission;

use super::extract::{Editable, Own, Readable};
use super::{page, see_other};
use crate::candidacies::documents;
use crate::candidacies::owners;
use crate::candidacies::profiles;
use crate::candidacies::status::Status;
use crate::candidacies::uploads;
use crate::candidacies::{self, kind_of, Part};
use crate::clock::rome;
use crate::db::entities::{candidacy, document, user};
use crate::error::{AppError, AppResult};
use crate::review::integration;
use crate::web::context::Ctx;
use crate::web::review::integration::not_reopened;
use app::view_data::{
    CandidacyHead, CandidacyRow, FormState, PlacementView, Role, UploadResultView,
};
use axum::extract::{Multipart, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use forms::reference::Municipalities;
use forms::{Call, Kind, Lang};
use serde::Deserialize;
use std::collections::BTreeMap;

pub(crate) fn kind_key(c: &candidacy::Model) -> &'static str {
    match kind_of(c) {
        Kind::Settlement => "candidacy.kind_a",
        Kind::Investment => "candidacy.kind_b",
    }
}

pub(crate) fn status_key(c: &candidacy::Model) -> &'static str {
    status_name(c.status)
}

/// The translation key of a status's name.
pub(crate) fn status_name(s: Status) -> &'static str {
    match s {
        Status::Submitted => "candidacy.status_submitted",
        Status::UnderReview => "candidacy.status_under_review",
        Status::IntegrationRequested => "candidacy.status_integration_requested",
        Status::Validated => "candidacy.status_validated",
        Status::Published => "candidacy.status_published",
        Status::Rejected => "candidacy.status_rejected",
        Status::Withdrawn => "candidacy.status_withdrawn",
        Status::Draft => "candidacy.status_draft",
    }
}

/// The heading of every step, with the request for integration being answered.
pub(super) async fn head(ctx: &Ctx, c: &candidacy::Model) -> AppResult<CandidacyHead> {
    Ok(CandidacyHead {
        id: c.id,
        kind: kind_key(c),
        status: status_key(c),
        reopened: crate::web::review::integration::reopened_view(ctx, c).await?,
    })
}

fn place(c: &candidacy::Model) -> String {
    match (candidacies::municipality_label(c), &c.address) {
        (m, Some(address)) if !m.is_empty() => format!("{m} – {address}"),
        _ => String::new(),
    }
}

/// A stored upload and what its checks said, in the page's language.
pub(super) fn upload_result(ctx: &Ctx, d: document::Model) -> UploadResultView {
    let english = ctx.lang == app::Lang::En;
    UploadResultView {
        findings: documents::read_findings(&d)
            .into_iter()
            .map(|f| (f.severity, if english { f.en } else { f.it }))
            .collect(),
        name: d.original_name,
        size_bytes: d.size,
        uploaded: rome(d.created_at),
        accepted: d.accepted,
    }
}

fn row(c: &candidacy::Model) -> CandidacyRow {
    CandidacyRow {
        id: c.id,
        kind: kind_key(c),
        status: status_key(c),
        place: place(c),
        updated: rome(c.updated_at),
    }
}

async fn render_list(
    ctx: &Ctx,
    account: &user::Model,
    form: &FormState,
    status: StatusCode,
) -> AppResult<Response> {
    let db = &ctx.state.db;
    let rows: Vec<_> = candidacies::list(db, account.id)
        .await?
        .iter()
        .map(row)
        .collect();
    let for_me: Vec<_> = owners::filed_for(db, account)
        .await?
        .iter()
        .map(row)
        .collect();
    let owners: Vec<(i64, String)> = owners::list(db, account.id)
        .await?
        .into_iter()
        .map(|o| (o.id, format!("{} ({})", o.name, o.tax_code)))
        .collect();
    let closed = ctx.state.clock.now() > ctx.state.config.submission_deadline;
    let html = app::pages::candidacies::list(&ctx.page(), &rows, &for_me, &owners, form, closed);
    Ok(page(status, html))
}

pub async fn list(ctx: Ctx) -> AppResult<Response> {
    let account = ctx.user_with_role(&[Role::Proponent])?;
    render_list(&ctx, account, &FormState::default(), StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewForm {
    kind: String,
    /// "" for the proponent themselves, "new" for a new owner, or a saved owner's id.
    on_behalf: String,
}

pub async fn create(ctx: Ctx, Form(f): Form<NewForm>) -> AppResult<Response> {
    let account = ctx.user_with_role(&[Role::Proponent])?;
    let now = ctx.state.clock.now();
    // After the closing instant no new draft is started; the list says why.
    if now > ctx.state.config.submission_deadline {
        return render_list(&ctx, account, &FormState::default(), StatusCode::FORBIDDEN).await;
    }
    let mut form = FormState::with_values([
        ("kind", f.kind.as_str()),
        ("on_behalf", f.on_behalf.as_str()),
    ]);
    let kind = Kind::from_code(&f.kind);
    if kind.is_none() {
        form.add_error("kind", "error.choice_required");
    }
    let owner = match f.on_behalf.as_str() {
        "" | "new" => None,
        id => match id.parse() {
            Ok(id) => owners::find_own(&ctx.state.db, account.id, id).await.ok(),
            Err(_) => None,
        },
    };
    if owner.is_none() && !matches!(f.on_behalf.as_str(), "" | "new") {
        form.add_error("on_behalf", "error.owner_unknown");
    }
    let Some(kind) = kind.filter(|_| form.is_valid()) else {
        return render_list(&ctx, account, &form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let owner_id = owner.map(|o| o.id);
    let max = ctx.state.config.limits.drafts_per_account;
    let c = match candidacies::create(&ctx.state.db, account.id, kind, owner_id, max, now).await {
        Err(AppError::QuotaFull) => {
            form.add_error("kind", "error.too_many_drafts");
            return render_list(&ctx, account, &form, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        created => created?,
    };
    let next = if f.on_behalf == "new" {
        "owner"
    } else {
        "location"
    };
    Ok(see_other(&format!("/candidacies/{}/{next}", c.id)))
}

/// A candidacy's address leads to the step it is at; a submitted one (or one
/// read by its owner) to its summary.
pub async fn show(r: Readable) -> AppResult<Response> {
    let (c, mine) = (r.candidacy, r.mine);
    let step = if !mine || !crate::candidacies::submission::editable(&c) {
        "submit"
    } else if c.latitude.is_some() {
        "template"
    } else {
        "location"
    };
    Ok(see_other(&format!("/candidacies/{}/{step}", c.id)))
}

fn municipality_labels() -> Vec<String> {
    Municipalities::get()
        .all()
        .iter()
        .map(|m| m.list_label())
        .collect()
}

pub async fn location_form(ctx: Ctx, Own(c): Own) -> AppResult<Response> {
    let html = app::pages::candidacies::location(
        &ctx.page(),
        &head(&ctx, &c).await?,
        &candidacies::location_form(&c).into(),
        &municipality_labels(),
    );
    Ok(page(StatusCode::OK, html))
}

pub async fn save_location(
    ctx: Ctx,
    Editable(c): Editable,
    Form(values): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let id = c.id;
    if let Some(form) = not_reopened(&ctx, &c, Part::Location, "municipality").await? {
        // What was typed stays in the fields, with the reason beside them.
        let mut form = form;
        form.values = values;
        let html = app::pages::candidacies::location(
            &ctx.page(),
            &head(&ctx, &c).await?,
            &form,
            &municipality_labels(),
        );
        return Ok(page(StatusCode::CONFLICT, html));
    }
    let values = values
        .into_iter()
        .filter(|(k, _)| {
            app::pages::candidacies::LOCATION_FIELDS
                .iter()
                .any(|(name, _)| name == k)
        })
        .collect();
    match candidacies::check_location(values) {
        (_, Some(location)) => {
            candidacies::save_location(&ctx.state.db, c, location, ctx.state.clock.now()).await?;
            Ok(see_other(&format!("/candidacies/{id}/template")))
        }
        (form, None) => {
            let html = app::pages::candidacies::location(
                &ctx.page(),
                &head(&ctx, &c).await?,
                &form.into(),
                &municipality_labels(),
            );
            Ok(page(StatusCode::UNPROCESSABLE_ENTITY, html))
        }
    }
}

async fn render_template_step(
    ctx: &Ctx,
    c: &candidacy::Model,
    form: &FormState,
    status: StatusCode,
) -> AppResult<Response> {
    let placement = candidacies::placement(c).map(|(province, mismatch)| PlacementView {
        province: Municipalities::get().province_label(&province),
        municipality_province: mismatch
            .as_deref()
            .map(|code| Municipalities::get().province_label(code)),
    });
    let upload = documents::latest(&ctx.state.db, c.id, documents::TEMPLATE)
        .await?
        .map(|d| upload_result(ctx, d));
    let html = app::pages::candidacies::template_step(
        &ctx.page(),
        &head(ctx, c).await?,
        placement.as_ref(),
        upload.as_ref(),
        form,
    );
    Ok(page(status, html))
}

pub async fn template_step(ctx: Ctx, Own(c): Own) -> AppResult<Response> {
    render_template_step(&ctx, &c, &FormState::default(), StatusCode::OK).await
}

/// The filled template: received to disk, checked by the template engine, recorded
/// with its findings, shown on the template step (also when it has errors).
pub async fn upload_template(
    ctx: Ctx,
    Editable(c): Editable,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let id = c.id;
    if let Some(form) = not_reopened(&ctx, &c, Part::Template(None), "file").await? {
        return render_template_step(&ctx, &c, &form, StatusCode::CONFLICT).await;
    }
    let dir = ctx.state.config.uploads_dir();
    let limit = forms::template::guard::MAX_FILE_BYTES as u64;
    // Answering a request for integration: the template as submitted, to
    // compare with, and the fields that may change.
    let answering = match c.status {
        Status::IntegrationRequested => integration::open(&ctx.state.db, c.id).await?,
        _ => None,
    };
    let before = match &answering {
        Some(r) => r.before()?.template().map(|doc| dir.join(&doc.sha256)),
        None => None,
    };
    let open_fields: Vec<String> = answering
        .as_ref()
        .map(|r| r.fields().into_iter().map(str::to_string).collect())
        .unwrap_or_default();
    let received = match uploads::receive(&mut multipart, "file", &dir, limit).await {
        Ok(received) => received,
        Err(e) => {
            let (form, status) = super::upload_refusal(e, "file", "error.file_too_large")?;
            return render_template_step(&ctx, &c, &form, status).await;
        }
    };
    let kind = kind_of(&c);
    let path = received.path().to_path_buf();
    let new_path = path.clone();
    let report = ctx
        .state
        .heavy
        .run(move || {
            std::fs::read(&path)
                .map(|bytes| forms::check_file(Call::embedded(), &bytes, Some(kind)))
        })
        .await?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut findings = documents::findings(&report);
    if answering.is_some() {
        // Not compared is not "nothing changed": the file cannot be submitted.
        let changes = match before {
            Some(old) => {
                let compare = move || crate::review::answers::compare_files(&old, &new_path, kind);
                ctx.state.heavy.run(compare).await?
            }
            None => None,
        };
        match changes {
            Some(changes) => findings.extend(locked_changes(&c, &changes, &open_fields)),
            None => findings.push(both_languages("error", "error.template_not_compared", &[])),
        }
    }
    // Kept even with errors: the step shows what the last upload said. Earlier
    // uploads are replaced: only the last one counts, and the others' bytes go.
    let kept = documents::keep(
        &ctx.state.db,
        &dir,
        c.id,
        Part::Template(answering.as_ref().map(|r| r.row.id)),
        true,
        received,
        &findings,
        None,
        ctx.state.config.limits.bytes_per_account,
        ctx.state.clock.now(),
    )
    .await;
    if let Some(form) = super::quota_refusal(&kept, "file") {
        return render_template_step(&ctx, &c, &form, StatusCode::PAYLOAD_TOO_LARGE).await;
    }
    kept?;
    Ok(see_other(&format!(
        "/candidacies/{id}/template#upload-result"
    )))
}

/// An error finding, in both languages, for each field the reply changed
/// though the request did not ask for it: the file is kept, to show them, but
/// cannot be submitted until those fields are as submitted.
fn locked_changes(
    c: &candidacy::Model,
    changes: &[crate::review::answers::Change],
    open_fields: &[String],
) -> Vec<documents::Finding> {
    changes
        .iter()
        .filter(|ch| !open_fields.contains(&ch.field))
        .map(|ch| {
            let line = |lang| {
                let item = integration::Item::Field(ch.field.clone());
                let label = crate::web::review::integration::item_label(lang, c, &item);
                let numbers = crate::candidacies::signed_forms::document_lang(lang);
                let shown = |v: &str| {
                    if v.is_empty() {
                        "–".to_string()
                    } else {
                        crate::review::answers::shown_by_id(&ch.field, v, numbers)
                    }
                };
                app::i18n::tf(
                    lang,
                    "error.field_not_reopened",
                    &[
                        ("field", &label),
                        ("before", &shown(&ch.before)),
                        ("after", &shown(&ch.after)),
                    ],
                )
            };
            documents::Finding {
                severity: "error".into(),
                it: line(app::Lang::It),
                en: line(app::Lang::En),
            }
        })
        .collect()
}

/// A finding of the portal's own, with `key`'s text in both languages.
fn both_languages(severity: &str, key: &str, vars: &[(&str, &str)]) -> documents::Finding {
    documents::Finding {
        severity: severity.into(),
        it: app::i18n::tf(app::Lang::It, key, vars),
        en: app::i18n::tf(app::Lang::En, key, vars),
    }
}

/// `?purpose=` of an upload: the slot it fills.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Slot {
    purpose: String,
}

/// `?lang=` of a document to download (template, form).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DocumentLang {
    lang: Option<String>,
}

impl DocumentLang {
    /// The language asked for, else the page's.
    fn or_page(&self, page: app::Lang) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(crate::candidacies::signed_forms::document_lang(page))
    }
}

/// The template `c` was submitted with, as its open request for
/// integration recorded it, as a download; `None` without one.
async fn submitted_template(ctx: &Ctx, c: &candidacy::Model) -> AppResult<Option<Response>> {
    let Some(request) = integration::open(&ctx.state.db, c.id).await? else {
        return Ok(None);
    };
    let before = request.before()?;
    let Some(doc) = before.template() else {
        return Ok(None);
    };
    let path = ctx.state.config.uploads_dir().join(&doc.sha256);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
    use forms::template::guard::{inspect, Format};
    let format = inspect(&bytes).unwrap_or(Format::Xlsx);
    let filename = format!(
        "opportunity-lombardy-{}-submitted.{}",
        c.id,
        format.extension()
    );
    Ok(Some(super::download(format.mime(), &filename, bytes)))
}

/// The prefilled template, as a download (never shown inline from the portal's origin).
pub async fn template_file(
    ctx: Ctx,
    Own(c): Own,
    Query(q): Query<DocumentLang>,
) -> AppResult<Response> {
    let lang = q.or_page(ctx.lang);
    let profile = profiles::load(&ctx.state.db, c.user_id).await?;
    // Answering a request for integration: the file as submitted, byte for
    // byte, so only what was asked needs changing (anything else that
    // differs would be refused).
    if c.status == Status::IntegrationRequested {
        if let Some(submitted) = submitted_template(&ctx, &c).await? {
            return Ok(submitted);
        }
    }
    let prefill = candidacies::prefill(&c, profile.as_ref());
    let kind = kind_of(&c);
    let bytes = ctx
        .state
        .heavy
        .run(move || forms::template::write(Call::embedded(), kind, lang, &prefill))
        .await?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let filename = format!("opportunity-lombardy-{}-{}.xlsx", c.id, lang.code());
    let xlsx = forms::template::guard::Format::Xlsx.mime();
    Ok(super::download(xlsx, &filename, bytes))
}
