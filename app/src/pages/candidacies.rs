//! "My candidacies" and the steps of a candidacy draft: location, then the Excel template.

use crate::components::{
    ChoiceField, CsrfField, ErrorSummary, Field, FileField, Notice, SelectField,
};
use crate::page::{render, render_with_islands, PageCtx};
use crate::pages::format_datetime;
use crate::view_data::{
    CandidacyHead, CandidacyRow, FormState, PlacementView, ReopenedView, UploadResultView,
};
use leptos::prelude::*;

pub const LOCATION_FIELDS: [(&str, &str); 5] = [
    ("municipality", "candidacy.municipality"),
    ("address", "candidacy.address"),
    ("postcode", "candidacy.postcode"),
    ("latitude", "candidacy.latitude"),
    ("longitude", "candidacy.longitude"),
];

/// "My candidacies": the proponent's own, those delegates filed for them
/// (`for_me`, read-only), and a new draft, for themselves or for an owner in `owners`
/// (id, "name (tax code)").
pub fn list(
    ctx: &PageCtx,
    rows: &[CandidacyRow],
    for_me: &[CandidacyRow],
    owners: &[(i64, String)],
    form: &FormState,
    closed: bool,
) -> String {
    let lang = ctx.lang;
    let title = ctx.t("candidacy.list_title");
    let table = if rows.is_empty() {
        view! { <p id="no-candidacies">{ctx.t("candidacy.none")}</p> }.into_any()
    } else {
        table_of(ctx, rows, "candidacies", &title).into_any()
    };
    let new_form = if closed {
        view! { <Notice text=ctx.t("candidacy.closed") kind="alert-warning" /> }.into_any()
    } else {
        view! {
            <section class="mt-5 col-lg-6" aria-labelledby="new-title">
                <h2 id="new-title" class="h3">{ctx.t("candidacy.new_title")}</h2>
                <ErrorSummary lang form=form.clone() labels=vec![("kind", "candidacy.kind"), ("on_behalf", "candidacy.on_behalf")] />
                <form method="post" action="/candidacies" novalidate=true>
                    <CsrfField token=ctx.csrf.clone() />
                    <SelectField lang form=form.clone() name="kind" label="candidacy.kind" hint="candidacy.kind_hint"
                        options=vec![("a", "candidacy.kind_a"), ("b", "candidacy.kind_b")] />
                    <ChoiceField lang form=form.clone() name="on_behalf" label="candidacy.on_behalf" hint="candidacy.on_behalf_hint"
                        options=owner_choices(ctx, owners) />
                    <button type="submit" class="btn btn-primary">{ctx.t("candidacy.create")}</button>
                </form>
            </section>
        }
        .into_any()
    };
    let filed_for_me = (!for_me.is_empty()).then(|| {
        view! {
            <section class="mt-5" aria-labelledby="for-me-title">
                <h2 id="for-me-title" class="h3">{ctx.t("candidacy.for_me_title")}</h2>
                <p>{ctx.t("candidacy.for_me_intro")}</p>
                {table_of(ctx, for_me, "for-me", &ctx.t("candidacy.for_me_title"))}
            </section>
        }
    });
    let body = view! {
        <h1>{title.clone()}</h1>
        <p>{ctx.t("candidacy.list_intro")} " " <a href="/profile">{ctx.t("site.profile")}</a></p>
        {table}
        {filed_for_me}
        {new_form}
    };
    render(ctx, &title, body.into_any())
}

