//! Submitting a candidacy: what is still missing, the reference, the receipt
//! (a PDF listing every document with its SHA-256, stored and emailed), the
//! record of the change; and withdrawing it.

use crate::audit;
use crate::candidacies::documents;
use crate::candidacies::kind_of;
use crate::candidacies::owners::Parties;
use crate::candidacies::signed_forms::{checked_for, forms_needed, handwritten, ID_DOCUMENT};
use crate::candidacies::status::{self, Action, Actor};
use crate::candidacies::uploads;
use crate::candidacies::Part;
use crate::db::entities::{candidacy, document, profile, user};
use crate::email::outbox::{self, Attachment};
use crate::error::{AppError, AppResult};
use crate::review::integration;
use crate::state::AppState;
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Europe::Rome;
use forms::attachments;
use forms::receipt::{Receipt, ReceiptDocument};
use forms::signed_forms::Form;
use sea_orm::{ConnectionTrait, EntityTrait, TransactionTrait};

pub const RECEIPT: &str = "receipt";

/// Whether the proponent may change the candidacy: a draft, or one staff sent back.
pub fn editable(c: &candidacy::Model) -> bool {
    c.status.editable()
}

/// Whether its filer may still withdraw it, by the table of moves.
pub fn withdrawable(c: &candidacy::Model) -> bool {
    status::transition(c.status, Action::Withdraw, Actor::filer_of(c)).is_some()
}

/// Something the candidacy still lacks: what (a translation key) and the step that fixes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub key: &'static str,
    /// The step's path under the candidacy (`location`, …), or an absolute path.
    pub step: &'static str,
}

/// What has been uploaded for a candidacy and counts, read once: the last
/// template, every attachment, the last copy of each form needed, and the
/// identity document.
pub struct Contents {
    pub template: Option<document::Model>,
    pub attachments: Vec<(attachments::Purpose, Vec<document::Model>)>,
    pub forms: Vec<(Form, Option<document::Model>)>,
    pub id_document: Option<document::Model>,
}

impl Contents {
    pub async fn load(db: &impl ConnectionTrait, c: &candidacy::Model) -> AppResult<Contents> {
        let mut attachments = Vec::new();
        for purpose in attachments::ALL {
            attachments.push((purpose, documents::all_for(db, c.id, purpose.code()).await?));
        }
        let mut forms = Vec::new();
        for form in forms_needed(c) {
            forms.push((form, documents::latest(db, c.id, form.code()).await?));
        }
        Ok(Contents {
            template: documents::latest(db, c.id, documents::TEMPLATE).await?,
            attachments,
            forms,
            id_document: documents::latest(db, c.id, ID_DOCUMENT).await?,
        })
    }

    /// Every document, in the order of the steps: what the receipt lists.
    pub fn documents(&self) -> Vec<&document::Model> {
        let mut docs: Vec<&document::Model> = self.template.iter().collect();
        docs.extend(self.attachments.iter().flat_map(|(_, files)| files));
        docs.extend(self.forms.iter().filter_map(|(_, d)| d.as_ref()));
        docs.extend(&self.id_document);
        docs
    }

    /// Which rows, by id: two reads hold the same documents when these are equal.
    fn ids(&self) -> Vec<i64> {
        self.documents().iter().map(|d| d.id).collect()
    }
}

/// Everything missing before submission, in the order of the steps.
/// `parties` is who the candidacy names (`None` until the profiles are filled):
/// signed forms and the identity document count only if they were checked
/// against that owner.
pub fn gaps(c: &candidacy::Model, parties: Option<&Parties>, contents: &Contents) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let mut gap = |key, step| gaps.push(Gap { key, step });
    // The filer's own profile (form C names the delegate) and the owner's details.
    if parties.is_none() {
        gap("submit.gap_profile", "/profile");
    }
    if c.latitude.is_none() {
        gap("submit.gap_location", "location");
    }
    match &contents.template {
        None => gap("submit.gap_template", "template"),
        Some(d) if !d.accepted => gap("submit.gap_template_errors", "template"),
        Some(_) => {}
    }
    for (purpose, files) in &contents.attachments {
        if purpose.mandatory() && files.is_empty() {
            let key = match purpose {
                attachments::Purpose::Photo => "submit.gap_photo",
                attachments::Purpose::Perimeter => "submit.gap_perimeter",
                _ => "submit.gap_cadastral_extract",
            };
            gap(key, "attachments");
        }
    }
    let signer = parties.map(|p| checked_for(&p.owner));
    let for_owner = |d: &document::Model| signer.is_some() && d.signed_for == signer;
    let mut outdated = false;
    for (form, latest) in &contents.forms {
        let signed = latest
            .as_ref()
            .filter(|d| matches!(d.signature.as_deref(), Some("valid" | "handwritten")));
        match signed {
            Some(d) if for_owner(d) => {}
            Some(_) => outdated = true,
            None => gap(
                match form.letter() {
                    'A' => "submit.gap_form_a",
                    'B' => "submit.gap_form_b",
                    _ => "submit.gap_form_c",
                },
                "forms",
            ),
        }
    }
    if outdated {
        gap("submit.gap_signed_outdated", "forms");
    }
    let signed = contents.forms.iter().filter_map(|(_, d)| d.as_ref());
    if handwritten(signed) && !contents.id_document.as_ref().is_some_and(for_owner) {
        gap("submit.gap_id_document", "forms");
    }
    gaps
}

