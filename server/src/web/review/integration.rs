//! /staff/candidacies/{id}/integration: the checklist from which the officer
//! in charge asks the proponent to fix some items; and the requests as both
//! sides read them (the officer with what changed, the proponent with the
//! step that fixes each item).

use super::candidacy::{href, From};
use super::QueueQuery;
use crate::candidacies::documents::{self, TEMPLATE};
use crate::candidacies::owners::Parties;
use crate::candidacies::signed_forms::document_lang;
use crate::candidacies::status::{self, Action, Status};
use crate::candidacies::{kind_of, submission};
use crate::clock::rome;
use crate::db::entities::{candidacy, document};
use crate::error::{AppError, AppResult};
use crate::review::integration::{self, Ask, Item, Part, Request};
use crate::review::{answers, decisions, queue};
use crate::web::context::Ctx;
use crate::web::extract::Reviewed;
use crate::web::{page, see_other};
use app::view_data::{
    AskItem, AskView, ChangeView, FormState, ReopenedItem, ReopenedView, RequestItemView,
    RequestView,
};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use forms::Call;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

/// More marked items than any candidacy offers are not read.
const MAX_ITEMS: usize = 500;

/// What an item is called, in `lang`.
pub(crate) fn item_label(lang: app::Lang, c: &candidacy::Model, item: &Item) -> String {
    match item {
        Item::Location => app::i18n::t(lang, "review.item_location"),
        Item::Owner => app::i18n::t(lang, "review.item_owner"),
        Item::Field(id) => Call::embedded()
            .fields_for(kind_of(c))
            .find(|f| &f.id == id)
            .map(|f| f.label.get(document_lang(lang)).to_string())
            .unwrap_or_else(|| id.clone()),
        Item::Document(purpose) => submission::document_label(lang, purpose),
    }
}

/// A request's line of history as the officer reads it: the items it
/// stores by code (`field:km_motorway, document:photo`) by their labels;
/// any other note as it is.
pub(crate) fn items_text(lang: app::Lang, c: &candidacy::Model, note: &str) -> String {
    let items: Option<Vec<Item>> = note.split(", ").map(Item::parse).collect();
    match items {
        Some(items) if !note.is_empty() => items
            .iter()
            .map(|item| item_label(lang, c, item))
            .collect::<Vec<_>>()
            .join("; "),
        _ => note.to_string(),
    }
}

/// The proponent's step that fixes an item.
fn item_step(c: &candidacy::Model, item: &Item) -> String {
    let step = match item {
        Item::Location => "location",
        Item::Owner if c.owner_id.is_none() => return "/profile".into(),
        Item::Owner => "owner",
        Item::Field(_) => "template",
        Item::Document(p) if forms::attachments::Purpose::from_code(p).is_some() => "attachments",
        Item::Document(_) => "forms",
    };
    format!("/candidacies/{}/{step}", c.id)
}

/// The request `c` is answering, as its proponent reads it on every step.
pub(crate) async fn reopened_view(
    ctx: &Ctx,
    c: &candidacy::Model,
) -> AppResult<Option<ReopenedView>> {
    if c.status != Status::IntegrationRequested {
        return Ok(None);
    }
    let Some(r) = integration::open(&ctx.state.db, c.id).await? else {
        return Ok(None);
    };
    let mut items: Vec<ReopenedItem> = r
        .items
        .iter()
        .map(|(item, note)| ReopenedItem {
            label: item_label(ctx.lang, c, item),
            note: note.clone(),
            href: item_step(c, item),
        })
        .collect();
    // The owner reopens the forms checked for them: say so, unless the
    // request lists a form itself.
    let has = |wanted: &dyn Fn(&Item) -> bool| r.items.iter().any(|(item, _)| wanted(item));
    let signed = |i: &Item| matches!(i, Item::Document(p) if integration::signed_for_owner(p));
    if has(&|i| *i == Item::Owner) && !has(&signed) {
        items.push(ReopenedItem {
            label: app::i18n::t(ctx.lang, "review.item_forms_follow"),
            note: app::i18n::t(ctx.lang, "review.item_forms_follow_note"),
            href: item_step(c, &Item::Document("form_a".into())),
        });
    }
    Ok(Some(ReopenedView {
        due: rome(r.row.due_at),
        overdue: ctx.state.clock.now() > r.row.due_at,
        message: r.row.message.clone(),
        items,
    }))
}

