//! Slow clients over a real socket: headers that never end, an upload that
//! stops half-way, an upload that drips just fast enough to stay alive. Each is
//! ended by the server within its limit instead of holding a connection for as
//! long as the client likes.

mod common;

use common::{rossi_with_draft, Client, TestApp};
use sea_orm::EntityTrait;
use server::db::entities::document;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn app() -> TestApp {
    TestApp::new_with(|c| {
        c.limits.header_timeout = Duration::from_secs(1);
        c.limits.body_idle = Duration::from_secs(1);
        c.limits.request_timeout = Duration::from_secs(3);
    })
    .await
}

/// The portal on a free local port, as `portal-server serve` runs it.
async fn listen(app: &TestApp) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let limits = app.state.config.limits.clone();
    tokio::spawn(async move {
        server::web::listen::serve(listener, router, &limits, std::future::pending()).await
    });
    addr
}

/// Reads until the server closes the connection, at most `within`: what it
/// said, or `None` if it kept the connection open all that time.
async fn answer_within(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut out = Vec::new();
    match tokio::time::timeout(within, stream.read_to_end(&mut out)).await {
        Ok(_) => Some(String::from_utf8_lossy(&out).into_owned()),
        Err(_) => None,
    }
}

/// The head of a photo upload as `client` would send it, announcing `length` bytes.
fn upload_head(client: &Client, base: &str, length: usize) -> String {
    let cookies: Vec<String> = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!(
        "POST {base}/attachments?purpose=photo HTTP/1.1\r\nHost: portal.test\r\n\
         Cookie: {}\r\nContent-Type: multipart/form-data; boundary=slow\r\n\
         Content-Length: {length}\r\n\r\n{}\
         --slow\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\r\n",
        cookies.join("; "),
        common::csrf_part("slow", &client.csrf()),
    )
}

/// A proponent's connection to the listening portal, with the head of a
/// 100 kB photo upload sent and none of its file yet.
async fn start_upload(app: &TestApp, email: &str) -> TcpStream {
    let (mut client, base) = rossi_with_draft(app, email, "10.0.11.1").await;
    client.get("/").await;
    let addr = listen(app).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(upload_head(&client, &base, 100_000).as_bytes())
        .await
        .unwrap();
    stream
}

#[tokio::test]
async fn headers_that_never_end_are_cut_off() {
    let app = app().await;
    let addr = listen(&app).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: portal.test\r\n")
        .await
        .unwrap();
    let started = Instant::now();

    // An honest client on another connection is served meanwhile.
    let mut honest = TcpStream::connect(addr).await.unwrap();
    honest
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: portal.test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = answer_within(&mut honest, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let answer = answer_within(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.is_some(), "the connection stayed open for 10 s");
    println!("unfinished headers: closed after {:?}", started.elapsed());
}

#[tokio::test]
async fn an_upload_that_stops_half_way_is_dropped() {
    let app = app().await;
    let mut stream = start_upload(&app, "slow@example.it").await;
    stream.write_all(&[0u8; 1000]).await.unwrap();
    let started = Instant::now();
    let answer = answer_within(&mut stream, Duration::from_secs(10)).await;
    let answer = answer.expect("the half-sent upload held the connection for 10 s");
    let waited = started.elapsed();
    println!("stalled upload: answered after {waited:?}");
    // Refused for being interrupted, after the body had been idle for its limit.
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    let kept = document::Entity::find().all(&app.state.db).await.unwrap();
    assert!(kept.is_empty(), "nothing was kept: {kept:?}");
}

#[tokio::test]
async fn an_upload_that_drips_is_ended_by_the_request_timeout() {
    let app = app().await;
    let stream = start_upload(&app, "drip@example.it").await;
    // One byte every 300 ms: never idle for a second, never finished.
    let started = Instant::now();
    let (mut read, mut write) = stream.into_split();
    let drip = tokio::spawn(async move {
        while write.write_all(&[0u8]).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    let mut out = Vec::new();
    let answered = tokio::time::timeout(Duration::from_secs(10), read.read_to_end(&mut out)).await;
    drip.abort();
    let waited = started.elapsed();
    // Ended by the server: a 408, or a reset when the drip lands after it
    // closed (the kernel may then drop the unread answer).
    assert!(answered.is_ok(), "the dripping upload went on for 10 s");
    let answer = String::from_utf8_lossy(&out);
    println!(
        "dripping upload: ended after {waited:?}: {:?}",
        answer.lines().next()
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(waited >= Duration::from_millis(2900), "{waited:?}");
}
