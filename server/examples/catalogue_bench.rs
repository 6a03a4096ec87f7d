//! The public catalogue with 10,000 sites online, server side, in one
//! process (no network): the list with the filters and searches site
//! selectors use, a site's page, through the real router and database, on
//! SQLite and, when `TEST_DATABASE_URL` names one, on PostgreSQL (in a
//! schema of its own). The baseline, in the same run, is `/healthz` (the
//! router and middleware without the catalogue).
//!
//!     cargo run --release -p server --example catalogue_bench [-- 10000]
//!
//! Each page twice: as rendered for a logged-in visitor (every request
//! renders it, and asks the database for the catalogue's generation), and
//! as kept for anonymous visitors (rendered once per version of the
//! catalogue). Also: the index's rebuild after a publication, and the bytes
//! of the list page and of its map for all the sites, as brotli sends them.
//! Throughput under load is measured by `scripts/bench.sh` with wrk.
//!
//! Then the map island's marks for the whole list at the coarsest and the
//! finest zoom, and a pass of the saved searches (1,000 of them, the
//! filters above in turn) after 100 new sites: the pass that emails them,
//! against the pass over the same searches when nothing new came online.
//!
//! Prints figures; asserts only that every page answered 200.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use std::time::Instant;
use tower::ServiceExt;

#[path = "shared/officer.rs"]
mod officer;
#[path = "shared/postgres.rs"]
mod postgres;
#[path = "shared/session.rs"]
mod session;
#[path = "shared/stats.rs"]
mod stats;
use stats::summary;

/// What visitors ask the catalogue for, each timed `ROUNDS` times.
const PAGES: [&str; 8] = [
    "/opportunita",
    "/opportunita?province=BG",
    "/opportunita?province=MI&province=MB&land_min=5000&sort=area",
    "/opportunita?function=logistics&motorway_km=5&power_kw=500",
    "/en/opportunities?q=warehouse",
    "/opportunita?q=capannone+bergamo&offer=lease",
    "/opportunita?page=200",
    "/opportunita?province=SO&land_min=290000&function=data_centre",
];
const ROUNDS: usize = 60;

/// `path` through the router; the body as sent with `encoding` (if any).
async fn get(router: &Router, path: &str, encoding: Option<&str>) -> Vec<u8> {
    let mut request = Request::get(path);
    if let Some(e) = encoding {
        request = request.header(header::ACCEPT_ENCODING, e);
    }
    let request = request
        .header("x-forwarded-for", "10.9.9.9")
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await;
    body.unwrap().to_vec()
}

/// `path`'s time in ms, `ROUNDS` times, anonymous or in `session`.
async fn timed(router: &Router, path: &str, session: Option<&session::Session>) -> Vec<f64> {
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        match session {
            Some(s) => drop(s.download(path).await),
            None => drop(get(router, path, None).await),
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times
}

/// Brotli at the quality the portal's compression layer uses by default.
fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 4,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).unwrap();
    out.len()
}

