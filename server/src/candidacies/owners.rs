//! Owners a delegate files candidacies for (DGR XII/4959 §4.2, form C): their
//! details are checked like a profile, saved once per delegate and offered
//! again; the owner's details fill forms A, B and C and say who must sign them.
//! An owner given read access can read, with the same email, what was filed for them.

use crate::candidacies;
use crate::candidacies::profiles;
use crate::db::entities::{candidacy, document, owner, profile, user};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};

/// The delegate's saved owners, by name.
pub async fn list(db: &DatabaseConnection, delegate_id: i64) -> AppResult<Vec<owner::Model>> {
    Ok(owner::Entity::find()
        .filter(owner::Column::DelegateId.eq(delegate_id))
        .order_by_asc(owner::Column::Name)
        .all(db)
        .await?)
}

/// One of the delegate's owners; someone else's is "not found".
pub async fn find_own(
    db: &DatabaseConnection,
    delegate_id: i64,
    id: i64,
) -> AppResult<owner::Model> {
    owner::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|o| o.delegate_id == delegate_id)
        .ok_or(AppError::NotFound)
}

/// The owner's details in the shape of a profile, which is what the forms and
/// the signature check read.
pub fn as_profile(o: &owner::Model) -> profile::Model {
    profile::Model {
        user_id: o.delegate_id,
        subject_type: o.subject_type.clone(),
        org_type: o.org_type.clone(),
        name: o.name.clone(),
        tax_code: o.tax_code.clone(),
        vat_number: o.vat_number.clone(),
        legal_rep: o.legal_rep.clone(),
        legal_rep_tax_code: o.legal_rep_tax_code.clone(),
        address: o.address.clone(),
        postcode: o.postcode.clone(),
        city: o.city.clone(),
        email: o.email.clone(),
        pec: o.pec.clone(),
        phone: o.phone.clone(),
        property_role: o.property_role.clone(),
        created_at: o.created_at,
        updated_at: o.updated_at,
    }
}

/// The form of a saved owner, as the page shows it.
pub fn to_form(o: &owner::Model) -> crate::fields::Checked {
    form_of(&as_profile(o), o.read_access)
}

/// The owner page's form for these details.
pub fn form_of(owner: &profile::Model, read_access: bool) -> crate::fields::Checked {
    let mut form = profiles::to_form(owner);
    if read_access {
        form.values.insert("read_access".into(), "yes".into());
    }
    form
}

/// Saves checked details for the candidacy `c` (a delegate's, still editable):
/// its owner updated, or a new owner of the delegate's linked to it. One
/// transaction opened by `candidacies::editing`, so nothing is written once the
/// candidacy has been submitted; a submitted candidacy sharing this owner keeps
/// the details frozen with it (`Parties`).
pub async fn save(
    db: &DatabaseConnection,
    c: &candidacy::Model,
    data: profile::Model,
    read_access: bool,
    now: DateTime<Utc>,
) -> AppResult<owner::Model> {
    let (txn, _) = candidacies::editing(db, c.id, candidacies::Part::Owner, now).await?;
    // Read again under the lock: which owner the candidacy has now.
    let linked = candidacy::Entity::find_by_id(c.id)
        .one(&txn)
        .await?
        .and_then(|c| c.owner_id);
    let existing = match linked {
        Some(id) => owner::Entity::find_by_id(id).one(&txn).await?,
        None => None,
    };
    let is_new = existing.is_none();
    let mut row = match existing {
        Some(o) => o.into_active_model(),
        None => owner::ActiveModel {
            delegate_id: Set(c.user_id),
            created_at: Set(now),
            ..Default::default()
        },
    };
    row.subject_type = Set(data.subject_type);
    row.org_type = Set(data.org_type);
    row.name = Set(data.name);
    row.tax_code = Set(data.tax_code);
    row.vat_number = Set(data.vat_number);
    row.legal_rep = Set(data.legal_rep);
    row.legal_rep_tax_code = Set(data.legal_rep_tax_code);
    row.address = Set(data.address);
    row.postcode = Set(data.postcode);
    row.city = Set(data.city);
    row.email = Set(data.email);
    row.pec = Set(data.pec);
    row.phone = Set(data.phone);
    row.property_role = Set(data.property_role);
    row.read_access = Set(read_access);
    row.updated_at = Set(now);
    let saved = if is_new {
        let saved = row.insert(&txn).await?;
        link_in(&txn, c.id, saved.id).await?;
        saved
    } else {
        row.update(&txn).await?
    };
    txn.commit().await?;
    Ok(saved)
}

