//! Saved searches: an investor keeps a search of the catalogue (its filters,
//! as the address holds them) and is emailed when sites that match it come
//! online, at most once a week per search, each site once. Every email
//! carries a link that ends it in one click, without logging in.
//!
//! Several instances may compare searches at once: the email goes with a
//! conditional update of the search's last email, so only one sends it.

use super::{list_path, site_path, Filters, Loaded, Site};
use crate::accounts::tokens;
use crate::db::entities::{saved_search, saved_search_site, user};
use crate::email::outbox;
use crate::error::AppResult;
use crate::state::AppState;
use app::Lang;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

/// Searches one account may keep.
pub const MAX_PER_ACCOUNT: u64 = 20;
/// Characters of a search's name.
pub const NAME_CHARS: usize = 80;
/// Days between two emails about one search.
pub const EVERY_DAYS: i64 = 7;
/// Sites an email names; the rest are counted and linked.
const LISTED: usize = 10;
/// Searches are compared with the catalogue when it changes, and at least
/// this often (so a search whose weekly pause ended is not kept waiting).
const RECHECK_MINUTES: i64 = 60;

/// Why a search is not saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The account keeps [`MAX_PER_ACCOUNT`] already.
    TooMany,
    NameTooLong,
    /// A filter does not read: the search would not ask what was meant.
    DoesNotRead,
}

/// Where an email's unsubscribe links point, before the token: the one
/// POST of the portal without a form token (`web::context` lets it through).
pub const UNSUBSCRIBE_PREFIX: &str = "/searches/unsubscribe/";
/// Characters of a token (`tokens::random_token`: 32 bytes, base64url).
const TOKEN_CHARS: usize = 43;
/// Searches read from the database at a time by a pass.
const PAGE: u64 = 500;

/// `name` as kept: one line, no control characters, no braces (the email's
/// placeholders), trimmed.
pub fn clean_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || c == '{' || c == '}' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Saves `filters` as `name` for `account`, who has seen the catalogue up
/// to publication `seen`.
pub async fn save(
    db: &DatabaseConnection,
    account: &user::Model,
    name: &str,
    filters: &Filters,
    seen: i64,
    now: DateTime<Utc>,
) -> AppResult<Result<saved_search::Model, Refused>> {
    let name = clean_name(name);
    if name.chars().count() > NAME_CHARS {
        return Ok(Err(Refused::NameTooLong));
    }
    if !filters.errors.is_empty() {
        return Ok(Err(Refused::DoesNotRead));
    }
    let txn = db.begin().await?;
    // The account's row first: two saves at once count one after the other.
    user::Entity::update_many()
        .col_expr(user::Column::UpdatedAt, Expr::col(user::Column::UpdatedAt))
        .filter(user::Column::Id.eq(account.id))
        .exec(&txn)
        .await?;
    let kept = saved_search::Entity::find()
        .filter(saved_search::Column::UserId.eq(account.id))
        .count(&txn)
        .await?;
    if kept >= MAX_PER_ACCOUNT {
        // Ended here, not when dropped: the account's row stays locked
        // until the transaction ends, and the next save would wait on it.
        txn.rollback().await?;
        return Ok(Err(Refused::TooMany));
    }
    let search = saved_search::ActiveModel {
        user_id: Set(account.id),
        name: Set(name),
        query: Set(filters.query_with(&[])),
        token: Set(tokens::random_token()),
        seen_publication: Set(seen),
        created_at: Set(now),
        last_sent_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Ok(search))
}

/// The account's searches, newest first.
pub async fn of(db: &impl ConnectionTrait, user_id: i64) -> AppResult<Vec<saved_search::Model>> {
    Ok(saved_search::Entity::find()
        .filter(saved_search::Column::UserId.eq(user_id))
        .order_by_desc(saved_search::Column::Id)
        .all(db)
        .await?)
}

