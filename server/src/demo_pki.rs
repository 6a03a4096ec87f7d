//! A demo certification authority for a development portal (`serve --demo`).
//! It issues a signing certificate to the demo proponent's legal
//! representative, so forms A and B can be signed with `openssl cms` and be
//! verified like a qualified signature, without a real one. Never used when
//! `PORTAL_TRUST_ANCHORS` is set.

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::stack::Stack;
use openssl::x509::extension::{BasicConstraints, KeyUsage};
use openssl::x509::{X509Builder, X509Name, X509};
use std::path::{Path, PathBuf};

/// The demo signer: the legal representative of the demo proponent.
pub const SIGNER: (&str, &str, &str) = ("Maria", "Rossi", "RSSMRA80A41F205B");

type Result<T> = std::result::Result<T, String>;

fn err(e: impl std::fmt::Display) -> String {
    format!("demo PKI: {e}")
}

/// The folder's `ca.pem`, making the authority and the signer's certificate on first use.
pub fn ensure(dir: &Path) -> Result<PathBuf> {
    let ca_path = dir.join("ca.pem");
    if ca_path.exists() {
        return Ok(ca_path);
    }
    std::fs::create_dir_all(dir).map_err(err)?;
    let (ca_key, ca) = certificate("/CN=Opportunity Lombardy demo CA", None, true)?;
    let (key, cert) = certificate("", Some((&ca_key, &ca)), false)?;
    write(
        &dir.join("signer.key"),
        &key.private_key_to_pem_pkcs8().map_err(err)?,
    )?;
    write(&dir.join("signer.pem"), &cert.to_pem().map_err(err)?)?;
    write(&ca_path, &ca.to_pem().map_err(err)?)?;
    Ok(ca_path)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// A key and a certificate: the authority's (self-signed) or the signer's (issued by it).
fn certificate(
    ca_subject: &str,
    issuer: Option<(&PKey<Private>, &X509)>,
    is_ca: bool,
) -> Result<(PKey<Private>, X509)> {
    let key = PKey::from_rsa(Rsa::generate(2048).map_err(err)?).map_err(err)?;
    let mut name = X509Name::builder().map_err(err)?;
    name.append_entry_by_nid(Nid::COUNTRYNAME, "IT")
        .map_err(err)?;
    if is_ca {
        let cn = ca_subject.trim_start_matches("/CN=");
        name.append_entry_by_nid(Nid::COMMONNAME, cn).map_err(err)?;
    } else {
        let (given, surname, tax_code) = SIGNER;
        name.append_entry_by_nid(Nid::GIVENNAME, given)
            .map_err(err)?;
        name.append_entry_by_nid(Nid::SURNAME, surname)
            .map_err(err)?;
        name.append_entry_by_nid(Nid::COMMONNAME, &format!("{given} {surname}"))
            .map_err(err)?;
        name.append_entry_by_nid(Nid::SERIALNUMBER, &format!("TINIT-{tax_code}"))
            .map_err(err)?;
    }
    let name = name.build();
    let mut b = X509Builder::new().map_err(err)?;
    b.set_version(2).map_err(err)?;
    let mut serial = BigNum::new().map_err(err)?;
    serial.rand(64, MsbOption::MAYBE_ZERO, false).map_err(err)?;
    let serial = serial.to_asn1_integer().map_err(err)?;
    b.set_serial_number(&serial).map_err(err)?;
    b.set_subject_name(&name).map_err(err)?;
    b.set_issuer_name(issuer.map_or(&name, |(_, ca)| ca.subject_name()))
        .map_err(err)?;
    b.set_pubkey(&key).map_err(err)?;
    let (from, until) = (
        Asn1Time::days_from_now(0).map_err(err)?,
        Asn1Time::days_from_now(3 * 365).map_err(err)?,
    );
    b.set_not_before(&from).map_err(err)?;
    b.set_not_after(&until).map_err(err)?;
    if is_ca {
        b.append_extension(
            BasicConstraints::new()
                .critical()
                .ca()
                .build()
                .map_err(err)?,
        )
        .map_err(err)?;
        b.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()
                .map_err(err)?,
        )
        .map_err(err)?;
    } else {
        b.append_extension(
            KeyUsage::new()
                .critical()
                .non_repudiation()
                .build()
                .map_err(err)?,
        )
        .map_err(err)?;
    }
    let signing_key = issuer.map_or(&key, |(k, _)| k);
    b.sign(signing_key, MessageDigest::sha256()).map_err(err)?;
    Ok((key, b.build()))
}

/// `content` in a CAdES-style envelope signed by the demo signer, as a `.p7m` in DER.
pub fn sign(dir: &Path, content: &[u8]) -> Result<Vec<u8>> {
    let read = |name: &str| std::fs::read(dir.join(name)).map_err(err);
    let cert = X509::from_pem(&read("signer.pem")?).map_err(err)?;
    let key = PKey::private_key_from_pem(&read("signer.key")?).map_err(err)?;
    let chain = Stack::new().map_err(err)?;
    Pkcs7::sign(&cert, &key, &chain, content, Pkcs7Flags::BINARY)
        .and_then(|p7| p7.to_der())
        .map_err(err)
}