/// Files a new candidacy for the delegate's `owner_id`, inside `txn`.
pub async fn link_in(
    txn: &impl ConnectionTrait,
    candidacy_id: i64,
    owner_id: i64,
) -> AppResult<()> {
    candidacy::Entity::update_many()
        .col_expr(candidacy::Column::OwnerId, Expr::value(Some(owner_id)))
        .filter(candidacy::Column::Id.eq(candidacy_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The owner a candidacy is filed for, when a delegate files it.
pub async fn of(
    db: &impl ConnectionTrait,
    c: &candidacy::Model,
) -> AppResult<Option<owner::Model>> {
    match c.owner_id {
        Some(id) => Ok(owner::Entity::find_by_id(id).one(db).await?),
        None => Ok(None),
    }
}

/// Who a candidacy names: the owner of the site and the account filing it (the
/// same person unless a delegate files), with whether the owner may read it.
/// Frozen into the candidacy when it is submitted: from then on the receipt,
/// the summary, the owner's read access and staff read these, not the profile
/// or the delegate's saved owner, which may change for the next candidacy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parties {
    pub owner: profile::Model,
    pub filer: profile::Model,
    pub read_access: bool,
}

impl Parties {
    /// What the candidacy names now: frozen if it has been submitted and is
    /// not open to changes again, or reopened for a request that leaves the
    /// owner as submitted; otherwise the live details. `None` until the
    /// filer's profile (and a delegate's owner) are filled. The forms step,
    /// the submission and the officer's comparison all read this one.
    pub async fn of(db: &impl ConnectionTrait, c: &candidacy::Model) -> AppResult<Option<Parties>> {
        if let Some(p) = Parties::frozen(c)? {
            return Ok(Some(p));
        }
        if crate::review::integration::keeps_owner(db, c).await? {
            return Parties::submitted(c);
        }
        Parties::live(db, c).await
    }

    /// The details as saved now, whatever the candidacy's state.
    pub async fn live(
        db: &impl ConnectionTrait,
        c: &candidacy::Model,
    ) -> AppResult<Option<Parties>> {
        let Some(filer) = profiles::load(db, c.user_id).await? else {
            return Ok(None);
        };
        Ok(match c.owner_id {
            None => Some(Parties {
                owner: filer.clone(),
                filer,
                read_access: false,
            }),
            Some(_) => of(db, c).await?.map(|o| Parties {
                owner: as_profile(&o),
                filer,
                read_access: o.read_access,
            }),
        })
    }

    /// The details frozen by the last submission, while the candidacy is not
    /// editable. A copy that cannot be read is an error, never a silent fall
    /// back to the live details it exists to stand in for.
    pub fn frozen(c: &candidacy::Model) -> AppResult<Option<Parties>> {
        if crate::candidacies::submission::editable(c) {
            return Ok(None);
        }
        Parties::submitted(c)
    }

    /// The details frozen by the last submission, whatever the state now
    /// (a reply to a request for integration keeps them unless asked).
    pub fn submitted(c: &candidacy::Model) -> AppResult<Option<Parties>> {
        let Some(json) = c.submitted_parties.as_deref() else {
            return Ok(None);
        };
        serde_json::from_str(json).map(Some).map_err(|e| {
            AppError::Internal(format!(
                "candidacy {}: frozen parties unreadable: {e}",
                c.id
            ))
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Who may read the candidacy as its owner: the email of an owner a
    /// delegate gave read access to.
    pub fn reader_email(&self, c: &candidacy::Model) -> Option<String> {
        // Account emails are stored lower-case; a delegate may have typed capitals.
        (c.owner_id.is_some() && self.read_access).then(|| self.owner.email.to_lowercase())
    }
}

/// Who owns the site of `c`, as a profile: see `Parties::of`.
pub async fn owner_of(
    db: &impl ConnectionTrait,
    c: &candidacy::Model,
) -> AppResult<Option<profile::Model>> {
    Ok(Parties::of(db, c).await?.map(|p| p.owner))
}

/// Candidacies filed by delegates for the owner registered as `account`, when
/// the delegate gave read access and the account's email is verified.
pub async fn filed_for(
    db: &DatabaseConnection,
    account: &user::Model,
) -> AppResult<Vec<candidacy::Model>> {
    filed_for_matching(db, account, None).await
}

/// `filed_for`, only candidacy `id`: what reading one costs, whatever the account.
pub async fn filed_for_one(
    db: &DatabaseConnection,
    account: &user::Model,
    id: i64,
) -> AppResult<Option<candidacy::Model>> {
    Ok(filed_for_matching(db, account, Some(id)).await?.pop())
}

async fn filed_for_matching(
    db: &DatabaseConnection,
    account: &user::Model,
    only: Option<i64>,
) -> AppResult<Vec<candidacy::Model>> {
    if account.email_verified_at.is_none() {
        return Ok(Vec::new());
    }
    let owner_ids: Vec<i64> = owner::Entity::find()
        .filter(owner::Column::Email.eq(account.email.clone()))
        .filter(owner::Column::ReadAccess.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    // Drafts (and candidacies sent back) by the delegate's saved owner today;
    // submitted ones by the owner their submission named, whatever the saved
    // owner says now: a later edit neither hands them to someone else nor
    // takes them from the owner they were filed for.
    let mut open = candidacy::Entity::find()
        .filter(candidacy::Column::OwnerId.is_in(owner_ids))
        .filter(candidacy::Column::Status.is_in(candidacies::status::Status::EDITABLE));
    let mut submitted = candidacy::Entity::find()
        .filter(candidacy::Column::SubmittedReaderEmail.eq(account.email.clone()))
        .filter(candidacy::Column::Status.is_not_in(candidacies::status::Status::EDITABLE));
    if let Some(id) = only {
        open = open.filter(candidacy::Column::Id.eq(id));
        submitted = submitted.filter(candidacy::Column::Id.eq(id));
    }
    let mut filed = open.all(db).await?;
    filed.extend(submitted.all(db).await?);
    filed.retain(|c| c.user_id != account.id && c.owner_id.is_some());
    filed.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
    Ok(filed)
}

/// Keeps who the submission of `c` names with it (see `Parties`).
pub async fn freeze(
    txn: &impl ConnectionTrait,
    c: &candidacy::Model,
    parties: &Parties,
) -> AppResult<()> {
    candidacy::Entity::update_many()
        .col_expr(
            candidacy::Column::SubmittedParties,
            Expr::value(Some(parties.to_json())),
        )
        .col_expr(
            candidacy::Column::SubmittedReaderEmail,
            Expr::value(parties.reader_email(c)),
        )
        .filter(candidacy::Column::Id.eq(c.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Candidacies submitted before their parties were frozen (databases older
/// than that column) get the details they name today, once, at start-up; and
/// signed forms checked before `signed_for` existed are taken as checked for
/// the owner they name today, which is what their verdict was judged against.
pub async fn freeze_missing(db: &DatabaseConnection) -> AppResult<usize> {
    use sea_orm::Condition;
    let unfrozen = candidacy::Entity::find()
        .filter(
            Condition::any()
                .add(candidacy::Column::SubmittedParties.is_null())
                .add(
                    Condition::all()
                        .add(candidacy::Column::SubmittedReaderEmail.is_null())
                        .add(candidacy::Column::OwnerId.is_not_null()),
                ),
        )
        .all(db)
        .await?;
    let mut done = 0;
    for c in unfrozen {
        // A copy frozen before the reader column: keep it, and fill the reader from it.
        let parties = match Parties::frozen(&c)? {
            Some(frozen) => frozen,
            None => match Parties::live(db, &c).await? {
                Some(live) => live,
                None => continue,
            },
        };
        if !crate::candidacies::submission::editable(&c) {
            freeze(db, &c, &parties).await?;
            done += 1;
        }
        document::Entity::update_many()
            .col_expr(
                document::Column::SignedFor,
                Expr::value(Some(crate::candidacies::signed_forms::checked_for(
                    &parties.owner,
                ))),
            )
            .filter(document::Column::CandidacyId.eq(c.id))
            .filter(document::Column::SignedFor.is_null())
            .filter(
                document::Column::Purpose
                    .is_in(crate::candidacies::signed_forms::signed_purposes()),
            )
            .exec(db)
            .await?;
    }
    Ok(done)
}
