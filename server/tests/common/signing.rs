//! Signed files for the tests, made by real tools: a throw-away PKI from the
//! `openssl` command (`tests/pki/make-test-ca.sh`), CAdES envelopes from
//! `openssl cms -sign -cades`, PAdES PDFs from pyHanko (`tests/pki/pades-sign.py`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The test PKI, made once per test binary.
pub fn pki() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ol-pki-{}", std::process::id()));
        let script = repo().join("tests/pki/make-test-ca.sh");
        let status = Command::new(&script).arg(&dir).status().unwrap();
        assert!(status.success(), "{} failed", script.display());
        dir
    })
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The trust anchors file of the tests: the test CA only.
pub fn anchors_file() -> PathBuf {
    pki().join("ca.pem")
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = pki().join(format!("{n}-{name}"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `content` in a CAdES envelope signed by `who` (owner, other, rogue, encipher), in DER.
pub fn cades(content: &[u8], who: &str) -> Vec<u8> {
    cades_with(content, who, "sha256", true)
}

/// A CAdES signature by `who` with the digest `md`; `attached: false` leaves the
/// content out, as a detached `.p7s`.
pub fn cades_with(content: &[u8], who: &str, md: &str, attached: bool) -> Vec<u8> {
    let input = scratch("in.bin", content);
    let output = input.with_extension("p7m");
    let dir = pki();
    let chain = if who == "rogue" {
        "rogue-ca.pem"
    } else {
        "ca.pem"
    };
    let status = Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-cades", "-md", md])
        .args(attached.then_some("-nodetach"))
        .args(["-outform", "DER", "-in"])
        .arg(&input)
        .arg("-signer")
        .arg(dir.join(format!("{who}.pem")))
        .arg("-inkey")
        .arg(dir.join(format!("{who}.key")))
        .arg("-certfile")
        .arg(dir.join(chain))
        .arg("-out")
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success(), "openssl cms -sign failed");
    std::fs::read(output).unwrap()
}

/// Whether pyHanko can run here; CI requires it.
pub fn pyhanko() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import pyhanko"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            !super::everything_required(),
            "this run requires pyHanko (python3 -m pip install pyhanko)"
        );
        eprintln!("SKIPPED: pyHanko is not installed (python3 -m pip install pyhanko)");
    }
    ok
}

/// `pdf` signed as PAdES by `who`.
pub fn pades(pdf: &[u8], who: &str) -> Vec<u8> {
    pades_with(pdf, who, None)
}

/// `pdf` signed as PAdES by `who`, after a text stamp on page 1 added in an
/// incremental update when `stamp` is given (a visible change after an earlier signature).
pub fn pades_with(pdf: &[u8], who: &str, stamp: Option<&str>) -> Vec<u8> {
    let input = scratch("in.pdf", pdf);
    let output = input.with_extension("signed.pdf");
    let dir = pki();
    let chain = if who == "rogue" {
        "rogue-ca.pem"
    } else {
        "ca.pem"
    };
    let out = Command::new("python3")
        .arg(repo().join("tests/pki/pades-sign.py"))
        .arg(dir.join(format!("{who}.key")))
        .arg(dir.join(format!("{who}.pem")))
        .arg(dir.join(chain))
        .arg(&input)
        .arg(&output)
        .args(stamp)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pades-sign.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(output).unwrap()
}

/// What pyHanko's own validator says of every signature in `pdf`: one line per
/// signature, "intact", "modified" or "invalid", with the signer's name.
pub fn pyhanko_validate(pdf: &[u8]) -> String {
    let input = scratch("check.pdf", pdf);
    let out = Command::new("python3")
        .arg(repo().join("tests/pki/pades-validate.py"))
        .arg(anchors_file())
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pades-validate.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The review's hostile PDF: 1 MB whose 2,000 `/ByteRange` entries all name
/// one `<00>` gap near the end (before the fix, a copy of the file per entry).
pub fn many_ranges_pdf() -> Vec<u8> {
    let len = 1 << 20;
    let gap = len - 64;
    let mut pdf = vec![b' '; len];
    pdf[..9].copy_from_slice(b"%PDF-1.7\n");
    pdf[gap..gap + 4].copy_from_slice(b"<00>");
    let entry = format!("/ByteRange [0 {gap} {} {}]", gap + 4, len - gap - 4);
    for n in 0..2000 {
        let at = 16 + n * (entry.len() + 1);
        pdf[at..at + entry.len()].copy_from_slice(entry.as_bytes());
    }
    pdf
}
