//! Texts kept as Markdown files under `forms/texts/`, one file per language.
//! They are embedded at build time so a running server never misses one.

use crate::markdown::{to_html, to_text};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TextError {
    #[error("no text named {0:?} in language {1:?}")]
    Unknown(String, String),
    #[error("email text {0:?} must start with a 'Subject:' line")]
    NoSubject(String),
}

macro_rules! texts {
    ($dir:literal: $($name:literal),+ $(,)?) => {
        &[$(
            ($name, "it", include_str!(concat!("../texts/", $dir, "/", $name, ".it.md"))),
            ($name, "en", include_str!(concat!("../texts/", $dir, "/", $name, ".en.md"))),
        )+]
    };
}

const PAGES: &[(&str, &str, &str)] = texts!("pages": "privacy", "accessibility", "credits");
const TEMPLATE: &[(&str, &str, &str)] = texts!("template": "instructions");
const FORMS: &[(&str, &str, &str)] = texts!("forms": "form_a", "form_b", "form_c", "receipt");
const EMAILS: &[(&str, &str, &str)] = texts!("emails": "verify_email", "already_registered", "password_reset", "password_changed", "submission_receipt", "withdrawal_confirmation", "deadline_reminder", "candidacy_validated", "candidacy_rejected", "integration_requested", "integration_replied", "integration_reminder", "integration_overdue", "candidacy_assigned", "candidacy_in_charge", "candidacy_published", "candidacy_unpublished", "staff_invited", "saved_search_news");

/// Reasons officers start from when they reject a candidacy: a title (the
/// first heading) and the text, with [brackets] to complete.
const REASONS: &[(&str, &str, &str)] =
    texts!("reasons": "documents_missing", "outside_scope", "data_inconsistent");

/// A reason template: its id, its title and its text, in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonText {
    pub id: &'static str,
    pub title: String,
    pub text: String,
}

/// Every reason template in `lang` ("it" or "en"), in the order they are kept.
pub fn reasons(lang: &str) -> Vec<ReasonText> {
    REASONS
        .iter()
        .filter(|(_, l, _)| *l == lang)
        .map(|(id, _, source)| {
            let (title, text) = source.split_once('\n').unwrap_or((source, ""));
            ReasonText {
                id,
                title: title.trim_start_matches('#').trim().to_string(),
                text: text.trim().to_string(),
            }
        })
        .collect()
}

fn lookup(
    table: &[(&str, &str, &'static str)],
    name: &str,
    lang: &str,
) -> Result<&'static str, TextError> {
    table
        .iter()
        .find(|(n, l, _)| *n == name && *l == lang)
        .map(|(_, _, text)| *text)
        .ok_or_else(|| TextError::Unknown(name.to_string(), lang.to_string()))
}

/// An information page: its title (the first heading) and its body as HTML.
#[derive(Debug, Clone)]
pub struct PageText {
    pub title: String,
    pub html: String,
}

pub fn page(name: &str, lang: &str) -> Result<PageText, TextError> {
    let source = lookup(PAGES, name, lang)?;
    let title = source
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .unwrap_or(name)
        .trim()
        .to_string();
    Ok(PageText {
        title,
        html: to_html(source),
    })
}

/// The instructions sheet of the Excel template, as Markdown paragraphs.
pub fn template_instructions(lang: &str) -> Result<&'static str, TextError> {
    lookup(TEMPLATE, "instructions", lang)
}

/// A form's Markdown with its `{var}` placeholders filled; values are escaped,
/// so whatever a user typed stays text.
pub fn form(name: &str, lang: &str, vars: &[(&str, &str)]) -> Result<String, TextError> {
    form_with_markdown(name, lang, vars, &[])
}

/// `form`, plus placeholders filled with Markdown the caller built (and escaped) itself.
pub fn form_with_markdown(
    name: &str,
    lang: &str,
    vars: &[(&str, &str)],
    markdown: &[(&str, &str)],
) -> Result<String, TextError> {
    let source = lookup(FORMS, name, lang)?;
    let text = vars.iter().fold(source.to_string(), |text, (k, v)| {
        text.replace(&format!("{{{k}}}"), &crate::pdf::escape_markdown(v))
    });
    Ok(markdown
        .iter()
        .fold(text, |text, (k, v)| text.replace(&format!("{{{k}}}"), v)))
}

