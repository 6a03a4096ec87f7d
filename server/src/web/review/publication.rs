//! /staff/candidacies/{id}/publish, /unpublish, /revise: the public card
//! previewed in Italian and English, then published; taken offline with
//! reasons; or opened to review again while the version online stays.

use super::candidacy::{href, rerender, too_late, From};
use super::QueueQuery;
use crate::candidacies::status::{self, Action};
use crate::error::{AppError, AppResult};
use crate::review::decisions;
use crate::review::publication::{self, Obstacle};
use crate::web::catalogue::cards::card;
use crate::web::context::Ctx;
use crate::web::extract::Reviewed;
use crate::web::{page, see_other};
use app::view_data::PublishView;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

async fn preview(
    ctx: &Ctx,
    r: &Reviewed,
    q: &QueueQuery,
    obstacles: &[Obstacle],
) -> AppResult<PublishView> {
    let c = &r.candidacy;
    let snapshot = publication::snapshot(&ctx.state, c).await?;
    let online = publication::online(&ctx.state.db, c.id).await?;
    Ok(PublishView {
        id: c.id,
        reference: c.reference.clone().unwrap_or_else(|| format!("#{}", c.id)),
        back: href(c.id, q),
        from: q.encoded(),
        cards: vec![
            preview_card(app::Lang::It, c.id, &snapshot),
            preview_card(app::Lang::En, c.id, &snapshot),
        ],
        obstacles: obstacles.iter().map(|o| o.key()).collect(),
        replaces: online.map(|p| p.version),
        seen: publication::seen(c).to_string(),
    })
}

/// Publishing is open to this officer on this candidacy (the obstacles aside).
fn may_publish(r: &Reviewed) -> AppResult<()> {
    let by = decisions::officer(&r.officer)?;
    status::allowed(&r.candidacy, Action::Publish, by)
        .map(|_| ())
        .ok_or(AppError::Locked)
}

pub async fn preview_page(ctx: Ctx, r: Reviewed, Query(from): Query<From>) -> AppResult<Response> {
    may_publish(&r)?;
    let four_eyes = ctx.state.config.review.four_eyes;
    let obstacles =
        publication::obstacles(&ctx.state.db, four_eyes, &r.candidacy, &r.officer).await?;
    let view = preview(&ctx, &r, &from.query(), &obstacles).await?;
    Ok(page(
        StatusCode::OK,
        app::pages::review::publish(&ctx.page(), &view),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    from: String,
    /// When the candidacy last changed, as the preview showed it.
    seen: String,
}

pub async fn publish(ctx: Ctx, r: Reviewed, Form(f): Form<PublishForm>) -> AppResult<Response> {
    let q: QueueQuery = serde_urlencoded::from_str(&f.from).unwrap_or_default();
    may_publish(&r)?;
    let previewed = f.seen.trim().parse().ok();
    match publication::publish(&ctx.state, &r.candidacy, &r.officer, previewed).await? {
        Ok(_) => Ok(see_other(&href(r.candidacy.id, &q))),
        Err(obstacles) => {
            let view = preview(&ctx, &r, &q, &obstacles).await?;
            let html = app::pages::review::publish(&ctx.page(), &view);
            Ok(page(StatusCode::CONFLICT, html))
        }
    }
}

/// The reasons for taking it offline, or for reviewing it again (each form
/// has its own field, so an error shows by the right one).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReasonForm {
    unpublish_reasons: String,
    revise_reasons: String,
    from: String,
}

pub async fn unpublish(ctx: Ctx, r: Reviewed, Form(f): Form<ReasonForm>) -> AppResult<Response> {
    let q: QueueQuery = serde_urlencoded::from_str(&f.from).unwrap_or_default();
    let (field, typed) = ("unpublish_reasons", &f.unpublish_reasons);
    let missing = "review.reasons_required_short";
    if let Err(key) = decisions::check_reasons(typed, missing) {
        return rerender(&ctx, &r, &q, field, typed, key).await;
    }
    let done = publication::unpublish(&ctx.state, &r.candidacy, &r.officer, typed).await;
    after(&ctx, &r, &q, done, field, typed).await
}

pub async fn revise(ctx: Ctx, r: Reviewed, Form(f): Form<ReasonForm>) -> AppResult<Response> {
    let q: QueueQuery = serde_urlencoded::from_str(&f.from).unwrap_or_default();
    let (field, typed) = ("revise_reasons", &f.revise_reasons);
    let missing = "review.reasons_required_short";
    if let Err(key) = decisions::check_reasons(typed, missing) {
        return rerender(&ctx, &r, &q, field, typed, key).await;
    }
    let done = publication::revise(&ctx.state, &r.candidacy, &r.officer, typed).await;
    after(&ctx, &r, &q, done, field, typed).await
}

/// Back to the review page; when someone moved the candidacy first, the
/// page as it is now with the reasons as typed.
async fn after(
    ctx: &Ctx,
    r: &Reviewed,
    q: &QueueQuery,
    done: AppResult<()>,
    field: &str,
    typed: &str,
) -> AppResult<Response> {
    match done {
        Ok(()) => Ok(see_other(&href(r.candidacy.id, q))),
        Err(AppError::Locked) => {
            too_late(ctx, r, q, field, typed, "review.decision_conflict").await
        }
        Err(e) => Err(e),
    }
}

/// The public card of candidacy `id` in `lang`, with the photo the
/// catalogue will show first: the officer sees what goes online.
fn preview_card(lang: app::Lang, id: i64, s: &publication::Snapshot) -> app::view_data::CardView {
    let mut shown = card(lang, s);
    shown.photo = s
        .photos
        .first()
        .map(|doc| format!("/staff/candidacies/{id}/documents/{doc}/thumbnail"));
    shown
}
