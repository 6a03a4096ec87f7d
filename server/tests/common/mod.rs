//! Test harness: a real portal (router, database, clock) per test.
//! Database: a SQLite file in a temporary folder, or, when PORTAL_TEST_DATABASE_URL
//! is set, a fresh schema in that PostgreSQL database, dropped at the end.
#![allow(dead_code)]

pub mod drafts;
pub mod signing;
pub mod smtp;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};
use server::clock::Clock;
use server::config::{
    Config, LimitsConfig, MailConfig, MailTransport, OutboxConfig, ThrottleConfig,
};
use server::db::entities::outbox;
use server::state::AppState;
use std::collections::HashMap;
use tower::ServiceExt;

pub const START: &str = "2026-11-22T10:00:00Z";
pub const PASSWORD: &str = "a long enough passphrase";

/// The TOTP secret test officers enrol with (base32).
pub const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// The code an authenticator app with [`TOTP_SECRET`] shows now (wall clock,
/// as the portal checks it).
pub fn totp_now() -> String {
    use server::accounts::totp;
    let secret = totp::from_base32(TOTP_SECRET).unwrap();
    totp::code(&secret, totp::step_at(chrono::Utc::now().timestamp()))
}

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub dir: tempfile::TempDir,
    pg_schema: Option<(String, String)>,
}

