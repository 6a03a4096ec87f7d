//! The signed-forms step over HTTP: forms A and B download prefilled; their
//! signed copies are verified (CAdES by `openssl cms`, PAdES by pyHanko, against
//! a test CA); someone else's signature, a tampered file, the wrong form and an
//! unsigned download are each flagged; a scan asks for the identity document.

mod common;

use axum::http::StatusCode;
use common::signing::{
    anchors_file, cades, cades_with, pades, pades_with, pyhanko, pyhanko_validate,
};
use common::{rossi_with_draft, Client, TestApp};
use forms::signed_forms::{find_marker, Form};

async fn app() -> TestApp {
    let anchors = anchors_file();
    TestApp::new_with(|c| c.trust_anchors = Some(anchors)).await
}

async fn upload(
    owner: &mut Client,
    base: &str,
    purpose: &str,
    name: &str,
    bytes: &[u8],
) -> common::TestResponse {
    let path = format!("{base}/forms?purpose={purpose}");
    owner.upload_to(&path, purpose, name, bytes).await
}

#[tokio::test]
async fn forms_download_prefilled_and_come_back_verified() {
    let app = app().await;
    let (mut owner, base) = rossi_with_draft(&app, "mario@example.it", "10.0.5.1").await;
    let page = owner.get(&format!("{base}/forms")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Modulo A – Domanda e dichiarazioni del proprietario"));

    let a = owner.get(&format!("{base}/forms/A.pdf")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.headers["content-type"], "application/pdf");
    assert!(a.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(find_marker(&a.bytes), Some((Form::A, id)));
    let b = owner.get(&format!("{base}/forms/B.pdf?lang=en")).await;
    assert_eq!(find_marker(&b.bytes), Some((Form::B, id)));
    // Form C is for candidacies filed by a delegate.
    assert_eq!(
        owner.get(&format!("{base}/forms/C.pdf")).await.status,
        StatusCode::NOT_FOUND
    );

    // The owner signs form A as CAdES: valid, and the page names the signer.
    let r = upload(
        &mut owner,
        &base,
        "form_a",
        "modulo-A.pdf.p7m",
        &cades(&a.bytes, "owner"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("valid")
    );
    let page = owner.get(&format!("{base}/forms")).await.body;
    assert!(
        page.contains("Firma digitale valida di Mario Rossi (RSSMRA80A01F205X)"),
        "{page}"
    );

    // Someone else signs it: a signer mismatch, said in words.
    upload(
        &mut owner,
        &base,
        "form_a",
        "modulo-A.p7m",
        &cades(&a.bytes, "other"),
    )
    .await;
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("signer_mismatch")
    );
    let page = owner.get(&format!("{base}/forms")).await.body;
    assert!(
        page.contains("è firmato da Luigi Verdi (VRDLGU70A01F205R), ma deve firmarlo Mario Rossi"),
        "{page}"
    );

    // Form B put in form A's place.
    upload(
        &mut owner,
        &base,
        "form_a",
        "b.p7m",
        &cades(&b.bytes, "owner"),
    )
    .await;
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("invalid")
    );
    assert!(owner
        .get(&format!("{base}/forms"))
        .await
        .body
        .contains("è il modulo B della candidatura"));

    // The download itself, unsigned.
    upload(&mut owner, &base, "form_a", "modulo-A.pdf", &a.bytes).await;
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("invalid")
    );

    if pyhanko() {
        let signed = pades(&b.bytes, "owner");
        upload(&mut owner, &base, "form_b", "modulo-B-firmato.pdf", &signed).await;
        assert_eq!(
            app.latest_signature("form_b").await.as_deref(),
            Some("valid")
        );
        // Bytes changed after signing.
        let mut forged = signed.clone();
        let at = forged.windows(8).position(|w| w == b"OL-FORM:").unwrap();
        forged[at + 10] = b'9';
        upload(&mut owner, &base, "form_b", "modulo-B-firmato.pdf", &forged).await;
        assert_eq!(
            app.latest_signature("form_b").await.as_deref(),
            Some("invalid")
        );
        // Signed with a certificate from an authority nobody trusts.
        upload(
            &mut owner,
            &base,
            "form_b",
            "b.pdf",
            &pades(&b.bytes, "rogue"),
        )
        .await;
        assert_eq!(
            app.latest_signature("form_b").await.as_deref(),
            Some("not_verifiable")
        );
    }
}

