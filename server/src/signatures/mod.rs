//! Checking a signed form: a CAdES envelope (`.p7m`, also base64 or PEM, also
//! nested `.p7m.p7m`) or a PAdES PDF. The CMS signature is verified with
//! OpenSSL; the signer's certificate must chain to one of the configured trust
//! anchors; the signer's name and tax code come from the certificate (Italian
//! qualified certificates carry `TINIT-<codice fiscale>` in `serialNumber`).
//! A PDF without any signature is a scan signed by hand.

mod der;
mod envelope;
mod pades;

use envelope::Envelope;
use openssl::nid::Nid;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::{X509NameRef, X509Ref, X509StoreContext, X509};
use std::path::Path;

/// How deep `.p7m` envelopes may nest (a countersigned file is two).
pub const MAX_LAYERS: usize = 4;
pub use pades::MAX_SIGNATURES;

/// The certificates a signature must chain to.
pub struct TrustAnchors {
    store: X509Store,
    count: usize,
}

impl TrustAnchors {
    pub fn from_pem(pem: &[u8]) -> Result<TrustAnchors, String> {
        let certs = X509::stack_from_pem(pem).map_err(|e| e.to_string())?;
        let mut builder = X509StoreBuilder::new().map_err(|e| e.to_string())?;
        let count = certs.len();
        for cert in certs {
            builder.add_cert(cert).map_err(|e| e.to_string())?;
        }
        Ok(TrustAnchors {
            store: builder.build(),
            count,
        })
    }

    pub fn load(path: &Path) -> Result<TrustAnchors, String> {
        let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        TrustAnchors::from_pem(&pem)
    }

    /// No anchors: every digital signature is "not verifiable".
    pub fn none() -> TrustAnchors {
        TrustAnchors::from_pem(b"").expect("an empty store builds")
    }

    pub fn count(&self) -> usize {
        self.count
    }
}

