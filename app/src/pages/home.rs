use crate::islands::countdown::{Countdown, CountdownLabels};
use crate::page::{render_with_islands, PageCtx};
use crate::pages::format_datetime;
use crate::view_data::DeadlineView;
use leptos::prelude::*;

pub fn home(ctx: &PageCtx, deadline: &DeadlineView) -> String {
    let t = |k: &str| ctx.t(k);
    let closes = format_datetime(ctx.lang, &deadline.closes_at);
    let deadline_text = if deadline.is_open() {
        format!("{} {closes}.", t("home.deadline_body"))
    } else {
        format!("{} {closes}.", t("home.deadline_closed"))
    };
    let labels = CountdownLabels {
        days: t("countdown.days"),
        hours: t("countdown.hours"),
        minutes: t("countdown.minutes"),
        seconds: t("countdown.seconds"),
        closed: t("countdown.closed"),
    };
    let body = view! {
        <div class="row">
            <div class="col-lg-8">
                <h1>{t("home.title")}</h1>
                <p class="lead">{t("home.lead")}</p>
                <h2 class="h3 mt-4">{t("home.what_title")}</h2>
                <p>{t("home.what_body")}</p>
                <h2 class="h3 mt-4">{t("home.who_title")}</h2>
                <p>{t("home.who_body")}</p>
                <h2 class="h3 mt-4">{t("home.how_title")}</h2>
                <ol>
                    <li>{t("home.how_step1")}</li>
                    <li>{t("home.how_step2")}</li>
                    <li>{t("home.how_step3")}</li>
                    <li>{t("home.how_step4")}</li>
                </ol>
            </div>
            <aside class="col-lg-4">
                <section class="card card-bg deadline-card" aria-labelledby="deadline-title">
                    <div class="card-body">
                        <h2 id="deadline-title" class="h4">{t("home.deadline_title")}</h2>
                        <p id="deadline-text">{deadline_text}</p>
                        <h3 class="h6">{t("home.time_left")}</h3>
                        <Countdown
                            deadline_ms=deadline.closes_at_epoch_ms
                            now_ms=deadline.now_epoch_ms
                            labels=labels
                        />
                    </div>
                </section>
                <ul class="cta-list">
                    <li id="submit"><a class="btn btn-primary w-100" href="/register">{t("home.cta_submit")}</a></li>
                    <li id="catalogue">
                        <a class="btn btn-outline-primary w-100" href=t("catalogue.path")>{t("home.cta_catalogue")}</a>
                    </li>
                    <li id="assistance">
                        <span class="btn btn-outline-primary w-100 disabled-link">
                            {t("home.cta_assistance")} " (" {t("site.coming_soon")} ")"
                        </span>
                    </li>
                </ul>
            </aside>
        </div>
    };
    render_with_islands(ctx, &t("site.name"), body.into_any())
}
