//! The authorisation matrix: every route of the router, tried by everyone who
//! is not entitled to it (no account, another proponent, an investor, staff,
//! an admin, the owner a delegate gave read access to, a forged client
//! address), must be refused and change nothing. A route added to the router
//! without a row here fails `every_route_is_in_the_matrix`.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use common::{rossi_with_draft, Client, TestApp};
use sea_orm::{EntityTrait, PaginatorTrait};
use server::db::entities::{candidacy, document, owner, profile, saved_search, user};

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anyone,
    /// Any logged-in account.
    Account,
    Admin,
    /// A proponent, for their own account's data.
    Proponent,
    /// The candidacy's own proponent only.
    Own,
    /// The candidacy's proponent, or the owner given read access.
    OwnOrReader,
    /// Staff and admins: the back office.
    Officer,
    /// An investor, for their own account's data.
    Investor,
    /// The saved search's own investor only.
    OwnSearch,
}

/// (method, path as in `web/mod.rs`, who may use it).
const MATRIX: &[(&str, &str, Who)] = &[
    ("GET", "/", Who::Anyone),
    ("GET", "/info/{name}", Who::Anyone),
    ("GET", "/lang/{code}", Who::Anyone),
    ("GET", "/healthz", Who::Anyone),
    // The public catalogue: only versions online, for anyone (tests/catalogue.rs).
    ("GET", "/opportunita", Who::Anyone),
    ("GET", "/en/opportunities", Who::Anyone),
    ("GET", "/opportunita/{reference}", Who::Anyone),
    ("GET", "/en/opportunities/{reference}", Who::Anyone),
    (
        "GET",
        "/opportunita/{reference}/foto/{document}",
        Who::Anyone,
    ),
    ("GET", "/opportunita/{reference}/scheda.xlsx", Who::Anyone),
    ("GET", "/opportunita/{reference}/scheda.pdf", Who::Anyone),
    ("GET", "/opportunita/mappa.svg", Who::Anyone),
    ("GET", "/en/opportunities/map.svg", Who::Anyone),
    ("GET", "/opportunita/confronto", Who::Anyone),
    ("GET", "/en/opportunities/compare", Who::Anyone),
    ("GET", "/opportunita/confronto.xlsx", Who::Anyone),
    ("GET", "/en/opportunities/compare.xlsx", Who::Anyone),
    ("GET", "/dati-aperti", Who::Anyone),
    ("GET", "/en/open-data", Who::Anyone),
    ("GET", "/open-data/opportunities.csv", Who::Anyone),
    ("GET", "/open-data/opportunities.geojson", Who::Anyone),
    ("GET", "/open-data/catalogue.jsonld", Who::Anyone),
    ("GET", "/sitemap.xml", Who::Anyone),
    ("GET", "/robots.txt", Who::Anyone),
    ("GET", "/register", Who::Anyone),
    ("POST", "/register", Who::Anyone),
    ("GET", "/register/sent", Who::Anyone),
    ("GET", "/verify", Who::Anyone),
    ("POST", "/verify/resend", Who::Anyone),
    ("GET", "/login", Who::Anyone),
    ("POST", "/login", Who::Anyone),
    ("GET", "/login/code", Who::Anyone),
    ("POST", "/login/code", Who::Anyone),
    ("POST", "/logout", Who::Anyone),
    ("GET", "/password/forgot", Who::Anyone),
    ("POST", "/password/forgot", Who::Anyone),
    ("GET", "/password/reset", Who::Anyone),
    ("POST", "/password/reset", Who::Anyone),
    ("GET", "/account", Who::Account),
    ("POST", "/account/password", Who::Account),
    // Saved searches (tests/saved_searches.rs): the unsubscribe link is
    // authorised by its secret, for whoever holds it.
    ("GET", "/account/searches", Who::Investor),
    ("POST", "/account/searches", Who::Investor),
    ("POST", "/account/searches/{search}/delete", Who::OwnSearch),
    ("GET", "/searches/unsubscribe/{token}", Who::Anyone),
    ("POST", "/searches/unsubscribe/{token}", Who::Anyone),
    ("GET", "/admin/outbox", Who::Admin),
    ("GET", "/admin/staff", Who::Admin),
    ("POST", "/admin/staff", Who::Admin),
    ("POST", "/admin/staff/{id}", Who::Admin),
    ("GET", "/profile", Who::Proponent),
    ("POST", "/profile", Who::Proponent),
    ("GET", "/candidacies", Who::Proponent),
    ("POST", "/candidacies", Who::Proponent),
    ("GET", "/candidacies/{id}", Who::OwnOrReader),
    ("GET", "/candidacies/{id}/owner", Who::Own),
    ("POST", "/candidacies/{id}/owner", Who::Own),
    ("GET", "/candidacies/{id}/location", Who::Own),
    ("POST", "/candidacies/{id}/location", Who::Own),
    ("GET", "/candidacies/{id}/template", Who::Own),
    ("POST", "/candidacies/{id}/template", Who::Own),
    ("GET", "/candidacies/{id}/template.xlsx", Who::Own),
    ("GET", "/candidacies/{id}/attachments", Who::Own),
    ("POST", "/candidacies/{id}/attachments", Who::Own),
    (
        "POST",
        "/candidacies/{id}/attachments/{document}/delete",
        Who::Own,
    ),
    ("GET", "/candidacies/{id}/forms", Who::Own),
    ("POST", "/candidacies/{id}/forms", Who::Own),
    ("GET", "/candidacies/{id}/forms/{file}", Who::Own),
    ("GET", "/candidacies/{id}/submit", Who::OwnOrReader),
    ("POST", "/candidacies/{id}/submit", Who::Own),
    ("POST", "/candidacies/{id}/withdraw", Who::Own),
    ("GET", "/candidacies/{id}/receipt.pdf", Who::OwnOrReader),
    ("GET", "/candidacies/{id}/documents/{document}", Who::Own),
    ("GET", "/staff", Who::Officer),
    ("GET", "/staff/export.xlsx", Who::Officer),
    ("GET", "/staff/export.csv", Who::Officer),
    ("GET", "/staff/export.geojson", Who::Officer),
    ("GET", "/staff/dashboard", Who::Officer),
    ("GET", "/staff/audit", Who::Admin),
    ("GET", "/staff/audit.csv", Who::Admin),
    ("GET", "/staff/candidacies/{id}", Who::Officer),
    ("GET", "/staff/candidacies/{id}/audit", Who::Officer),
    ("GET", "/staff/candidacies/{id}/audit.csv", Who::Officer),
    ("POST", "/staff/candidacies/{id}/take", Who::Officer),
    ("POST", "/staff/candidacies/{id}/decide", Who::Officer),
    ("POST", "/staff/candidacies/{id}/assign", Who::Officer),
    ("POST", "/staff/candidacies/{id}/notes", Who::Officer),
    ("GET", "/staff/candidacies/{id}/publish", Who::Officer),
    ("POST", "/staff/candidacies/{id}/publish", Who::Officer),
    ("POST", "/staff/candidacies/{id}/unpublish", Who::Officer),
    ("POST", "/staff/candidacies/{id}/revise", Who::Officer),
    ("GET", "/staff/candidacies/{id}/integration", Who::Officer),
    ("POST", "/staff/candidacies/{id}/integration", Who::Officer),
    (
        "GET",
        "/staff/candidacies/{id}/documents/{document}",
        Who::Officer,
    ),
    (
        "GET",
        "/staff/candidacies/{id}/documents/{document}/thumbnail",
        Who::Officer,
    ),
];

