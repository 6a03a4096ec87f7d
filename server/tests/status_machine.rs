//! The table of moves is the only way a candidacy's status changes. Every
//! (status, action, actor) is tried on a real database: exactly the table's
//! moves happen, each writing one history row, and every other attempt is
//! refused and changes nothing. A move made from an outdated read is refused
//! too, so two people acting at once cannot both move a candidacy.

mod common;

use common::drafts::reread;
use common::{at, TestApp, START};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};
use server::audit;
use server::candidacies::status::{self, Action, Actor, Status};
use server::db::entities::{candidacy, candidacy_event, user};
use server::error::AppError;

async fn candidacy_in(app: &TestApp, user_id: i64, s: Status) -> candidacy::Model {
    assigned_in(app, user_id, s, None).await
}

/// A candidacy in status `s`, in the charge of `officer` if given.
async fn assigned_in(
    app: &TestApp,
    user_id: i64,
    s: Status,
    officer: Option<i64>,
) -> candidacy::Model {
    candidacy::ActiveModel {
        user_id: Set(user_id),
        assigned_to: Set(officer),
        kind: Set("a".into()),
        status: Set(s),
        created_at: Set(at(START)),
        updated_at: Set(at(START)),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap()
}

/// A proponent's account, as the database holds it.
async fn proponent(app: &TestApp, email: &str, ip: &str) -> user::Model {
    app.user(email, "proponent", ip).await;
    app.account(email).await
}

/// The moves of the call, as this test knows them.
fn expected(from: Status, action: Action, actor: Actor) -> Option<Status> {
    use Status::*;
    let filer = matches!(actor, Actor::Proponent | Actor::Delegate);
    let officer = matches!(actor, Actor::Staff | Actor::Admin);
    match (action, from) {
        (Action::Submit, Draft) if filer => Some(Submitted),
        // The reply to a request for integration goes back to the officer.
        (Action::Submit, IntegrationRequested) if filer => Some(UnderReview),
        (
            Action::Withdraw,
            Submitted | UnderReview | IntegrationRequested | Validated | Published,
        ) if filer => Some(Withdrawn),
        (Action::TakeInCharge, Submitted) if officer => Some(UnderReview),
        (Action::RequestIntegration, UnderReview) if officer => Some(IntegrationRequested),
        (Action::Validate, UnderReview) if officer => Some(Validated),
        (Action::Reject, UnderReview) if officer => Some(Rejected),
        (Action::Publish, Validated) if officer => Some(Published),
        (Action::Unpublish, Published) if officer => Some(Validated),
        (Action::Revise, Published | Validated) if officer => Some(UnderReview),
        _ => None,
    }
}

/// One move, in a transaction of its own, committed whatever came of it.
async fn apply(
    app: &TestApp,
    c: &candidacy::Model,
    action: Action,
    by: (Actor, i64),
    now: chrono::DateTime<chrono::Utc>,
    reference: Option<&str>,
) -> Result<&'static status::Transition, AppError> {
    apply_noted(app, c, action, by, now, reference, "").await
}

async fn apply_noted(
    app: &TestApp,
    c: &candidacy::Model,
    action: Action,
    by: (Actor, i64),
    now: chrono::DateTime<chrono::Utc>,
    reference: Option<&str>,
    note: &str,
) -> Result<&'static status::Transition, AppError> {
    let txn = app.state.db.begin().await.unwrap();
    let result = status::apply(&txn, c, action, by, now, reference, note).await;
    txn.commit().await.unwrap();
    result
}

