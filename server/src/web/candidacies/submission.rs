//! /candidacies/{id}/submit: check and submit, then the submitted summary with
//! the receipt; /withdraw; /receipt.pdf.

use super::head;
use crate::candidacies;
use crate::candidacies::documents;
use crate::candidacies::owners::Parties;
use crate::candidacies::status::Status;
use crate::candidacies::submission::{self, Contents, Refusal, RECEIPT};
use crate::clock::rome;
use crate::db::entities::{candidacy, profile};
use crate::error::{AppError, AppResult};
use crate::web::context::Ctx;
use crate::web::extract::{Own, Readable};
use crate::web::{page, see_other};
use app::view_data::{FormState, SubmissionView};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// `mine`: the proponent's own candidacy; otherwise its owner reading it.
async fn render(
    ctx: &Ctx,
    c: &candidacy::Model,
    mine: bool,
    gaps: Option<Vec<submission::Gap>>,
    form: &FormState,
    status: StatusCode,
) -> AppResult<Response> {
    let editable = mine && submission::editable(c);
    let db = &ctx.state.db;
    let parties = Parties::of(db, c).await?;
    let owner = parties.as_ref().map(|p| &p.owner);
    let contents = Contents::load(db, c).await?;
    let gaps = match gaps {
        Some(g) => g,
        None if editable => submission::gaps(c, parties.as_ref(), &contents),
        None => Vec::new(),
    };
    let now = ctx.state.clock.now();
    let deadline = ctx.state.config.submission_deadline;
    let view = SubmissionView {
        answers: answers(ctx, c, owner, &contents),
        days_left: (deadline - now).num_days().max(0),
        editable,
        gaps: gaps
            .into_iter()
            .map(|g| {
                let href = if g.step.starts_with('/') {
                    g.step.to_string()
                } else {
                    format!("/candidacies/{}/{}", c.id, g.step)
                };
                (g.key, href)
            })
            .collect(),
        closed: c.reference.is_none() && now > deadline,
        deadline: rome(deadline),
        reference: c.reference.clone(),
        submitted: c.submitted_at.map(rome),
        has_receipt: documents::latest(db, c.id, RECEIPT).await?.is_some(),
        withdrawable: mine && submission::withdrawable(c),
        read_only: !mine,
        withdrawn: c.status == Status::Withdrawn,
    };
    let html = app::pages::submission::submission(&ctx.page(), &head(ctx, c).await?, &view, form);
    Ok(page(status, html))
}

/// What the candidacy holds, step by step, each with the page that changes it:
/// the "check your answers" list.
fn answers(
    ctx: &Ctx,
    c: &candidacy::Model,
    owner: Option<&profile::Model>,
    contents: &Contents,
) -> Vec<(&'static str, String, String)> {
    let t = |key: &str| app::i18n::t(ctx.lang, key);
    let step = |s: &str| format!("/candidacies/{}/{s}", c.id);
    let mut out = Vec::new();
    let kind = match candidacies::kind_of(c) {
        forms::Kind::Settlement => t("candidacy.kind_a"),
        forms::Kind::Investment => t("candidacy.kind_b"),
    };
    out.push(("candidacy.kind", kind, String::new()));
    if let Some(owner) = owner {
        let href = if c.owner_id.is_some() {
            step("owner")
        } else {
            "/profile".into()
        };
        out.push((
            "submit.answer_owner",
            format!("{} ({})", owner.name, owner.tax_code),
            href,
        ));
    }
    let site = candidacies::site_label(c);
    out.push((
        "submit.answer_site",
        if site.is_empty() { "–".into() } else { site },
        step("location"),
    ));
    let template = match &contents.template {
        Some(d) if d.accepted => format!("{} – {}", d.original_name, t("submit.answer_ok")),
        Some(d) => format!("{} – {}", d.original_name, t("submit.answer_errors")),
        None => "–".into(),
    };
    out.push(("submit.doc_template", template, step("template")));
    let files: Vec<&str> = contents
        .attachments
        .iter()
        .flat_map(|(_, files)| files.iter().map(|d| d.original_name.as_str()))
        .collect();
    let files = if files.is_empty() {
        "–".into()
    } else {
        files.join(", ")
    };
    out.push(("attachments.title", files, step("attachments")));
    let signed: Vec<String> = contents
        .forms
        .iter()
        .map(|(form, d)| {
            let verdict = d
                .as_ref()
                .and_then(|d| d.signature.as_deref())
                .unwrap_or("missing");
            format!("{}: {}", form.letter(), t(&format!("submit.sig_{verdict}")))
        })
        .collect();
    out.push(("signed.title", signed.join("; "), step("forms")));
    out
}

pub async fn show(ctx: Ctx, r: Readable) -> AppResult<Response> {
    let (c, mine) = (r.candidacy, r.mine);
    render(&ctx, &c, mine, None, &FormState::default(), StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SubmitForm {
    /// The proponent's message answering a request for integration.
    reply: String,
}

pub async fn submit(ctx: Ctx, Own(c): Own, Form(f): Form<SubmitForm>) -> AppResult<Response> {
    let id = c.id;
    let account = ctx.user()?.clone();
    if f.reply.chars().count() > crate::review::integration::MAX_MESSAGE {
        let mut form = FormState::with_values([("reply", f.reply.as_str())]);
        form.add_error("reply", "review.reasons_too_long");
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(&ctx, &c, true, None, &form, status).await;
    }
    let kept = FormState::with_values([("reply", f.reply.as_str())]);
    match submission::submit(&ctx.state, &c, &account, ctx.lang, &f.reply).await? {
        Ok(_) => Ok(see_other(&format!("/candidacies/{id}/submit#submitted"))),
        // After the closing instant: the page says so, and nothing changes.
        Err(Refusal::Closed) => render(&ctx, &c, true, None, &kept, StatusCode::FORBIDDEN).await,
        Err(Refusal::Incomplete(gaps)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&ctx, &c, true, Some(gaps), &kept, status).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WithdrawForm {
    confirm: String,
}

pub async fn withdraw(ctx: Ctx, Own(c): Own, Form(f): Form<WithdrawForm>) -> AppResult<Response> {
    let id = c.id;
    if f.confirm != "yes" {
        let mut form = FormState::default();
        form.add_error("confirm", "error.confirm_required");
        return render(
            &ctx,
            &c,
            true,
            None,
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let account = ctx.user()?.clone();
    submission::withdraw(&ctx.state, &c, &account, ctx.lang).await?;
    Ok(see_other(&format!("/candidacies/{id}/submit")))
}

/// The receipt, as a download.
pub async fn receipt(ctx: Ctx, r: Readable) -> AppResult<Response> {
    let c = r.candidacy;
    let doc = documents::latest(&ctx.state.db, c.id, RECEIPT)
        .await?
        .ok_or(AppError::NotFound)?;
    super::attachments::stored_file(&ctx, &c, &doc, "application/pdf").await
}
