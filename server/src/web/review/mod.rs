//! /staff: the back office. `queue` lists what is to review; `candidacy`
//! shows one and takes the officer's moves.

pub mod audit;
pub mod candidacy;
pub mod checks;
pub mod dashboard;
pub mod exports;
pub mod integration;
pub mod publication;

use crate::candidacies;
use crate::clock::rome;
use crate::error::AppResult;
use crate::review::integration::LegalClock;
use crate::review::queue::{self, Filter, InCharge, Sort};
use crate::web::candidacies::{kind_key, status_name};
use crate::web::context::Ctx;
use crate::web::extract::Officer;
use crate::web::{page, see_other};
use app::view_data::{ClockView, FormState, QueueRow, QueueView, StatusCount};
use axum::extract::{Query, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use forms::reference::Municipalities;
use forms::Kind;
use serde::{Deserialize, Serialize};

/// The queue's filters as the query string carries them. Anything the queue
/// does not know is dropped, so a link can never make it misbehave.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct QueueQuery {
    #[serde(skip_serializing_if = "String::is_empty")]
    status: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    province: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    officer: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    filed: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    waiting: String,
    /// `overdue`: a request for integration waits past its due date.
    #[serde(skip_serializing_if = "String::is_empty")]
    reply: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    q: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    sort: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    page: String,
}

impl QueueQuery {
    /// Only the values the queue knows; the rest become empty.
    pub fn cleaned(&self) -> QueueQuery {
        let f = self.filter();
        let keep = |ok: bool, v: &str| if ok { v.to_string() } else { String::new() };
        QueueQuery {
            status: f.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
            province: f.province.clone().unwrap_or_default(),
            kind: f.kind.map(|k| k.code().to_string()).unwrap_or_default(),
            officer: keep(f.in_charge != InCharge::Anyone, &self.officer),
            filed: keep(f.delegated, "delegate"),
            waiting: f.waiting_days.map(|d| d.to_string()).unwrap_or_default(),
            reply: keep(f.reply_overdue, "overdue"),
            q: queue::searchable(&self.q),
            sort: keep(f.sort == Sort::Newest, "newest"),
            page: keep(f.page > 1, &f.page.to_string()),
        }
    }

    pub fn filter(&self) -> Filter {
        let province = Municipalities::get()
            .province_name(&self.province)
            .map(|_| self.province.clone());
        Filter {
            status: queue::statuses().find(|s| *s == self.status.as_str()),
            province,
            municipality: None,
            kind: Kind::from_code(&self.kind),
            in_charge: match self.officer.as_str() {
                "me" => InCharge::Me,
                "nobody" => InCharge::Nobody,
                _ => InCharge::Anyone,
            },
            delegated: self.filed == "delegate",
            waiting_days: self.waiting.trim().parse().ok().filter(|d| *d <= 3650),
            reply_overdue: self.reply == "overdue",
            text: queue::searchable(&self.q),
            sort: if self.sort == "newest" {
                Sort::Newest
            } else {
                Sort::Oldest
            },
            page: self.page.parse().unwrap_or(1).max(1),
        }
    }

    /// The query string of these filters, cleaned ("" when there are none).
    pub fn encoded(&self) -> String {
        serde_urlencoded::to_string(self.cleaned()).unwrap_or_default()
    }

    /// `/staff` with these filters.
    pub fn href(&self) -> String {
        match self.encoded() {
            q if q.is_empty() => "/staff".to_string(),
            q => format!("/staff?{q}"),
        }
    }

    fn with_page(&self, page: u64) -> QueueQuery {
        QueueQuery {
            page: page.to_string(),
            ..self.clone()
        }
    }

    fn form(&self) -> FormState {
        let c = self.cleaned();
        FormState::with_values([
            ("status", c.status.as_str()),
            ("province", c.province.as_str()),
            ("kind", c.kind.as_str()),
            ("officer", c.officer.as_str()),
            ("filed", c.filed.as_str()),
            ("waiting", c.waiting.as_str()),
            ("reply", c.reply.as_str()),
            ("q", c.q.as_str()),
            ("sort", c.sort.as_str()),
        ])
    }
}

pub async fn queue(
    ctx: Ctx,
    Officer(me): Officer,
    RawQuery(raw): RawQuery,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    // The filter form sends every field, the empty ones too: the address
    // becomes the clean one, which is the one worth sharing.
    if raw.as_deref().unwrap_or("") != q.encoded() {
        return Ok(see_other(&q.href()));
    }
    let now = ctx.state.clock.now();
    let filter = q.filter();
    let target = ctx.state.config.review.decision_days;
    let found = queue::load(&ctx.state.db, &filter, me.id, now, target).await?;
    let rows = found
        .rows
        .iter()
        .map(|row| {
            let c = &row.candidacy;
            QueueRow {
                href: candidacy::href(c.id, &q),
                reference: c.reference.clone().unwrap_or_else(|| format!("#{}", c.id)),
                kind: kind_key(c),
                status: status_name(c.status),
                place: candidacies::site_label(c),
                submitted: c.submitted_at.map(rome),
                days_waiting: c.submitted_at.map_or(0, |s| (now - s).num_days().max(0)),
                officer: row.officer.clone(),
                delegated: c.owner_id.is_some(),
                clock: row.clock.map(clock_view),
            }
        })
        .collect();
    let counts = found
        .counts
        .iter()
        .map(|(s, n)| StatusCount {
            code: s.as_str(),
            name: status_name(*s),
            href: QueueQuery {
                status: s.as_str().to_string(),
                page: String::new(),
                ..q.clone()
            }
            .href(),
            count: *n,
            selected: filter.status == Some(*s),
        })
        .collect();
    let view = QueueView {
        filters: q.form(),
        counts,
        provinces: provinces(),
        rows,
        total: found.total,
        page: found.page,
        pages: found.pages,
        previous: (found.page > 1).then(|| q.with_page(found.page - 1).href()),
        next: (found.page < found.pages).then(|| q.with_page(found.page + 1).href()),
        export_query: QueueQuery {
            page: String::new(),
            ..q.clone()
        }
        .encoded(),
    };
    let html = app::pages::review::queue(&ctx.page(), &view);
    Ok(page(StatusCode::OK, html))
}

/// A legal clock as the pages show it.
pub(crate) fn clock_view(k: LegalClock) -> ClockView {
    ClockView {
        used: k.used,
        left: k.left,
        stopped: k.stopped,
        reply_overdue: k.reply_overdue,
    }
}

/// (code, "Bergamo (BG)") for each province of Lombardy, by name.
fn provinces() -> Vec<(String, String)> {
    let towns = Municipalities::get();
    let mut codes: Vec<&str> = towns
        .all()
        .iter()
        .map(|m| m.province_code.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut out: Vec<(String, String)> = codes
        .into_iter()
        .map(|c| (c.to_string(), towns.province_label(c)))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}
