//! What a hostile signed form costs the server, measured by a counting
//! allocator around the whole process (this test binary holds the portal):
//! the review's reproduction, a 1 MB PDF whose 2,000 `/ByteRange` entries all
//! point at one `<00>` gap, once alone and then 20 at once, over HTTP.
//! Before the fix one such file asked for 2 GB; the bound asserted here is
//! what the portal may spend on them now.

mod common;

use axum::http::StatusCode;
use common::signing::many_ranges_pdf;
use common::{rossi_with_draft, TestApp};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: f64 = 1024.0 * 1024.0;

/// Runs `work` and returns the heap it needed above what was live before, in MB.
async fn peak_of<F: std::future::Future<Output = ()>>(work: F) -> f64 {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    work.await;
    (PEAK.load(Ordering::Relaxed).saturating_sub(before)) as f64 / MB
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_signed_forms_cost_a_bounded_amount_of_memory() {
    let app = TestApp::new().await;
    let mut clients = Vec::new();
    for n in 0..20 {
        let email = format!("hostile{n}@example.it");
        clients.push(rossi_with_draft(&app, &email, &format!("10.0.9.{n}")).await);
    }
    let pdf = many_ranges_pdf();
    // Each client has fetched its CSRF token; the bodies are built before measuring.
    for (client, _) in &mut clients {
        client.get("/").await;
    }

    let (one, base) = &mut clients[0];
    let path = format!("{base}/forms?purpose=form_a");
    let started = std::time::Instant::now();
    let single = peak_of(async {
        let r = one.upload_to(&path, "form_a", "a.pdf", &pdf).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    })
    .await;
    let single_time = started.elapsed();
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("invalid")
    );

    let started = std::time::Instant::now();
    let twenty = peak_of(async {
        let mut tasks = Vec::new();
        for (mut client, base) in clients.drain(..) {
            let pdf = pdf.clone();
            tasks.push(tokio::spawn(async move {
                let path = format!("{base}/forms?purpose=form_a");
                client
                    .upload_to(&path, "form_a", "a.pdf", &pdf)
                    .await
                    .status
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), StatusCode::SEE_OTHER);
        }
    })
    .await;
    println!(
        "many-ranges PDF (1 MB, 2,000 ranges): peak heap {single:.1} MB in {single_time:?}; \
         20 at once: peak heap {twenty:.1} MB (including the 20 request bodies, 20 MB) in {:?}",
        started.elapsed()
    );
    // The bound: a few copies of the file per request, never one per range.
    assert!(single < 16.0, "one hostile PDF took {single:.1} MB");
    assert!(twenty < 160.0, "20 hostile PDFs took {twenty:.1} MB");
}
