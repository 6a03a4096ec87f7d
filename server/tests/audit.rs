//! The audit log: every move, note, download and export leaves one line,
//! chained to the one before; the database refuses to change or delete a
//! line; a line changed behind the portal's back breaks the chain where it
//! was changed; appends at once keep one chain.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use common::drafts::{app, complete_draft};
use common::TestApp;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use server::audit::{self, Action, Entry, Verdict, Who};
use server::db::entities::{audit_entry, document};

async fn lines(app: &TestApp) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .order_by_asc(audit_entry::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn intact(app: &TestApp) -> i64 {
    match audit::verify(&app.state.db).await.unwrap() {
        Verdict::Intact { lines, .. } => lines,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn moves_notes_downloads_and_exports_each_leave_one_chained_line() {
    let app = app().await;
    let mut d = complete_draft(&app, "rossi@example.it", "10.0.60.1", &[]).await;
    let r = d.owner.post(&format!("{}/submit", d.base), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = d.base.rsplit('/').next().unwrap().parse().unwrap();
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.60.2")
        .await;
    let page = format!("/staff/candidacies/{id}");
    assert_eq!(
        anna.post(&format!("{page}/take"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let note = "=HYPERLINK(\"http://x\") telefonata col proprietario";
    assert_eq!(
        anna.post(&format!("{page}/notes"), &[("note", note)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let doc = document::Entity::find()
        .filter(document::Column::CandidacyId.eq(id))
        .filter(document::Column::Purpose.eq("photo"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let r = anna.get(&format!("{page}/documents/{}", doc.id)).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = anna.get("/staff/export.csv?province=BG").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = anna
        .post(&format!("{page}/decide"), &[("decision", "validate")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let anna_id = app.account("anna@regione.test").await.id;
    let rossi_id = app.account("rossi@example.it").await.id;
    let got: Vec<_> = lines(&app)
        .await
        .into_iter()
        .map(|l| {
            (
                l.seq,
                l.actor_id,
                l.candidacy_id,
                l.action,
                l.subject,
                l.old_value,
                l.new_value,
            )
        })
        .collect();
    let s = |v: &str| v.to_string();
    let photo = format!("{} (photo)", doc.original_name);
    assert_eq!(
        got,
        vec![
            (
                1,
                Some(rossi_id),
                Some(id),
                s("status"),
                s(""),
                s("draft"),
                s("submitted")
            ),
            (
                2,
                Some(anna_id),
                Some(id),
                s("status"),
                s(""),
                s("submitted"),
                s("under_review")
            ),
            (
                3,
                Some(anna_id),
                Some(id),
                s("note"),
                s("n. 1"),
                s(""),
                s("")
            ),
            (
                4,
                Some(anna_id),
                Some(id),
                s("download"),
                photo,
                s(""),
                s("")
            ),
            (5, Some(anna_id), None, s("export"), s("csv"), s(""), s("")),
            (
                6,
                Some(anna_id),
                Some(id),
                s("status"),
                s(""),
                s("under_review"),
                s("validated")
            ),
        ]
    );
    assert_eq!(intact(&app).await, 6);
    let export = &lines(&app).await[4];
    assert_eq!(export.note, "province=BG");

    // The timeline, for any officer; the whole log, for administrators only.
    let timeline = anna.get(&format!("{page}/audit")).await;
    assert_eq!(timeline.status, StatusCode::OK);
    for shown in [
        "Nota interna",
        "Download di un documento",
        "Verificata",
        "anna@regione.test",
    ] {
        assert!(timeline.body.contains(shown), "{shown}: {}", timeline.body);
    }
    assert!(
        !timeline.body.contains("Esportazione"),
        "exports are not the candidacy's"
    );
    assert_eq!(anna.get("/staff/audit").await.status, StatusCode::FORBIDDEN);
    let mut admin = app
        .privileged_user("capo@regione.test", Role::Admin, "10.0.60.3")
        .await;
    let whole = admin.get("/staff/audit?verify=1").await;
    assert_eq!(whole.status, StatusCode::OK);
    assert!(whole.body.contains("La catena è integra"), "{}", whole.body);
    assert!(whole.body.contains("Esportazione"), "{}", whole.body);

    // The note's text stays with the notes: the log names it by number.
    assert!(!timeline.body.contains("HYPERLINK"));
    // The CSV: a header, then one row per line with its hash.
    let csv = anna.get(&format!("{page}/audit.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let rows: Vec<&str> = csv.body.lines().collect();
    assert_eq!(rows.len(), 1 + 5, "{}", csv.body);
    let last = lines(&app).await.pop().unwrap();
    assert!(rows[5].contains(&last.hash), "{}", rows[5]);
    // Reading the log is not a change, nor is Rossi reading his own file.
    let own = d
        .owner
        .get(&format!("{}/documents/{}", d.base, doc.id))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(intact(&app).await, 6);
}

#[tokio::test]
async fn the_database_refuses_changes_and_the_chain_shows_any_made_behind_its_back() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let now = app.state.clock.now();
    for n in 0..3 {
        let entry =
            Entry::new(Who::system(), Some(7), Action::Note).change("", format!("nota {n}"));
        audit::append_alone(db, entry, now).await.unwrap();
    }
    assert_eq!(intact(&app).await, 3);
    // Whatever the application does, the database says no.
    for sql in [
        "UPDATE audit_log SET note = 'riscritta' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3",
    ] {
        let refused = db.execute_unprepared(sql).await;
        assert!(refused.is_err(), "{sql}");
        assert!(format!("{:?}", refused.unwrap_err()).contains("append-only"));
    }
    if app.is_postgres() {
        assert!(db.execute_unprepared("TRUNCATE audit_log").await.is_err());
    }
    assert_eq!(lines(&app).await.len(), 3);

    // Someone who can drop the triggers changes line 2: the chain breaks there.
    let drop = if app.is_postgres() {
        vec!["DROP TRIGGER audit_log_no_change ON audit_log"]
    } else {
        vec![
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ]
    };
    for sql in drop {
        db.execute_unprepared(sql).await.unwrap();
    }
    let original = lines(&app).await[1].new_value.clone();
    db.execute_unprepared("UPDATE audit_log SET new_value = 'altro' WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(audit::verify(db).await.unwrap(), Verdict::BrokenAt(2));
    // Put back, it holds again; the last line removed, the head says so.
    db.execute_unprepared(&format!(
        "UPDATE audit_log SET new_value = '{original}' WHERE seq = 2"
    ))
    .await
    .unwrap();
    assert_eq!(intact(&app).await, 3);
    db.execute_unprepared("DELETE FROM audit_log WHERE seq = 3")
        .await
        .unwrap();
    assert_eq!(
        audit::verify(db).await.unwrap(),
        Verdict::Truncated {
            lines: 2,
            head_seq: 3
        }
    );
    // A line removed in the middle: the next one no longer follows.
    db.execute_unprepared("DELETE FROM audit_log WHERE seq = 1")
        .await
        .unwrap();
    assert_eq!(audit::verify(db).await.unwrap(), Verdict::BrokenAt(1));
}

#[tokio::test]
async fn appends_at_once_keep_one_chain_without_gaps() {
    let app = TestApp::new().await;
    let now = app.state.clock.now();
    let tasks = (0..24).map(|n| {
        let db = app.state.db.clone();
        tokio::spawn(async move {
            let entry =
                Entry::new(Who::system(), Some(n), Action::Download).subject(format!("f{n}"));
            audit::append_alone(&db, entry, now).await
        })
    });
    for t in futures_util::future::join_all(tasks).await {
        t.unwrap().unwrap();
    }
    let seqs: Vec<i64> = lines(&app).await.iter().map(|l| l.seq).collect();
    assert_eq!(seqs, (1..=24).collect::<Vec<_>>());
    assert_eq!(intact(&app).await, 24);
}

#[tokio::test]
async fn the_history_from_before_the_log_is_imported_once() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    use server::db::entities::candidacy_event;
    let app = TestApp::new().await;
    let db = &app.state.db;
    let (_, draft) = common::rossi_with_draft(&app, "rossi@example.it", "10.0.61.1").await;
    let rossi = app.account("rossi@example.it").await;
    let id: i64 = draft.rsplit('/').next().unwrap().parse().unwrap();
    for (from, to) in [("draft", "submitted"), ("submitted", "withdrawn")] {
        candidacy_event::ActiveModel {
            candidacy_id: Set(id),
            at: Set(common::at("2026-10-01T08:00:00Z")),
            actor_id: Set(rossi.id),
            actor_kind: Set("proponent".into()),
            from_status: Set(from.into()),
            to_status: Set(to.into()),
            note: Set(String::new()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    assert_eq!(audit::import_history(db).await.unwrap(), 2);
    assert_eq!(audit::import_history(db).await.unwrap(), 0);
    let got = lines(&app).await;
    assert_eq!(got.len(), 2);
    assert_eq!(
        (
            got[1].action.as_str(),
            got[1].old_value.as_str(),
            got[1].new_value.as_str()
        ),
        ("import", "submitted", "withdrawn")
    );
    assert_eq!(got[1].actor_id, Some(rossi.id));
    assert_eq!(intact(&app).await, 2);
}
