//! Authorisation, CSRF, throttling and headers: what an attacker would try.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use common::{TestApp, PASSWORD};

#[tokio::test]
async fn pages_need_the_right_login_and_role_and_leak_nothing() {
    let app = TestApp::new().await;
    let mut anonymous = app.client("10.1.0.1");
    let r = anonymous.get("/account").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body.contains("Accesso richiesto") && r.body.contains("href=\"/login\""),
        "a page that helps, not a bare status"
    );
    assert_eq!(
        anonymous.get("/admin/outbox").await.status,
        StatusCode::UNAUTHORIZED
    );

    let mut proponent = app.user("prop@example.it", "proponent", "10.1.0.2").await;
    let r = proponent.get("/admin/outbox").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("<table"), "no data on a refused page");

    let mut staff = app
        .privileged_user("staff@example.it", Role::Staff, "10.1.0.3")
        .await;
    assert_eq!(
        staff.get("/admin/outbox").await.status,
        StatusCode::FORBIDDEN,
        "staff are not admins"
    );
    let mut admin = app
        .privileged_user("admin@example.it", Role::Admin, "10.1.0.4")
        .await;
    assert_eq!(admin.get("/admin/outbox").await.status, StatusCode::OK);

    // A proponent's account page shows only their own data.
    let page = proponent.get("/account").await.body;
    assert!(page.contains("prop@example.it") && !page.contains("staff@example.it"));

    let r = anonymous.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Pagina non trovata"));
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token() {
    let app = TestApp::new().await;
    let mut browser = app.user("csrf@example.it", "proponent", "10.1.0.5").await;

    let r = browser.post_raw("/logout", "", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no token");
    assert!(r.body.contains("Sessione del modulo scaduta"));
    let r = browser
        .post_raw(
            "/logout",
            "_csrf=forged-token-forged-token-forged-token",
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "wrong token");
    let body = format!("_csrf={}", browser.csrf());
    let r = browser
        .post_raw("/logout", &body, &[("origin", "https://evil.example")])
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "right token but another site's page"
    );
    let r = browser
        .post_raw("/logout", &body, &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/account").await.status,
        StatusCode::OK,
        "still logged in: nothing happened"
    );

    let r = browser
        .post_raw(
            "/logout",
            &body,
            &[
                ("origin", "http://portal.test"),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the real form works");

    // Without any cookie (a first visit straight to a POST) there is nothing to match.
    let mut fresh = app.client("10.1.0.6");
    let r = fresh
        .post_raw(
            "/login",
            &format!("email=csrf%40example.it&password={PASSWORD}"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn logins_are_throttled_per_account_and_per_address() {
    let app = TestApp::new().await;
    app.user("target@example.it", "investor", "10.1.0.7").await;

    let mut attacker = app.client("10.1.0.8");
    for _ in 0..5 {
        assert_eq!(
            attacker
                .login("target@example.it", "wrong guess!!")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    let r = attacker.login("target@example.it", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(r.body.contains("Troppi tentativi"));
    // Changing the address the client claims changes nothing: behind one
    // proxy, only the right-most X-Forwarded-For entry is the client's.
    for forged in ["203.0.113.1", "203.0.113.2"] {
        let mut disguised = app.client(&format!("{forged}, 10.1.0.8"));
        assert_eq!(
            disguised
                .login("target@example.it", "wrong guess!!")
                .await
                .status,
            StatusCode::TOO_MANY_REQUESTS,
            "{forged}"
        );
    }
    // The owner, from their own address, still gets in: the guesser is not a lock.
    let mut owner = app.client("10.1.0.9");
    assert_eq!(
        owner.login("target@example.it", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    app.state.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(
        attacker.login("target@example.it", PASSWORD).await.status,
        StatusCode::SEE_OTHER,
        "the window passes"
    );

    // One address spraying many accounts is stopped too, whether or not they exist.
    let mut sprayer = app.client("10.1.0.10");
    for i in 0..20 {
        let r = sprayer
            .login(&format!("user{i}@example.it"), "wrong guess!!")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        sprayer
            .login("someone@example.it", "wrong guess!!")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn failed_logins_say_the_same_for_unknown_and_known_accounts() {
    let app = TestApp::new().await;
    app.user("known@example.it", "proponent", "10.1.0.11").await;
    let mut browser = app.client("10.1.0.12");
    let known = browser.login("known@example.it", "wrong password!").await;
    let unknown = browser.login("unknown@example.it", "wrong password!").await;
    assert_eq!(known.status, unknown.status);
    let message = |body: &str| body.contains("Email o password non corretti");
    assert!(message(&known.body) && message(&unknown.body));
}

#[tokio::test]
async fn every_page_has_security_headers_and_a_script_nonce() {
    let app = TestApp::new().await;
    let mut browser = app.client("10.1.0.13");
    let r = browser.get("/").await;
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        r.body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    // The islands' script is also allowed by its hash: a page kept for every
    // anonymous visitor (the catalogue's list) carries an older nonce.
    let script = r.body.split("<script type=\"module\"").nth(1).unwrap();
    let script = &script[script.find('>').unwrap() + 1..script.find("</script>").unwrap()];
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    let login = browser.get("/login").await.body;
    assert!(
        !login.contains("/pkg/app"),
        "a page without islands loads no WebAssembly"
    );
    assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
    assert!(r.headers.get("referrer-policy").is_some());
    let other = browser.get("/").await;
    assert_ne!(
        other.headers.get("content-security-policy"),
        r.headers.get("content-security-policy"),
        "a nonce per response"
    );
}

#[tokio::test]
async fn language_follows_the_choice_and_the_browser() {
    let app = TestApp::new().await;
    let mut browser = app.client("10.1.0.14");
    assert!(
        browser.get("/").await.body.contains("<html lang=\"it\""),
        "Italian by default"
    );
    let r = browser.get("/lang/en?next=/info/privacy").await;
    assert_eq!(r.location(), "/info/privacy");
    let page = browser.get("/info/privacy").await.body;
    assert!(page.contains("<html lang=\"en\"") && page.contains("Privacy notice"));
    assert_eq!(
        browser.get("/lang/en?next=//evil.example").await.location(),
        "/",
        "no open redirect"
    );

    let mut english_browser = app.client("10.1.0.15");
    let r = english_browser
        .send(
            axum::http::Request::get("/")
                .header("accept-language", "en-GB,en;q=0.9")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.body.contains("<html lang=\"en\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_sent_in_parallel_do_not_exceed_the_limit() {
    let app = TestApp::new().await;
    app.user("burst@example.it", "proponent", "10.1.1.1").await;
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let mut guesser = app.client("10.1.1.2");
        tasks.push(tokio::spawn(async move {
            guesser
                .login("burst@example.it", "wrong guess!!")
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    // Each guess is either checked (and wrong) or turned away: nothing else.
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(s)),
        "{statuses:?}"
    );
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert!(
        (1..=5).contains(&checked),
        "{checked} passwords were checked"
    );
}

#[tokio::test]
async fn wrong_current_passwords_are_throttled_and_old_reset_links_die() {
    let app = TestApp::new().await;
    let mut user = app.user("pw@example.it", "proponent", "10.1.2.1").await;
    // A reset link asked for before the password changes.
    let mut other = app.client("10.1.2.2");
    other
        .post("/password/forgot", &[("email", "pw@example.it")])
        .await;
    let reset = app.last_link_to("pw@example.it").await;
    assert!(reset.starts_with("/password/reset"), "{reset}");
    let change = |current: &'static str| {
        vec![
            ("current_password", current),
            ("password", "another long passphrase"),
            ("password_confirm", "another long passphrase"),
        ]
    };
    for _ in 0..5 {
        let r = user
            .post("/account/password", &change("not the password"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = user.post("/account/password", &change(PASSWORD)).await;
    assert!(
        r.body.contains("Troppi tentativi errati"),
        "{}",
        &r.body[r.body.find("invalid-feedback").unwrap_or(0)..][..600.min(r.body.len())]
    );
    app.state.clock.advance(chrono::Duration::minutes(16));
    let r = user.post("/account/password", &change(PASSWORD)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The link sent before the change no longer works.
    let token = reset.split("token=").nth(1).unwrap();
    let r = other
        .post(
            "/password/reset",
            &[
                ("token", token),
                ("password", "an attacker's passphrase"),
                ("password_confirm", "an attacker's passphrase"),
            ],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(
        app.client("10.1.2.4")
            .login("pw@example.it", "an attacker's passphrase")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.client("10.1.2.3")
            .login("pw@example.it", "another long passphrase")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_login_ends_the_session_the_browser_had_before() {
    let app = TestApp::new().await;
    let mut browser = app.user("first@example.it", "proponent", "10.1.3.1").await;
    app.user("second@example.it", "proponent", "10.1.3.2").await;
    let old_session = browser.cookies["ol_session"].clone();
    assert_eq!(
        browser.login("second@example.it", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let mut replay = app.client("10.1.3.1");
    replay.cookies.insert("ol_session".into(), old_session);
    assert_eq!(
        replay.get("/account").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn language_switch_redirects_stay_on_the_portal() {
    let app = TestApp::new().await;
    let mut visitor = app.client("10.1.4.1");
    for next in [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%5Cevil.example",
        "//evil.example",
        "/%0d%0a/evil.example",
    ] {
        let r = visitor.get(&format!("/lang/en?next={next}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(r.location(), "/", "{next}");
    }
    let r = visitor.get("/lang/en?next=/candidacies").await;
    assert_eq!(r.location(), "/candidacies");
}

#[tokio::test]
async fn an_upload_carries_its_token_in_the_body_and_pages_show_it_masked() {
    let app = TestApp::new().await;
    let (mut owner, base) = common::rossi_with_draft(&app, "mask@example.it", "10.1.0.9").await;
    let secret = owner.csrf();

    // Each page shows the token differently, never the cookie's secret itself.
    let shown = |body: &str| {
        let at = body.find("name=\"_csrf\" value=\"").expect("a token field") + 20;
        body[at..].split('"').next().unwrap().to_string()
    };
    let first = shown(&owner.get(&format!("{base}/attachments")).await.body);
    let second = shown(&owner.get(&format!("{base}/attachments")).await.body);
    assert_ne!(first, second);
    assert!(!first.contains(&secret) && !second.contains(&secret));
    let page = owner.get(&format!("{base}/attachments")).await.body;
    assert!(!page.contains("_csrf="), "no token in any address");

    // A masked token, as the form sends it, is accepted in the body's first part.
    let photo = forms::sample::photo_png();
    let path = format!("{base}/attachments?purpose=photo");
    let r = owner
        .upload_with(&path, "photo", "a.png", &photo, Some(first))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // Nor as a file part that calls itself the token.
    let boundary = "b-file-token";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"; filename=\"t.txt\"\r\n\r\n{secret}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"c.png\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&photo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = axum::http::Request::post(&path)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(owner.send(request).await.status, StatusCode::FORBIDDEN);

    // In the address it is not.
    let r = owner
        .upload_with(
            &format!("{path}&_csrf={secret}"),
            "photo",
            "b.png",
            &photo,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
