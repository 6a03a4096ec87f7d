//! The table of moves is the only way a candidacy's status changes. Every
//! (status, action, actor) is tried on a real database: exactly the table's
//! moves happen, each writing one history row, and every other attempt is
//! refused and changes nothing. A move made from an outdated read is refused
//! too, so two people acting at once cannot both move a candidacy.

mod common;

use common::{at, TestApp, START};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};
use server::candidacies::status::{self, Action, Actor, Status};
use server::db::entities::{candidacy, candidacy_event, user};
use server::error::AppError;

async fn candidacy_in(app: &TestApp, user_id: i64, s: Status) -> candidacy::Model {
    candidacy::ActiveModel {
        user_id: Set(user_id),
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
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// The moves of the call, as this test knows them.
fn expected(from: Status, action: Action, actor: Actor) -> Option<Status> {
    use Status::*;
    if !matches!(actor, Actor::Proponent | Actor::Delegate) {
        return None;
    }
    match (action, from) {
        (Action::Submit, Draft | IntegrationRequested) => Some(Submitted),
        (
            Action::Withdraw,
            Submitted | UnderReview | IntegrationRequested | Validated | Published,
        ) => Some(Withdrawn),
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
    let txn = app.state.db.begin().await.unwrap();
    let result = status::apply(&txn, c, action, by, now, reference).await;
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
                let c = candidacy_in(&app, walker.id, from).await;
                // References are unique: one per candidacy, as the portal gives them.
                let number = format!("OL-2026-{:06}", c.id);
                let reference = (action == Action::Submit).then_some(number.as_str());
                let result = apply(&app, &c, action, (actor, walker.id), now, reference).await;
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
                        let row = &history[0];
                        assert_eq!(
                            (
                                row.from_status.as_str(),
                                row.to_status.as_str(),
                                row.actor_id
                            ),
                            (from.as_str(), t.to.as_str(), walker.id),
                            "{case}"
                        );
                    }
                    None => {
                        assert!(matches!(result, Err(AppError::Locked)), "{case}");
                        assert_eq!(after.status, from, "{case}");
                        assert!(history.is_empty(), "{case}");
                    }
                }
            }
        }
    }
    // The table is not empty by accident: submitting and withdrawing, by
    // the proponent and by a delegate, from every status they start from.
    assert_eq!(moves, 2 * 2 + 5 * 2);
    assert_eq!(
        candidacy_event::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        moves
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
