//! Publication: a validated candidacy goes online in the catalogue as a
//! frozen version (the snapshot). While the candidacy is revised, that
//! version stays online; a new publication replaces it, and unpublishing,
//! withdrawing or rejecting the revision ends it. The status table says who
//! moves; this module adds what publishing needs: the owner's consent
//! (a valid form B) and, with the four-eyes rule, a second officer.

use crate::audit;
use crate::candidacies::documents;
use crate::candidacies::municipality_label;
use crate::candidacies::owners::Parties;
use crate::candidacies::signed_forms::checked_for;
use crate::candidacies::status::{self, Action, Status};
use crate::db::entities::{candidacy, candidacy_event, publication, user};
use crate::error::{AppError, AppResult};
use crate::review::answers;
use crate::review::decisions;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a version online holds: the site, and the template's public fields
/// (`public = true` in the call) as validated. Personal data stays out;
/// nothing here is read from the working copy once published.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub reference: String,
    /// "a" (settlement) or "b" (investment).
    pub kind: String,
    pub municipality_code: String,
    /// "Dalmine (BG)".
    pub municipality: String,
    pub address: String,
    pub postcode: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Each public field as validated (option ids, plain numbers, ISO
    /// dates), by its id in the call; the card shows them in its language.
    pub fields: BTreeMap<String, String>,
    /// The photos' document ids (a document a receipt lists is never deleted).
    pub photos: Vec<i64>,
    /// When the proponent last declared these data (the submission, or the
    /// reply to a request that changed them); `None` in versions published
    /// before it was kept.
    #[serde(default)]
    pub declared_at: Option<DateTime<Utc>>,
    /// When an officer validated them.
    #[serde(default)]
    pub validated_at: Option<DateTime<Utc>>,
}

impl Snapshot {
    /// A text the proponent may write in either language (the fields `it`
    /// and `en`) as a page in `lang` shows it: in that language, else in
    /// the other; with the language it is written in.
    pub fn text_in(&self, lang: app::Lang, it: &str, en: &str) -> Option<(&str, app::Lang)> {
        let value = |id: &str| {
            self.fields
                .get(id)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        };
        let (first, second, other) = match lang {
            app::Lang::En => (en, it, app::Lang::It),
            app::Lang::It => (it, en, app::Lang::En),
        };
        value(first)
            .map(|v| (v, lang))
            .or_else(|| value(second).map(|v| (v, other)))
    }

    /// The site's title in `lang` (or the other language), else its reference.
    pub fn title(&self, lang: app::Lang) -> &str {
        self.text_in(lang, "title_it", "title_en")
            .map_or(self.reference.as_str(), |(t, _)| t)
    }
}

/// What stops an officer from publishing a validated candidacy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Obstacle {
    /// Form B, the owner's consent to publication, is not validly signed
    /// by the owner the submission names.
    NoConsent,
    /// The four-eyes rule: who validated cannot publish.
    SameOfficer,
    /// The four-eyes rule, and the history does not say who validated.
    UnknownValidator,
    /// The candidacy changed after the preview was shown: look again.
    Changed,
}

impl Obstacle {
    /// The translation key that explains it.
    pub fn key(self) -> &'static str {
        match self {
            Obstacle::NoConsent => "publish.no_consent",
            Obstacle::SameOfficer => "publish.same_officer",
            Obstacle::UnknownValidator => "publish.unknown_validator",
            Obstacle::Changed => "publish.changed",
        }
    }
}

/// The version of candidacy `id` online now, if any.
pub async fn online(
    db: &impl ConnectionTrait,
    candidacy_id: i64,
) -> AppResult<Option<publication::Model>> {
    Ok(publication::Entity::find()
        .filter(publication::Column::CandidacyId.eq(candidacy_id))
        .filter(publication::Column::EndedAt.is_null())
        .one(db)
        .await?)
}

/// Every version of candidacy `id`, oldest first.
pub async fn versions(
    db: &impl ConnectionTrait,
    candidacy_id: i64,
) -> AppResult<Vec<publication::Model>> {
    Ok(publication::Entity::find()
        .filter(publication::Column::CandidacyId.eq(candidacy_id))
        .order_by_asc(publication::Column::Version)
        .all(db)
        .await?)
}

/// The highest version number of candidacy `id` (0 before the first).
async fn last_version(db: &impl ConnectionTrait, candidacy_id: i64) -> AppResult<i32> {
    use sea_orm::QuerySelect;
    let last: Option<Option<i32>> = publication::Entity::find()
        .select_only()
        .column_as(publication::Column::Version.max(), "last")
        .filter(publication::Column::CandidacyId.eq(candidacy_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0))
}

/// A version's snapshot; unreadable is an error, never an empty page online.
pub fn snapshot_of(p: &publication::Model) -> AppResult<Snapshot> {
    serde_json::from_str(&p.snapshot)
        .map_err(|e| AppError::Internal(format!("publication {}: snapshot: {e}", p.id)))
}

