//! Saved searches on the web: the catalogue's box that keeps a search, the
//! investor's list of them (`/account/searches`), and the page of an email's
//! unsubscribe link, which works without logging in.

use super::{in_words, list_path};
use crate::catalogue::saved::{self, Refused};
use crate::catalogue::Filters;
use crate::clock::rome;
use crate::error::{AppError, AppResult};
use crate::web::context::Ctx;
use crate::web::extract::{Investor, OwnSearch};
use crate::web::{page, see_other};
use app::i18n::t;
use app::view_data::{
    FormState, Role, SaveSearch, SavedSearchRow, SavedSearchesView, UnsubscribeView,
};
use app::Lang;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// What a hostile form may echo back into the page, at most.
const QUERY_ECHO_CHARS: usize = 4_000;
const NAME_ECHO_CHARS: usize = 400;

/// What the catalogue's list offers for keeping `filters`, shown at `here`.
pub fn offer(ctx: &Ctx, filters: &Filters, here: &str) -> SaveSearch {
    if !filters.errors.is_empty() {
        return SaveSearch::Nothing;
    }
    match (&ctx.user, &ctx.pending) {
        (None, None) => SaveSearch::LogIn {
            login: format!(
                "/login?next={}",
                url::form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>()
            ),
            register: "/register".to_string(),
        },
        (Some(account), _) if Role::from_code(&account.role) == Some(Role::Investor) => {
            SaveSearch::Form {
                query: filters.query_with(&[]),
                suggested: default_name(ctx.lang, filters),
            }
        }
        _ => SaveSearch::Nothing,
    }
}

/// Each filter of `filters` in words ("Province: Bergamo").
fn criteria(lang: Lang, filters: &Filters) -> Vec<String> {
    filters
        .criteria
        .iter()
        .map(|(key, c)| in_words(lang, key, c))
        .collect()
}

/// A name for a search nobody named: its filters, cut to fit.
fn default_name(lang: Lang, filters: &Filters) -> String {
    let words = criteria(lang, filters).join("; ");
    if words.is_empty() {
        return t(lang, "saved.default_name");
    }
    match words.chars().count() <= saved::NAME_CHARS {
        true => words,
        false => {
            let cut: String = words.chars().take(saved::NAME_CHARS - 1).collect();
            format!("{}…", cut.trim_end())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SaveForm {
    name: String,
    query: String,
}

/// Keeps the search of the catalogue the form carries.
pub async fn save(
    ctx: Ctx,
    Investor(account): Investor,
    Form(f): Form<SaveForm>,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let filters = Filters::parse(&f.query);
    let name = match saved::clean_name(&f.name) {
        n if n.is_empty() => default_name(lang, &filters),
        n => n,
    };
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let seen = loaded.newest_publication();
    let now = ctx.state.clock.now();
    let refused = match saved::save(&ctx.state.db, &account, &name, &filters, seen, now).await? {
        Ok(_) => return Ok(see_other("/account/searches?saved=1")),
        Err(refused) => refused,
    };
    let (field, key) = match refused {
        Refused::TooMany => ("name", "saved.error_too_many"),
        Refused::NameTooLong => ("name", "saved.error_name_too_long"),
        Refused::DoesNotRead => ("query", "saved.error_does_not_read"),
    };
    let query: String = f.query.chars().take(QUERY_ECHO_CHARS).collect();
    let name: String = f.name.chars().take(NAME_ECHO_CHARS).collect();
    let mut form = FormState::with_values([("name", name.as_str()), ("query", query.as_str())]);
    form.add_error(field, key);
    let mut view = searches_view(&ctx, account.id).await?;
    view.pending = criteria(lang, &filters);
    view.form = form;
    let html = app::pages::saved::list(&ctx.page(), &view);
    Ok(page(StatusCode::UNPROCESSABLE_ENTITY, html))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Done {
    saved: Option<String>,
    deleted: Option<String>,
}

/// The investor's saved searches.
pub async fn index(
    ctx: Ctx,
    Investor(account): Investor,
    Query(q): Query<Done>,
) -> AppResult<Response> {
    let mut view = searches_view(&ctx, account.id).await?;
    view.saved = q.saved.is_some();
    view.deleted = q.deleted.is_some();
    let html = app::pages::saved::list(&ctx.page(), &view);
    Ok(page(StatusCode::OK, html))
}

async fn searches_view(ctx: &Ctx, user_id: i64) -> AppResult<SavedSearchesView> {
    let lang = ctx.lang;
    let searches = saved::of(&ctx.state.db, user_id)
        .await?
        .into_iter()
        .map(|s| SavedSearchRow {
            id: s.id,
            href: saved::list_link(&s, lang),
            criteria: criteria(lang, &Filters::parse(&s.query)),
            name: s.name,
            saved_on: rome(s.created_at),
            last_email: s.last_sent_at.map(rome),
        })
        .collect();
    Ok(SavedSearchesView {
        searches,
        catalogue: list_path(lang).to_string(),
        max: saved::MAX_PER_ACCOUNT,
        every_days: saved::EVERY_DAYS,
        ..Default::default()
    })
}

/// Deletes one of the investor's searches.
pub async fn delete(ctx: Ctx, OwnSearch(search): OwnSearch) -> AppResult<Response> {
    saved::delete(&ctx.state.db, &search).await?;
    Ok(see_other("/account/searches?deleted=1"))
}

/// The page an email's unsubscribe link opens: the search, and one button.
pub async fn unsubscribe_form(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    let search = saved::by_token(&ctx.state.db, &token).await?;
    let status = match search {
        Some(_) => StatusCode::OK,
        None => StatusCode::NOT_FOUND,
    };
    let view = UnsubscribeView {
        criteria: search
            .as_ref()
            .map(|s| criteria(ctx.lang, &Filters::parse(&s.query)))
            .unwrap_or_default(),
        action: search
            .as_ref()
            .map(saved::unsubscribe_path)
            .unwrap_or_default(),
        name: search.map(|s| s.name),
        done: false,
    };
    Ok(page(
        status,
        app::pages::saved::unsubscribe(&ctx.page(), &view),
    ))
}

/// Ends the search the link names: from its page's button, or from a mail
/// program's one-click POST (RFC 8058), which carries no session and no
/// form token; the secret in the address is what authorises it.
pub async fn unsubscribe(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    if !saved::well_formed(&token) {
        return Err(AppError::NotFound);
    }
    // A second click, or a mail program trying again: stopped either way.
    let search = saved::by_token(&ctx.state.db, &token).await?;
    if let Some(search) = &search {
        saved::delete(&ctx.state.db, search).await?;
    }
    let view = UnsubscribeView {
        name: search.map(|s| s.name),
        criteria: Vec::new(),
        action: String::new(),
        done: true,
    };
    Ok(page(
        StatusCode::OK,
        app::pages::saved::unsubscribe(&ctx.page(), &view),
    ))
}
