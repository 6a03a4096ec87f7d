//! Forms A, B (and C) of a candidacy: prefilled from the profile and the draft,
//! and, when they come back signed, judged: is the signature intact and
//! trusted, is it this form of this candidacy, did the owner sign it?

use crate::candidacies::kind_of;
use crate::db::entities::{candidacy, document, profile};
use crate::documents::Finding;
use crate::signatures::{self, Checked, Format, Verdict};
use app::i18n::t;
use forms::signed_forms::{self, Form};
use forms::{Kind, Lang};

/// The purpose of the signer's identity document, needed with a handwritten signature.
pub const ID_DOCUMENT: &str = "id_document";

/// The forms this candidacy needs signed: A and B, and C when a delegate files it.
pub fn forms_needed(c: &candidacy::Model) -> Vec<Form> {
    if c.owner_id.is_some() {
        vec![Form::A, Form::B, Form::C]
    } else {
        vec![Form::A, Form::B]
    }
}

/// Whether some form in `docs` was signed by hand, so the identity document is needed.
pub fn handwritten<'a>(docs: impl IntoIterator<Item = &'a document::Model>) -> bool {
    docs.into_iter()
        .any(|d| d.signature.as_deref() == Some("handwritten"))
}

/// The person whose signature forms A, B and C need: the owner, or the
/// owner's legal representative when the owner is an organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedSigner {
    pub name: String,
    /// The codice fiscale of the person or of the legal representative.
    pub tax_code: Option<String>,
}

pub fn expected_signer(owner: &profile::Model) -> ExpectedSigner {
    match owner
        .legal_rep
        .as_deref()
        .filter(|_| owner.subject_type == "organisation")
    {
        // Profiles saved before the representative's tax code was asked have only the name.
        Some(rep) => ExpectedSigner {
            name: rep.to_string(),
            tax_code: owner.legal_rep_tax_code.clone(),
        },
        None => ExpectedSigner {
            name: owner.name.clone(),
            tax_code: Some(owner.tax_code.clone()),
        },
    }
}

fn ui(lang: Lang) -> app::Lang {
    match lang {
        Lang::It => app::Lang::It,
        Lang::En => app::Lang::En,
    }
}

