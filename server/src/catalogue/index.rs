//! The catalogue in memory: every version online, read once and kept until
//! something is published or taken offline. Ten thousand sites fit in a few
//! tens of megabytes and filter in a millisecond, where a query per filter
//! against two database backends would not.
//!
//! Several instances can serve one database: each reads the generation (one
//! row, bumped in the same transaction as every publication and every end
//! of one) at most every `PORTAL_CATALOGUE_RECHECK_MS` (half a second by
//! default) and rebuilds its index when it moved. A site published or taken
//! offline through any instance is listed, or gone, on every instance within
//! that time; between two reads an instance answers from memory, without the
//! database, which is what lets the list serve thousands of visitors a second.
//!
//! Pages rendered for anonymous visitors are kept with the index they were
//! made from (`pages`), so they go with it when the catalogue changes.

use super::filters::{Criterion, Filters, Sort, PAGE_SIZE};
use super::search::WordIndex;
use crate::db::entities::publication;
use crate::error::{AppError, AppResult};
use crate::review::publication::{snapshot_of, Snapshot};
use chrono::{DateTime, Utc};
use forms::reference::Municipalities;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// A site online: the version published, as frozen.
#[derive(Clone, Debug)]
pub struct Site {
    pub publication_id: i64,
    pub candidacy_id: i64,
    pub version: i32,
    pub published_at: DateTime<Utc>,
    /// The candidacy's first publication: a site is new to a saved search
    /// when this came after the search was saved (a revision is not news).
    pub first_publication: i64,
    pub snapshot: Snapshot,
    /// The province code of its municipality.
    pub province: String,
    /// Every field that holds a number, read once (filters test them often).
    numbers: HashMap<String, f64>,
    pub available_from: Option<chrono::NaiveDate>,
}

impl Site {
    fn new(p: publication::Model, snapshot: Snapshot) -> Site {
        let province = Municipalities::get()
            .by_istat_code(&snapshot.municipality_code)
            .map(|m| m.province_code.clone())
            .unwrap_or_default();
        let numbers = snapshot
            .fields
            .iter()
            .filter_map(|(id, v)| Some((id.clone(), v.trim().parse::<f64>().ok()?)))
            .filter(|(_, n)| n.is_finite())
            .collect();
        let available_from = snapshot
            .fields
            .get("available_from")
            .and_then(|v| chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok());
        Site {
            publication_id: p.id,
            candidacy_id: p.candidacy_id,
            version: p.version,
            published_at: p.published_at,
            first_publication: p.id,
            snapshot,
            province,
            numbers,
            available_from,
        }
    }

    /// A public field's value as kept (option ids, plain numbers, ISO dates).
    pub fn value(&self, field: &str) -> Option<&str> {
        self.snapshot
            .fields
            .get(field)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn number(&self, field: &str) -> Option<f64> {
        self.numbers.get(field).copied()
    }

    /// The reference that names it in addresses (`OL-2027-000123`).
    pub fn reference(&self) -> &str {
        &self.snapshot.reference
    }

    /// What search reads: titles, descriptions, municipality and province.
    fn text(&self) -> String {
        let province = Municipalities::get()
            .province_name(&self.province)
            .unwrap_or_default();
        let mut parts = vec![self.snapshot.municipality.as_str(), province];
        for id in [
            "title_it",
            "title_en",
            "project_title",
            "description_it",
            "description_en",
        ] {
            parts.extend(self.value(id));
        }
        parts.join(" ")
    }
}

/// The catalogue as one generation of the database holds it.
#[derive(Debug, Default)]
pub struct Loaded {
    pub generation: i64,
    /// Most recently published first.
    pub sites: Vec<Site>,
    words: WordIndex,
    by_reference: HashMap<String, usize>,
    /// The open-data files of this generation, made on first request.
    pub csv: OnceLock<Arc<Vec<u8>>>,
    pub geojson: OnceLock<Arc<Vec<u8>>>,
    /// Pages made from this generation, by what they show.
    pub pages: PageCache,
}

/// Rendered pages of one generation, by key, bounded in bytes: when full,
/// new pages are made for each request rather than kept.
#[derive(Debug, Default)]
pub struct PageCache {
    kept: std::sync::Mutex<(HashMap<String, Arc<Kept>>, usize)>,
}

/// A page as rendered (or a file as made), and compressed once when first
/// asked for.
#[derive(Debug)]
pub struct Kept {
    pub body: bytes::Bytes,
    pub brotli: OnceLock<bytes::Bytes>,
}

impl PageCache {
    /// At most this many bytes of pages per generation: room for the
    /// thousands of searches visitors share between two publications; past
    /// it, pages are made for each request (no eviction: the next
    /// publication starts a new cache).
    const BUDGET: usize = 64 * 1024 * 1024;

