//! Per-request context, set up by one middleware for every route:
//! language, logged-in user, CSRF token (checked on every state-changing request),
//! CSP nonce; and on the way out the cookies and security headers.

use crate::accounts::{second_factor, session, tokens};
use crate::catalogue::saved::UNSUBSCRIBE_PREFIX;
use crate::db::entities::user;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::{errors, security};
use app::page::PageCtx;
use app::view_data::{Role, UserBadge};
use app::Lang;
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use futures_util::StreamExt;
use std::net::SocketAddr;

pub const CSRF_COOKIE: &str = "ol_csrf";
pub const LANG_COOKIE: &str = "ol_lang";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Largest url-encoded form body accepted (file uploads are multipart and have their own limits).
pub const FORM_LIMIT: usize = 256 * 1024;

/// The request's context, available to handlers as an extractor.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    /// The logged-in account.
    pub user: Option<user::Model>,
    /// An account that gave its password but not yet its second factor:
    /// logged in for nothing but the second-factor page.
    pub pending: Option<user::Model>,
    pub session_secret: Option<String>,
    pub csrf: String,
    pub nonce: String,
    pub path: String,
    pub ip: String,
    pub state: AppState,
}

impl Ctx {
    pub fn page(&self) -> PageCtx {
        PageCtx {
            lang: self.lang,
            user: self.user.as_ref().map(|u| UserBadge {
                email: u.email.clone(),
                role: Role::from_code(&u.role).unwrap_or(Role::Proponent),
            }),
            csrf: self.csrf.clone(),
            path: self.path.clone(),
            nonce: self.nonce.clone(),
            leptos: self.state.leptos.clone(),
            alternate: None,
            seo: None,
        }
    }

    /// The logged-in user, or 401.
    pub fn user(&self) -> Result<&user::Model, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }

    /// The logged-in user if they hold one of `roles`; 401 if anonymous, 403 otherwise.
    pub fn user_with_role(&self, roles: &[Role]) -> Result<&user::Model, AppError> {
        let account = self.user()?;
        match Role::from_code(&account.role) {
            Some(role) if roles.contains(&role) => Ok(account),
            _ => Err(AppError::Forbidden),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("request context middleware missing".into()))
    }
}

pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let existing_csrf = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() >= 32);
    let csrf = existing_csrf.clone().unwrap_or_else(tokens::random_token);
    let nonce = tokens::random_token();
    let lang =
        lang_of_path(request.uri().path()).unwrap_or_else(|| pick_lang(&jar, request.headers()));
    let ip = client_ip(&request, state.config.trusted_proxies);
    let path = request.uri().path().to_string();
    let session_secret = jar.get(session::COOKIE).map(|c| c.value().to_string());

    let live = match &session_secret {
        Some(secret) => session::live(&state.db, secret, state.clock.now())
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "session lookup failed");
                None
            }),
        None => None,
    };
    // Staff and admins are logged in only once they gave their second factor.
    let (user, pending) = match live {
        Some(l) if second_factor::needed(&l.user) && !l.second_factor => (None, Some(l.user)),
        Some(l) => (Some(l.user), None),
        None => (None, None),
    };
    let ctx = Ctx {
        lang,
        user,
        pending,
        session_secret,
        csrf: tokens::mask(&csrf),
        nonce: nonce.clone(),
        path,
        ip,
        state: state.clone(),
    };

    let response = match check_csrf(request, existing_csrf.as_deref()).await {
        Ok(mut request) => {
            request.extensions_mut().insert(ctx.clone());
            next.run(request).await
        }
        Err(rejection) => rejection.into_response(),
    };
    let mut response = errors::render_error_page(&ctx, response);
    if existing_csrf.is_none() {
        set_cookie(&mut response, &state, Cookie::new(CSRF_COOKIE, csrf), None);
    }
    let islands = security::islands_hash(&state.leptos);
    security::apply_headers(&mut response, &nonce, &islands, state.config.production);
    response
}

/// Safe methods pass. Others must come from this site and carry the CSRF token
/// equal to the cookie, masked as pages show it or not: in the `x-csrf-token`
/// header, or the `_csrf` form field, which an upload's form sends as its first
/// part (read here, then handed on with the rest of the streamed body). Never
/// in the address, where logs and Referer headers would keep it.
async fn check_csrf(request: Request, cookie: Option<&str>) -> Result<Request, AppError> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(request);
    }
    // Authorised by the secret in its address, not by a session: a mail
    // program's one-click unsubscribe (RFC 8058) comes from its own server,
    // with no cookie and no form token, and acts for nobody's session.
    let token = request.uri().path().strip_prefix(UNSUBSCRIBE_PREFIX);
    if token.is_some_and(crate::catalogue::saved::well_formed) {
        return Ok(request);
    }
    if cross_site(request.headers()) {
        return Err(AppError::Csrf);
    }
    let cookie = cookie.ok_or(AppError::Csrf)?;
    let header_token = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (request, token) = if header_token.is_some() {
        (request, header_token)
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = request.into_parts();
        let bytes = to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| AppError::BadRequest)?;
        let token = form_field(&bytes, CSRF_FIELD);
        (Request::from_parts(parts, Body::from(bytes)), token)
    } else if let Some(boundary) = multipart_boundary(content_type) {
        let (parts, body) = request.into_parts();
        let (head, rest) = read_head(body, &boundary).await?;
        let token = first_part(&head, &boundary, CSRF_FIELD);
        let body = futures_util::stream::once(async move { Ok::<_, axum::Error>(head) })
            .chain(rest.into_data_stream());
        (Request::from_parts(parts, Body::from_stream(body)), token)
    } else {
        (request, None)
    };
    // As the page showed it (masked), or as the cookie holds it (scripts, tests).
    let matches = token.is_some_and(|t| {
        tokens::same_secret(&t, cookie)
            || tokens::unmask(&t).is_some_and(|u| tokens::same_secret(&u, cookie))
    });
    if matches {
        Ok(request)
    } else {
        Err(AppError::Csrf)
    }
}

