//! /login/code: the second step of a back-office login. Only an account
//! that gave its password (`Ctx::pending`) reaches it; the code, right,
//! replaces the session with one that gave its second factor.

use crate::accounts::second_factor::{self, Outcome, ISSUER};
use crate::accounts::{session, totp};
use crate::error::AppResult;
use crate::web::context::{set_cookie, Ctx};
use crate::web::{local_path, page, see_other};
use app::view_data::{EnrolView, FormState};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use axum_extra::extract::cookie::Cookie;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Next {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: Option<String>,
}

/// Where to go once verified: the page asked for, or the back office.
fn next_of(next: Option<&str>) -> String {
    local_path(next.or(Some("/staff")))
}

/// The enrolment secret, the QR code and the recovery codes are not for a
/// browser's cache.
fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

pub async fn show(ctx: Ctx, Query(q): Query<Next>) -> AppResult<Response> {
    let next = next_of(q.next.as_deref());
    match &ctx.user {
        Some(u) if second_factor::needed(u) => return Ok(see_other(&next)),
        Some(_) => return Ok(see_other("/account")),
        None => {}
    }
    render(&ctx, &FormState::default(), &next, None, StatusCode::OK).await
}

pub async fn check(ctx: Ctx, Form(f): Form<CodeForm>) -> AppResult<Response> {
    let next = next_of(f.next.as_deref());
    let (Some(account), Some(secret)) = (&ctx.pending, &ctx.session_secret) else {
        return Ok(see_other(if ctx.user.is_some() { &next } else { "/login" }));
    };
    let mut form = FormState::with_values([("code", f.code.as_str())]);
    if f.code.trim().is_empty() {
        form.add_error("code", "second_factor.code_required");
        return render(&ctx, &form, &next, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let (outcome, upgraded) =
        second_factor::check(&ctx.state, account, &f.code, (secret, &ctx.ip)).await?;
    let mut response = match &outcome {
        Outcome::Enrolled(codes) => no_store(page(
            StatusCode::OK,
            app::pages::second_factor::recovery_codes(&ctx.page(), codes, &next),
        )),
        Outcome::Accepted => see_other(&next),
        Outcome::Wrong => {
            form.add_error("code", "second_factor.code_wrong");
            return render(&ctx, &form, &next, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Outcome::Throttled => {
            let message = Some("second_factor.throttled");
            return render(&ctx, &form, &next, message, StatusCode::TOO_MANY_REQUESTS).await;
        }
    };
    if let Some(secret) = upgraded {
        set_cookie(
            &mut response,
            &ctx.state,
            Cookie::new(session::COOKIE, secret),
            Some(session::LIFETIME_HOURS * 3600),
        );
    }
    Ok(response)
}

/// The code page, with the enrolment steps while the app is not set up.
async fn render(
    ctx: &Ctx,
    form: &FormState,
    next: &str,
    message: Option<&'static str>,
    status: StatusCode,
) -> AppResult<Response> {
    let Some(account) = &ctx.pending else {
        return Ok(see_other("/login"));
    };
    let enrol = second_factor::enrolment_secret(&ctx.state, account.id)
        .await?
        .map(|secret| enrol_view(&account.email, &secret));
    let html = app::pages::second_factor::code(&ctx.page(), form, enrol.as_ref(), next, message);
    Ok(no_store(page(status, html)))
}

fn enrol_view(email: &str, secret: &[u8]) -> EnrolView {
    let uri = totp::otpauth_uri(ISSUER, email, secret);
    let grouped: Vec<String> = totp::base32(secret)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    EnrolView {
        secret: grouped.join(" "),
        qr_svg: qr_svg(&uri),
        uri,
    }
}

/// The link as a QR code, drawn as SVG (dark on white, whatever the theme).
fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(220, 220)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
        // An otpauth link is far below a QR code's capacity.
        Err(_) => String::new(),
    }
}