#[tokio::test]
async fn a_scan_needs_the_identity_document_and_junk_is_not_kept() {
    let app = app().await;
    let (mut owner, base) = rossi_with_draft(&app, "scan@example.it", "10.0.5.2").await;
    let page = owner.get(&format!("{base}/forms")).await.body;
    assert!(page.contains("Nessun file: serve solo con una firma autografa."));

    let scan = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let r = upload(&mut owner, &base, "form_a", "scansione.pdf", scan).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("handwritten")
    );
    let page = owner.get(&format!("{base}/forms")).await.body;
    assert!(page.contains("trattato come scansione con firma autografa"));
    assert!(
        !page.contains("serve solo con una firma autografa"),
        "now it is needed"
    );

    let r = upload(
        &mut owner,
        &base,
        "form_b",
        "note.txt",
        b"not a signed file",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("non è un PDF né un file firmato .p7m"));
    assert_eq!(app.latest_signature("form_b").await, None);
    let tmp = app.state.config.data_dir.join("uploads/tmp");
    let left = std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "nothing half-kept in {}", tmp.display());

    // Nobody else reaches the forms.
    let mut stranger = app.user("other@example.it", "proponent", "10.0.5.3").await;
    assert_eq!(
        stranger.get(&format!("{base}/forms")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger.get(&format!("{base}/forms/A.pdf")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = upload(&mut stranger, &base, "form_a", "x.pdf", scan).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_form_changed_after_the_owner_signed_and_countersigned_is_refused() {
    if !pyhanko() {
        return;
    }
    let app = app().await;
    let (mut owner, base) = rossi_with_draft(&app, "stamp@example.it", "10.0.5.7").await;
    let a = owner.get(&format!("{base}/forms/A.pdf")).await.bytes;
    // The owner signs; someone stamps page 1 in a new revision and signs that.
    let by_owner = pades(&a, "owner");
    let stamped = pades_with(&by_owner, "other", Some("MODIFICATO DOPO LA FIRMA"));
    // pyHanko's own validator: the owner's signature no longer covers what is shown.
    let verdicts = pyhanko_validate(&stamped);
    assert!(verdicts.contains("modified Mario Rossi"), "{verdicts}");
    upload(&mut owner, &base, "form_a", "modulo-A.pdf", &stamped).await;
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("invalid")
    );
    let page = owner.get(&format!("{base}/forms")).await.body;
    assert!(
        page.contains("è stato modificato dopo la firma di Mario Rossi"),
        "{page}"
    );
    assert!(!page.contains("Firma digitale valida"), "{page}");
    // The owner signing last, over someone else's earlier signature, is fine.
    let countersigned = pades_with(&pades(&a, "other"), "owner", Some("Visto"));
    upload(&mut owner, &base, "form_a", "modulo-A.pdf", &countersigned).await;
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("valid")
    );
}

#[tokio::test]
async fn weak_digests_and_detached_signatures_are_explained_in_the_users_language() {
    let app = app().await;
    let (mut owner, base) = rossi_with_draft(&app, "sha1@example.it", "10.0.5.8").await;
    let a = owner.get(&format!("{base}/forms/A.pdf")).await.bytes;
    upload(
        &mut owner,
        &base,
        "form_a",
        "a.p7m",
        &cades_with(&a, "owner", "sha1", true),
    )
    .await;
    assert_eq!(
        app.latest_signature("form_a").await.as_deref(),
        Some("invalid")
    );
    let page = owner.get(&format!("{base}/forms")).await.body;
    assert!(
        page.contains("usa l&#39;algoritmo SHA-1") || page.contains("usa l'algoritmo SHA-1"),
        "{page}"
    );
    upload(
        &mut owner,
        &base,
        "form_a",
        "a.p7s",
        &cades_with(&a, "owner", "sha256", false),
    )
    .await;
    let page = owner.get(&format!("{base}/forms")).await.body;
    assert!(page.contains("firma separata (.p7s)"), "{page}");
    assert!(!page.contains("modificato dopo la firma"), "{page}");
}
