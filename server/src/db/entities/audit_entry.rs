use sea_orm::entity::prelude::*;

/// One line of the audit log: who did what, when, to what, old → new, and
/// why. Append-only (triggers refuse UPDATE and DELETE), each line chained
/// to the one before by `hash` (`audit::verify`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// 1, 2, 3… with no gaps: the order of the chain.
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub at: DateTimeUtc,
    /// The account, none for the portal itself (the clock, an import).
    pub actor_id: Option<i64>,
    /// As whom: proponent, delegate, staff, admin, clock, system.
    pub actor_kind: String,
    /// The candidacy concerned, if any. Not a foreign key: the log outlives
    /// what it speaks of.
    pub candidacy_id: Option<i64>,
    /// `audit::Action`, as stored.
    pub action: String,
    /// What exactly: a field's name, a document's name, an export's format.
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub old_value: String,
    #[sea_orm(column_type = "Text")]
    pub new_value: String,
    /// Why: the reasons given, the filters of an export.
    #[sea_orm(column_type = "Text")]
    pub note: String,
    /// SHA-256 (hex) of the previous line's hash and this line's content.
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
