//! Register, verify, log in/out, forgotten password. Each POST either redirects
//! (success) or shows the form again with the user's input and an error per field.

use crate::accounts::operations::{self, LoginOutcome};
use crate::accounts::session;
use crate::error::AppResult;
use crate::web::context::{set_cookie, Ctx, CSRF_COOKIE};
use crate::web::{local_path, page, see_other};
use app::pages::{auth as views, info};
use app::view_data::{FormState, Role};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use axum_extra::extract::cookie::Cookie;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    email: String,
    password: String,
    password_confirm: String,
    role: String,
    privacy: String,
}

pub async fn register_form(ctx: Ctx) -> Response {
    page(
        StatusCode::OK,
        views::register(&ctx.page(), &FormState::default()),
    )
}

pub async fn register(ctx: Ctx, Form(f): Form<RegisterForm>) -> AppResult<Response> {
    let mut form = FormState::with_values([
        ("email", f.email.as_str()),
        ("role", &f.role),
        ("privacy", &f.privacy),
    ]);
    let email = operations::normalise_email(&f.email)
        .map_err(|key| form.add_error("email", key))
        .ok();
    if let Err((field, key)) = operations::check_new_password(&f.password, &f.password_confirm) {
        form.add_error(field, key);
    }
    let role = match Role::from_code(&f.role) {
        Some(role @ (Role::Proponent | Role::Investor)) => Some(role),
        _ => {
            form.add_error("role", "error.role_required");
            None
        }
    };
    if f.privacy != "yes" {
        form.add_error("privacy", "error.privacy_required");
    }
    match (email, role) {
        (Some(email), Some(role)) if form.is_valid() => {
            operations::register(&ctx.state, &email, &f.password, role, ctx.lang, &ctx.ip).await?;
            Ok(see_other("/register/sent"))
        }
        _ => Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::register(&ctx.page(), &form),
        )),
    }
}

pub async fn register_sent(ctx: Ctx) -> Response {
    page(
        StatusCode::OK,
        info::notice(
            &ctx.page(),
            "auth.check_email_title",
            "auth.check_email_body",
        ),
    )
}