/// The account's search `id`, if it is theirs.
pub async fn own(
    db: &impl ConnectionTrait,
    user_id: i64,
    id: i64,
) -> AppResult<Option<saved_search::Model>> {
    Ok(saved_search::Entity::find_by_id(id)
        .filter(saved_search::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// Forgets `search` (and the sites it was told about).
pub async fn delete(db: &impl ConnectionTrait, search: &saved_search::Model) -> AppResult<()> {
    saved_search::Entity::delete_many()
        .filter(saved_search::Column::Id.eq(search.id))
        .filter(saved_search::Column::UserId.eq(search.user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The search an unsubscribe link names.
pub async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> AppResult<Option<saved_search::Model>> {
    // Only what could be a token is looked up.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    Ok(saved_search::Entity::find()
        .filter(saved_search::Column::Token.eq(token))
        .one(db)
        .await?)
}

/// Whether `token` could be one of ours (anything else is not looked up).
pub fn well_formed(token: &str) -> bool {
    token.len() == TOKEN_CHARS
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The address that ends `search`'s emails.
pub fn unsubscribe_path(search: &saved_search::Model) -> String {
    format!("{UNSUBSCRIBE_PREFIX}{}", search.token)
}

/// The list showing `search`, newest first, in `lang`.
pub fn list_link(search: &saved_search::Model, lang: Lang) -> String {
    match search.query.as_str() {
        "" => list_path(lang).to_string(),
        q => format!("{}?{q}", list_path(lang)),
    }
}

/// Compares the saved searches with the catalogue every `poll` (its own
/// task, so the email worker never waits for it), until the process ends.
pub async fn run(state: AppState, poll: std::time::Duration) {
    loop {
        if let Err(e) = notify(&state).await {
            tracing::warn!(error = %e, "saved searches were not compared; will retry");
        }
        tokio::time::sleep(poll).await;
    }
}

/// Compares every search not paused with the catalogue, when it changed
/// or an hour passed, and emails each owner the sites new to them.
/// Returns how many emails this call queued. A search that fails is
/// logged and left for the next pass; the others go on.
pub async fn notify(state: &AppState) -> AppResult<usize> {
    let loaded = state.catalogue.current(&state.db).await?;
    let now = state.clock.now();
    let every = Duration::minutes(RECHECK_MINUTES);
    if !state.catalogue.searches_due(loaded.generation, now, every) {
        return Ok(0);
    }
    let resumed = now - Duration::days(EVERY_DAYS);
    let mut sent = 0;
    let mut after = 0;
    loop {
        let due = saved_search::Entity::find()
            .filter(saved_search::Column::Id.gt(after))
            .filter(
                Condition::any()
                    .add(saved_search::Column::LastSentAt.is_null())
                    .add(saved_search::Column::LastSentAt.lte(resumed)),
            )
            .order_by_asc(saved_search::Column::Id)
            .limit(PAGE)
            .all(&state.db)
            .await?;
        let Some(last) = due.last() else { break };
        after = last.id;
        for search in due {
            match compare(state, &loaded, &search, resumed, now).await {
                Ok(told) => sent += usize::from(told),
                Err(e) => {
                    tracing::warn!(search = search.id, error = %e, "saved search not compared")
                }
            }
            // Many searches: let the other tasks of this thread run between two.
            tokio::task::yield_now().await;
        }
    }
    state.catalogue.searches_checked(loaded.generation, now);
    Ok(sent)
}

/// Tells `search`'s owner of the sites new to them, if any. True if emailed.
async fn compare(
    state: &AppState,
    loaded: &Loaded,
    search: &saved_search::Model,
    resumed: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let news = news(&state.db, loaded, search).await?;
    if news.is_empty() {
        return Ok(false);
    }
    tell(state, search, &news, resumed, now).await
}

/// The sites matching `search` first published since it was saved and not
/// yet told to its owner, most recently published first. A search whose
/// filters no longer read (an option or a municipality gone from the
/// reference lists) asks nothing: better no email than every site.
async fn news<'a>(
    db: &impl ConnectionTrait,
    loaded: &'a Loaded,
    search: &saved_search::Model,
) -> AppResult<Vec<&'a Site>> {
    let filters = Filters::parse(&search.query);
    if !filters.errors.is_empty() {
        return Ok(Vec::new());
    }
    let fresh = loaded.matching_after(&filters, search.seen_publication);
    if fresh.is_empty() {
        return Ok(fresh);
    }
    let told: std::collections::HashSet<i64> = saved_search_site::Entity::find()
        .select_only()
        .column(saved_search_site::Column::CandidacyId)
        .filter(saved_search_site::Column::SavedSearchId.eq(search.id))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(fresh
        .into_iter()
        .filter(|s| !told.contains(&s.candidacy_id))
        .collect())
}

/// Emails `news` to `search`'s owner, unless another instance did since the
/// search was read (its last email is then after `resumed`). True if sent.
async fn tell(
    state: &AppState,
    search: &saved_search::Model,
    news: &[&Site],
    resumed: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(account) = user::Entity::find_by_id(search.user_id)
        .one(&state.db)
        .await?
    else {
        return Ok(false);
    };
    if account.deactivated_at.is_some() {
        return Ok(false);
    }
    let txn = state.db.begin().await?;
    let taken = saved_search::Entity::update_many()
        .col_expr(saved_search::Column::LastSentAt, Expr::value(now))
        .filter(saved_search::Column::Id.eq(search.id))
        .filter(
            Condition::any()
                .add(saved_search::Column::LastSentAt.is_null())
                .add(saved_search::Column::LastSentAt.lte(resumed)),
        )
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    for chunk in news.chunks(500) {
        let rows = chunk.iter().map(|s| saved_search_site::ActiveModel {
            saved_search_id: Set(search.id),
            candidacy_id: Set(s.candidacy_id),
            told_at: Set(now),
        });
        saved_search_site::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    saved_search_site::Column::SavedSearchId,
                    saved_search_site::Column::CandidacyId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    let lang = Lang::from_code(&account.lang).unwrap_or_default();
    let vars = email_vars(state, search, news, lang);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let unsubscribe = state.link(&unsubscribe_path(search));
    outbox::enqueue_stoppable(
        &txn,
        &account.email,
        "saved_search_news",
        lang,
        &vars,
        &unsubscribe,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// What the email says: the search's name, the sites (each a link), how
/// many more, where to see them all, manage or stop the searches.
fn email_vars(
    state: &AppState,
    search: &saved_search::Model,
    news: &[&Site],
    lang: Lang,
) -> Vec<(&'static str, String)> {
    let escape = forms::pdf::escape_markdown;
    let sites = news
        .iter()
        .take(LISTED)
        .map(|s| {
            let link = state.link(&site_path(lang, s.reference()));
            let title = escape(s.snapshot.title(lang));
            format!("- [{title}]({link}), {}", escape(&s.snapshot.municipality))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let more = news.len().saturating_sub(LISTED);
    let more = match more {
        0 => String::new(),
        1 => app::i18n::t(lang, "saved.email_more_one"),
        n => app::i18n::tf(lang, "saved.email_more", &[("n", &n.to_string())]),
    };
    let count = match news.len() {
        1 => app::i18n::t(lang, "saved.email_count_one"),
        n => app::i18n::tf(lang, "saved.email_count", &[("n", &n.to_string())]),
    };
    vec![
        // The subject is not Markdown: the name as typed (one clean line).
        ("plain_name", search.name.clone()),
        ("name", escape(&search.name)),
        ("count", count),
        ("sites", sites),
        ("more", more),
        ("link", state.link(&list_link(search, lang))),
        ("manage", state.link("/account/searches")),
        ("unsubscribe", state.link(&unsubscribe_path(search))),
        ("days", EVERY_DAYS.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_one_clean_line() {
        assert_eq!(
            clean_name("  Logistica\n\tMilano\u{7}  nord "),
            "Logistica Milano nord"
        );
        assert_eq!(clean_name("\u{0}\u{1b}"), "");
    }
}
