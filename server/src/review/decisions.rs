//! An officer's moves on a candidacy: taking it in charge, validating it,
//! rejecting it with reasons. Each is one transaction holding the move, its
//! history row and its emails, so none is recorded without the others.

use crate::accounts::operations::lang_of;
use crate::audit;
use crate::candidacies::status::{self, Action, Actor, Status};
use crate::db::entities::{candidacy, user};
use crate::email::outbox;
use crate::error::{AppError, AppResult};
use crate::review::integration;
use crate::state::AppState;
use app::Lang;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

/// Longest reasons accepted (they go into an email and the history).
pub const MAX_REASONS: usize = 8_000;

/// What taking a candidacy in charge came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Taken {
    Now,
    /// Someone else was quicker, or had it already: their email.
    ByOther(String),
}

/// The back-office actor `account` is, or `Forbidden`.
pub fn officer(account: &user::Model) -> AppResult<(Actor, i64)> {
    Actor::officer(&account.role)
        .map(|a| (a, account.id))
        .ok_or(AppError::Forbidden)
}

/// Takes `c` in charge for `account`. Two officers at once: one takes it, the
/// other learns who did.
pub async fn take(
    state: &AppState,
    c: &candidacy::Model,
    account: &user::Model,
) -> AppResult<Taken> {
    let by = officer(account)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    match status::apply(&txn, c, Action::TakeInCharge, by, now, None, "").await {
        Ok(moved) => {
            if let Some(template) = moved.email.filter(|_| state.config.review.email_in_charge) {
                // Nothing was asked yet: the decision is due the target's
                // number of days after the day of submission.
                let submitted = c.submitted_at.unwrap_or(now);
                let due = integration::due_at(submitted, state.config.review.decision_days);
                let vars = |lang: Lang| vec![("due", integration::day_text(lang, due))];
                tell_filer_and_reader(state, &txn, c, template, vars).await?;
            }
            txn.commit().await?;
            Ok(Taken::Now)
        }
        Err(AppError::Locked) => {
            txn.rollback().await?;
            let now = candidacy::Entity::find_by_id(c.id)
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            match now.assigned_to {
                // A second click of the same officer: already theirs.
                Some(id) if id == account.id && now.status == status::Status::UnderReview => {
                    Ok(Taken::Now)
                }
                Some(id) if id != account.id => {
                    let who = user::Entity::find_by_id(id).one(&state.db).await?;
                    Ok(Taken::ByOther(who.map(|u| u.email).unwrap_or_default()))
                }
                _ => Err(AppError::Locked),
            }
        }
        Err(e) => Err(e),
    }
}

/// The statuses in which a candidacy has an officer in charge.
pub const IN_CHARGE: [Status; 2] = [Status::UnderReview, Status::IntegrationRequested];

/// The accounts a candidacy may be given to: staff and administrators, by email.
pub async fn officers(db: &impl ConnectionTrait) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.is_in(["staff", "admin"]))
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?)
}