    pub fn get(&self, key: &str) -> Option<Arc<Kept>> {
        self.kept.lock().expect("page cache").0.get(key).cloned()
    }

    /// Keeps `body` under `key` if the budget allows; the page either way.
    pub fn put(&self, key: String, body: impl Into<bytes::Bytes>) -> Arc<Kept> {
        let page = Arc::new(Kept {
            body: body.into(),
            brotli: OnceLock::new(),
        });
        let mut kept = self.kept.lock().expect("page cache");
        let (pages, used) = &mut *kept;
        // Counted with its key and room for its compressed copy; kept once
        // when several requests made the same page at the same time.
        let cost = key.len() + page.body.len() + page.body.len() / 4;
        if !pages.contains_key(&key) && *used + cost <= Self::BUDGET {
            *used += cost;
            pages.insert(key, page.clone());
        }
        page
    }
}

/// A page of results and what the map needs.
#[derive(Debug)]
pub struct Results<'a> {
    /// Every site that matches, in the order asked.
    pub all: Vec<&'a Site>,
    /// The page's sites.
    pub page: Vec<&'a Site>,
    /// The page shown (the last one when the address asked beyond it).
    pub page_number: usize,
    pub pages: usize,
}

impl Loaded {
    fn build(generation: i64, mut sites: Vec<Site>) -> Loaded {
        sites.sort_by(|a, b| {
            b.published_at
                .cmp(&a.published_at)
                .then(b.publication_id.cmp(&a.publication_id))
        });
        let texts: Vec<String> = sites.iter().map(Site::text).collect();
        let words = WordIndex::build(texts.iter().map(String::as_str));
        let by_reference = sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.reference().to_string(), i))
            .collect();
        Loaded {
            generation,
            sites,
            words,
            by_reference,
            ..Default::default()
        }
    }

    /// The site online under `reference`.
    pub fn site(&self, reference: &str) -> Option<&Site> {
        self.by_reference.get(reference).map(|&i| &self.sites[i])
    }

    /// Which sites match `f`'s words (all when it has none).
    fn word_hits(&self, f: &Filters) -> Vec<bool> {
        self.words.matching(f.words(), self.sites.len())
    }

    /// The sites matching `f`, sorted as it asks, and its page.
    pub fn search(&self, f: &Filters) -> Results<'_> {
        let hits = self.word_hits(f);
        let mut all: Vec<&Site> = self
            .sites
            .iter()
            .zip(hits)
            .filter(|(s, hit)| *hit && f.accepts(s))
            .map(|(s, _)| s)
            .collect();
        let last = |s: &Site, id: &str| s.number(id);
        match f.sort {
            Sort::Newest => {}
            Sort::Area => all.sort_by(|a, b| {
                let (a, b) = (last(a, "land_area"), last(b, "land_area"));
                b.unwrap_or(-1.0).total_cmp(&a.unwrap_or(-1.0))
            }),
            Sort::Motorway => all.sort_by(|a, b| {
                let (a, b) = (last(a, "km_motorway"), last(b, "km_motorway"));
                a.unwrap_or(f64::MAX).total_cmp(&b.unwrap_or(f64::MAX))
            }),
        }
        let pages = all.len().div_ceil(PAGE_SIZE).max(1);
        let page_number = f.page.min(pages);
        let page = all
            .iter()
            .skip((page_number - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .copied()
            .collect();
        Results {
            all,
            page,
            page_number,
            pages,
        }
    }

    /// The sites matching `f` first published after publication `after`
    /// (a saved search's news), most recently published first.
    pub fn matching_after(&self, f: &Filters, after: i64) -> Vec<&Site> {
        let fresh = |s: &Site| s.first_publication > after;
        if !self.sites.iter().any(fresh) {
            return Vec::new();
        }
        let hits = self.word_hits(f);
        self.sites
            .iter()
            .zip(hits)
            .filter(|(s, hit)| *hit && fresh(s) && f.accepts(s))
            .map(|(s, _)| s)
            .collect()
    }

    /// The newest publication online (0 when none): what a visitor saving
    /// a search has seen.
    pub fn newest_publication(&self) -> i64 {
        self.sites
            .iter()
            .map(|s| s.publication_id)
            .max()
            .unwrap_or(0)
    }

    /// When `f` finds nothing: each filter that, dropped alone, would find
    /// something, with how many sites; most first. One pass: a site counts
    /// for a filter when that filter is the only one it fails.
    pub fn relaxations(&self, f: &Filters) -> Vec<(&'static str, usize)> {
        let hits = self.word_hits(f);
        let mut counts = vec![0usize; f.criteria.len()];
        for (site, hit) in self.sites.iter().zip(hits) {
            let mut failed = f.criteria.iter().enumerate().filter(|(_, (_, c))| match c {
                Criterion::Words(_) => !hit,
                c => !c.accepts(site),
            });
            if let (Some((only, _)), None) = (failed.next(), failed.next()) {
                counts[only] += 1;
            }
        }
        let mut out: Vec<(&'static str, usize)> = f
            .criteria
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|((key, _), n)| (*key, n))
            .collect();
        out.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        out
    }
}

