//! A candidacy's status, and the one table of moves between statuses: from
//! where, to where, who may make each move, and which email tells the
//! proponent. Every change of status goes through [`apply`], which takes its
//! move from the table, so no handler can invent one.

use crate::audit;
use crate::db::entities::{candidacy, candidacy_event};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::{DeriveActiveEnum, EnumIter, StringLen};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter,
};

/// Stored as its name (`"integration_requested"`), so the database reads plainly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Status {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "submitted")]
    Submitted,
    #[sea_orm(string_value = "under_review")]
    UnderReview,
    #[sea_orm(string_value = "integration_requested")]
    IntegrationRequested,
    #[sea_orm(string_value = "validated")]
    Validated,
    #[sea_orm(string_value = "rejected")]
    Rejected,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

/// Tests compare a status with its stored name.
impl PartialEq<&str> for Status {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Status {
    /// As stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::UnderReview => "under_review",
            Status::IntegrationRequested => "integration_requested",
            Status::Validated => "validated",
            Status::Rejected => "rejected",
            Status::Published => "published",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// The statuses in which the proponent may change the candidacy: a
    /// draft, or one staff sent back for changes.
    pub fn editable(self) -> bool {
        Status::EDITABLE.contains(&self)
    }

    pub const EDITABLE: [Status; 2] = [Status::Draft, Status::IntegrationRequested];
}

/// What someone does to a candidacy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Submit,
    Withdraw,
    /// An officer takes a submitted candidacy in charge: it is theirs to review.
    TakeInCharge,
    /// The officer in charge asks the proponent to fix some items.
    RequestIntegration,
    Validate,
    Reject,
    /// A validated candidacy goes online in the catalogue.
    Publish,
    /// A published candidacy goes offline, with the reasons.
    Unpublish,
    /// A published candidacy goes through review again; the version online
    /// stays until a new one is published.
    Revise,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Submit,
        Action::Withdraw,
        Action::TakeInCharge,
        Action::RequestIntegration,
        Action::Validate,
        Action::Reject,
        Action::Publish,
        Action::Unpublish,
        Action::Revise,
    ];
}

/// Who does it: the proponent filing for themself, a delegate filing for an
/// owner, staff, an administrator, or the portal's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Actor {
    Proponent,
    Delegate,
    Staff,
    Admin,
    Clock,
}

impl Actor {
    pub const ALL: [Actor; 5] = [
        Actor::Proponent,
        Actor::Delegate,
        Actor::Staff,
        Actor::Admin,
        Actor::Clock,
    ];
}

impl Actor {
    /// As the history stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Proponent => "proponent",
            Actor::Delegate => "delegate",
            Actor::Staff => "staff",
            Actor::Admin => "admin",
            Actor::Clock => "clock",
        }
    }

    /// The back-office actor an account's role (`users.role`) makes, if any.
    pub fn officer(role: &str) -> Option<Actor> {
        match role {
            "staff" => Some(Actor::Staff),
            "admin" => Some(Actor::Admin),
            _ => None,
        }
    }

    /// Who files `c`: its owner's own account, or a delegate's for a saved owner.
    pub fn filer_of(c: &candidacy::Model) -> Actor {
        if c.owner_id.is_some() {
            Actor::Delegate
        } else {
            Actor::Proponent
        }
    }
}

/// One move of the table.
#[derive(Debug, PartialEq, Eq)]
pub struct Transition {
    pub action: Action,
    pub from: &'static [Status],
    pub to: Status,
    pub by: &'static [Actor],
    /// The outbox template that tells the filer (the proponent, or the
    /// delegate filing for an owner), if any.
    pub email: Option<&'static str>,
    /// The move needs its reasons written down (they reach the proponent).
    pub reason_required: bool,
    /// Only the officer who has the candidacy in charge makes it (or an admin).
    pub in_charge_only: bool,
}

const FILERS: &[Actor] = &[Actor::Proponent, Actor::Delegate];
const OFFICERS: &[Actor] = &[Actor::Staff, Actor::Admin];

