//! /candidacies/{id}/owner: the owner a delegate files the candidacy for
//! (form C), entered once and saved for the delegate's next candidacies.

use super::head;
use crate::candidacies::owners;
use crate::candidacies::profiles;
use crate::error::AppResult;
use crate::web::context::Ctx;
use crate::web::extract::{Editable, Own};
use crate::web::review::integration::not_reopened;
use crate::web::{page, see_other};
use app::view_data::FormState;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use std::collections::BTreeMap;

pub async fn show(ctx: Ctx, Own(c): Own) -> AppResult<Response> {
    // Once submitted, the details the submission named, not the saved owner's today.
    let form = match owners::Parties::frozen(&c)? {
        Some(p) if c.owner_id.is_some() => owners::form_of(&p.owner, p.read_access).into(),
        _ => match owners::of(&ctx.state.db, &c).await? {
            Some(o) => owners::to_form(&o).into(),
            None => FormState::with_values([("property_role", "owner")]),
        },
    };
    let html = app::pages::profile::owner(&ctx.page(), &head(&ctx, &c).await?, &form);
    Ok(page(StatusCode::OK, html))
}

pub async fn save(
    ctx: Ctx,
    Editable(c): Editable,
    Form(values): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let id = c.id;
    let read_access = values.get("read_access").is_some_and(|v| v == "yes");
    // The owner's fields only: the CSRF token or anything else posted is dropped.
    let values: BTreeMap<String, String> = values
        .into_iter()
        .filter(|(k, _)| {
            k == "read_access"
                || app::pages::profile::FIELDS
                    .iter()
                    .any(|(name, _)| name == k)
        })
        .collect();
    let part = crate::candidacies::Part::Owner;
    if let Some(mut form) = not_reopened(&ctx, &c, part, "name").await? {
        form.values = values;
        let html = app::pages::profile::owner(&ctx.page(), &head(&ctx, &c).await?, &form);
        return Ok(page(StatusCode::CONFLICT, html));
    }
    let (form, checked) = profiles::check(values);
    let Some(data) = checked else {
        let html = app::pages::profile::owner(&ctx.page(), &head(&ctx, &c).await?, &form.into());
        return Ok(page(StatusCode::UNPROCESSABLE_ENTITY, html));
    };
    let now = ctx.state.clock.now();
    owners::save(&ctx.state.db, &c, data, read_access, now).await?;
    let next = if c.latitude.is_some() {
        "template"
    } else {
        "location"
    };
    Ok(see_other(&format!("/candidacies/{id}/{next}")))
}
