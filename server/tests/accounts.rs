//! The account journey through HTTP, as a browser without JavaScript does it.

mod common;

use axum::http::StatusCode;
use common::{TestApp, PASSWORD};

#[tokio::test]
async fn register_verify_login_logout() {
    let app = TestApp::new().await;
    let mut browser = app.client("10.0.0.1");

    let form = browser.get("/register").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("name=\"_csrf\""),
        "the form carries a CSRF token"
    );

    let r = browser
        .register("Mario.Rossi@Example.it", "proponent")
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/register/sent")
    );

    let mails = app.outbox().await;
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].to_addr, "mario.rossi@example.it",
        "addresses are stored normalised"
    );
    assert!(
        mails[0].subject.contains("Conferma"),
        "Italian by default: {}",
        mails[0].subject
    );

    // Not verified yet: the right password is not enough.
    let r = browser.login("mario.rossi@example.it", PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("confermare il tuo indirizzo"), "{}", r.body);
    assert!(r.body.contains("/verify/resend"), "offers a new link");

    let link = app.last_link_to("mario.rossi@example.it").await;
    assert!(link.starts_with("/verify?token="), "{link}");
    let r = browser.get(&link).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Indirizzo confermato"));
    assert_eq!(
        browser.get(&link).await.status,
        StatusCode::BAD_REQUEST,
        "a link works once"
    );

    let r = browser.login("MARIO.ROSSI@example.it ", PASSWORD).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/account")
    );
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("ol_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let page = browser.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("mario.rossi@example.it"));

    let r = browser.post("/logout", &[]).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/login?logged_out=1")
    );
    assert_eq!(
        browser.get("/account").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn bad_registration_keeps_input_and_explains_each_field() {
    let app = TestApp::new().await;
    let mut browser = app.client("10.0.0.2");
    let r = browser
        .post(
            "/register",
            &[
                ("email", "mario@rossi"),
                ("password", "short"),
                ("password_confirm", "short"),
                ("role", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"mario@rossi\""), "typed email kept");
    assert!(r.body.contains("Inserisci un indirizzo email valido"));
    assert!(r.body.contains("almeno 12 caratteri"));
    assert!(r.body.contains("Scegli come ti registri"));
    assert!(r.body.contains("informativa privacy"));
    assert!(
        r.body.contains("href=\"#f-email\""),
        "the error summary links to the field"
    );
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(
        app.outbox().await.is_empty(),
        "nothing sent for a rejected form"
    );

    // The same errors in English for an English visitor.
    browser.get("/lang/en").await;
    let r = browser
        .post("/register", &[("email", "x"), ("role", "staff")])
        .await;
    assert!(r.body.contains("Enter a valid email address"), "{}", r.body);
    assert!(
        r.body.contains("Choose how you are registering"),
        "staff cannot be chosen at registration"
    );
}

#[tokio::test]
async fn registering_a_taken_address_reveals_nothing() {
    let app = TestApp::new().await;
    app.user("anna@example.it", "investor", "10.0.0.3").await;
    let mut stranger = app.client("10.0.0.4");
    let r = stranger.register("anna@example.it", "proponent").await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/register/sent"),
        "same answer as a new address"
    );
    let last = app.outbox().await.pop().unwrap();
    assert_eq!(last.to_addr, "anna@example.it");
    assert!(
        last.subject.contains("Tentativo di registrazione"),
        "the owner is told instead: {}",
        last.subject
    );
}

#[tokio::test]
async fn password_reset_is_single_use_and_ends_sessions() {
    let app = TestApp::new().await;
    let mut laptop = app.user("luca@example.it", "proponent", "10.0.0.5").await;
    let mut phone = app.client("10.0.0.6");

    let r = phone
        .post("/password/forgot", &[("email", "luca@example.it")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = phone
        .post("/password/forgot", &[("email", "nobody@example.it")])
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "unknown addresses get the same answer"
    );
    assert!(app
        .outbox()
        .await
        .iter()
        .all(|m| m.to_addr != "nobody@example.it"));

    let link = app.last_link_to("luca@example.it").await;
    assert!(link.starts_with("/password/reset?token="), "{link}");
    assert_eq!(phone.get(&link).await.status, StatusCode::OK);
    let token = link.split("token=").nth(1).unwrap().to_string();
    let new_password = "another long passphrase";
    let r = phone
        .post(
            "/password/reset",
            &[
                ("token", &token),
                ("password", new_password),
                ("password_confirm", "typo"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "mismatch is a field error"
    );
    let r = phone
        .post(
            "/password/reset",
            &[
                ("token", &token),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = phone
        .post(
            "/password/reset",
            &[
                ("token", &token),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "the link cannot be used twice"
    );

    assert_eq!(
        laptop.get("/account").await.status,
        StatusCode::UNAUTHORIZED,
        "old sessions ended"
    );
    assert_eq!(
        phone.login("luca@example.it", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        phone.login("luca@example.it", new_password).await.status,
        StatusCode::SEE_OTHER
    );
    let notice = app.outbox().await.pop().unwrap();
    assert!(
        notice.subject.contains("password"),
        "the owner is told the password changed: {}",
        notice.subject
    );
}

#[tokio::test]
async fn reset_links_expire_after_an_hour() {
    let app = TestApp::new().await;
    let mut browser = app.user("eva@example.it", "investor", "10.0.0.7").await;
    browser
        .post("/password/forgot", &[("email", "eva@example.it")])
        .await;
    let link = app.last_link_to("eva@example.it").await;
    app.state.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(browser.get(&link).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn change_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::new().await;
    let mut here = app.user("gino@example.it", "proponent", "10.0.0.8").await;
    let mut elsewhere = app.client("10.0.0.9");
    assert_eq!(
        elsewhere.login("gino@example.it", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );

    let new_password = "a different passphrase";
    let r = here
        .post(
            "/account/password",
            &[
                ("current_password", "wrong one"),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("La password attuale non è corretta"));

    let r = here
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/account?changed=1")
    );
    assert_eq!(here.get("/account").await.status, StatusCode::OK);
    assert_eq!(
        elsewhere.get("/account").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn sessions_expire() {
    let app = TestApp::new().await;
    let mut browser = app.user("old@example.it", "investor", "10.0.0.10").await;
    app.state.clock.advance(chrono::Duration::hours(9));
    assert_eq!(
        browser.get("/account").await.status,
        StatusCode::UNAUTHORIZED
    );
}
