//! Public pages: home, information pages, language switch, health check.

use super::{local_path, page, see_other};
use crate::clock::rome;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::context::{set_cookie, Ctx, LANG_COOKIE};
use app::view_data::DeadlineView;
use app::Lang;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum_extra::extract::cookie::Cookie;
use sea_orm::ConnectionTrait;

pub async fn home(ctx: Ctx) -> Response {
    let config = &ctx.state.config;
    let deadline = DeadlineView {
        closes_at: rome(config.submission_deadline),
        closes_at_epoch_ms: config.submission_deadline.timestamp_millis(),
        now_epoch_ms: ctx.state.clock.now().timestamp_millis(),
    };
    page(
        StatusCode::OK,
        app::pages::home::home(&ctx.page(), &deadline),
    )
}

pub async fn info(ctx: Ctx, Path(name): Path<String>) -> AppResult<Response> {
    let text = forms::page(&name, ctx.lang.code()).map_err(|_| AppError::NotFound)?;
    Ok(page(
        StatusCode::OK,
        app::pages::info::markdown_page(&ctx.page(), &text.title, text.html),
    ))
}

#[derive(serde::Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Remembers the chosen language in a cookie (a year) and goes back to the page.
pub async fn switch_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> AppResult<Response> {
    let lang = Lang::from_code(&code).ok_or(AppError::NotFound)?;
    let mut response = see_other(&local_path(q.next.as_deref()));
    set_cookie(
        &mut response,
        &state,
        Cookie::new(LANG_COOKIE, lang.code()),
        Some(365 * 24 * 3600),
    );
    Ok(response)
}

/// For load balancers: 200 when the database answers.
pub async fn health(State(state): State<AppState>) -> AppResult<&'static str> {
    state.db.execute_unprepared("SELECT 1").await?;
    Ok("ok")
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