async fn history_of(app: &TestApp, id: i64) -> Vec<candidacy_event::Model> {
    candidacy_event::Entity::find()
        .filter(candidacy_event::Column::CandidacyId.eq(id))
        .all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn only_the_tables_moves_happen_and_each_writes_one_history_row() {
    let app = TestApp::new().await;
    let walker = proponent(&app, "walker@example.it", "10.0.9.1").await;
    let now = at("2026-12-01T10:00:00Z");
    let mut moves = 0;
    for from in <Status as sea_orm::Iterable>::iter() {
        for action in Action::ALL {
            for actor in Actor::ALL {
                // In the walker's charge, so the moves kept for the officer
                // in charge are open to it (others are tried below).
                let c = assigned_in(&app, walker.id, from, Some(walker.id)).await;
                // References are unique: one per candidacy, as the portal gives them.
                let number = format!("OL-2026-{:06}", c.id);
                let reference = (action == Action::Submit).then_some(number.as_str());
                let by = (actor, walker.id);
                let result = apply_noted(&app, &c, action, by, now, reference, " Reasons ").await;
                let after = candidacy::Entity::find_by_id(c.id)
                    .one(&app.state.db)
                    .await
                    .unwrap()
                    .unwrap();
                let history = history_of(&app, c.id).await;
                let case = format!("{from:?} {action:?} by {actor:?}");
                // Written out here, not read from the table: a wrong entry fails.
                assert_eq!(
                    status::transition(from, action, actor).map(|t| t.to),
                    expected(from, action, actor),
                    "{case}"
                );
                match status::transition(from, action, actor) {
                    Some(t) => {
                        moves += 1;
                        if action == Action::Submit {
                            assert_eq!(after.reference.as_deref(), reference, "{case}");
                            assert_eq!(after.submitted_at, Some(now), "{case}");
                        }
                        assert_eq!(result.ok(), Some(t), "{case}");
                        assert_eq!(after.status, t.to, "{case}");
                        assert_eq!(history.len(), 1, "{case}");
                        // And exactly one line of the audit log, saying the same.
                        let audit = audit::of_candidacy(&app.state.db, c.id, 10).await.unwrap();
                        assert_eq!(audit.len(), 1, "{case}");
                        assert_eq!(
                            (
                                audit[0].action.as_str(),
                                audit[0].old_value.as_str(),
                                audit[0].new_value.as_str(),
                                audit[0].actor_kind.as_str(),
                                audit[0].note.as_str(),
                            ),
                            (
                                "status",
                                from.as_str(),
                                t.to.as_str(),
                                actor.as_str(),
                                "Reasons"
                            ),
                            "{case}"
                        );
                        let expected_id = (actor != Actor::Clock).then_some(walker.id);
                        assert_eq!(audit[0].actor_id, expected_id, "{case}");
                        let row = &history[0];
                        assert_eq!(
                            (
                                row.from_status.as_str(),
                                row.to_status.as_str(),
                                row.actor_id,
                                row.actor_kind.as_str(),
                                row.note.as_str(),
                            ),
                            (
                                from.as_str(),
                                t.to.as_str(),
                                walker.id,
                                actor.as_str(),
                                "Reasons"
                            ),
                            "{case}"
                        );
                    }
                    None => {
                        assert!(matches!(result, Err(AppError::Locked)), "{case}");
                        assert_eq!(after.status, from, "{case}");
                        assert!(history.is_empty(), "{case}");
                        let audit = audit::of_candidacy(&app.state.db, c.id, 10).await.unwrap();
                        assert!(audit.is_empty(), "{case}");
                    }
                }
            }
        }
    }
    // The table is not empty by accident: submitting and withdrawing, by
    // the proponent and by a delegate, from every status they start from;
    // taking in charge, asking for integration, validating, rejecting,
    // publishing, unpublishing and revising (from two statuses), by staff
    // and by an admin.
    assert_eq!(moves, 2 * 2 + 5 * 2 + 8 * 2);
    assert_eq!(
        candidacy_event::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        moves
    );
    // Every line chained: nothing appended out of turn.
    let verdict = audit::verify(&app.state.db).await.unwrap();
    assert!(
        matches!(verdict, audit::Verdict::Intact { lines, .. } if lines == moves as i64),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn a_move_from_an_outdated_read_is_refused() {
    let app = TestApp::new().await;
    let owner = proponent(&app, "stale@example.it", "10.0.9.2").await;
    let read = candidacy_in(&app, owner.id, Status::Submitted).await;
    let now = at("2026-12-01T10:00:00Z");
    let by = (Actor::Proponent, owner.id);
    // One tab withdraws it...
    apply(&app, &read, Action::Withdraw, by, now, None)
        .await
        .unwrap();
    // ...the other, holding the same read, tries again: nothing happens.
    let again = apply(&app, &read, Action::Withdraw, by, now, None).await;
    assert!(matches!(again, Err(AppError::Locked)));
    assert_eq!(history_of(&app, read.id).await.len(), 1);
}

async fn officer(app: &TestApp, email: &str, role: app::view_data::Role, ip: &str) -> user::Model {
    app.privileged_user(email, role, ip).await;
    app.account(email).await
}

#[tokio::test]
async fn one_officer_at_a_time_and_decisions_by_the_one_in_charge() {
    use app::view_data::Role;
    let app = TestApp::new().await;
    let owner = proponent(&app, "charge@example.it", "10.0.9.3").await;
    let anna = officer(&app, "anna@example.it", Role::Staff, "10.0.9.4").await;
    let bruno = officer(&app, "bruno@example.it", Role::Staff, "10.0.9.5").await;
    let admin = officer(&app, "capo@example.it", Role::Admin, "10.0.9.6").await;
    let now = at("2026-12-01T10:00:00Z");
    let read = candidacy_in(&app, owner.id, Status::Submitted).await;

    // Both hold the same read; the first takes it, the second is refused.
    apply(
        &app,
        &read,
        Action::TakeInCharge,
        (Actor::Staff, anna.id),
        now,
        None,
    )
    .await
    .unwrap();
    let late = apply(
        &app,
        &read,
        Action::TakeInCharge,
        (Actor::Staff, bruno.id),
        now,
        None,
    )
    .await;
    assert!(matches!(late, Err(AppError::Locked)));
    let taken = reread(&app, read.id).await;
    assert_eq!(
        (taken.status, taken.assigned_to),
        (Status::UnderReview, Some(anna.id))
    );
    assert_eq!(taken.assigned_at, Some(now));

    // Bruno cannot decide Anna's candidacy; a rejection needs its reasons.
    let r = apply(
        &app,
        &taken,
        Action::Validate,
        (Actor::Staff, bruno.id),
        now,
        None,
    )
    .await;
    assert!(matches!(r, Err(AppError::Locked)));
    let r = apply_noted(
        &app,
        &taken,
        Action::Reject,
        (Actor::Staff, anna.id),
        now,
        None,
        " \n ",
    )
    .await;
    assert!(matches!(r, Err(AppError::BadRequest)));
    assert_eq!(reread(&app, read.id).await.status, Status::UnderReview);
    assert_eq!(history_of(&app, read.id).await.len(), 1);

    // An admin may decide a candidacy someone else has in charge.
    apply(
        &app,
        &taken,
        Action::Validate,
        (Actor::Admin, admin.id),
        now,
        None,
    )
    .await
    .unwrap();
    let history = history_of(&app, read.id).await;
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[1].actor_kind.as_str(), history[1].actor_id),
        ("admin", admin.id)
    );

    // A candidacy another officer has in charge (sent back and answered) is
    // not taken from them by someone else.
    let answered = assigned_in(&app, owner.id, Status::Submitted, Some(anna.id)).await;
    let r = apply(
        &app,
        &answered,
        Action::TakeInCharge,
        (Actor::Staff, bruno.id),
        now,
        None,
    )
    .await;
    assert!(matches!(r, Err(AppError::Locked)));
    apply(
        &app,
        &answered,
        Action::TakeInCharge,
        (Actor::Staff, anna.id),
        now,
        None,
    )
    .await
    .unwrap();
}
