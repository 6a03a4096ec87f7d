//! The audit log as staff read it: one candidacy's timeline, or the whole
//! log for an administrator, with the check of its hash chain. Read-only:
//! nothing on these pages changes anything.

use super::format_datetime;
use crate::page::{render, PageCtx};
use crate::view_data::{AuditLine, AuditView};
use leptos::prelude::*;

pub fn audit(ctx: &PageCtx, v: &AuditView) -> String {
    let title = match &v.candidacy {
        Some((reference, _)) => ctx
            .t("audit.title_candidacy")
            .replace("{reference}", reference),
        None => ctx.t("audit.title"),
    };
    let crumb = v.candidacy.as_ref().map(|(reference, href)| {
        view! { <p class="text-muted mb-1"><a href=href.clone()>{reference.clone()}</a> " › " {ctx.t("audit.crumb")}</p> }
    });
    let verdict = v.verdict.as_ref().map(|(key, detail)| {
        let class = if *key == "audit.intact" {
            "alert alert-success"
        } else {
            "alert alert-danger"
        };
        view! {
            <div class=class role="status" id="verdict">
                <p class="mb-0">{ctx.t(key)}</p>
                <p class="mb-0 text-break"><code>{detail.clone()}</code></p>
            </div>
        }
    });
    let verify = v.verify_href.as_ref().map(|href| {
        view! { <a class="btn btn-outline-primary me-2" id="verify" href=href.clone()>{ctx.t("audit.verify")}</a> }
    });
    let table = if v.lines.is_empty() {
        view! { <p id="audit-empty">{ctx.t("audit.empty")}</p> }.into_any()
    } else {
        lines(ctx, &v.lines, v.candidacy.is_none(), &title).into_any()
    };
    let older = v.older_href.as_ref().map(|href| {
        view! { <p><a href=href.clone() id="older">{ctx.t("audit.older")}</a></p> }
    });
    let body = view! {
        {crumb}
        <h1>{title.clone()}</h1>
        <p>{ctx.t("audit.intro")}</p>
        {verdict}
        <p>
            {verify}
            <a class="btn btn-outline-primary" id="audit-csv" href=v.csv_href.clone() download="">{ctx.t("audit.csv")}</a>
        </p>
        {table}
        {older}
    };
    render(ctx, &title, body.into_any())
}

fn lines(ctx: &PageCtx, lines: &[AuditLine], whole: bool, caption: &str) -> impl IntoView {
    let lang = ctx.lang;
    let rows = lines
        .iter()
        .map(|l| {
            let change = (!l.old.is_empty() || !l.new.is_empty()).then(|| {
                let old = if l.old.is_empty() { "–".to_string() } else { l.old.clone() };
                let new = if l.new.is_empty() { "–".to_string() } else { l.new.clone() };
                view! { <span class="audit-change">{old} " → " {new}</span> }
            });
            let candidacy = whole.then(|| {
                let link = l.candidacy.as_ref().map(|(reference, href)| {
                    view! { <a href=href.clone()>{reference.clone()}</a> }
                });
                view! { <td role="cell" data-label=ctx.t("audit.candidacy")>{link}</td> }
            });
            view! {
                <tr role="row">
                    <td role="cell" data-label=ctx.t("audit.seq")>{l.seq}</td>
                    <td role="cell" data-label=ctx.t("audit.when")>{format_datetime(lang, &l.at)}</td>
                    <td role="cell" data-label=ctx.t("audit.who")>{l.who.clone()}</td>
                    {candidacy}
                    <td role="cell" data-label=ctx.t("audit.what")>
                        <strong>{ctx.t(l.action)}</strong>
                        {(!l.subject.is_empty()).then(|| view! { <span>": " {l.subject.clone()}</span> })}
                    </td>
                    <td role="cell" data-label=ctx.t("audit.change")>{change}</td>
                    <td role="cell" data-label=ctx.t("audit.why")><span class="history-note">{l.note.clone()}</span></td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let candidacy_head = whole
        .then(|| view! { <th scope="col" role="columnheader">{ctx.t("audit.candidacy")}</th> });
    view! {
        <div class="table-responsive">
            <table class="table table-stack" id="audit" role="table">
                <caption class="visually-hidden">{caption.to_string()}</caption>
                <thead role="rowgroup"><tr role="row">
                    <th scope="col" role="columnheader">{ctx.t("audit.seq")}</th>
                    <th scope="col" role="columnheader">{ctx.t("audit.when")}</th>
                    <th scope="col" role="columnheader">{ctx.t("audit.who")}</th>
                    {candidacy_head}
                    <th scope="col" role="columnheader">{ctx.t("audit.what")}</th>
                    <th scope="col" role="columnheader">{ctx.t("audit.change")}</th>
                    <th scope="col" role="columnheader">{ctx.t("audit.why")}</th>
                </tr></thead>
                <tbody role="rowgroup">{rows}</tbody>
            </table>
        </div>
    }
}
