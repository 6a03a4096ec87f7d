use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Stored lower-cased and trimmed, so lookups are exact.
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub lang: String,
    pub email_verified_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Staff and admins: the TOTP secret (base32), set when they enrol.
    pub totp_secret: Option<String>,
    /// When the first code proved the authenticator app has the secret.
    pub totp_confirmed_at: Option<DateTimeUtc>,
    /// The last TOTP step accepted: a code works once.
    pub totp_last_step: Option<i64>,
    /// Set by an administrator: no login, no session.
    pub deactivated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
