//! The proponent's profile (§4.2 "saved applicant data"): checked, stored once
//! per account, and read back to prefill every new candidacy.

use crate::db::entities::profile;
use crate::error::AppResult;
use crate::fields::Checked;
use chrono::{DateTime, Utc};
use forms::identity;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel};
use std::collections::BTreeMap;

const SUBJECT_TYPES: [&str; 2] = ["person", "organisation"];
const ORG_TYPES: [&str; 4] = ["public_body", "company", "association", "foundation"];
const PROPERTY_ROLES: [&str; 4] = ["owner", "co_owner", "intermediary", "business_association"];
const MAX_TEXT: usize = 200;

pub async fn load(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i64,
) -> AppResult<Option<profile::Model>> {
    Ok(profile::Entity::find_by_id(user_id).one(db).await?)
}

/// The form as the page shows it, from a saved profile.
pub fn to_form(p: &profile::Model) -> Checked {
    let pairs = [
        ("subject_type", p.subject_type.as_str()),
        ("org_type", p.org_type.as_deref().unwrap_or("")),
        ("name", &p.name),
        ("tax_code", &p.tax_code),
        ("vat_number", p.vat_number.as_deref().unwrap_or("")),
        ("legal_rep", p.legal_rep.as_deref().unwrap_or("")),
        (
            "legal_rep_tax_code",
            p.legal_rep_tax_code.as_deref().unwrap_or(""),
        ),
        ("address", &p.address),
        ("postcode", &p.postcode),
        ("city", &p.city),
        ("email", &p.email),
        ("pec", p.pec.as_deref().unwrap_or("")),
        ("phone", &p.phone),
        ("property_role", &p.property_role),
    ];
    Checked::with_values(pairs)
}

/// Checks what was typed; on success returns the profile to store (without ids and times).
/// `form` keeps every value as typed, so a rejected form is shown again unchanged.
pub fn check(values: BTreeMap<String, String>) -> (Checked, Option<profile::Model>) {
    let mut form = Checked::new(values);
    let (subject, org) = (form.trimmed("subject_type"), form.trimmed("org_type"));
    let organisation = subject == "organisation";
    if !SUBJECT_TYPES.contains(&subject.as_str()) {
        form.add_error("subject_type", "error.choice_required");
    }
    if organisation && !ORG_TYPES.contains(&org.as_str()) {
        form.add_error("org_type", "error.choice_required");
    }
    for name in ["name", "address", "city"] {
        required_text(&mut form, name);
    }
    let tax_code = identity::normalise(&form.trimmed("tax_code"));
    if tax_code.is_empty() {
        form.add_error("tax_code", "error.text_required");
    } else if !identity::tax_code_ok(&tax_code) || (!organisation && tax_code.len() != 16) {
        form.add_error("tax_code", "error.tax_code_invalid");
    }
    let vat = identity::normalise(&form.trimmed("vat_number"))
        .trim_start_matches("IT")
        .to_string();
    if !vat.is_empty() && !identity::vat_ok(&vat) {
        form.add_error("vat_number", "error.vat_invalid");
    } else if vat.is_empty() && organisation && org == "company" {
        form.add_error("vat_number", "error.vat_required");
    }
    // The representative signs for the organisation: their tax code is how the
    // portal recognises that signature.
    let rep_code = identity::normalise(&form.trimmed("legal_rep_tax_code"));
    if organisation {
        required_text(&mut form, "legal_rep");
        if rep_code.is_empty() {
            form.add_error("legal_rep_tax_code", "error.text_required");
        } else if rep_code.len() != 16 || !identity::tax_code_ok(&rep_code) {
            form.add_error("legal_rep_tax_code", "error.tax_code_invalid");
        }
    }
    let postcode = form.trimmed("postcode");
    if !forms::value::is_postcode(&postcode) {
        form.add_error("postcode", "error.postcode_invalid");
    }
    let email = crate::accounts::operations::normalise_email(&form.trimmed("email"));
    if let Err(key) = &email {
        form.add_error("email", key);
    }
    let pec = match form.trimmed("pec") {
        p if p.is_empty() => Ok(None),
        p => crate::accounts::operations::normalise_email(&p).map(Some),
    };
    if let Err(key) = &pec {
        form.add_error("pec", key);
    }
    let phone = form
        .trimmed("phone")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !forms::value::is_phone(&phone) {
        form.add_error("phone", "error.phone_invalid");
    }
    let role = form.trimmed("property_role");
    if !PROPERTY_ROLES.contains(&role.as_str()) {
        form.add_error("property_role", "error.choice_required");
    }
    if !form.is_valid() {
        return (form, None);
    }
    let optional = |s: String| (!s.is_empty()).then_some(s);
    let now = DateTime::<Utc>::UNIX_EPOCH;
    let model = profile::Model {
        user_id: 0,
        subject_type: subject,
        org_type: organisation.then_some(org),
        name: form.trimmed("name"),
        tax_code,
        vat_number: optional(vat),
        legal_rep: if organisation {
            optional(form.trimmed("legal_rep"))
        } else {
            None
        },
        legal_rep_tax_code: if organisation {
            optional(rep_code)
        } else {
            None
        },
        address: form.trimmed("address"),
        postcode,
        city: form.trimmed("city"),
        email: email.unwrap_or_default(),
        pec: pec.unwrap_or_default(),
        phone,
        property_role: role,
        created_at: now,
        updated_at: now,
    };
    (form, Some(model))
}

fn required_text(form: &mut Checked, name: &str) {
    let value = form.value(name);
    if value.trim().is_empty() {
        form.add_error(name, "error.text_required");
    } else if value.chars().count() > MAX_TEXT {
        form.add_error(name, "error.text_too_long");
    }
}

/// Stores the profile of `user_id`, creating it the first time.
pub async fn save(
    db: &DatabaseConnection,
    user_id: i64,
    data: profile::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let created_at = load(db, user_id).await?.map(|p| p.created_at);
    let row = profile::Model {
        user_id,
        created_at: created_at.unwrap_or(now),
        updated_at: now,
        ..data
    }
    .into_active_model();
    match created_at {
        // Every column is written: the form always sends the whole profile.
        Some(_) => row.reset_all().update(db).await.map(drop)?,
        None => row.insert(db).await.map(drop)?,
    }
    Ok(())
}