/// The form with `field`'s error when `c` answers a request that leaves
/// `part` as submitted: asked before an upload is read, so the proponent
/// learns at once (the transaction that writes checks the same again).
pub(crate) async fn not_reopened(
    ctx: &Ctx,
    c: &candidacy::Model,
    part: Part<'_>,
    field: &str,
) -> AppResult<Option<FormState>> {
    if c.status != Status::IntegrationRequested {
        return Ok(None);
    }
    let open = integration::open(&ctx.state.db, c.id).await?;
    if open.is_some_and(|r| r.opens(part)) {
        return Ok(None);
    }
    let mut form = FormState::default();
    form.add_error(field, "error.not_reopened");
    Ok(Some(form))
}

/// The requests of `c`, the latest first, each with its items; the latest
/// also with what changed since it was made.
pub(crate) async fn requests_view(ctx: &Ctx, c: &candidacy::Model) -> AppResult<Vec<RequestView>> {
    let db = &ctx.state.db;
    let requests = integration::all(db, c.id).await?;
    let emails = queue::emails_of(db, requests.iter().map(|r| r.row.officer_id)).await?;
    let now = ctx.state.clock.now();
    let last = requests.len().saturating_sub(1);
    let mut out = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        let changes = if i == last {
            changes(ctx, c, r).await?
        } else {
            Vec::new()
        };
        let changed: Vec<&str> = changes.iter().map(|(code, _)| code.as_str()).collect();
        out.push(RequestView {
            asked: rome(r.row.requested_at),
            due: rome(r.row.due_at),
            overdue: r.is_open() && now > r.row.due_at,
            officer: emails.get(&r.row.officer_id).cloned().unwrap_or_default(),
            message: r.row.message.clone(),
            items: r
                .items
                .iter()
                .map(|(item, note)| RequestItemView {
                    label: item_label(ctx.lang, c, item),
                    note: note.clone(),
                    resolved: changed.contains(&item.code().as_str()),
                })
                .collect(),
            replied: r.row.replied_at.map(rome),
            reply: r.row.reply.clone(),
            withdrawn: r.withdrawn(),
            changes: changes.into_iter().map(|(_, change)| change).collect(),
        });
    }
    out.reverse();
    Ok(out)
}

/// Every item that differs now from when `r` was made, by item code: the
/// location, the owner, each template field (old → new), each document slot.
async fn changes(
    ctx: &Ctx,
    c: &candidacy::Model,
    r: &Request,
) -> AppResult<Vec<(String, ChangeView)>> {
    // The page must open whatever one request holds: without its snapshot,
    // nothing is compared (the proponent's writes refuse to go on).
    let before = match r.before() {
        Ok(before) => before,
        Err(e) => {
            tracing::warn!(error = %e, "request shown without its changes");
            return Ok(Vec::new());
        }
    };
    let lang = ctx.lang;
    let mut out = Vec::new();
    let location = integration::location_label(c);
    if before.location != location {
        let label = item_label(lang, c, &Item::Location);
        let (before, after) = (before.location.clone(), location);
        out.push((
            Item::Location.code(),
            ChangeView {
                label,
                before,
                after,
            },
        ));
    }
    let owner = Parties::of(&ctx.state.db, c)
        .await?
        .map(|p| integration::owner_line(&p));
    if !before.owner.is_empty() && owner.as_ref().is_some_and(|o| *o != before.owner) {
        let label = item_label(lang, c, &Item::Owner);
        let after = owner.unwrap_or_default();
        let change = ChangeView {
            label,
            before: before.owner.clone(),
            after,
        };
        out.push((Item::Owner.code(), change));
    }
    out.extend(template_changes(ctx, c, &before).await?);
    // Documents, slot by slot: the names before and now, when the files differ.
    let now_docs = document::Entity::find()
        .filter(document::Column::CandidacyId.eq(c.id))
        .filter(document::Column::RetiredAt.is_null())
        .filter(document::Column::Purpose.ne(submission::RECEIPT))
        .order_by_asc(document::Column::Id)
        .all(&ctx.state.db)
        .await?;
    // Per slot: (hash, name) of each file before, and now.
    type Files<'a> = Vec<(&'a str, &'a str)>;
    let mut slots: BTreeMap<&str, (Files, Files)> = BTreeMap::new();
    for d in &before.documents {
        let slot = slots.entry(d.purpose.as_str()).or_default();
        slot.0.push((d.sha256.as_str(), d.name.as_str()));
    }
    for d in &now_docs {
        let slot = slots.entry(d.purpose.as_str()).or_default();
        slot.1.push((d.sha256.as_str(), d.original_name.as_str()));
    }
    for (purpose, (was, is)) in slots {
        if was.iter().map(|(h, _)| h).eq(is.iter().map(|(h, _)| h)) {
            continue;
        }
        let names = |v: &[(&str, &str)]| match v.is_empty() {
            true => "–".to_string(),
            false => v.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", "),
        };
        let item = Item::Document(purpose.to_string());
        let label = item_label(lang, c, &item);
        let (before, after) = (names(&was), names(&is));
        out.push((
            item.code(),
            ChangeView {
                label,
                before,
                after,
            },
        ));
    }
    Ok(out)
}

