use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A proponent's profile: who they are and how to reach them. One per account.
/// Serialised into a submission's frozen parties: a field added later reads as
/// its default in the copies frozen before.
#[derive(Clone, Debug, Default, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[serde(default)]
#[sea_orm(table_name = "profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    /// person | organisation
    pub subject_type: String,
    /// public_body | company | association | foundation, for organisations
    pub org_type: Option<String>,
    pub name: String,
    /// Upper case, no spaces.
    pub tax_code: String,
    pub vat_number: Option<String>,
    pub legal_rep: Option<String>,
    /// The legal representative's codice fiscale (organisations), to recognise their signature.
    pub legal_rep_tax_code: Option<String>,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub email: String,
    pub pec: Option<String>,
    pub phone: String,
    /// owner | co_owner | intermediary | business_association
    pub property_role: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
