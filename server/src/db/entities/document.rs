use sea_orm::entity::prelude::*;

/// A file uploaded for a candidacy. The bytes are stored once per content under
/// `data/uploads/<sha256>`; this row records what the file is and what the checks said.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub candidacy_id: i64,
    /// template, photo, perimeter, cadastral_extract, report, form_a, form_b, form_c, id_document
    pub purpose: String,
    /// The name on the uploader's computer, shown back to them; never used as a path.
    pub original_name: String,
    pub sha256: String,
    pub size: i64,
    /// The checks found no error.
    pub accepted: bool,
    /// The checks' findings, as JSON lines with both languages.
    #[sea_orm(column_type = "Text")]
    pub report: String,
    pub created_at: DateTimeUtc,
    /// For signed forms: valid | invalid | signer_mismatch | not_verifiable | handwritten.
    pub signature: Option<String>,
    /// For signed forms and the identity document: whose details they were
    /// checked against (`signed_forms::checked_for`); they count only while the owner is that person.
    pub signed_for: Option<String>,
    /// When a reply to a request for integration replaced it. A retired
    /// document no longer counts, but stays: a receipt listed it.
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
