//! Saved searches: the investor's list of them, the box on the catalogue's
//! list that keeps its search, and the page of an unsubscribe link.

use crate::components::{CsrfField, ErrorSummary, Field, Notice};
use crate::i18n::{t, Lang};
use crate::page::{render, PageCtx};
use crate::pages::format_date;
use crate::view_data::{SaveSearch, SavedSearchRow, SavedSearchesView, UnsubscribeView};
use leptos::prelude::*;

/// The box beside the catalogue's results: keep this search, or log in to.
pub fn save_box(ctx: &PageCtx, save: &SaveSearch) -> Option<AnyView> {
    let lang = ctx.lang;
    let heading = view! { <h2 id="save-search-title" class="h5">{t(lang, "saved.box_title")}</h2> };
    let inner = match save {
        SaveSearch::Nothing => return None,
        SaveSearch::LogIn { login, register } => view! {
            {heading}
            <p class="small mb-2">{t(lang, "saved.box_intro")}</p>
            <p class="small mb-0">
                <a href=login.clone()>{t(lang, "saved.box_login")}</a>
                " · "
                <a href=register.clone()>{t(lang, "saved.box_register")}</a>
            </p>
        }
        .into_any(),
        SaveSearch::Form { query, suggested } => view! {
            {heading}
            <p class="small mb-2">{t(lang, "saved.box_intro")}</p>
            <form method="post" action="/account/searches" novalidate=true class="save-search-form">
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="query" value=query.clone() />
                <div class="save-search-name">
                    <label for="f-search-name" class="form-label">{t(lang, "saved.name")}</label>
                    <input type="text" class="form-control" id="f-search-name" name="name"
                        value=suggested.clone() maxlength="80" aria-describedby="f-search-name-hint" />
                    <small id="f-search-name-hint" class="form-text">{t(lang, "saved.name_hint")}</small>
                </div>
                <button type="submit" class="btn btn-primary">{t(lang, "saved.submit")}</button>
            </form>
        }
        .into_any(),
    };
    Some(
        view! { <section class="save-search mb-4 p-3" aria-labelledby="save-search-title">{inner}</section> }
            .into_any(),
    )
}

/// The investor's saved searches, each with its filters, its last email and
/// a button that deletes it.
pub fn list(ctx: &PageCtx, v: &SavedSearchesView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "saved.title");
    let intro = t(lang, "saved.intro")
        .replace("{days}", &v.every_days.to_string())
        .replace("{max}", &v.max.to_string());
    let notice = match (v.saved, v.deleted) {
        (true, _) => Some(t(lang, "saved.saved")),
        (_, true) => Some(t(lang, "saved.deleted")),
        _ => None,
    };
    let pending = (!v.form.is_valid()).then(|| {
        let labels = vec![("name", "saved.name"), ("query", "saved.query")];
        let query_error = v.form.error("query").map(|key| {
            view! { <div id="f-query-error" class="invalid-feedback d-block">{t(lang, key)}</div> }
        });
        view! {
            <section class="mb-5" aria-labelledby="retry-title">
                <h2 id="retry-title" class="h4">{t(lang, "saved.retry_title")}</h2>
                <ErrorSummary lang form=v.form.clone() labels=labels />
                <div id="f-query" tabindex="-1">{criteria_list(lang, &v.pending)} {query_error}</div>
                <form method="post" action="/account/searches" novalidate=true>
                    <CsrfField token=ctx.csrf.clone() />
                    <input type="hidden" name="query" value=v.form.value("query") />
                    <Field lang form=v.form.clone() name="name" label="saved.name" hint="saved.name_hint" required=false />
                    <button type="submit" class="btn btn-primary">{t(lang, "saved.submit")}</button>
                </form>
            </section>
        }
    });
    let rows = v.searches.iter().map(|s| row(ctx, s)).collect::<Vec<_>>();
    let searches = match v.searches.is_empty() {
        true => view! { <p id="no-searches">{t(lang, "saved.none")}</p> }.into_any(),
        false => view! { <ul class="list-unstyled saved-searches" id="saved-searches">{rows}</ul> }
            .into_any(),
    };
    let body = view! {
        <h1>{title.clone()}</h1>
        <p class="lead">{intro}</p>
        {notice.map(|text| view! { <Notice text /> })}
        {pending}
        {searches}
        <p><a href=v.catalogue.clone()>{t(lang, "saved.to_catalogue")}</a></p>
    };
    render(ctx, &title, body.into_any())
}

/// One saved search: its name (a link to the list), its filters, its dates.
fn row(ctx: &PageCtx, s: &SavedSearchRow) -> impl IntoView {
    let lang = ctx.lang;
    let saved_on = t(lang, "saved.saved_on").replace("{date}", &format_date(lang, &s.saved_on));
    let last = match &s.last_email {
        Some(at) => t(lang, "saved.last_email").replace("{date}", &format_date(lang, at)),
        None => t(lang, "saved.no_email_yet"),
    };
    let delete = t(lang, "saved.delete").replace("{name}", &s.name);
    view! {
        <li class="saved-search card mb-3">
            <div class="card-body">
                <h2 class="h5 card-title"><a href=s.href.clone()>{s.name.clone()}</a></h2>
                {criteria_list(lang, &s.criteria)}
                <p class="small mb-2">{saved_on} " · " {last}</p>
                <form method="post" action=format!("/account/searches/{}/delete", s.id)>
                    <CsrfField token=ctx.csrf.clone() />
                    <button type="submit" class="btn btn-outline-danger btn-sm" aria-label=delete>
                        {t(lang, "saved.delete_short")}
                    </button>
                </form>
            </div>
        </li>
    }
}

/// A search's filters in words, or "every site".
fn criteria_list(lang: Lang, criteria: &[String]) -> AnyView {
    if criteria.is_empty() {
        return view! { <p class="small mb-1">{t(lang, "saved.everything")}</p> }.into_any();
    }
    let items = criteria
        .iter()
        .map(|c| view! { <li>{c.clone()}</li> })
        .collect::<Vec<_>>();
    view! { <ul class="small mb-1">{items}</ul> }.into_any()
}

/// The page an email's unsubscribe link opens: one button, since mail
/// scanners follow links but do not press buttons.
pub fn unsubscribe(ctx: &PageCtx, v: &UnsubscribeView) -> String {
    let lang = ctx.lang;
    let title = t(lang, "saved.unsubscribe_title");
    let content = match (&v.name, v.done) {
        (_, true) => view! { <Notice text=t(lang, "saved.unsubscribed") /> }.into_any(),
        (None, false) => view! { <p id="unknown-link">{t(lang, "saved.unknown_link")}</p> }.into_any(),
        (Some(name), false) => view! {
            <p>{t(lang, "saved.unsubscribe_intro").replace("{name}", name)}</p>
            {criteria_list(lang, &v.criteria)}
            <form method="post" action=v.action.clone() class="mt-3">
                <CsrfField token=ctx.csrf.clone() />
                <button type="submit" class="btn btn-primary">{t(lang, "saved.unsubscribe_button")}</button>
            </form>
        }
        .into_any(),
    };
    let body = view! {
        <h1>{title.clone()}</h1>
        {content}
        <p class="mt-4"><a href="/account/searches">{t(lang, "saved.manage")}</a></p>
    };
    render(ctx, &title, body.into_any())
}
