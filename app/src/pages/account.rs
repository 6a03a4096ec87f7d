//! The logged-in user's own pages, and the admin's list of undelivered emails.

use crate::components::{CsrfField, ErrorSummary, Field, Notice};
use crate::page::{render, PageCtx};
use crate::pages::{format_date, format_datetime};
use crate::view_data::{AccountView, FailedEmailView, FormState, Role};
use leptos::prelude::*;

pub fn account(ctx: &PageCtx, account: &AccountView, form: &FormState, changed: bool) -> String {
    let lang = ctx.lang;
    let title = ctx.t("account.title");
    let labels = vec![
        ("current_password", "form.current_password"),
        ("password", "form.new_password"),
        ("password_confirm", "form.password_confirm"),
    ];
    let body = view! {
        <h1>{title.clone()}</h1>
        <dl class="row account-facts">
            <dt class="col-sm-3">{ctx.t("account.email")}</dt>
            <dd class="col-sm-9" id="account-email">{account.email.clone()}</dd>
            <dt class="col-sm-3">{ctx.t("account.role")}</dt>
            <dd class="col-sm-9">{ctx.t(account.role.label_key())}</dd>
            <dt class="col-sm-3">{ctx.t("account.since")}</dt>
            <dd class="col-sm-9">{format_date(lang, &account.registered_on)}</dd>
        </dl>
        {match account.role {
            Role::Staff | Role::Admin => view! { <p><a href="/staff">{ctx.t("review.account_next")}</a></p> }.into_any(),
            Role::Investor => view! { <p><a href="/account/searches" id="saved-searches-link">{ctx.t("saved.account_link")}</a></p> }.into_any(),
            _ => view! { <p>{ctx.t("account.next_steps")}</p> }.into_any(),
        }}
        <section class="mt-5 col-lg-6" aria-labelledby="change-title">
            <h2 id="change-title" class="h3">{ctx.t("auth.change_title")}</h2>
            {changed.then(|| view! { <Notice text=ctx.t("auth.change_done") /> })}
            <ErrorSummary lang form=form.clone() labels=labels />
            <form method="post" action="/account/password" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <Field lang form=form.clone() name="current_password" label="form.current_password" kind="password" autocomplete="current-password" />
                <Field lang form=form.clone() name="password" label="form.new_password" kind="password" hint="form.password_hint" autocomplete="new-password" />
                <Field lang form=form.clone() name="password_confirm" label="form.password_confirm" kind="password" autocomplete="new-password" />
                <button type="submit" class="btn btn-primary">{ctx.t("form.submit_change")}</button>
            </form>
        </section>
    };
    render(ctx, &title, body.into_any())
}

pub fn failed_emails(ctx: &PageCtx, rows: &[FailedEmailView]) -> String {
    let lang = ctx.lang;
    let title = ctx.t("outbox.title");
    let table = if rows.is_empty() {
        view! { <p>{ctx.t("outbox.empty")}</p> }.into_any()
    } else {
        let lines = rows
            .iter()
            .map(|r| {
                view! {
                    <tr>
                        <td>{r.to.clone()}</td>
                        <td>{r.subject.clone()}</td>
                        <td>{r.attempts}</td>
                        <td>{r.last_error.clone()}</td>
                        <td>{format_datetime(lang, &r.created)}</td>
                    </tr>
                }
            })
            .collect::<Vec<_>>();
        view! {
            <div class="table-responsive">
                <table class="table">
                    <caption class="visually-hidden">{title.clone()}</caption>
                    <thead><tr>
                        <th scope="col">{ctx.t("outbox.to")}</th>
                        <th scope="col">{ctx.t("outbox.subject")}</th>
                        <th scope="col">{ctx.t("outbox.attempts")}</th>
                        <th scope="col">{ctx.t("outbox.error")}</th>
                        <th scope="col">{ctx.t("outbox.created")}</th>
                    </tr></thead>
                    <tbody>{lines}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let body = view! {
        <h1>{title.clone()}</h1>
        <p>{ctx.t("outbox.intro")}</p>
        {table}
    };
    render(ctx, &title, body.into_any())
}
