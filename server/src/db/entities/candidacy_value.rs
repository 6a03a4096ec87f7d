use sea_orm::entity::prelude::*;

/// The template's fields as validated when a candidacy was last submitted
/// (JSON of field id → `answers::canonical` value): what exports read,
/// without parsing every file again. Kept apart from `candidacies` so the
/// queue's scans stay on small rows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidacy_values")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub candidacy_id: i64,
    #[sea_orm(column_type = "Text")]
    pub values: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
