//! Register, log in, forgotten and reset password.

use crate::components::{field_id, CsrfField, ErrorSummary, Field, Notice};
use crate::i18n::{t, Lang};
use crate::page::{render, PageCtx};
use crate::view_data::FormState;
use leptos::prelude::*;

const REGISTER_LABELS: [(&str, &str); 5] = [
    ("email", "form.email"),
    ("password", "form.password"),
    ("password_confirm", "form.password_confirm"),
    ("role", "form.role"),
    ("privacy", "form.privacy_accept"),
];

pub fn register(ctx: &PageCtx, form: &FormState) -> String {
    let lang = ctx.lang;
    let title = ctx.t("auth.register_title");
    let body = view! {
        <div class="row"><div class="col-lg-7">
            <h1>{title.clone()}</h1>
            <p>{ctx.t("auth.register_intro")}</p>
            <ErrorSummary lang form=form.clone() labels=REGISTER_LABELS.to_vec() />
            <form method="post" action="/register" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <Field lang form=form.clone() name="email" label="form.email" kind="email" hint="form.email_hint" autocomplete="email" />
                <Field lang form=form.clone() name="password" label="form.password" kind="password" hint="form.password_hint" autocomplete="new-password" />
                <Field lang form=form.clone() name="password_confirm" label="form.password_confirm" kind="password" autocomplete="new-password" />
                <RoleChoice lang form=form.clone() />
                <PrivacyCheck lang form=form.clone() />
                <button type="submit" class="btn btn-primary">{ctx.t("form.submit_register")}</button>
            </form>
            <p class="mt-4">{ctx.t("auth.have_account")} " " <a href="/login">{ctx.t("site.login")}</a></p>
        </div></div>
    };
    render(ctx, &title, body.into_any())
}

#[component]
fn RoleChoice(lang: Lang, form: FormState) -> impl IntoView {
    let chosen = form.value("role");
    let error = form.error("role");
    let error_id = format!("{}-error", field_id("role"));
    let option = |value: &'static str, label: &'static str, first: bool| {
        let id = if first {
            field_id("role")
        } else {
            format!("{}-{value}", field_id("role"))
        };
        view! {
            <div class="form-check">
                <input
                    class="form-check-input"
                    type="radio"
                    name="role"
                    id=id.clone()
                    value=value
                    checked=chosen == value
                    aria-describedby=error.map(|_| error_id.clone())
                />
                <label class="form-check-label" for=id>{t(lang, label)}</label>
            </div>
        }
    };
    view! {
        <fieldset class="mb-4">
            <legend class="portal-legend">
                {t(lang, "form.role")} <span class="field-required">" (" {t(lang, "form.required")} ")"</span>
            </legend>
            {option("proponent", "form.role_proponent", true)}
            {option("investor", "form.role_investor", false)}
            {error.map(|e| view! { <div id=error_id.clone() class="invalid-feedback d-block">{t(lang, e)}</div> })}
        </fieldset>
    }
}

#[component]
fn PrivacyCheck(lang: Lang, form: FormState) -> impl IntoView {
    let id = field_id("privacy");
    let error = form.error("privacy");
    let error_id = format!("{id}-error");
    view! {
        <div class="form-check mb-4">
            <input
                class="form-check-input"
                type="checkbox"
                name="privacy"
                id=id.clone()
                value="yes"
                checked=form.value("privacy") == "yes"
                aria-describedby=error.map(|_| error_id.clone())
                aria-invalid=error.map(|_| "true")
            />
            <label class="form-check-label" for=id>{t(lang, "form.privacy_accept")}</label>
            " " <a href="/info/privacy">{t(lang, "form.privacy_read")}</a>
            {error.map(|e| view! { <div id=error_id.clone() class="invalid-feedback d-block">{t(lang, e)}</div> })}
        </div>
    }
}

/// `message` is a translation key shown above the form (e.g. after logout or a failed attempt).
pub fn login(
    ctx: &PageCtx,
    form: &FormState,
    message: Option<(&str, &'static str)>,
    offer_resend: bool,
) -> String {
    let lang = ctx.lang;
    let title = ctx.t("auth.login_title");
    let notice = message.map(|(key, kind)| view! { <Notice text=ctx.t(key) kind=kind /> });
    let resend = offer_resend.then(|| {
        view! {
            <form method="post" action="/verify/resend" class="mt-3">
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="email" value=form.value("email") />
                <button type="submit" class="btn btn-outline-primary">{ctx.t("form.submit_resend")}</button>
            </form>
        }
    });
    let body = view! {
        <div class="row"><div class="col-lg-6">
            <h1>{title.clone()}</h1>
            {notice}
            <ErrorSummary lang form=form.clone() labels=vec![("email", "form.email"), ("password", "form.password")] />
            <form method="post" action="/login" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                // Where to go once logged in (a page that sent the visitor here).
                {Some(form.value("next")).filter(|n| !n.is_empty()).map(|next| view! { <input type="hidden" name="next" value=next /> })}
                <Field lang form=form.clone() name="email" label="form.email" kind="email" autocomplete="username" />
                <Field lang form=form.clone() name="password" label="form.password" kind="password" autocomplete="current-password" />
                <button type="submit" class="btn btn-primary">{ctx.t("form.submit_login")}</button>
            </form>
            {resend}
            <p class="mt-4"><a href="/password/forgot">{ctx.t("auth.forgot_link")}</a></p>
            <p>{ctx.t("auth.no_account")} " " <a href="/register">{ctx.t("site.register")}</a></p>
        </div></div>
    };
    render(ctx, &title, body.into_any())
}

pub fn forgot(ctx: &PageCtx, form: &FormState) -> String {
    let lang = ctx.lang;
    let title = ctx.t("auth.forgot_title");
    let body = view! {
        <div class="row"><div class="col-lg-6">
            <h1>{title.clone()}</h1>
            <p>{ctx.t("auth.forgot_intro")}</p>
            <ErrorSummary lang form=form.clone() labels=vec![("email", "form.email")] />
            <form method="post" action="/password/forgot" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <Field lang form=form.clone() name="email" label="form.email" kind="email" autocomplete="email" />
                <button type="submit" class="btn btn-primary">{ctx.t("form.submit_forgot")}</button>
            </form>
        </div></div>
    };
    render(ctx, &title, body.into_any())
}

pub fn reset(ctx: &PageCtx, form: &FormState, token: &str) -> String {
    let lang = ctx.lang;
    let title = ctx.t("auth.reset_title");
    let labels = vec![
        ("password", "form.new_password"),
        ("password_confirm", "form.password_confirm"),
    ];
    let body = view! {
        <div class="row"><div class="col-lg-6">
            <h1>{title.clone()}</h1>
            <ErrorSummary lang form=form.clone() labels=labels />
            <form method="post" action="/password/reset" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="token" value=token.to_string() />
                <Field lang form=form.clone() name="password" label="form.new_password" kind="password" hint="form.password_hint" autocomplete="new-password" />
                <Field lang form=form.clone() name="password_confirm" label="form.password_confirm" kind="password" autocomplete="new-password" />
                <button type="submit" class="btn btn-primary">{ctx.t("form.submit_reset")}</button>
            </form>
        </div></div>
    };
    render(ctx, &title, body.into_any())
}
