//! The public catalogue over HTTP: only versions online are listed or
//! shown; no field the call keeps from the public reaches a public page;
//! the filters combine as a site selector expects against a known set;
//! an instance sees what another published.

mod common;

use app::view_data::Role;
use axum::http::StatusCode;
use common::drafts::{app, complete_draft, reread};
use common::{site, Client, TestApp};
use server::candidacies::status::Status;
use server::review::publication;

/// Rossi's candidacy published the way officers publish: submitted, taken
/// and validated by Anna, published by Bruno. (Rossi, its id, its reference.)
async fn published(app: &TestApp) -> (Client, i64, String) {
    let mut d = complete_draft(app, "rossi@example.it", "10.0.50.1", &[]).await;
    let r = d.owner.post(&format!("{}/submit", d.base), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = d.base.rsplit('/').next().unwrap().parse().unwrap();
    let mut anna = app
        .privileged_user("anna@regione.test", Role::Staff, "10.0.50.2")
        .await;
    for (path, form) in [("take", vec![]), ("decide", vec![("decision", "validate")])] {
        let r = anna
            .post(&format!("/staff/candidacies/{id}/{path}"), &form)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
    }
    let mut bruno = app
        .privileged_user("bruno@regione.test", Role::Staff, "10.0.50.3")
        .await;
    let stamp = publication::seen(&reread(app, id).await).to_string();
    let r = bruno
        .post(
            &format!("/staff/candidacies/{id}/publish"),
            &[("seen", &stamp)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(reread(app, id).await.status, Status::Published);
    let reference = reread(app, id).await.reference.unwrap();
    (d.owner, id, reference)
}

/// Every public page of the catalogue about `reference`, in both languages.
async fn public_pages(visitor: &mut Client, reference: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in [
        "/opportunita".to_string(),
        "/en/opportunities".to_string(),
        format!("/opportunita/{reference}"),
        format!("/en/opportunities/{reference}"),
        "/open-data/opportunities.csv".to_string(),
        "/open-data/opportunities.geojson".to_string(),
        "/open-data/catalogue.jsonld".to_string(),
        "/sitemap.xml".to_string(),
        "/dati-aperti".to_string(),
        "/opportunita/mappa.svg".to_string(),
        "/en/opportunities/map.svg?zoom=4&cx=300&cy=250".to_string(),
    ] {
        let r = visitor.get(&path).await;
        out.push((path, r.body));
    }
    out
}

#[tokio::test]
async fn a_published_site_is_listed_and_shown_and_gone_once_offline() {
    let app = app().await;
    let mut visitor = app.client("10.0.50.9");
    // Nothing online yet: the list says so; an unknown reference is a 404.
    let r = visitor.get("/opportunita").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("0 siti trovati"), "{}", r.body);
    assert_eq!(
        visitor.get("/opportunita/OL-2027-000001").await.status,
        StatusCode::NOT_FOUND
    );

    let (_rossi, id, reference) = published(&app).await;
    let title = "Valore di prova «title_it»";
    let r = visitor.get("/opportunita").await;
    assert!(r.body.contains("1 sito trovato"), "{}", r.body);
    assert!(r.body.contains(title), "{}", r.body);
    // In the open data and the sitemap, in both languages.
    let csv = visitor.get("/open-data/opportunities.csv").await;
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    let mut rows = csv::Reader::from_reader(csv.bytes.as_slice());
    let header = rows.headers().unwrap().clone();
    let row = rows.records().next().unwrap().unwrap();
    let cell = |name: &str| row[header.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(cell("reference"), reference);
    assert_eq!(cell("land_area"), "25000.5");
    assert_eq!(cell("municipality"), "Bergamo");
    let geo = visitor.get("/open-data/opportunities.geojson").await.bytes;
    let geo: serde_json::Value = serde_json::from_slice(&geo).unwrap();
    let feature = &geo["features"][0];
    let point = serde_json::json!([9.6773, 45.6983]);
    assert_eq!(feature["geometry"]["coordinates"], point);
    assert_eq!(
        feature["properties"]["land_area"],
        serde_json::json!(25000.5)
    );
    let dcat = visitor.get("/open-data/catalogue.jsonld").await.bytes;
    let dcat: serde_json::Value = serde_json::from_slice(&dcat).unwrap();
    let licence = &dcat["dcat:dataset"][0]["dcat:distribution"][0]["dct:license"]["@id"];
    assert_eq!(licence, "https://creativecommons.org/licenses/by/4.0/");
    let sitemap = visitor.get("/sitemap.xml").await.body;
    for path in [
        format!("/opportunita/{reference}"),
        format!("/en/opportunities/{reference}"),
    ] {
        assert!(sitemap.contains(&format!("{path}</loc>")), "{sitemap}");
    }
    // The brief in Excel: each field in Italian and English, numbers as numbers.
    let brief = visitor
        .get(&format!("/opportunita/{reference}/scheda.xlsx"))
        .await;
    assert_eq!(brief.status, StatusCode::OK);
    {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::Xlsx::new(std::io::Cursor::new(brief.bytes)).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let row = sheet
            .rows()
            .find(|r| r[0] == "Superficie territoriale")
            .unwrap();
        assert_eq!(row[1], calamine::Data::Float(25000.5));
        assert_eq!(row[2], calamine::Data::String("Land area".into()));
        assert_eq!(row[3], calamine::Data::Float(25000.5));
    }
    // The brief in PDF, read back by poppler: both languages, the figures.
    let pdf = visitor
        .get(&format!("/opportunita/{reference}/scheda.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    if let Some(text) = common::pdf_text(&pdf.bytes) {
        for words in [
            "Superficie territoriale",
            "25.000,5 m²",
            "Land area",
            "25,000.5 m²",
            title,
        ] {
            assert!(text.contains(words), "{words} in {text}");
        }
    }
    // Under the title, the site on the map (vectors) and its photo (a JPEG
    // the server made), each a tagged figure with its text in both languages.
    if let Some(images) = common::poppler("pdfimages", &["-list"], &pdf.bytes, &[]) {
        let rows: Vec<&str> = images.lines().skip(2).collect();
        assert_eq!(rows.len(), 1, "{images}");
        assert!(rows[0].contains("jpeg"), "{images}");
    }
    if let Some(tree) = common::poppler("pdfinfo", &["-struct-text"], &pdf.bytes, &[]) {
        assert_eq!(tree.matches("Figure").count(), 2, "{tree}");
    }
    // Harvesters ask again cheaply: the file is tagged with its version.
    let tag = csv.headers["etag"].to_str().unwrap().to_string();
    let again = axum::http::Request::get("/open-data/opportunities.csv")
        .header("if-none-match", &tag)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(visitor.send(again).await.status, StatusCode::NOT_MODIFIED);
    let page = visitor.get(&format!("/opportunita/{reference}")).await;
    assert_eq!(page.status, StatusCode::OK);
    // Every public field the template filled, in words; its provenance.
    assert!(
        page.body.contains("Superficie territoriale"),
        "{}",
        page.body
    );
    assert!(page.body.contains("25.000,5 m²"), "{}", page.body);
    assert!(
        page.body.contains("verificati da Regione Lombardia il"),
        "{}",
        page.body
    );
    assert!(page.body.contains("rel=\"canonical\""));
    assert!(page.body.contains("hreflang=\"en\""));
    assert!(page.body.contains("\"@type\":\"Place\""));
    // The English page has its own address and the English words.
    let en = visitor.get(&format!("/en/opportunities/{reference}")).await;
    assert!(en.body.contains("<html lang=\"en\""), "{}", en.body);
    assert!(en.body.contains("25,000.5 m²"), "{}", en.body);
    // The photo: scaled again by the server, a JPEG.
    let photo = page
        .body
        .split("src=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .find(|s| s.contains("/foto/"))
        .expect("a photo")
        .replace("&amp;", "&");
    let r = visitor.get(&photo).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "image/jpeg");
    assert!(image::load_from_memory(&r.bytes).is_ok());
    // Only the photos the version lists: not another of its documents.
    let other = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use server::db::entities::document;
        document::Entity::find()
            .filter(document::Column::CandidacyId.eq(id))
            .filter(document::Column::Purpose.ne("photo"))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let not_a_photo = format!("/opportunita/{reference}/foto/{other}");
    assert_eq!(
        visitor.get(&not_a_photo).await.status,
        StatusCode::NOT_FOUND
    );

    // Taken offline (as unpublishing, withdrawing and a rejected revision
    // do): gone from the list, the page and the photo.
    let txn = sea_orm::TransactionTrait::begin(&app.state.db)
        .await
        .unwrap();
    let officer = app.account("bruno@regione.test").await.id;
    publication::end(&txn, id, officer, "test", app.state.clock.now())
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let r = visitor.get("/opportunita").await;
    assert!(
        r.body.contains("0 siti trovati") && !r.body.contains(title),
        "{}",
        r.body
    );
    for path in [
        format!("/opportunita/{reference}"),
        format!("/en/opportunities/{reference}"),
        format!("/opportunita/{reference}/scheda.xlsx"),
        format!("/opportunita/{reference}/scheda.pdf"),
        photo,
    ] {
        assert_eq!(
            visitor.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for path in [
        "/open-data/opportunities.csv",
        "/open-data/opportunities.geojson",
        "/sitemap.xml",
        "/opportunita/mappa.svg",
    ] {
        let r = visitor.get(path).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains(&reference), "{path} still lists it");
    }
}

#[tokio::test]
async fn no_field_the_call_keeps_private_reaches_a_public_page() {
    let app = app().await;
    let (_rossi, _, reference) = published(&app).await;
    let mut visitor = app.client("10.0.50.9");
    let pages = public_pages(&mut visitor, &reference).await;
    let call = forms::Call::embedded();
    let sample = forms::sample::complete(forms::Kind::Settlement);
    let mut checked = 0;
    for field in call.fields.iter().filter(|f| !f.public) {
        let mut secrets = vec![field.label.it.clone(), field.label.en.clone()];
        if let Some(v) = sample.get(&field.id) {
            let kept = server::review::answers::canonical(v);
            if kept.len() >= 5 {
                secrets.push(kept);
            }
        }
        secrets.push(format!("«{}»", field.id));
        for (path, body) in &pages {
            for secret in &secrets {
                assert!(
                    !body.contains(secret.as_str()),
                    "{path} shows {} ({secret})",
                    field.id
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 4, "the call keeps {checked} fields private");
    // Nor the proponent's own data, from the profile.
    for secret in [
        "rossi@example.it",
        "Mario Rossi",
        "RSSMRA80A01F205X",
        "123 4567",
    ] {
        for (path, body) in &pages {
            assert!(!body.contains(secret), "{path} shows {secret}");
        }
    }
}

/// The references listed for `query`, in order, and the count shown.
async fn found(visitor: &mut Client, query: &str) -> (Vec<String>, String) {
    let r = visitor.get(&format!("/opportunita?{query}")).await;
    let refs = r
        .body
        // Links only: the map's marks name their site in `data-href`.
        .split(" href=\"/opportunita/")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .filter(|s| !s.contains('/'))
        .collect();
    let count = r.body.split("id=\"result-count\"").nth(1).map(|s| {
        let s = &s[s.find('>').unwrap() + 1..];
        s[..s.find('<').unwrap()].to_string()
    });
    (refs, count.unwrap_or_default())
}

#[tokio::test]
async fn filters_combine_against_a_known_set() {
    let app = TestApp::new().await;
    let officer = {
        app.staff_account("anna@regione.test", Role::Staff).await;
        app.account("anna@regione.test").await.id
    };
    let sites = vec![
        // 0: a logistics warehouse by the motorway near Bergamo, for sale.
        site(
            "Dalmine",
            45.65,
            9.60,
            &[
                ("title_it", "Capannone logistico"),
                ("title_en", "Logistics warehouse"),
                ("asset_type", "building"),
                ("land_area", "40000"),
                ("covered_area", "18000"),
                ("availability", "sale;lease"),
                ("price_eur", "6000000"),
                ("km_motorway", "1.5"),
                ("permitted_functions", "logistics;production"),
                ("power_kw", "1500"),
                ("voltage", "medium"),
                ("available_from", "2027-01-01"),
                ("energy_class", "B"),
            ],
        ),
        // 1: a small greenfield plot in Bergamo province, far from the motorway.
        site(
            "Clusone",
            45.89,
            9.95,
            &[
                ("title_it", "Area libera"),
                ("title_en", "Greenfield plot"),
                ("asset_type", "greenfield"),
                ("land_area", "3000"),
                ("availability", "sale"),
                ("price_eur", "150000"),
                ("km_motorway", "40"),
                ("permitted_functions", "production"),
                ("available_from", "2026-06-01"),
            ],
        ),
        // 2: offices in Milan, for lease only.
        site(
            "Milano",
            45.46,
            9.19,
            &[
                ("title_it", "Edificio per uffici"),
                ("title_en", "Office building"),
                ("asset_type", "building"),
                ("land_area", "2500"),
                ("covered_area", "2000"),
                ("availability", "lease"),
                ("km_motorway", "6"),
                ("permitted_functions", "offices"),
                ("power_kw", "300"),
                ("voltage", "medium"),
                ("available_from", "2029-01-01"),
                ("energy_class", "A2"),
            ],
        ),
        // 3: a brownfield in Brescia to be cleaned up, large.
        site(
            "Brescia",
            45.54,
            10.21,
            &[
                ("title_it", "Area produttiva dismessa"),
                ("title_en", "Former steelworks"),
                ("asset_type", "brownfield"),
                ("land_area", "120000"),
                ("availability", "sale"),
                ("price_eur", "9000000"),
                ("km_motorway", "3"),
                ("remediation", "needed"),
                ("permitted_functions", "production;logistics"),
                ("power_kw", "8000"),
                ("voltage", "high"),
                ("available_from", "2028-03-01"),
            ],
        ),
    ];
    let refs = server::seed::publish_all(&app.state.db, officer, sites, app.state.clock.now())
        .await
        .unwrap();
    let mut v = app.client("10.0.50.9");
    let pick = |ids: &[usize]| -> Vec<String> { ids.iter().map(|i| refs[*i].clone()).collect() };
    let sorted = |mut r: Vec<String>| {
        r.sort();
        r
    };
    let cases: &[(&str, &[usize])] = &[
        ("", &[0, 1, 2, 3]),
        ("province=BG", &[0, 1]),
        ("province=BG&province=BS", &[0, 1, 3]),
        ("province=BG&land_min=10000", &[0]),
        ("land_min=2500&land_max=3000", &[1, 2]),
        ("covered_min=1000", &[0, 2]),
        ("function=logistics", &[0, 3]),
        ("function=offices&function=logistics", &[0, 2, 3]),
        ("offer=lease", &[0, 2]),
        ("price_max=7000000&offer=sale", &[0, 1]),
        ("motorway_km=5", &[0, 3]),
        ("power_kw=1000&voltage=medium", &[0]),
        ("remediation=needed", &[3]),
        ("energy=A2&energy=B", &[0, 2]),
        ("available_by=2027-12-31", &[0, 1]),
        ("asset=building&state=in_use", &[]),
        ("municipality=Dalmine", &[0]),
        ("q=warehouse", &[0]),
        ("q=logistico", &[0]),
        ("q=steel", &[3]),
        ("q=brescia+area", &[3]),
        ("q=milano&kind=a", &[2]),
        ("kind=b", &[]),
    ];
    for (query, expected) in cases {
        let (got, _) = found(&mut v, query).await;
        assert_eq!(sorted(got), sorted(pick(expected)), "{query}");
    }
    // Sorted by land area and by distance to the motorway.
    assert_eq!(found(&mut v, "sort=area").await.0, pick(&[3, 0, 1, 2]));
    assert_eq!(found(&mut v, "sort=motorway").await.0, pick(&[0, 3, 2, 1]));
    // Nothing matches: each filter that, dropped, finds something, with how many.
    let r = v.get("/opportunita?province=MI&land_min=100000").await;
    assert!(r.body.contains("0 siti trovati"), "{}", r.body);
    assert!(r.body.contains("senza «Provincia»: 1 sito"), "{}", r.body);
    assert!(
        r.body
            .contains("senza «Superficie territoriale minima (m²)»: 1 sito"),
        "{}",
        r.body
    );
    // A value that does not read is said next to its field and asks nothing.
    let r = v.get("/opportunita?land_min=tanto&province=BG").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Scrivi un numero"), "{}", r.body);
    assert!(r.body.contains("value=\"tanto\""), "{}", r.body);
    assert!(r.body.contains("2 siti trovati"), "{}", r.body);
}

#[tokio::test]
async fn another_instance_lists_what_one_published_and_drops_what_one_ended() {
    let app = TestApp::new().await;
    app.staff_account("anna@regione.test", Role::Staff).await;
    let officer = app.account("anna@regione.test").await.id;
    let (_state, router) = app.second_instance().await;
    let mut first = app.client("10.0.50.7");
    let mut second = app.client_of(&router, "10.0.50.8");
    // Both build their index before anything is online.
    assert!(first
        .get("/opportunita")
        .await
        .body
        .contains("0 siti trovati"));
    assert!(second
        .get("/opportunita")
        .await
        .body
        .contains("0 siti trovati"));
    let one = site("Lodi", 45.31, 9.50, &[("title_it", "Area a Lodi")]);
    let refs = server::seed::publish_all(&app.state.db, officer, vec![one], app.state.clock.now())
        .await
        .unwrap();
    assert!(second
        .get("/opportunita")
        .await
        .body
        .contains("1 sito trovato"));
    assert_eq!(
        second
            .get(&format!("/opportunita/{}", refs[0]))
            .await
            .status,
        StatusCode::OK
    );
    let id = reread_by_reference(&app, &refs[0]).await;
    let txn = sea_orm::TransactionTrait::begin(&app.state.db)
        .await
        .unwrap();
    publication::end(&txn, id, officer, "test", app.state.clock.now())
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert!(first
        .get("/opportunita")
        .await
        .body
        .contains("0 siti trovati"));
    assert_eq!(
        second
            .get(&format!("/opportunita/{}", refs[0]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn reread_by_reference(app: &TestApp, reference: &str) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    server::db::entities::candidacy::Entity::find()
        .filter(server::db::entities::candidacy::Column::Reference.eq(reference))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn up_to_four_sites_side_by_side_and_as_excel() {
    use calamine::Reader;
    let app = TestApp::new().await;
    app.staff_account("anna@regione.test", Role::Staff).await;
    let officer = app.account("anna@regione.test").await.id;
    let sites = (0..5)
        .map(|i| {
            let area = format!("{}", 1000 * (i + 1));
            let title = format!("Sito {i}");
            site(
                "Lodi",
                45.31,
                9.50,
                &[("title_it", &title), ("land_area", &area)],
            )
        })
        .collect();
    let refs = server::seed::publish_all(&app.state.db, officer, sites, app.state.clock.now())
        .await
        .unwrap();
    let mut v = app.client("10.0.50.9");
    let query = |n: usize| {
        refs[..n]
            .iter()
            .map(|r| format!("site={r}"))
            .collect::<Vec<_>>()
            .join("&")
    };
    let page = v.get(&format!("/opportunita/confronto?{}", query(2))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Sito 0") && page.body.contains("Sito 1"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(
            "<th scope=\"row\">Superficie territoriale</th><td>1.000 m²</td><td>2.000 m²</td>"
        ),
        "{}",
        page.body
    );
    // Five asked, four compared, and the page says so; one gone, said too.
    let page = v
        .get(&format!(
            "/opportunita/confronto?{}&site=OL-2027-999999",
            query(5)
        ))
        .await;
    assert!(page.body.contains("al massimo 4 siti"), "{}", page.body);
    assert!(page.body.contains("non è più pubblicato"), "{}", page.body);
    assert!(!page.body.contains("Sito 4"));
    // The Excel file: a row per field, numbers as numbers, in English on the English address.
    let file = v
        .get(&format!("/en/opportunities/compare.xlsx?{}", query(3)))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(file.bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let row = sheet
        .rows()
        .find(|r| r[0] == "Land area")
        .expect("a land area row");
    assert_eq!(row[1], calamine::Data::Float(1000.0));
    assert_eq!(row[3], calamine::Data::Float(3000.0));
    // Nothing to compare: a page that says how to choose, no file.
    let empty = v.get("/opportunita/confronto").await;
    assert!(
        empty.body.contains("Nessun sito da confrontare"),
        "{}",
        empty.body
    );
    assert_eq!(
        v.get("/opportunita/confronto.xlsx").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn anonymous_visitors_share_a_kept_page_and_accounts_get_their_own() {
    let app = TestApp::new().await;
    app.staff_account("anna@regione.test", Role::Staff).await;
    let officer = app.account("anna@regione.test").await.id;
    let one = site("Lodi", 45.31, 9.50, &[("title_it", "Area a Lodi")]);
    server::seed::publish_all(&app.state.db, officer, vec![one], app.state.clock.now())
        .await
        .unwrap();
    let mut first = app.client("10.0.50.7");
    let mut second = app.client("10.0.50.8");
    let plain = first.get("/opportunita?province=LO").await;
    assert!(plain.body.contains("Area a Lodi"));
    // The same page, kept, compressed once for a browser that takes brotli.
    let request = axum::http::Request::get("/opportunita?province=LO")
        .header("accept-encoding", "gzip, br")
        .body(axum::body::Body::empty())
        .unwrap();
    let packed = second.send(request).await;
    assert_eq!(packed.headers["content-encoding"], "br");
    let mut html = Vec::new();
    brotli::BrotliDecompress(&mut packed.bytes.as_slice(), &mut html).unwrap();
    assert_eq!(String::from_utf8(html).unwrap(), plain.body);
    // Someone logged in sees their own header, not the kept page.
    let mut rossi = app.user("rossi@example.it", "proponent", "10.0.50.6").await;
    let own = rossi.get("/opportunita?province=LO").await;
    assert!(own.body.contains("rossi@example.it"), "{}", own.body);
    assert!(!plain.body.contains("rossi@example.it"));
}

#[tokio::test]
async fn a_search_of_only_function_words_does_not_change_the_shared_list() {
    let app = TestApp::new().await;
    let mut v = app.client("10.0.50.9");
    let odd = v.get("/opportunita?q=la+la+%21%21%21").await;
    assert!(odd.body.contains("value=\"la la !!!\""), "{}", odd.body);
    let plain = v.get("/opportunita").await;
    assert!(
        plain.body.contains("name=\"q\" value=\"\""),
        "{}",
        plain.body
    );
}

/// The map island's map: the list's filters, the sites grouped finer as it
/// zooms, the provinces cut to the view, a single site named with its
/// page; a hostile zoom is the finest there is, nonsense the whole map.
#[tokio::test]
async fn the_map_groups_finer_as_it_zooms_and_names_single_sites() {
    let app = TestApp::new().await;
    app.staff_account("anna@regione.test", Role::Staff).await;
    let officer = app.account("anna@regione.test").await.id;
    let sites = vec![
        site(
            "Dalmine",
            45.650,
            9.600,
            &[("title_it", "Capannone a Dalmine")],
        ),
        site("Dalmine", 45.652, 9.604, &[("title_it", "Area a Dalmine")]),
        site("Lodi", 45.31, 9.50, &[("title_it", "Area a Lodi")]),
    ];
    server::seed::publish_all(&app.state.db, officer, sites, app.state.clock.now())
        .await
        .unwrap();
    let mut v = app.client("10.0.50.20");
    // (marks, sites) a map draws: each mark says how many sites it holds.
    let counted = |svg: &str| -> (usize, usize) {
        let counts: Vec<usize> = svg
            .split("data-count=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
            .collect();
        (counts.len(), counts.iter().sum())
    };
    // The whole map: the two sites in Dalmine one mark, Lodi another, named.
    let r = v.get("/opportunita/mappa.svg").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "image/svg+xml");
    assert_eq!(counted(&r.body), (2, 3), "{}", r.body);
    assert!(r.body.contains("data-title=\"Area a Lodi\""), "{}", r.body);
    assert!(
        r.body.contains("data-href=\"/opportunita/OL-"),
        "{}",
        r.body
    );
    // Zoomed on Dalmine as far as it goes (whatever is asked): the two apart,
    // Lodi out of view, and only the provinces in view, cut to it.
    let (x, y) = forms::reference::Frame::lombardy(600.0).project(45.651, 9.602);
    let near = format!("zoom=1000000000&cx={x}&cy={y}");
    let r = v.get(&format!("/en/opportunities/map.svg?{near}")).await;
    assert_eq!(counted(&r.body), (2, 2), "{}", r.body);
    assert!(
        r.body.contains("data-href=\"/en/opportunities/OL-"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Lodi"), "{}", r.body);
    assert!(r.body.contains("data-zoom=\"16\""), "{}", r.body);
    let provinces = r.body.matches("data-province=").count();
    assert!(
        (1..12).contains(&provinces),
        "{provinces} provinces in view"
    );
    // The filters of the list apply, and each province links to the list.
    let r = v
        .get(&format!("/opportunita/mappa.svg?province=LO&{near}"))
        .await;
    assert_eq!(counted(&r.body).1, 0);
    assert!(
        r.body.contains("href=\"/opportunita?province=BG\""),
        "{}",
        r.body
    );
    // Nonsense reads as the whole map.
    let odd = v.get("/opportunita/mappa.svg?zoom=NaN&cx=inf&cy=-5").await;
    assert_eq!(counted(&odd.body), (2, 3));
}