/// Who signed, as the certificate says.
#[derive(Debug, Clone, PartialEq)]
pub struct Signer {
    pub name: String,
    /// The codice fiscale from `serialNumber` (`TINIT-…`), upper case.
    pub tax_code: Option<String>,
    pub issuer: String,
    /// Whether this signature covers the file as uploaded; false for a PAdES
    /// signature followed by later revisions.
    pub covers_final: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Format {
    Cades,
    Pades,
    /// A PDF with no signature in it: a scan signed by hand, or an unsigned form.
    Unsigned,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The signature is intact and its certificate chains to a trust anchor.
    Valid,
    /// The file is not a good signature: see the reason.
    Invalid(Reason),
    /// Intact, but the certificate cannot be trusted (unknown issuer, expired…).
    NotVerifiable(Reason),
    /// No digital signature.
    Unsigned,
}

/// Why a signature is refused, as a fact the page words in the user's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The signed bytes do not match the signature.
    Tampered,
    /// Bytes were added to a PDF after its last signature.
    ChangedAfterSigning,
    /// The signature structure cannot be read.
    Unreadable,
    /// The envelope carries no signer's certificate.
    NoCertificate,
    /// Envelopes nested deeper than [`MAX_LAYERS`].
    TooDeep,
    /// More signatures in one PDF than [`MAX_SIGNATURES`].
    TooManySignatures,
    /// A digest weaker than SHA-256 (its name: SHA-1, MD5…).
    WeakDigest(&'static str),
    /// The certificate's key usage does not allow signing documents.
    NotForSigning,
    /// A detached signature (`.p7s`): the signed document is not inside.
    Detached,
    /// No certification authority is configured, so nothing can be trusted.
    NoAnchors,
    /// The chain check failed with OpenSSL's X509 verification code.
    Chain(i32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub format: Format,
    pub verdict: Verdict,
    /// Every signer, outer envelope first.
    pub signers: Vec<Signer>,
    /// The signed content: the PDF inside the envelopes, or the signed ranges of a PAdES file.
    pub content: Vec<u8>,
}

/// Checks `bytes`; None when it is neither a PDF nor a signed envelope.
pub fn check(bytes: &[u8], anchors: &TrustAnchors) -> Option<Checked> {
    match envelope::open(bytes) {
        Envelope::Pdf => Some(check_pdf(bytes, anchors)),
        Envelope::Der(der) => check_cades(der, anchors),
        Envelope::Unknown => None,
    }
}

fn check_cades(mut der: Vec<u8>, anchors: &TrustAnchors) -> Option<Checked> {
    let mut signers = Vec::new();
    let mut verdict = Verdict::Valid;
    let refused = |reason, signers| Checked {
        format: Format::Cades,
        verdict: Verdict::Invalid(reason),
        signers,
        content: Vec::new(),
    };
    for _ in 0..MAX_LAYERS {
        let p7 = Pkcs7::from_der(&der).ok()?;
        if p7.to_der().is_ok_and(|d| der::is_detached(&d)) {
            return Some(refused(Reason::Detached, signers));
        }
        let mut content = Vec::new();
        let layer = verify(&p7, None, Some(&mut content), anchors, &mut signers, true);
        verdict = worse(verdict, layer);
        match envelope::open(&content) {
            Envelope::Der(inner)
                if matches!(verdict, Verdict::Valid | Verdict::NotVerifiable(_)) =>
            {
                der = inner
            }
            _ => {
                return Some(Checked {
                    format: Format::Cades,
                    verdict,
                    signers,
                    content,
                })
            }
        }
    }
    Some(refused(Reason::TooDeep, signers))
}

/// A PDF's signatures, verified one at a time so only one copy of the signed
/// bytes is alive; the last must reach the end of the file.
fn check_pdf(pdf: &[u8], anchors: &TrustAnchors) -> Checked {
    let embedded = match pades::signatures(pdf) {
        pades::Found::Signatures(found) => found,
        pades::Found::TooMany => {
            return Checked {
                format: Format::Pades,
                verdict: Verdict::Invalid(Reason::TooManySignatures),
                signers: Vec::new(),
                content: Vec::new(),
            }
        }
    };
    let Some(last) = embedded.last() else {
        return Checked {
            format: Format::Unsigned,
            verdict: Verdict::Unsigned,
            signers: Vec::new(),
            content: pdf.to_vec(),
        };
    };
    let mut signers = Vec::new();
    let mut verdict = Verdict::Valid;
    for sig in &embedded {
        let layer = match Pkcs7::from_der(&sig.cms) {
            Ok(p7) => {
                let signed = sig.signed(pdf);
                let whole = sig.covers_whole_file;
                verify(&p7, Some(&signed), None, anchors, &mut signers, whole)
            }
            Err(_) => Verdict::Invalid(Reason::Unreadable),
        };
        verdict = worse(verdict, layer);
    }
    if !last.covers_whole_file {
        verdict = worse(verdict, Verdict::Invalid(Reason::ChangedAfterSigning));
    }
    Checked {
        format: Format::Pades,
        verdict,
        signers,
        content: last.signed(pdf),
    }
}

/// Verifies one signature: first its digest and bytes (a weak digest or
/// tampering makes it Invalid), then each signer's certificate: meant for
/// signing, and chaining to an anchor (an untrusted one makes it NotVerifiable).
fn verify(
    p7: &Pkcs7,
    detached: Option<&[u8]>,
    out: Option<&mut Vec<u8>>,
    anchors: &TrustAnchors,
    signers: &mut Vec<Signer>,
    covers_final: bool,
) -> Verdict {
    let digests = p7
        .to_der()
        .map(|d| der::signer_digests(&d))
        .unwrap_or_default();
    if digests.is_empty() {
        return Verdict::Invalid(Reason::Unreadable);
    }
    if let Some(weak) = digests.iter().find(|d| !der::strong_digest(d)) {
        return Verdict::Invalid(Reason::WeakDigest(der::digest_name(weak)));
    }
    let Ok(no_certs) = Stack::<X509>::new() else {
        return Verdict::Invalid(Reason::Unreadable);
    };
    let flags = Pkcs7Flags::NOVERIFY | Pkcs7Flags::BINARY;
    if p7
        .verify(&no_certs, &anchors.store, detached, out, flags)
        .is_err()
    {
        return Verdict::Invalid(Reason::Tampered);
    }
    let Ok(certs) = p7.signers(&no_certs, Pkcs7Flags::empty()) else {
        return Verdict::Invalid(Reason::NoCertificate);
    };
    let chain = p7
        .signed()
        .and_then(|s| s.certificates())
        .map(|c| c.iter().map(|x| x.to_owned()).collect::<Vec<X509>>())
        .unwrap_or_default();
    let mut verdict = Verdict::Valid;
    for cert in &certs {
        signers.push(signer_of(cert, covers_final));
        let this = if for_signing(cert) {
            chain_verdict(cert, &chain, anchors)
        } else {
            Verdict::Invalid(Reason::NotForSigning)
        };
        verdict = worse(verdict, this);
    }
    verdict
}

/// Whether the certificate's key usage names digital signature or non-repudiation;
/// a certificate without key usage is not one issued for signing documents.
fn for_signing(cert: &X509Ref) -> bool {
    const DIGITAL_SIGNATURE: u8 = 0x80;
    const NON_REPUDIATION: u8 = 0x40;
    cert.to_der()
        .ok()
        .and_then(|d| der::key_usage(&d))
        .is_some_and(|bits| bits & (DIGITAL_SIGNATURE | NON_REPUDIATION) != 0)
}

fn chain_verdict(cert: &X509Ref, chain: &[X509], anchors: &TrustAnchors) -> Verdict {
    if anchors.count == 0 {
        return Verdict::NotVerifiable(Reason::NoAnchors);
    }
    let result = (|| -> Result<Result<(), i32>, openssl::error::ErrorStack> {
        let mut untrusted = Stack::new()?;
        for c in chain {
            untrusted.push(c.clone())?;
        }
        let mut ctx = X509StoreContext::new()?;
        ctx.init(&anchors.store, cert, &untrusted, |ctx| {
            Ok(if ctx.verify_cert()? {
                Ok(())
            } else {
                tracing::info!(
                    reason = ctx.error().error_string(),
                    "signature chain refused"
                );
                Err(ctx.error().as_raw())
            })
        })
    })();
    match result {
        Ok(Ok(())) => Verdict::Valid,
        Ok(Err(code)) => Verdict::NotVerifiable(Reason::Chain(code)),
        Err(e) => {
            tracing::warn!(error = %e, "signature chain check failed");
            Verdict::NotVerifiable(Reason::Chain(0))
        }
    }
}

/// Of two verdicts, the one that says less good of the file.
fn worse(a: Verdict, b: Verdict) -> Verdict {
    let rank = |v: &Verdict| match v {
        Verdict::Valid => 0,
        Verdict::Unsigned => 1,
        Verdict::NotVerifiable(_) => 2,
        Verdict::Invalid(_) => 3,
    };
    if rank(&b) > rank(&a) {
        b
    } else {
        a
    }
}

fn signer_of(cert: &X509Ref, covers_final: bool) -> Signer {
    let subject = cert.subject_name();
    let tax_code = entry(subject, Nid::SERIALNUMBER).and_then(|s| {
        let s = s.trim().to_uppercase();
        s.strip_prefix("TINIT-").map(str::to_string)
    });
    let name = match (entry(subject, Nid::GIVENNAME), entry(subject, Nid::SURNAME)) {
        (Some(given), Some(surname)) => format!("{given} {surname}"),
        _ => entry(subject, Nid::COMMONNAME).unwrap_or_default(),
    };
    let issuer = entry(cert.issuer_name(), Nid::COMMONNAME)
        .or_else(|| entry(cert.issuer_name(), Nid::ORGANIZATIONNAME))
        .unwrap_or_default();
    Signer {
        name,
        tax_code,
        issuer,
        covers_final,
    }
}

fn entry(name: &X509NameRef, nid: Nid) -> Option<String> {
    name.entries_by_nid(nid)
        .next()
        .and_then(|e| e.data().to_string().ok())
}

/// Whether a signer is the expected person. When the expected person's tax code
/// is known, the certificate must carry the same (`TINIT-…`): a namesake, or a
/// certificate without a tax code, is someone else. Only for profiles that have
/// no tax code (saved before it was asked) is the name compared, word by word.
pub fn same_person(signer: &Signer, name: &str, tax_code: Option<&str>) -> bool {
    if let Some(expected) = tax_code.map(str::trim).filter(|c| !c.is_empty()) {
        return signer
            .tax_code
            .as_deref()
            .is_some_and(|code| code.eq_ignore_ascii_case(expected));
    }
    let words = |s: &str| {
        let mut w: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        w.sort();
        w
    };
    !signer.name.trim().is_empty() && words(&signer.name) == words(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(name: &str, tax_code: Option<&str>) -> Signer {
        Signer {
            name: name.into(),
            tax_code: tax_code.map(str::to_string),
            issuer: "Test CA".into(),
            covers_final: true,
        }
    }

    #[test]
    fn people_are_matched_by_tax_code_then_by_name() {
        let s = signer("MARIO ROSSI", Some("RSSMRA80A01F205X"));
        assert!(same_person(&s, "Rossi Mario", Some("rssmra80a01f205x")));
        assert!(!same_person(&s, "Mario Rossi", Some("BNCMRA80A41F205Y")));
        let no_code = signer("Maria Bianchi", None);
        assert!(same_person(&no_code, "BIANCHI, Maria", None));
        assert!(!same_person(&no_code, "Maria Bianchini", None));
        assert!(!same_person(&signer("", None), "", None));
        // A profile with a tax code is never matched by name alone.
        assert!(!same_person(
            &no_code,
            "Maria Bianchi",
            Some("BNCMRA80A41F205Y")
        ));
    }

    #[test]
    fn the_worse_verdict_wins() {
        let invalid = Verdict::Invalid(Reason::Tampered);
        assert_eq!(worse(Verdict::Valid, invalid.clone()), invalid);
        assert_eq!(worse(invalid.clone(), Verdict::Valid), invalid);
        let unknown = Verdict::NotVerifiable(Reason::NoAnchors);
        assert_eq!(worse(unknown.clone(), Verdict::Valid), unknown);
    }

    #[test]
    fn junk_is_not_a_signed_file() {
        assert_eq!(check(b"hello", &TrustAnchors::none()), None);
        assert_eq!(check(&[0x30, 0x82, 0, 1, 5], &TrustAnchors::none()), None);
    }
}
