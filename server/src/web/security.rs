//! Security headers on every response. Scripts run only from this origin or with
//! the per-response nonce that Leptos puts on its hydration script.

use axum::http::{header, HeaderValue};
use axum::response::Response;

/// `production`: the portal is served over HTTPS only, so browsers are told
/// to use nothing else for a year (HSTS).
pub fn apply_headers(response: &mut Response, nonce: &str, production: bool) {
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    let headers = response.headers_mut();
    // A handler that set its own policy (file downloads: `sandbox`) keeps it.
    let own_policy = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    if !own_policy {
        set(header::CONTENT_SECURITY_POLICY, &csp);
    }
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(self)",
    );
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if production {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
}