/// The values of `template` (the file the receipt lists) as validated, as JSON.
async fn template_values(
    state: &AppState,
    c: &candidacy::Model,
    template: Option<&document::Model>,
) -> AppResult<Option<String>> {
    use crate::review::answers::{all_values, read_document};
    let Some(doc) = template else {
        return Ok(None);
    };
    read_document(state, c, doc, all_values)
        .await?
        .map(|v| serde_json::to_string(&v))
        .transpose()
        .map_err(|e| AppError::Internal(format!("candidacy {}: values: {e}", c.id)))
}

/// Submitted candidacies with no frozen values (submitted before values
/// were frozen): their template's values, once, at start-up. One whose
/// template is missing or no longer reads gets none (`{}`), so it is not
/// read again. Returns how many were filled.
pub async fn freeze_missing_values(state: &AppState) -> AppResult<usize> {
    use crate::db::entities::candidacy_value;
    use sea_orm::sea_query::Query;
    use sea_orm::{ColumnTrait, QueryFilter};
    let frozen = Query::select()
        .column(candidacy_value::Column::CandidacyId)
        .from(candidacy_value::Entity)
        .to_owned();
    let missing = candidacy::Entity::find()
        .filter(candidacy::Column::SubmittedAt.is_not_null())
        .filter(candidacy::Column::Id.not_in_subquery(frozen))
        .all(&state.db)
        .await?;
    for c in &missing {
        let template = documents::latest(&state.db, c.id, documents::TEMPLATE).await?;
        // Not readable (or none): kept as no values, so it is not read again.
        let values = template_values(state, c, template.as_ref()).await?;
        let txn = state.db.begin().await?;
        let values = Some(values.unwrap_or_else(|| "{}".into()));
        freeze_values(&txn, c.id, values, None, state.clock.now()).await?;
        txn.commit().await?;
    }
    Ok(missing.len())
}