pub fn test_config(dir: &std::path::Path, database_url: String) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        public_url: "http://portal.test".into(),
        database_url,
        data_dir: dir.to_path_buf(),
        site_dir: dir.join("site"),
        mail: MailConfig {
            transport: MailTransport::File(dir.join("mail")),
            from: "Portal <noreply@portal.test>".into(),
        },
        secure_cookies: false,
        trusted_proxies: 1,
        submission_deadline: at("2028-06-30T21:59:59Z"),
        fixed_now: None,
        outbox: OutboxConfig {
            poll_ms: 50,
            max_attempts: 3,
            backoff_ms: 1000,
            run_worker: false,
        },
        throttle: ThrottleConfig {
            per_account: 5,
            per_ip: 20,
            window_minutes: 15,
        },
        trust_anchors: None,
        production: false,
        // Each request asks the database: tests publish and look at once.
        limits: LimitsConfig {
            catalogue_recheck: std::time::Duration::ZERO,
            ..LimitsConfig::standard()
        },
        review: server::config::ReviewConfig::standard(),
        service_email: "invest@example.it".into(),
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::new_with(|_| {}).await
    }

    /// A portal whose configuration `adjust` changes first (trust anchors, deadline…).
    pub async fn new_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let (url, schema) = match std::env::var("PORTAL_TEST_DATABASE_URL") {
            Ok(base) if !base.is_empty() => {
                let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
                let admin = sea_orm::Database::connect(&base)
                    .await
                    .expect("PostgreSQL at PORTAL_TEST_DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
                    .await
                    .unwrap();
                (base, Some(schema))
            }
            _ => (
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("portal.db").display()
                ),
                None,
            ),
        };
        let mut config = test_config(dir.path(), url.clone());
        adjust(&mut config);
        let db = server::db::connect(&url, schema.as_deref())
            .await
            .expect("database connects and migrates");
        let state = AppState::new(db, config, Clock::fixed(at(START)));
        let router = server::web::router(state.clone());
        TestApp {
            state,
            router,
            dir,
            pg_schema: schema.map(|s| (url, s)),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg_schema.is_some()
    }

    /// A second server process's view: its own connection pool and clock, the same database.
    pub async fn second_instance(&self) -> (AppState, Router) {
        let url = self.state.config.database_url.clone();
        let schema = self.pg_schema.as_ref().map(|(_, s)| s.clone());
        let db = server::db::connect(&url, schema.as_deref())
            .await
            .expect("second connection");
        let config = test_config(self.dir.path(), url);
        let state = AppState::new(db, config, Clock::fixed(self.state.clock.now()));
        let router = server::web::router(state.clone());
        (state, router)
    }

    pub fn client_of(&self, router: &Router, ip: &str) -> Client {
        Client {
            router: router.clone(),
            cookies: HashMap::new(),
            ip: ip.to_string(),
        }
    }

    /// A browser with its own cookies, coming from `ip`.
    pub fn client(&self, ip: &str) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
            ip: ip.to_string(),
        }
    }

    /// Every queued message, oldest first (PostgreSQL returns rows in no set order).
    pub async fn outbox(&self) -> Vec<outbox::Model> {
        use sea_orm::QueryOrder;
        outbox::Entity::find()
            .order_by_asc(outbox::Column::Id)
            .all(&self.state.db)
            .await
            .unwrap()
    }

    /// The local path and query of the last link emailed to `to`.
    pub async fn last_link_to(&self, to: &str) -> String {
        let mail = self
            .outbox()
            .await
            .into_iter()
            .rfind(|m| m.to_addr == to)
            .expect("an email to the address");
        let start = mail
            .body_text
            .find("http://portal.test")
            .expect("a link in the email");
        let link: String = mail.body_text[start..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != ')' && *c != ']')
            .collect();
        link.trim_start_matches("http://portal.test").to_string()
    }

    /// The account registered with `email`, as the database holds it.
    pub async fn account(&self, email: &str) -> server::db::entities::user::Model {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use server::db::entities::user;
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.state.db)
            .await
            .unwrap()
            .expect("an account with that email")
    }

    /// The signature verdict of the last document kept for `purpose`.
    pub async fn latest_signature(&self, purpose: &str) -> Option<String> {
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
        use server::db::entities::document;
        document::Entity::find()
            .filter(document::Column::Purpose.eq(purpose))
            .order_by_desc(document::Column::Id)
            .one(&self.state.db)
            .await
            .unwrap()
            .and_then(|d| d.signature)
    }

    /// Registers, verifies and returns a logged-in client.
    pub async fn user(&self, email: &str, role: &str, ip: &str) -> Client {
        let mut client = self.client(ip);
        let r = client.register(email, role).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let link = self.last_link_to(email).await;
        assert_eq!(client.get(&link).await.status, StatusCode::OK);
        let r = client.login(email, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        client
    }

    /// Staff and admin accounts exist only through the CLI path, which this mirrors.
    pub async fn privileged_user(
        &self,
        email: &str,
        role: app::view_data::Role,
        ip: &str,
    ) -> Client {
        self.staff_account(email, role).await;
        let mut client = self.client(ip);
        let r = client.login(email, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().starts_with("/login/code"), "{}", r.location());
        self.give_second_factor(&mut client, email).await;
        client
    }

    /// A back-office account as the CLI makes it: no second factor yet.
    pub async fn staff_account(&self, email: &str, role: app::view_data::Role) {
        server::accounts::operations::create_user(
            &self.state.db,
            email,
            PASSWORD,
            role,
            app::Lang::It,
            true,
            self.state.clock.now(),
        )
        .await
        .unwrap()
        .unwrap();
    }

    /// Enrols `email`'s authenticator app (a known secret, as the demo does)
    /// and types its code: the second step of a back-office login.
    pub async fn give_second_factor(&self, client: &mut Client, email: &str) {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use server::db::entities::user;
        user::Entity::update_many()
            .col_expr(user::Column::TotpSecret, Expr::value(Some(TOTP_SECRET)))
            .col_expr(
                user::Column::TotpConfirmedAt,
                Expr::value(Some(self.state.clock.now())),
            )
            .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
            .filter(user::Column::Email.eq(email))
            .exec(&self.state.db)
            .await
            .unwrap();
        let r = client.post("/login/code", &[("code", &totp_now())]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((url, schema)) = self.pg_schema.take() {
            // Runs on its own thread: Drop cannot await, and the test's runtime may be gone.
            let _ = std::thread::spawn(move || {
                tokio::runtime::Runtime::new().unwrap().block_on(async {
                    if let Ok(db) = sea_orm::Database::connect(&url).await {
                        let _ = db
                            .execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
                            .await;
                    }
                })
            })
            .join();
        }
    }
}

pub struct Client {
    router: Router,
    pub cookies: HashMap<String, String>,
    pub ip: String,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as received, for downloads.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl Client {
    pub fn csrf(&self) -> String {
        self.cookies.get("ol_csrf").cloned().unwrap_or_default()
    }

    pub async fn send(&mut self, request: Request<Body>) -> TestResponse {
        let mut request = request;
        let cookie_header = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let headers = request.headers_mut();
        if !cookie_header.is_empty() {
            headers.insert(header::COOKIE, cookie_header.parse().unwrap());
        }
        headers.insert("x-forwarded-for", self.ip.parse().unwrap());
        headers.insert(header::HOST, "portal.test".parse().unwrap());
        let response = self.router.clone().oneshot(request).await.unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let cookie = cookie::Cookie::parse(value.to_str().unwrap().to_string()).unwrap();
            let expired =
                cookie.max_age().is_some_and(|age| age.is_zero()) || cookie.value().is_empty();
            if expired {
                self.cookies.remove(cookie.name());
            } else {
                self.cookies
                    .insert(cookie.name().to_string(), cookie.value().to_string());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Uploads one file as a browser's multipart form does, the CSRF token its
    /// first part (`token: None` leaves it out).
    pub async fn upload_with(
        &mut self,
        path: &str,
        field: &str,
        filename: &str,
        bytes: &[u8],
        token: Option<String>,
    ) -> TestResponse {
        let boundary = "portal-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = token.map(|t| csrf_part(boundary, &t)).unwrap_or_default();
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        ));
        let mut body = body.into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Uploads `bytes` as the multipart field `field` to `path` (which may carry a
    /// query already), with this client's CSRF token, fetched first if needed.
    pub async fn upload_to(
        &mut self,
        path: &str,
        field: &str,
        filename: &str,
        bytes: &[u8],
    ) -> TestResponse {
        if self.csrf().is_empty() {
            self.get("/").await;
        }
        let token = self.csrf();
        self.upload_with(path, field, filename, bytes, Some(token))
            .await
    }

    pub async fn upload(&mut self, path: &str, filename: &str, bytes: &[u8]) -> TestResponse {
        if self.csrf().is_empty() {
            self.get("/").await;
        }
        let token = self.csrf();
        self.upload_with(path, "file", filename, bytes, Some(token))
            .await
    }

    /// Posts a form as a browser would, with this client's CSRF token (fetched first if needed).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        if self.csrf().is_empty() {
            self.get("/").await;
        }
        let csrf = self.csrf();
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &serde_urlencoded::to_string(&all).unwrap(), &[])
            .await
    }

    pub async fn post_raw(
        &mut self,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut builder =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.send(builder.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub async fn register(&mut self, email: &str, role: &str) -> TestResponse {
        self.post(
            "/register",
            &[
                ("email", email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("role", role),
                ("privacy", "yes"),
            ],
        )
        .await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> TestResponse {
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }
}

/// Mario Rossi (RSSMRA80A01F205X: the owner of the test PKI in `signing`), with
/// a saved profile and a draft of kind (a) located in Bergamo. Returns his client
/// and the draft's path.
/// The first part of an upload's body, as a browser sends the form's hidden
/// token field before the file.
pub fn csrf_part(boundary: &str, token: &str) -> String {
    format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n")
}

pub async fn rossi_with_draft(app: &TestApp, email: &str, ip: &str) -> (Client, String) {
    let mut owner = app.user(email, "proponent", ip).await;
    let profile = [
        ("subject_type", "person"),
        ("name", "Mario Rossi"),
        ("tax_code", "RSSMRA80A01F205X"),
        ("address", "Via Roma 1"),
        ("postcode", "24044"),
        ("city", "Dalmine"),
        ("email", email),
        ("phone", "+39 035 123 4567"),
        ("property_role", "owner"),
    ];
    assert_eq!(
        owner.post("/profile", &profile).await.status,
        StatusCode::SEE_OTHER
    );
    let r = owner.post("/candidacies", &[("kind", "a")]).await;
    let base = r.location().trim_end_matches("/location").to_string();
    let location = [
        ("municipality", "Bergamo (BG)"),
        ("address", "Via Grumello 57"),
        ("postcode", "24127"),
        ("latitude", "45,6983"),
        ("longitude", "9,6773"),
    ];
    let r = owner.post(&format!("{base}/location"), &location).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    (owner, base)
}

/// The text of a PDF as poppler's `pdftotext` reads it, a real reader other
/// than the one that wrote it. Outside CI, without poppler, `None`: the caller
/// skips, saying so (`./portal test` installs it).
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    poppler("pdftotext", &["-layout"], pdf, &["-"])
}

/// What poppler's `tool` prints about `pdf` (given as a file between `before`
/// and `after` on its command line); `None` without poppler, as [`pdf_text`].
pub fn poppler(tool: &str, before: &[&str], pdf: &[u8], after: &[&str]) -> Option<String> {
    if std::process::Command::new(tool).arg("-v").output().is_err() {
        assert!(
            !everything_required(),
            "this run requires poppler-utils ({tool})"
        );
        eprintln!("SKIPPED: poppler-utils is not installed (apt-get install poppler-utils)");
        return None;
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), pdf).unwrap();
    let out = std::process::Command::new(tool)
        .args(before)
        .arg(file.path())
        .args(after)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // pdfinfo prints titles as the PDF keeps them (UTF-16 with its mark).
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether a test that needs an outside program must fail, not skip, when the
/// program is missing: in CI, and in `./portal test`, which installs them all
/// first (it sets PORTAL_TEST_ALL). Only a bare `cargo test` may skip.
pub fn everything_required() -> bool {
    std::env::var("CI").as_deref() == Ok("true") || std::env::var_os("PORTAL_TEST_ALL").is_some()
}

/// A small real JPEG, as cameras and phones save photos.
pub fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(120, 80, image::Rgb([90, 140, 60]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A site for the catalogue's tests: `fields` over a plain settlement in `town`.
pub fn site(
    town: &str,
    lat: f64,
    lon: f64,
    fields: &[(&str, &str)],
) -> server::review::publication::Snapshot {
    let m = forms::reference::Municipalities::get().find(town).unwrap();
    let mut all = std::collections::BTreeMap::new();
    for (k, v) in fields {
        all.insert(k.to_string(), v.to_string());
    }
    server::review::publication::Snapshot {
        kind: "a".into(),
        municipality_code: m.istat_code.clone(),
        municipality: m.list_label(),
        address: "Via di prova 1".into(),
        postcode: "24000".into(),
        latitude: Some(lat),
        longitude: Some(lon),
        fields: all,
        ..Default::default()
    }
}
