//! /staff/dashboard: `review::dashboard`'s figures in the officer's
//! language, each linked to the queue that lists them where it can.

use crate::error::AppResult;
use crate::review::dashboard::{self, Figures};
use crate::web::candidacies::status_name;
use crate::web::context::Ctx;
use crate::web::extract::Officer;
use crate::web::page;
use app::i18n::t;
use app::view_data::DashboardView;
use app::Lang;
use axum::http::StatusCode;
use axum::response::Response;
use forms::reference::Municipalities;
use forms::Kind;

pub async fn show(ctx: Ctx, Officer(_): Officer) -> AppResult<Response> {
    let figures = dashboard::figures(&ctx.state.db, ctx.state.clock.now()).await?;
    let view = shown(ctx.lang, figures);
    Ok(page(
        StatusCode::OK,
        app::pages::dashboard::dashboard(&ctx.page(), &view),
    ))
}

fn shown(lang: Lang, f: Figures) -> DashboardView {
    let queue = |q: String| Some(format!("/staff?{q}"));
    let by_status = f
        .by_status
        .iter()
        .map(|(s, n)| {
            (
                t(lang, status_name(*s)),
                *n,
                queue(format!("status={}", s.as_str())),
            )
        })
        .collect();
    let places = Municipalities::get();
    let by_province = f
        .by_province
        .into_iter()
        .map(|(code, n)| match places.province_name(&code) {
            Some(name) => (name.to_string(), n, queue(format!("province={code}"))),
            None => (t(lang, "dashboard.no_place"), n, None),
        })
        .collect();
    let by_kind = f
        .by_kind
        .into_iter()
        .map(|(code, n)| match Kind::from_code(&code) {
            Some(Kind::Settlement) => (
                t(lang, "candidacy.kind_a"),
                n,
                queue(format!("kind={code}")),
            ),
            Some(Kind::Investment) => (
                t(lang, "candidacy.kind_b"),
                n,
                queue(format!("kind={code}")),
            ),
            None => (code, n, None),
        })
        .collect();
    let backlog = f
        .backlog
        .iter()
        .enumerate()
        .map(|(i, n)| (t(lang, &format!("dashboard.age_{i}")), *n, None))
        .collect();
    DashboardView {
        by_status,
        by_province,
        by_kind,
        backlog,
        decision_days: f.decision_days,
        decided: f.decided,
        reply_days: f.reply_days,
        replied: f.replied,
        overdue: f.overdue,
    }
}