/// An email ready to send: subject, plain-text body and HTML body.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailText {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders email `name` in `lang`, replacing `{var}` placeholders.
pub fn email(name: &str, lang: &str, vars: &[(&str, &str)]) -> Result<EmailText, TextError> {
    let source = lookup(EMAILS, name, lang)?;
    let filled = vars.iter().fold(source.to_string(), |text, (k, v)| {
        text.replace(&format!("{{{k}}}"), v)
    });
    let (first, rest) = filled.split_once('\n').unwrap_or((&filled, ""));
    let subject = first
        .strip_prefix("Subject:")
        .ok_or_else(|| TextError::NoSubject(name.to_string()))?
        .trim()
        .to_string();
    let body = rest.trim_start_matches('\n');
    Ok(EmailText {
        subject,
        text: to_text(body),
        html: format!("<!DOCTYPE html><html><body>{}</body></html>", to_html(body)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_title_and_a_text_in_both_languages() {
        let (it, en) = (reasons("it"), reasons("en"));
        assert_eq!(it.len(), 3);
        assert_eq!(
            it.iter().map(|r| r.id).collect::<Vec<_>>(),
            en.iter().map(|r| r.id).collect::<Vec<_>>()
        );
        for r in it.iter().chain(&en) {
            assert!(!r.title.is_empty() && !r.text.is_empty(), "{r:?}");
            assert!(!r.text.starts_with('#'), "{r:?}");
        }
    }

    #[test]
    fn every_text_exists_in_both_languages_and_renders() {
        for (name, _, _) in PAGES {
            for lang in ["it", "en"] {
                let p = page(name, lang).unwrap();
                assert!(
                    !p.title.is_empty() && p.html.contains("<h1>"),
                    "{name}.{lang}"
                );
            }
        }
        for (name, _, _) in EMAILS {
            for lang in ["it", "en"] {
                // A one-time token may hold what Markdown reads as emphasis
                // (`-_ab_-`): the link must come out whole, in both parts.
                let link = "https://x.test/a?b=1&t=-_ab_-x";
                let vars = [
                    ("link", link),
                    ("reference", "OL-2026-000001"),
                    ("left", "Mancano 7 giorni"),
                    ("deadline", "30 giugno 2028"),
                    ("count", "2"),
                    ("reasons", "Manca la planimetria."),
                    ("message", "Serve la planimetria aggiornata."),
                    ("due", "30 novembre 2026"),
                    ("previous", "anna@regione.test"),
                    ("by", "capo@regione.test"),
                    ("plain_name", "Logistica a Bergamo"),
                    ("name", "Logistica a Bergamo"),
                    (
                        "sites",
                        "- [Area a Dalmine](https://portal.test/opportunita/OL-2027-000001), Dalmine (BG)",
                    ),
                    ("more", ""),
                    ("manage", link),
                    ("unsubscribe", link),
                    ("days", "7"),
                ];
                let e = email(name, lang, &vars).unwrap();
                assert!(!e.subject.is_empty(), "{name}.{lang}");
                assert!(e.text.contains(link), "{name}.{lang}: {}", e.text);
                assert!(
                    e.html
                        .contains(&format!(">{}</a>", link.replace('&', "&amp;"))),
                    "{name}.{lang}: {}",
                    e.html
                );
                assert!(
                    !e.text.contains('{'),
                    "{name}.{lang} has an unfilled placeholder"
                );
                // The text part is read as it is: no Markdown markup in it.
                for markup in ["**", "](", "[http"] {
                    assert!(
                        !e.text.contains(markup),
                        "{name}.{lang}: {markup} in {}",
                        e.text
                    );
                }
            }
        }
    }

    #[test]
    fn credits_carry_the_istat_attribution() {
        for lang in ["it", "en"] {
            let p = page("credits", lang).unwrap();
            assert!(p.html.contains("ISTAT") && p.html.contains("CC BY 4.0"));
        }
    }

    #[test]
    fn unknown_text_is_an_error() {
        assert!(matches!(page("nope", "it"), Err(TextError::Unknown(..))));
        assert!(matches!(
            email("verify_email", "fr", &[]),
            Err(TextError::Unknown(..))
        ));
    }
}