async fn run(label: &str, url: &str, schema: Option<&str>, dir: &std::path::Path, count: usize) {
    std::env::set_var("PORTAL_DATA_DIR", dir);
    std::env::set_var("DATABASE_URL", url);
    std::env::set_var("PORTAL_OUTBOX_WORKER", "false");
    std::env::set_var("PORTAL_TRUST_PROXY", "true");
    // The worst case: every request asks the database for the generation.
    std::env::set_var("PORTAL_CATALOGUE_RECHECK_MS", "0");
    let config = server::config::Config::from_env().unwrap();
    let db = server::db::connect(url, schema).await.unwrap();
    let state = server::state::AppState::new(db, config, server::clock::Clock::system());
    let now = state.clock.now();
    let officer = officer::create(&state.db, now).await;
    let t = Instant::now();
    let refs = server::seed::sites(&state.db, count, officer.id, now)
        .await
        .unwrap();
    println!(
        "{label}: published {} made-up sites in {:.1} s",
        refs.len(),
        t.elapsed().as_secs_f64()
    );
    let router = server::web::router(state.clone());
    let t = Instant::now();
    get(&router, "/opportunita", None).await;
    println!(
        "{label}: first list after the publication (index built from {count} versions): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let detail = format!("/opportunita/{}", refs[refs.len() / 2]);
    let pages: Vec<&str> = PAGES.iter().copied().chain([detail.as_str()]).collect();
    for page in &pages {
        get(&router, page, None).await;
    }
    server::accounts::operations::create_user(
        &state.db,
        "visitor@bench.test",
        officer::PASSWORD,
        app::view_data::Role::Proponent,
        app::Lang::It,
        true,
        now,
    )
    .await
    .unwrap();
    let visitor =
        session::Session::logged_in(router.clone(), "visitor@bench.test", officer::PASSWORD).await;
    let (mut rendered, mut kept) = (Vec::new(), Vec::new());
    for page in &pages {
        let times = timed(&router, page, Some(&visitor)).await;
        let (p50, p99) = summary(times.clone());
        let (k50, k99) = summary(timed(&router, page, None).await);
        println!(
            "{label}: {page:<66} rendered p50 {p50:6.2} ms p99 {p99:6.2} ms; kept p50 {k50:5.2} ms p99 {k99:5.2} ms"
        );
        rendered.extend(times);
        kept.extend(timed(&router, page, None).await);
    }
    let base = timed(&router, "/healthz", None).await;
    let (p50, p99) = summary(rendered);
    let (k50, k99) = summary(kept);
    let (b50, b99) = summary(base);
    println!(
        "{label}: catalogue, all pages: rendered p50 {p50:.2} ms, p99 {p99:.2} ms over {} requests \
         (targets: 20 and 100); kept p50 {k50:.2} ms, p99 {k99:.2} ms; \
         baseline /healthz p50 {b50:.3} ms, p99 {b99:.3} ms",
        ROUNDS * pages.len()
    );
    for zoom in [1, 16] {
        let path = format!("/opportunita/mappa.svg?zoom={zoom}&cx=300&cy=250");
        let bytes = get(&router, &path, None).await.len();
        let (p50, p99) = summary(timed(&router, &path, None).await);
        println!(
            "{label}: the map island's map of all {count} sites at zoom {zoom}: p50 {p50:.2} ms, p99 {p99:.2} ms, \
             {:.1} KB",
            bytes as f64 / 1024.0
        );
    }
    saved_searches(label, &state, officer.id).await;
    let html = get(&router, "/opportunita", None).await;
    let sent = get(&router, "/opportunita", Some("br")).await;
    let text = String::from_utf8_lossy(&html);
    let from = text.find("<figure id=\"catalogue-map\"").unwrap();
    let to = from + text[from..].find("</figure>").unwrap() + "</figure>".len();
    let map = &html[from..to];
    println!(
        "{label}: the list of all {count}: page {:.1} KB, {:.1} KB as sent with brotli; \
         its map {:.1} KB, {:.1} KB brotli (target 60 KB)",
        html.len() as f64 / 1024.0,
        sent.len() as f64 / 1024.0,
        map.len() as f64 / 1024.0,
        brotli_len(map) as f64 / 1024.0
    );
}

/// Saved searches: 1,000 kept by 50 investors; 100 new sites; one pass
/// that emails, then one over the same searches with nothing new.
async fn saved_searches(label: &str, state: &server::state::AppState, officer: i64) {
    use sea_orm::{ActiveModelTrait, Set};
    use server::db::entities::saved_search;
    let now = state.clock.now();
    let seen = state
        .catalogue
        .current(&state.db)
        .await
        .unwrap()
        .newest_publication();
    for a in 0..50 {
        let email = format!("investor{a}@bench.test");
        let account = server::accounts::operations::create_user(
            &state.db,
            &email,
            officer::PASSWORD,
            app::view_data::Role::Investor,
            app::Lang::It,
            true,
            now,
        )
        .await
        .unwrap()
        .expect("a new account");
        for n in 0..20 {
            let query = PAGES[(a + n) % PAGES.len()]
                .split_once('?')
                .map_or("", |(_, q)| q);
            saved_search::ActiveModel {
                user_id: Set(account.id),
                name: Set(format!("Ricerca {n}")),
                query: Set(query.to_string()),
                token: Set(server::accounts::tokens::random_token()),
                seen_publication: Set(seen),
                created_at: Set(now),
                last_sent_at: Set(None),
                ..Default::default()
            }
            .insert(&state.db)
            .await
            .unwrap();
        }
    }
    server::seed::sites(&state.db, 100, officer, now)
        .await
        .unwrap();
    let t = Instant::now();
    let sent = server::catalogue::saved::notify(state).await.unwrap();
    let emailing = t.elapsed().as_secs_f64() * 1000.0;
    // The same searches again, something changed online but nothing new for them.
    let txn = sea_orm::TransactionTrait::begin(&state.db).await.unwrap();
    server::catalogue::bump(&txn).await.unwrap();
    txn.commit().await.unwrap();
    let t = Instant::now();
    let again = server::catalogue::saved::notify(state).await.unwrap();
    let quiet = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{label}: saved searches, 1,000 against the catalogue after 100 new sites: \
         {emailing:.0} ms for the pass that queued {sent} emails; {quiet:.0} ms for a pass \
         with nothing new ({again} emails; ratio {:.1})",
        emailing / quiet.max(0.001)
    );
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!("catalogue-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    run("SQLite", &sqlite, None, &dir, count).await;
    let files = dir.clone();
    postgres::in_fresh_schema("catalogue", |url, schema| async move {
        run("PostgreSQL", &url, Some(&schema), &files, count).await;
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}
