//! The benchmark's baseline: a bare axum handler on the same runtime settings as the
//! portal, so `./portal bench` can report the home page's cost as a ratio.

#[tokio::main]
async fn main() {
    let addr = std::env::var("PORTAL_ADDR").unwrap_or_else(|_| "127.0.0.1:3999".into());
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
