//! What the audit log's hash chain costs writers: every line is appended
//! under the one head row, which each writing transaction holds from its
//! append to its commit, so appends happen one at a time. This measures
//! transactions shaped like a move of a candidacy (the conditional update of
//! its row, a line of its history, the audit line, then the reads and writes
//! a submission does after its move, before it commits) by 1, 8 and 32
//! writers at once, each on its own candidacy, on SQLite and, when
//! `TEST_DATABASE_URL` names one, on PostgreSQL. The baseline, in the same
//! run, is the same transaction with a second history line where the audit
//! line was: the same writes, no chain, no shared row.
//!
//!     cargo run --release -p server --example audit_bench
//!
//! Prints throughput and latency per writers and the ratio chained/baseline;
//! asserts that the chain verifies and holds one line per chained move.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};
use server::audit;
use server::candidacies::status::{self, Actor, Status};
use server::db::entities::{audit_entry, candidacy};
use std::time::Instant;

#[path = "shared/officer.rs"]
mod officer;
#[path = "shared/postgres.rs"]
mod postgres;

/// Moves per round, shared among the writers.
const MOVES: usize = 1_600;
const WRITERS: [usize; 3] = [1, 8, 32];
/// Statements a submission runs after its move and before it commits (the
/// contents read again, the site, the parties, the frozen values, the
/// receipt's row, the email), as reads of the candidacy's row.
const AFTER_THE_MOVE: usize = 6;

/// One move of candidacy `id`, chained into the audit log or not.
async fn one_move(db: &DatabaseConnection, id: i64, chained: bool) {
    let now = Utc::now();
    let txn = db.begin().await.unwrap();
    let moved = candidacy::Entity::update_many()
        .col_expr(candidacy::Column::UpdatedAt, Expr::value(now))
        .filter(candidacy::Column::Id.eq(id))
        .exec(&txn)
        .await
        .unwrap();
    assert_eq!(moved.rows_affected, 1);
    let by = (Actor::Staff, 1);
    let step = (Status::UnderReview, Status::UnderReview);
    status::history_line(&txn, id, by, step, "bench", now)
        .await
        .unwrap();
    if chained {
        let entry = audit::Entry::new(audit::Who::actor(by), Some(id), audit::Action::Note)
            .subject("bench");
        audit::append(&txn, entry, now).await.unwrap();
    } else {
        status::history_line(&txn, id, by, step, "bench", now)
            .await
            .unwrap();
    }
    for _ in 0..AFTER_THE_MOVE {
        candidacy::Entity::find_by_id(id).one(&txn).await.unwrap();
    }
    txn.commit().await.unwrap();
}

/// `MOVES` moves by `writers` tasks, each on its own candidacy: moves per
/// second, and each move's p50 and p99 in milliseconds.
async fn round(
    db: &DatabaseConnection,
    ids: &[i64],
    writers: usize,
    chained: bool,
) -> (f64, f64, f64) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let db = db.clone();
            let id = ids[w];
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(MOVES / writers);
                for _ in 0..MOVES / writers {
                    let t = Instant::now();
                    one_move(&db, id, chained).await;
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                times
            })
        })
        .collect();
    let mut times = Vec::with_capacity(MOVES);
    for task in tasks {
        times.extend(task.await.unwrap());
    }
    let per_second = times.len() as f64 / started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    (per_second, at(0.5), at(0.99))
}

async fn run(label: &str, url: &str, schema: Option<&str>) {
    let db = server::db::connect(url, schema).await.unwrap();
    let now = Utc::now();
    let officer = officer::create(&db, now).await;
    server::seed::candidacies(&db, 64, &[officer.id], now)
        .await
        .unwrap();
    let ids: Vec<i64> = candidacy::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let lines_before = audit_entry::Entity::find().count(&db).await.unwrap();
    // Warm up the pool and the caches.
    round(&db, &ids, 8, true).await;
    round(&db, &ids, 8, false).await;
    let mut chained_moves = MOVES / 8 * 8;
    for writers in WRITERS {
        let (base, b50, b99) = round(&db, &ids, writers, false).await;
        let (chain, c50, c99) = round(&db, &ids, writers, true).await;
        chained_moves += MOVES / writers * writers;
        println!(
            "{label}: {writers:>2} writers: chained {chain:7.0} moves/s (p50 {c50:6.2} ms, p99 {c99:7.2} ms); \
             baseline {base:7.0} moves/s (p50 {b50:6.2} ms, p99 {b99:7.2} ms); chained/baseline × {:.2}",
            chain / base
        );
    }
    let lines = audit_entry::Entity::find().count(&db).await.unwrap() - lines_before;
    assert_eq!(
        lines as usize, chained_moves,
        "one audit line per chained move"
    );
    let verdict = audit::verify(&db).await.unwrap();
    assert!(
        matches!(verdict, audit::Verdict::Intact { .. }),
        "{verdict:?}"
    );
    println!("{label}: the chain verifies: {verdict:?}");
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("audit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    run("SQLite", &sqlite, None).await;
    postgres::in_fresh_schema("audit_bench", |url, schema| async move {
        run("PostgreSQL", &url, Some(&schema)).await;
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}
