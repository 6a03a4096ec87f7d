//! Checking a signed form: a CAdES envelope (`.p7m`, also base64 or PEM, also
//! nested `.p7m.p7m`) or a PAdES PDF. The CMS signature is verified with
//! OpenSSL; the signer's certificate must chain to one of the configured trust
//! anchors; the signer's name and tax code come from the certificate (Italian
//! qualified certificates carry `TINIT-<codice fiscale>` in `serialNumber`).
//! A PDF without any signature is a scan signed by hand.

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
const MAX_LAYERS: usize = 4;

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
    /// The bytes do not match the signature, or the file was changed after signing.
    Invalid(String),
    /// Intact, but the certificate cannot be trusted (unknown issuer, expired…).
    NotVerifiable(String),
    /// No digital signature.
    Unsigned,
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
    for _ in 0..MAX_LAYERS {
        let p7 = Pkcs7::from_der(&der).ok()?;
        let mut content = Vec::new();
        let layer = verify(&p7, None, Some(&mut content), anchors, &mut signers);
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
    Some(Checked {
        format: Format::Cades,
        verdict: Verdict::Invalid(format!("more than {MAX_LAYERS} nested envelopes")),
        signers,
        content: Vec::new(),
    })
}

fn check_pdf(pdf: &[u8], anchors: &TrustAnchors) -> Checked {
    let embedded = pades::signatures(pdf);
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
            Ok(p7) => verify(&p7, Some(&sig.signed), None, anchors, &mut signers),
            Err(_) => Verdict::Invalid("the signature cannot be read".into()),
        };
        verdict = worse(verdict, layer);
    }
    if !last.covers_whole_file {
        verdict = worse(
            verdict,
            Verdict::Invalid("the file was changed after it was signed".into()),
        );
    }
    Checked {
        format: Format::Pades,
        verdict,
        signers,
        content: last.signed.clone(),
    }
}

/// Verifies one signature: first the bytes (tampering makes it Invalid), then
/// each signer's certificate chain (an untrusted one makes it NotVerifiable).
fn verify(
    p7: &Pkcs7,
    detached: Option<&[u8]>,
    out: Option<&mut Vec<u8>>,
    anchors: &TrustAnchors,
    signers: &mut Vec<Signer>,
) -> Verdict {
    let Ok(no_certs) = Stack::<X509>::new() else {
        return Verdict::Invalid("out of memory".into());
    };
    let flags = Pkcs7Flags::NOVERIFY | Pkcs7Flags::BINARY;
    if p7
        .verify(&no_certs, &anchors.store, detached, out, flags)
        .is_err()
    {
        return Verdict::Invalid("the signed bytes do not match the signature".into());
    }
    let Ok(certs) = p7.signers(&no_certs, Pkcs7Flags::empty()) else {
        return Verdict::Invalid("the signer's certificate is missing".into());
    };
    let chain = p7
        .signed()
        .and_then(|s| s.certificates())
        .map(|c| c.iter().map(|x| x.to_owned()).collect::<Vec<X509>>())
        .unwrap_or_default();
    let mut verdict = Verdict::Valid;
    for cert in &certs {
        signers.push(signer_of(cert));
        verdict = worse(verdict, chain_verdict(cert, &chain, anchors));
    }
    verdict
}

fn chain_verdict(cert: &X509Ref, chain: &[X509], anchors: &TrustAnchors) -> Verdict {
    if anchors.count == 0 {
        return Verdict::NotVerifiable("no trusted certification authority is configured".into());
    }
    let result = (|| -> Result<Result<(), String>, openssl::error::ErrorStack> {
        let mut untrusted = Stack::new()?;
        for c in chain {
            untrusted.push(c.clone())?;
        }
        let mut ctx = X509StoreContext::new()?;
        ctx.init(&anchors.store, cert, &untrusted, |ctx| {
            Ok(if ctx.verify_cert()? {
                Ok(())
            } else {
                Err(ctx.error().error_string().to_string())
            })
        })
    })();
    match result {
        Ok(Ok(())) => Verdict::Valid,
        Ok(Err(reason)) => Verdict::NotVerifiable(reason),
        Err(e) => Verdict::NotVerifiable(e.to_string()),
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

fn signer_of(cert: &X509Ref) -> Signer {
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
    }
}

fn entry(name: &X509NameRef, nid: Nid) -> Option<String> {
    name.entries_by_nid(nid)
        .next()
        .and_then(|e| e.data().to_string().ok())
}

/// Whether a signer is the expected person: by tax code when both have one,
/// otherwise by the same words in the name, in any order and case.
pub fn same_person(signer: &Signer, name: &str, tax_code: Option<&str>) -> bool {
    if let (Some(a), Some(b)) = (signer.tax_code.as_deref(), tax_code) {
        return a.eq_ignore_ascii_case(b.trim());
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
    }

    #[test]
    fn the_worse_verdict_wins() {
        let invalid = Verdict::Invalid("x".into());
        assert_eq!(worse(Verdict::Valid, invalid.clone()), invalid);
        assert_eq!(worse(invalid.clone(), Verdict::Valid), invalid);
        let unknown = Verdict::NotVerifiable("y".into());
        assert_eq!(worse(unknown.clone(), Verdict::Valid), unknown);
    }

    #[test]
    fn junk_is_not_a_signed_file() {
        assert_eq!(check(b"hello", &TrustAnchors::none()), None);
        assert_eq!(check(&[0x30, 0x82, 0, 1, 5], &TrustAnchors::none()), None);
    }
}
