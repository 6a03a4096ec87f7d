//! The submission receipt as PDF: reference, instant, who, where, and every
//! document received with its size and SHA-256, so either side can later prove
//! which exact files were submitted.

use crate::call::Lang;
use crate::pdf::escape_markdown;
use crate::signed_forms::{to_pdf, FormError};
use crate::texts;

#[derive(Debug, Clone)]
pub struct ReceiptDocument {
    /// What the document is: "Modello Excel", "Modulo A firmato", …
    pub label: String,
    pub name: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Debug, Clone)]
pub struct Receipt {
    pub reference: String,
    /// The instant, already written in Europe/Rome time for `lang`.
    pub submitted: String,
    pub kind: String,
    pub proponent: String,
    pub tax_code: String,
    /// Who pressed "submit" (the owner, or the delegate).
    pub filer: String,
    pub site: String,
    pub documents: Vec<ReceiptDocument>,
}

pub fn render(lang: Lang, r: &Receipt) -> Result<Vec<u8>, FormError> {
    let documents = r
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            format!(
                "{}. **{}**: {} ({})\\\n   SHA-256: {}",
                i + 1,
                escape_markdown(&d.label),
                escape_markdown(&d.name),
                size(d.size),
                d.sha256
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let vars = [
        ("reference", r.reference.as_str()),
        ("submitted", r.submitted.as_str()),
        ("kind", r.kind.as_str()),
        ("proponent", r.proponent.as_str()),
        ("tax_code", r.tax_code.as_str()),
        ("filer", r.filer.as_str()),
        ("site", r.site.as_str()),
    ];
    let markdown =
        texts::form_with_markdown("receipt", lang.code(), &vars, &[("documents", &documents)])?;
    to_pdf(
        &markdown,
        lang,
        vec![format!("OL-RECEIPT:{};", r.reference)],
    )
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}
