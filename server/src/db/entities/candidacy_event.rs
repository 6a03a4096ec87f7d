use sea_orm::entity::prelude::*;

/// One change of a candidacy's status: who, when, from what to what, and why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidacy_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub candidacy_id: i64,
    pub at: DateTimeUtc,
    /// The account that made the change.
    pub actor_id: i64,
    /// As whom: proponent, delegate, staff, admin, clock (`status::Actor`).
    pub actor_kind: String,
    pub from_status: String,
    pub to_status: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
