//! The second step of a back-office login: the code from the authenticator
//! app (enrolling it the first time, from a QR code or the secret typed by
//! hand), or a recovery code; then, once, the recovery codes.

use crate::components::{CsrfField, ErrorSummary, Field, Notice};
use crate::page::{render, PageCtx};
use crate::view_data::{EnrolView, FormState};
use leptos::prelude::*;

const LABELS: [(&str, &str); 1] = [("code", "second_factor.code")];

/// The code page; `enrol` while the app is not set up yet; `message` (a
/// translation key) above the form, e.g. after too many tries.
pub fn code(
    ctx: &PageCtx,
    form: &FormState,
    enrol: Option<&EnrolView>,
    next: &str,
    message: Option<&'static str>,
) -> String {
    let lang = ctx.lang;
    let title = match enrol {
        Some(_) => ctx.t("second_factor.enrol_title"),
        None => ctx.t("second_factor.title"),
    };
    let steps = enrol.map(|e| {
        view! {
            <ol class="mb-4">
                <li>{ctx.t("second_factor.enrol_app")}</li>
                <li>
                    {ctx.t("second_factor.enrol_scan")}
                    <figure class="my-3" role="img" aria-label=ctx.t("second_factor.qr_label")>
                        <div class="qr-code" inner_html=e.qr_svg.clone()></div>
                    </figure>
                    <p class="mb-1">{ctx.t("second_factor.enrol_manual")}</p>
                    <p><code id="totp-secret" class="fs-5 text-break">{e.secret.clone()}</code></p>
                    <p class="small"><a href=e.uri.clone() id="totp-link">{ctx.t("second_factor.enrol_link")}</a></p>
                </li>
                <li>{ctx.t("second_factor.enrol_type")}</li>
            </ol>
        }
    });
    let intro = enrol
        .is_none()
        .then(|| view! { <p>{ctx.t("second_factor.intro")}</p> });
    let notice = message.map(|key| view! { <Notice text=ctx.t(key) kind="alert-danger" /> });
    let body = view! {
        <div class="row"><div class="col-lg-7">
            <h1>{title.clone()}</h1>
            {intro}
            {steps}
            {notice}
            <ErrorSummary lang form=form.clone() labels=LABELS.to_vec() />
            <form method="post" action="/login/code" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="next" value=next.to_string() />
                <Field lang form=form.clone() name="code" label="second_factor.code" hint="second_factor.code_hint" autocomplete="one-time-code" />
                <button type="submit" class="btn btn-primary" id="send-code">{ctx.t("second_factor.send")}</button>
            </form>
            <form method="post" action="/logout" class="mt-4">
                <CsrfField token=ctx.csrf.clone() />
                <button type="submit" class="btn btn-outline-primary btn-sm">{ctx.t("second_factor.other_account")}</button>
            </form>
        </div></div>
    };
    render(ctx, &title, body.into_any())
}

/// The recovery codes, shown once, right after enrolment.
pub fn recovery_codes(ctx: &PageCtx, codes: &[String], next: &str) -> String {
    let title = ctx.t("second_factor.recovery_title");
    let items = codes
        .iter()
        .map(|c| view! { <li><code>{c.clone()}</code></li> })
        .collect::<Vec<_>>();
    let body = view! {
        <div class="row"><div class="col-lg-7">
            <h1>{title.clone()}</h1>
            <Notice text=ctx.t("second_factor.enrolled") />
            <p>{ctx.t("second_factor.recovery_intro")}</p>
            <ol id="recovery-codes" class="fs-5">{items}</ol>
            <p><a class="btn btn-primary" href=next.to_string() id="continue">{ctx.t("second_factor.continue")}</a></p>
        </div></div>
    };
    render(ctx, &title, body.into_any())
}
