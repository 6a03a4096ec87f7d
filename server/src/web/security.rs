//! Security headers on every response. Scripts run only from this origin, with
//! the per-response nonce, or as the islands' own script allowed by its hash
//! (`islands_hash`): a page kept for every visitor carries an old nonce.

/// The CSP source that allows the islands' inline script by its SHA-256,
/// computed once (the script is the same on every page).
pub fn islands_hash(options: &leptos::config::LeptosOptions) -> String {
    use base64::Engine;
    use sha2::Digest;
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let script = app::page::islands_script(options);
        let digest = sha2::Sha256::digest(script.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    })
    .clone()
}

use axum::http::{header, HeaderValue};
use axum::response::Response;

/// `production`: the portal is served over HTTPS only, so browsers are told
/// to use nothing else for a year (HSTS).
pub fn apply_headers(response: &mut Response, nonce: &str, islands: &str, production: bool) {
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' {islands} 'wasm-unsafe-eval'; style-src 'self'; \
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
