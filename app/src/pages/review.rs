//! The back office: the review queue (filters in the query string, a GET form
//! that works without JavaScript) and one candidacy under review, with the
//! officer's moves.

use super::catalogue::site_card;
use super::format_datetime;
use crate::components::{CsrfField, ErrorSummary, Field, FilterField, Notice, TextAreaField};
use crate::islands::file_chooser::describe;
use crate::page::{render, PageCtx};
use crate::view_data::{
    AskView, ClockView, FormState, PublishView, QueueRow, QueueView, RequestView, ReviewView,
};
use leptos::prelude::*;

pub fn queue(ctx: &PageCtx, q: &QueueView) -> String {
    let lang = ctx.lang;
    let title = ctx.t("review.queue_title");
    let counts = q
        .counts
        .iter()
        .map(|s| {
            let current = s.selected.then_some("page");
            view! {
                <li class="list-inline-item mb-2">
                    <a href=s.href.clone() class="btn btn-outline-primary btn-sm" aria-current=current>
                        {ctx.t(s.name)} " (" {s.count} ")"
                    </a>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let any = |key: &str| vec![(String::new(), ctx.t(key))];
    let mut statuses = any("review.any_status");
    statuses.extend(q.counts.iter().map(|s| (s.code.to_string(), ctx.t(s.name))));
    let mut provinces = any("review.any_province");
    provinces.extend(q.provinces.iter().cloned());
    let mut kinds = any("review.any_kind");
    kinds.extend([
        ("a".to_string(), ctx.t("candidacy.kind_a")),
        ("b".to_string(), ctx.t("candidacy.kind_b")),
    ]);
    let mut in_charge = any("review.in_charge_anyone");
    in_charge.extend([
        ("me".to_string(), ctx.t("review.in_charge_me")),
        ("nobody".to_string(), ctx.t("review.in_charge_nobody")),
    ]);
    let mut reply = any("review.reply_any");
    reply.push(("overdue".to_string(), ctx.t("review.reply_filter_overdue")));
    let mut filed = any("review.filed_anyone");
    filed.push(("delegate".to_string(), ctx.t("review.filed_delegate")));
    let sorts = vec![
        (String::new(), ctx.t("review.sort_oldest")),
        ("newest".to_string(), ctx.t("review.sort_newest")),
    ];
    let f = &q.filters;
    let results = if q.rows.is_empty() {
        view! { <p id="queue-empty">{ctx.t("review.queue_empty")}</p> }.into_any()
    } else {
        queue_table(ctx, &q.rows, &title).into_any()
    };
    let pages = (q.pages > 1).then(|| {
        let label = ctx
            .t("review.page_of")
            .replace("{page}", &q.page.to_string())
            .replace("{pages}", &q.pages.to_string());
        view! {
            <nav aria-label=ctx.t("review.pages") class="mt-3">
                <ul class="list-inline">
                    {q.previous.clone().map(|href| view! { <li class="list-inline-item"><a href=href rel="prev">{ctx.t("review.previous")}</a></li> })}
                    <li class="list-inline-item" aria-current="page">{label}</li>
                    {q.next.clone().map(|href| view! { <li class="list-inline-item"><a href=href rel="next">{ctx.t("review.next")}</a></li> })}
                </ul>
            </nav>
        }
    });
    let found = ctx
        .t("review.found")
        .replace("{count}", &q.total.to_string());
    let body = view! {
        <h1>{title.clone()}</h1>
        <p>{ctx.t("review.queue_intro")}</p>
        <nav aria-label=ctx.t("review.by_status")>
            <ul class="list-inline" id="status-counts">{counts}</ul>
        </nav>
        <form method="get" action="/staff" class="queue-filters row g-3 mb-4" aria-label=ctx.t("review.filters")>
            <div class="col-md-4"><FilterField lang form=f.clone() name="status" label="candidacy.status" options=statuses /></div>
            <div class="col-md-4"><FilterField lang form=f.clone() name="province" label="review.province" options=provinces /></div>
            <div class="col-md-4"><FilterField lang form=f.clone() name="kind" label="candidacy.kind" options=kinds /></div>
            <div class="col-md-4"><FilterField lang form=f.clone() name="officer" label="review.in_charge" options=in_charge /></div>
            <div class="col-md-4"><FilterField lang form=f.clone() name="filed" label="review.filed_by" options=filed /></div>
            <div class="col-md-4"><FilterField lang form=f.clone() name="sort" label="review.sort" options=sorts /></div>
            <div class="col-md-4"><FilterField lang form=f.clone() name="reply" label="review.reply_filter" options=reply /></div>
            <div class="col-md-4"><Field lang form=f.clone() name="waiting" label="review.waiting" kind="number" hint="review.waiting_hint" required=false /></div>
            <div class="col-md-8"><Field lang form=f.clone() name="q" label="review.search" hint="review.search_hint" required=false /></div>
            <div class="col-12">
                <button type="submit" class="btn btn-primary">{ctx.t("review.apply")}</button>
                <a href="/staff" class="btn btn-link">{ctx.t("review.reset")}</a>
            </div>
        </form>
        <p id="queue-total" role="status">{found}</p>
        {results}
        {pages}
        {exports(ctx, &q.export_query)}
    };
    render(ctx, &title, body.into_any())
}

/// Links to the whole filtered list as files (every page, every field).
fn exports(ctx: &PageCtx, query: &str) -> impl IntoView {
    let href = |ext: &str| match query {
        "" => format!("/staff/export.{ext}"),
        q => format!("/staff/export.{ext}?{q}"),
    };
    view! {
        <section aria-labelledby="exports-title" class="mt-4" id="exports">
            <h2 id="exports-title" class="h4">{ctx.t("review.exports")}</h2>
            <p class="mb-1">{ctx.t("review.exports_hint")}</p>
            <ul class="list-inline">
                <li class="list-inline-item"><a href=href("xlsx") download="">{ctx.t("review.export_xlsx")}</a></li>
                <li class="list-inline-item"><a href=href("csv") download="">{ctx.t("review.export_csv")}</a></li>
                <li class="list-inline-item"><a href=href("geojson") download="">{ctx.t("review.export_geojson")}</a></li>
            </ul>
        </section>
    }
}

/// The days left to decide, in a cell: "12 giorni rimasti", "sospeso",
/// "oltre di 3 giorni", and the reply overdue in words, not colour alone.
fn clock_cell(ctx: &PageCtx, clock: Option<ClockView>) -> impl IntoView {
    let k = clock?;
    let left = if k.left >= 0 {
        ctx.t("review.clock_left")
            .replace("{left}", &k.left.to_string())
    } else {
        ctx.t("review.clock_past")
            .replace("{days}", &(-k.left).to_string())
    };
    let text = if k.stopped {
        format!("{left} ({})", ctx.t("review.clock_paused"))
    } else {
        left
    };
    let late = k
        .reply_overdue
        .then(|| view! { <br /><strong class="text-danger">{ctx.t("review.reply_late")}</strong> });
    let class = (k.left < 0).then_some("text-danger fw-semibold");
    Some(view! { <span class=class>{text}</span>{late} })
}

fn queue_table(ctx: &PageCtx, rows: &[QueueRow], caption: &str) -> impl IntoView {
    let lang = ctx.lang;
    let lines = rows
        .iter()
        .map(|r| {
            let href = r.href.clone();
            let submitted = r.submitted.map(|s| format_datetime(lang, &s)).unwrap_or_default();
            let officer = r.officer.clone().unwrap_or_else(|| ctx.t("review.nobody"));
            let kind = if r.delegated {
                format!("{} ({})", ctx.t(r.kind), ctx.t("review.by_delegate"))
            } else {
                ctx.t(r.kind)
            };
            view! {
                <tr role="row">
                    <td role="cell" data-label=ctx.t("review.reference")><a href=href>{r.reference.clone()}</a></td>
                    <td role="cell" data-label=ctx.t("candidacy.kind")>{kind}</td>
                    <td role="cell" data-label=ctx.t("candidacy.place")>{if r.place.is_empty() { "–".to_string() } else { r.place.clone() }}</td>
                    <td role="cell" data-label=ctx.t("candidacy.status")>{ctx.t(r.status)}</td>
                    <td role="cell" data-label=ctx.t("review.submitted")>{submitted}</td>
                    <td role="cell" data-label=ctx.t("review.days_waiting")>{r.days_waiting}</td>
                    <td role="cell" data-label=ctx.t("review.clock")>{clock_cell(ctx, r.clock)}</td>
                    <td role="cell" data-label=ctx.t("review.in_charge")>{officer}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="table-responsive">
            <table class="table table-stack" id="queue" role="table">
                <caption class="visually-hidden">{caption.to_string()}</caption>
                <thead role="rowgroup"><tr role="row">
                    <th scope="col" role="columnheader">{ctx.t("review.reference")}</th>
                    <th scope="col" role="columnheader">{ctx.t("candidacy.kind")}</th>
                    <th scope="col" role="columnheader">{ctx.t("candidacy.place")}</th>
                    <th scope="col" role="columnheader">{ctx.t("candidacy.status")}</th>
                    <th scope="col" role="columnheader">{ctx.t("review.submitted")}</th>
                    <th scope="col" role="columnheader">{ctx.t("review.days_waiting")}</th>
                    <th scope="col" role="columnheader">{ctx.t("review.clock")}</th>
                    <th scope="col" role="columnheader">{ctx.t("review.in_charge")}</th>
                </tr></thead>
                <tbody role="rowgroup">{lines}</tbody>
            </table>
        </div>
    }
}

/// One candidacy under review. `form` carries the reasons typed for a
/// rejection that came back with an error.
pub fn candidacy(ctx: &PageCtx, r: &ReviewView, form: &FormState) -> String {
    let lang = ctx.lang;
    let title = ctx
        .t("review.candidacy_title")
        .replace("{reference}", &r.reference);
    let facts = [
        ("candidacy.kind", ctx.t(r.kind)),
        ("candidacy.status", ctx.t(r.status)),
        (
            "review.submitted",
            r.submitted
                .map(|s| format_datetime(lang, &s))
                .unwrap_or_default(),
        ),
        ("review.days_waiting", r.days_waiting.to_string()),
        (
            "review.in_charge",
            r.officer.clone().unwrap_or_else(|| ctx.t("review.nobody")),
        ),
        (
            "review.clock",
            r.clock
                .map(|k| {
                    let key = if k.stopped {
                        "review.clock_stopped"
                    } else {
                        "review.clock_running"
                    };
                    ctx.t(key)
                        .replace("{used}", &k.used.to_string())
                        .replace("{left}", &k.left.to_string())
                })
                .unwrap_or_default(),
        ),
        (
            "review.online",
            r.online
                .map(|(version, since)| {
                    ctx.t("review.online_since")
                        .replace("{version}", &version.to_string())
                        .replace("{since}", &format_datetime(lang, &since))
                })
                .unwrap_or_else(|| ctx.t("review.offline")),
        ),
    ];
    let body = view! {
        <p class="text-muted mb-1"><a href=r.back.clone()>{ctx.t("review.queue_title")}</a> " › " {r.reference.clone()}</p>
        <h1>{title.clone()}</h1>
        {pairs(facts.iter().map(|(k, v)| (ctx.t(k), v.clone())).collect(), "facts").into_any()}
        {r.taken_by.clone().map(|who| view! {
            <Notice text=ctx.t("review.taken_by").replace("{officer}", &who) kind="alert-warning" />
        })}
        {too_late(ctx, r, form).into_any()}
        {actions(ctx, r, form).into_any()}
        <section aria-labelledby="parties-title" class="mt-5">
            <h2 id="parties-title" class="h3">{ctx.t("review.parties")}</h2>
            {pairs(r.parties.iter().map(|(k, v)| (ctx.t(k), v.clone())).collect(), "parties").into_any()}
        </section>
        <section aria-labelledby="site-title" class="mt-4">
            <h2 id="site-title" class="h3">{ctx.t("review.site")}</h2>
            {pairs(r.site.iter().map(|(k, v)| (ctx.t(k), v.clone())).collect(), "site").into_any()}
            {r.map.as_ref().map(|m| crate::map::lombardy_map(m, "site-map"))}
        </section>
        {checks(ctx, r).into_any()}
        {requests(ctx, r).into_any()}
        {template(ctx, r).into_any()}
        {documents(ctx, r).into_any()}
        {notes(ctx, r, form).into_any()}
        {history(ctx, r).into_any()}
    };
    render(ctx, &title, body.into_any())
}

/// A move that came too late (a colleague decided, the proponent withdrew,
/// another administrator reassigned): say so, and when the page no longer
/// offers to decide, show the reasons as typed so they are not lost.
fn too_late(ctx: &PageCtx, r: &ReviewView, form: &FormState) -> impl IntoView {
    let key = form.error("decision")?;
    // The field the reasons were typed in, and whether its form is still here.
    let field = form.value("typed_in");
    let offered = match field.as_str() {
        "reasons" => r.can_decide,
        "unpublish_reasons" => r.can_unpublish,
        "revise_reasons" => r.can_revise,
        _ => true,
    };
    let reasons = form.value(&field);
    let kept = (!offered && !reasons.is_empty()).then(|| {
        view! {
            <p class="mb-1 mt-2">{ctx.t("review.reasons_typed")}</p>
            <pre class="mb-0 text-wrap" id="reasons-typed">{reasons}</pre>
        }
    });
    Some(view! {
        <div class="alert alert-warning" role="alert" id="decision-error">
            <p class="mb-0">{ctx.t(key)}</p>
            {kept}
        </div>
    })
}

/// A definition list of (label, value).
fn pairs(items: Vec<(String, String)>, id: &'static str) -> impl IntoView {
    let items = items
        .into_iter()
        .map(|(k, v)| view! { <dt class="col-sm-4">{k}</dt><dd class="col-sm-8">{if v.is_empty() { "–".to_string() } else { v }}</dd> })
        .collect::<Vec<_>>();
    view! { <dl class="row" id=id>{items}</dl> }
}

/// Take in charge, or decide: only what the officer may do now.
fn actions(ctx: &PageCtx, r: &ReviewView, form: &FormState) -> impl IntoView {
    let lang = ctx.lang;
    let take = r.can_take.then(|| {
        view! {
            <form method="post" action=format!("/staff/candidacies/{}/take", r.id)>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="from" value=r.from.clone() />
                <button type="submit" class="btn btn-primary" id="take">{ctx.t("review.take")}</button>
            </form>
        }
    });
    let decide = r.can_decide.then(|| {
        let action = format!("/staff/candidacies/{}/decide", r.id);
        view! {
            <div class="row">
                <form method="post" action=action.clone() class="col-lg-4 mb-4">
                    <CsrfField token=ctx.csrf.clone() />
                    <input type="hidden" name="decision" value="validate" />
                    <input type="hidden" name="from" value=r.from.clone() />
                    <p>{ctx.t("review.validate_hint")}</p>
                    <button type="submit" class="btn btn-success" id="validate">{ctx.t("review.validate")}</button>
                </form>
                <form method="post" action=action class="col-lg-8" novalidate=true>
                    <CsrfField token=ctx.csrf.clone() />
                    <input type="hidden" name="decision" value="reject" />
                    <input type="hidden" name="from" value=r.from.clone() />
                    <ErrorSummary lang form=form.only(&["reasons"]) labels=vec![("reasons", "review.reasons")] />
                    {reason_templates(ctx, r).into_any()}
                    <TextAreaField lang form=form.only(&["reasons"]) name="reasons" label="review.reasons" hint="review.reasons_hint" />
                    <button type="submit" class="btn btn-danger" id="reject">{ctx.t("review.reject")}</button>
                </form>
            </div>
        }
    });
    let ask = r.ask_href.clone().map(|href| {
        view! {
            <p class="mt-2"><a class="btn btn-outline-primary" id="ask" href=href>{ctx.t("review.ask")}</a>
            " " <span class="text-muted">{ctx.t("review.ask_hint")}</span></p>
        }
    });
    let reassign = (!r.reassign.is_empty()).then(|| {
        // Nothing chosen until the administrator chooses: one click must not
        // give the candidacy to whoever comes first in the list.
        let mut choices = vec![(String::new(), ctx.t("review.reassign_choose"))];
        choices.extend(r.reassign.iter().cloned());
        view! {
            <form method="post" action=format!("/staff/candidacies/{}/assign", r.id) class="row g-2 align-items-end mt-3" id="reassign">
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="from" value=r.from.clone() />
                <div class="col-md-6"><FilterField lang form=form.only(&["officer"]) name="officer" label="review.reassign_to" options=choices /></div>
                <div class="col-md-6 mb-3"><button type="submit" class="btn btn-outline-primary">{ctx.t("review.reassign")}</button></div>
            </form>
        }
    });
    let publish = r.publish_href.clone().map(|href| {
        view! {
            <p class="mt-2"><a class="btn btn-primary" id="publish" href=href>{ctx.t("review.publish")}</a>
            " " <span class="text-muted">{ctx.t("review.publish_hint")}</span></p>
        }
    });
    let offline = (r.can_unpublish || r.can_revise).then(|| published_actions(ctx, r, form));
    let any = r.can_take
        || r.can_decide
        || r.ask_href.is_some()
        || !r.reassign.is_empty()
        || r.publish_href.is_some()
        || r.can_unpublish
        || r.can_revise;
    any.then(|| {
        view! {
            <section aria-labelledby="actions-title" class="mt-4 p-3 border rounded">
                <h2 id="actions-title" class="h3">{ctx.t("review.actions")}</h2>
                {take}
                {decide}
                {ask}
                {publish}
                {offline}
                {reassign}
            </section>
        }
    })
}

/// Links that fill the rejection's text from a template (without JavaScript:
/// the page comes back with the text in the field, to complete).
fn reason_templates(ctx: &PageCtx, r: &ReviewView) -> impl IntoView {
    (!r.reason_templates.is_empty()).then(|| {
        let links = r
            .reason_templates
            .iter()
            .map(|(title, href)| view! { <li class="list-inline-item"><a href=href.clone()>{title.clone()}</a></li> })
            .collect::<Vec<_>>();
        view! {
            <p class="mb-1" id="reason-templates-title">{ctx.t("review.reason_templates")}</p>
            <ul class="list-inline mb-2" aria-labelledby="reason-templates-title">{links}</ul>
        }
    })
}

/// On a published candidacy: take it offline, or review it again while the
/// version online stays; each with its reasons, kept when they come back.
fn published_actions(ctx: &PageCtx, r: &ReviewView, form: &FormState) -> impl IntoView {
    let lang = ctx.lang;
    let labels = vec![
        ("unpublish_reasons", "review.unpublish_reasons"),
        ("revise_reasons", "review.revise_reasons"),
    ];
    let unpublish = r.can_unpublish.then(|| {
        view! {
            <form method="post" action=format!("/staff/candidacies/{}/unpublish", r.id) class="col-lg-6 mb-3" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="from" value=r.from.clone() />
                <TextAreaField lang form=form.only(&["unpublish_reasons"]) name="unpublish_reasons" label="review.unpublish_reasons" hint="review.unpublish_hint" />
                <button type="submit" class="btn btn-danger" id="unpublish">{ctx.t("review.unpublish")}</button>
            </form>
        }
    });
    let revise = r.can_revise.then(|| {
        view! {
            <form method="post" action=format!("/staff/candidacies/{}/revise", r.id) class="col-lg-6 mb-3" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="from" value=r.from.clone() />
                <TextAreaField lang form=form.only(&["revise_reasons"]) name="revise_reasons" label="review.revise_reasons" hint="review.revise_hint" />
                <button type="submit" class="btn btn-outline-primary" id="revise">{ctx.t("review.revise")}</button>
            </form>
        }
    });
    view! {
        <ErrorSummary lang form=form.only(&["unpublish_reasons", "revise_reasons"]) labels=labels />
        <div class="row mt-2">{unpublish}{revise}</div>
    }
}

fn template(ctx: &PageCtx, r: &ReviewView) -> impl IntoView {
    let findings = r
        .findings
        .iter()
        .map(|(severity, text)| view! { <li class=format!("finding-{severity}")>{text.clone()}</li> })
        .collect::<Vec<_>>();
    let sections = r
        .template
        .iter()
        .enumerate()
        .map(|(i, (section, answers))| {
            let rows = answers
                .iter()
                .map(|a| {
                    let problems = (!a.problems.is_empty()).then(|| {
                        view! { <div class="text-danger small">{a.problems.join(" ")}</div> }
                    });
                    view! {
                        <tr role="row">
                            <th scope="row" role="rowheader">{a.label.clone()}</th>
                            <td role="cell">{if a.typed.is_empty() { "–".to_string() } else { a.typed.clone() }}{problems}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>();
            let id = format!("section-{i}");
            view! {
                <h3 class="h5 mt-3" id=id.clone()>{section.clone()}</h3>
                <table class="table table-sm table-stack answers" role="table" aria-labelledby=id>
                    <thead role="rowgroup" class="visually-hidden"><tr role="row">
                        <th scope="col" role="columnheader">{ctx.t("review.field")}</th>
                        <th scope="col" role="columnheader">{ctx.t("review.typed")}</th>
                    </tr></thead>
                    <tbody role="rowgroup">{rows}</tbody>
                </table>
            }
        })
        .collect::<Vec<_>>();
    let empty = r
        .template
        .is_empty()
        .then(|| view! { <p>{ctx.t("review.no_template")}</p> });
    view! {
        <section aria-labelledby="template-title" class="mt-4" id="template">
            <h2 id="template-title" class="h3">{ctx.t("review.template")}</h2>
            {(!findings.is_empty()).then(|| view! { <ul id="findings">{findings}</ul> })}
            {empty}
            {sections}
        </section>
    }
}

fn documents(ctx: &PageCtx, r: &ReviewView) -> impl IntoView {
    let lang = ctx.lang;
    let rows = r
        .documents
        .iter()
        .map(|d| {
            let size = describe("{size}", "", d.size_bytes as f64);
            view! {
                <tr role="row">
                    <td role="cell" data-label=ctx.t("review.document")>{d.label.clone()}</td>
                    <td role="cell" data-label=ctx.t("review.file")>
                        {d.thumbnail.as_ref().map(|src| view! {
                            <img src=src.clone() alt=ctx.t("review.thumbnail_alt").replace("{name}", &d.name)
                                class="d-block mb-1 review-thumbnail" />
                        })}
                        <a href=d.href.clone() download="">{d.name.clone()}</a> " (" {size} ")"
                    </td>
                    <td role="cell" data-label=ctx.t("review.signature")>{d.signature.as_ref().map(|k| ctx.t(k)).unwrap_or_else(|| "–".into())}</td>
                    <td role="cell" data-label=ctx.t("review.uploaded")>{format_datetime(lang, &d.uploaded)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby="documents-title" class="mt-4">
            <h2 id="documents-title" class="h3">{ctx.t("review.documents")}</h2>
            <table class="table table-stack" id="documents" role="table">
                <caption class="visually-hidden">{ctx.t("review.documents")}</caption>
                <thead role="rowgroup"><tr role="row">
                    <th scope="col" role="columnheader">{ctx.t("review.document")}</th>
                    <th scope="col" role="columnheader">{ctx.t("review.file")}</th>
                    <th scope="col" role="columnheader">{ctx.t("review.signature")}</th>
                    <th scope="col" role="columnheader">{ctx.t("review.uploaded")}</th>
                </tr></thead>
                <tbody role="rowgroup">{rows}</tbody>
            </table>
        </section>
    }
}

/// Officers' notes, for staff only, and the form to add one (kept when it
/// comes back with an error).
fn notes(ctx: &PageCtx, r: &ReviewView, form: &FormState) -> impl IntoView {
    let lang = ctx.lang;
    let items = r
        .notes
        .iter()
        .map(|(at, who, text)| {
            view! {
                <li class="mb-2">
                    <strong>{format_datetime(lang, at)}</strong> " – " {who.clone()}
                    <p class="mb-0 history-note">{text.clone()}</p>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let none = r
        .notes
        .is_empty()
        .then(|| view! { <p>{ctx.t("review.notes_none")}</p> });
    let form = form.only(&["note"]);
    view! {
        <section aria-labelledby="notes-title" class="mt-4" id="notes">
            <h2 id="notes-title" class="h3">{ctx.t("review.notes")}</h2>
            <p class="text-muted">{ctx.t("review.notes_hint")}</p>
            {none}
            <ol id="notes-list">{items}</ol>
            <form method="post" action=format!("/staff/candidacies/{}/notes", r.id) novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="from" value=r.from.clone() />
                <TextAreaField lang form=form name="note" label="review.note_new" hint="review.note_new_hint" />
                <button type="submit" class="btn btn-outline-primary" id="add-note">{ctx.t("review.note_add")}</button>
            </form>
        </section>
    }
}

/// What the portal checked on its own: each finding led by a word, not by
/// colour alone.
fn checks(ctx: &PageCtx, r: &ReviewView) -> impl IntoView {
    let items = r
        .checks
        .iter()
        .map(|c| {
            let (class, word) = match c.ok {
                true => ("check-ok", ctx.t("review.check_ok")),
                false => ("check-warn", ctx.t("review.check_warn")),
            };
            view! { <li class=class><strong>{word}</strong> ": " {c.text.clone()}</li> }
        })
        .collect::<Vec<_>>();
    (!r.checks.is_empty()).then(|| {
        view! {
            <section aria-labelledby="checks-title" class="mt-4" id="checks">
                <h2 id="checks-title" class="h3">{ctx.t("review.checks")}</h2>
                <p class="text-muted">{ctx.t("review.checks_hint")}</p>
                <ul class="list-unstyled">{items}</ul>
            </section>
        }
    })
}

fn history(ctx: &PageCtx, r: &ReviewView) -> impl IntoView {
    let lang = ctx.lang;
    let items = r
        .history
        .iter()
        .map(|h| {
            let note = (!h.note.is_empty())
                .then(|| view! { <p class="mb-0 history-note">{h.note.clone()}</p> });
            view! {
                <li class="mb-2">
                    <strong>{format_datetime(lang, &h.at)}</strong> " – " {h.who.clone()} ": "
                    {ctx.t(h.from)} " → " {ctx.t(h.to)}
                    {note}
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby="history-title" class="mt-4">
            <h2 id="history-title" class="h3">{ctx.t("review.history")}</h2>
            <ol id="history">{items}</ol>
            <p><a href=format!("/staff/candidacies/{}/audit", r.id) id="audit-link">{ctx.t("review.audit_link")}</a></p>
        </section>
    }
}

/// Requests for integration, the latest first: what was asked, by when, the
/// reply, and what changed since (old → new).
fn requests(ctx: &PageCtx, r: &ReviewView) -> impl IntoView {
    let items = r
        .requests
        .iter()
        .enumerate()
        .map(|(i, q)| request(ctx, q, i))
        .collect::<Vec<_>>();
    (!r.requests.is_empty()).then(|| {
        view! {
            <section aria-labelledby="requests-title" class="mt-4" id="requests">
                <h2 id="requests-title" class="h3">{ctx.t("review.requests")}</h2>
                {items}
            </section>
        }
    })
}

fn request(ctx: &PageCtx, q: &RequestView, i: usize) -> impl IntoView {
    let lang = ctx.lang;
    let asked = ctx
        .t("review.asked_on")
        .replace("{when}", &format_datetime(lang, &q.asked))
        .replace("{officer}", &q.officer)
        .replace("{due}", &super::format_date(lang, &q.due));
    let items = q
        .items
        .iter()
        .map(|item| {
            let state = if item.resolved {
                "review.item_changed"
            } else {
                "review.item_unchanged"
            };
            let note = (!item.note.is_empty())
                .then(|| view! { <div class="small history-note">{item.note.clone()}</div> });
            view! { <li>{item.label.clone()} " – " <em>{ctx.t(state)}</em>{note}</li> }
        })
        .collect::<Vec<_>>();
    let reply = match &q.replied {
        Some(at) if q.withdrawn => view! {
            <p><strong>{ctx.t("review.closed_withdrawn").replace("{when}", &format_datetime(lang, at))}</strong></p>
        }
        .into_any(),
        Some(at) => view! {
            <p><strong>{ctx.t("review.replied_on").replace("{when}", &format_datetime(lang, at))}</strong></p>
            {(!q.reply.is_empty()).then(|| view! { <p class="history-note">{q.reply.clone()}</p> })}
        }
        .into_any(),
        None if q.overdue => view! { <p class="text-danger fw-bold">{ctx.t("review.reply_overdue")}</p> }.into_any(),
        None => view! { <p>{ctx.t("review.reply_waiting")}</p> }.into_any(),
    };
    let rows = q
        .changes
        .iter()
        .map(|c| {
            let shown = |v: &str| if v.is_empty() { "–".to_string() } else { v.to_string() };
            view! {
                <tr role="row">
                    <th scope="row" role="rowheader">{c.label.clone()}</th>
                    <td role="cell" data-label=ctx.t("review.before")><del>{shown(&c.before)}</del></td>
                    <td role="cell" data-label=ctx.t("review.after")><ins>{shown(&c.after)}</ins></td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let diff_id = format!("changes-{i}");
    let diff = (!q.changes.is_empty()).then(|| {
        view! {
            <table class="table table-sm table-stack" role="table" id=diff_id.clone()>
                <caption>{ctx.t("review.changes")}</caption>
                <thead role="rowgroup"><tr role="row">
                    <th scope="col" role="columnheader">{ctx.t("review.field")}</th>
                    <th scope="col" role="columnheader">{ctx.t("review.before")}</th>
                    <th scope="col" role="columnheader">{ctx.t("review.after")}</th>
                </tr></thead>
                <tbody role="rowgroup">{rows}</tbody>
            </table>
        }
    });
    view! {
        <article class="border rounded p-3 mb-3 request">
            <p>{asked}</p>
            {(!q.message.is_empty()).then(|| view! { <p class="history-note">{q.message.clone()}</p> })}
            <ul>{items}</ul>
            {reply}
            {diff}
        </article>
    }
}

/// The checklist: each item with a box to mark it and a note; the reply's
/// days and a message. What is marked is the request.
pub fn ask(ctx: &PageCtx, a: &AskView, form: &FormState) -> String {
    let lang = ctx.lang;
    let title = ctx
        .t("review.ask_title")
        .replace("{reference}", &a.reference);
    let groups = a
        .groups
        .iter()
        .enumerate()
        .map(|(g, (name, items))| {
            let rows = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let check_id = format!("item-{g}-{i}");
                    let note_id = format!("note-{g}-{i}");
                    let checked = form.values.contains_key(&format!("item:{}", item.code));
                    let note = form.values.get(&format!("note:{}", item.code)).cloned().unwrap_or_default();
                    let current = if item.current.is_empty() { "–".to_string() } else { item.current.clone() };
                    view! {
                        <tr role="row">
                            <td role="cell" data-label=ctx.t("review.to_fix")>
                                <input class="form-check-input" type="checkbox" name="item" value=item.code.clone() id=check_id.clone() checked=checked />
                                " "
                                <label class="form-check-label fw-bold" for=check_id>{item.label.clone()}</label>
                            </td>
                            <td role="cell" data-label=ctx.t("review.typed")>{current}</td>
                            <td role="cell" data-label=ctx.t("review.note")>
                                <label class="visually-hidden" for=note_id.clone()>{ctx.t("review.note_for").replace("{item}", &item.label)}</label>
                                <input class="form-control form-control-sm" type="text" maxlength="2000" name=format!("note:{}", item.code) id=note_id value=note />
                            </td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>();
            let caption_id = format!("group-{g}");
            view! {
                <table class="table table-sm table-stack ask" role="table">
                    <caption id=caption_id class="h5 text-body">{name.clone()}</caption>
                    <thead role="rowgroup"><tr role="row">
                        <th scope="col" role="columnheader">{ctx.t("review.to_fix")}</th>
                        <th scope="col" role="columnheader">{ctx.t("review.typed")}</th>
                        <th scope="col" role="columnheader">{ctx.t("review.note")}</th>
                    </tr></thead>
                    <tbody role="rowgroup">{rows}</tbody>
                </table>
            }
        })
        .collect::<Vec<_>>();
    let items_error = form.error("items").map(|key| {
        view! { <p class="text-danger fw-bold" id="f-items-error">{ctx.t(key)}</p> }
    });
    let body = view! {
        <p class="text-muted mb-1"><a href=a.back.clone()>{a.reference.clone()}</a></p>
        <h1>{title.clone()}</h1>
        <p>{ctx.t("review.ask_intro")}</p>
        <ErrorSummary lang form=form.clone() labels=vec![("items", "review.items"), ("days", "review.days"), ("message", "review.message")] />
        <form method="post" action=format!("/staff/candidacies/{}/integration", a.id) novalidate=true>
            <CsrfField token=ctx.csrf.clone() />
            <input type="hidden" name="from" value=a.from.clone() />
            <fieldset id="f-items">
                <legend class="h3">{ctx.t("review.items")}</legend>
                {items_error}
                {groups}
            </fieldset>
            <div class="col-lg-4">
                <Field lang form=form.clone() name="days" label="review.days" kind="number" hint="review.days_hint" />
            </div>
            <div class="col-lg-8">
                <TextAreaField lang form=form.clone() name="message" label="review.message" hint="review.message_hint" required=false />
            </div>
            <button type="submit" class="btn btn-primary" id="send-request">{ctx.t("review.send_request")}</button>
            " " <a href=a.back.clone() class="btn btn-link">{ctx.t("review.cancel")}</a>
        </form>
    };
    render(ctx, &title, body.into_any())
}

/// The public card of a candidacy in Italian and in English, as the
/// catalogue will show it, with what stops publishing and the button.
pub fn publish(ctx: &PageCtx, v: &PublishView) -> String {
    let title = ctx.t("publish.title").replace("{reference}", &v.reference);
    let cards = v
        .cards
        .iter()
        .map(|card| view! { <div class="col-lg-6 mb-4">{site_card(card).into_any()}</div> })
        .collect::<Vec<_>>();
    let obstacles = (!v.obstacles.is_empty()).then(|| {
        let items = v
            .obstacles
            .iter()
            .map(|key| view! { <li>{ctx.t(key)}</li> })
            .collect::<Vec<_>>();
        view! {
            <div class="alert alert-warning" role="alert" id="obstacles">
                <p class="mb-1">{ctx.t("publish.obstacles")}</p>
                <ul class="mb-0">{items}</ul>
            </div>
        }
    });
    let replaces = v.replaces.map(|version| {
        view! { <p id="replaces">{ctx.t("publish.replaces").replace("{version}", &version.to_string())}</p> }
    });
    let button = v.obstacles.is_empty().then(|| {
        view! {
            <form method="post" action=format!("/staff/candidacies/{}/publish", v.id)>
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="from" value=v.from.clone() />
                <input type="hidden" name="seen" value=v.seen.clone() />
                <button type="submit" class="btn btn-primary" id="confirm-publish">{ctx.t("publish.confirm")}</button>
            </form>
        }
    });
    let body = view! {
        <p class="text-muted mb-1"><a href=v.back.clone()>{v.reference.clone()}</a> " › " {ctx.t("review.publish")}</p>
        <h1>{title.clone()}</h1>
        <p>{ctx.t("publish.intro")}</p>
        {obstacles}
        <div class="row">{cards}</div>
        {replaces}
        {button}
    };
    render(ctx, &title, body.into_any())
}