/// Every move a candidacy can make.
pub const TRANSITIONS: &[Transition] = &[
    Transition {
        action: Action::Submit,
        from: &[Status::Draft],
        to: Status::Submitted,
        by: FILERS,
        email: Some("submission_receipt"),
        reason_required: false,
        in_charge_only: false,
    },
    // The reply to a request for integration is submitted again, with a new
    // receipt, and goes back to the officer who has it in charge.
    Transition {
        action: Action::Submit,
        from: &[Status::IntegrationRequested],
        to: Status::UnderReview,
        by: FILERS,
        email: Some("submission_receipt"),
        reason_required: false,
        in_charge_only: false,
    },
    Transition {
        action: Action::Withdraw,
        from: &[
            Status::Submitted,
            Status::UnderReview,
            Status::IntegrationRequested,
            Status::Validated,
            Status::Published,
        ],
        to: Status::Withdrawn,
        by: FILERS,
        email: Some("withdrawal_confirmation"),
        reason_required: false,
        in_charge_only: false,
    },
    // The start of the procedure: the proponent is told, unless the portal
    // keeps it internal (`PORTAL_EMAIL_IN_CHARGE=false`, see `review::decisions`).
    Transition {
        action: Action::TakeInCharge,
        from: &[Status::Submitted],
        to: Status::UnderReview,
        by: OFFICERS,
        email: Some("candidacy_in_charge"),
        reason_required: false,
        in_charge_only: false,
    },
    // The note lists the items; the request holds them with their notes.
    Transition {
        action: Action::RequestIntegration,
        from: &[Status::UnderReview],
        to: Status::IntegrationRequested,
        by: OFFICERS,
        email: Some("integration_requested"),
        reason_required: true,
        in_charge_only: true,
    },
    Transition {
        action: Action::Validate,
        from: &[Status::UnderReview],
        to: Status::Validated,
        by: OFFICERS,
        email: Some("candidacy_validated"),
        reason_required: false,
        in_charge_only: true,
    },
    Transition {
        action: Action::Reject,
        from: &[Status::UnderReview],
        to: Status::Rejected,
        by: OFFICERS,
        email: Some("candidacy_rejected"),
        reason_required: true,
        in_charge_only: true,
    },
    // Any officer: with the four-eyes rule (`PORTAL_FOUR_EYES`), one other
    // than who validated; and only with a valid form B, the owner's consent
    // to publication (both checked by `review::publication`).
    Transition {
        action: Action::Publish,
        from: &[Status::Validated],
        to: Status::Published,
        by: OFFICERS,
        email: Some("candidacy_published"),
        reason_required: false,
        in_charge_only: false,
    },
    Transition {
        action: Action::Unpublish,
        from: &[Status::Published],
        to: Status::Validated,
        by: OFFICERS,
        email: Some("candidacy_unpublished"),
        reason_required: true,
        in_charge_only: false,
    },
    // Internal: the officer who revises takes it in charge; the proponent
    // hears from them when something is asked.
    Transition {
        action: Action::Revise,
        from: &[Status::Published],
        to: Status::UnderReview,
        by: OFFICERS,
        email: None,
        reason_required: true,
        in_charge_only: false,
    },
    // One validated (or taken offline) can be fixed without going online
    // first: by the officer in charge, as taking it over is reassignment.
    Transition {
        action: Action::Revise,
        from: &[Status::Validated],
        to: Status::UnderReview,
        by: OFFICERS,
        email: None,
        reason_required: true,
        in_charge_only: true,
    },
];

/// The move `actor` may make by `action` from `from`, if the table has one.
pub fn transition(from: Status, action: Action, actor: Actor) -> Option<&'static Transition> {
    TRANSITIONS
        .iter()
        .find(|t| t.action == action && t.from.contains(&from) && t.by.contains(&actor))
}

/// The move `actor` may make by `action` on `c` as read: the table's move,
/// unless another officer has `c` in charge. Pages ask it to offer only
/// what can be done; [`apply`] asks it first and checks the same again in
/// its conditional update, so a read gone out of date changes nothing.
pub fn allowed(
    c: &candidacy::Model,
    action: Action,
    (actor, actor_id): (Actor, i64),
) -> Option<&'static Transition> {
    let t = transition(c.status, action, actor)?;
    let refused = if action == Action::TakeInCharge {
        c.assigned_to.is_some_and(|id| id != actor_id)
    } else {
        t.in_charge_only && actor != Actor::Admin && c.assigned_to != Some(actor_id)
    };
    (!refused).then_some(t)
}

