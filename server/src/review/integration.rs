//! Requests for integration (*soccorso istruttorio*): the officer marks items
//! of a candidacy "to fix", each with a note; those items are the request.
//! The candidacy reopens for them only (`candidacies::editing` asks
//! [`reopened_for`] in its transaction), the proponent answers with a message
//! and submits again, and the officer compares what changed. While a request
//! is open the legal clock stops.

use crate::accounts::operations::lang_of;
use crate::candidacies::owners::Parties;
use crate::candidacies::status::{self, Action, Status};
use crate::candidacies::{kind_of, signed_forms};
use crate::db::entities::{
    candidacy, candidacy_event, document, integration_item, integration_request, user,
};
use crate::email::outbox;
use crate::error::{AppError, AppResult};
use crate::review::decisions::{self, clean_reasons};
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Rome;
use forms::Call;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Longest note on one item, and longest message or reply.
pub const MAX_NOTE: usize = 2_000;
pub const MAX_MESSAGE: usize = 8_000;
/// The reply's days an officer may set.
pub const DAYS: std::ops::RangeInclusive<i64> = 1..=90;

/// One thing an officer can ask to fix.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    /// The location step: municipality, address, coordinates.
    Location,
    /// The owner's details (the delegate's saved owner, or the proponent's profile).
    Owner,
    /// One field of the Excel template, by its id in the call.
    Field(String),
    /// The document(s) of one purpose: `photo`, `form_b`, `id_document`…
    Document(String),
}

impl Item {
    /// As stored: `location`, `owner`, `field:<id>`, `document:<purpose>`.
    pub fn code(&self) -> String {
        match self {
            Item::Location => "location".into(),
            Item::Owner => "owner".into(),
            Item::Field(id) => format!("field:{id}"),
            Item::Document(purpose) => format!("document:{purpose}"),
        }
    }

    pub fn parse(code: &str) -> Option<Item> {
        match code.split_once(':') {
            None if code == "location" => Some(Item::Location),
            None if code == "owner" => Some(Item::Owner),
            Some(("field", id)) if !id.is_empty() => Some(Item::Field(id.into())),
            Some(("document", p)) if !p.is_empty() => Some(Item::Document(p.into())),
            _ => None,
        }
    }
}

/// What a change by the proponent touches; a request reopens some of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    Location,
    Owner,
    /// A new template: allowed when some field is to fix. The fields that
    /// changed were compared, before the transaction, with those of the
    /// request named here (`None` for a draft's template, or to ask).
    Template(Option<i64>),
    Document(&'a str),
}

/// Whether `purpose` is a signed form or the identity document: they count
/// only for the owner they were checked for, so reopening the owner reopens
/// them too (else a changed owner would leave forms signed for the old one,
/// and no way to sign them again).
pub fn signed_for_owner(purpose: &str) -> bool {
    signed_forms::signed_purposes().contains(&purpose)
}

impl<'a> Part<'a> {
    pub fn opened_by(self, item: &Item) -> bool {
        match (self, item) {
            (Part::Location, Item::Location) | (Part::Owner, Item::Owner) => true,
            (Part::Template(_), Item::Field(_)) => true,
            (Part::Document(p), Item::Document(q)) => p == q,
            (Part::Document(p), Item::Owner) => signed_for_owner(p),
            _ => false,
        }
    }

    /// The documents' purpose this part stores, if it is a document.
    pub fn purpose(self) -> Option<&'a str> {
        match self {
            Part::Template(_) => Some(crate::candidacies::documents::TEMPLATE),
            Part::Document(p) => Some(p),
            Part::Location | Part::Owner => None,
        }
    }
}

/// Every item an officer may mark on `c`, in the order of the steps.
pub fn choices(c: &candidacy::Model) -> Vec<Item> {
    let mut items = vec![Item::Location, Item::Owner];
    items.extend(
        Call::embedded()
            .fields_for(kind_of(c))
            .map(|f| Item::Field(f.id.clone())),
    );
    items.extend(
        forms::attachments::ALL
            .iter()
            .map(|p| Item::Document(p.code().into())),
    );
    items.extend(
        signed_forms::forms_needed(c)
            .iter()
            .map(|f| Item::Document(f.code().into())),
    );
    items.push(Item::Document(signed_forms::ID_DOCUMENT.into()));
    items
}

