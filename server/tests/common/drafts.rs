//! A candidacy ready to submit, made over HTTP as a proponent makes it: the
//! template filled by the engine, a photo, a perimeter, a cadastral extract,
//! forms A and B signed with the test PKI.

use super::signing::{anchors_file, cades};
use super::{rossi_with_draft, Client, TestApp};
use axum::http::StatusCode;
use forms::call::{Call, Kind, Lang};

pub fn png() -> Vec<u8> {
    png_coloured([0, 102, 204])
}

/// A small picture of one colour: pictures of different colours are different files.
pub fn png_coloured(rgb: [u8; 3]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 6, image::Rgb(rgb));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

pub async fn app() -> TestApp {
    let anchors = anchors_file();
    TestApp::new_with(|c| c.trust_anchors = Some(anchors)).await
}

pub async fn upload(owner: &mut Client, path: &str, field: &str, name: &str, bytes: &[u8]) {
    let r = owner.upload_to(path, field, name, bytes).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
}

/// A draft ready (or nearly) to submit, and every file uploaded to it.
pub struct Draft {
    pub owner: Client,
    pub base: String,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Draft {
    pub async fn upload(&mut self, step: &str, field: &str, name: &str, bytes: Vec<u8>) {
        let path = format!("{}/{step}", self.base);
        upload(&mut self.owner, &path, field, name, &bytes).await;
        self.files.push((name.to_string(), bytes));
    }
}

/// Mario Rossi with a draft that has everything but what `skip` names;
/// `"scan_b"` uploads form B as a scan signed by hand instead of signed digitally.
pub async fn complete_draft(app: &TestApp, email: &str, ip: &str, skip: &[&str]) -> Draft {
    let (owner, base) = rossi_with_draft(app, email, ip).await;
    let mut d = Draft {
        owner,
        base,
        files: Vec::new(),
    };
    if !skip.contains(&"template") {
        let values = forms::sample::complete(Kind::Settlement);
        let xlsx =
            forms::template::write(Call::embedded(), Kind::Settlement, Lang::It, &values).unwrap();
        d.upload("template", "file", "modello.xlsx", xlsx).await;
    }
    d.upload("attachments?purpose=photo", "photo", "foto.png", png())
        .await;
    d.upload(
        "attachments?purpose=perimeter",
        "perimeter",
        "perimetro.pdf",
        PDF.to_vec(),
    )
    .await;
    if !skip.contains(&"cadastral_extract") {
        let (step, field) = ("attachments?purpose=cadastral_extract", "cadastral_extract");
        d.upload(step, field, "estratto.pdf", PDF.to_vec()).await;
    }
    for letter in ["A", "B"] {
        let form = d
            .owner
            .get(&format!("{}/forms/{letter}.pdf", d.base))
            .await
            .bytes;
        let purpose = format!("form_{}", letter.to_lowercase());
        let step = format!("forms?purpose={purpose}");
        if letter == "B" && skip.contains(&"scan_b") {
            // Printed, signed by hand, scanned: a PDF with no digital signature.
            d.upload(&step, &purpose, "modulo-B-scansione.pdf", PDF.to_vec())
                .await;
            continue;
        }
        let who = if skip.contains(&"owner_signature") && letter == "B" {
            "other"
        } else {
            "owner"
        };
        let name = format!("modulo-{letter}.pdf.p7m");
        d.upload(&step, &purpose, &name, cades(&form, who)).await;
    }
    d
}

/// The candidacy `id` as stored now.
pub async fn reread(app: &TestApp, id: i64) -> server::db::entities::candidacy::Model {
    use sea_orm::EntityTrait;
    server::db::entities::candidacy::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}