/// Makes the move of the table for (`c`'s status, `action`, `actor`): a
/// conditional update on the status read, so two people acting at once
/// cannot both move it, and one audit row with `note` (the reasons, when the
/// move needs them). `Locked` when the table has no such move or someone
/// moved it meanwhile; `BadRequest` when the reasons are missing. A
/// submission carries the reference (and nothing else does); the first one
/// also sets the instant, which a later reply to a request for integration
/// keeps (the history records the reply). Taking in charge assigns the
/// candidacy to the officer, unless another officer already has it; a move
/// kept for the officer in charge is refused to anyone else but an admin.
/// Returns the move, whose email the caller queues in the same transaction.
pub async fn apply(
    txn: &DatabaseTransaction,
    c: &candidacy::Model,
    action: Action,
    (actor, actor_id): (Actor, i64),
    now: DateTime<Utc>,
    reference: Option<&str>,
    note: &str,
) -> AppResult<&'static Transition> {
    if (action == Action::Submit) != reference.is_some() {
        return Err(AppError::Internal(format!(
            "{action:?} with reference {reference:?}"
        )));
    }
    let from = c.status;
    let t = allowed(c, action, (actor, actor_id)).ok_or(AppError::Locked)?;
    if t.reason_required && note.trim().is_empty() {
        return Err(AppError::BadRequest);
    }
    let mut update = candidacy::Entity::update_many()
        .col_expr(candidacy::Column::Status, Expr::value(t.to.as_str()))
        .col_expr(candidacy::Column::UpdatedAt, Expr::value(now))
        .filter(candidacy::Column::Id.eq(c.id))
        .filter(candidacy::Column::Status.eq(from));
    if let Some(reference) = reference {
        update = update.col_expr(
            candidacy::Column::Reference,
            Expr::value(Some(reference.to_string())),
        );
        if c.submitted_at.is_none() {
            update = update.col_expr(candidacy::Column::SubmittedAt, Expr::value(Some(now)));
        }
    }
    if action == Action::Revise {
        update = update
            .col_expr(candidacy::Column::AssignedTo, Expr::value(Some(actor_id)))
            .col_expr(candidacy::Column::AssignedAt, Expr::value(Some(now)));
    }
    if action == Action::TakeInCharge {
        update = update
            .col_expr(candidacy::Column::AssignedTo, Expr::value(Some(actor_id)))
            .col_expr(candidacy::Column::AssignedAt, Expr::value(Some(now)))
            .filter(
                candidacy::Column::AssignedTo
                    .is_null()
                    .or(candidacy::Column::AssignedTo.eq(actor_id)),
            );
    }
    if t.in_charge_only && actor != Actor::Admin {
        update = update.filter(candidacy::Column::AssignedTo.eq(actor_id));
    }
    let changed = update.exec(txn).await?;
    if changed.rows_affected != 1 {
        return Err(AppError::Locked);
    }
    record(txn, c.id, (actor, actor_id), (from, t.to), note, now).await?;
    Ok(t)
}

/// A move of the table in the candidacy's history and in the audit log:
/// who (`by`), when, from which status to which, and why.
async fn record(
    txn: &DatabaseTransaction,
    candidacy_id: i64,
    by: (Actor, i64),
    (from, to): (Status, Status),
    note: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    history_line(txn, candidacy_id, by, (from, to), note, now).await?;
    let entry = audit::Entry::new(
        audit::Who::actor(by),
        Some(candidacy_id),
        audit::Action::Status,
    )
    .change(from.as_str(), to.as_str())
    .note(note);
    audit::append(txn, entry, now).await?;
    Ok(())
}

/// One line of a candidacy's history, without its audit line: for the few
/// changes that keep the status (an administrator's reassignment, a version
/// taken offline during a revision), whose callers write their own.
pub async fn history_line(
    txn: &impl ConnectionTrait,
    candidacy_id: i64,
    (actor, actor_id): (Actor, i64),
    (from, to): (Status, Status),
    note: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    candidacy_event::ActiveModel {
        candidacy_id: Set(candidacy_id),
        at: Set(now),
        actor_id: Set(actor_id),
        actor_kind: Set(actor.as_str().to_string()),
        from_status: Set(from.as_str().to_string()),
        to_status: Set(to.as_str().to_string()),
        note: Set(note.trim().to_string()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_as_stored() {
        use sea_orm::{ActiveEnum, Iterable};
        for s in Status::iter() {
            assert_eq!(
                Status::try_from_value(&s.as_str().to_string()).ok(),
                Some(s)
            );
            // The names written here agree with those the database stores.
            assert_eq!(s.to_value(), s.as_str());
        }
        assert!(Status::try_from_value(&"nonsense".to_string()).is_err());
    }

    #[test]
    fn each_status_and_action_leads_to_one_place_at_most() {
        use sea_orm::Iterable;
        for from in Status::iter() {
            for action in Action::ALL {
                let targets: Vec<_> = TRANSITIONS
                    .iter()
                    .filter(|t| t.action == action && t.from.contains(&from))
                    .map(|t| t.to)
                    .collect();
                assert!(targets.len() <= 1, "{from:?} {action:?}: {targets:?}");
            }
        }
    }

    #[test]
    fn every_move_the_proponent_makes_tells_them_by_email() {
        for t in TRANSITIONS {
            if t.by.iter().any(|a| FILERS.contains(a)) {
                assert!(t.email.is_some(), "{t:?}");
            }
        }
    }
}
