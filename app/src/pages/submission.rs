//! "Check and submit": what is still missing (each item links to its step) and
//! the submit button; once submitted, the reference, the instant, the receipt
//! and the way to withdraw.

use super::candidacies::heading;
use super::format_datetime;
use crate::components::{CheckField, CsrfField, ErrorSummary, Notice, TextAreaField};
use crate::page::{render, PageCtx};
use crate::view_data::{CandidacyHead, FormState, SubmissionView};
use leptos::prelude::*;

pub fn submission(
    ctx: &PageCtx,
    head: &CandidacyHead,
    s: &SubmissionView,
    form: &FormState,
) -> String {
    let title = ctx.t("submit.title");
    let body = if s.editable {
        check(ctx, head, s, form).into_any()
    } else {
        summary(ctx, head, s, form).into_any()
    };
    let answers = s
        .answers
        .iter()
        .map(|(label, value, href)| {
            let change = (!href.is_empty() && s.editable).then(|| {
                let text = ctx.t("submit.change").replace("{what}", &ctx.t(label).to_lowercase());
                view! { " " <a href=href.clone() class="ms-2">{text}</a> }
            });
            view! { <dt class="col-sm-3">{ctx.t(label)}</dt><dd class="col-sm-9">{value.clone()}{change}</dd> }
        })
        .collect::<Vec<_>>();
    let page = view! {
        {heading(ctx, head, "submit.title")}
        <section aria-labelledby="answers-title" class="mb-4">
            <h2 id="answers-title" class="h4">{ctx.t("submit.answers_title")}</h2>
            <dl class="row" id="answers">{answers}</dl>
        </section>
        {body}
        <p class="mt-4"><a href="/candidacies">{ctx.t("submit.back_to_list")}</a></p>
    };
    render(ctx, &title, page.into_any())
}

fn check(
    ctx: &PageCtx,
    head: &CandidacyHead,
    s: &SubmissionView,
    form: &FormState,
) -> impl IntoView {
    let lang = ctx.lang;
    // A reply to a request for integration has the request's own due date.
    let deadline = match &head.reopened {
        Some(r) => ctx
            .t("submit.reply_by")
            .replace("{when}", &super::format_date(lang, &r.due)),
        None => ctx
            .t("submit.deadline")
            .replace("{when}", &format_datetime(lang, &s.deadline))
            .replace("{left}", &days_left(ctx, s.days_left)),
    };
    let replying = head.reopened.is_some();
    if s.closed {
        return view! {
            <div class="alert alert-danger" role="alert" id="submit-closed"><p class="mb-0">{ctx.t("submit.closed")}</p></div>
            <p>{deadline}</p>
        }
        .into_any();
    }
    let gaps = s
        .gaps
        .iter()
        .map(|(key, href)| view! { <li><a href=href.clone()>{ctx.t(key)}</a></li> })
        .collect::<Vec<_>>();
    let ready = s.gaps.is_empty();
    let action = format!("/candidacies/{}/submit", head.id);
    view! {
        <p>{deadline}</p>
        {(!ready).then(|| view! {
            <section aria-labelledby="gaps-title" class="alert alert-warning">
                <h2 id="gaps-title" class="h5">{ctx.t("submit.gaps_title")}</h2>
                <ul id="gaps" class="mb-0">{gaps}</ul>
            </section>
        })}
        {ready.then(|| view! {
            <Notice text=ctx.t("submit.ready") kind="alert-success" />
            <form method="post" action=action novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                {replying.then(|| view! {
                    <ErrorSummary lang form=form.clone() labels=vec![("reply", "submit.reply")] />
                    <TextAreaField lang form=form.clone() name="reply" label="submit.reply" hint="submit.reply_hint" required=false />
                })}
                <p>{ctx.t("submit.declaration")}</p>
                <button id="submit-candidacy" type="submit" class="btn btn-primary">{ctx.t(if replying { "submit.submit_reply" } else { "submit.submit" })}</button>
            </form>
        })}
    }
    .into_any()
}

fn days_left(ctx: &PageCtx, days: i64) -> String {
    match days {
        0 => ctx.t("submit.left_today"),
        1 => ctx.t("submit.left_one"),
        n => ctx.t("submit.left_many").replace("{days}", &n.to_string()),
    }
}

fn summary(
    ctx: &PageCtx,
    head: &CandidacyHead,
    s: &SubmissionView,
    form: &FormState,
) -> impl IntoView {
    let lang = ctx.lang;
    let submitted = s.submitted.as_ref().map(|at| {
        ctx.t("submit.submitted_on")
            .replace("{reference}", s.reference.as_deref().unwrap_or(""))
            .replace("{when}", &format_datetime(lang, at))
    });
    let receipt = s.has_receipt.then(|| {
        view! {
            <p><a id="receipt" href=format!("/candidacies/{}/receipt.pdf", head.id) download=true>{ctx.t("submit.receipt")}</a></p>
        }
    });
    let withdraw = s.withdrawable.then(|| {
        let action = format!("/candidacies/{}/withdraw", head.id);
        view! {
            <section class="mt-5 col-lg-8" aria-labelledby="withdraw-title">
                <h2 id="withdraw-title" class="h4">{ctx.t("submit.withdraw_title")}</h2>
                <p>{ctx.t("submit.withdraw_intro")}</p>
                <ErrorSummary lang form=form.clone() labels=vec![("confirm", "submit.withdraw_confirm")] />
                <form method="post" action=action novalidate=true>
                    <CsrfField token=ctx.csrf.clone() />
                    <CheckField lang form=form.clone() name="confirm" label="submit.withdraw_confirm" />
                    <button id="withdraw" type="submit" class="btn btn-outline-danger">{ctx.t("submit.withdraw")}</button>
                </form>
            </section>
        }
    });
    view! {
        {submitted.map(|text| view! { <div class="alert alert-success" role="status" id="submitted"><p class="mb-0">{text}</p></div> })}
        {s.withdrawn.then(|| view! { <Notice text=ctx.t("submit.withdrawn") kind="alert-info" /> })}
        {s.read_only.then(|| view! { <Notice text=ctx.t("candidacy.read_only") kind="alert-info" /> })}
        {(!s.withdrawn && !s.read_only).then(|| view! { <p>{ctx.t("submit.locked")}</p> })}
        {receipt}
        {withdraw}
    }
}
