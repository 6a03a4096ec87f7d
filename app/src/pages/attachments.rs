//! The attachments step of a candidacy: one section per slot, with its files
//! (each removable) and a file chooser; errors shown next to the chooser.

use crate::components::{CsrfField, ErrorSummary, FileField};
use crate::page::{render_with_islands, PageCtx};
use crate::view_data::{AttachmentSlotView, CandidacyHead, FormState};
use leptos::prelude::*;

/// The label key of a slot; also used for its hint (`…_hint`).
pub fn label_key(purpose: &str) -> &'static str {
    match purpose {
        "photo" => "attachments.photo",
        "perimeter" => "attachments.perimeter",
        "cadastral_extract" => "attachments.cadastral_extract",
        _ => "attachments.report",
    }
}

fn hint_key(purpose: &str) -> &'static str {
    match purpose {
        "photo" => "attachments.photo_hint",
        "perimeter" => "attachments.perimeter_hint",
        "cadastral_extract" => "attachments.cadastral_extract_hint",
        _ => "attachments.report_hint",
    }
}

/// `form` carries the error of the slot the last upload was for, under the slot's purpose.
pub fn attachments(
    ctx: &PageCtx,
    head: &CandidacyHead,
    slots: &[AttachmentSlotView],
    form: &FormState,
) -> String {
    let lang = ctx.lang;
    let title = ctx.t("attachments.title");
    let labels: Vec<_> = slots
        .iter()
        .map(|s| (s.purpose, label_key(s.purpose)))
        .collect();
    let sections = slots
        .iter()
        .map(|slot| slot_section(ctx, head, slot, form))
        .collect::<Vec<_>>();
    let body = view! {
        <p class="text-muted mb-1">
            <a href="/candidacies">{ctx.t("candidacy.list_title")}</a>
            " › " {format!("#{} ", head.id)} {ctx.t(head.kind)} " – " {ctx.t(head.status)}
        </p>
        <h1>{title.clone()}</h1>
        <p>{ctx.t("attachments.intro")}</p>
        <ErrorSummary lang form=form.clone() labels=labels />
        {sections}
        <p class="mt-4"><a id="to-signed-forms" class="btn btn-outline-primary" href=format!("/candidacies/{}/forms", head.id)>{ctx.t("signed.continue")}</a></p>
        <p><a href=format!("/candidacies/{}/template", head.id)>{ctx.t("attachments.back_to_template")}</a></p>
    };
    render_with_islands(ctx, &title, body.into_any())
}

fn slot_section(
    ctx: &PageCtx,
    head: &CandidacyHead,
    slot: &AttachmentSlotView,
    form: &FormState,
) -> impl IntoView {
    let lang = ctx.lang;
    let heading_id = format!("slot-{}", slot.purpose);
    let labelled_by = heading_id.clone();
    let files = slot
        .files
        .iter()
        .map(|f| {
            let action = format!("/candidacies/{}/attachments/{}/delete", head.id, f.id);
            let remove = ctx.t("attachments.remove").replace("{name}", &f.name);
            view! {
                <li class="d-flex align-items-center gap-3 mb-2">
                    <span>
                        <a href=format!("/candidacies/{}/documents/{}", head.id, f.id)>{f.name.clone()}</a>
                        {format!(" ({}, {:.1} KB)", f.kind, f.size_bytes as f64 / 1024.0)}
                    </span>
                    <form method="post" action=action class="d-inline">
                        <CsrfField token=ctx.csrf.clone() />
                        <button type="submit" class="btn btn-sm btn-outline-danger" aria-label=remove>{ctx.t("attachments.remove_short")}</button>
                    </form>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let status = if slot.files.is_empty() {
        ctx.t(if slot.mandatory {
            "attachments.missing"
        } else {
            "attachments.optional"
        })
    } else {
        String::new()
    };
    let action = format!(
        "/candidacies/{}/attachments?purpose={}",
        head.id, slot.purpose
    );
    let submit = ctx.t(if slot.many || slot.files.is_empty() {
        "attachments.add"
    } else {
        "attachments.replace"
    });
    view! {
        <section class="mt-4 col-lg-8" aria-labelledby=labelled_by>
            <h2 id=heading_id class="h4">{ctx.t(label_key(slot.purpose))}</h2>
            {(!status.is_empty()).then(|| view! { <p class="text-muted">{status}</p> })}
            <ul class="list-unstyled">{files}</ul>
            <form method="post" action=action enctype="multipart/form-data" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <FileField lang form=form.clone() name=slot.purpose label=label_key(slot.purpose) hint=hint_key(slot.purpose) accept=slot.accept required=slot.mandatory />
                <button type="submit" class="btn btn-primary btn-sm">{submit}</button>
            </form>
        </section>
    }
}
