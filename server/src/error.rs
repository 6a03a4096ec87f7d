//! The server's one error type, mapped once to an HTTP status. The page itself
//! is rendered by `web::errors` in the visitor's language; details go to the log only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request")]
    BadRequest,
    #[error("login required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF check failed")]
    Csrf,
    #[error("not found")]
    NotFound,
    /// A submitted candidacy cannot be changed by its proponent.
    #[error("locked")]
    Locked,
    /// A candidacy sent back for integration, changed outside the items asked for.
    #[error("not reopened")]
    NotReopened,
    /// The account keeps as many files, or drafts, as it may (`LimitsConfig`).
    #[error("quota full")]
    QuotaFull,
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("internal: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// Which error page to show; put in the response's extensions for `web::errors`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorPage(pub &'static str);

impl AppError {
    pub fn status_and_page(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadRequest => (StatusCode::BAD_REQUEST, "400"),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "401"),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "403"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "404"),
            AppError::Locked => (StatusCode::CONFLICT, "locked"),
            AppError::NotReopened => (StatusCode::CONFLICT, "not_reopened"),
            AppError::QuotaFull => (StatusCode::PAYLOAD_TOO_LARGE, "quota"),
            AppError::Db(_) | AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "500"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, page) = self.status_and_page();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage(page));
        response
    }
}
