//! /staff/candidacies/{id}: one candidacy as the officer reviews it, taking
//! it in charge, deciding it, and its documents as downloads.

use super::QueueQuery;
use crate::candidacies::documents::{self, TEMPLATE};
use crate::candidacies::owners::Parties;
use crate::candidacies::status::{self, Action, Status};
use crate::candidacies::{self, kind_of, submission};
use crate::clock::rome;
use crate::db::entities::{candidacy, candidacy_event, document, user};
use crate::error::{AppError, AppResult};
use crate::review::decisions::{self, Taken};
use crate::review::{answers, integration, notes, publication, queue};
use crate::web::candidacies::{kind_key, status_name};
use crate::web::context::Ctx;
use crate::web::extract::{AdminReviewed, Reviewed};
use crate::web::{page, see_other};
use app::view_data::{FormState, HistoryLine, ReviewAnswer, ReviewDocument, ReviewView};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use forms::Call;
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

/// The queue's filters, carried from the queue to the page and its forms;
/// on the review page, the reason template to start the rejection from.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct From {
    from: String,
    reason: String,
}

impl From {
    pub(crate) fn query(&self) -> QueueQuery {
        serde_urlencoded::from_str(&self.from).unwrap_or_default()
    }
}

/// The review page of candidacy `id`, remembering the queue's filters `q`.
pub fn href(id: i64, q: &QueueQuery) -> String {
    with_from(format!("/staff/candidacies/{id}"), q)
}

/// The checklist that asks for integration on candidacy `id`.
fn ask_href(id: i64, q: &QueueQuery) -> String {
    with_from(format!("/staff/candidacies/{id}/integration"), q)
}

/// The public card's preview, from which candidacy `id` is published.
fn publish_href(id: i64, q: &QueueQuery) -> String {
    with_from(format!("/staff/candidacies/{id}/publish"), q)
}

fn with_from(path: String, q: &QueueQuery) -> String {
    match q.encoded() {
        e if e.is_empty() => path,
        e => format!(
            "{path}?{}",
            serde_urlencoded::to_string([("from", e)]).unwrap_or_default()
        ),
    }
}

pub async fn show(ctx: Ctx, r: Reviewed, Query(from): Query<From>) -> AppResult<Response> {
    let view = review_view(&ctx, &r, &from.query(), None).await?;
    // A reason template chosen: the rejection's text starts from it.
    let lang = crate::candidacies::signed_forms::document_lang(ctx.lang);
    let form = match forms::reasons(lang.code())
        .into_iter()
        .find(|t| t.id == from.reason)
    {
        Some(t) => FormState::with_values([("reasons", t.text.as_str())]),
        None => FormState::default(),
    };
    render(&ctx, &view, &form, StatusCode::OK)
}

/// Links that open the page with a reason template in the rejection's text.
fn reason_links(id: i64, q: &QueueQuery, lang: app::Lang) -> Vec<(String, String)> {
    let lang = crate::candidacies::signed_forms::document_lang(lang);
    forms::reasons(lang.code())
        .into_iter()
        .map(|t| {
            let mut pairs = vec![("reason", t.id.to_string())];
            if !q.encoded().is_empty() {
                pairs.insert(0, ("from", q.encoded()));
            }
            let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
            (
                t.title,
                format!("/staff/candidacies/{id}?{query}#f-reasons"),
            )
        })
        .collect()
}

fn render(
    ctx: &Ctx,
    view: &ReviewView,
    form: &FormState,
    status: StatusCode,
) -> AppResult<Response> {
    let html = app::pages::review::candidacy(&ctx.page(), view, form);
    Ok(page(status, html))
}

