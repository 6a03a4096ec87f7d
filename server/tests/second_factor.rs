//! The second factor of a back-office login: staff enrol an authenticator
//! app on their first login (QR code and secret), type its code every time
//! (each code works once), or a recovery code (each works once); wrong
//! codes are throttled; the session that gave its password only reaches
//! nothing but the code page, and is replaced once the code is right; a
//! deactivated account's sessions end and its password no longer works.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use common::{Client, TestApp, PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::accounts::totp;
use server::db::entities::{audit_entry, user};

/// Logged in with the password only: sent to the code page.
async fn password_only(app: &TestApp, email: &str, ip: &str) -> Client {
    let mut client = app.client(ip);
    let r = client.login(email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login/code?next=%2Faccount");
    client
}

fn code_now(secret_b32: &str, offset: i64) -> String {
    let secret = totp::from_base32(secret_b32).unwrap();
    totp::code(
        &secret,
        totp::step_at(chrono::Utc::now().timestamp()) + offset,
    )
}

#[tokio::test]
async fn staff_enrol_an_app_then_give_a_code_or_a_recovery_code_each_used_once() {
    let app = TestApp::new().await;
    app.staff_account("anna@regione.test", Role::Staff).await;
    let mut anna = password_only(&app, "anna@regione.test", "10.0.70.1").await;
    let before = anna.cookies.get("ol_session").cloned().unwrap();
    // Nothing of the back office, not even the account page, before the code.
    for path in ["/staff", "/account"] {
        let r = anna.get(path).await;
        let to = format!("/login/code?next=%2F{}", &path[1..]);
        assert_eq!(
            (r.status, r.location()),
            (StatusCode::SEE_OTHER, to.as_str()),
            "{path}"
        );
    }
    // First time: the app to set up, from a QR code or the key typed by hand.
    let page = anna.get("/login/code?next=%2Fstaff").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg"), "{}", page.body);
    assert!(page
        .body
        .contains("otpauth://totp/Opportunity%20Lombardy:anna%40regione.test"));
    let account = app.account("anna@regione.test").await;
    let secret = account
        .totp_secret
        .clone()
        .expect("a secret while enrolling");
    assert!(account.totp_confirmed_at.is_none());
    // A second look shows the same key (a second tab, a reload).
    anna.get("/login/code").await;
    assert_eq!(
        app.account("anna@regione.test").await.totp_secret,
        Some(secret.clone())
    );

    let wrong = anna
        .post("/login/code", &[("code", "000000"), ("next", "/staff")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("Il codice non è valido"),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("000000"), "what was typed stays");
    let right = anna
        .post(
            "/login/code",
            &[("code", &code_now(&secret, 0)), ("next", "/staff")],
        )
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    let codes: Vec<String> = right
        .body
        .split("<code>")
        .skip(1)
        .map(|s| s.split("</code>").next().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10, "{}", right.body);
    // The session that saw the password only is gone; the new one works.
    let after = anna.cookies.get("ol_session").cloned().unwrap();
    assert_ne!(before, after);
    assert_eq!(anna.get("/staff").await.status, StatusCode::OK);
    let mut stale = app.client("10.0.70.2");
    stale.cookies.insert("ol_session".into(), before);
    assert_ne!(stale.get("/staff").await.status, StatusCode::OK);
    assert!(audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("account"))
        .one(&app.state.db)
        .await
        .unwrap()
        .is_some_and(|l| l.new_value == "second factor enrolled"));

    // Next login: the code only; the one just used does not work again.
    let mut again = password_only(&app, "anna@regione.test", "10.0.70.3").await;
    let page = again.get("/login/code").await;
    assert!(!page.body.contains("<svg"), "enrolled: no new key");
    let used = app
        .account("anna@regione.test")
        .await
        .totp_last_step
        .unwrap();
    let replay = totp::code(&totp::from_base32(&secret).unwrap(), used);
    let r = again.post("/login/code", &[("code", &replay)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A recovery code, typed as people type (lower case, no dash): once.
    let recovery = codes[3].replace('-', "").to_lowercase();
    let r = again.post("/login/code", &[("code", &recovery)]).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/staff"));
    let mut third = password_only(&app, "anna@regione.test", "10.0.70.4").await;
    let r = third.post("/login/code", &[("code", &codes[3])]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The next step's code (a phone a little ahead) still works.
    let r = third
        .post("/login/code", &[("code", &code_now(&secret, 1))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn guessing_codes_is_throttled() {
    let app = TestApp::new().await;
    app.staff_account("capo@regione.test", Role::Admin).await;
    let mut guesser = password_only(&app, "capo@regione.test", "10.0.71.1").await;
    guesser.get("/login/code").await;
    let mut statuses = Vec::new();
    for guess in 0..7 {
        let r = guesser
            .post("/login/code", &[("code", &format!("{guess:06}"))])
            .await;
        statuses.push(r.status);
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5]);
    assert_eq!(statuses[5..], [StatusCode::TOO_MANY_REQUESTS; 2]);
    // Even the right code waits now.
    let secret = app.account("capo@regione.test").await.totp_secret.unwrap();
    let r = guesser
        .post("/login/code", &[("code", &code_now(&secret, 0))])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("attendi 15 minuti"), "{}", r.body);
}

#[tokio::test]
async fn a_deactivated_account_loses_its_sessions_and_its_password() {
    use sea_orm::sea_query::Expr;
    let app = TestApp::new().await;
    let mut bruno = app
        .privileged_user("bruno@regione.test", Role::Staff, "10.0.72.1")
        .await;
    assert_eq!(bruno.get("/staff").await.status, StatusCode::OK);
    user::Entity::update_many()
        .col_expr(
            user::Column::DeactivatedAt,
            Expr::value(Some(app.state.clock.now())),
        )
        .filter(user::Column::Email.eq("bruno@regione.test"))
        .exec(&app.state.db)
        .await
        .unwrap();
    assert_ne!(bruno.get("/staff").await.status, StatusCode::OK);
    let mut again = app.client("10.0.72.2");
    let r = again.login("bruno@regione.test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body.contains("Email o password non corretti"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn proponents_log_in_with_their_password_alone() {
    let app = TestApp::new().await;
    let mut rossi = app.user("rossi@example.it", "proponent", "10.0.73.1").await;
    assert_eq!(rossi.get("/candidacies").await.status, StatusCode::OK);
    // The code page has nothing for them.
    let r = rossi.get("/login/code").await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/account")
    );
}

#[tokio::test]
async fn a_code_typed_after_the_session_ended_opens_nothing() {
    use server::db::entities::session;
    let app = TestApp::new().await;
    app.privileged_user("bruno@regione.test", Role::Staff, "10.0.74.1")
        .await;
    let id = app.account("bruno@regione.test").await.id;
    let mut pending = password_only(&app, "bruno@regione.test", "10.0.74.2").await;
    // The code page is not for a browser's cache.
    let page = pending.get("/login/code").await;
    assert_eq!(
        page.headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    // A page that needs the login sends to the code page, then back.
    let r = pending.get("/staff").await;
    assert_eq!(r.location(), "/login/code?next=%2Fstaff");
    // Meanwhile an administrator ends every session of the account.
    server::accounts::session::delete_all_for(&app.state.db, id, None)
        .await
        .unwrap();
    let r = pending
        .post(
            "/login/code",
            &[("code", &code_now(common::TOTP_SECRET, 1))],
        )
        .await;
    assert_ne!(r.status, StatusCode::OK);
    let verified = session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .filter(session::Column::VerifiedAt.is_not_null())
        .one(&app.state.db)
        .await
        .unwrap();
    assert!(verified.is_none(), "no session came back");
    assert_ne!(pending.get("/staff").await.status, StatusCode::OK);
}
