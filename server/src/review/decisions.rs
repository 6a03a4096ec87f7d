//! An officer's moves on a candidacy: taking it in charge, validating it,
//! rejecting it with reasons. Each is one transaction holding the move, its
//! history row and its emails, so none is recorded without the others.

use crate::accounts::operations::lang_of;
use crate::candidacies::status::{self, Action, Actor};
use crate::db::entities::{candidacy, user};
use crate::email::outbox;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use app::Lang;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

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
        Ok(_) => {
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
    if let Some(template) = moved.email {
        let shown = as_markdown_text(&reasons);
        tell_filer_and_reader(state, &txn, c, template, &[("reasons", &shown)]).await?;
    }
    txn.commit().await?;
    Ok(())
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
/// candidacy's summary.
pub async fn tell_filer_and_reader(
    state: &AppState,
    txn: &impl ConnectionTrait,
    c: &candidacy::Model,
    template: &str,
    extra: &[(&str, &str)],
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
    let mut vars = vec![("reference", reference.as_str()), ("link", link.as_str())];
    vars.extend_from_slice(extra);
    for (email, lang) in to {
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