fn table_of(ctx: &PageCtx, rows: &[CandidacyRow], id: &str, caption: &str) -> impl IntoView {
    let lang = ctx.lang;
    let lines = rows
        .iter()
        .map(|r| {
            let href = format!("/candidacies/{}", r.id);
            // data-label: on a phone each row is a card, each cell named by its column.
            view! {
                <tr role="row">
                    <td role="cell" data-label=ctx.t("candidacy.number")><a href=href>{format!("#{}", r.id)}</a></td>
                    <td role="cell" data-label=ctx.t("candidacy.kind")>{ctx.t(r.kind)}</td>
                    <td role="cell" data-label=ctx.t("candidacy.place")>{if r.place.is_empty() { ctx.t("candidacy.place_missing") } else { r.place.clone() }}</td>
                    <td role="cell" data-label=ctx.t("candidacy.status")>{ctx.t(r.status)}</td>
                    <td role="cell" data-label=ctx.t("candidacy.updated")>{format_datetime(lang, &r.updated)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        // The explicit roles keep it a table for screen readers when a phone's
        // stylesheet lays the rows out as blocks.
        <div class="table-responsive">
            <table class="table table-stack" id=id.to_string() role="table">
                <caption class="visually-hidden">{caption.to_string()}</caption>
                <thead role="rowgroup"><tr role="row">
                    <th scope="col" role="columnheader">{ctx.t("candidacy.number")}</th>
                    <th scope="col" role="columnheader">{ctx.t("candidacy.kind")}</th>
                    <th scope="col" role="columnheader">{ctx.t("candidacy.place")}</th>
                    <th scope="col" role="columnheader">{ctx.t("candidacy.status")}</th>
                    <th scope="col" role="columnheader">{ctx.t("candidacy.updated")}</th>
                </tr></thead>
                <tbody role="rowgroup">{lines}</tbody>
            </table>
        </div>
    }
}

/// Myself, each saved owner, or a new owner.
fn owner_choices(ctx: &PageCtx, owners: &[(i64, String)]) -> Vec<(String, String)> {
    let mut choices = vec![(String::new(), ctx.t("candidacy.on_behalf_self"))];
    choices.extend(owners.iter().map(|(id, name)| {
        (
            id.to_string(),
            ctx.t("candidacy.on_behalf_owner").replace("{owner}", name),
        )
    }));
    choices.push(("new".into(), ctx.t("candidacy.on_behalf_new")));
    choices
}

pub(crate) fn heading(ctx: &PageCtx, head: &CandidacyHead, step: &'static str) -> impl IntoView {
    view! {
        <p class="text-muted mb-1">
            <a href="/candidacies">{ctx.t("candidacy.list_title")}</a>
            " › " {format!("#{} ", head.id)} {ctx.t(head.kind)} " – " {ctx.t(head.status)}
        </p>
        <h1>{ctx.t(step)}</h1>
        {head.reopened.as_ref().map(|r| reopened(ctx, head.id, r))}
    }
}

/// What staff asked to fix, by when, each item with its note and the step
/// that fixes it; everything else stays as submitted.
fn reopened(ctx: &PageCtx, id: i64, r: &ReopenedView) -> impl IntoView {
    let due = ctx
        .t("integration.due")
        .replace("{when}", &super::format_date(ctx.lang, &r.due));
    let items = r
        .items
        .iter()
        .map(|i| {
            let note = (!i.note.is_empty())
                .then(|| view! { <div class="small history-note">{i.note.clone()}</div> });
            view! { <li><a href=i.href.clone()>{i.label.clone()}</a>{note}</li> }
        })
        .collect::<Vec<_>>();
    let message =
        (!r.message.is_empty()).then(|| view! { <p class="history-note">{r.message.clone()}</p> });
    let kind = if r.overdue {
        "alert alert-danger"
    } else {
        "alert alert-warning"
    };
    view! {
        <section class=kind aria-labelledby="integration-title" id="integration">
            <h2 id="integration-title" class="h4 mt-0">{ctx.t("integration.title")}</h2>
            <p>{due} {r.overdue.then(|| view! { " " <strong>{ctx.t("integration.overdue")}</strong> })}</p>
            {message}
            <ul id="integration-items">{items}</ul>
            <p class="mb-0">{ctx.t("integration.rest_locked")} " "
                <a href=format!("/candidacies/{id}/submit")>{ctx.t("integration.go_reply")}</a>
            </p>
        </section>
    }
}

pub fn location(
    ctx: &PageCtx,
    head: &CandidacyHead,
    form: &FormState,
    municipalities: &[String],
) -> String {
    let lang = ctx.lang;
    let title = ctx.t("candidacy.location_title");
    let f = || form.clone();
    let options = municipalities
        .iter()
        .map(|m| view! { <option value=m.clone()></option> })
        .collect::<Vec<_>>();
    let action = format!("/candidacies/{}/location", head.id);
    let body = view! {
        {heading(ctx, head, "candidacy.location_title")}
        <p>{ctx.t("candidacy.location_intro")}</p>
        <ErrorSummary lang form=f() labels=LOCATION_FIELDS.to_vec() />
        <form method="post" action=action novalidate=true class="col-lg-8">
            <CsrfField token=ctx.csrf.clone() />
            <Field lang form=f() name="municipality" label="candidacy.municipality" hint="candidacy.municipality_hint" list="municipalities" />
            <datalist id="municipalities">{options}</datalist>
            <Field lang form=f() name="address" label="candidacy.address" />
            <Field lang form=f() name="postcode" label="candidacy.postcode" />
            <Field lang form=f() name="latitude" label="candidacy.latitude" hint="candidacy.coordinates_hint" />
            <Field lang form=f() name="longitude" label="candidacy.longitude" />
            <button type="submit" class="btn btn-primary">{ctx.t("candidacy.save_continue")}</button>
        </form>
    };
    render(ctx, &title, body.into_any())
}

pub fn template_step(
    ctx: &PageCtx,
    head: &CandidacyHead,
    placement: Option<&PlacementView>,
    upload: Option<&UploadResultView>,
    form: &FormState,
) -> String {
    let lang = ctx.lang;
    let title = ctx.t("candidacy.template_title");
    let place = placement.map(|p| {
        let text = ctx
            .t("candidacy.point_in")
            .replace("{province}", &p.province);
        let warning = p.municipality_province.as_ref().map(|own| {
            let text = ctx
                .t("candidacy.province_mismatch")
                .replace("{point}", &p.province)
                .replace("{own}", own);
            view! { <Notice text=text kind="alert-warning" /> }
        });
        view! { <Notice text=text kind="alert-info" /> {warning} }
    });
    let download = |lang: &str| format!("/candidacies/{}/template.xlsx?lang={lang}", head.id);
    let action = format!("/candidacies/{}/template", head.id);
    // Answering a request: the file as submitted (the server serves it),
    // since only the items asked for may change.
    let downloads = match head.reopened {
        Some(_) => view! {
            <p>{ctx.t("candidacy.template_submitted_intro")}</p>
            <p><a id="template-submitted" href=download("it") download=true>{ctx.t("candidacy.template_submitted")}</a></p>
        }
        .into_any(),
        None => view! {
            <p>{ctx.t("candidacy.template_intro")}</p>
            <ul>
                <li><a id="template-it" href=download("it") download=true>{ctx.t("candidacy.template_it")}</a></li>
                <li><a id="template-en" href=download("en") download=true>{ctx.t("candidacy.template_en")}</a></li>
            </ul>
        }
        .into_any(),
    };
    let body = view! {
        {heading(ctx, head, "candidacy.template_title")}
        {place}
        {downloads}
        <p><a href=format!("/candidacies/{}/location", head.id)>{ctx.t("candidacy.change_location")}</a></p>
        <section class="mt-5" aria-labelledby="upload-title">
            <h2 id="upload-title" class="h3">{ctx.t("candidacy.upload_title")}</h2>
            {upload.map(|u| upload_result(ctx, u, "upload-result", ("candidacy.upload_accepted", "candidacy.upload_refused")))}
            <ErrorSummary lang form=form.clone() labels=vec![("file", "candidacy.upload_file")] />
            <form method="post" action=action enctype="multipart/form-data" novalidate=true class="col-lg-8">
                <CsrfField token=ctx.csrf.clone() />
                <FileField lang form=form.clone() name="file" label="candidacy.upload_file" hint="candidacy.upload_hint"
                    accept=".xlsx,.xls,.ods,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet" />
                <button type="submit" class="btn btn-primary">{ctx.t("candidacy.upload_submit")}</button>
            </form>
        </section>
        <p class="mt-4"><a id="to-attachments" class="btn btn-outline-primary" href=format!("/candidacies/{}/attachments", head.id)>{ctx.t("candidacy.continue_attachments")}</a></p>
    };
    render_with_islands(ctx, &title, body.into_any())
}

/// The last upload: which file, and every finding of its check, errors first.
/// `id` names the box, so a page with several uploads can link to each;
/// `verdicts` are the keys of what to say when it was accepted, and when not.
pub(crate) fn upload_result(
    ctx: &PageCtx,
    u: &UploadResultView,
    id: &str,
    verdicts: (&str, &str),
) -> impl IntoView {
    let (verdict, class) = if u.accepted {
        (verdicts.0, "alert alert-success")
    } else {
        (verdicts.1, "alert alert-danger")
    };
    upload_box(ctx, u, id, verdict, class)
}

/// The box of [`upload_result`] with its verdict (a translation key) and alert class chosen by the caller.
pub(crate) fn upload_box(
    ctx: &PageCtx,
    u: &UploadResultView,
    id: &str,
    verdict: &str,
    class: &'static str,
) -> impl IntoView {
    let verdict = ctx.t(verdict);
    let about = ctx
        .t("candidacy.upload_about")
        .replace("{name}", &u.name)
        .replace("{size}", &format!("{:.1} KB", u.size_bytes as f64 / 1024.0))
        .replace("{when}", &format_datetime(ctx.lang, &u.uploaded));
    let items = u
        .findings
        .iter()
        .map(|(severity, text)| {
            let label = ctx.t(match severity.as_str() {
                "error" => "candidacy.finding_error",
                "warning" => "candidacy.finding_warning",
                _ => "candidacy.finding_info",
            });
            view! { <li class=format!("finding finding-{severity}")><strong>{label}</strong> " " {text.clone()}</li> }
        })
        .collect::<Vec<_>>();
    view! {
        <div class=class role="status" id=id.to_string()>
            <p class="fw-semibold mb-1">{verdict}</p>
            <p class="mb-1">{about}</p>
            <ul class="mb-0 findings">{items}</ul>
        </div>
    }
}
