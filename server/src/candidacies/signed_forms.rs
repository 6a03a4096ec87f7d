//! Forms A, B (and C) of a candidacy: prefilled from the profile and the draft,
//! and, when they come back signed, judged: is the signature intact and
//! trusted, is it this form of this candidacy, did the owner sign it?

use crate::candidacies::documents::Finding;
use crate::candidacies::kind_of;
use crate::db::entities::{candidacy, document, profile};
use crate::signatures::{self, Checked, Format, Reason, Verdict, MAX_LAYERS, MAX_SIGNATURES};
use app::i18n::t;
use forms::signed_forms::{self, Form};
use forms::{Kind, Lang};

/// The purpose of the signer's identity document, needed with a handwritten signature.
pub const ID_DOCUMENT: &str = "id_document";

/// The purposes of the documents checked for an owner: the signed forms and
/// the identity document.
pub fn signed_purposes() -> Vec<&'static str> {
    let mut purposes: Vec<&str> = forms::signed_forms::ALL.iter().map(|f| f.code()).collect();
    purposes.push(ID_DOCUMENT);
    purposes
}

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

/// Whose forms these are, recorded on a signed form or identity document when
/// it is checked: the owner (person or organisation, and tax code) and who
/// signs for them (tax code, or name when only that is known). The file counts
/// only while the candidacy's owner gives the same value: a company replaced by
/// another with the same representative is a different owner.
pub fn checked_for(owner: &profile::Model) -> String {
    let signer = expected_signer(owner);
    let signer = match &signer.tax_code {
        Some(code) => code.to_uppercase(),
        None => signer.name.trim().to_uppercase(),
    };
    format!(
        "{}:{}:{signer}",
        owner.subject_type,
        owner.tax_code.to_uppercase()
    )
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

/// The documents' language (forms, receipt) for the page's.
pub fn document_lang(lang: app::Lang) -> Lang {
    match lang {
        app::Lang::It => Lang::It,
        app::Lang::En => Lang::En,
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
            let (it, en) = reason_text(reason);
            findings.push(finding("error", it, en));
            "invalid"
        }
        (_, Verdict::NotVerifiable(reason)) => {
            let (it, en) = reason_text(reason);
            findings.push(finding(
                "error",
                format!("La firma è integra ma non verificabile: {it} Usa una firma digitale qualificata, oppure firma a mano."),
                format!("The signature is intact but cannot be verified: {en} Use a qualified digital signature, or sign by hand."),
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

/// What a refused signature means and what to do, in Italian and English.
fn reason_text(reason: &Reason) -> (String, String) {
    let again_it = "Firma di nuovo il modulo scaricato dal portale.";
    let again_en = "Sign the form downloaded from the portal again.";
    let (it, en): (String, String) = match reason {
        Reason::Tampered => (
            format!("Firma digitale non valida: il contenuto non corrisponde alla firma (il file è stato modificato dopo la firma o la firma è danneggiata). {again_it}"),
            format!("Invalid digital signature: the content does not match the signature (the file was changed after signing or the signature is damaged). {again_en}"),
        ),
        Reason::ChangedAfterSigning => (
            format!("Firma digitale non valida: al PDF è stato aggiunto qualcosa dopo l'ultima firma. {again_it}"),
            format!("Invalid digital signature: something was added to the PDF after its last signature. {again_en}"),
        ),
        Reason::Unreadable | Reason::NoCertificate => (
            format!("La firma digitale non si può leggere: il file è danneggiato o non è una firma CAdES o PAdES. {again_it}"),
            format!("The digital signature cannot be read: the file is damaged or is not a CAdES or PAdES signature. {again_en}"),
        ),
        Reason::TooDeep => (
            format!("Il file contiene più di {MAX_LAYERS} buste di firma una dentro l'altra. Carica il file con la firma del proprietario, senza ulteriori buste."),
            format!("The file holds more than {MAX_LAYERS} signature envelopes one inside the other. Upload the file with the owner's signature, without further envelopes."),
        ),
        Reason::TooManySignatures => (
            format!("Il PDF contiene più di {MAX_SIGNATURES} firme. {again_it}"),
            format!("The PDF carries more than {MAX_SIGNATURES} signatures. {again_en}"),
        ),
        Reason::WeakDigest("") => (
            "La firma usa un algoritmo di impronta che il portale non riconosce: serve SHA-256 o superiore. Firma di nuovo con un software di firma aggiornato.".into(),
            "The signature uses a digest algorithm the portal does not recognise: SHA-256 or stronger is required. Sign again with up-to-date signing software.".into(),
        ),
        Reason::WeakDigest(name) => (
            format!("La firma usa l'algoritmo {name}, che le regole sulla firma digitale non ammettono più: serve SHA-256 o superiore. Firma di nuovo con un software di firma aggiornato."),
            format!("The signature uses the {name} algorithm, which the digital signature rules no longer allow: SHA-256 or stronger is required. Sign again with up-to-date signing software."),
        ),
        Reason::NotForSigning => (
            "Il certificato usato non è abilitato alla firma di documenti (manca l'uso «non ripudio» o «firma digitale»): usa il certificato di firma del tuo dispositivo, non quello di autenticazione.".into(),
            "The certificate used is not enabled for signing documents (it lacks the \"non-repudiation\" or \"digital signature\" usage): use your device's signing certificate, not the authentication one.".into(),
        ),
        Reason::Detached => (
            "Questo file è una firma separata (.p7s) e non contiene il modulo. Carica il file .p7m che contiene il modulo firmato, oppure il PDF firmato (PAdES).".into(),
            "This file is a detached signature (.p7s) and does not contain the form. Upload the .p7m file that contains the signed form, or the signed PDF (PAdES).".into(),
        ),
        Reason::NoAnchors => (
            "il portale non ha ancora l'elenco dei certificatori riconosciuti.".into(),
            "the portal does not have the list of recognised providers yet.".into(),
        ),
        // X509 verification codes: 9 not yet valid, 10 expired, 23 revoked; the others
        // (unknown or self-signed issuer) mean an authority that is not recognised.
        Reason::Chain(9) => (
            "il certificato non è ancora valido.".into(),
            "the certificate is not valid yet.".into(),
        ),
        Reason::Chain(10) => (
            "il certificato è scaduto.".into(),
            "the certificate has expired.".into(),
        ),
        Reason::Chain(23) => (
            "il certificato è stato revocato.".into(),
            "the certificate has been revoked.".into(),
        ),
        Reason::Chain(_) => (
            "il certificato non risulta emesso da un certificatore qualificato riconosciuto.".into(),
            "the certificate was not issued by a recognised qualified provider.".into(),
        ),
    };
    (it, en)
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
    let is_owner = |s: &&signatures::Signer| {
        signatures::same_person(s, &expected.name, expected.tax_code.as_deref())
    };
    let owner_signatures: Vec<_> = checked.signers.iter().filter(is_owner).collect();
    if let Some(owner) = owner_signatures.iter().find(|s| s.covers_final) {
        findings.push(finding(
            "info",
            format!(
                "Firma digitale valida di {signed_by}, certificato emesso da {}.",
                owner.issuer
            ),
            format!(
                "Valid digital signature of {signed_by}, certificate issued by {}.",
                owner.issuer
            ),
        ));
        "valid"
    } else if !owner_signatures.is_empty() {
        // The owner signed an earlier version; what was added later is not covered.
        findings.push(finding(
            "error",
            format!("Il modulo {letter} è stato modificato dopo la firma di {}: la firma successiva ({signed_by}) non copre le modifiche al suo posto. Carica il modulo firmato da {} nella sua versione finale.", expected.name, expected.name),
            format!("Form {letter} was changed after {} signed it: a later signature ({signed_by}) cannot cover the changes in their place. Upload the form as signed by {} in its final version.", expected.name, expected.name),
        ));
        "invalid"
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
            covers_final: true,
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
            covers_final: true,
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
            covers_final: true,
        };
        let c = checked(b"OL-FORM:A:5;", vec![verdi], Verdict::Valid);
        let a = assess(Form::A, 5, &c, &owner());
        assert_eq!(a.signature, "signer_mismatch");
        assert!(a.findings[0].it.contains("Luigi Verdi (VRDLGU70A01F205R)"));
    }

    #[test]
    fn the_owners_signature_on_an_earlier_version_does_not_count() {
        let mut earlier = rossi();
        earlier.covers_final = false;
        let verdi = Signer {
            name: "Luigi Verdi".into(),
            tax_code: Some("VRDLGU70A01F205R".into()),
            issuer: "Test CA".into(),
            covers_final: true,
        };
        let c = checked(b"OL-FORM:A:5;", vec![earlier, verdi], Verdict::Valid);
        let a = assess(Form::A, 5, &c, &owner());
        assert_eq!(a.signature, "invalid");
        assert!(a.findings[0]
            .en
            .contains("changed after Mario Rossi signed"));
    }

    #[test]
    fn refusals_say_their_reason_in_each_language() {
        let c = checked(b"x", vec![], Verdict::Invalid(Reason::TooDeep));
        let a = assess(Form::A, 5, &c, &owner());
        assert!(a.findings[0].it.contains("buste"), "{}", a.findings[0].it);
        assert!(!a.findings[0].it.contains("envelope"));
        let weak = checked(b"x", vec![], Verdict::Invalid(Reason::WeakDigest("SHA-1")));
        let a = assess(Form::A, 5, &weak, &owner());
        assert!(a.findings[0].it.contains("SHA-1") && a.findings[0].en.contains("SHA-256"));
        let chain = checked(b"x", vec![], Verdict::NotVerifiable(Reason::Chain(20)));
        let a = assess(Form::A, 5, &chain, &owner());
        assert_eq!(a.signature, "not_verifiable");
        assert!(!a.findings[0].it.contains("unable"), "{}", a.findings[0].it);
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