async fn review_view(
    ctx: &Ctx,
    r: &Reviewed,
    q: &QueueQuery,
    taken_by: Option<String>,
) -> AppResult<ReviewView> {
    let (c, me) = (&r.candidacy, &r.officer);
    let db = &ctx.state.db;
    let now = ctx.state.clock.now();
    let officer = match c.assigned_to {
        Some(id) => queue::emails_of(db, [id].into_iter()).await?.remove(&id),
        None => None,
    };
    let by = decisions::officer(me)?;
    let (template, findings) = template(ctx, c).await?;
    let (map, checks) = super::checks::map_and_checks(ctx, c).await?;
    Ok(ReviewView {
        map,
        checks,
        id: c.id,
        reference: c.reference.clone().unwrap_or_else(|| format!("#{}", c.id)),
        kind: kind_key(c),
        status: status_name(c.status),
        submitted: c.submitted_at.map(rome),
        days_waiting: c.submitted_at.map_or(0, |s| (now - s).num_days().max(0)),
        officer,
        back: q.href(),
        from: q.encoded(),
        can_take: status::allowed(c, Action::TakeInCharge, by).is_some(),
        can_decide: status::allowed(c, Action::Validate, by).is_some(),
        taken_by,
        parties: parties(ctx, c).await?,
        site: site(c),
        template,
        findings,
        documents: documents(ctx, c).await?,
        history: history(ctx, c).await?,
        ask_href: status::allowed(c, Action::RequestIntegration, by)
            .is_some()
            .then(|| ask_href(c.id, q)),
        clock: integration::clock_of(db, c, now, ctx.state.config.review.decision_days)
            .await?
            .map(super::clock_view),
        requests: super::integration::requests_view(ctx, c).await?,
        reassign: reassign_choices(ctx, r).await?,
        publish_href: status::allowed(c, Action::Publish, by)
            .is_some()
            .then(|| publish_href(c.id, q)),
        can_unpublish: publication::may_unpublish(db, c, me).await?,
        can_revise: status::allowed(c, Action::Revise, by).is_some(),
        online: publication::online(db, c.id)
            .await?
            .map(|p| (p.version, rome(p.published_at))),
        reason_templates: match status::allowed(c, Action::Reject, by) {
            Some(_) => reason_links(c.id, q, ctx.lang),
            None => Vec::new(),
        },
        notes: notes::all(db, c.id)
            .await?
            .into_iter()
            .map(|n| (rome(n.at), n.author, n.text))
            .collect(),
    })
}

/// For an administrator, while someone must be in charge: every officer,
/// the one in charge first.
async fn reassign_choices(ctx: &Ctx, r: &Reviewed) -> AppResult<Vec<(String, String)>> {
    let admin = status::Actor::officer(&r.officer.role) == Some(status::Actor::Admin);
    if !admin || !decisions::IN_CHARGE.contains(&r.candidacy.status) {
        return Ok(Vec::new());
    }
    let mut officers: Vec<(String, String)> = decisions::officers(&ctx.state.db)
        .await?
        .into_iter()
        .map(|u| (u.id.to_string(), u.email))
        .collect();
    if let Some(at) = r
        .candidacy
        .assigned_to
        .and_then(|id| officers.iter().position(|(k, _)| *k == id.to_string()))
    {
        let current = officers.remove(at);
        officers.insert(0, current);
    }
    Ok(officers)
}

/// Who the submission named, as frozen with it.
async fn parties(ctx: &Ctx, c: &candidacy::Model) -> AppResult<Vec<(&'static str, String)>> {
    let filer = user::Entity::find_by_id(c.user_id)
        .one(&ctx.state.db)
        .await?;
    let mut out = Vec::new();
    if let Some(p) = Parties::of(&ctx.state.db, c).await? {
        out.push(("review.owner_name", p.owner.name.clone()));
        out.push(("review.owner_tax_code", p.owner.tax_code.clone()));
        out.push(("review.owner_email", p.owner.email.clone()));
        if c.owner_id.is_some() {
            let yes_no = if p.read_access {
                "review.yes"
            } else {
                "review.no"
            };
            out.push(("review.read_access", app::i18n::t(ctx.lang, yes_no)));
        }
    }
    let filer = filer.map(|u| u.email).unwrap_or_default();
    let filer = if c.owner_id.is_some() {
        format!(
            "{filer} ({})",
            app::i18n::t(ctx.lang, "review.actor_delegate")
        )
    } else {
        filer
    };
    out.push(("review.filer_email", filer));
    Ok(out)
}

fn site(c: &candidacy::Model) -> Vec<(&'static str, String)> {
    let coordinates = match (c.latitude, c.longitude) {
        (Some(lat), Some(lon)) => format!("{lat:.6}, {lon:.6}"),
        _ => String::new(),
    };
    let point = match candidacies::placement(c) {
        Some((province, None)) => province,
        Some((province, Some(own))) => format!("{province} ≠ {own}"),
        None => String::new(),
    };
    vec![
        ("review.municipality", candidacies::municipality_label(c)),
        ("review.address", c.address.clone().unwrap_or_default()),
        ("review.coordinates", coordinates),
        ("review.point_province", point),
    ]
}

type TemplateParts = (Vec<(String, Vec<ReviewAnswer>)>, Vec<(String, String)>);