/// The values of the forms' placeholders, in `lang`. `delegate` is the filer's
/// profile when a delegate files for the owner (form C names them).
pub fn vars(
    c: &candidacy::Model,
    owner: &profile::Model,
    delegate: Option<&profile::Model>,
    lang: Lang,
) -> Vec<(&'static str, String)> {
    let l = ui(lang);
    let kind = match kind_of(c) {
        Kind::Settlement => t(l, "candidacy.kind_a"),
        Kind::Investment => t(l, "candidacy.kind_b"),
    };
    let site = [
        crate::candidacies::municipality_label(c),
        c.address.clone().unwrap_or_default(),
        c.postcode.clone().unwrap_or_default(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let coordinates = match (c.latitude, c.longitude) {
        (Some(lat), Some(lon)) => format!("{lat:.6}, {lon:.6}"),
        _ => "–".into(),
    };
    let signer = expected_signer(owner);
    let capacity = if owner.subject_type == "organisation" {
        match lang {
            Lang::It => format!("legale rappresentante di {}", owner.name),
            Lang::En => format!("legal representative of {}", owner.name),
        }
    } else {
        t(l, &format!("profile.role_{}", owner.property_role)).to_lowercase()
    };
    vec![
        ("candidacy", format!("#{}", c.id)),
        ("kind", kind),
        ("owner", owner.name.clone()),
        ("owner_tax_code", owner.tax_code.clone()),
        (
            "owner_address",
            format!("{}, {} {}", owner.address, owner.postcode, owner.city),
        ),
        ("owner_email", owner.email.clone()),
        ("owner_pec", owner.pec.clone().unwrap_or_else(|| "–".into())),
        (
            "property_role",
            t(l, &format!("profile.role_{}", owner.property_role)),
        ),
        ("site", if site.is_empty() { "–".into() } else { site }),
        ("coordinates", coordinates),
        ("signer", signer.name),
        ("signer_capacity", capacity),
        ("delegate", delegate.map_or("–".into(), |d| d.name.clone())),
        (
            "delegate_tax_code",
            delegate.map_or("–".into(), |d| d.tax_code.clone()),
        ),
        (
            "delegate_email",
            delegate.map_or("–".into(), |d| d.email.clone()),
        ),
    ]
}

/// The prefilled form as PDF.
pub fn render(
    form: Form,
    c: &candidacy::Model,
    owner: &profile::Model,
    delegate: Option<&profile::Model>,
    lang: Lang,
) -> Result<Vec<u8>, String> {
    let vars = vars(c, owner, delegate, lang);
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    signed_forms::render(form, lang, c.id, &pairs).map_err(|e| e.to_string())
}

/// What the portal concluded about an uploaded signed form.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// valid | invalid | signer_mismatch | not_verifiable | handwritten
    pub signature: &'static str,
    pub findings: Vec<Finding>,
}

fn finding(severity: &str, it: String, en: String) -> Finding {
    Finding {
        severity: severity.into(),
        it,
        en,
    }
}

/// Judges a checked file as the signed copy of `form` for candidacy `candidacy_id`.
pub fn assess(
    form: Form,
    candidacy_id: i64,
    checked: &Checked,
    expected: &ExpectedSigner,
) -> Assessment {
    let letter = form.letter();
    let marker = signed_forms::find_marker(&checked.content);
    // Another form, or this form of another candidacy, whatever the signature.
    if let Some((found, id)) = marker.filter(|m| *m != (form, candidacy_id)) {
        let f = found.letter();
        return Assessment {
            signature: "invalid",
            findings: vec![finding(
                "error",
                format!("Questo file è il modulo {f} della candidatura #{id}, non il modulo {letter} di questa candidatura."),
                format!("This file is form {f} of candidacy #{id}, not form {letter} of this candidacy."),
            )],
        };
    }
    let mut findings = Vec::new();
    let signature = match (&checked.format, &checked.verdict) {
        (Format::Unsigned, _) if marker.is_some() => {
            findings.push(finding(
                "error",
                format!("Il modulo {letter} non è firmato: è il file scaricato dal portale. Firmalo digitalmente, oppure stampalo, firmalo a mano e carica la scansione."),
                format!("Form {letter} is not signed: it is the file downloaded from the portal. Sign it digitally, or print it, sign it by hand and upload the scan."),
            ));
            "invalid"
        }
        (Format::Unsigned, _) => {
            findings.push(finding(
                "warning",
                "PDF senza firma digitale: è trattato come scansione con firma autografa. Carica anche il documento d'identità di chi ha firmato; l'istruttore controllerà la firma.".into(),
                "A PDF without a digital signature: it is treated as a scan signed by hand. Also upload the signer's identity document; staff will check the signature.".into(),
            ));
            "handwritten"
        }
        (_, Verdict::Invalid(reason)) => {
            findings.push(finding(
                "error",
                format!("Firma digitale non valida ({}): il file è stato modificato dopo la firma o la firma è danneggiata. Firma di nuovo il modulo scaricato dal portale.", reason_it(reason)),
                format!("Invalid digital signature ({reason}): the file was changed after signing or the signature is damaged. Sign the form downloaded from the portal again."),
            ));
            "invalid"
        }
        (_, Verdict::NotVerifiable(reason)) => {
            findings.push(finding(
                "error",
                format!("La firma è integra ma non verificabile ({reason}): il certificato non risulta emesso da un certificatore qualificato riconosciuto. Usa una firma digitale qualificata, oppure firma a mano."),
                format!("The signature is intact but cannot be verified ({reason}): the certificate was not issued by a recognised qualified provider. Use a qualified digital signature, or sign by hand."),
            ));
            "not_verifiable"
        }
        (_, Verdict::Valid | Verdict::Unsigned) => {
            judge_signer(form, checked, expected, &mut findings)
        }
    };
    if checked.format != Format::Unsigned && marker.is_none() {
        findings.push(finding(
            "warning",
            format!("Il documento firmato non contiene il riferimento del modulo {letter} di questa candidatura: l'istruttore verificherà che sia il modulo giusto."),
            format!("The signed document does not carry the reference of form {letter} of this candidacy: staff will check it is the right form."),
        ));
    }
    Assessment {
        signature,
        findings,
    }
}

fn reason_it(reason: &str) -> &str {
    match reason {
        "the file was changed after it was signed" => "il file è stato modificato dopo la firma",
        "the signed bytes do not match the signature" => "il contenuto non corrisponde alla firma",
        _ => reason,
    }
}

fn judge_signer(
    form: Form,
    checked: &Checked,
    expected: &ExpectedSigner,
    findings: &mut Vec<Finding>,
) -> &'static str {
    let letter = form.letter();
    let describe = |s: &signatures::Signer| match &s.tax_code {
        Some(code) => format!("{} ({code})", s.name),
        None => s.name.clone(),
    };
    let signed_by = checked
        .signers
        .iter()
        .map(describe)
        .collect::<Vec<_>>()
        .join(", ");
    let owner_signed = checked
        .signers
        .iter()
        .any(|s| signatures::same_person(s, &expected.name, expected.tax_code.as_deref()));
    if owner_signed {
        let issuer = checked
            .signers
            .first()
            .map(|s| s.issuer.clone())
            .unwrap_or_default();
        findings.push(finding(
            "info",
            format!("Firma digitale valida di {signed_by}, certificato emesso da {issuer}."),
            format!("Valid digital signature of {signed_by}, certificate issued by {issuer}."),
        ));
        "valid"
    } else {
        findings.push(finding(
            "error",
            format!("Il modulo {letter} è firmato da {signed_by}, ma deve firmarlo {}: chi firma per il proprietario non può essere un delegato.", expected.name),
            format!("Form {letter} is signed by {signed_by}, but {} must sign it: a delegate cannot sign for the owner.", expected.name),
        ));
        "signer_mismatch"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::Signer;

    fn checked(content: &[u8], signers: Vec<Signer>, verdict: Verdict) -> Checked {
        Checked {
            format: Format::Cades,
            verdict,
            signers,
            content: content.to_vec(),
        }
    }

    fn rossi() -> Signer {
        Signer {
            name: "Mario Rossi".into(),
            tax_code: Some("RSSMRA80A01F205X".into()),
            issuer: "Test CA".into(),
        }
    }

    fn owner() -> ExpectedSigner {
        ExpectedSigner {
            name: "Mario Rossi".into(),
            tax_code: Some("RSSMRA80A01F205X".into()),
        }
    }

    #[test]
    fn an_organisation_is_signed_for_by_its_representative_known_by_tax_code() {
        let now = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        let org = profile::Model {
            user_id: 1,
            subject_type: "organisation".into(),
            org_type: Some("public_body".into()),
            name: "Comune di Dalmine".into(),
            tax_code: "80050050154".into(),
            vat_number: None,
            legal_rep: Some("Maria Rossi".into()),
            legal_rep_tax_code: Some("RSSMRA80A41F205B".into()),
            address: "Piazza Libertà 1".into(),
            postcode: "24044".into(),
            city: "Dalmine".into(),
            email: "comune@example.it".into(),
            pec: None,
            phone: "+39 035 6224811".into(),
            property_role: "owner".into(),
            created_at: now,
            updated_at: now,
        };
        let expected = expected_signer(&org);
        assert_eq!(expected.tax_code.as_deref(), Some("RSSMRA80A41F205B"));
        // Another Maria Rossi, with another tax code, is not the representative.
        let namesake = Signer {
            name: "Maria Rossi".into(),
            tax_code: Some("RSSMRA90A41F205N".into()),
            issuer: "Test CA".into(),
        };
        let c = checked(b"OL-FORM:A:5;", vec![namesake], Verdict::Valid);
        assert_eq!(
            assess(Form::A, 5, &c, &expected).signature,
            "signer_mismatch"
        );
    }

    #[test]
    fn the_owners_valid_signature_on_the_right_form_is_valid() {
        let c = checked(b"..OL-FORM:A:5;..", vec![rossi()], Verdict::Valid);
        let a = assess(Form::A, 5, &c, &owner());
        assert_eq!(a.signature, "valid");
        assert_eq!(a.findings[0].severity, "info");
    }

    #[test]
    fn another_form_or_candidacy_is_refused() {
        let c = checked(b"OL-FORM:B:5;", vec![rossi()], Verdict::Valid);
        let a = assess(Form::A, 5, &c, &owner());
        assert_eq!(a.signature, "invalid");
        assert!(a.findings[0].en.contains("form B of candidacy #5"));
        let other = checked(b"OL-FORM:A:6;", vec![rossi()], Verdict::Valid);
        assert_eq!(assess(Form::A, 5, &other, &owner()).signature, "invalid");
    }

    #[test]
    fn someone_else_signing_is_a_mismatch() {
        let verdi = Signer {
            name: "Luigi Verdi".into(),
            tax_code: Some("VRDLGU70A01F205R".into()),
            issuer: "Test CA".into(),
        };
        let c = checked(b"OL-FORM:A:5;", vec![verdi], Verdict::Valid);
        let a = assess(Form::A, 5, &c, &owner());
        assert_eq!(a.signature, "signer_mismatch");
        assert!(a.findings[0].it.contains("Luigi Verdi (VRDLGU70A01F205R)"));
    }

    #[test]
    fn an_unsigned_download_is_refused_and_a_scan_needs_an_identity_document() {
        let mut c = checked(b"%PDF OL-FORM:A:5;", vec![], Verdict::Unsigned);
        c.format = Format::Unsigned;
        assert_eq!(assess(Form::A, 5, &c, &owner()).signature, "invalid");
        c.content = b"%PDF scanned image".to_vec();
        let a = assess(Form::A, 5, &c, &owner());
        assert_eq!(a.signature, "handwritten");
        assert_eq!(a.findings[0].severity, "warning");
    }
}
