use sea_orm::entity::prelude::*;

/// An investor's search of the catalogue, kept so that sites newly online
/// that match it are emailed (at most once a week).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_searches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The catalogue's query string, as `Filters::query_with` writes it.
    #[sea_orm(column_type = "Text")]
    pub query: String,
    /// The secret of its unsubscribe link. Kept as it is, since every email
    /// carries the same link: all it opens is ending this search's emails.
    #[sea_orm(unique)]
    pub token: String,
    /// The newest publication online when it was saved: the sites the
    /// investor had already seen are not news.
    pub seen_publication: i64,
    pub created_at: DateTimeUtc,
    /// The last email about it; the next comes a week later at the earliest.
    pub last_sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
