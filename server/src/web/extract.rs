//! Who may reach a candidacy (or a saved search), as extractors. A handler that takes `Own`,
//! `Editable` or `Readable` cannot run for anyone else: the check happens
//! before the handler's body, and before any upload is read.
//!
//! All three read the path's `{id}`; a stranger's candidacy, like one that
//! does not exist, is "not found", so nobody learns which numbers exist.

use crate::candidacies;
use crate::candidacies::owners;
use crate::db::entities::{candidacy, user};
use crate::error::AppError;
use crate::web::context::Ctx;
use app::view_data::Role;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use sea_orm::EntityTrait;

/// The logged-in proponent's own candidacy.
pub struct Own(pub candidacy::Model);

/// `Own`, still open to changes (a draft, or one staff sent back); `Locked` otherwise.
pub struct Editable(pub candidacy::Model);

/// The proponent's own candidacy (`mine`), or one a delegate filed for the
/// owner registered as this account, with read access (not `mine`).
pub struct Readable {
    pub candidacy: candidacy::Model,
    pub mine: bool,
}

async fn path_id(parts: &mut Parts) -> Result<i64, AppError> {
    path_number(parts, "id").await
}

/// The path's `{name}`, a number; "not found" otherwise.
async fn path_number(parts: &mut Parts, name: &str) -> Result<i64, AppError> {
    let params = RawPathParams::from_request_parts(parts, &())
        .await
        .map_err(|_| AppError::NotFound)?;
    params
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, value)| value.parse().ok())
        .ok_or(AppError::NotFound)
}

/// The request's context, the path's `{id}`, and the account, a proponent's.
async fn proponent_and_id<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<(Ctx, user::Model, i64), AppError> {
    let ctx = Ctx::from_request_parts(parts, state).await?;
    let id = path_id(parts).await?;
    let account = ctx.user_with_role(&[Role::Proponent])?.clone();
    Ok((ctx, account, id))
}

impl<S: Send + Sync> FromRequestParts<S> for Own {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let (ctx, account, id) = proponent_and_id(parts, state).await?;
        candidacies::find_own(&ctx.state.db, account.id, id)
            .await
            .map(Own)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Editable {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Own(c) = Own::from_request_parts(parts, state).await?;
        if crate::candidacies::submission::editable(&c) {
            Ok(Editable(c))
        } else {
            Err(AppError::Locked)
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Readable {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let (ctx, account, id) = proponent_and_id(parts, state).await?;
        match candidacies::find_own(&ctx.state.db, account.id, id).await {
            Ok(candidacy) => Ok(Readable {
                candidacy,
                mine: true,
            }),
            Err(AppError::NotFound) => owners::filed_for_one(&ctx.state.db, &account, id)
                .await?
                .map(|candidacy| Readable {
                    candidacy,
                    mine: false,
                })
                .ok_or(AppError::NotFound),
            Err(e) => Err(e),
        }
    }
}

/// A staff or admin account: the back office's users.
pub struct Officer(pub user::Model);

/// An administrator's account: the whole audit log, staff accounts.
pub struct Admin(pub user::Model);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        Ok(Admin(ctx.user_with_role(&[Role::Admin])?.clone()))
    }
}

/// A candidacy past its draft, for an officer. Drafts are the proponent's
/// own business: to staff they are "not found".
pub struct Reviewed {
    pub officer: user::Model,
    pub candidacy: candidacy::Model,
}

/// A candidacy past its draft, for an administrator: reassigning it.
pub struct AdminReviewed(pub Reviewed);

impl<S: Send + Sync> FromRequestParts<S> for AdminReviewed {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        // The role first: staff learn nothing about which numbers exist.
        Ctx::from_request_parts(parts, state)
            .await?
            .user_with_role(&[Role::Admin])?;
        Ok(AdminReviewed(
            Reviewed::from_request_parts(parts, state).await?,
        ))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Officer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let account = ctx.user_with_role(&[Role::Staff, Role::Admin])?.clone();
        Ok(Officer(account))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Reviewed {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Officer(officer) = Officer::from_request_parts(parts, state).await?;
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let id = path_id(parts).await?;
        let candidacy = candidacy::Entity::find_by_id(id)
            .one(&ctx.state.db)
            .await?
            .filter(|c| c.status != crate::candidacies::status::Status::Draft)
            .ok_or(AppError::NotFound)?;
        Ok(Reviewed { officer, candidacy })
    }
}

/// An investor's account: saved searches (and, later, assistance requests).
pub struct Investor(pub user::Model);

impl<S: Send + Sync> FromRequestParts<S> for Investor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        Ok(Investor(ctx.user_with_role(&[Role::Investor])?.clone()))
    }
}

/// The path's `{search}`, one of the logged-in investor's saved searches;
/// anyone else's, like one that does not exist, is "not found".
pub struct OwnSearch(pub crate::db::entities::saved_search::Model);

impl<S: Send + Sync> FromRequestParts<S> for OwnSearch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Investor(account) = Investor::from_request_parts(parts, state).await?;
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let id = path_number(parts, "search").await?;
        crate::catalogue::saved::own(&ctx.state.db, account.id, id)
            .await?
            .map(OwnSearch)
            .ok_or(AppError::NotFound)
    }
}
