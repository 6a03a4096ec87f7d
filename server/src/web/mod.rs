//! HTTP routes. Each page family has its module; `context` wraps every request.

pub mod accounts;
pub mod candidacies;
pub mod catalogue;
pub mod context;
pub mod errors;
pub mod extract;
pub mod listen;
pub mod pages;
pub mod review;
pub mod security;

use crate::state::AppState;
use accounts::{account, auth};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use candidacies::{attachments, owner, profile, signed_forms, submission};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

pub fn router(state: AppState) -> Router {
    let limits = state.config.limits.clone();
    let site = &state.config.site_dir;
    let static_files = Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(site.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .nest_service(
            "/assets",
            ServeDir::new(site.join("assets"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .route_service("/favicon.svg", ServeFile::new(site.join("favicon.svg")))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));
    Router::new()
        .route("/", get(pages::home))
        .route("/info/{name}", get(pages::info))
        .route("/lang/{code}", get(pages::switch_lang))
        .route("/healthz", get(pages::health))
        .route("/opportunita", get(catalogue::list))
        .route("/en/opportunities", get(catalogue::list))
        .route("/opportunita/{reference}", get(catalogue::site))
        .route("/en/opportunities/{reference}", get(catalogue::site))
        .route(
            "/opportunita/{reference}/foto/{document}",
            get(catalogue::photo),
        )
        .route(
            "/opportunita/{reference}/scheda.xlsx",
            get(catalogue::brief::xlsx),
        )
        .route(
            "/opportunita/{reference}/scheda.pdf",
            get(catalogue::brief::pdf),
        )
        .route("/opportunita/mappa.svg", get(catalogue::maps::zoomed))
        .route("/en/opportunities/map.svg", get(catalogue::maps::zoomed))
        .route("/opportunita/confronto", get(catalogue::compare::show))
        .route("/en/opportunities/compare", get(catalogue::compare::show))
        .route("/opportunita/confronto.xlsx", get(catalogue::compare::xlsx))
        .route(
            "/en/opportunities/compare.xlsx",
            get(catalogue::compare::xlsx),
        )
        .route("/dati-aperti", get(catalogue::open_data::show))
        .route("/en/open-data", get(catalogue::open_data::show))
        .route(
            "/open-data/opportunities.csv",
            get(catalogue::open_data::csv),
        )
        .route(
            "/open-data/opportunities.geojson",
            get(catalogue::open_data::geojson),
        )
        .route(
            "/open-data/catalogue.jsonld",
            get(catalogue::open_data::dcat),
        )
        .route("/sitemap.xml", get(catalogue::open_data::sitemap))
        .route("/robots.txt", get(catalogue::open_data::robots))
        .route("/register", get(auth::register_form).post(auth::register))
        .route("/register/sent", get(auth::register_sent))
        .route("/verify", get(auth::verify))
        .route("/verify/resend", post(auth::resend))
        .route("/login", get(auth::login_form).post(auth::login))
        .route(
            "/login/code",
            get(accounts::second_factor::show).post(accounts::second_factor::check),
        )
        .route("/logout", post(auth::logout))
        .route(
            "/password/forgot",
            get(auth::forgot_form).post(auth::forgot),
        )
        .route("/password/reset", get(auth::reset_form).post(auth::reset))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route(
            "/account/searches",
            get(catalogue::saved::index).post(catalogue::saved::save),
        )
        .route(
            "/account/searches/{search}/delete",
            post(catalogue::saved::delete),
        )
        .route(
            "/searches/unsubscribe/{token}",
            get(catalogue::saved::unsubscribe_form).post(catalogue::saved::unsubscribe),
        )
        .route("/admin/outbox", get(account::failed_emails))
        .route(
            "/admin/staff",
            get(accounts::staff::show).post(accounts::staff::invite),
        )
        .route("/admin/staff/{id}", post(accounts::staff::change))
        .route("/profile", get(profile::show).post(profile::save))
        .route(
            "/candidacies",
            get(candidacies::list).post(candidacies::create),
        )
        .route("/candidacies/{id}", get(candidacies::show))
        .route(
            "/candidacies/{id}/owner",
            get(owner::show).post(owner::save),
        )
        .route(
            "/candidacies/{id}/location",
            get(candidacies::location_form).post(candidacies::save_location),
        )
        .route(
            "/candidacies/{id}/template",
            get(candidacies::template_step)
                .post(candidacies::upload_template)
                // Room for the largest accepted file plus the multipart envelope; the
                // handler's own limit answers first, with a message next to the field.
                .layer(DefaultBodyLimit::max(
                    forms::template::guard::MAX_FILE_BYTES + 64 * 1024,
                )),
        )
        .route(
            "/candidacies/{id}/template.xlsx",
            get(candidacies::template_file),
        )
        .route(
            "/candidacies/{id}/attachments",
            get(attachments::show)
                .post(attachments::upload)
                .layer(DefaultBodyLimit::max(
                    forms::attachments::MAX_ATTACHMENT_BYTES as usize + 64 * 1024,
                )),
        )
        .route(
            "/candidacies/{id}/attachments/{document}/delete",
            post(attachments::remove),
        )
        .route(
            "/candidacies/{id}/forms",
            get(signed_forms::show)
                .post(signed_forms::upload)
                .layer(DefaultBodyLimit::max(
                    forms::attachments::MAX_ATTACHMENT_BYTES as usize + 64 * 1024,
                )),
        )
        .route(
            "/candidacies/{id}/forms/{file}",
            get(signed_forms::download),
        )
        .route(
            "/candidacies/{id}/submit",
            get(submission::show).post(submission::submit),
        )
        .route("/candidacies/{id}/withdraw", post(submission::withdraw))
        .route("/candidacies/{id}/receipt.pdf", get(submission::receipt))
        .route(
            "/candidacies/{id}/documents/{document}",
            get(attachments::download),
        )
        .route("/staff", get(review::queue))
        .route("/staff/export.xlsx", get(review::exports::xlsx))
        .route("/staff/export.csv", get(review::exports::csv))
        .route("/staff/export.geojson", get(review::exports::geojson))
        .route("/staff/dashboard", get(review::dashboard::show))
        .route("/staff/audit", get(review::audit::log))
        .route("/staff/audit.csv", get(review::audit::log_csv))
        .route("/staff/candidacies/{id}", get(review::candidacy::show))
        .route(
            "/staff/candidacies/{id}/audit",
            get(review::audit::candidacy),
        )
        .route(
            "/staff/candidacies/{id}/audit.csv",
            get(review::audit::candidacy_csv),
        )
        .route(
            "/staff/candidacies/{id}/take",
            post(review::candidacy::take),
        )
        .route(
            "/staff/candidacies/{id}/decide",
            post(review::candidacy::decide),
        )
        .route(
            "/staff/candidacies/{id}/notes",
            post(review::candidacy::add_note),
        )
        .route(
            "/staff/candidacies/{id}/assign",
            post(review::candidacy::assign),
        )
        .route(
            "/staff/candidacies/{id}/publish",
            get(review::publication::preview_page).post(review::publication::publish),
        )
        .route(
            "/staff/candidacies/{id}/unpublish",
            post(review::publication::unpublish),
        )
        .route(
            "/staff/candidacies/{id}/revise",
            post(review::publication::revise),
        )
        .route(
            "/staff/candidacies/{id}/integration",
            get(review::integration::ask_form).post(review::integration::ask),
        )
        .route(
            "/staff/candidacies/{id}/documents/{document}/thumbnail",
            get(review::candidacy::thumbnail),
        )
        .route(
            "/staff/candidacies/{id}/documents/{document}",
            get(review::candidacy::download),
        )
        .merge(static_files)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::middleware,
        ))
        .layer(CompressionLayer::new())
        // A body that stops arriving is dropped, and no request outlives the
        // longest honest upload: a slow client holds a connection, not the server.
        .layer(RequestBodyTimeoutLayer::new(limits.body_idle))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .with_state(state)
}