/// The submitted template read back field by field, and its check's findings.
async fn template(ctx: &Ctx, c: &candidacy::Model) -> AppResult<TemplateParts> {
    let Some(doc) = documents::latest(&ctx.state.db, c.id, TEMPLATE).await? else {
        return Ok((Vec::new(), Vec::new()));
    };
    let lang = submission_lang(ctx);
    let findings = documents::read_findings(&doc)
        .into_iter()
        .map(|f| {
            let text = if lang == forms::Lang::En { f.en } else { f.it };
            (f.severity, text)
        })
        .collect();
    let path = ctx.state.config.uploads_dir().join(&doc.sha256);
    let kind = kind_of(c);
    let sections = ctx
        .state
        .heavy
        .run(move || {
            std::fs::read(&path).map(|bytes| answers::read(Call::embedded(), &bytes, kind, lang))
        })
        .await?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let sections = sections
        .into_iter()
        .map(|(title, answers)| {
            let rows = answers
                .into_iter()
                .map(|a| ReviewAnswer {
                    label: a.label,
                    typed: a.typed,
                    problems: a.problems,
                })
                .collect();
            (title, rows)
        })
        .collect();
    Ok((sections, findings))
}

fn submission_lang(ctx: &Ctx) -> forms::Lang {
    crate::candidacies::signed_forms::document_lang(ctx.lang)
}

async fn documents(ctx: &Ctx, c: &candidacy::Model) -> AppResult<Vec<ReviewDocument>> {
    let docs = document::Entity::find()
        .filter(document::Column::CandidacyId.eq(c.id))
        .order_by_asc(document::Column::Id)
        .all(&ctx.state.db)
        .await?;
    Ok(docs
        .into_iter()
        .map(|d| ReviewDocument {
            label: match d.retired_at {
                Some(_) => format!(
                    "{} ({})",
                    submission::document_label(ctx.lang, &d.purpose),
                    app::i18n::t(ctx.lang, "review.replaced")
                ),
                None => submission::document_label(ctx.lang, &d.purpose),
            },
            href: format!("/staff/candidacies/{}/documents/{}", c.id, d.id),
            thumbnail: (d.purpose == forms::attachments::Purpose::Photo.code())
                .then(|| format!("/staff/candidacies/{}/documents/{}/thumbnail", c.id, d.id)),
            signature: d.signature.as_ref().map(|s| format!("submit.sig_{s}")),
            uploaded: rome(d.created_at),
            size_bytes: d.size,
            name: d.original_name,
        })
        .collect())
}

