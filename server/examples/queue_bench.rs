//! The review queue with 10,000 candidacies, server side, in one process (no
//! network): an officer's `/staff` pages with the filters officers use,
//! through the real router, session and database, on SQLite and, when
//! `TEST_DATABASE_URL` names one, on PostgreSQL (in a schema of its own).
//! The baseline, in the same run and session, is `/healthz` (the router,
//! middleware and session without the queue's queries and page).
//!
//!     cargo run --release -p server --example queue_bench [-- 10000]
//!
//! Then the full exports of the 10,000 (Excel, CSV, GeoJSON): time and the
//! heap's peak above what was in use before, by a counting allocator.
//!
//! Prints figures; asserts only that every page answered 200.

use std::sync::atomic::Ordering;
use std::time::Instant;

#[path = "shared/officer.rs"]
mod officer;
#[path = "shared/postgres.rs"]
mod postgres;
#[path = "shared/stats.rs"]
mod stats;
use stats::summary;
#[path = "shared/session.rs"]
mod session;
use session::Session;

#[path = "../tests/counting/mod.rs"]
mod counting;
use counting::{LIVE, PEAK};

/// What officers ask the queue for, each timed `ROUNDS` times.
const PAGES: [&str; 7] = [
    "/staff",
    "/staff?status=under_review",
    "/staff?province=BG&sort=newest",
    "/staff?status=integration_requested&officer=me",
    "/staff?reply=overdue",
    "/staff?q=SEED-77",
    "/staff?page=40",
];
const ROUNDS: usize = 60;

/// Seeds `count` candidacies into the database at `url` (in `schema` on
/// PostgreSQL) and times the queue's pages against the baseline.
async fn run(label: &str, url: &str, schema: Option<&str>, dir: &std::path::Path, count: usize) {
    std::env::set_var("PORTAL_DATA_DIR", dir);
    std::env::set_var("DATABASE_URL", url);
    std::env::set_var("PORTAL_OUTBOX_WORKER", "false");
    std::env::set_var("PORTAL_TRUST_PROXY", "true");
    let config = server::config::Config::from_env().unwrap();
    let db = server::db::connect(url, schema).await.unwrap();
    let clock = server::clock::Clock::system();
    let state = server::state::AppState::new(db, config, clock);
    let now = state.clock.now();
    let officer = officer::create(&state.db, now).await;
    let t = Instant::now();
    let seeded = server::seed::candidacies(&state.db, count, &[officer.id], now)
        .await
        .unwrap();
    println!(
        "{label}: seeded {} candidacies ({} proponents, {} open requests) in {:.1} s",
        seeded.candidacies,
        seeded.proponents,
        seeded.requests,
        t.elapsed().as_secs_f64()
    );
    let s = Session::logged_in(
        server::web::router(state.clone()),
        officer::EMAIL,
        officer::PASSWORD,
    )
    .await;
    // Warm up: the first read of each page fills the database's caches.
    for page in PAGES {
        s.download(page).await;
    }
    let mut all = Vec::new();
    for page in PAGES {
        let mut times = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let body = s.download(page).await;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(!body.is_empty());
        }
        let (p50, p99) = summary(times.clone());
        println!("{label}: {page:<48} p50 {p50:6.2} ms  p99 {p99:6.2} ms");
        all.extend(times);
    }
    let mut base = Vec::new();
    for _ in 0..ROUNDS * PAGES.len() {
        let t = Instant::now();
        s.download("/healthz").await;
        base.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, p99) = summary(all);
    let (b50, b99) = summary(base);
    for ext in ["xlsx", "csv", "geojson"] {
        let path = format!("/staff/export.{ext}");
        let mut times = Vec::new();
        let mut peak = 0;
        let mut size = 0;
        for _ in 0..3 {
            let before = LIVE.load(Ordering::Relaxed);
            PEAK.store(before, Ordering::Relaxed);
            let t = Instant::now();
            let body = s.download(&path).await;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            // The body itself is counted too: it is what the client receives.
            peak = peak.max(PEAK.load(Ordering::Relaxed).saturating_sub(before));
            size = body.len();
        }
        let (median, _) = summary(times);
        println!(
            "{label}: export {ext:<7} of all {count}: median {median:7.1} ms over 3, {:.1} MB, heap peak {:.1} MB",
            size as f64 / 1048576.0,
            peak as f64 / 1048576.0
        );
    }
    println!(
        "{label}: queue, all pages: p50 {p50:.2} ms, p99 {p99:.2} ms over {} requests; \
         baseline /healthz p50 {b50:.3} ms, p99 {b99:.3} ms (queue/baseline p50 × {:.0})",
        ROUNDS * PAGES.len(),
        p50 / b50.max(0.001)
    );
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!("queue-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    run("SQLite", &sqlite, None, &dir, count).await;
    let files = dir.clone();
    postgres::in_fresh_schema("bench", |url, schema| async move {
        run("PostgreSQL", &url, Some(&schema), &files, count).await;
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}
