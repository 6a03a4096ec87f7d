use sea_orm::entity::prelude::*;

/// A request for integration (*soccorso istruttorio*): an officer asked the
/// proponent to fix some items of a candidacy by `due_at`. Open while
/// `replied_at` is empty; the legal clock stops meanwhile.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "integration_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub candidacy_id: i64,
    /// The officer who asked.
    pub officer_id: i64,
    pub requested_at: DateTimeUtc,
    /// The end of the reply's last day, in Europe/Rome.
    pub due_at: DateTimeUtc,
    /// What the officer wrote to the proponent, beside the items.
    #[sea_orm(column_type = "Text")]
    pub message: String,
    /// What the candidacy held when asked (JSON of `integration::Before`:
    /// its documents and its location), to compare the reply with.
    #[sea_orm(column_type = "Text")]
    pub before: String,
    pub replied_at: Option<DateTimeUtc>,
    pub replied_by: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub reply: String,
    /// The reminder three days before `due_at`, once.
    pub first_reminder_at: Option<DateTimeUtc>,
    /// The reminder the day before `due_at`, once.
    pub last_reminder_at: Option<DateTimeUtc>,
    /// When the officer was told the reply is overdue, once.
    pub expired_flagged_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
