//! What a hostile signed form costs the server, measured by a counting
//! allocator around the whole process (this test binary holds the portal):
//! the review's reproduction, a 1 MB PDF whose 2,000 `/ByteRange` entries all
//! point at one `<00>` gap, once alone and then 20 at once, over HTTP.
//! Before the fix one such file asked for 2 GB; the bound asserted here is
//! what the portal may spend on them now. Then twenty hostile files of every
//! kind the portal checks, at once: each waits for one of the heavy-check turns.

mod common;

use axum::http::StatusCode;
use common::signing::many_ranges_pdf;
use common::{rossi_with_draft, TestApp};
use std::sync::atomic::Ordering;

mod counting;
use counting::{LIVE, PEAK};

const MB: f64 = 1024.0 * 1024.0;

/// Runs `work` and returns the heap it needed above what was live before, in MB.
async fn peak_of<F: std::future::Future<Output = ()>>(work: F) -> f64 {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    work.await;
    (PEAK.load(Ordering::Relaxed).saturating_sub(before)) as f64 / MB
}

/// The tests of this file measure one process-wide counter: one at a time.
static MEASURING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_signed_forms_cost_a_bounded_amount_of_memory() {
    let _one_at_a_time = MEASURING.lock().await;
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

/// A PNG that declares `width` × `height` pixels and holds almost nothing.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        let body = [kind, data].concat();
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
        out
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    // A zlib stream of a few zero bytes: the decoder would ask for the rest.
    let idat = [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01];
    [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        chunk(b"IHDR", &ihdr),
        chunk(b"IDAT", &idat),
        chunk(b"IEND", &[]),
    ]
    .concat()
}

/// A workbook whose sheet inflates to 48 MB from a file of about 50 KB: under
/// the guard's 64 MB total, so the reader really inflates it.
fn zip_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let zeros = vec![b' '; 48 * 1024 * 1024];
    let entries: [(&str, &[u8]); 3] = [
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/worksheets/sheet1.xml", &zeros),
    ];
    for (name, data) in entries {
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A 5 MB GeoJSON perimeter whose `type` comes after a flat array of 2.5 million zeros.
fn long_geojson() -> Vec<u8> {
    let mut out = b"{\"coordinates\":[".to_vec();
    out.extend(std::iter::repeat_n(&b"0,"[..], 2_500_000).flatten());
    out.extend_from_slice(b"0],\"type\":\"Polygon\"}");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_hostile_files_of_every_kind_at_once_stay_bounded() {
    let _one_at_a_time = MEASURING.lock().await;
    let app = TestApp::new().await;
    let mut clients = Vec::new();
    for n in 0..20 {
        let email = format!("mixed{n}@example.it");
        let (mut client, base) = rossi_with_draft(&app, &email, &format!("10.0.10.{n}")).await;
        client.get("/").await;
        clients.push((client, base));
    }
    // (path under the draft, field, file name, body, expected status)
    let kinds: [(&str, &str, &str, Vec<u8>, StatusCode); 4] = [
        (
            "forms?purpose=form_a",
            "form_a",
            "a.pdf",
            many_ranges_pdf(),
            StatusCode::SEE_OTHER,
        ),
        (
            "attachments?purpose=photo",
            "photo",
            "bomb.png",
            png_declaring(30_000, 30_000),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "template",
            "file",
            "bomb.xlsx",
            zip_bomb(),
            StatusCode::SEE_OTHER,
        ),
        (
            "attachments?purpose=perimeter",
            "perimeter",
            "long.geojson",
            long_geojson(),
            StatusCode::SEE_OTHER,
        ),
    ];
    let bodies: usize = kinds.iter().map(|k| k.3.len() * 5).sum();
    let started = std::time::Instant::now();
    let peak = peak_of(async {
        let mut tasks = Vec::new();
        for (n, (mut client, base)) in clients.drain(..).enumerate() {
            let (path, field, name, bytes, expected) = kinds[n % 4].clone();
            tasks.push(tokio::spawn(async move {
                let r = client
                    .upload_to(&format!("{base}/{path}"), field, name, &bytes)
                    .await;
                (name, r.status, expected, r.body)
            }));
        }
        for t in tasks {
            let (name, status, expected, body) = t.await.unwrap();
            assert_eq!(status, expected, "{name}");
            if name == "bomb.png" {
                assert!(body.contains("supera i 40 megapixel"), "{body}");
            }
        }
    })
    .await;
    println!(
        "20 hostile files at once (5 each: many-ranges PDF, PNG declaring 900 megapixels, \
         xlsx inflating to 48 MB, 5 MB GeoJSON): peak heap {peak:.1} MB \
         (including {:.1} MB of request bodies) in {:?}",
        bodies as f64 / MB,
        started.elapsed()
    );
    assert!(peak < 160.0, "20 hostile files took {peak:.1} MB");
}
