//! The signed-forms step of a candidacy: download forms A and B (and C for a
//! delegate) prefilled, upload them signed, see what the signature check said;
//! the identity document goes with a handwritten signature.

use super::candidacies::{heading, upload_box, upload_result};
use crate::components::{CsrfField, ErrorSummary, FileField};
use crate::page::{render_with_islands, PageCtx};
use crate::view_data::{CandidacyHead, FormState, SignedSlotView};
use leptos::prelude::*;

fn label_key(purpose: &str) -> &'static str {
    match purpose {
        "form_a" => "signed.form_a",
        "form_b" => "signed.form_b",
        "form_c" => "signed.form_c",
        _ => "signed.id_document",
    }
}

fn hint_key(purpose: &str) -> &'static str {
    match purpose {
        "id_document" => "signed.id_document_hint",
        _ => "signed.upload_hint",
    }
}

/// `form` carries the error of the slot the last upload was for, under its purpose.
pub fn signed_forms(
    ctx: &PageCtx,
    head: &CandidacyHead,
    slots: &[SignedSlotView],
    form: &FormState,
) -> String {
    let lang = ctx.lang;
    let title = ctx.t("signed.title");
    let labels: Vec<_> = slots
        .iter()
        .map(|s| (s.purpose, label_key(s.purpose)))
        .collect();
    let sections = slots
        .iter()
        .map(|slot| slot_section(ctx, head, slot, form))
        .collect::<Vec<_>>();
    let body = view! {
        {heading(ctx, head, "signed.title")}
        <p>{ctx.t("signed.intro")}</p>
        <p>{ctx.t("signed.how")}</p>
        <ErrorSummary lang form=form.clone() labels=labels />
        {sections}
        <p class="mt-4"><a id="to-submit" class="btn btn-outline-primary" href=format!("/candidacies/{}/submit", head.id)>{ctx.t("submit.continue")}</a></p>
        <p><a href=format!("/candidacies/{}/attachments", head.id)>{ctx.t("signed.back_to_attachments")}</a></p>
    };
    render_with_islands(ctx, &title, body.into_any())
}

fn slot_section(
    ctx: &PageCtx,
    head: &CandidacyHead,
    slot: &SignedSlotView,
    form: &FormState,
) -> impl IntoView {
    let lang = ctx.lang;
    let heading_id = format!("slot-{}", slot.purpose);
    let labelled_by = heading_id.clone();
    let downloads = slot.purpose.strip_prefix("form_").map(|letter| {
        let letter = letter.to_uppercase();
        let href = |l: &str| format!("/candidacies/{}/forms/{letter}.pdf?lang={l}", head.id);
        view! {
            <ul>
                <li><a id=format!("download-{}-it", slot.purpose) href=href("it") download=true>{ctx.t("signed.download_it")}</a></li>
                <li><a id=format!("download-{}-en", slot.purpose) href=href("en") download=true>{ctx.t("signed.download_en")}</a></li>
            </ul>
        }
    });
    let status = match (&slot.upload, slot.needed) {
        (None, true) => Some(ctx.t("signed.missing")),
        (None, false) => Some(ctx.t("signed.not_needed")),
        _ => None,
    };
    let action = format!("/candidacies/{}/forms?purpose={}", head.id, slot.purpose);
    let accept = if slot.purpose == "id_document" {
        ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
    } else {
        ".pdf,.p7m,application/pdf,application/pkcs7-mime"
    };
    let result_id = format!("result-{}", slot.purpose);
    view! {
        <section class="mt-4 col-lg-8" aria-labelledby=labelled_by>
            <h2 id=heading_id class="h4">{ctx.t(label_key(slot.purpose))}</h2>
            {downloads}
            {status.map(|s| view! { <p class="text-muted">{s}</p> })}
            // A file checked against the owner's earlier details is one state,
            // not two: no green "received" under a warning that it no longer counts.
            {slot.upload.as_ref().map(|u| if slot.outdated {
                upload_box(ctx, u, &result_id, "signed.outdated", "alert alert-warning").into_any()
            } else {
                upload_result(ctx, u, &result_id, ("signed.accepted", "signed.refused")).into_any()
            })}
            <form method="post" action=action enctype="multipart/form-data" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <FileField lang form=form.clone() name=slot.purpose label=label_key(slot.purpose) hint=hint_key(slot.purpose) accept=accept required=slot.needed />
                <button type="submit" class="btn btn-primary btn-sm">{ctx.t("signed.upload")}</button>
            </form>
        </section>
    }
}
