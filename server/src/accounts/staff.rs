//! Back-office accounts, kept by administrators: invite an officer (an
//! emailed link sets the password; the second factor is enrolled at the
//! first login), change a role, deactivate or reactivate, forget a lost
//! phone. Each change is one audit line and ends the account's sessions
//! where it changes what they may do.

use super::operations::{self, invitation_link};
use super::second_factor;
use super::session;
use crate::audit;
use crate::db::entities::{auth_token, user};
use crate::email::outbox;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use app::view_data::Role;
use app::Lang;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

/// What an administrator does to an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Role(Role),
    Deactivate,
    Reactivate,
    ResetSecondFactor,
}

impl Change {
    /// From the form's `action` (and `role`); `None` for anything else.
    pub fn parse(action: &str, role: &str) -> Option<Change> {
        match action {
            "role" => match Role::from_code(role)? {
                r @ (Role::Staff | Role::Admin) => Some(Change::Role(r)),
                _ => None,
            },
            "deactivate" => Some(Change::Deactivate),
            "reactivate" => Some(Change::Reactivate),
            "reset_second_factor" => Some(Change::ResetSecondFactor),
            _ => None,
        }
    }
}

/// Why a change was refused, as a translation key for the page.
pub type Refusal = &'static str;

/// Every back-office account, by email.
pub async fn list(state: &AppState) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.is_in(["staff", "admin"]))
        .order_by_asc(user::Column::Email)
        .all(&state.db)
        .await?)
}

/// Creates an officer's account for `email` with no usable password and
/// emails the link that sets one. `Err` with the field's error key when the
/// address is not valid or already has an account.
pub async fn invite(
    state: &AppState,
    admin: &user::Model,
    email: &str,
    role: Role,
    lang: Lang,
) -> AppResult<Result<(), Refusal>> {
    let Ok(email) = operations::normalise_email(email) else {
        return Ok(Err("error.email_invalid"));
    };
    if !matches!(role, Role::Staff | Role::Admin) {
        return Err(AppError::BadRequest);
    }
    let now = state.clock.now();
    // Nobody knows this password: the emailed link replaces it.
    let unknown = super::tokens::random_token();
    let txn = state.db.begin().await?;
    let Some(created) =
        operations::create_user(&txn, &email, &unknown, role, lang, true, now).await?
    else {
        return Ok(Err("admin_staff.exists"));
    };
    let link = invitation_link(state, &txn, created.id, now).await?;
    let vars = [("link", link.as_str()), ("by", admin.email.as_str())];
    outbox::enqueue(&txn, &email, "staff_invited", lang, &vars, now).await?;
    let entry = audit::Entry::new(audit::Who::user(admin), None, audit::Action::Account)
        .subject(email.as_str())
        .change("", format!("created ({})", role.code()));
    audit::append(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// Makes `change` to account `target_id` for `admin`. An administrator
/// cannot demote or deactivate themself, and the last active administrator
/// stays one: checked holding the audit log's head, so two administrators
/// cannot each remove the other at once.
pub async fn change(
    state: &AppState,
    admin: &user::Model,
    target_id: i64,
    change: Change,
) -> AppResult<Result<(), Refusal>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    audit::hold(&txn).await?;
    // The administrator as now, not as when the request began: one demoted
    // or deactivated meanwhile changes nothing.
    let still = user::Entity::find_by_id(admin.id)
        .filter(user::Column::Role.eq("admin"))
        .filter(user::Column::DeactivatedAt.is_null())
        .one(&txn)
        .await?;
    if still.is_none() {
        txn.rollback().await?;
        return Err(AppError::Forbidden);
    }
    let target = user::Entity::find_by_id(target_id)
        .filter(user::Column::Role.is_in(["staff", "admin"]))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let own = target.id == admin.id;
    if own && matches!(change, Change::Role(_) | Change::Deactivate) {
        return Ok(Err("admin_staff.not_yourself"));
    }
    let (old, new) = describe(&target, change);
    let entry = audit::Entry::new(audit::Who::user(admin), None, audit::Action::Account)
        .subject(target.email.as_str())
        .change(old, new);
    audit::append(&txn, entry, now).await?;
    let removes_admin = target.role == "admin"
        && target.deactivated_at.is_none()
        && matches!(change, Change::Role(Role::Staff) | Change::Deactivate);
    if removes_admin && other_active_admins(&txn, target.id).await? == 0 {
        txn.rollback().await?;
        return Ok(Err("admin_staff.last_admin"));
    }
    apply(&txn, &target, change, now).await?;
    if change != Change::Reactivate {
        session::delete_all_for(&txn, target.id, None).await?;
    }
    txn.commit().await?;
    Ok(Ok(()))
}

async fn apply(
    txn: &DatabaseTransaction,
    target: &user::Model,
    change: Change,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let update = user::Entity::update_many()
        .filter(user::Column::Id.eq(target.id))
        .col_expr(user::Column::UpdatedAt, Expr::value(now));
    match change {
        Change::Role(role) => {
            update
                .col_expr(user::Column::Role, Expr::value(role.code()))
                .exec(txn)
                .await?;
        }
        Change::Deactivate => {
            update
                .col_expr(user::Column::DeactivatedAt, Expr::value(Some(now)))
                .exec(txn)
                .await?;
            // An invitation or reset link still out dies with the account.
            auth_token::Entity::delete_many()
                .filter(auth_token::Column::UserId.eq(target.id))
                .exec(txn)
                .await?;
        }
        Change::Reactivate => {
            update
                .col_expr(
                    user::Column::DeactivatedAt,
                    Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
                )
                .exec(txn)
                .await?;
        }
        Change::ResetSecondFactor => second_factor::reset(txn, target.id).await?,
    }
    Ok(())
}

/// (old, new) as the audit line says them.
fn describe(target: &user::Model, change: Change) -> (String, String) {
    let active = |a: bool| if a { "active" } else { "deactivated" }.to_string();
    match change {
        Change::Role(role) => (target.role.clone(), role.code().to_string()),
        Change::Deactivate => (active(target.deactivated_at.is_none()), active(false)),
        Change::Reactivate => (active(target.deactivated_at.is_none()), active(true)),
        Change::ResetSecondFactor => {
            let before = match second_factor::enrolled(target) {
                true => "second factor enrolled",
                false => "second factor not enrolled",
            };
            (before.into(), "second factor to enrol again".into())
        }
    }
}

/// Administrators other than `except` who can act: active and enrolled (an
/// invitation not taken up yet is nobody).
async fn other_active_admins(txn: &DatabaseTransaction, except: i64) -> AppResult<u64> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq("admin"))
        .filter(user::Column::DeactivatedAt.is_null())
        .filter(user::Column::TotpConfirmedAt.is_not_null())
        .filter(user::Column::Id.ne(except))
        .count(txn)
        .await?)
}
