//! Candidacies: drafts created by a proponent, filled step by step, and the
//! prefill of their Excel template from the profile and the location.

pub mod documents;
pub mod owners;
pub mod profiles;
pub mod reminders;
pub mod signed_forms;
pub mod status;
pub mod submission;
pub mod thumbnails;
pub mod uploads;

use crate::db::entities::{candidacy, profile};
use crate::error::{AppError, AppResult};
use crate::fields::Checked;
pub use crate::review::integration::Part;
use chrono::{DateTime, Utc};
use forms::reference::{Municipalities, Placement, Provinces};
use forms::template::Prefill;
use forms::{Kind, Value};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use status::Status;
use std::collections::BTreeMap;

/// Opens a transaction in which the candidacy is still editable for `part`,
/// or `Locked` (`NotReopened` when staff sent it back for other items). The
/// check is a conditional update that also marks the candidacy changed: it
/// takes the row's write lock, so a submission running at the same moment
/// either finishes first (and this is `Locked`) or waits for this to commit
/// (and then sees the change in its receipt). Every change a proponent makes
/// to a candidacy goes through here. Also returns, when the candidacy is
/// answering a request for integration, the documents it was submitted with.
pub async fn editing(
    db: &DatabaseConnection,
    candidacy_id: i64,
    part: Part<'_>,
    now: DateTime<Utc>,
) -> AppResult<(DatabaseTransaction, Vec<i64>)> {
    let txn = db.begin().await?;
    let touched = candidacy::Entity::update_many()
        .col_expr(candidacy::Column::UpdatedAt, Expr::value(now))
        .filter(candidacy::Column::Id.eq(candidacy_id))
        .filter(candidacy::Column::Status.is_in(Status::EDITABLE))
        .exec(&txn)
        .await?;
    let c = match touched.rows_affected {
        1 => {
            candidacy::Entity::find_by_id(candidacy_id)
                .one(&txn)
                .await?
        }
        _ => None,
    };
    let reopened = match &c {
        Some(c) => crate::review::integration::reopened_for(&txn, c, part).await,
        None => Err(AppError::Locked),
    };
    match reopened {
        Ok(submitted) => Ok((txn, submitted)),
        Err(e) => {
            txn.rollback().await?;
            Err(e)
        }
    }
}

pub async fn list(db: &DatabaseConnection, user_id: i64) -> AppResult<Vec<candidacy::Model>> {
    Ok(candidacy::Entity::find()
        .filter(candidacy::Column::UserId.eq(user_id))
        .order_by_desc(candidacy::Column::UpdatedAt)
        .order_by_desc(candidacy::Column::Id)
        .all(db)
        .await?)
}

/// The candidacy `id` if `user_id` may work on it. Someone else's is "not found",
/// so nobody learns which numbers exist.
pub async fn find_own(
    db: &DatabaseConnection,
    user_id: i64,
    id: i64,
) -> AppResult<candidacy::Model> {
    candidacy::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.user_id == user_id)
        .ok_or(AppError::NotFound)
}

