//! Attachments: each slot takes its own types, judged by content; refused files
//! are not kept; files can be removed; nobody else reaches them.

mod common;

use axum::http::StatusCode;
use common::{Client, TestApp};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 6, image::Rgb([0, 102, 204]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const GEOJSON: &[u8] =
    br#"{"type":"Polygon","coordinates":[[[9.64,45.69],[9.65,45.69],[9.65,45.70],[9.64,45.69]]]}"#;
const KML: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark/></kml>"#;

async fn draft(app: &TestApp, email: &str, ip: &str) -> (Client, String) {
    let mut owner = app.user(email, "proponent", ip).await;
    let r = owner.post("/candidacies", &[("kind", "a")]).await;
    let base = r.location().trim_end_matches("/location").to_string();
    (owner, base)
}

async fn attach(
    owner: &mut Client,
    base: &str,
    purpose: &str,
    name: &str,
    bytes: &[u8],
) -> common::TestResponse {
    let path = format!("{base}/attachments?purpose={purpose}");
    owner.upload_to(&path, purpose, name, bytes).await
}

fn stored_files(app: &TestApp) -> usize {
    let dir = app.state.config.data_dir.join("uploads");
    std::fs::read_dir(&dir)
        .map(|d| d.filter(|e| e.as_ref().unwrap().path().is_file()).count())
        .unwrap_or(0)
}

#[tokio::test]
async fn each_slot_takes_its_own_types_and_refused_files_are_not_kept() {
    let app = TestApp::new().await;
    let (mut owner, base) = draft(&app, "owner@example.it", "10.0.3.1").await;
    let page = owner.get(&format!("{base}/attachments")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("Nessun file: obbligatorio.").count(),
        3,
        "photo, perimeter, extract"
    );
    // Only the files the candidacy needs are marked mandatory: not the optional report.
    assert_eq!(
        page.body.matches("class=\"field-required\"").count(),
        3,
        "{}",
        page.body
    );

    assert_eq!(
        attach(&mut owner, &base, "photo", "facciata.png", &png())
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        attach(&mut owner, &base, "photo", "cortile.png", &png())
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        attach(&mut owner, &base, "cadastral_extract", "estratto.pdf", PDF)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        attach(&mut owner, &base, "perimeter", "perimetro.geojson", GEOJSON)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = owner.get(&format!("{base}/attachments")).await.body;
    for (name, kind) in [
        ("facciata.png", "PNG"),
        ("cortile.png", "PNG"),
        ("estratto.pdf", "PDF"),
        ("perimetro.geojson", "GeoJSON"),
    ] {
        assert!(page.contains(&format!(">{name}</a>")), "{name}");
        assert!(page.contains(&format!("({kind}, ")), "{kind}");
    }
    assert_eq!(
        stored_files(&app),
        4 - 1,
        "the two identical photos are stored once"
    );

    // A single-file slot: a new file replaces the old one.
    assert_eq!(
        attach(&mut owner, &base, "perimeter", "perimetro.kml", KML)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = owner.get(&format!("{base}/attachments")).await.body;
    assert!(
        page.contains(">perimetro.kml</a>")
            && page.contains("(KML, ")
            && !page.contains("perimetro.geojson")
    );

    let before = stored_files(&app);
    for (purpose, name, bytes, message) in [
        (
            "photo",
            "foto.png",
            PDF.to_vec(),
            "Questo tipo di file non è ammesso qui",
        ),
        (
            "cadastral_extract",
            "estratto.pdf",
            png(),
            "Questo tipo di file non è ammesso qui",
        ),
        (
            "photo",
            "foto.png",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "non è di un tipo ammesso qui",
        ),
        (
            "photo",
            "rotta.png",
            png()[..40].to_vec(),
            "L&#x27;immagine è danneggiata",
        ),
    ] {
        let r = attach(&mut owner, &base, purpose, name, &bytes).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            r.body.contains(&format!("id=\"f-{purpose}-error\"")),
            "{name}: error next to the chooser"
        );
        assert!(
            r.body.contains(message) || r.body.contains(&message.replace("&#x27;", "'")),
            "{name}: {message}"
        );
    }
    assert_eq!(stored_files(&app), before, "refused files are not kept");
    let tmp = app.state.config.data_dir.join("uploads").join("tmp");
    assert_eq!(std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0), 0);
}

#[tokio::test]
async fn a_jpeg_photo_is_taken_and_a_file_over_25_mb_is_refused_leaving_nothing() {
    let app = TestApp::new().await;
    let (mut owner, base) = draft(&app, "jpeg@example.it", "10.0.3.9").await;
    // A photo as phones and cameras save them.
    let r = attach(&mut owner, &base, "photo", "campo.jpg", &common::jpeg()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = owner.get(&format!("{base}/attachments")).await.body;
    assert!(
        page.contains(">campo.jpg</a>") && page.contains("(JPEG, "),
        "{page}"
    );

    // One byte over the limit: refused with the reason next to the field,
    // nothing kept, nothing left half-written in tmp, the first photo intact.
    let limit = forms::attachments::MAX_ATTACHMENT_BYTES as usize;
    assert_eq!(limit, 25 * 1024 * 1024);
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(limit + 1, b' ');
    let before = stored_files(&app);
    let r = attach(&mut owner, &base, "cadastral_extract", "enorme.pdf", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body.contains("id=\"f-cadastral_extract-error\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("Il file supera i 25 MB ammessi"),
        "{}",
        r.body
    );
    assert_eq!(stored_files(&app), before);
    // The folder exists (the photo went through it): it is empty, not missing.
    let tmp = app.state.config.data_dir.join("uploads").join("tmp");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    let page = owner.get(&format!("{base}/attachments")).await.body;
    assert!(page.contains(">campo.jpg</a>") && !page.contains("enorme.pdf"));
}

#[tokio::test]
async fn files_can_be_removed_by_their_owner_only() {
    let app = TestApp::new().await;
    let (mut owner, base) = draft(&app, "owner@example.it", "10.0.3.2").await;
    assert_eq!(
        attach(&mut owner, &base, "photo", "facciata.png", &png())
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = owner.get(&format!("{base}/attachments")).await.body;
    let start = page.find("/attachments/").unwrap();
    let remove_path: String = page[start..].split('"').next().unwrap().to_string();
    assert!(remove_path.ends_with("/delete"), "{remove_path}");
    let remove_path = format!("{base}{remove_path}");

    let (mut other, other_base) = draft(&app, "other@example.it", "10.0.3.3").await;
    assert_eq!(
        other.post(&remove_path, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get(&format!("{base}/attachments")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        attach(&mut other, &base, "photo", "x.png", &png())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Their own candidacy, someone else's document number: not found either.
    let foreign = remove_path.replace(&base, &other_base);
    assert_eq!(
        other.post(&foreign, &[]).await.status,
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        owner.post(&remove_path, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(!owner
        .get(&format!("{base}/attachments"))
        .await
        .body
        .contains("facciata.png"));
    assert_eq!(
        owner.post(&remove_path, &[]).await.status,
        StatusCode::NOT_FOUND,
        "already removed"
    );
}

#[tokio::test]
async fn files_come_back_to_their_owner_as_downloads_only() {
    let app = TestApp::new().await;
    let (mut owner, base) = draft(&app, "owner@example.it", "10.0.3.4").await;
    assert_eq!(
        attach(
            &mut owner,
            &base,
            "cadastral_extract",
            "estratto catasto;ü.pdf",
            PDF
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let page = owner.get(&format!("{base}/attachments")).await.body;
    let start = page.find(&format!("{base}/documents/")).unwrap();
    let link: String = page[start..].split('"').next().unwrap().to_string();
    let r = owner.get(&link).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.bytes, PDF);
    assert_eq!(
        r.headers["content-disposition"],
        "attachment; filename=\"estratto catasto__.pdf\""
    );
    assert_eq!(r.headers["content-type"], "application/octet-stream");
    assert!(r.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("sandbox"));
    let (mut other, _) = draft(&app, "other@example.it", "10.0.3.5").await;
    assert_eq!(other.get(&link).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_upload_cut_off_half_way_leaves_nothing_behind() {
    use axum::body::Body;
    use axum::http::{header, Request};
    let app = TestApp::new().await;
    let (mut owner, base) = draft(&app, "cut@example.it", "10.0.3.9").await;
    if owner.csrf().is_empty() {
        owner.get("/").await;
    }
    let boundary = "cut-off-boundary";
    let head = common::csrf_part(boundary, &owner.csrf())
        + &format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"grande.png\"\r\nContent-Type: image/png\r\n\r\n"
    );
    // The first 256 KB arrive, then the connection drops.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(head.into_bytes()),
        Ok(vec![0x89; 256 * 1024]),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset",
        )),
    ];
    let uri = format!("{base}/attachments?purpose=photo");
    let request = Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let r = owner.send(request).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let tmp = app.state.config.data_dir.join("uploads").join("tmp");
    assert_eq!(
        std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0),
        0,
        "no partial file"
    );
    assert_eq!(stored_files(&app), 0, "nothing stored");
    let page = owner.get(&format!("{base}/attachments")).await.body;
    assert!(!page.contains("grande.png"), "nothing recorded");
}