/// A request and its items, with the officer's notes.
#[derive(Clone, Debug)]
pub struct Request {
    pub row: integration_request::Model,
    pub items: Vec<(Item, String)>,
}

impl Request {
    pub fn is_open(&self) -> bool {
        self.row.replied_at.is_none()
    }

    /// Closed without a reply: the candidacy was withdrawn while it was open.
    pub fn withdrawn(&self) -> bool {
        self.row.replied_at.is_some() && self.row.replied_by.is_none()
    }

    pub fn opens(&self, part: Part) -> bool {
        self.is_open() && self.items.iter().any(|(item, _)| part.opened_by(item))
    }

    /// The template fields to fix.
    pub fn fields(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter_map(|(item, _)| match item {
                Item::Field(id) => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// What the candidacy held when asked. Unreadable is an error: without
    /// it, documents a receipt lists would look replaceable.
    pub fn before(&self) -> AppResult<Before> {
        serde_json::from_str(&self.row.before).map_err(|e| {
            AppError::Internal(format!("integration request {}: before: {e}", self.row.id))
        })
    }
}

/// What the candidacy held when a request was made.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Before {
    pub documents: Vec<DocumentRef>,
    /// The site as `location_label` wrote it.
    pub location: String,
    /// The owner as `owner_line` wrote it (empty before the profiles were filled).
    #[serde(default)]
    pub owner: String,
}

impl Before {
    /// The template as submitted when asked (its file is stored by hash).
    pub fn template(&self) -> Option<&DocumentRef> {
        let template = crate::candidacies::documents::TEMPLATE;
        self.documents.iter().find(|d| d.purpose == template)
    }
}

/// The owner a candidacy names, in one line, to tell whether a reply changed them.
pub fn owner_line(p: &Parties) -> String {
    let o = &p.owner;
    format!("{} ({}), {}, {}", o.name, o.tax_code, o.email, o.phone)
}

/// The location step's values in one line, to tell whether they changed.
pub fn location_label(c: &candidacy::Model) -> String {
    let number = |n: Option<f64>| n.map(|n| format!("{n:.6}")).unwrap_or_default();
    format!(
        "{}, {} – {}, {}",
        crate::candidacies::site_label(c),
        c.postcode.as_deref().unwrap_or(""),
        number(c.latitude),
        number(c.longitude)
    )
}

/// A document as the request found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub id: i64,
    pub purpose: String,
    pub name: String,
    pub sha256: String,
}

/// Every request of candidacy `id`, oldest first.
pub async fn all(db: &impl ConnectionTrait, candidacy_id: i64) -> AppResult<Vec<Request>> {
    let rows = integration_request::Entity::find()
        .filter(integration_request::Column::CandidacyId.eq(candidacy_id))
        .order_by_asc(integration_request::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut items: BTreeMap<i64, Vec<(Item, String)>> = BTreeMap::new();
    for i in integration_item::Entity::find()
        .filter(integration_item::Column::RequestId.is_in(ids))
        .order_by_asc(integration_item::Column::Id)
        .all(db)
        .await?
    {
        if let Some(item) = Item::parse(&i.item) {
            items.entry(i.request_id).or_default().push((item, i.note));
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| Request {
            items: items.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// The request of candidacy `id` still waiting for its reply, if any.
pub async fn open(db: &impl ConnectionTrait, candidacy_id: i64) -> AppResult<Option<Request>> {
    Ok(all(db, candidacy_id)
        .await?
        .into_iter()
        .find(Request::is_open))
}

/// Inside `candidacies::editing`'s transaction, once the candidacy is known
/// to be editable: whether `part` may change, and which documents were
/// submitted when the candidacy is answering a request (replacing those
/// retires them; the receipt lists them). A draft may change anything.
/// A template checked against one request's locked fields before the
/// transaction is `Locked` if another request is open now.
pub async fn reopened_for(
    txn: &impl ConnectionTrait,
    c: &candidacy::Model,
    part: Part<'_>,
) -> AppResult<Vec<i64>> {
    let checked_against = match part {
        Part::Template(against) => against,
        _ => None,
    };
    if c.status != Status::IntegrationRequested {
        return match checked_against {
            Some(_) => Err(AppError::Locked),
            None => Ok(Vec::new()),
        };
    }
    // A template kept while answering must have been compared with this request.
    let compared = |r: &Request| checked_against == Some(r.row.id);
    match open(txn, c.id).await? {
        Some(r) if matches!(part, Part::Template(_)) && !compared(&r) => Err(AppError::Locked),
        Some(r) if r.opens(part) => Ok(r.before()?.documents.iter().map(|d| d.id).collect()),
        _ => Err(AppError::NotReopened),
    }
}

/// Whether `c` answers a request that leaves its owner as submitted: then
/// the owner the candidacy names is the one frozen at submission.
pub async fn keeps_owner(db: &impl ConnectionTrait, c: &candidacy::Model) -> AppResult<bool> {
    if c.status != Status::IntegrationRequested {
        return Ok(false);
    }
    Ok(open(db, c.id).await?.is_some_and(|r| !r.opens(Part::Owner)))
}

/// What an officer asks: items with notes, days to reply, a message.
#[derive(Clone, Debug, Default)]
pub struct Ask {
    pub items: Vec<(String, String)>,
    pub days: String,
    pub message: String,
}

/// An `Ask` that passed [`check`]: known items with cleaned notes, the days, the message.
pub struct Checked {
    pub items: Vec<(Item, String)>,
    pub days: i64,
    pub message: String,
}

/// (field, translation key) of what is wrong with an `Ask`.
pub type Problems = Vec<(&'static str, &'static str)>;

/// What is wrong with an `Ask` for `c`; the checked request when nothing is.
pub fn check(c: &candidacy::Model, ask: &Ask) -> Result<Checked, Problems> {
    let mut problems = Vec::new();
    let offered = choices(c);
    let mut items = BTreeMap::new();
    for (code, note) in &ask.items {
        match Item::parse(code).filter(|i| offered.contains(i)) {
            Some(item) => {
                items.insert(item, clean_reasons(note));
            }
            None => problems.push(("items", "review.item_unknown")),
        }
    }
    if items.is_empty() {
        problems.push(("items", "review.items_required"));
    }
    if items.values().any(|n| n.chars().count() > MAX_NOTE) {
        problems.push(("items", "review.note_too_long"));
    }
    let days = ask
        .days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| DAYS.contains(d));
    if days.is_none() {
        problems.push(("days", "review.days_invalid"));
    }
    let message = clean_reasons(&ask.message);
    if message.chars().count() > MAX_MESSAGE {
        problems.push(("message", "review.reasons_too_long"));
    }
    match days {
        Some(days) if problems.is_empty() => Ok(Checked {
            items: items.into_iter().collect(),
            days,
            message,
        }),
        _ => {
            problems.dedup();
            Err(problems)
        }
    }
}

/// The last instant of the `days`-th day after `now`'s day, in Europe/Rome.
pub fn due_at(now: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let day = now.with_timezone(&Rome).date_naive() + Duration::days(days);
    end_of(day)
}

fn end_of(day: NaiveDate) -> DateTime<Utc> {
    // 23:59:59 exists exactly once every day in Rome (clocks change at night).
    let last = day.and_hms_opt(23, 59, 59).unwrap_or_default();
    Rome.from_local_datetime(&last)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&last))
}

/// Asks the proponent of `c` to fix `ask`'s items: the move to
/// IntegrationRequested, the request with its items and the documents as
/// they are, and the emails to the filer and the reader, in one transaction.
/// `BadRequest` when the ask does not pass [`check`].
pub async fn ask(
    state: &AppState,
    c: &candidacy::Model,
    account: &user::Model,
    ask: &Ask,
) -> AppResult<Request> {
    let Checked {
        items,
        days,
        message,
    } = check(c, ask).map_err(|_| AppError::BadRequest)?;
    let by = decisions::officer(account)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let note = items
        .iter()
        .map(|(item, _)| item.code())
        .collect::<Vec<_>>()
        .join(", ");
    let moved = status::apply(&txn, c, Action::RequestIntegration, by, now, None, &note).await?;
    let documents: Vec<DocumentRef> = document::Entity::find()
        .filter(document::Column::CandidacyId.eq(c.id))
        .filter(document::Column::RetiredAt.is_null())
        .filter(document::Column::Purpose.ne(crate::candidacies::submission::RECEIPT))
        .order_by_asc(document::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|d| DocumentRef {
            id: d.id,
            purpose: d.purpose,
            name: d.original_name,
            sha256: d.sha256,
        })
        .collect();
    let due = due_at(now, days);
    let row = integration_request::ActiveModel {
        candidacy_id: Set(c.id),
        officer_id: Set(account.id),
        requested_at: Set(now),
        due_at: Set(due),
        message: Set(message.clone()),
        before: Set(serde_json::to_string(&Before {
            documents,
            location: location_label(c),
            owner: Parties::of(&txn, c)
                .await?
                .map(|p| owner_line(&p))
                .unwrap_or_default(),
        })
        .map_err(|e| AppError::Internal(format!("candidacy {}: before: {e}", c.id)))?),
        reply: Set(String::new()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (item, note) in &items {
        integration_item::ActiveModel {
            request_id: Set(row.id),
            item: Set(item.code()),
            note: Set(note.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    if let Some(template) = moved.email {
        let count = items.len().to_string();
        let shown = decisions::as_markdown_text(&message);
        let vars = |lang: app::Lang| {
            vec![
                ("count", count.clone()),
                ("due", day_text(lang, due)),
                ("message", shown.clone()),
            ]
        };
        decisions::tell_filer_and_reader(state, &txn, c, template, vars).await?;
    }
    txn.commit().await?;
    Ok(Request { row, items })
}

/// "30 novembre 2026": the day of `at` in Rome, as the emails write it.
pub fn day_text(lang: app::Lang, at: DateTime<Utc>) -> String {
    app::pages::format_date(lang, &crate::clock::rome(at))
}

/// The proponent's reply as it is kept (see `decisions::clean_reasons`), or
/// `BadRequest` when longer than [`MAX_MESSAGE`].
pub fn checked_reply(reply: &str) -> AppResult<String> {
    let reply = clean_reasons(reply);
    match reply.chars().count() > MAX_MESSAGE {
        true => Err(AppError::BadRequest),
        false => Ok(reply),
    }
}

/// Closes the open request of candidacy `id`, if any, with `reply` by `by`
/// (nobody: closed without a reply, by a withdrawal); how many were closed
/// (0 or 1: the database allows one open at a time).
async fn close(
    txn: &impl ConnectionTrait,
    candidacy_id: i64,
    by: Option<i64>,
    reply: String,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let closed = integration_request::Entity::update_many()
        .col_expr(
            integration_request::Column::RepliedAt,
            Expr::value(Some(now)),
        )
        .col_expr(integration_request::Column::RepliedBy, Expr::value(by))
        .col_expr(integration_request::Column::Reply, Expr::value(reply))
        .filter(integration_request::Column::CandidacyId.eq(candidacy_id))
        .filter(integration_request::Column::RepliedAt.is_null())
        .exec(txn)
        .await?;
    Ok(closed.rows_affected)
}

/// Inside the transaction that withdraws `c`: a request still open is
/// closed without a reply (`replied_by` empty, see [`Request::withdrawn`]),
/// so it stops reminding and counting as overdue.
pub async fn close_on_withdrawal(
    txn: &impl ConnectionTrait,
    c: &candidacy::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    close(txn, c.id, None, String::new(), now).await.map(|_| ())
}

/// Inside the transaction that submits the reply: closes the open request
/// with the proponent's message and tells the officer in charge. `Locked`
/// when no request is open (someone answered it meanwhile); `BadRequest`
/// when the message is longer than [`MAX_MESSAGE`].
pub async fn close_with_reply(
    state: &AppState,
    txn: &impl ConnectionTrait,
    c: &candidacy::Model,
    by: i64,
    reply: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let reply = checked_reply(reply)?;
    if close(txn, c.id, Some(by), reply, now).await? != 1 {
        return Err(AppError::Locked);
    }
    let Some(officer_id) = c.assigned_to else {
        return Ok(());
    };
    let Some(officer) = user::Entity::find_by_id(officer_id).one(txn).await? else {
        return Ok(());
    };
    let link = state.link(&format!("/staff/candidacies/{}", c.id));
    let reference = c.reference.clone().unwrap_or_default();
    outbox::enqueue(
        txn,
        &officer.email,
        "integration_replied",
        lang_of(&officer),
        &[("reference", &reference), ("link", &link)],
        now,
    )
    .await?;
    Ok(())
}

/// The legal clock of a candidacy: calendar days in Rome since submission,
/// without the days a request was open, against the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LegalClock {
    pub used: i64,
    pub left: i64,
    /// A request is open: the clock is stopped.
    pub stopped: bool,
    /// The open request's reply is past its due date.
    pub reply_overdue: bool,
}

/// A request's time: when asked, when answered (if it was), when due.
#[derive(Clone, Copy, Debug)]
pub struct Span {
    pub asked: DateTime<Utc>,
    pub answered: Option<DateTime<Utc>>,
    pub due: DateTime<Utc>,
}

impl From<&integration_request::Model> for Span {
    fn from(r: &integration_request::Model) -> Span {
        Span {
            asked: r.requested_at,
            answered: r.replied_at,
            due: r.due_at,
        }
    }
}

/// Counted in Rome's calendar days, so a day of 23 or 25 hours (summer time)
/// is one day like the others. A request asked and answered on the same day
/// stops nothing; one open across days stops the clock from the day asked to
/// the day answered.
pub fn legal_clock(
    submitted: DateTime<Utc>,
    requests: &[Span],
    now: DateTime<Utc>,
    target: i64,
) -> LegalClock {
    let day = |t: DateTime<Utc>| t.with_timezone(&Rome).date_naive();
    let span = |from: DateTime<Utc>, to: DateTime<Utc>| (day(to) - day(from)).num_days().max(0);
    let stopped_days: i64 = requests
        .iter()
        .map(|r| span(r.asked, r.answered.unwrap_or(now)))
        .sum();
    let used = (span(submitted, now) - stopped_days).max(0);
    let open = || requests.iter().filter(|r| r.answered.is_none());
    LegalClock {
        used,
        left: target - used,
        stopped: open().next().is_some(),
        reply_overdue: open().any(|r| now > r.due),
    }
}

/// The legal clock of `c` now, for the statuses in which staff must decide.
pub async fn clock_of(
    db: &impl ConnectionTrait,
    c: &candidacy::Model,
    now: DateTime<Utc>,
    target: i64,
) -> AppResult<Option<LegalClock>> {
    Ok(clocks_of(db, std::slice::from_ref(c), now, target)
        .await?
        .remove(&c.id))
}

/// The legal clock of each of `cs` that staff must decide, by id, from one
/// read of their requests (a page of the queue costs one query).
pub async fn clocks_of(
    db: &impl ConnectionTrait,
    cs: &[candidacy::Model],
    now: DateTime<Utc>,
    target: i64,
) -> AppResult<HashMap<i64, LegalClock>> {
    let deciding = [
        Status::Submitted,
        Status::UnderReview,
        Status::IntegrationRequested,
    ];
    let deciding: Vec<(i64, DateTime<Utc>)> = cs
        .iter()
        .filter(|c| deciding.contains(&c.status))
        .filter_map(|c| Some((c.id, c.submitted_at?)))
        .collect();
    if deciding.is_empty() {
        return Ok(HashMap::new());
    }
    let ids = || deciding.iter().map(|(id, _)| *id);
    // A revision (a validated or published candidacy reviewed again) starts
    // the clock again: the days before it were the first review's.
    let mut revised: HashMap<i64, DateTime<Utc>> = HashMap::new();
    for e in candidacy_event::Entity::find()
        .filter(candidacy_event::Column::CandidacyId.is_in(ids()))
        .filter(candidacy_event::Column::ToStatus.eq(Status::UnderReview.as_str()))
        .filter(
            candidacy_event::Column::FromStatus
                .is_in([Status::Validated.as_str(), Status::Published.as_str()]),
        )
        .all(db)
        .await?
    {
        let at = revised.entry(e.candidacy_id).or_insert(e.at);
        *at = (*at).max(e.at);
    }
    let mut spans: HashMap<i64, Vec<Span>> = HashMap::new();
    for r in integration_request::Entity::find()
        .filter(integration_request::Column::CandidacyId.is_in(ids()))
        .all(db)
        .await?
    {
        spans
            .entry(r.candidacy_id)
            .or_default()
            .push(Span::from(&r));
    }
    Ok(deciding
        .into_iter()
        .map(|(id, submitted)| {
            let start = revised
                .get(&id)
                .copied()
                .unwrap_or(submitted)
                .max(submitted);
            let spans: Vec<Span> = spans
                .get(&id)
                .map(|all| all.iter().filter(|s| s.asked >= start).copied().collect())
                .unwrap_or_default();
            (id, legal_clock(start, &spans, now, target))
        })
        .collect())
}

/// Which reminder an open request is due now: the officer's overdue flag
/// once `due_at` has passed, the last reminder from a day before, the first
/// from three days before; none otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reminder {
    First,
    Last,
    Overdue,
}

pub fn reminder_due(r: &integration_request::Model, now: DateTime<Utc>) -> Option<Reminder> {
    if r.replied_at.is_some() {
        return None;
    }
    if now > r.due_at {
        return r.expired_flagged_at.is_none().then_some(Reminder::Overdue);
    }
    if now >= r.due_at - Duration::days(1) {
        return r.last_reminder_at.is_none().then_some(Reminder::Last);
    }
    if now >= r.due_at - Duration::days(3) {
        return r.first_reminder_at.is_none().then_some(Reminder::First);
    }
    None
}

/// Sends the reminders due now: to the proponent (and the owner with read
/// access) three days and one day before the reply is due, and to the
/// officer once the reply is overdue. Each is marked sent by a conditional
/// update in the transaction that queues its email, so two instances send
/// it once. A request that fails is logged and left for the next round; the
/// others go on. Returns how many were queued.
pub async fn send_reminders(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now();
    let waiting = integration_request::Entity::find()
        .filter(integration_request::Column::RepliedAt.is_null())
        .filter(integration_request::Column::ExpiredFlaggedAt.is_null())
        .filter(integration_request::Column::DueAt.lte(now + Duration::days(3)))
        .all(&state.db)
        .await?;
    let mut queued = 0;
    for r in waiting {
        let Some(which) = reminder_due(&r, now) else {
            continue;
        };
        match remind(state, &r, which, now).await {
            Ok(true) => queued += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(request = r.id, error = %e, "integration reminder not sent"),
        }
    }
    Ok(queued)
}

/// Queues `which` reminder of request `r`; false when it is no longer due
/// (sent by another instance, answered, or the candidacy moved on).
async fn remind(
    state: &AppState,
    r: &integration_request::Model,
    which: Reminder,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(c) = candidacy::Entity::find_by_id(r.candidacy_id)
        .one(&state.db)
        .await?
        .filter(|c| c.status == Status::IntegrationRequested)
    else {
        return Ok(false);
    };
    let column = match which {
        Reminder::First => integration_request::Column::FirstReminderAt,
        // The last reminder stands for the first too, if that was missed.
        Reminder::Last => integration_request::Column::LastReminderAt,
        Reminder::Overdue => integration_request::Column::ExpiredFlaggedAt,
    };
    let txn = state.db.begin().await?;
    let mut mark = integration_request::Entity::update_many()
        .col_expr(column, Expr::value(Some(now)))
        .filter(integration_request::Column::Id.eq(r.id))
        .filter(integration_request::Column::RepliedAt.is_null())
        .filter(column.is_null());
    if which == Reminder::Last {
        mark = mark.col_expr(
            integration_request::Column::FirstReminderAt,
            Expr::value(Some(now)),
        );
    }
    if mark.exec(&txn).await?.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    if which == Reminder::Overdue {
        let officer_id = c.assigned_to.unwrap_or(r.officer_id);
        if let Some(officer) = user::Entity::find_by_id(officer_id).one(&txn).await? {
            let link = state.link(&format!("/staff/candidacies/{}", c.id));
            let reference = c.reference.clone().unwrap_or_default();
            let lang = lang_of(&officer);
            let due = day_text(lang, r.due_at);
            let vars = [
                ("reference", reference.as_str()),
                ("link", &link),
                ("due", &due),
            ];
            outbox::enqueue(
                &txn,
                &officer.email,
                "integration_overdue",
                lang,
                &vars,
                now,
            )
            .await?;
        }
    } else {
        let vars = |lang: app::Lang| vec![("due", day_text(lang, r.due_at))];
        decisions::tell_filer_and_reader(state, &txn, &c, "integration_reminder", vars).await?;
    }
    txn.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn reminders_come_three_days_and_one_day_before_then_the_officer_is_told() {
        let due = at("2027-04-10T21:59:59Z");
        let mut r = integration_request::Model {
            id: 1,
            candidacy_id: 1,
            officer_id: 1,
            requested_at: at("2027-03-31T10:00:00Z"),
            due_at: due,
            message: String::new(),
            before: String::new(),
            replied_at: None,
            replied_by: None,
            reply: String::new(),
            first_reminder_at: None,
            last_reminder_at: None,
            expired_flagged_at: None,
        };
        assert_eq!(reminder_due(&r, at("2027-04-07T21:59:58Z")), None);
        assert_eq!(
            reminder_due(&r, at("2027-04-07T21:59:59Z")),
            Some(Reminder::First)
        );
        r.first_reminder_at = Some(at("2027-04-08T00:00:00Z"));
        assert_eq!(reminder_due(&r, at("2027-04-08T12:00:00Z")), None);
        assert_eq!(
            reminder_due(&r, at("2027-04-09T22:00:00Z")),
            Some(Reminder::Last)
        );
        r.last_reminder_at = Some(at("2027-04-09T22:00:00Z"));
        assert_eq!(reminder_due(&r, due), None);
        assert_eq!(
            reminder_due(&r, at("2027-04-10T22:00:00Z")),
            Some(Reminder::Overdue)
        );
        r.replied_at = Some(at("2027-04-10T22:30:00Z"));
        assert_eq!(reminder_due(&r, at("2027-04-11T00:00:00Z")), None);
    }

    #[test]
    fn items_read_back_as_stored() {
        for item in [
            Item::Location,
            Item::Owner,
            Item::Field("land_area".into()),
            Item::Document("form_b".into()),
        ] {
            assert_eq!(Item::parse(&item.code()), Some(item));
        }
        for bad in ["", "field:", "document", "nonsense", "field", "x:y"] {
            assert_eq!(Item::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_reply_is_due_at_the_end_of_a_day_in_rome() {
        // Asked at 23:30 in Rome on 20 March (22:30 UTC): ten days from the 20th.
        assert_eq!(
            due_at(at("2027-03-20T22:30:00Z"), 10),
            // 30 March is in summer time: 23:59:59 CEST is 21:59:59 UTC.
            at("2027-03-30T21:59:59Z")
        );
        // 23:30 UTC on 20 March is already the 21st in Rome.
        assert_eq!(
            due_at(at("2027-03-20T23:30:00Z"), 10),
            at("2027-03-31T21:59:59Z")
        );
    }

    #[test]
    fn the_clock_counts_rome_days_and_stops_while_a_request_is_open() {
        // Submitted on Friday 26 March 2027 at 10:00 Rome; summer time starts on the 28th.
        let submitted = at("2027-03-26T09:00:00Z");
        let now = at("2027-04-05T08:00:00Z");
        let plain = legal_clock(submitted, &[], now, 30);
        assert_eq!((plain.used, plain.left, plain.stopped), (10, 20, false));
        // Asked on the 29th, answered on 2 April: four days do not count.
        let asked = at("2027-03-29T07:00:00Z");
        let due = at("2027-04-08T21:59:59Z");
        let answered = Some(at("2027-04-02T15:00:00Z"));
        let replied = Span {
            asked,
            answered,
            due,
        };
        let paused = legal_clock(submitted, &[replied], now, 30);
        assert_eq!((paused.used, paused.left, paused.stopped), (6, 24, false));
        // Still open: stopped since the 29th; the reply is not late yet.
        let waiting = Span {
            answered: None,
            ..replied
        };
        let open = legal_clock(submitted, &[waiting], now, 30);
        assert_eq!(
            (open.used, open.stopped, open.reply_overdue),
            (3, true, false)
        );
        let overdue = legal_clock(submitted, &[waiting], at("2027-04-09T08:00:00Z"), 30);
        assert!(overdue.reply_overdue);
        // Just before midnight in Rome is still the same day, whatever UTC says.
        let late = legal_clock(submitted, &[], at("2027-03-26T22:59:00Z"), 30);
        assert_eq!(late.used, 0);
        let next = legal_clock(submitted, &[], at("2027-03-26T23:00:00Z"), 30);
        assert_eq!(next.used, 1);
    }
}