/// The template's fields that changed since `before`: old → new, in the
/// officer's language.
async fn template_changes(
    ctx: &Ctx,
    c: &candidacy::Model,
    before: &integration::Before,
) -> AppResult<Vec<(String, ChangeView)>> {
    let Some(was) = before.template() else {
        return Ok(Vec::new());
    };
    let Some(is) = documents::latest(&ctx.state.db, c.id, TEMPLATE).await? else {
        return Ok(Vec::new());
    };
    if was.sha256 == is.sha256 {
        return Ok(Vec::new());
    }
    let dir = ctx.state.config.uploads_dir();
    let (old, new) = (dir.join(&was.sha256), dir.join(&is.sha256));
    let kind = kind_of(c);
    let found = ctx
        .state
        .heavy
        .run(move || answers::compare_files(&old, &new, kind))
        .await?
        .unwrap_or_default();
    let numbers = document_lang(ctx.lang);
    Ok(found
        .into_iter()
        .map(|ch| {
            let item = Item::Field(ch.field.clone());
            let label = item_label(ctx.lang, c, &item);
            let view = ChangeView {
                label,
                before: answers::shown_by_id(&ch.field, &ch.before, numbers),
                after: answers::shown_by_id(&ch.field, &ch.after, numbers),
            };
            (item.code(), view)
        })
        .collect())
}

/// The checklist: every item the officer may mark, grouped as the steps are,
/// with its value now.
async fn ask_view(ctx: &Ctx, r: &Reviewed, q: &QueueQuery) -> AppResult<AskView> {
    let c = &r.candidacy;
    let lang = ctx.lang;
    let values = answers::stored_values(&ctx.state, c)
        .await?
        .unwrap_or_default();
    let mut docs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in document::Entity::find()
        .filter(document::Column::CandidacyId.eq(c.id))
        .filter(document::Column::RetiredAt.is_null())
        .all(&ctx.state.db)
        .await?
    {
        docs.entry(d.purpose).or_default().push(d.original_name);
    }
    let owner = Parties::of(&ctx.state.db, c)
        .await?
        .map(|p| integration::owner_line(&p));
    let mut site = Vec::new();
    let mut fields: BTreeMap<String, Vec<AskItem>> = BTreeMap::new();
    let mut section_order = Vec::new();
    let mut files = Vec::new();
    for item in integration::choices(c) {
        let current = match &item {
            Item::Location => integration::location_label(c),
            Item::Owner => owner.clone().unwrap_or_default(),
            Item::Field(id) => values
                .get(id)
                .map(|typed| answers::shown_by_id(id, typed, document_lang(lang)))
                .unwrap_or_default(),
            Item::Document(p) => docs.get(p).map(|n| n.join(", ")).unwrap_or_default(),
        };
        let entry = AskItem {
            code: item.code(),
            label: item_label(lang, c, &item),
            current,
        };
        match &item {
            Item::Location | Item::Owner => site.push(entry),
            Item::Document(_) => files.push(entry),
            Item::Field(id) => {
                let section = Call::embedded()
                    .fields_for(kind_of(c))
                    .find(|f| &f.id == id)
                    .and_then(|f| Call::embedded().sections.iter().find(|s| s.id == f.section))
                    .map(|s| s.label(document_lang(lang)).to_string())
                    .unwrap_or_default();
                if !section_order.contains(&section) {
                    section_order.push(section.clone());
                }
                fields.entry(section).or_default().push(entry);
            }
        }
    }
    let mut groups = vec![(app::i18n::t(lang, "review.site"), site)];
    for section in section_order {
        let items = fields.remove(&section).unwrap_or_default();
        groups.push((section, items));
    }
    groups.push((app::i18n::t(lang, "review.documents"), files));
    Ok(AskView {
        id: c.id,
        reference: c.reference.clone().unwrap_or_else(|| format!("#{}", c.id)),
        back: href(c.id, q),
        from: q.encoded(),
        groups,
    })
}