/// A server-rendered page with its status.
pub fn page(status: StatusCode, html: String) -> Response {
    (status, Html(html)).into_response()
}

/// A file for the browser to save, never to render from the portal's origin:
/// `attachment`, a sandboxing CSP, not cached. Only letters, digits and `._- `
/// of `filename` reach the header; anything else becomes `_`.
pub fn download(content_type: &str, filename: &str, bytes: Vec<u8>) -> Response {
    download_body(content_type, filename, axum::body::Body::from(bytes))
}

/// [`download`] of a body made as it is sent (a streamed export).
pub fn download_body(content_type: &str, filename: &str, body: axum::body::Body) -> Response {
    let safe: String = filename
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || "._- ".contains(ch) {
                ch
            } else {
                '_'
            }
        })
        .collect();
    let headers = [
        (header::CONTENT_TYPE, content_type.to_string()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{safe}\""),
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'".to_string(),
        ),
        (header::CACHE_CONTROL, "private, no-store".to_string()),
    ];
    (headers, body).into_response()
}

/// A failed upload as its page tells it: the error next to `field` (`too_large`
/// is the key for an oversized file) and the status; or, when it is not the
/// user's to fix, the error itself.
pub fn upload_refusal(
    e: crate::candidacies::uploads::UploadError,
    field: &'static str,
    too_large: &'static str,
) -> crate::error::AppResult<(app::view_data::FormState, StatusCode)> {
    use crate::candidacies::uploads::UploadError;
    use crate::error::AppError;
    let (key, status) = match e {
        UploadError::Io(e) => return Err(AppError::Internal(format!("upload failed: {e}"))),
        // Nobody is there to read an answer; nothing was kept.
        UploadError::Interrupted(_) => return Err(AppError::BadRequest),
        UploadError::TooLarge => (too_large, StatusCode::PAYLOAD_TOO_LARGE),
        UploadError::Missing => ("error.file_required", StatusCode::UNPROCESSABLE_ENTITY),
    };
    let mut form = app::view_data::FormState::default();
    form.add_error(field, key);
    Ok((form, status))
}

