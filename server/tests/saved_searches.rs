//! Saved searches over HTTP and through the email worker: an investor keeps a
//! search of the catalogue, hears of the sites that come online and match it
//! (each once, at most one email a week, one email even when two instances
//! compare at once), and ends it from the email in one click, logged in or not.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use common::smtp::{free_port, smtp_worker, SmtpSink};
use common::{Client, TestApp};
use sea_orm::{EntityTrait, PaginatorTrait};
use server::catalogue::saved;
use server::db::entities::saved_search;
use server::review::publication::Snapshot;

/// A made-up site in `town` titled `title`.
fn site(town: &str, title: &str) -> Snapshot {
    common::site(
        town,
        45.6,
        9.6,
        &[("title_it", title), ("land_area", "12000")],
    )
}

/// Puts `sites` online as an officer would, in one publication run.
async fn publish(app: &TestApp, sites: Vec<Snapshot>) -> Vec<String> {
    let officer = app.account("anna@regione.test").await.id;
    server::seed::publish_all(&app.state.db, officer, sites, app.state.clock.now())
        .await
        .unwrap()
}

/// The saved-search emails queued for `to`, oldest first: (subject, text, HTML).
async fn news_to(app: &TestApp, to: &str) -> Vec<(String, String, String)> {
    app.outbox()
        .await
        .into_iter()
        .filter(|m| m.to_addr == to && m.template == "saved_search_news")
        .map(|m| (m.subject, m.body_text, m.body_html))
        .collect()
}

