//! A delegate files for an owner (DGR XII/4959 §4.2, form C): the owner's
//! details are entered once and offered again; forms A, B and C need the
//! owner's signature, so the delegate's own is a signer mismatch; the owner,
//! given read access, reads the candidacy with the same email, and changes nothing.

mod common;

use axum::http::StatusCode;
use common::signing::{anchors_file, cades};
use common::{Client, TestApp};
use forms::call::{Call, Kind, Lang};
use forms::signed_forms::{find_marker, Form};
use sea_orm::EntityTrait;
use server::db::entities::candidacy;

async fn app() -> TestApp {
    let anchors = anchors_file();
    TestApp::new_with(|c| c.trust_anchors = Some(anchors)).await
}

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn upload(
    client: &mut Client,
    path: &str,
    field: &str,
    name: &str,
    bytes: &[u8],
) -> StatusCode {
    client.upload_to(path, field, name, bytes).await.status
}

/// Luigi Verdi, a delegate (the test PKI's "other"), with his own profile.
async fn delegate(app: &TestApp) -> Client {
    let mut verdi = app
        .user("verdi@studio.example", "proponent", "10.0.7.1")
        .await;
    let profile = [
        ("subject_type", "person"),
        ("name", "Luigi Verdi"),
        ("tax_code", "VRDLGU70A01F205R"),
        ("address", "Via Dante 3"),
        ("postcode", "24121"),
        ("city", "Bergamo"),
        ("email", "verdi@studio.example"),
        ("phone", "+39 035 765 4321"),
        ("property_role", "intermediary"),
    ];
    assert_eq!(
        verdi.post("/profile", &profile).await.status,
        StatusCode::SEE_OTHER
    );
    verdi
}

const OWNER: [(&str, &str); 10] = [
    ("subject_type", "person"),
    ("name", "Mario Rossi"),
    ("tax_code", "RSSMRA80A01F205X"),
    ("address", "Via Roma 1"),
    ("postcode", "24044"),
    ("city", "Dalmine"),
    ("email", "mario.owner@example.it"),
    ("phone", "+39 035 123 4567"),
    ("property_role", "owner"),
    ("read_access", "yes"),
];

