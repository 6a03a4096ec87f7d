//! The back-office dashboard: its counts agree with the queue's records,
//! the medians come from the history, and the page draws each chart with
//! its table.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use chrono::Duration;
use common::TestApp;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use server::candidacies::status::Status;
use server::db::entities::{candidacy, candidacy_event, integration_request};
use server::review::dashboard;

#[tokio::test]
async fn the_dashboard_counts_what_the_records_hold() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let now = app.state.clock.now();
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.90.1")
        .await;
    let anna_id = app.account("anna@regione.test").await.id;
    server::seed::candidacies(db, 120, &[anna_id], now)
        .await
        .unwrap();
    // Two decisions in the history: two and four days after submission.
    let decided: Vec<candidacy::Model> = candidacy::Entity::find()
        .filter(candidacy::Column::Status.eq(Status::Validated))
        .all(db)
        .await
        .unwrap();
    assert!(decided.len() >= 2);
    for (c, days) in decided.iter().zip([2, 4]) {
        candidacy_event::ActiveModel {
            candidacy_id: Set(c.id),
            at: Set(c.submitted_at.unwrap() + Duration::days(days)),
            actor_id: Set(anna_id),
            actor_kind: Set("staff".into()),
            from_status: Set("under_review".into()),
            to_status: Set("validated".into()),
            note: Set(String::new()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }

    let f = dashboard::figures(db, now).await.unwrap();
    let total = candidacy::Entity::find()
        .filter(candidacy::Column::Status.ne(Status::Draft))
        .count(db)
        .await
        .unwrap();
    for (status, n) in &f.by_status {
        let expected = candidacy::Entity::find()
            .filter(candidacy::Column::Status.eq(*status))
            .count(db)
            .await
            .unwrap();
        assert_eq!(*n, expected, "{status:?}");
    }
    let sum = |rows: &[(String, u64)]| rows.iter().map(|r| r.1).sum::<u64>();
    assert_eq!(f.by_status.iter().map(|r| r.1).sum::<u64>(), total);
    assert_eq!(sum(&f.by_province), total);
    assert_eq!(sum(&f.by_kind), total);
    let waiting = candidacy::Entity::find()
        .filter(candidacy::Column::Status.is_in([Status::Submitted, Status::UnderReview]))
        .count(db)
        .await
        .unwrap();
    assert_eq!(f.backlog.iter().sum::<u64>(), waiting);
    let overdue = integration_request::Entity::find()
        .filter(integration_request::Column::RepliedAt.is_null())
        .filter(integration_request::Column::DueAt.lt(now))
        .count(db)
        .await
        .unwrap();
    assert_eq!(f.overdue, overdue);
    assert_eq!((f.decision_days, f.decided), (Some(3.0), 2));
    assert_eq!((f.reply_days, f.replied), (None, 0));

    let page = anna.get("/staff/dashboard").await;
    assert_eq!(page.status, StatusCode::OK);
    // Four charts, each a table whose rows carry their bars.
    assert_eq!(
        page.body.matches("dashboard-table").count(),
        4,
        "{}",
        page.body
    );
    let rows = page.body.matches("<th scope=\"row\">").count();
    assert_eq!(page.body.matches("class=\"dashboard-chart\"").count(), rows);
    assert!(page.body.contains("3,0 giorni"), "{}", page.body);
    assert!(
        page.body.contains("href=\"/staff?status=submitted\""),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("href=\"/staff?province=BG\"")
            || page.body.contains("href=\"/staff?province=MI\"")
    );
}