/// The shared index: the last one built (none before the first request),
/// when the database was last asked about it, and a lock so that one request
/// rebuilds it while the others wait for it.
pub struct Catalogue {
    loaded: RwLock<Option<Arc<Loaded>>>,
    rebuilding: tokio::sync::Mutex<()>,
    /// When the generation was last read, and what it was.
    asked: std::sync::Mutex<Option<(std::time::Instant, i64)>>,
    recheck: std::time::Duration,
    /// The generation saved searches were last compared with, and when.
    searches_checked: std::sync::Mutex<Option<(i64, DateTime<Utc>)>>,
}

impl Catalogue {
    /// A catalogue that asks the database again after `recheck`.
    pub fn new(recheck: std::time::Duration) -> Catalogue {
        Catalogue {
            loaded: RwLock::default(),
            rebuilding: tokio::sync::Mutex::default(),
            asked: std::sync::Mutex::default(),
            recheck,
            searches_checked: std::sync::Mutex::default(),
        }
    }

    /// Whether saved searches are worth comparing with the catalogue at
    /// `generation`: something changed online since the last time, or
    /// `every` has passed (a search's weekly pause may have ended).
    pub fn searches_due(
        &self,
        generation: i64,
        now: DateTime<Utc>,
        every: chrono::Duration,
    ) -> bool {
        let last = *self.searches_checked.lock().expect("searches clock");
        last.is_none_or(|(seen, at)| seen != generation || now - at >= every)
    }

    /// Saved searches were compared with `generation` at `now`.
    pub fn searches_checked(&self, generation: i64, now: DateTime<Utc>) {
        *self.searches_checked.lock().expect("searches clock") = Some((generation, now));
    }

