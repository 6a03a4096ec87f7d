use sea_orm::entity::prelude::*;

/// A version of a candidacy as the public catalogue shows it: what was
/// validated, frozen when an officer published it. It stays online while
/// the candidacy goes through review again (the working copy), until a new
/// version replaces it or it is ended (unpublished, withdrawn, rejected).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub candidacy_id: i64,
    /// 1 for the first publication of the candidacy, then 2, 3…
    pub version: i32,
    pub published_at: DateTimeUtc,
    pub published_by: i64,
    /// JSON of `publication::Snapshot`.
    #[sea_orm(column_type = "Text")]
    pub snapshot: String,
    /// Online while empty.
    pub ended_at: Option<DateTimeUtc>,
    pub ended_by: Option<i64>,
    /// Why it went offline, as the officer wrote it ("replaced" for a new version).
    #[sea_orm(column_type = "Text")]
    pub end_reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