/// Only the officer in charge (or an admin) asks, while it is under review.
fn may_ask(r: &Reviewed) -> AppResult<()> {
    let by = decisions::officer(&r.officer)?;
    status::allowed(&r.candidacy, Action::RequestIntegration, by)
        .map(|_| ())
        .ok_or(AppError::Locked)
}

pub async fn ask_form(ctx: Ctx, r: Reviewed, Query(from): Query<From>) -> AppResult<Response> {
    may_ask(&r)?;
    let view = ask_view(&ctx, &r, &from.query()).await?;
    let days = ctx.state.config.review.reply_days.to_string();
    let form = FormState::with_values([("days", days.as_str())]);
    Ok(page(
        StatusCode::OK,
        app::pages::review::ask(&ctx.page(), &view, &form),
    ))
}

/// The checklist as sent: `item` once per marked item, `note:<item>` for its
/// note, `days`, `message`, `from`.
pub async fn ask(
    ctx: Ctx,
    r: Reviewed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    // The first value of each name, read once: a form of many pairs costs
    // one pass, not one per marked item.
    let mut first: HashMap<&str, &str> = HashMap::new();
    for (k, v) in &pairs {
        first.entry(k.as_str()).or_insert(v.as_str());
    }
    let value = |name: &str| first.get(name).map(|v| v.to_string()).unwrap_or_default();
    let q: QueueQuery = serde_urlencoded::from_str(&value("from")).unwrap_or_default();
    // No candidacy offers more items than this (`integration::choices`).
    let marked: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "item")
        .map(|(_, v)| v.clone())
        .take(MAX_ITEMS)
        .collect();
    let request = Ask {
        items: marked
            .iter()
            .map(|code| (code.clone(), value(&format!("note:{code}"))))
            .collect(),
        days: value("days"),
        message: value("message"),
    };
    // Moved meanwhile (taken by another, decided, withdrawn): the checklist
    // comes back as typed, with why.
    let conflict = vec![("items", "review.ask_conflict")];
    let problems = match integration::check(&r.candidacy, &request) {
        _ if may_ask(&r).is_err() => conflict,
        Err(problems) => problems,
        Ok(_) => match integration::ask(&ctx.state, &r.candidacy, &r.officer, &request).await {
            Ok(_) => return Ok(see_other(&href(r.candidacy.id, &q))),
            Err(AppError::Locked) => conflict,
            Err(e) => return Err(e),
        },
    };
    let mut form = FormState::default();
    for (k, v) in first.iter().filter(|(k, _)| **k != "item" && **k != "from") {
        form.values.insert(k.to_string(), v.to_string());
    }
    for code in &marked {
        form.values.insert(format!("item:{code}"), "on".into());
    }
    for (field, key) in problems {
        form.add_error(field, key);
    }
    let view = ask_view(&ctx, &r, &q).await?;
    let html = app::pages::review::ask(&ctx.page(), &view, &form);
    let status = match form.error("items") {
        Some("review.ask_conflict") => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(page(status, html))
}