/// A new draft of `user_id`, filed for the delegate's saved `owner_id` if given;
/// `QuotaFull` when the account would then have more than `max_drafts` drafts.
/// Counted after the insert, so two requests at once cannot both slip under.
pub async fn create(
    db: &DatabaseConnection,
    user_id: i64,
    kind: Kind,
    owner_id: Option<i64>,
    max_drafts: u64,
    now: DateTime<Utc>,
) -> AppResult<candidacy::Model> {
    let row = candidacy::ActiveModel {
        user_id: Set(user_id),
        owner_id: Set(owner_id),
        kind: Set(kind.code().to_string()),
        status: Set(Status::Draft),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let created = row.insert(db).await?;
    let drafts = candidacy::Entity::find()
        .filter(candidacy::Column::UserId.eq(user_id))
        .filter(candidacy::Column::Status.eq(Status::Draft))
        .count(db)
        .await?;
    if drafts > max_drafts {
        candidacy::Entity::delete_by_id(created.id).exec(db).await?;
        return Err(AppError::QuotaFull);
    }
    Ok(created)
}

pub fn kind_of(c: &candidacy::Model) -> Kind {
    Kind::from_code(&c.kind).unwrap_or(Kind::Settlement)
}

/// Where the site is, as checked from the location step.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub municipality_code: String,
    pub address: String,
    pub postcode: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// "Bergamo (BG)" for the site's municipality; empty until the draft is located.
pub fn municipality_label(c: &candidacy::Model) -> String {
    c.municipality_code
        .as_deref()
        .and_then(|code| Municipalities::get().by_istat_code(code))
        .map(|m| m.list_label())
        .unwrap_or_default()
}

/// "Bergamo (BG), Via Grumello 57": where the site is, as far as the draft says.
pub fn site_label(c: &candidacy::Model) -> String {
    [municipality_label(c), c.address.clone().unwrap_or_default()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The location form of a saved draft.
pub fn location_form(c: &candidacy::Model) -> Checked {
    let municipality = municipality_label(c);
    let number = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
    Checked::with_values([
        ("municipality", municipality.as_str()),
        ("address", c.address.as_deref().unwrap_or("")),
        ("postcode", c.postcode.as_deref().unwrap_or("")),
        ("latitude", number(c.latitude).as_str()),
        ("longitude", number(c.longitude).as_str()),
    ])
}

/// Checks the location step; coordinates must fall in Lombardy (or within the
/// border tolerance of its simplified boundary).
pub fn check_location(values: BTreeMap<String, String>) -> (Checked, Option<Location>) {
    let mut form = Checked::new(values);
    let municipality = Municipalities::get().find(&form.trimmed("municipality"));
    if municipality.is_none() {
        form.add_error("municipality", "error.municipality_unknown");
    }
    let address = form.trimmed("address");
    if address.is_empty() || address.chars().count() > 200 {
        form.add_error("address", "error.text_required");
    }
    let postcode = form.trimmed("postcode");
    if !forms::value::is_postcode(&postcode) {
        form.add_error("postcode", "error.postcode_invalid");
    }
    // A comma is a decimal comma here: 45,4642 is never forty-five thousand.
    let coordinate = |name: &str| {
        form.trimmed(name)
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
    };
    let (lat, lon) = (coordinate("latitude"), coordinate("longitude"));
    if lat.is_none() {
        form.add_error("latitude", "error.latitude_invalid");
    }
    if lon.is_none() {
        form.add_error("longitude", "error.longitude_invalid");
    }
    if let (Some(lat), Some(lon)) = (lat, lon) {
        if Provinces::get().place(lat, lon) == Placement::Outside {
            form.add_error("latitude", "error.outside_lombardy");
        }
    }
    match (form.is_valid(), municipality, lat, lon) {
        (true, Some(m), Some(latitude), Some(longitude)) => {
            let location = Location {
                municipality_code: m.istat_code.clone(),
                address,
                postcode,
                latitude,
                longitude,
            };
            (form, Some(location))
        }
        _ => (form, None),
    }
}

/// Saves the location, on condition the candidacy is still editable (`Locked`
/// otherwise): a submission that landed since the page was read wins.
pub async fn save_location(
    db: &DatabaseConnection,
    c: candidacy::Model,
    l: Location,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (txn, _) = editing(db, c.id, Part::Location, now).await?;
    candidacy::Entity::update_many()
        .col_expr(
            candidacy::Column::MunicipalityCode,
            Expr::value(Some(l.municipality_code)),
        )
        .col_expr(candidacy::Column::Address, Expr::value(Some(l.address)))
        .col_expr(candidacy::Column::Postcode, Expr::value(Some(l.postcode)))
        .col_expr(candidacy::Column::Latitude, Expr::value(Some(l.latitude)))
        .col_expr(candidacy::Column::Longitude, Expr::value(Some(l.longitude)))
        .filter(candidacy::Column::Id.eq(c.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// The province the site's point falls in, and the municipality's own province
/// when it differs (shown as a warning, not refused).
pub fn placement(c: &candidacy::Model) -> Option<(String, Option<String>)> {
    let province = match Provinces::get().place(c.latitude?, c.longitude?) {
        Placement::Inside { province } | Placement::Near { province, .. } => province,
        Placement::Outside => return None,
    };
    let own = declared_province(c)?;
    let mismatch = (own != province).then_some(own);
    Some((province, mismatch))
}

/// The province of the municipality `c` names, as the reference data has it.
pub fn declared_province(c: &candidacy::Model) -> Option<String> {
    let m = Municipalities::get().by_istat_code(c.municipality_code.as_deref()?)?;
    Some(m.province_code.clone())
}

/// What the portal knows, written into the template: location from the draft,
/// the site-visit contact from the profile.
pub fn prefill(c: &candidacy::Model, profile: Option<&profile::Model>) -> Prefill {
    let mut p = Prefill::new();
    if let Some(code) = &c.municipality_code {
        p.insert("municipality".into(), Value::Municipality(code.clone()));
    }
    if let Some(address) = &c.address {
        p.insert("address".into(), Value::Text(address.clone()));
    }
    if let Some(postcode) = &c.postcode {
        p.insert("postcode".into(), Value::Text(postcode.clone()));
    }
    if let (Some(lat), Some(lon)) = (c.latitude, c.longitude) {
        p.insert("latitude".into(), Value::Coordinate(lat));
        p.insert("longitude".into(), Value::Coordinate(lon));
    }
    if let Some(profile) = profile {
        let contact = profile
            .legal_rep
            .clone()
            .unwrap_or_else(|| profile.name.clone());
        p.insert("contact_name".into(), Value::Text(contact));
        p.insert("contact_email".into(), Value::Text(profile.email.clone()));
        if forms::value::is_phone(&profile.phone) {
            p.insert("contact_phone".into(), Value::Text(profile.phone.clone()));
        }
        let ownership = match profile.org_type.as_deref() {
            Some("public_body") => "public",
            _ => "private",
        };
        p.insert("ownership".into(), Value::Choice(ownership.into()));
    }
    p
}