/// Whether form B, as last uploaded, is validly signed (digitally, or by
/// hand with the identity document) for the owner the submission froze.
pub async fn consent(db: &impl ConnectionTrait, c: &candidacy::Model) -> AppResult<bool> {
    let Some(parties) = Parties::submitted(c)? else {
        return Ok(false);
    };
    let owner = Some(checked_for(&parties.owner));
    let for_owner = |d: &crate::db::entities::document::Model| d.signed_for == owner;
    let Some(form_b) = documents::latest(db, c.id, "form_b").await? else {
        return Ok(false);
    };
    Ok(match form_b.signature.as_deref() {
        Some("valid") => for_owner(&form_b),
        Some("handwritten") => {
            let id =
                documents::latest(db, c.id, crate::candidacies::signed_forms::ID_DOCUMENT).await?;
            for_owner(&form_b) && id.as_ref().is_some_and(for_owner)
        }
        _ => false,
    })
}

/// The last move of `c` from `from` to `to`, if any.
async fn last_move(
    db: &impl ConnectionTrait,
    c: &candidacy::Model,
    from: Status,
    to: Status,
) -> AppResult<Option<candidacy_event::Model>> {
    Ok(candidacy_event::Entity::find()
        .filter(candidacy_event::Column::CandidacyId.eq(c.id))
        .filter(candidacy_event::Column::FromStatus.eq(from.as_str()))
        .filter(candidacy_event::Column::ToStatus.eq(to.as_str()))
        .order_by_desc(candidacy_event::Column::Id)
        .one(db)
        .await?)
}

/// Who validated `c` last (the move from review to validated).
async fn validator(db: &impl ConnectionTrait, c: &candidacy::Model) -> AppResult<Option<i64>> {
    let validated = last_move(db, c, Status::UnderReview, Status::Validated).await?;
    Ok(validated.map(|e| e.actor_id))
}

/// When the proponent last declared `c`'s data: the reply to a request, or
/// else the submission.
async fn declared_at(
    db: &impl ConnectionTrait,
    c: &candidacy::Model,
) -> AppResult<Option<DateTime<Utc>>> {
    let reply = last_move(db, c, Status::IntegrationRequested, Status::UnderReview).await?;
    Ok(reply.map(|e| e.at).or(c.submitted_at))
}

/// What stops `account` from publishing `c` now (nothing: it may). Asked
/// for the preview, and again in the transaction that publishes.
pub async fn obstacles(
    db: &impl ConnectionTrait,
    four_eyes: bool,
    c: &candidacy::Model,
    account: &user::Model,
) -> AppResult<Vec<Obstacle>> {
    let mut found = Vec::new();
    if !consent(db, c).await? {
        found.push(Obstacle::NoConsent);
    }
    if four_eyes {
        match validator(db, c).await? {
            Some(id) if id == account.id => found.push(Obstacle::SameOfficer),
            Some(_) => {}
            None => found.push(Obstacle::UnknownValidator),
        }
    }
    Ok(found)
}

/// When `c` last changed, as the preview hands it to the form that publishes.
pub fn seen(c: &candidacy::Model) -> i64 {
    c.updated_at.timestamp_micros()
}

/// The version `c` would publish: the site as located and the template as
/// validated, read under the reader's guard.
pub async fn snapshot(state: &AppState, c: &candidacy::Model) -> AppResult<Snapshot> {
    // Validated, so it has a template: one that no longer reads is an error.
    let fields = answers::stored(state, c, answers::public_values)
        .await?
        .ok_or_else(|| AppError::Internal(format!("candidacy {}: template", c.id)))?;
    let photos = documents::all_for(&state.db, c.id, "photo")
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    Ok(Snapshot {
        reference: c.reference.clone().unwrap_or_default(),
        kind: c.kind.clone(),
        municipality_code: c.municipality_code.clone().unwrap_or_default(),
        municipality: municipality_label(c),
        address: c.address.clone().unwrap_or_default(),
        postcode: c.postcode.clone().unwrap_or_default(),
        latitude: c.latitude,
        longitude: c.longitude,
        fields,
        photos,
        declared_at: declared_at(&state.db, c).await?,
        validated_at: last_move(&state.db, c, Status::UnderReview, Status::Validated)
            .await?
            .map(|e| e.at),
    })
}