/// Keeps the template's values as submitted (replacing an earlier
/// submission's), or none when the template no longer reads. A resubmission
/// (`by` who) writes each field it changed into the audit log, old → new.
async fn freeze_values(
    txn: &sea_orm::DatabaseTransaction,
    candidacy_id: i64,
    values: Option<String>,
    by: Option<(Actor, i64)>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use crate::db::entities::candidacy_value;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let before = candidacy_value::Entity::find_by_id(candidacy_id)
        .one(txn)
        .await?;
    candidacy_value::Entity::delete_by_id(candidacy_id)
        .exec(txn)
        .await?;
    if let (Some(by), Some(before)) = (by, &before) {
        let after = values.as_deref().unwrap_or("{}");
        for (field, old, new) in changed_fields(&before.values, after) {
            let entry = audit::Entry::new(
                audit::Who::actor(by),
                Some(candidacy_id),
                audit::Action::Field,
            )
            .subject(field)
            .change(old, new);
            audit::append(txn, entry, now).await?;
        }
    }
    if let Some(values) = values {
        candidacy_value::ActiveModel {
            candidacy_id: Set(candidacy_id),
            values: Set(values),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// (field, old, new) for each field whose value differs between two frozen
/// sets of values (JSON objects; one that does not read counts as empty).
fn changed_fields(before: &str, after: &str) -> Vec<(String, String, String)> {
    use std::collections::{BTreeMap, BTreeSet};
    let read = |s: &str| serde_json::from_str::<BTreeMap<String, String>>(s).unwrap_or_default();
    let (before, after) = (read(before), read(after));
    let fields: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    fields
        .into_iter()
        .filter(|f| before.get(*f) != after.get(*f))
        .map(|f| {
            let value = |m: &BTreeMap<String, String>| m.get(f).cloned().unwrap_or_default();
            (f.clone(), value(&before), value(&after))
        })
        .collect()
}

/// `OL-2028-000123`: the year of submission (Rome) and the candidacy's number,
/// unique without a counter to share between server instances.
pub fn reference(candidacy_id: i64, at: DateTime<Utc>) -> String {
    format!("OL-{}-{candidacy_id:06}", at.with_timezone(&Rome).year())
}

pub fn document_label(lang: app::Lang, purpose: &str) -> String {
    let key = match purpose {
        "template" => "submit.doc_template",
        "photo" => "attachments.photo",
        "perimeter" => "attachments.perimeter",
        "cadastral_extract" => "attachments.cadastral_extract",
        "report" => "attachments.report",
        "form_a" => "signed.form_a",
        "form_b" => "signed.form_b",
        "form_c" => "signed.form_c",
        RECEIPT => "submit.doc_receipt",
        _ => "signed.id_document",
    };
    app::i18n::t(lang, key)
}

/// Submits `c` for `filer`: refuses after the closing instant and when
/// something is missing; otherwise records the change, stores the receipt and
/// queues the email with it, all or nothing. A candidacy sent back for
/// integration is submitted with the proponent's `reply`, which closes the
/// request and tells the officer; unless the request reopened the owner's
/// details, the receipt names the parties as first submitted.
///
/// The receipt is made from a first read of the documents; then, in the
/// transaction, the status changes first (a conditional update that takes the
/// candidacy's write lock, so no upload can record a document after it) and
/// the documents are read again. If one arrived in between, the receipt would
/// not list it: the transaction is undone and the submission made again.
pub async fn submit(
    state: &AppState,
    c: &candidacy::Model,
    filer: &user::Model,
    lang: app::Lang,
    reply: &str,
) -> AppResult<Result<candidacy::Model, Refusal>> {
    let now = state.clock.now();
    // A first submission must arrive in time; one that staff sent back may be answered later.
    if c.reference.is_none() && now > state.config.submission_deadline {
        return Ok(Err(Refusal::Closed));
    }
    if !editable(c) {
        return Err(AppError::Locked);
    }
    // Checked again where the request is closed; here before a receipt is made.
    integration::checked_reply(reply)?;
    let answering = match c.status {
        status::Status::IntegrationRequested => Some(
            integration::open(&state.db, c.id)
                .await?
                .ok_or(AppError::Locked)?,
        ),
        _ => None,
    };
    let keep_parties = answering.as_ref().is_some_and(|r| !r.opens(Part::Owner));
    for _ in 0..3 {
        let contents = Contents::load(&state.db, c).await?;
        // The template's values, frozen with the submission (exports read
        // them): from the very file this receipt lists.
        let values = template_values(state, c, contents.template.as_ref()).await?;
        // The submitted parties, when the request leaves the owner as it was.
        let parties = Parties::of(&state.db, c).await?;
        let missing = gaps(c, parties.as_ref(), &contents);
        let Some(parties) = parties.filter(|_| missing.is_empty()) else {
            return Ok(Err(Refusal::Incomplete(missing)));
        };
        let reference = c.reference.clone().unwrap_or_else(|| reference(c.id, now));
        let receipt = receipt(c, filer, &parties.owner, lang, &contents, &reference, now);
        let pdf_lang = crate::candidacies::signed_forms::document_lang(lang);
        let pdf = state
            .heavy
            .run(move || forms::receipt::render(pdf_lang, &receipt))
            .await?
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let dir = state.config.uploads_dir();
        let name = format!("{reference}.pdf");
        let stored = uploads::store_bytes(&dir, &name, &pdf)
            .await
            .map_err(|e| AppError::Internal(format!("{e:?}")))?;

        let txn = state.db.begin().await?;
        let who = (Actor::filer_of(c), filer.id);
        let changed = status::apply(&txn, c, Action::Submit, who, now, Some(&reference), "").await;
        let (same, moved) = match changed {
            Ok(t) => (
                Some(Contents::load(&txn, c).await?.ids() == contents.ids()),
                Some(t),
            ),
            Err(AppError::Locked) => (None, None),
            Err(e) => return Err(e),
        };
        // The site and the people on the receipt are those read before: they must
        // not have changed since (a shared owner edited from another draft, say).
        let site_unchanged = same.is_some()
            && same_site(&txn, c).await?
            && (keep_parties || Parties::live(&txn, c).await?.as_ref() == Some(&parties));
        if same != Some(true) || !site_unchanged {
            txn.rollback().await?;
            documents::forget_unused(&state.db, &dir, &stored.sha256).await;
            if same == Some(false) {
                continue;
            }
            return Err(AppError::Locked);
        }
        // The Submit move's email, which carries the receipt.
        let email = moved.and_then(|t| t.email).ok_or_else(no_email)?;
        if answering.is_some() {
            integration::close_with_reply(state, &txn, c, filer.id, reply, now).await?;
        }
        crate::candidacies::owners::freeze(&txn, c, &parties).await?;
        freeze_values(&txn, c.id, values.clone(), Some(who), now).await?;
        documents::record(&txn, c.id, RECEIPT, &stored, &[], None, now).await?;
        let link = state.link(&format!("/candidacies/{}/submit", c.id));
        let path = stored.path.display().to_string();
        outbox::enqueue_with_file(
            &txn,
            &filer.email,
            email,
            lang,
            &[("reference", &reference), ("link", &link)],
            Attachment {
                name: &name,
                path: &path,
            },
            now,
        )
        .await?;
        txn.commit().await?;
        return Ok(Ok(candidacy::Entity::find_by_id(c.id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?));
    }
    // Documents kept arriving while submitting: let the proponent look again.
    Err(AppError::Locked)
}

/// Whether the candidacy's site and owner are still those of `c`.
async fn same_site(txn: &impl ConnectionTrait, c: &candidacy::Model) -> AppResult<bool> {
    let now = candidacy::Entity::find_by_id(c.id).one(txn).await?;
    Ok(now.is_some_and(|n| {
        (
            &n.municipality_code,
            &n.address,
            &n.postcode,
            n.latitude,
            n.longitude,
            n.owner_id,
        ) == (
            &c.municipality_code,
            &c.address,
            &c.postcode,
            c.latitude,
            c.longitude,
            c.owner_id,
        )
    }))
}

/// The receipt's contents: who, what, when, and every document with its SHA-256.
fn receipt(
    c: &candidacy::Model,
    filer: &user::Model,
    owner: &profile::Model,
    lang: app::Lang,
    contents: &Contents,
    reference: &str,
    now: DateTime<Utc>,
) -> Receipt {
    Receipt {
        reference: reference.to_string(),
        submitted: app::pages::format_datetime(lang, &crate::clock::rome(now)),
        kind: app::i18n::t(
            lang,
            match kind_of(c) {
                forms::Kind::Settlement => "candidacy.kind_a",
                forms::Kind::Investment => "candidacy.kind_b",
            },
        ),
        proponent: owner.name.clone(),
        tax_code: owner.tax_code.clone(),
        filer: filer.email.clone(),
        site: crate::candidacies::site_label(c),
        documents: contents
            .documents()
            .into_iter()
            .map(|d| ReceiptDocument {
                label: document_label(lang, &d.purpose),
                name: d.original_name.clone(),
                size: d.size,
                sha256: d.sha256.clone(),
            })
            .collect(),
    }
}

/// Why a submission was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// After the closing instant.
    Closed,
    Incomplete(Vec<Gap>),
}

/// A filer's move without its email in the table (the table's own test forbids it).
fn no_email() -> AppError {
    AppError::Internal("the table of moves names no email for this move".into())
}

/// Withdraws a submitted candidacy; its data and files stay, for the record.
pub async fn withdraw(
    state: &AppState,
    c: &candidacy::Model,
    actor: &user::Model,
    lang: app::Lang,
) -> AppResult<()> {
    if !withdrawable(c) {
        return Err(AppError::Locked);
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let who = (Actor::filer_of(c), actor.id);
    let moved = status::apply(&txn, c, Action::Withdraw, who, now, None, "").await?;
    integration::close_on_withdrawal(&txn, c, now).await?;
    crate::review::publication::end(&txn, c.id, actor.id, "withdrawn", now).await?;
    let reference = c.reference.clone().unwrap_or_default();
    let link = state.link(&format!("/candidacies/{}/submit", c.id));
    outbox::enqueue(
        &txn,
        &actor.email,
        moved.email.ok_or_else(no_email)?,
        lang,
        &[("reference", &reference), ("link", &link)],
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_fields_name_each_difference_once() {
        let before = r#"{"area":"100","title":"Ex Falck","power":"50"}"#;
        let after = r#"{"area":"120","title":"Ex Falck","rail":"yes"}"#;
        let changed = changed_fields(before, after);
        let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(
            changed,
            vec![
                s("area", "100", "120"),
                s("power", "50", ""),
                s("rail", "", "yes")
            ]
        );
        assert!(changed_fields(after, after).is_empty());
        // A set that does not read counts as empty: every field is new.
        assert_eq!(
            changed_fields("not json", r#"{"a":"1"}"#),
            vec![s("a", "", "1")]
        );
    }

    #[test]
    fn the_reference_takes_the_year_in_rome() {
        // 31 December 2026, 23:30 UTC is already 2027 in Rome.
        let at = DateTime::parse_from_rfc3339("2026-12-31T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(reference(123, at), "OL-2027-000123");
        assert_eq!(reference(1_234_567, at), "OL-2027-1234567");
    }
}
