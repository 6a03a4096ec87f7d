//! Exports of the queue over HTTP: every candidacy the filters select, with
//! every field frozen at submission, as Excel (read back with calamine),
//! CSV (a value that starts with `=` cannot run as a formula) and GeoJSON,
//! with headers in the page's language.

mod common;

use app::view_data::Role;
use axum::http::{header, StatusCode};
use calamine::{Data, Reader, Xlsx};
use common::drafts::{app, complete_draft};
use forms::call::{Call, Kind, Lang};
use forms::Value;

#[tokio::test]
async fn the_filtered_queue_leaves_as_excel_csv_and_geojson_and_no_formula_runs() {
    let app = app().await;
    // Rossi's site has a title a spreadsheet would take for a formula.
    let mut d = complete_draft(&app, "rossi@example.it", "10.0.50.1", &["template"]).await;
    let mut values = forms::sample::complete(Kind::Settlement);
    let risky = "=HYPERLINK(\"http://evil.test\",\"clic\")";
    values.insert("title_it".into(), Value::Text(risky.into()));
    let xlsx =
        forms::template::write(Call::embedded(), Kind::Settlement, Lang::It, &values).unwrap();
    d.upload("template", "file", "modello.xlsx", xlsx).await;
    let r = d.owner.post(&format!("{}/submit", d.base), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.50.2")
        .await;

    // CSV: a byte-order mark, the Italian header, every field quoted and
    // separated by ';', the title neutralised, decimals with a comma.
    let csv = anna.get("/staff/export.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let disposition = csv.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        csv.body.starts_with("\u{feff}\"Riferimento\";\"Stato\";"),
        "{}",
        csv.body
    );
    let table = read_csv(&csv.body);
    assert_eq!(table.len(), 2, "the header and Rossi's row: {table:?}");
    let col = |name: &str| table[0].iter().position(|h| h == name).unwrap();
    assert_eq!(table[1][col("Titolo (italiano)")], format!("'{risky}"));
    assert_eq!(table[1][col("Superficie territoriale")], "25000,5");
    assert_eq!(
        table[1][col("Tipologia")],
        "Edificio",
        "options by their label"
    );
    // The filters apply: nothing in Milan.
    let none = anna.get("/staff/export.csv?province=MI").await;
    assert_eq!(read_csv(&none.body).len(), 1, "{}", none.body);

    // Excel: the title is text, not a formula; areas are numbers.
    let book = anna.get("/staff/export.xlsx").await;
    assert_eq!(book.status, StatusCode::OK);
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(book.bytes.clone())).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let formulas = workbook
        .worksheet_formula(&workbook.sheet_names()[0].clone())
        .unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula at all"
    );
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[0], "Riferimento");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = sheet.rows().nth(1).unwrap();
    assert_eq!(row[column("Titolo (italiano)")], Data::String(risky.into()));
    assert_eq!(row[column("Superficie territoriale")], Data::Float(25000.5));
    assert!(row[0].to_string().starts_with("OL-"));

    // GeoJSON: one point, longitude first.
    let geo = anna.get("/staff/export.geojson").await;
    let json: serde_json::Value = serde_json::from_str(&geo.body).unwrap();
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 1);
    let point = &features[0]["geometry"]["coordinates"];
    assert!(
        point[0].as_f64().unwrap() < point[1].as_f64().unwrap(),
        "{point}"
    );

    // In English, the headers are English.
    anna.get("/lang/en?next=/staff").await;
    let csv = anna.get("/staff/export.csv").await;
    assert!(
        csv.body.starts_with("\u{feff}\"Reference\";\"Status\";"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("\"Building\""), "{}", csv.body);
    assert!(csv.body.contains("\"25000.5\""), "{}", csv.body);
}

/// The CSV's records as the portal wrote them (`;`, after the byte-order mark).
fn read_csv(body: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn exports_cross_pages_and_leave_drafts_out() {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use server::candidacies::status::Status;
    use server::db::entities::candidacy;
    let app = app().await;
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.51.1")
        .await;
    let officer = app.account("anna@regione.test").await.id;
    let now = app.state.clock.now();
    server::seed::candidacies(&app.state.db, 1_201, &[officer], now)
        .await
        .unwrap();
    let submitted = candidacy::Entity::find()
        .filter(candidacy::Column::Status.ne(Status::Draft))
        .count(&app.state.db)
        .await
        .unwrap() as usize;
    assert!(submitted > 1_000, "more than two pages of 500");
    let csv = anna.get("/staff/export.csv").await;
    let table = read_csv(&csv.body);
    assert_eq!(table.len(), submitted + 1, "one header, one row each");
    assert_eq!(table.iter().filter(|r| r[0] == "Riferimento").count(), 1);
    let geo = anna.get("/staff/export.geojson").await;
    let json: serde_json::Value = serde_json::from_str(&geo.body).expect("valid across pages");
    assert_eq!(json["features"].as_array().unwrap().len(), submitted);
    let book = anna.get("/staff/export.xlsx").await;
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(book.bytes)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.rows().count(), submitted + 1);
}

#[tokio::test]
async fn submissions_older_than_the_frozen_values_get_them_once() {
    use sea_orm::EntityTrait;
    use server::db::entities::candidacy_value;
    let app = app().await;
    let mut d = complete_draft(&app, "rossi@example.it", "10.0.52.1", &[]).await;
    let r = d.owner.post(&format!("{}/submit", d.base), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = d.base.rsplit('/').next().unwrap().parse().unwrap();
    let frozen = candidacy_value::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("frozen with the submission");
    assert!(
        frozen.values.contains("\"asset_type\":\"building\""),
        "{}",
        frozen.values
    );
    // As a database from before: no values. At start-up they come back, once.
    candidacy_value::Entity::delete_by_id(id)
        .exec(&app.state.db)
        .await
        .unwrap();
    let submission = server::candidacies::submission::freeze_missing_values;
    assert_eq!(submission(&app.state).await.unwrap(), 1);
    assert_eq!(submission(&app.state).await.unwrap(), 0);
    let again = candidacy_value::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.values, frozen.values);
}
