//! /admin/staff: administrators keep the back-office accounts (see
//! `accounts::staff`). Refusals come back on the page, with what was typed.

use crate::accounts::second_factor;
use crate::accounts::staff::{self, Change};
use crate::error::{AppError, AppResult};
use crate::web::context::Ctx;
use crate::web::extract::Admin;
use crate::web::{page, see_other};
use app::view_data::{FormState, Role, StaffRow, StaffView};
use app::Lang;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    email: String,
    role: String,
    lang: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    action: String,
    role: String,
}

pub async fn show(ctx: Ctx, Admin(me): Admin, Query(q): Query<Done>) -> AppResult<Response> {
    let notice = match q.done.as_deref() {
        Some("invited") => Some(("admin_staff.invited", "alert-success")),
        Some("changed") => Some(("admin_staff.changed", "alert-success")),
        _ => None,
    };
    let form = FormState::with_values([("role", "staff"), ("lang", "it")]);
    render(&ctx, &me, notice, &form, StatusCode::OK).await
}

pub async fn invite(ctx: Ctx, Admin(me): Admin, Form(f): Form<InviteForm>) -> AppResult<Response> {
    let mut form = FormState::with_values([
        ("email", f.email.as_str()),
        ("role", f.role.as_str()),
        ("lang", f.lang.as_str()),
    ]);
    let role = Role::from_code(&f.role).filter(|r| matches!(r, Role::Staff | Role::Admin));
    if role.is_none() {
        form.add_error("role", "admin_staff.role_required");
    }
    let lang = Lang::from_code(&f.lang).unwrap_or(Lang::It);
    if let (Some(role), true) = (role, form.is_valid()) {
        match staff::invite(&ctx.state, &me, &f.email, role, lang).await? {
            Ok(()) => return Ok(see_other("/admin/staff?done=invited#staff")),
            Err(key) => form.add_error("email", key),
        }
    }
    render(&ctx, &me, None, &form, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn change(
    ctx: Ctx,
    Admin(me): Admin,
    Path(id): Path<i64>,
    Form(f): Form<ChangeForm>,
) -> AppResult<Response> {
    let change = Change::parse(&f.action, &f.role).ok_or(AppError::BadRequest)?;
    match staff::change(&ctx.state, &me, id, change).await? {
        Ok(()) => Ok(see_other("/admin/staff?done=changed#staff")),
        Err(key) => {
            let form = FormState::with_values([("role", "staff"), ("lang", "it")]);
            let notice = Some((key, "alert-danger"));
            render(&ctx, &me, notice, &form, StatusCode::CONFLICT).await
        }
    }
}

async fn render(
    ctx: &Ctx,
    me: &crate::db::entities::user::Model,
    notice: Option<(&'static str, &'static str)>,
    form: &FormState,
    status: StatusCode,
) -> AppResult<Response> {
    let rows = staff::list(&ctx.state)
        .await?
        .into_iter()
        .map(|u| StaffRow {
            id: u.id,
            role: Role::from_code(&u.role).unwrap_or(Role::Staff),
            active: u.deactivated_at.is_none(),
            enrolled: second_factor::enrolled(&u),
            me: u.id == me.id,
            email: u.email,
        })
        .collect();
    let view = StaffView { rows, notice };
    Ok(page(
        status,
        app::pages::staff::staff(&ctx.page(), &view, form),
    ))
}