    /// The catalogue as the database held it at most `recheck` ago.
    pub async fn current(&self, db: &impl ConnectionTrait) -> AppResult<Arc<Loaded>> {
        let asked = *self.asked.lock().expect("catalogue clock");
        if let Some((_, seen)) = asked.filter(|(at, _)| at.elapsed() < self.recheck) {
            // Only an index as new as the generation last read: while one is
            // being rebuilt, requests wait for it rather than serve the old.
            let held = self.loaded.read().expect("catalogue lock").clone();
            if let Some(held) = held.filter(|h| h.generation >= seen) {
                return Ok(held);
            }
        }
        // The instant is taken before the query, so the interval never
        // stretches by the query's own time.
        let asked_at = std::time::Instant::now();
        let now = generation(db).await?;
        *self.asked.lock().expect("catalogue clock") = Some((asked_at, now));
        if let Some(held) = self.held(now) {
            return Ok(held);
        }
        let _turn = self.rebuilding.lock().await;
        // Asked again in the turn: another request may have rebuilt it, or
        // something more may have been published meanwhile. The generation
        // is read before the rows, so a change committed in between leaves
        // a newer one than the index is labelled with, and is read next time.
        let generation = generation(db).await?;
        if let Some(held) = self.held(generation) {
            return Ok(held);
        }
        let rows = publication::Entity::find()
            .filter(publication::Column::EndedAt.is_null())
            .all(db)
            .await?;
        let first = first_publications(db).await?;
        // Reading ten thousand snapshots is CPU work: off the request threads.
        let fresh = tokio::task::spawn_blocking(move || Arc::new(build(generation, rows, &first)))
            .await
            .map_err(|e| AppError::Internal(format!("catalogue index: {e}")))?;
        let mut held = self.loaded.write().expect("catalogue lock");
        if held.as_ref().is_none_or(|h| h.generation <= generation) {
            *held = Some(fresh.clone());
        }
        Ok(fresh)
    }

    /// The index held, if it was built at `generation`.
    fn held(&self, generation: i64) -> Option<Arc<Loaded>> {
        let held = self.loaded.read().expect("catalogue lock");
        held.as_ref()
            .filter(|l| l.generation == generation)
            .cloned()
    }
}

/// The index of `rows`, the versions online at `generation`. A snapshot
/// that does not read is left out and logged: one bad row does not take
/// the catalogue down.
fn build(generation: i64, rows: Vec<publication::Model>, first: &HashMap<i64, i64>) -> Loaded {
    let sites = rows
        .into_iter()
        .filter_map(|row| match snapshot_of(&row) {
            Ok(snapshot) => {
                let mut site = Site::new(row, snapshot);
                if let Some(&id) = first.get(&site.candidacy_id) {
                    site.first_publication = id;
                }
                Some(site)
            }
            Err(e) => {
                tracing::error!(error = %e, "a version online does not read: not listed");
                None
            }
        })
        .collect();
    Loaded::build(generation, sites)
}

/// Each candidacy's first publication, ended or not.
async fn first_publications(db: &impl ConnectionTrait) -> AppResult<HashMap<i64, i64>> {
    use sea_orm::sea_query::{Expr, Func};
    use sea_orm::QuerySelect;
    let rows: Vec<(i64, i64)> = publication::Entity::find()
        .select_only()
        .column(publication::Column::CandidacyId)
        .column_as(
            Expr::from(Func::min(Expr::col(publication::Column::Id))),
            "first",
        )
        .group_by(publication::Column::CandidacyId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The generation of what is online.
pub async fn generation(db: &impl ConnectionTrait) -> AppResult<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT generation FROM catalogue_state WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| AppError::Internal("catalogue_state has no row".into()))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// Moves the generation on, in the transaction that changes what is online.
pub async fn bump(txn: &impl ConnectionTrait) -> AppResult<()> {
    txn.execute_unprepared("UPDATE catalogue_state SET generation = generation + 1 WHERE id = 1")
        .await?;
    Ok(())
}
