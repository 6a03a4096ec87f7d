//! The logged-in user's page and the admin's list of undelivered emails.

use crate::accounts::operations;
use crate::clock::rome;
use crate::email::outbox;
use crate::error::AppResult;
use crate::web::context::Ctx;
use crate::web::{page, see_other};
use app::view_data::{AccountView, FailedEmailView, FormState, Role};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Changed {
    changed: Option<String>,
}

fn view_of(account: &crate::db::entities::user::Model) -> AccountView {
    AccountView {
        email: account.email.clone(),
        role: Role::from_code(&account.role).unwrap_or(Role::Proponent),
        registered_on: rome(account.created_at),
    }
}

pub async fn show(ctx: Ctx, Query(q): Query<Changed>) -> AppResult<Response> {
    let account = ctx.user()?;
    let html = app::pages::account::account(
        &ctx.page(),
        &view_of(account),
        &FormState::default(),
        q.changed.is_some(),
    );
    Ok(page(StatusCode::OK, html))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    password: String,
    password_confirm: String,
}

pub async fn change_password(ctx: Ctx, Form(f): Form<PasswordForm>) -> AppResult<Response> {
    let account = ctx.user()?;
    let mut form = FormState::default();
    if f.current_password.is_empty() {
        form.add_error("current_password", "error.password_required");
    }
    if let Err((field, key)) = operations::check_new_password(&f.password, &f.password_confirm) {
        form.add_error(field, key);
    }
    if form.is_valid() {
        let keep = ctx.session_secret.as_deref().unwrap_or_default();
        match operations::change_password(
            &ctx.state,
            account,
            &f.current_password,
            &f.password,
            keep,
        )
        .await?
        {
            Ok(()) => return Ok(see_other("/account?changed=1")),
            Err(key) => form.add_error("current_password", key),
        }
    }
    let html = app::pages::account::account(&ctx.page(), &view_of(account), &form, false);
    Ok(page(StatusCode::UNPROCESSABLE_ENTITY, html))
}

pub async fn failed_emails(ctx: Ctx) -> AppResult<Response> {
    ctx.user_with_role(&[Role::Admin])?;
    let rows = outbox::failed(&ctx.state.db)
        .await?
        .into_iter()
        .map(|m| FailedEmailView {
            to: m.to_addr,
            subject: m.subject,
            attempts: m.attempts,
            last_error: m.last_error.unwrap_or_default(),
            created: rome(m.created_at),
        })
        .collect::<Vec<_>>();
    Ok(page(
        StatusCode::OK,
        app::pages::account::failed_emails(&ctx.page(), &rows),
    ))
}