/// The answer to an emailed link that is unknown, used or expired.
fn bad_link(ctx: &Ctx) -> Response {
    page(
        StatusCode::BAD_REQUEST,
        info::notice(&ctx.page(), "error.title_400", "error.token_invalid"),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    token: String,
}

pub async fn verify(ctx: Ctx, Query(q): Query<TokenQuery>) -> AppResult<Response> {
    Ok(if operations::verify_email(&ctx.state, &q.token).await? {
        page(
            StatusCode::OK,
            info::notice(&ctx.page(), "auth.verified_title", "auth.verified_body"),
        )
    } else {
        bad_link(&ctx)
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    email: String,
}

pub async fn resend(ctx: Ctx, Form(f): Form<EmailForm>) -> AppResult<Response> {
    if let Ok(email) = operations::normalise_email(&f.email) {
        operations::resend_verification(&ctx.state, &email, &ctx.ip).await?;
    }
    Ok(page(
        StatusCode::OK,
        info::notice(&ctx.page(), "auth.resend_title", "auth.resend_body"),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    logged_out: Option<String>,
    /// A local page to return to once logged in (the catalogue's search).
    next: Option<String>,
}

/// The form's values that carry `next` on, if it is a local page.
fn carrying(next: Option<&str>) -> FormState {
    let next = next.map(|n| local_path(Some(n))).filter(|n| n != "/");
    FormState::with_values(next.as_deref().map(|n| ("next", n)))
}

pub async fn login_form(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    let message = q.logged_out.map(|_| ("auth.logged_out", "alert-success"));
    let form = carrying(q.next.as_deref());
    page(
        StatusCode::OK,
        views::login(&ctx.page(), &form, message, false),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn login(ctx: Ctx, Form(f): Form<LoginForm>) -> AppResult<Response> {
    let mut form = carrying(f.next.as_deref());
    form.values.insert("email".into(), f.email.clone());
    let email = operations::normalise_email(&f.email)
        .map_err(|key| form.add_error("email", key))
        .ok();
    if f.password.is_empty() {
        form.add_error("password", "error.password_required");
    }
    let Some(email) = email.filter(|_| form.is_valid()) else {
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::login(&ctx.page(), &form, None, false),
        ));
    };
    let (status, message, offer_resend) =
        match operations::login(&ctx.state, &email, &f.password, &ctx.ip).await? {
            LoginOutcome::Success {
                secret,
                second_factor,
            } => {
                // The session this browser had before (another account, maybe) ends here.
                if let Some(previous) = &ctx.session_secret {
                    session::delete(&ctx.state.db, previous).await?;
                }
                let next = local_path(f.next.as_deref().or(Some("/account")));
                let to = match second_factor {
                    true => format!(
                        "/login/code?next={}",
                        url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                    ),
                    false => next,
                };
                let mut response = see_other(&to);
                set_cookie(
                    &mut response,
                    &ctx.state,
                    Cookie::new(session::COOKIE, secret),
                    Some(session::LIFETIME_HOURS * 3600),
                );
                // A fresh CSRF token after login, so a token planted before cannot be used.
                set_cookie(
                    &mut response,
                    &ctx.state,
                    Cookie::new(CSRF_COOKIE, crate::accounts::tokens::random_token()),
                    None,
                );
                return Ok(response);
            }
            LoginOutcome::Unverified => (StatusCode::FORBIDDEN, "error.login_unverified", true),
            LoginOutcome::Failed => (StatusCode::UNAUTHORIZED, "error.login_failed", false),
            LoginOutcome::Throttled => (StatusCode::TOO_MANY_REQUESTS, "error.throttled", false),
        };
    let html = views::login(
        &ctx.page(),
        &form,
        Some((message, "alert-danger")),
        offer_resend,
    );
    Ok(page(status, html))
}

pub async fn logout(ctx: Ctx) -> AppResult<Response> {
    if let Some(secret) = &ctx.session_secret {
        session::delete(&ctx.state.db, secret).await?;
    }
    let mut response = see_other("/login?logged_out=1");
    set_cookie(
        &mut response,
        &ctx.state,
        Cookie::new(session::COOKIE, ""),
        Some(0),
    );
    Ok(response)
}

pub async fn forgot_form(ctx: Ctx) -> Response {
    page(
        StatusCode::OK,
        views::forgot(&ctx.page(), &FormState::default()),
    )
}

pub async fn forgot(ctx: Ctx, Form(f): Form<EmailForm>) -> AppResult<Response> {
    let mut form = FormState::with_values([("email", f.email.as_str())]);
    match operations::normalise_email(&f.email) {
        Ok(email) => {
            operations::request_reset(&ctx.state, &email, &ctx.ip).await?;
            Ok(page(
                StatusCode::OK,
                info::notice(
                    &ctx.page(),
                    "auth.forgot_sent_title",
                    "auth.forgot_sent_body",
                ),
            ))
        }
        Err(key) => {
            form.add_error("email", key);
            Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                views::forgot(&ctx.page(), &form),
            ))
        }
    }
}

pub async fn reset_form(ctx: Ctx, Query(q): Query<TokenQuery>) -> AppResult<Response> {
    Ok(
        if operations::token_is_live(&ctx.state, &q.token, true).await? {
            page(
                StatusCode::OK,
                views::reset(&ctx.page(), &FormState::default(), &q.token),
            )
        } else {
            bad_link(&ctx)
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    token: String,
    password: String,
    password_confirm: String,
}

pub async fn reset(ctx: Ctx, Form(f): Form<ResetForm>) -> AppResult<Response> {
    let mut form = FormState::default();
    if let Err((field, key)) = operations::check_new_password(&f.password, &f.password_confirm) {
        form.add_error(field, key);
    }
    if !form.is_valid() {
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::reset(&ctx.page(), &form, &f.token),
        ));
    }
    Ok(
        if operations::reset_password(&ctx.state, &f.token, &f.password).await? {
            page(
                StatusCode::OK,
                info::notice(&ctx.page(), "auth.reset_done_title", "auth.reset_done_body"),
            )
        } else {
            bad_link(&ctx)
        },
    )
}
