//! Turns a bare error status (from `AppError` or a rejected extractor) into a
//! full error page in the visitor's language.

use crate::error::ErrorPage;
use crate::web::context::Ctx;
use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

pub fn render_error_page(ctx: &Ctx, response: Response) -> Response {
    let status = response.status();
    // Staff who gave their password but not their code, on a page that needs
    // a login: to the code page, and back here after it (not a failed login,
    // whose page says why).
    let login_needed = matches!(
        response.extensions().get::<ErrorPage>(),
        Some(ErrorPage("401"))
    );
    if login_needed && ctx.pending.is_some() {
        let next = url::form_urlencoded::byte_serialize(ctx.path.as_bytes()).collect::<String>();
        return crate::web::see_other(&format!("/login/code?next={next}"));
    }
    let page = match response.extensions().get::<ErrorPage>() {
        Some(ErrorPage(kind)) => *kind,
        // Rejections from axum's own extractors carry a plain-text body: replace it too.
        None if is_plain_rejection(&response) => match status {
            StatusCode::NOT_FOUND => "404",
            StatusCode::PAYLOAD_TOO_LARGE => "413",
            s if s.is_server_error() => "500",
            _ => "400",
        },
        None => return response,
    };
    let html = app::pages::info::error(&ctx.page(), page);
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

fn is_plain_rejection(response: &Response) -> bool {
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    (status.is_client_error() || status.is_server_error()) && plain
}