async fn history(ctx: &Ctx, c: &candidacy::Model) -> AppResult<Vec<HistoryLine>> {
    let events = candidacy_event::Entity::find()
        .filter(candidacy_event::Column::CandidacyId.eq(c.id))
        .order_by_asc(candidacy_event::Column::Id)
        .all(&ctx.state.db)
        .await?;
    let emails = queue::emails_of(&ctx.state.db, events.iter().map(|e| e.actor_id)).await?;
    let status = |s: &str| Status::try_from_value(&s.to_string()).ok();
    Ok(events
        .into_iter()
        .map(|e| {
            let email = emails.get(&e.actor_id).cloned().unwrap_or_default();
            let kind = match e.actor_kind.as_str() {
                "" => String::new(),
                k => format!(
                    " ({})",
                    app::i18n::t(ctx.lang, &format!("review.actor_{k}"))
                ),
            };
            HistoryLine {
                at: rome(e.at),
                who: format!("{email}{kind}"),
                from: status(&e.from_status).map_or("", status_name),
                to: status(&e.to_status).map_or("", status_name),
                note: match e.to_status == Status::IntegrationRequested.as_str() {
                    true => super::integration::items_text(ctx.lang, c, &e.note),
                    false => e.note,
                },
            }
        })
        .collect())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TakeForm {
    from: String,
}

pub async fn take(ctx: Ctx, r: Reviewed, Form(f): Form<TakeForm>) -> AppResult<Response> {
    let q: QueueQuery = serde_urlencoded::from_str(&f.from).unwrap_or_default();
    match decisions::take(&ctx.state, &r.candidacy, &r.officer).await? {
        Taken::Now => Ok(see_other(&href(r.candidacy.id, &q))),
        Taken::ByOther(who) => {
            let fresh = reload(&ctx, &r).await?;
            let view = review_view(&ctx, &fresh, &q, Some(who)).await?;
            render(&ctx, &view, &FormState::default(), StatusCode::CONFLICT)
        }
    }
}

/// The review page again, with what was typed in `field` and its error.
pub(super) async fn rerender(
    ctx: &Ctx,
    r: &Reviewed,
    q: &QueueQuery,
    field: &str,
    typed: &str,
    key: &'static str,
) -> AppResult<Response> {
    let mut form = FormState::with_values([(field, typed)]);
    form.add_error(field, key);
    let view = review_view(ctx, r, q, None).await?;
    render(ctx, &view, &form, StatusCode::UNPROCESSABLE_ENTITY)
}

/// A move someone else made first (a colleague decided, the proponent
/// withdrew): the page as it is now (409), saying so, with what was typed
/// in `field` kept (shown apart when that form is no longer offered).
pub(super) async fn too_late(
    ctx: &Ctx,
    r: &Reviewed,
    q: &QueueQuery,
    field: &str,
    typed: &str,
    key: &'static str,
) -> AppResult<Response> {
    let fresh = reload(ctx, r).await?;
    let mut form = FormState::with_values([(field, typed), ("typed_in", field)]);
    form.add_error("decision", key);
    let view = review_view(ctx, &fresh, q, None).await?;
    render(ctx, &view, &form, StatusCode::CONFLICT)
}

async fn reload(ctx: &Ctx, r: &Reviewed) -> AppResult<Reviewed> {
    let candidacy = candidacy::Entity::find_by_id(r.candidacy.id)
        .one(&ctx.state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Reviewed {
        officer: r.officer.clone(),
        candidacy,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecideForm {
    decision: String,
    reasons: String,
    from: String,
}

pub async fn decide(ctx: Ctx, r: Reviewed, Form(f): Form<DecideForm>) -> AppResult<Response> {
    let q: QueueQuery = serde_urlencoded::from_str(&f.from).unwrap_or_default();
    let action = match f.decision.as_str() {
        "validate" => Action::Validate,
        "reject" => Action::Reject,
        _ => return Err(AppError::BadRequest),
    };
    if action == Action::Reject {
        if let Err(key) = decisions::check_reasons(&f.reasons, "review.reasons_required") {
            return rerender(&ctx, &r, &q, "reasons", &f.reasons, key).await;
        }
    }
    match decisions::decide(&ctx.state, &r.candidacy, &r.officer, action, &f.reasons).await {
        Ok(()) => Ok(see_other(&href(r.candidacy.id, &q))),
        // Someone moved it first (a colleague decided, the proponent
        // withdrew): the page as it is now, with the reasons as typed.
        Err(AppError::Locked) => {
            too_late(
                &ctx,
                &r,
                &q,
                "reasons",
                &f.reasons,
                "review.decision_conflict",
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    officer: String,
    from: String,
}

/// An administrator gives the candidacy to another officer.
pub async fn assign(
    ctx: Ctx,
    AdminReviewed(r): AdminReviewed,
    Form(f): Form<AssignForm>,
) -> AppResult<Response> {
    let q: QueueQuery = serde_urlencoded::from_str(&f.from).unwrap_or_default();
    let Ok(to) = f.officer.trim().parse::<i64>() else {
        return rerender(
            &ctx,
            &r,
            &q,
            "officer",
            &f.officer,
            "review.reassign_required",
        )
        .await;
    };
    match decisions::reassign(&ctx.state, &r.candidacy, &r.officer, to).await {
        Ok(()) => Ok(see_other(&href(r.candidacy.id, &q))),
        Err(AppError::Locked) => {
            too_late(&ctx, &r, &q, "officer", "", "review.reassign_conflict").await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteForm {
    note: String,
    from: String,
}

/// An officer's internal note: back to the page, or the page with the note
/// as typed and its error.
pub async fn add_note(ctx: Ctx, r: Reviewed, Form(f): Form<NoteForm>) -> AppResult<Response> {
    let q: QueueQuery = serde_urlencoded::from_str(&f.from).unwrap_or_default();
    if let Err(key) = decisions::check_reasons(&f.note, "review.note_required") {
        return rerender(&ctx, &r, &q, "note", &f.note, key).await;
    }
    notes::add(&ctx.state, &r.candidacy, &r.officer, &f.note).await?;
    Ok(see_other(&format!("{}#notes", href(r.candidacy.id, &q))))
}

/// Document `id` of the candidacy under review; `NotFound` for another's.
async fn document_of(ctx: &Ctx, r: &Reviewed, id: i64) -> AppResult<document::Model> {
    documents::find(&ctx.state.db, r.candidacy.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A photo of the candidacy as a thumbnail the server made (see
/// `candidacies::thumbnails`): shown on the page, no metadata left in it.
pub async fn thumbnail(
    ctx: Ctx,
    r: Reviewed,
    Path((_, document_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let doc = document_of(&ctx, &r, document_id).await?;
    let bytes = crate::candidacies::thumbnails::of(&ctx.state, &doc)
        .await?
        .ok_or(AppError::NotFound)?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, "image/jpeg"),
        // Like the downloads: nothing of a personal document stays in caches.
        (axum::http::header::CACHE_CONTROL, "no-store"),
    ];
    Ok(axum::response::IntoResponse::into_response((
        headers, bytes,
    )))
}

/// A document of the candidacy, to the officer, as a download.
pub async fn download(
    ctx: Ctx,
    r: Reviewed,
    Path((_, document_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let doc = document_of(&ctx, &r, document_id).await?;
    let octets = "application/octet-stream";
    crate::web::candidacies::attachments::stored_file(&ctx, &r.candidacy, &doc, octets).await
}
