pub use crate::candidacies::status::Status;
use sea_orm::entity::prelude::*;

/// A candidacy of an area or building (§4.2). Drafts are filled step by step.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "candidacies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account that created it and may change it.
    pub user_id: i64,
    /// "a" settlement opportunity, "b" investment proposal
    pub kind: String,
    /// Where it stands; moves only by `candidacies::status::apply`.
    pub status: Status,
    /// ISTAT code of the municipality
    pub municipality_code: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// `OL-2028-000123`, given at the first submission.
    pub reference: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    /// Filed by a delegate for this owner (form C needed); None when the proponent is the owner.
    pub owner_id: Option<i64>,
    /// Who the last submission named (`owners::Parties`, JSON), frozen with it.
    #[sea_orm(column_type = "Text", nullable)]
    pub submitted_parties: Option<String>,
    /// The owner's email when the submission gave them read access (frozen with it).
    pub submitted_reader_email: Option<String>,
    /// The officer who has it in charge (`status::apply` sets it when taken).
    pub assigned_to: Option<i64>,
    pub assigned_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
