//! Signature checks on files made by real signing tools: `openssl cms` for
//! CAdES `.p7m` (DER, base64, PEM, nested), pyHanko for PAdES PDFs. A test CA
//! is the only trust anchor; a second CA is not trusted.

mod common;

use base64::Engine;
use common::signing::{self, anchors_file, cades, cades_with, pades, pyhanko};
use forms::call::Lang;
use forms::signed_forms::{self, Form};
use server::signatures::{self, Format, Reason, TrustAnchors, Verdict};

fn form_a() -> Vec<u8> {
    let vars = [
        ("candidacy", "n. 7"),
        ("kind", "Opportunità insediativa"),
        ("owner", "Mario Rossi"),
        ("owner_tax_code", "RSSMRA80A01F205X"),
        ("owner_address", "Via Roma 1, 24044 Dalmine (BG)"),
        ("owner_email", "mario@example.test"),
        ("owner_pec", "-"),
        ("property_role", "Proprietario"),
        ("site", "Dalmine (BG)"),
        ("coordinates", "45.6471, 9.6003"),
        ("signer", "Mario Rossi"),
        ("signer_capacity", "proprietario"),
    ];
    signed_forms::render(Form::A, Lang::It, 7, &vars).unwrap()
}

fn anchors() -> TrustAnchors {
    TrustAnchors::load(&anchors_file()).unwrap()
}

fn check(bytes: &[u8]) -> signatures::Checked {
    signatures::check(bytes, &anchors()).expect("a signed file")
}

#[test]
fn a_cades_envelope_is_valid_and_names_its_signer() {
    let p7m = cades(&form_a(), "owner");
    let checked = check(&p7m);
    assert_eq!(checked.format, Format::Cades);
    assert_eq!(checked.verdict, Verdict::Valid);
    assert_eq!(checked.signers.len(), 1);
    assert_eq!(checked.signers[0].name, "Mario Rossi");
    assert_eq!(
        checked.signers[0].tax_code.as_deref(),
        Some("RSSMRA80A01F205X")
    );
    assert_eq!(
        signed_forms::find_marker(&checked.content),
        Some((Form::A, 7))
    );
}

#[test]
fn base64_pem_and_nested_envelopes_are_opened() {
    let p7m = cades(&form_a(), "owner");
    let b64 = base64::engine::general_purpose::STANDARD.encode(&p7m);
    assert_eq!(check(b64.as_bytes()).verdict, Verdict::Valid);
    let wrapped: Vec<String> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let pem = format!(
        "-----BEGIN PKCS7-----\r\n{}\r\n-----END PKCS7-----\r\n",
        wrapped.join("\r\n")
    );
    assert_eq!(check(pem.as_bytes()).verdict, Verdict::Valid);
    // A .p7m.p7m: the owner's envelope countersigned by someone else.
    let nested = cades(&p7m, "other");
    let checked = check(&nested);
    assert_eq!(checked.verdict, Verdict::Valid);
    let names: Vec<_> = checked.signers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Luigi Verdi", "Mario Rossi"]);
    assert_eq!(
        signed_forms::find_marker(&checked.content),
        Some((Form::A, 7))
    );
}

#[test]
fn a_tampered_envelope_is_invalid() {
    let mut p7m = cades(&form_a(), "owner");
    let marker = b"OL-FORM:A:7;";
    let at = p7m.windows(marker.len()).position(|w| w == marker).unwrap();
    p7m[at + 10] = b'8'; // now it claims candidacy 8
    let checked = check(&p7m);
    assert!(
        matches!(checked.verdict, Verdict::Invalid(_)),
        "{:?}",
        checked.verdict
    );
}

#[test]
fn an_unknown_authority_is_not_verifiable_and_no_anchors_trust_nobody() {
    let rogue = cades(&form_a(), "rogue");
    let checked = check(&rogue);
    assert!(
        matches!(checked.verdict, Verdict::NotVerifiable(_)),
        "{:?}",
        checked.verdict
    );
    let genuine = cades(&form_a(), "owner");
    let none = signatures::check(&genuine, &TrustAnchors::none()).unwrap();
    assert!(matches!(none.verdict, Verdict::NotVerifiable(_)));
}

#[test]
fn a_pdf_without_signature_is_unsigned() {
    let checked = check(&form_a());
    assert_eq!(checked.format, Format::Unsigned);
    assert_eq!(checked.verdict, Verdict::Unsigned);
}

#[test]
fn a_pades_pdf_is_valid_and_bytes_changed_after_signing_are_caught() {
    if !pyhanko() {
        return;
    }
    let signed = pades(&form_a(), "owner");
    let checked = check(&signed);
    assert_eq!(checked.format, Format::Pades);
    assert_eq!(checked.verdict, Verdict::Valid, "{:?}", checked.signers);
    assert_eq!(
        checked.signers[0].tax_code.as_deref(),
        Some("RSSMRA80A01F205X")
    );
    assert_eq!(
        signed_forms::find_marker(&checked.content),
        Some((Form::A, 7))
    );

    // One byte of the signed text changed: the digest no longer matches.
    let mut forged = signed.clone();
    let marker = b"OL-FORM:A:7;";
    let at = forged
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap();
    forged[at + 10] = b'9';
    assert!(matches!(check(&forged).verdict, Verdict::Invalid(_)));

    // Something appended after signing (an incremental update nobody signed).
    let mut appended = signed.clone();
    appended.extend_from_slice(b"\n1 0 obj\n<< /Changed true >>\nendobj\n%%EOF\n");
    assert!(matches!(check(&appended).verdict, Verdict::Invalid(_)));

    // Signed by someone the portal does not trust.
    let rogue = pades(&form_a(), "rogue");
    assert!(matches!(check(&rogue).verdict, Verdict::NotVerifiable(_)));
    let _ = signing::pki();
}

#[test]
fn a_sha1_envelope_is_refused_for_its_digest() {
    let weak = cades_with(&form_a(), "owner", "sha1", true);
    assert_eq!(
        check(&weak).verdict,
        Verdict::Invalid(Reason::WeakDigest("SHA-1"))
    );
    let strong = cades_with(&form_a(), "owner", "sha512", true);
    assert_eq!(check(&strong).verdict, Verdict::Valid);
}

#[test]
fn a_detached_signature_is_told_apart_from_a_changed_file() {
    let p7s = cades_with(&form_a(), "owner", "sha256", false);
    assert_eq!(check(&p7s).verdict, Verdict::Invalid(Reason::Detached));
}

#[test]
fn a_certificate_not_meant_for_signing_is_refused() {
    let p7m = cades(&form_a(), "encipher");
    assert_eq!(check(&p7m).verdict, Verdict::Invalid(Reason::NotForSigning));
}

#[test]
fn envelopes_nested_too_deep_say_so() {
    let mut p7m = form_a();
    for _ in 0..=signatures::MAX_LAYERS {
        p7m = cades(&p7m, "owner");
    }
    assert_eq!(check(&p7m).verdict, Verdict::Invalid(Reason::TooDeep));
}

#[test]
fn a_pdf_naming_one_gap_thousands_of_times_is_checked_once() {
    // 1 MB with 2,000 `/ByteRange` entries pointing at one `<00>` gap: the
    // review's reproduction asked for 2 GB; now it is one unreadable signature.
    let pdf = signing::many_ranges_pdf();
    let started = std::time::Instant::now();
    let checked = check(&pdf);
    assert_eq!(checked.verdict, Verdict::Invalid(Reason::Unreadable));
    eprintln!("2,000 ranges checked in {:?}", started.elapsed());
}
