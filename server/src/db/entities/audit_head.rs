use sea_orm::entity::prelude::*;

/// The audit log's one head row: the last line's number and hash. Appending
/// updates it first, which serialises appenders (a row lock on PostgreSQL,
/// the write lock on SQLite) so the chain never forks.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_head")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub seq: i64,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
