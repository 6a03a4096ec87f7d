//! Administrators keep the back-office accounts on /admin/staff: invite an
//! officer (who sets a password from the emailed link and enrols the second
//! factor at first login), change roles, deactivate and reactivate, reset a
//! lost phone; never themselves, and never the last administrator. Every
//! change is an audit line.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use common::{TestApp, PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::db::entities::audit_entry;

async fn account_lines(app: &TestApp) -> Vec<(String, String, String)> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("account"))
        .order_by_asc(audit_entry::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.subject, l.old_value, l.new_value))
        .collect()
}

#[tokio::test]
async fn an_invited_officer_sets_a_password_and_enrols_at_first_login() {
    let app = TestApp::new().await;
    let mut capo = app
        .privileged_user("capo@regione.test", Role::Admin, "10.0.80.1")
        .await;
    let page = capo.get("/admin/staff").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("capo@regione.test"));

    // Errors by the field, what was typed kept.
    let r = capo
        .post(
            "/admin/staff",
            &[("email", "not-an-email"), ("role", "staff"), ("lang", "it")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("f-email-error") && r.body.contains("not-an-email"),
        "{}",
        r.body
    );
    let r = capo
        .post(
            "/admin/staff",
            &[
                ("email", "capo@regione.test"),
                ("role", "staff"),
                ("lang", "it"),
            ],
        )
        .await;
    assert!(r.body.contains("Esiste già un account"), "{}", r.body);
    let r = capo
        .post(
            "/admin/staff",
            &[
                ("email", "nuova@regione.test"),
                ("role", "proponent"),
                ("lang", "it"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = capo
        .post(
            "/admin/staff",
            &[
                ("email", "Nuova@Regione.test"),
                ("role", "staff"),
                ("lang", "en"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mail = app
        .outbox()
        .await
        .into_iter()
        .find(|m| m.to_addr == "nuova@regione.test")
        .expect("the invitation");
    assert!(
        mail.subject.contains("back-office account"),
        "{}",
        mail.subject
    );
    assert!(mail.body_text.contains("capo@regione.test"));
    let link = app.last_link_to("nuova@regione.test").await;
    let mut nuova = app.client("10.0.80.2");
    let form = nuova.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    let token = link.split("token=").nth(1).unwrap();
    let r = nuova
        .post(
            "/password/reset",
            &[
                ("token", token),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"notice\""), "{}", r.body);
    let r = nuova.login("nuova@regione.test", PASSWORD).await;
    assert!(r.location().starts_with("/login/code"), "{}", r.location());
    let enrol = nuova.get("/login/code").await;
    assert!(enrol.body.contains("<svg"), "enrolment at first login");
    assert_eq!(
        account_lines(&app).await,
        vec![(
            "nuova@regione.test".into(),
            "".into(),
            "created (staff)".into()
        )]
    );
}

#[tokio::test]
async fn roles_and_deactivation_end_sessions_and_spare_the_last_administrator() {
    let app = TestApp::new().await;
    let mut capo = app
        .privileged_user("capo@regione.test", Role::Admin, "10.0.81.1")
        .await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.81.2")
        .await;
    let anna_id = app.account("anna@regione.test").await.id;
    let capo_id = app.account("capo@regione.test").await.id;
    let to = |id: i64| format!("/admin/staff/{id}");

    // Staff cannot.
    let r = anna.post(&to(capo_id), &[("action", "deactivate")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Not oneself.
    for action in ["deactivate", "role"] {
        let r = capo
            .post(&to(capo_id), &[("action", action), ("role", "staff")])
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.body.contains("Non puoi cambiare il tuo ruolo"),
            "{}",
            r.body
        );
    }
    // Nonsense is a bad request; a proponent's account is not found here.
    let r = capo.post(&to(anna_id), &[("action", "explode")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // Anna becomes an administrator: her session ends, the new role applies at her next login.
    let r = capo
        .post(&to(anna_id), &[("action", "role"), ("role", "admin")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_ne!(anna.get("/staff").await.status, StatusCode::OK);
    assert_eq!(app.account("anna@regione.test").await.role, "admin");
    // Deactivated: no login.
    let r = capo.post(&to(anna_id), &[("action", "deactivate")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .client("10.0.81.3")
        .login("anna@regione.test", PASSWORD)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Reactivated, and her lost phone forgotten: she enrols again.
    capo.post(&to(anna_id), &[("action", "reactivate")]).await;
    let r = capo
        .post(&to(anna_id), &[("action", "reset_second_factor")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let again = app.account("anna@regione.test").await;
    assert!(again.deactivated_at.is_none() && again.totp_secret.is_none());
    let mut back = app.client("10.0.81.4");
    back.login("anna@regione.test", PASSWORD).await;
    assert!(back.get("/login/code").await.body.contains("<svg"));

    // Two administrators demoting each other at once: one of them stays.
    let mut anna = back;
    app.give_second_factor(&mut anna, "anna@regione.test").await;
    let (to_anna, to_capo) = (to(anna_id), to(capo_id));
    let demote = [("action", "role"), ("role", "staff")];
    let (a, b) = tokio::join!(capo.post(&to_anna, &demote), anna.post(&to_capo, &demote));
    let admins = [
        app.account("capo@regione.test").await.role,
        app.account("anna@regione.test").await.role,
    ];
    assert_eq!(
        admins.iter().filter(|r| *r == "admin").count(),
        1,
        "{admins:?} after {} and {}",
        a.status,
        b.status
    );
    let lines = account_lines(&app).await;
    assert!(lines.contains(&(
        "anna@regione.test".into(),
        "active".into(),
        "deactivated".into()
    )));
    assert!(lines.contains(&("anna@regione.test".into(), "staff".into(), "admin".into())));
}
