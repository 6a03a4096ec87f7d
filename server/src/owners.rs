//! Owners a delegate files candidacies for (DGR XII/4959 §4.2, form C): their
//! details are checked like a profile, saved once per delegate and offered
//! again; the owner's details fill forms A, B and C and say who must sign them.
//! An owner given read access can read, with the same email, what was filed for them.

use crate::db::entities::{candidacy, owner, profile, user};
use crate::error::{AppError, AppResult};
use crate::profiles;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};

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
pub fn to_form(o: &owner::Model) -> app::view_data::FormState {
    let mut form = profiles::to_form(&as_profile(o));
    if o.read_access {
        form.values.insert("read_access".into(), "yes".into());
    }
    form
}

/// Saves checked details: a new owner of `delegate_id`, or `existing` updated
/// (so the next candidacy for the same owner starts from the corrected details).
pub async fn save(
    db: &DatabaseConnection,
    delegate_id: i64,
    existing: Option<owner::Model>,
    data: profile::Model,
    read_access: bool,
    now: DateTime<Utc>,
) -> AppResult<owner::Model> {
    let is_new = existing.is_none();
    let mut row = match existing {
        Some(o) => o.into_active_model(),
        None => owner::ActiveModel {
            delegate_id: Set(delegate_id),
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
    if is_new {
        Ok(row.insert(db).await?)
    } else {
        Ok(row.update(db).await?)
    }
}

/// Files the candidacy for `owner`.
pub async fn link(
    db: &DatabaseConnection,
    c: candidacy::Model,
    owner_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut row = c.into_active_model();
    row.owner_id = Set(Some(owner_id));
    row.updated_at = Set(now);
    row.update(db).await?;
    Ok(())
}

/// The owner a candidacy is filed for, when a delegate files it.
pub async fn of(db: &DatabaseConnection, c: &candidacy::Model) -> AppResult<Option<owner::Model>> {
    match c.owner_id {
        Some(id) => Ok(owner::Entity::find_by_id(id).one(db).await?),
        None => Ok(None),
    }
}

/// Who owns the site of `c`, as a profile: the owner a delegate entered, or
/// the proponent's own profile.
pub async fn owner_of(
    db: &DatabaseConnection,
    c: &candidacy::Model,
) -> AppResult<Option<profile::Model>> {
    match of(db, c).await? {
        Some(o) => Ok(Some(as_profile(&o))),
        None => profiles::load(db, c.user_id).await,
    }
}

/// Candidacies filed by delegates for the owner registered as `account`, when
/// the delegate gave read access and the account's email is verified.
pub async fn filed_for(
    db: &DatabaseConnection,
    account: &user::Model,
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
    if owner_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(candidacy::Entity::find()
        .filter(candidacy::Column::OwnerId.is_in(owner_ids))
        .filter(candidacy::Column::UserId.ne(account.id))
        .order_by_desc(candidacy::Column::UpdatedAt)
        .all(db)
        .await?)
}