/// When keeping a file failed because the account's space is full: the form
/// that says so next to `field` (nothing was kept). Other errors are left to the caller.
pub fn quota_refusal<T>(
    kept: &crate::error::AppResult<T>,
    field: &'static str,
) -> Option<app::view_data::FormState> {
    matches!(kept, Err(crate::error::AppError::QuotaFull)).then(|| {
        let mut form = app::view_data::FormState::default();
        form.add_error(field, "error.quota_full");
        form
    })
}

/// Post/redirect/get: after a successful form, go to a page that can be reloaded safely.
pub fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// Only local paths are accepted as redirect targets, never another site.
/// Browsers drop tabs and newlines and read `\\` as `/`, so `/\t/evil.example`
/// would leave the site: only the characters of a URL path and query pass.
pub fn local_path(next: Option<&str>) -> String {
    let path_char = |c: char| c.is_ascii_alphanumeric() || "/-._~!$&'()*+,;=:@%?#".contains(c);
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && p.chars().all(path_char) => {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The domain's checked form, as a page shows it.
impl From<crate::fields::Checked> for app::view_data::FormState {
    fn from(c: crate::fields::Checked) -> Self {
        app::view_data::FormState {
            values: c.values,
            errors: c.errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_local() {
        assert_eq!(local_path(Some("/account")), "/account");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
        for sneaky in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r//evil",
            "/ /evil",
            "/\u{0}x",
        ] {
            assert_eq!(local_path(Some(sneaky)), "/", "{sneaky:?}");
        }
        assert_eq!(
            local_path(Some("/candidacies/3/submit?x=1#top")),
            "/candidacies/3/submit?x=1#top"
        );
    }
}
