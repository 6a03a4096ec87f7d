//! /profile: the proponent's saved data, shown and changed.

use crate::candidacies::profiles;
use crate::error::AppResult;
use crate::web::context::Ctx;
use crate::web::{page, see_other};
use app::view_data::{FormState, Role};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn show(ctx: Ctx, Query(q): Query<Saved>) -> AppResult<Response> {
    let account = ctx.user_with_role(&[Role::Proponent])?;
    let form = match profiles::load(&ctx.state.db, account.id).await? {
        Some(p) => profiles::to_form(&p).into(),
        // First visit: the account's email is the obvious default.
        None => FormState::with_values([("email", account.email.as_str())]),
    };
    let html = app::pages::profile::profile(&ctx.page(), &form, q.saved.is_some());
    Ok(page(StatusCode::OK, html))
}

pub async fn save(ctx: Ctx, Form(values): Form<BTreeMap<String, String>>) -> AppResult<Response> {
    let account = ctx.user_with_role(&[Role::Proponent])?;
    // Only the profile's own fields are kept: the CSRF token or anything else posted is dropped.
    let values = values
        .into_iter()
        .filter(|(k, _)| {
            app::pages::profile::FIELDS
                .iter()
                .any(|(name, _)| name == k)
        })
        .collect();
    match profiles::check(values) {
        (_, Some(data)) => {
            profiles::save(&ctx.state.db, account.id, data, ctx.state.clock.now()).await?;
            Ok(see_other("/profile?saved=1"))
        }
        (form, None) => {
            let html = app::pages::profile::profile(&ctx.page(), &form.into(), false);
            Ok(page(StatusCode::UNPROCESSABLE_ENTITY, html))
        }
    }
}