/// Publishes `c` for `account`, as previewed when it was `previewed` (see
/// [`seen`]): the move to Published, the version online (replacing the one a
/// revision left online), the email to the filer and the reader, in one
/// transaction. The obstacles are asked again inside it, after the move has
/// locked the row, so what was checked is what is published.
pub async fn publish(
    state: &AppState,
    c: &candidacy::Model,
    account: &user::Model,
    previewed: Option<i64>,
) -> AppResult<Result<publication::Model, Vec<Obstacle>>> {
    let by = decisions::officer(account)?;
    if previewed != Some(seen(c)) {
        return Ok(Err(vec![Obstacle::Changed]));
    }
    let four_eyes = state.config.review.four_eyes;
    let found = obstacles(&state.db, four_eyes, c, account).await?;
    if !found.is_empty() {
        return Ok(Err(found));
    }
    let snapshot = snapshot(state, c).await?;
    let snapshot = serde_json::to_string(&snapshot)
        .map_err(|e| AppError::Internal(format!("candidacy {}: snapshot: {e}", c.id)))?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let moved = status::apply(&txn, c, Action::Publish, by, now, None, "").await?;
    let found = obstacles(&txn, four_eyes, c, account).await?;
    if !found.is_empty() {
        txn.rollback().await?;
        return Ok(Err(found));
    }
    end(&txn, c.id, account.id, "replaced", now).await?;
    let version = last_version(&txn, c.id).await? + 1;
    let row = publication::ActiveModel {
        candidacy_id: Set(c.id),
        version: Set(version),
        published_at: Set(now),
        published_by: Set(account.id),
        snapshot: Set(snapshot),
        end_reason: Set(String::new()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::catalogue::bump(&txn).await?;
    if let Some(template) = moved.email {
        decisions::tell_filer_and_reader(state, &txn, c, template, |_| Vec::new()).await?;
    }
    txn.commit().await?;
    Ok(Ok(row))
}

/// Whether `account` may take `c`'s version offline now: a published
/// candidacy (the Unpublish move), or one under revision whose earlier
/// version is still online (only that version ends; the review goes on).
pub async fn may_unpublish(
    db: &impl ConnectionTrait,
    c: &candidacy::Model,
    account: &user::Model,
) -> AppResult<bool> {
    let by = decisions::officer(account)?;
    if status::allowed(c, Action::Unpublish, by).is_some() {
        return Ok(true);
    }
    Ok(c.status != Status::Published && online(db, c.id).await?.is_some())
}

/// Takes `c`'s version offline with `reasons` (required; they reach the
/// proponent). `BadRequest` without them or when too long; `Locked` when
/// nothing of `c` is online (any more).
pub async fn unpublish(
    state: &AppState,
    c: &candidacy::Model,
    account: &user::Model,
    reasons: &str,
) -> AppResult<()> {
    let reasons = decisions::check_reasons(reasons, "").map_err(|_| AppError::BadRequest)?;
    let by = decisions::officer(account)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let template = if c.status == Status::Published {
        let moved = status::apply(&txn, c, Action::Unpublish, by, now, None, &reasons).await?;
        moved.email.unwrap_or("candidacy_unpublished")
    } else {
        // Under revision: the status stays, as read (a conditional update that
        // takes the row's lock, so a publication cannot slip in between), and
        // the history says the version went.
        let touched = candidacy::Entity::update_many()
            .col_expr(candidacy::Column::UpdatedAt, Expr::value(now))
            .filter(candidacy::Column::Id.eq(c.id))
            .filter(candidacy::Column::Status.eq(c.status))
            .exec(&txn)
            .await?;
        if touched.rows_affected != 1 || !may_unpublish(&txn, c, account).await? {
            txn.rollback().await?;
            return Err(AppError::Locked);
        }
        status::history_line(&txn, c.id, by, (c.status, c.status), &reasons, now).await?;
        let entry = audit::Entry::new(audit::Who::actor(by), Some(c.id), audit::Action::Unpublish)
            .note(reasons.as_str());
        audit::append(&txn, entry, now).await?;
        "candidacy_unpublished"
    };
    if end(&txn, c.id, account.id, &reasons, now).await? != 1 {
        txn.rollback().await?;
        return Err(AppError::Locked);
    }
    let shown = decisions::as_markdown_text(&reasons);
    let vars = |_: app::Lang| vec![("reasons", shown.clone())];
    decisions::tell_filer_and_reader(state, &txn, c, template, vars).await?;
    txn.commit().await?;
    Ok(())
}

/// Opens a published `c` to review again, in `account`'s charge, with the
/// reason in the history; the version online stays until replaced.
pub async fn revise(
    state: &AppState,
    c: &candidacy::Model,
    account: &user::Model,
    reason: &str,
) -> AppResult<()> {
    let reason = decisions::check_reasons(reason, "").map_err(|_| AppError::BadRequest)?;
    let by = decisions::officer(account)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    status::apply(&txn, c, Action::Revise, by, now, None, &reason).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends the version of candidacy `id` online, if any, with `reason`: inside
/// the transaction of the move that takes it offline (a new version, an
/// unpublication, a withdrawal, a rejected revision). How many ended (0 or 1).
pub async fn end(
    txn: &impl ConnectionTrait,
    candidacy_id: i64,
    by: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let ended = publication::Entity::update_many()
        .col_expr(publication::Column::EndedAt, Expr::value(Some(now)))
        .col_expr(publication::Column::EndedBy, Expr::value(Some(by)))
        .col_expr(publication::Column::EndReason, Expr::value(reason))
        .filter(publication::Column::CandidacyId.eq(candidacy_id))
        .filter(publication::Column::EndedAt.is_null())
        .exec(txn)
        .await?;
    if ended.rows_affected > 0 {
        crate::catalogue::bump(txn).await?;
    }
    Ok(ended.rows_affected)
}