#[tokio::test]
async fn a_delegate_files_for_an_owner_who_signs_and_then_reads_it() {
    let app = app().await;
    let mut verdi = delegate(&app).await;

    // A new owner: the draft asks for the owner's details first.
    let r = verdi
        .post("/candidacies", &[("kind", "a"), ("on_behalf", "new")])
        .await;
    let base = r.location().trim_end_matches("/owner").to_string();
    assert!(r.location().ends_with("/owner"), "{}", r.location());
    let mut wrong = OWNER.to_vec();
    wrong[2] = ("tax_code", "RSSMRA80A01F205Y");
    let r = verdi.post(&format!("{base}/owner"), &wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("value=\"Via Roma 1\""),
        "what was typed stays"
    );
    let r = verdi.post(&format!("{base}/owner"), &OWNER).await;
    assert_eq!(r.location(), format!("{base}/location"));
    verdi.post(&format!("{base}/location"), &LOCATION).await;

    // Form C is now needed, and names both.
    let id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
    let page = verdi.get(&format!("{base}/forms")).await.body;
    assert!(page.contains("Modulo C – Delega al compilatore"));
    let mut signed = Vec::new();
    for letter in ["A", "B", "C"] {
        let pdf = verdi.get(&format!("{base}/forms/{letter}.pdf")).await.bytes;
        let form = Form::from_code(&format!("form_{}", letter.to_lowercase())).unwrap();
        assert_eq!(find_marker(&pdf), Some((form, id)));
        signed.push((form, pdf));
    }

    // The delegate signing form A himself is a signer mismatch, said in words.
    let (_, a) = &signed[0];
    upload(
        &mut verdi,
        &format!("{base}/forms?purpose=form_a"),
        "form_a",
        "a.p7m",
        &cades(a, "other"),
    )
    .await;
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("signer_mismatch")
    );
    let page = verdi.get(&format!("{base}/forms")).await.body;
    assert!(
        page.contains("chi firma per il proprietario non può essere un delegato"),
        "{page}"
    );

    // The owner signs all three; the rest is filled.
    sign_and_fill(&app, &mut verdi, &base, &signed).await;
    let r = verdi.post(&format!("{base}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The next candidacy offers the saved owner, and goes straight to the location.
    let list = verdi.get("/candidacies").await.body;
    assert!(
        list.contains("Come delegato di Mario Rossi (RSSMRA80A01F205X)"),
        "{list}"
    );
    let c = candidacy::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let owner_id = c.owner_id.unwrap().to_string();
    let r = verdi
        .post("/candidacies", &[("kind", "b"), ("on_behalf", &owner_id)])
        .await;
    assert!(r.location().ends_with("/location"), "{}", r.location());

    // The owner registers with the email the delegate gave, and reads; nothing more.
    let mut mario = app
        .user("mario.owner@example.it", "proponent", "10.0.7.2")
        .await;
    let list = mario.get("/candidacies").await.body;
    assert!(
        list.contains("Candidature presentate per mio conto"),
        "{list}"
    );
    assert!(list.contains(&format!("href=\"/candidacies/{id}\"")));
    assert_eq!(mario.get(&base).await.location(), format!("{base}/submit"));
    let summary = mario.get(&format!("{base}/submit")).await.body;
    assert!(summary.contains("la vedi in sola lettura"), "{summary}");
    assert!(!summary.contains("id=\"withdraw\""));
    assert_eq!(
        mario.get(&format!("{base}/receipt.pdf")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        mario
            .post(&format!("{base}/withdraw"), &[("confirm", "yes")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        mario.get(&format!("{base}/forms")).await.status,
        StatusCode::NOT_FOUND
    );

    // Anyone else: nothing.
    let mut other = app.user("other@example.it", "proponent", "10.0.7.3").await;
    assert_eq!(
        other.get(&format!("{base}/submit")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!other
        .get("/candidacies")
        .await
        .body
        .contains("per mio conto"));
}

#[tokio::test]
async fn another_delegates_owner_cannot_be_chosen() {
    let app = app().await;
    let mut verdi = delegate(&app).await;
    let r = verdi
        .post("/candidacies", &[("kind", "a"), ("on_behalf", "new")])
        .await;
    let base = r.location().trim_end_matches("/owner").to_string();
    verdi.post(&format!("{base}/owner"), &OWNER).await;
    let c = candidacy::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let owner_id = c.owner_id.unwrap().to_string();

    let mut stranger = app
        .user("stranger@example.it", "proponent", "10.0.7.4")
        .await;
    let r = stranger
        .post("/candidacies", &[("kind", "a"), ("on_behalf", &owner_id)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Scegli un proprietario dall&#x27;elenco.")
            || r.body.contains("Scegli un proprietario dall'elenco.")
    );
    assert_eq!(
        candidacy::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// The owner (the test PKI's "owner") signs `signed`; the template and the
/// mandatory attachments are uploaded: the candidacy can be submitted.
async fn sign_and_fill(app: &TestApp, verdi: &mut Client, base: &str, signed: &[(Form, Vec<u8>)]) {
    for (form, pdf) in signed {
        let path = format!("{base}/forms?purpose={}", form.code());
        upload(
            verdi,
            &path,
            form.code(),
            "firmato.p7m",
            &cades(pdf, "owner"),
        )
        .await;
        assert_eq!(
            app.latest_signature(form.code()).await.as_deref(),
            Some("valid"),
            "{form:?}"
        );
    }
    let values = forms::sample::complete(Kind::Settlement);
    let xlsx =
        forms::template::write(Call::embedded(), Kind::Settlement, Lang::It, &values).unwrap();
    upload(
        verdi,
        &format!("{base}/template"),
        "file",
        "modello.xlsx",
        &xlsx,
    )
    .await;
    for (purpose, name, bytes) in [
        ("photo", "foto.png", forms::sample::photo_png()),
        ("perimeter", "perimetro.pdf", PDF.to_vec()),
        ("cadastral_extract", "estratto.pdf", PDF.to_vec()),
    ] {
        let path = format!("{base}/attachments?purpose={purpose}");
        assert_eq!(
            upload(verdi, &path, purpose, name, &bytes).await,
            StatusCode::SEE_OTHER
        );
    }
}

/// A new draft filed for `owner`, located, with its forms downloaded: (its address, its id, the forms).
async fn draft_for_owner(
    verdi: &mut Client,
    owner: &[(&str, &str)],
) -> (String, i64, Vec<(Form, Vec<u8>)>) {
    let r = verdi
        .post("/candidacies", &[("kind", "a"), ("on_behalf", "new")])
        .await;
    let base = r.location().trim_end_matches("/owner").to_string();
    assert_eq!(
        verdi.post(&format!("{base}/owner"), owner).await.status,
        StatusCode::SEE_OTHER
    );
    verdi.post(&format!("{base}/location"), &LOCATION).await;
    let id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
    let mut signed = Vec::new();
    for letter in ["A", "B", "C"] {
        let pdf = verdi.get(&format!("{base}/forms/{letter}.pdf")).await.bytes;
        let form = Form::from_code(&format!("form_{}", letter.to_lowercase())).unwrap();
        signed.push((form, pdf));
    }
    (base, id, signed)
}

const LOCATION: [(&str, &str); 5] = [
    ("municipality", "Bergamo (BG)"),
    ("address", "Via Grumello 57"),
    ("postcode", "24127"),
    ("latitude", "45.6983"),
    ("longitude", "9.6773"),
];

/// The same name, another person: Mario Rossi born in 1985 in Agrigento.
fn another_mario() -> Vec<(&'static str, &'static str)> {
    let mut owner = OWNER.to_vec();
    owner[2] = ("tax_code", "RSSMRA85T10A562S");
    owner[6] = ("email", "mario.agrigento@example.it");
    owner
}

#[tokio::test]
async fn editing_a_shared_owner_later_does_not_change_what_was_submitted() {
    let app = app().await;
    let mut verdi = delegate(&app).await;
    let (base, id, signed) = draft_for_owner(&mut verdi, &OWNER).await;
    sign_and_fill(&app, &mut verdi, &base, &signed).await;
    let r = verdi.post(&format!("{base}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // A second draft for the same saved owner, whose details are then changed.
    let owner_id = candidacy::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .owner_id
        .unwrap()
        .to_string();
    let r = verdi
        .post("/candidacies", &[("kind", "b"), ("on_behalf", &owner_id)])
        .await;
    let second = r.location().trim_end_matches("/location").to_string();
    let r = verdi
        .post(&format!("{second}/owner"), &another_mario())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The submitted candidacy still names the owner it was submitted with.
    let summary = verdi.get(&format!("{base}/submit")).await.body;
    assert!(
        summary.contains("Mario Rossi (RSSMRA80A01F205X)"),
        "{summary}"
    );
    assert!(!summary.contains("RSSMRA85T10A562S"), "{summary}");
    let owner_page = verdi.get(&format!("{base}/owner")).await.body;
    assert!(
        owner_page.contains("value=\"RSSMRA80A01F205X\""),
        "{owner_page}"
    );
    // Nor can it be changed through its own owner page.
    assert_eq!(
        verdi
            .post(&format!("{base}/owner"), &another_mario())
            .await
            .status,
        StatusCode::CONFLICT
    );

    // Read access follows the owner the submission named: the new address
    // reads the draft filed for it, never the submitted candidacy.
    let mut agrigento = app
        .user("mario.agrigento@example.it", "proponent", "10.0.7.5")
        .await;
    assert_eq!(
        agrigento.get(&format!("{base}/submit")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        agrigento.get(&format!("{base}/receipt.pdf")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        agrigento.get(&format!("{second}/submit")).await.status,
        StatusCode::OK
    );
    // The owner it was filed for still reads it, though the saved owner moved on.
    let mut mario = app
        .user("mario.owner@example.it", "proponent", "10.0.7.6")
        .await;
    assert_eq!(
        mario.get(&format!("{base}/submit")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        mario.get(&format!("{second}/submit")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn forms_signed_before_the_owner_changed_no_longer_count() {
    let app = app().await;
    let mut verdi = delegate(&app).await;
    let (base, _, signed) = draft_for_owner(&mut verdi, &OWNER).await;
    sign_and_fill(&app, &mut verdi, &base, &signed).await;

    // The owner becomes another person after the forms were signed.
    let r = verdi.post(&format!("{base}/owner"), &another_mario()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = verdi.get(&format!("{base}/forms")).await.body;
    assert!(
        page.contains("verificato con i dati del proprietario di prima"),
        "{page}"
    );
    // One state per file: a warning, not a green "received" under it.
    assert!(!page.contains("File ricevuto."), "{page}");
    assert!(page.contains("alert alert-warning"), "{page}");
    let r = verdi.post(&format!("{base}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("i moduli firmati di nuovo dopo la modifica dei dati del proprietario"),
        "{}",
        r.body
    );

    // Back to the owner who signed: the same files count again.
    let r = verdi.post(&format!("{base}/owner"), &OWNER).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = verdi.post(&format!("{base}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}
