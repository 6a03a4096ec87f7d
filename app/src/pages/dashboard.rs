//! /staff/dashboard: the back office's figures. Each chart is a table of
//! the figures whose rows carry their bars, drawn here as SVG (no script,
//! no chart library): screen readers read the table, eyes see the bars.

use crate::page::{render, PageCtx};
use crate::view_data::DashboardView;
use leptos::prelude::*;

/// Bars' colour: Bootstrap Italia's primary blue, 5.9:1 on white (WCAG
/// 1.4.11 asks 3:1 of graphics).
const BAR: &str = "#0066cc";

pub fn dashboard(ctx: &PageCtx, v: &DashboardView) -> String {
    let title = ctx.t("dashboard.title");
    let days = |d: Option<f64>| match d {
        Some(d) => format_days(ctx, d),
        None => "–".to_string(),
    };
    let tiles = [
        (
            "tile-decision",
            ctx.t("dashboard.decision_days"),
            days(v.decision_days),
            ctx.t("dashboard.decided")
                .replace("{n}", &v.decided.to_string()),
        ),
        (
            "tile-reply",
            ctx.t("dashboard.reply_days"),
            days(v.reply_days),
            ctx.t("dashboard.replied")
                .replace("{n}", &v.replied.to_string()),
        ),
        (
            "tile-overdue",
            ctx.t("dashboard.overdue"),
            v.overdue.to_string(),
            String::new(),
        ),
    ]
    .into_iter()
    .map(|(id, label, value, note)| {
        view! {
            <div class="col-md-4 mb-3">
                <div class="card card-bg h-100" id=id>
                    <div class="card-body">
                        <p class="mb-1">{label}</p>
                        <p class="h2 mb-1">{value}</p>
                        <p class="small mb-0">{note}</p>
                    </div>
                </div>
            </div>
        }
    })
    .collect::<Vec<_>>();
    let body = view! {
        <p class="text-muted mb-1"><a href="/staff">{ctx.t("review.queue_title")}</a> " › " {ctx.t("dashboard.crumb")}</p>
        <h1>{title.clone()}</h1>
        <p>{ctx.t("dashboard.intro")}</p>
        <div class="row mt-4">{tiles}</div>
        {chart(ctx, "status", ctx.t("dashboard.by_status"), &v.by_status)}
        {chart(ctx, "backlog", ctx.t("dashboard.backlog"), &v.backlog)}
        {chart(ctx, "province", ctx.t("dashboard.by_province"), &v.by_province)}
        {chart(ctx, "kind", ctx.t("dashboard.by_kind"), &v.by_kind)}
    };
    render(ctx, &title, body.into_any())
}

/// "12,5 giorni" / "12.5 days".
fn format_days(ctx: &PageCtx, d: f64) -> String {
    let n = format!("{d:.1}");
    let n = if ctx.lang == crate::i18n::Lang::It {
        n.replace('.', ",")
    } else {
        n
    };
    ctx.t("dashboard.days").replace("{n}", &n)
}

/// A bar chart that is also its own data table: each row's label and count
/// are table cells (read by screen readers, contrast checked like any
/// text), and its bar an SVG drawn here, hidden from assistive technology.
fn chart(
    ctx: &PageCtx,
    id: &str,
    title: String,
    rows: &[(String, u64, Option<String>)],
) -> impl IntoView {
    const BAR_W: u64 = 320;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let lines = rows
        .iter()
        .map(|(label, n, href)| {
            let label = match href {
                Some(href) => view! { <a href=href.clone()>{label.clone()}</a> }.into_any(),
                None => view! { <span>{label.clone()}</span> }.into_any(),
            };
            let w = (BAR_W * n).div_ceil(max);
            view! {
                <tr>
                    <th scope="row">{label}</th>
                    <td class="text-end">{n.to_string()}</td>
                    <td class="dashboard-bar">
                        <svg aria-hidden="true" focusable="false" class="dashboard-chart"
                            viewBox=format!("0 0 {BAR_W} 18") width="100%" height="18"
                            preserveAspectRatio="none">
                            <rect x="0" y="0" width=w height="18" fill=BAR></rect>
                        </svg>
                    </td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let heading = format!("chart-{id}");
    let labelled_by = heading.clone();
    let section_id = format!("section-{id}");
    view! {
        <section class="mt-5" aria-labelledby=labelled_by id=section_id>
            <h2 class="h4" id=heading>{title.clone()}</h2>
            <table class="table table-sm dashboard-table">
                <caption class="visually-hidden">{title}</caption>
                <thead><tr>
                    <th scope="col">{ctx.t("dashboard.item")}</th>
                    <th scope="col" class="text-end">{ctx.t("dashboard.count")}</th>
                    <th scope="col"><span class="visually-hidden">{ctx.t("dashboard.bar")}</span></th>
                </tr></thead>
                <tbody>{lines}</tbody>
            </table>
        </section>
    }
}