/// How much of an upload is read to find its first part, the token.
const MULTIPART_HEAD: usize = 4096;

fn multipart_boundary(content_type: &str) -> Option<String> {
    if !content_type.starts_with("multipart/form-data") {
        return None;
    }
    content_type.split(';').find_map(|p| {
        let b = p.trim().strip_prefix("boundary=")?.trim_matches('"');
        (!b.is_empty() && b.len() <= 200).then(|| b.to_string())
    })
}

/// The start of a streamed body, up to the end of its first part or
/// `MULTIPART_HEAD` bytes, and the body that remains.
async fn read_head(body: Body, boundary: &str) -> Result<(axum::body::Bytes, Body), AppError> {
    use http_body_util::BodyExt;
    let second = format!("\r\n--{boundary}");
    let second = second.as_bytes();
    let mut body = body;
    let mut head = Vec::new();
    // Only the bytes new since the last look (and the overlap a delimiter may
    // straddle) are searched: a body sent one byte at a time costs no more.
    let mut searched: usize = 0;
    loop {
        let from = searched.saturating_sub(second.len() - 1);
        if position(&head[from..], second).is_some() || head.len() >= MULTIPART_HEAD {
            break;
        }
        searched = head.len();
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    head.extend_from_slice(&data);
                }
            }
            // Idle too long, or cut off: nobody is there for an answer.
            Some(Err(_)) => return Err(AppError::BadRequest),
            None => break,
        }
    }
    Ok((head.into(), body))
}

fn position(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of the multipart body's first part, if that part is the plain
/// field `name`: its one header a `Content-Disposition: form-data; name="…"`
/// with that name and no file name, as a browser sends a hidden input.
fn first_part(head: &[u8], boundary: &str, name: &str) -> Option<String> {
    let opening = format!("--{boundary}\r\n");
    let rest = head.strip_prefix(opening.as_bytes())?;
    let headers_end = position(rest, b"\r\n\r\n")?;
    let headers = std::str::from_utf8(&rest[..headers_end]).ok()?;
    let expected = format!("content-disposition: form-data; name=\"{name}\"");
    if !headers.eq_ignore_ascii_case(&expected) {
        return None;
    }
    let value = &rest[headers_end + 4..];
    let end = position(value, format!("\r\n--{boundary}").as_bytes())?;
    std::str::from_utf8(&value[..end]).ok().map(str::to_string)
}

/// A browser says where a request comes from; refuse what another site started.
fn cross_site(headers: &HeaderMap) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site") | Some("same-site")) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        host,
    ) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => url::Url::parse(origin)
            .ok()
            .map(|u| match u.port() {
                Some(port) => format!("{}:{port}", u.host_str().unwrap_or_default()),
                None => u.host_str().unwrap_or_default().to_string(),
            })
            .is_none_or(|origin_host| origin_host != host),
        _ => false,
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The language an address is in, for pages that have one per language
/// (the catalogue): `/en/…` is English, the Italian addresses Italian.
fn lang_of_path(path: &str) -> Option<Lang> {
    let under = |root: &str| path == root || path.starts_with(&format!("{root}/"));
    if under("/en") {
        Some(Lang::En)
    } else if under("/opportunita") || under("/dati-aperti") {
        Some(Lang::It)
    } else {
        None
    }
}

fn pick_lang(jar: &CookieJar, headers: &HeaderMap) -> Lang {
    if let Some(lang) = jar
        .get(LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()))
    {
        return lang;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|part| Lang::from_code(part.split(';').next().unwrap_or("")))
        })
        .unwrap_or_default()
}

/// The client's address: the connection's, or, behind `proxies` trusted
/// reverse proxies, the X-Forwarded-For entry that many places from the right
/// (each proxy appends the address it saw; what is further left, the client wrote).
fn client_ip(request: &Request, proxies: usize) -> String {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    if proxies == 0 {
        return peer;
    }
    let entries: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    entries
        .len()
        .checked_sub(proxies)
        .and_then(|i| entries.get(i))
        .and_then(|e| e.parse::<std::net::IpAddr>().ok())
        .map(|ip| ip.to_string())
        .unwrap_or(peer)
}

/// Adds a cookie with the portal's flags: HttpOnly, SameSite=Lax, Path=/, Secure when configured.
/// `max_age_seconds` of `Some(0)` deletes it; `None` makes a browser-session cookie.
pub fn set_cookie(
    response: &mut Response,
    state: &AppState,
    mut cookie: Cookie<'static>,
    max_age_seconds: Option<i64>,
) {
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(state.config.secure_cookies);
    if let Some(seconds) = max_age_seconds {
        cookie.set_max_age(cookie::time::Duration::seconds(seconds));
    }
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
