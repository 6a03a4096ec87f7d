//! Upload benchmark, server side, in one process (no network): a proponent's
//! filled templates (50 KB and 5 MB), a 20 MB PDF attachment and signed forms
//! (a 20 MB CAdES envelope, verified) through the real router, database (SQLite
//! in a temporary folder) and disk; then 20 concurrent 20 MB uploads, with the
//! peak heap measured by a counting allocator.
//!
//!     cargo run --release -p server --example upload_bench
//!
//! Prints figures; asserts only that the uploads were accepted.

use axum::http::StatusCode;
use std::sync::atomic::Ordering;
use std::time::Instant;

#[path = "shared/session.rs"]
mod session;
use session::{multipart, Session};

#[path = "../tests/counting/mod.rs"]
mod counting;
use counting::{LIVE, PEAK};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A PDF of `size` bytes: a valid header, then incompressible filler.
fn pdf(size: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < size {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(&seed.to_le_bytes());
    }
    out.truncate(size);
    out
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("upload-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::env::set_var("PORTAL_DATA_DIR", &dir);
    std::env::set_var(
        "DATABASE_URL",
        format!("sqlite://{}/bench.db?mode=rwc", dir.display()),
    );
    std::env::set_var("PORTAL_OUTBOX_WORKER", "false");
    std::env::set_var("PORTAL_TRUST_PROXY", "true");
    let anchors = server::demo_pki::ensure(&dir.join("demo-pki")).unwrap();
    std::env::set_var("PORTAL_TRUST_ANCHORS", &anchors);
    let config = server::config::Config::from_env().unwrap();
    let state = server::build_state(config).await.unwrap();
    let router = server::web::router(state.clone());
    let email = "bench@example.it";
    let password = "Benchmark-password-2028";
    let now = state.clock.now();
    server::accounts::operations::create_user(
        &state.db,
        email,
        password,
        app::view_data::Role::Proponent,
        app::Lang::It,
        true,
        now,
    )
    .await
    .unwrap();

    let mut s = Session::logged_in(router, email, password).await;
    let location = s.post_form("/candidacies", &[("kind", "a")]).await;
    let base = location.trim_end_matches("/location").to_string();
    s.post_form(
        &format!("{base}/location"),
        &[
            ("municipality", "Bergamo (BG)"),
            ("address", "Via Grumello 57"),
            ("postcode", "24127"),
            ("latitude", "45.69"),
            ("longitude", "9.64"),
        ],
    )
    .await;

    // The prefilled template as downloaded, uploaded back (read + validate + record).
    let call = forms::Call::embedded();
    let template = forms::template::write(
        call,
        forms::Kind::Settlement,
        forms::Lang::It,
        &Default::default(),
    )
    .unwrap();
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        assert_eq!(
            s.upload(
                &format!("{base}/template"),
                "file",
                "modello.xlsx",
                &template
            )
            .await,
            StatusCode::SEE_OTHER
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "upload + validate the template ({} KB): median {:.1} ms over 20",
        template.len() / 1024,
        median(times)
    );

    // A 5 MB filled template: a complete data sheet plus a notes sheet of random text.
    let large = forms::sample::five_megabyte_upload(forms::Kind::Settlement);
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let path = format!("{base}/template");
        assert_eq!(
            s.upload(&path, "file", "grande.xlsx", &large).await,
            StatusCode::SEE_OTHER
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "upload + validate a {:.1} MB filled template: median {:.1} ms over 10",
        large.len() as f64 / 1048576.0,
        median(times)
    );

    // Signed forms: the proponent's profile names the signer; form A downloaded,
    // signed with the demo certificate (CAdES), uploaded and verified.
    s.post_form(
        "/profile",
        &[
            ("subject_type", "person"),
            ("name", "Maria Rossi"),
            ("tax_code", "RSSMRA80A41F205B"),
            ("address", "Via Roma 1"),
            ("postcode", "24121"),
            ("city", "Bergamo"),
            ("email", email),
            ("phone", "+39 035 123 4567"),
            ("property_role", "owner"),
        ],
    )
    .await;
    let form_a = s.download(&format!("{base}/forms/A.pdf")).await;
    let signed = server::demo_pki::sign(&dir.join("demo-pki"), &form_a).unwrap();
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let path = format!("{base}/forms?purpose=form_a");
        assert_eq!(
            s.upload(&path, "form_a", "a.p7m", &signed).await,
            StatusCode::SEE_OTHER
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "upload + verify form A signed as CAdES ({} KB): median {:.1} ms over 20",
        signed.len() / 1024,
        median(times)
    );
    // The same check on a 20 MB signed file: hashing dominates.
    let mut padded = form_a.clone();
    padded.extend(pdf(20 * 1024 * 1024 - form_a.len()).into_iter().skip(9));
    let signed_big = server::demo_pki::sign(&dir.join("demo-pki"), &padded).unwrap();
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let path = format!("{base}/forms?purpose=form_a");
        assert_eq!(
            s.upload(&path, "form_a", "a.p7m", &signed_big).await,
            StatusCode::SEE_OTHER
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "upload + verify a {:.1} MB CAdES envelope: median {:.1} ms over 10",
        signed_big.len() as f64 / 1048576.0,
        median(times)
    );

    let big = pdf(20 * 1024 * 1024);
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let path = format!("{base}/attachments?purpose=cadastral_extract");
        assert_eq!(
            s.upload(&path, "cadastral_extract", "estratto.pdf", &big)
                .await,
            StatusCode::SEE_OTHER
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "upload + check a 20 MB PDF: median {:.1} ms over 10 (received to disk, hashed, sniffed)",
        median(times)
    );

    // 20 at once, each a different 20 MB PDF for the cadastral extract (accepted, stored).
    // The request bodies (20 × 20 MB) are built before the measurement starts and are
    // freed as the server consumes them; the peak is the heap above that starting point.
    let bodies: Vec<Vec<u8>> = (0..20)
        .map(|i| {
            multipart(
                &s.csrf,
                "cadastral_extract",
                "estratto.pdf",
                &pdf(20 * 1024 * 1024 - i),
            )
        })
        .collect();
    let base_live = LIVE.load(Ordering::Relaxed);
    PEAK.store(base_live, Ordering::Relaxed);
    let t = Instant::now();
    let mut tasks = Vec::new();
    for body in bodies {
        let s = s.clone();
        let path = format!("{base}/attachments?purpose=cadastral_extract");
        tasks.push(tokio::spawn(
            async move { s.send_multipart(&path, body).await },
        ));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::SEE_OTHER);
    }
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base_live);
    println!(
        "20 concurrent 20 MB uploads: {:.1} s in all, peak heap above the prepared request bodies {:.1} MB",
        t.elapsed().as_secs_f64(),
        peak as f64 / 1048576.0
    );
    std::fs::remove_dir_all(&dir).ok();
}
