//! /staff/export.xlsx, .csv and .geojson: the queue as filtered (the same
//! query string), in the page's language, as downloads. The Excel file is
//! written on the heavy-work pool as pages of candidacies arrive; CSV and
//! GeoJSON are sent page by page as they are read.

use super::QueueQuery;
use crate::audit;
use crate::db::entities::user;
use crate::error::{AppError, AppResult};
use crate::review::exports::{self, Cell};
use crate::review::queue::Filter;
use crate::web::context::Ctx;
use crate::web::extract::Officer;
use crate::web::{download, download_body};
use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::response::Response;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

const XLSX: &str = forms::template::guard::Format::Xlsx.mime();

/// An export holds the contact data of every candidacy it selects: who took
/// which selection, and when, goes into the audit log before any byte leaves.
async fn audited(ctx: &Ctx, me: &user::Model, q: &QueueQuery, format: &str) -> AppResult<()> {
    let entry = audit::Entry::new(audit::Who::user(me), None, audit::Action::Export)
        .subject(format)
        .note(q.encoded());
    audit::append_alone(&ctx.state.db, entry, ctx.state.clock.now()).await
}

/// "candidature-2026-11-24.csv": the day of the export, in Rome.
fn file_name(ext: &str, now: DateTime<Utc>) -> String {
    let r = crate::clock::rome(now);
    format!(
        "candidature-{:04}-{:02}-{:02}.{ext}",
        r.year, r.month, r.day
    )
}

pub async fn xlsx(
    ctx: Ctx,
    Officer(me): Officer,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    audited(&ctx, &me, &q, "xlsx").await?;
    let (db, f, now, lang) = (
        ctx.state.db.clone(),
        q.filter(),
        ctx.state.clock.now(),
        ctx.lang,
    );
    let headers = exports::headers(lang);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Vec<Cell>>>(2);
    // A blocking thread of its own, not a turn of the heavy-work pool: the
    // writer waits on the database between pages, and uploads' checks must
    // not wait for an export.
    let writer = tokio::task::spawn_blocking(move || {
        exports::xlsx(&headers, std::iter::from_fn(move || rx.blocking_recv()))
    });
    let reader = async move {
        let mut after = 0;
        loop {
            let page = exports::page(&db, &f, me.id, now, after).await?;
            let Some(last) = page.last() else { break };
            after = last.candidacy.id;
            let rows = page.iter().map(|e| exports::row(e, lang)).collect();
            // The writer stops early only on an error, which it reports.
            if tx.send(rows).await.is_err() {
                break;
            }
        }
        Ok::<_, AppError>(())
    };
    let (written, read) = tokio::join!(writer, reader);
    read?;
    let bytes = written
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    Ok(download(XLSX, &file_name("xlsx", now), bytes))
}

/// What a streamed export writes: CSV lines, or GeoJSON features.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    GeoJson,
}

pub async fn csv(
    ctx: Ctx,
    Officer(me): Officer,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    audited(&ctx, &me, &q, "csv").await?;
    let now = ctx.state.clock.now();
    let body = streamed(&ctx, me.id, q.filter(), Format::Csv).await?;
    Ok(download_body(
        "text/csv; charset=utf-8",
        &file_name("csv", now),
        body,
    ))
}

pub async fn geojson(
    ctx: Ctx,
    Officer(me): Officer,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    audited(&ctx, &me, &q, "geojson").await?;
    let now = ctx.state.clock.now();
    let body = streamed(&ctx, me.id, q.filter(), Format::GeoJson).await?;
    Ok(download_body(
        "application/geo+json",
        &file_name("geojson", now),
        body,
    ))
}

/// Where a streamed export stands: before the first page, after a
/// candidacy id, or done.
enum Stage {
    Start,
    After(i64),
    Done,
}

struct Stream {
    db: DatabaseConnection,
    filter: Filter,
    me: i64,
    now: DateTime<Utc>,
    lang: app::Lang,
    format: Format,
    stage: Stage,
    /// GeoJSON: whether a feature was written (the next needs a comma).
    wrote: bool,
    /// A page read ahead (the first), to send before reading another.
    read: Option<Vec<exports::Exported>>,
}

/// The export as a body sent page by page. The first page is read before
/// anything is sent, so a database that fails answers with an error page,
/// not a download that looks complete.
async fn streamed(ctx: &Ctx, me: i64, filter: Filter, format: Format) -> AppResult<Body> {
    let now = ctx.state.clock.now();
    let first = exports::page(&ctx.state.db, &filter, me, now, 0).await?;
    let start = Stream {
        db: ctx.state.db.clone(),
        filter,
        me,
        now,
        lang: ctx.lang,
        format,
        stage: Stage::Start,
        wrote: false,
        read: Some(first),
    };
    let chunks = futures_util::stream::unfold(start, |mut s| async move {
        let chunk = next_chunk(&mut s).await;
        match chunk {
            Ok(Some(bytes)) => Some((Ok(Bytes::from(bytes)), s)),
            Ok(None) => None,
            Err(e) => {
                // The download breaks off rather than ending as if complete.
                tracing::error!(error = %e, "export broken off");
                s.stage = Stage::Done;
                Some((Err(std::io::Error::other(e.to_string())), s))
            }
        }
    });
    Ok(Body::from_stream(chunks))
}

/// The next piece of the file, `None` once it is complete.
async fn next_chunk(s: &mut Stream) -> AppResult<Option<Vec<u8>>> {
    let after = match s.stage {
        Stage::Done => return Ok(None),
        Stage::Start => {
            s.stage = Stage::After(0);
            return Ok(Some(match s.format {
                // A byte-order mark, so spreadsheets read the file as UTF-8.
                Format::Csv => {
                    let header = exports::headers(s.lang);
                    let mut out = "\u{feff}".as_bytes().to_vec();
                    out.extend(exports::csv_lines(Some(&header), &[], s.lang)?);
                    out
                }
                Format::GeoJson => b"{\"type\":\"FeatureCollection\",\"features\":[".to_vec(),
            }));
        }
        Stage::After(id) => id,
    };
    let page = match s.read.take() {
        Some(page) => page,
        None => exports::page(&s.db, &s.filter, s.me, s.now, after).await?,
    };
    let Some(last) = page.last() else {
        s.stage = Stage::Done;
        return Ok(match s.format {
            Format::Csv => None,
            Format::GeoJson => Some(b"]}\n".to_vec()),
        });
    };
    s.stage = Stage::After(last.candidacy.id);
    Ok(Some(match s.format {
        Format::Csv => {
            let rows: Vec<Vec<Cell>> = page.iter().map(|e| exports::row(e, s.lang)).collect();
            exports::csv_lines(None, &rows, s.lang)?
        }
        Format::GeoJson => {
            let features = exports::features(&page, s.lang);
            let mut out = String::new();
            if !features.is_empty() {
                if s.wrote {
                    out.push(',');
                }
                out.push_str(&features);
                s.wrote = true;
            }
            out.into_bytes()
        }
    }))
}