/// An investor with the search "province=BG" saved under the name it suggested.
async fn investor_with_search(app: &TestApp, email: &str, ip: &str) -> Client {
    let mut investor = app.user(email, "investor", ip).await;
    let list = investor.get("/opportunita?province=BG").await;
    assert!(list.body.contains("Salva questa ricerca"), "{}", list.body);
    assert!(list.body.contains("value=\"province=BG\""), "{}", list.body);
    let r = investor
        .post(
            "/account/searches",
            &[("query", "province=BG"), ("name", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/account/searches?saved=1");
    investor
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_investor_hears_of_new_matching_sites_once_each_at_most_weekly() {
    let app = TestApp::new().await;
    app.staff_account("anna@regione.test", Role::Staff).await;
    // Online before the search is saved: the investor has seen it.
    publish(&app, vec![site("Dalmine", "Capannone già visto")]).await;
    let mut investor = investor_with_search(&app, "inv@example.it", "10.0.60.1").await;
    let page = investor.get("/account/searches?saved=1").await;
    assert!(page.body.contains("Ricerca salvata"), "{}", page.body);
    assert!(page.body.contains("Provincia: Bergamo"), "{}", page.body);
    assert!(page.body.contains("nessuna email finora"), "{}", page.body);
    assert_eq!(saved::notify(&app.state).await.unwrap(), 0);

    // One new site that matches, one that does not: one email, about the first.
    publish(
        &app,
        vec![
            site("Treviglio", "Area logistica a Treviglio"),
            site("Lodi", "Area a Lodi"),
        ],
    )
    .await;
    assert_eq!(saved::notify(&app.state).await.unwrap(), 1);
    let news = news_to(&app, "inv@example.it").await;
    assert_eq!(news.len(), 1);
    let (subject, text, _) = &news[0];
    assert_eq!(
        subject,
        "Nuovi siti per la ricerca «Provincia: Bergamo» - Opportunity Lombardy"
    );
    assert!(text.contains("È online un nuovo sito"), "{text}");
    assert!(text.contains("Area logistica a Treviglio"), "{text}");
    assert!(
        text.contains("http://portal.test/opportunita/OL-"),
        "{text}"
    );
    assert!(
        !text.contains("Lodi") && !text.contains("già visto"),
        "{text}"
    );
    assert!(
        text.contains("http://portal.test/opportunita?province=BG"),
        "{text}"
    );
    assert!(
        text.contains("http://portal.test/searches/unsubscribe/"),
        "{text}"
    );

    // Another match within the week: nothing yet, and nothing twice.
    publish(&app, vec![site("Bergamo", "Edificio in città")]).await;
    assert_eq!(saved::notify(&app.state).await.unwrap(), 0);
    app.state.clock.advance(chrono::Duration::days(6));
    assert_eq!(saved::notify(&app.state).await.unwrap(), 0);
    // A week after the first email, two instances compare at once: one email,
    // naming only the site not told before.
    app.state.clock.advance(chrono::Duration::days(1));
    let (second, _) = app.second_instance().await;
    second.clock.set(app.state.clock.now());
    let tasks = [app.state.clone(), second.clone()]
        .map(|state| tokio::spawn(async move { saved::notify(&state).await.unwrap() }));
    let mut sent = 0;
    for t in tasks {
        sent += t.await.unwrap();
    }
    assert_eq!(sent, 1);
    let news = news_to(&app, "inv@example.it").await;
    assert_eq!(news.len(), 2);
    assert!(news[1].1.contains("Edificio in città"), "{}", news[1].1);
    assert!(!news[1].1.contains("Treviglio"), "{}", news[1].1);
    // Nothing new: nothing more, even a week later.
    app.state.clock.advance(chrono::Duration::days(8));
    assert_eq!(saved::notify(&app.state).await.unwrap(), 0);
    // Two weeks on, the session has ended: logged in again, the list says when.
    investor.login("inv@example.it", common::PASSWORD).await;
    let page = investor.get("/account/searches").await;
    assert!(page.body.contains("ultima email il"), "{}", page.body);
}

#[tokio::test]
async fn more_than_ten_new_sites_are_counted_and_linked() {
    let app = TestApp::new().await;
    app.staff_account("anna@regione.test", Role::Staff).await;
    let _investor = investor_with_search(&app, "many@example.it", "10.0.60.2").await;
    let sites = (1..=13)
        .map(|n| site("Bergamo", &format!("Lotto *{n}* [prova](http://evil.test)")))
        .collect();
    publish(&app, sites).await;
    assert_eq!(saved::notify(&app.state).await.unwrap(), 1);
    let (_, text, html) = news_to(&app, "many@example.it").await.pop().unwrap();
    assert!(text.contains("Sono online 13 nuovi siti"), "{text}");
    assert!(text.contains("…e altri 3, al link qui sotto."), "{text}");
    // A proponent's title is text, never a link or emphasis of theirs.
    assert!(!html.contains("href=\"http://evil.test"), "{html}");
    assert!(!html.contains("<em>1</em>"), "{html}");
    let listed = text.matches("http://portal.test/opportunita/OL-").count();
    assert_eq!(listed, 10, "{text}");
}

#[tokio::test]
async fn the_email_stops_in_one_click_without_a_session() {
    let app = TestApp::new().await;
    app.staff_account("anna@regione.test", Role::Staff).await;
    let _investor = investor_with_search(&app, "stop@example.it", "10.0.60.3").await;
    publish(&app, vec![site("Bergamo", "Area da non perdere")]).await;
    assert_eq!(saved::notify(&app.state).await.unwrap(), 1);

    // Through a real SMTP server: mail programs find the one-click address.
    let port = free_port();
    let sink = SmtpSink::start(port);
    let worker = smtp_worker(port);
    assert!(worker.process_due(&app.state).await.unwrap() >= 1);
    let message = sink
        .received()
        .into_iter()
        .filter(|m| m.to == ["stop@example.it"])
        .next_back()
        .expect("the search's email, after the verification link");
    let data = message.data.replace("\r\n ", " ");
    let link = data
        .split("List-Unsubscribe: <")
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap_or_else(|| panic!("no List-Unsubscribe header: {data}"))
        .to_string();
    assert!(
        data.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{data}"
    );
    let path = link.strip_prefix("http://portal.test").unwrap().to_string();
    assert!(path.starts_with("/searches/unsubscribe/"), "{path}");

    // The link's page, for anyone who has it: the search, and a button.
    let mut anyone = app.client("10.0.60.9");
    let r = anyone.get(&path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Provincia: Bergamo"), "{}", r.body);
    // A mail program's one-click POST: no cookie, no form token.
    let mut mail_program = app.client("10.0.60.10");
    let r = mail_program
        .post_raw(&path, "List-Unsubscribe=One-Click", &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        saved_search::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    // Again, or a made-up secret: nothing to stop, and said so.
    let r = anyone.get(&path).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.body.contains("non interrompe più alcuna ricerca"),
        "{}",
        r.body
    );
    // A mail program trying again is told it is done; a made-up secret
    // stops nothing; what cannot be a secret is not even looked up.
    let again = mail_program
        .post_raw(&path, "List-Unsubscribe=One-Click", &[])
        .await;
    assert_eq!(again.status, StatusCode::OK);
    let forged = format!("/searches/unsubscribe/{}", "A".repeat(43));
    assert_eq!(anyone.get(&forged).await.status, StatusCode::NOT_FOUND);
    let r = anyone.post_raw("/searches/unsubscribe/x/y", "", &[]).await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "not a link of ours: {}",
        r.status
    );
    // No more emails for it.
    publish(&app, vec![site("Bergamo", "Un'altra area")]).await;
    app.state.clock.advance(chrono::Duration::days(8));
    assert_eq!(saved::notify(&app.state).await.unwrap(), 0);
}

#[tokio::test]
async fn saving_says_what_is_wrong_by_its_field_and_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let mut investor = app.user("typo@example.it", "investor", "10.0.60.4").await;
    let long = "Capannoni ".repeat(9);
    let r = investor
        .post(
            "/account/searches",
            &[("query", "province=MI"), ("name", &long)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Scriva un nome di 80 caratteri al massimo"),
        "{}",
        r.body
    );
    assert!(r.body.contains(long.trim_end()), "the name typed is kept");
    assert!(r.body.contains("Provincia: Milano"), "{}", r.body);
    assert!(r.body.contains("value=\"province=MI\""), "{}", r.body);

    let r = investor
        .post(
            "/account/searches",
            &[("query", "land_min=tanto"), ("name", "Grandi")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("non sono leggibili"), "{}", r.body);
    assert!(r.body.contains("value=\"Grandi\""), "{}", r.body);

    // In English, the same error in English.
    investor.get("/lang/en").await;
    for n in 0..saved::MAX_PER_ACCOUNT {
        let query = format!("land_min={n}");
        let r = investor
            .post("/account/searches", &[("query", &query), ("name", "")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{n}: {}", r.body);
    }
    let r = investor
        .post(
            "/account/searches",
            &[("query", "province=CO"), ("name", "One more")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("You already keep 20 searches"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"One more\""), "{}", r.body);
    assert_eq!(
        saved_search::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        saved::MAX_PER_ACCOUNT
    );
}

#[tokio::test]
async fn a_search_is_its_investors_alone() {
    let app = TestApp::new().await;
    let mut owner = investor_with_search(&app, "own@example.it", "10.0.60.5").await;
    let id = saved_search::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut other = app.user("other@example.it", "investor", "10.0.60.6").await;
    let r = other
        .post(&format!("/account/searches/{id}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!other
        .get("/account/searches")
        .await
        .body
        .contains("Provincia: Bergamo"));
    // A proponent has no saved searches and is offered none.
    let mut proponent = app.user("prop@example.it", "proponent", "10.0.60.7").await;
    assert_eq!(
        proponent.get("/account/searches").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(!proponent
        .get("/opportunita")
        .await
        .body
        .contains("Salva questa ricerca"));
    // A visitor without an account is asked to log in, and brought back.
    let mut visitor = app.client("10.0.60.8");
    let list = visitor.get("/opportunita?province=BG").await;
    assert!(
        list.body
            .contains("/login?next=%2Fopportunita%3Fprovince%3DBG"),
        "{}",
        list.body
    );
    let login = visitor
        .get("/login?next=%2Fopportunita%3Fprovince%3DBG")
        .await;
    assert!(
        login
            .body
            .contains("name=\"next\" value=\"/opportunita?province=BG\""),
        "{}",
        login.body
    );
    // The owner deletes it.
    let r = owner
        .post(&format!("/account/searches/{id}/delete"), &[])
        .await;
    assert_eq!(r.location(), "/account/searches?deleted=1");
    assert_eq!(
        saved_search::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
}
