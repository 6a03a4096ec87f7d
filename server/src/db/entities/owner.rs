use sea_orm::entity::prelude::*;

/// An owner a delegate files candidacies for (form C): entered once, offered
/// again for the delegate's next candidacy. The same details as a profile.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "owners")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The delegate's account.
    pub delegate_id: i64,
    /// person | organisation
    pub subject_type: String,
    pub org_type: Option<String>,
    pub name: String,
    pub tax_code: String,
    pub vat_number: Option<String>,
    pub legal_rep: Option<String>,
    /// The legal representative's codice fiscale (organisations), to recognise their signature.
    pub legal_rep_tax_code: Option<String>,
    pub address: String,
    pub postcode: String,
    pub city: String,
    /// Also how the owner, once registered with it, reads the candidacies filed for them.
    pub email: String,
    pub pec: Option<String>,
    pub phone: String,
    pub property_role: String,
    /// The delegate lets the owner read the candidacies filed for them.
    pub read_access: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