/// Every `.route("…", get(…).post(…))` of the router's source, as (method, path).
fn routes_in_source() -> Vec<(String, String)> {
    let source = include_str!("../src/web/mod.rs");
    let mut out = Vec::new();
    for chunk in source.split(".route(").skip(1) {
        let path = chunk.split('"').nth(1).unwrap().to_string();
        // The handlers up to the next route: which methods it answers.
        let handlers = chunk.split(".route(").next().unwrap();
        let handlers = handlers.split(".merge(").next().unwrap();
        for (method, marker) in [("GET", "get("), ("POST", "post(")] {
            if handlers.contains(marker) || handlers.contains(&format!(".{marker}")) {
                out.push((method.to_string(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_route_is_in_the_matrix() {
    let routes = routes_in_source();
    assert!(routes.len() >= 40, "the source was read: {routes:?}");
    for (method, path) in &routes {
        assert!(
            MATRIX.iter().any(|(m, p, _)| m == method && p == path),
            "{method} {path} has no row in the authorisation matrix"
        );
    }
    for (method, path, _) in MATRIX {
        assert!(
            routes.iter().any(|(m, p)| m == method && p == path),
            "{method} {path} is in the matrix but not in the router"
        );
    }
}

/// Everything a refused request must not have changed.
async fn snapshot(
    app: &TestApp,
) -> (
    Vec<candidacy::Model>,
    u64,
    Vec<owner::Model>,
    Vec<profile::Model>,
    Vec<user::Model>,
    Vec<saved_search::Model>,
) {
    let db = &app.state.db;
    (
        candidacy::Entity::find().all(db).await.unwrap(),
        document::Entity::find().count(db).await.unwrap(),
        owner::Entity::find().all(db).await.unwrap(),
        profile::Entity::find().all(db).await.unwrap(),
        user::Entity::find().all(db).await.unwrap(),
        saved_search::Entity::find().all(db).await.unwrap(),
    )
}

fn refused(status: StatusCode, location: &str) -> bool {
    matches!(
        status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) || (status == StatusCode::SEE_OTHER && location.starts_with("/login"))
}

const PNG_NAME: &str = "foto.png";

async fn try_route(client: &mut Client, method: &str, path: &str) -> (StatusCode, String) {
    let r = if method == "GET" {
        client.get(path).await
    } else if path.ends_with("/attachments?purpose=photo")
        || path.contains("/forms?purpose=")
        || path.ends_with("/template")
    {
        let field = if path.ends_with("/template") {
            "file"
        } else {
            path.rsplit('=').next().unwrap()
        };
        client
            .upload_to(path, field, PNG_NAME, &forms::sample::photo_png())
            .await
    } else {
        client
            .post(
                path,
                &[("kind", "a"), ("confirm", "yes"), ("name", "Intruso")],
            )
            .await
    };
    let location = r.location().to_string();
    (r.status, location)
}

fn concrete(path: &str, id: i64, document: i64) -> String {
    let path = path
        .replace("{id}", &id.to_string())
        // The one saved search there is: another investor's.
        .replace("{search}", "1")
        .replace("{token}", "not-a-token")
        .replace("{document}", &document.to_string())
        .replace("{file}", "A.pdf")
        .replace("{name}", "privacy")
        .replace("{code}", "en");
    match path.as_str() {
        p if p.ends_with("/attachments") => format!("{p}?purpose=photo"),
        p if p.ends_with("/forms") => format!("{p}?purpose=form_a"),
        _ => path,
    }
}

/// A proponent filing as a delegate for an owner with `owner_email`, who may
/// read it if `read_access`: (the delegate, the delegated draft's address).
async fn delegate_for(
    app: &TestApp,
    email: &str,
    ip: &str,
    owner_email: &str,
    read_access: bool,
) -> (Client, String) {
    let (mut delegate, _) = rossi_with_draft(app, email, ip).await;
    let r = delegate
        .post("/candidacies", &[("kind", "a"), ("on_behalf", "new")])
        .await;
    let base = r.location().trim_end_matches("/owner").to_string();
    let mut owner = vec![
        ("subject_type", "person"),
        ("name", "Mario Rossi"),
        ("tax_code", "RSSMRA85T10A562S"),
        ("address", "Via Roma 1"),
        ("postcode", "24044"),
        ("city", "Dalmine"),
        ("email", owner_email),
        ("phone", "+39 035 123 4567"),
        ("property_role", "owner"),
    ];
    if read_access {
        owner.push(("read_access", "yes"));
    }
    let r = delegate.post(&format!("{base}/owner"), &owner).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    (delegate, base)
}

#[tokio::test]
async fn nobody_but_the_entitled_gets_through() {
    let app = TestApp::new().await;
    // Rossi's draft, with a photo: the records under attack.
    let (mut rossi, base) = rossi_with_draft(&app, "rossi@example.it", "10.0.13.1").await;
    let id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
    let r = rossi
        .upload_to(
            &format!("{base}/attachments?purpose=photo"),
            "photo",
            PNG_NAME,
            &forms::sample::photo_png(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let doc = document::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;

    let mut intruders: Vec<(&str, Client)> = vec![
        ("anonymous", app.client("10.0.13.2")),
        (
            "another proponent",
            rossi_with_draft(&app, "bianchi@example.it", "10.0.13.3")
                .await
                .0,
        ),
        (
            "investor",
            app.user("inv@example.it", "investor", "10.0.13.4").await,
        ),
        (
            "staff",
            app.privileged_user("staff@example.it", Role::Staff, "10.0.13.5")
                .await,
        ),
        (
            "admin",
            app.privileged_user("admin@example.it", Role::Admin, "10.0.13.6")
                .await,
        ),
    ];
    // A delegate, and the owner it gave read access to its own draft.
    let (delegate, _) = delegate_for(
        &app,
        "delegate@example.it",
        "10.0.13.8",
        "reader@example.it",
        true,
    )
    .await;
    intruders.push(("delegate", delegate));
    let (reader, _) = rossi_with_draft(&app, "reader@example.it", "10.0.13.9").await;
    intruders.push(("owner with read access", reader));
    // An administrator who gave the password but not the code: logged in
    // for nothing but the code page.
    app.staff_account("half@example.it", Role::Admin).await;
    let mut half = app.client("10.0.13.11");
    let r = half.login("half@example.it", common::PASSWORD).await;
    assert!(r.location().starts_with("/login/code"), "{}", r.location());
    intruders.push(("password only", half));
    // A stranger who claims, in X-Forwarded-For, to come from Rossi's address.
    let mut forged = rossi_with_draft(&app, "forger@example.it", "10.0.13.1, 10.0.13.7")
        .await
        .0;
    forged.ip = "10.0.13.1, 10.0.13.7".into();
    intruders.push(("forged address", forged));

    // Another investor's saved search: the record under attack on its routes.
    let mut searcher = app
        .user("searcher@example.it", "investor", "10.0.13.12")
        .await;
    let r = searcher
        .post(
            "/account/searches",
            &[("query", "province=BG"), ("name", "Bergamo")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let before = snapshot(&app).await;
    assert_eq!(before.5.len(), 1);
    assert_eq!(before.5[0].id, 1, "the matrix names it by its number");
    for (method, path, who) in MATRIX {
        let path = concrete(path, id, doc);
        for (name, client) in intruders.iter_mut() {
            let entitled = match who {
                Who::Anyone => true,
                Who::Account => !matches!(*name, "anonymous" | "password only"),
                Who::Admin => *name == "admin",
                Who::Proponent => !matches!(
                    *name,
                    "anonymous" | "investor" | "staff" | "admin" | "password only"
                ),
                Who::Own | Who::OwnOrReader | Who::OwnSearch => false,
                Who::Investor => *name == "investor",
                // Rossi's draft is not theirs to see: only the queue is.
                Who::Officer => {
                    matches!(*name, "staff" | "admin") && !path.starts_with("/staff/candidacies/")
                }
            };
            if entitled {
                continue;
            }
            let (status, location) = try_route(client, method, &path).await;
            assert!(
                refused(status, &location),
                "{name}: {method} {path} answered {status} {location}"
            );
        }
    }
    assert!(
        snapshot(&app).await == before,
        "a refused request changed something"
    );
    println!(
        "authorisation matrix: {} routes × {} intruders, plus the proponent's own pages",
        MATRIX.len(),
        intruders.len()
    );

    // Rossi's file reached through another proponent's own candidacy: not found, not removed.
    let (mut bianchi, bianchi_base) =
        rossi_with_draft(&app, "cross@example.it", "10.0.13.10").await;
    let r = bianchi
        .get(&format!("{bianchi_base}/documents/{doc}"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = bianchi
        .post(&format!("{bianchi_base}/attachments/{doc}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let still = document::Entity::find_by_id(doc)
        .one(&app.state.db)
        .await
        .unwrap();
    assert!(still.is_some(), "Rossi's file is still there");

    // The proponent reads every page of the candidacy (a draft has no receipt yet).
    for (method, path, who) in MATRIX {
        if *method != "GET"
            || !matches!(who, Who::Own | Who::OwnOrReader)
            || path.ends_with("receipt.pdf")
        {
            continue;
        }
        let path = concrete(path, id, doc);
        let (status, location) = try_route(&mut rossi, method, &path).await;
        assert!(
            !refused(status, &location) && !status.is_server_error(),
            "rossi: GET {path} answered {status} {location}"
        );
    }
}

#[tokio::test]
async fn a_state_change_without_its_form_token_is_refused() {
    let app = TestApp::new().await;
    let (mut rossi, base) = rossi_with_draft(&app, "token@example.it", "10.0.13.8").await;
    let before = snapshot(&app).await;
    for (method, path, who) in MATRIX {
        if *method != "POST" || *who == Who::Anyone {
            continue;
        }
        let id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
        let path = concrete(path, id, 1);
        let r = rossi.post_raw(&path, "kind=a&confirm=yes", &[]).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "POST {path} without its token"
        );
    }
    assert!(snapshot(&app).await == before);
}

#[tokio::test]
async fn an_owner_reads_only_what_read_access_was_given_for() {
    let app = TestApp::new().await;
    let (_, with) =
        delegate_for(&app, "d1@example.it", "10.0.14.1", "owner@example.it", true).await;
    let (_, without) = delegate_for(
        &app,
        "d2@example.it",
        "10.0.14.2",
        "owner@example.it",
        false,
    )
    .await;
    let (mut owner, _) = rossi_with_draft(&app, "owner@example.it", "10.0.14.3").await;
    assert_eq!(
        owner.get(&format!("{with}/submit")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        owner.get(&format!("{without}/submit")).await.status,
        StatusCode::NOT_FOUND
    );
    // Reading is all: none of the delegate's steps open for the owner.
    for step in ["owner", "location", "template", "attachments", "forms"] {
        let r = owner.get(&format!("{with}/{step}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{step}");
    }
}
