//! Forms A, B and C as PDF, read back by an independent reader: poppler's
//! `pdfinfo` and `pdftotext` see the title, the tags, the language and every
//! prefilled value as real text. Without poppler a bare `cargo test` skips,
//! saying so; CI and `./portal test` fail instead.

mod common;

use forms::call::Lang;
use forms::signed_forms::{self, Form};
use std::process::Command;

fn vars() -> Vec<(&'static str, &'static str)> {
    vec![
        ("candidacy", "n. 42"),
        ("kind", "Opportunità insediativa"),
        ("owner", "Immobiliare *Stella* S.r.l."),
        ("owner_tax_code", "01234567897"),
        ("owner_address", "Via Roma 1, 24044 Dalmine (BG)"),
        ("owner_email", "info@stella.example"),
        ("owner_pec", "stella@pec.example"),
        ("property_role", "Proprietario"),
        ("site", "Dalmine (BG), Via Buttaro 12, 24044"),
        ("coordinates", "45.6471, 9.6003"),
        ("signer", "Maria Bianchi"),
        ("signer_capacity", "legale rappresentante"),
        ("delegate", "Studio Verdi"),
        ("delegate_tax_code", "VRDLGU70A01F205R"),
        ("delegate_email", "verdi@studio.example"),
    ]
}

fn poppler() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok();
    if !ok {
        assert!(
            !common::everything_required(),
            "this run requires poppler-utils (pdftotext, pdfinfo)"
        );
        eprintln!("SKIPPED: poppler-utils is not installed (apt-get install poppler-utils)");
    }
    ok
}

fn run(tool: &str, pdf: &[u8]) -> String {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("ol-form-{}-{n}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = Command::new(tool);
    if tool == "pdftotext" {
        cmd.args([path.to_str().unwrap(), "-"]);
    } else {
        cmd.arg(&path);
    }
    let out = cmd.output().unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_form_in_both_languages_reads_back_with_its_values() {
    if !poppler() {
        return;
    }
    for form in signed_forms::ALL {
        for lang in [Lang::It, Lang::En] {
            let pdf = signed_forms::render(form, lang, 42, &vars()).unwrap();
            assert_eq!(signed_forms::find_marker(&pdf), Some((form, 42)));
            let info = run("pdfinfo", &pdf);
            assert!(info.contains("Tagged:          yes"), "{info}");
            let title = info.lines().find(|l| l.starts_with("Title:")).unwrap();
            assert!(title.contains(&format!(" {}", form.letter())), "{title}");
            let text = run("pdftotext", &pdf);
            // Escaped Markdown stays literal: the asterisks are part of the name.
            for value in [
                "Immobiliare *Stella* S.r.l.",
                "01234567897",
                "Via Buttaro 12",
                "Maria Bianchi",
            ] {
                assert!(
                    text.contains(value),
                    "{form:?} {lang:?} lacks {value:?}:\n{text}"
                );
            }
            if form == Form::C {
                assert!(text.contains("VRDLGU70A01F205R"));
            }
            let expected = match lang {
                Lang::It => "Firma:",
                Lang::En => "Signature:",
            };
            assert!(text.contains(expected), "{text}");
        }
    }
}

#[test]
fn the_receipt_lists_every_document_with_its_fingerprint() {
    if !poppler() {
        return;
    }
    use forms::receipt::{self, Receipt, ReceiptDocument};
    let documents: Vec<ReceiptDocument> = (0..12)
        .map(|i| ReceiptDocument {
            label: format!("Foto {i}"),
            name: format!("facciata_{i}.jpg"),
            size: 1_500_000 + i,
            sha256: format!("{i:02}{}", "ab".repeat(31)),
        })
        .collect();
    let r = Receipt {
        reference: "OL-2026-000042".into(),
        submitted: "22 novembre 2026, ore 11:00:00 (ora italiana)".into(),
        kind: "Opportunità insediativa".into(),
        proponent: "Mario Rossi".into(),
        tax_code: "RSSMRA80A01F205X".into(),
        filer: "Mario Rossi".into(),
        site: "Dalmine (BG), Via Buttaro 12".into(),
        documents: documents.clone(),
    };
    for lang in [Lang::It, Lang::En] {
        let pdf = receipt::render(lang, &r).unwrap();
        let text = run("pdftotext", &pdf);
        assert!(text.contains("OL-2026-000042"), "{text}");
        for d in &documents {
            assert!(text.contains(&d.sha256), "{} missing:\n{text}", d.sha256);
            assert!(text.contains(&d.name));
        }
        assert!(text.contains("1.4 MB"));
    }
}
