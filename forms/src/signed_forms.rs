//! Forms A (application and owner's declarations), B (consent to publication)
//! and C (delegation), generated prefilled as PDF from the Markdown texts in
//! `forms/texts/forms/`. Each PDF carries a marker naming the form and the
//! candidacy, so a signed copy that comes back can be told from another form.

use crate::call::Lang;
use crate::pdf::{self, PdfError, PdfMeta};
use crate::texts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    A,
    B,
    C,
}

pub const ALL: [Form; 3] = [Form::A, Form::B, Form::C];

impl Form {
    /// The document purpose of its signed copy, and the name of its text.
    pub fn code(self) -> &'static str {
        match self {
            Form::A => "form_a",
            Form::B => "form_b",
            Form::C => "form_c",
        }
    }

    pub fn from_code(code: &str) -> Option<Form> {
        ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn letter(self) -> char {
        match self {
            Form::A => 'A',
            Form::B => 'B',
            Form::C => 'C',
        }
    }

    fn from_letter(letter: u8) -> Option<Form> {
        ALL.into_iter().find(|f| f.letter() as u8 == letter)
    }

    /// The file name offered for download, e.g. `modulo-A-12.pdf`.
    pub fn file_name(self, lang: Lang, candidacy_id: i64) -> String {
        let word = match lang {
            Lang::It => "modulo",
            Lang::En => "form",
        };
        format!("{word}-{}-{candidacy_id}.pdf", self.letter())
    }
}

const MARKER_PREFIX: &str = "OL-FORM:";

/// `OL-FORM:A:12;` — the marker written into form A of candidacy 12.
pub fn marker(form: Form, candidacy_id: i64) -> String {
    format!("{MARKER_PREFIX}{}:{candidacy_id};", form.letter())
}

/// The form and candidacy named by the first marker found in `bytes`, if any.
pub fn find_marker(bytes: &[u8]) -> Option<(Form, i64)> {
    let prefix = MARKER_PREFIX.as_bytes();
    let start = bytes.windows(prefix.len()).position(|w| w == prefix)? + prefix.len();
    let rest = bytes.get(start..(start + 24).min(bytes.len()))?;
    let form = Form::from_letter(*rest.first()?)?;
    if rest.get(1) != Some(&b':') {
        return None;
    }
    let digits: Vec<u8> = rest[2..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    if rest.get(2 + digits.len()) != Some(&b';') {
        return None;
    }
    let id = std::str::from_utf8(&digits).ok()?.parse().ok()?;
    Some((form, id))
}

/// The prefilled form as PDF. `vars` fill the text's placeholders.
pub fn render(
    form: Form,
    lang: Lang,
    candidacy_id: i64,
    vars: &[(&str, &str)],
) -> Result<Vec<u8>, FormError> {
    let markdown = texts::form(form.code(), lang.code(), vars)?;
    to_pdf(&markdown, lang, vec![marker(form, candidacy_id)])
}

/// A filled form text as PDF, titled after its first heading. A placeholder
/// left unfilled is an error, never a `{name}` printed on a legal document.
pub(crate) fn to_pdf(
    markdown: &str,
    lang: Lang,
    keywords: Vec<String>,
) -> Result<Vec<u8>, FormError> {
    if let Some(start) = markdown.find('{') {
        let name: String = markdown[start..]
            .chars()
            .take_while(|c| *c != '}')
            .collect();
        return Err(FormError::Unfilled(format!("{name}}}")));
    }
    let title = markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or("Opportunity Lombardy")
        .to_string();
    let meta = PdfMeta {
        footer: format!("Opportunity Lombardy · {title}"),
        title,
        lang,
        keywords,
    };
    Ok(pdf::render(markdown, &meta)?)
}

#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error(transparent)]
    Text(#[from] texts::TextError),
    #[error("placeholder {0} was not filled")]
    Unfilled(String),
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_and_junk_is_not_one() {
        for form in ALL {
            let text = format!("xx {} yy", marker(form, 4021));
            assert_eq!(find_marker(text.as_bytes()), Some((form, 4021)));
        }
        assert_eq!(find_marker(b"OL-FORM:D:12;"), None);
        assert_eq!(find_marker(b"OL-FORM:A:12"), None);
        assert_eq!(find_marker(b"OL-FORM:A:;"), None);
        assert_eq!(find_marker(b"nothing"), None);
    }

    #[test]
    fn a_placeholder_left_empty_is_an_error() {
        let err = render(Form::B, Lang::It, 1, &[]).unwrap_err();
        assert!(matches!(err, FormError::Unfilled(_)), "{err}");
    }
}