/// An administrator gives `c` to officer `to`: one conditional update on
/// the status and the officer in charge as read (`Locked` if either changed
/// since), a line in the history and an email to the new officer, in one
/// transaction. `Forbidden` for anyone but an administrator, `BadRequest`
/// when `to` is not an officer.
pub async fn reassign(
    state: &AppState,
    c: &candidacy::Model,
    admin: &user::Model,
    to: i64,
) -> AppResult<()> {
    let (actor, admin_id) = officer(admin)?;
    if actor != Actor::Admin {
        return Err(AppError::Forbidden);
    }
    let target = user::Entity::find_by_id(to)
        .one(&state.db)
        .await?
        .filter(|u| Actor::officer(&u.role).is_some())
        .ok_or(AppError::BadRequest)?;
    if !IN_CHARGE.contains(&c.status) {
        return Err(AppError::Locked);
    }
    if c.assigned_to == Some(to) {
        return Ok(());
    }
    let previous = match c.assigned_to {
        Some(id) => user::Entity::find_by_id(id).one(&state.db).await?,
        None => None,
    };
    let previous = previous.map_or_else(|| "–".to_string(), |u| u.email);
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let update = candidacy::Entity::update_many()
        .col_expr(candidacy::Column::AssignedTo, Expr::value(Some(to)))
        .col_expr(candidacy::Column::AssignedAt, Expr::value(Some(now)))
        .col_expr(candidacy::Column::UpdatedAt, Expr::value(now))
        .filter(candidacy::Column::Id.eq(c.id))
        .filter(candidacy::Column::Status.eq(c.status));
    let update = match c.assigned_to {
        Some(id) => update.filter(candidacy::Column::AssignedTo.eq(id)),
        None => update.filter(candidacy::Column::AssignedTo.is_null()),
    };
    if update.exec(&txn).await?.rows_affected != 1 {
        txn.rollback().await?;
        return Err(AppError::Locked);
    }
    // Not a move of the status table: the status stays, the history says who.
    let note = format!("{previous} → {}", target.email);
    let by = (actor, admin_id);
    status::history_line(&txn, c.id, by, (c.status, c.status), &note, now).await?;
    // Accounts by id: the log keeps no email it could not forget.
    let before = c.assigned_to.map(|id| id.to_string()).unwrap_or_default();
    let entry = audit::Entry::new(audit::Who::actor(by), Some(c.id), audit::Action::Assign)
        .change(before, to.to_string());
    audit::append(&txn, entry, now).await?;
    let link = state.link(&format!("/staff/candidacies/{}", c.id));
    let reference = c.reference.clone().unwrap_or_default();
    let vars = [
        ("reference", reference.as_str()),
        ("link", link.as_str()),
        ("previous", previous.as_str()),
    ];
    let lang = lang_of(&target);
    outbox::enqueue(&txn, &target.email, "candidacy_assigned", lang, &vars, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Validates or rejects `c` (`action`), with `reasons` (needed to reject),
/// and tells the filer, and the owner given read access, by email.
pub async fn decide(
    state: &AppState,
    c: &candidacy::Model,
    account: &user::Model,
    action: Action,
    reasons: &str,
) -> AppResult<()> {
    let reasons = match action {
        Action::Reject => clean_reasons(reasons),
        // A validation carries no reasons, whatever a hand-made form sends.
        Action::Validate => String::new(),
        _ => return Err(AppError::BadRequest),
    };
    if reasons.chars().count() > MAX_REASONS {
        return Err(AppError::BadRequest);
    }
    let by = officer(account)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let moved = status::apply(&txn, c, action, by, now, None, &reasons).await?;
    // A revision rejected: the version online is no longer vouched for.
    if action == Action::Reject {
        super::publication::end(&txn, c.id, account.id, &reasons, now).await?;
    }
    if let Some(template) = moved.email {
        let shown = as_markdown_text(&reasons);
        let reasons = |_: Lang| vec![("reasons", shown.clone())];
        tell_filer_and_reader(state, &txn, c, template, reasons).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Reasons an officer wrote, cleaned, or the translation key of what is
/// wrong with them: `missing` when there are none, or too long (more than
/// [`MAX_REASONS`]).
pub fn check_reasons(typed: &str, missing: &'static str) -> Result<String, &'static str> {
    let reasons = clean_reasons(typed);
    if reasons.is_empty() {
        Err(missing)
    } else if reasons.chars().count() > MAX_REASONS {
        Err("review.reasons_too_long")
    } else {
        Ok(reasons)
    }
}

/// The reasons as typed, with Windows line ends made plain and control
/// characters dropped (PostgreSQL refuses NUL in text).
pub fn clean_reasons(reasons: &str) -> String {
    reasons
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

/// The reasons as literal text inside a Markdown email: an officer's
/// `[link](…)`, `_name_` or `# heading` shows as typed, and each line stays a line.
pub fn as_markdown_text(reasons: &str) -> String {
    reasons
        .lines()
        .map(forms::pdf::escape_markdown)
        .collect::<Vec<_>>()
        .join("\\\n")
}

/// Queues `template` for whoever filed `c` and for the owner it gave read
/// access to, each in their account's language, with a link to the
/// candidacy's summary and the `extra` values in that language.
pub async fn tell_filer_and_reader(
    state: &AppState,
    txn: &impl ConnectionTrait,
    c: &candidacy::Model,
    template: &str,
    extra: impl Fn(Lang) -> Vec<(&'static str, String)>,
) -> AppResult<()> {
    let filer = user::Entity::find_by_id(c.user_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut to = vec![(filer.email.clone(), lang_of(&filer))];
    // Frozen with the submission: whoever the delegate's saved owner is now.
    let reader = c.submitted_reader_email.clone();
    if let Some(email) = reader.filter(|e| *e != filer.email) {
        let account = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(txn)
            .await?;
        to.push((email, account.as_ref().map_or(Lang::It, lang_of)));
    }
    let reference = c.reference.clone().unwrap_or_default();
    let link = state.link(&format!("/candidacies/{}/submit", c.id));
    for (email, lang) in to {
        let extra = extra(lang);
        let mut vars = vec![("reference", reference.as_str()), ("link", link.as_str())];
        vars.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
        outbox::enqueue(txn, &email, template, lang, &vars, state.clock.now()).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_reach_the_email_as_typed() {
        let reasons = clean_reasons("Manca la [planimetria](https://x.test)\r\n_file_v2_ {link}\0");
        assert_eq!(
            reasons,
            "Manca la [planimetria](https://x.test)\n_file_v2_ {link}"
        );
        let email = forms::email(
            "candidacy_rejected",
            "it",
            &[
                ("reference", "OL-1"),
                ("link", "https://p.test/c"),
                ("reasons", &as_markdown_text(&reasons)),
            ],
        )
        .unwrap();
        assert!(
            !email.html.contains("href=\"https://x.test"),
            "{}",
            email.html
        );
        assert!(!email.html.contains("<em>"), "{}", email.html);
        assert!(
            email
                .text
                .contains("Manca la [planimetria](https://x.test)\n_file_v2_ {link}"),
            "{}",
            email.text
        );
    }
}
