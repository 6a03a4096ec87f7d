//! What the validator says about a file: every problem at once, each with its
//! sheet, cell, field label and an Italian and English message taken from
//! `call/messages.toml`.

use crate::call::{Lang, Localized};
use std::collections::HashMap;
use std::sync::OnceLock;

const MESSAGES_TOML: &str = include_str!("../call/messages.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The file cannot be accepted until this is fixed.
    Error,
    /// Accepted, but someone should look at it.
    Warning,
    /// A fact worth showing, e.g. which province the point falls in.
    Info,
}

/// A value put into a message, formatted for each language.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(f64),
    Both(Localized),
}

impl Arg {
    fn render(&self, lang: Lang) -> String {
        match self {
            Arg::Text(t) => t.clone(),
            Arg::Number(n) => format_number(*n, lang),
            Arg::Both(l) => l.get(lang).to_string(),
        }
    }
}

impl From<&str> for Arg {
    fn from(t: &str) -> Arg {
        Arg::Text(t.to_string())
    }
}

impl From<String> for Arg {
    fn from(t: String) -> Arg {
        Arg::Text(t)
    }
}

impl From<f64> for Arg {
    fn from(n: f64) -> Arg {
        Arg::Number(n)
    }
}

impl From<Localized> for Arg {
    fn from(l: Localized) -> Arg {
        Arg::Both(l)
    }
}

/// A message key of `messages.toml` with the values of its placeholders.
#[derive(Debug, Clone)]
pub struct Message {
    pub key: String,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(key: impl Into<String>) -> Message {
        Message {
            key: key.into(),
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((name, value.into()));
        self
    }

    pub fn text(&self, lang: Lang) -> String {
        let template = catalogue()
            .get(&self.key)
            .map(|l| l.get(lang))
            .unwrap_or(&self.key);
        let mut out = template.to_string();
        for (name, arg) in &self.args {
            out = out.replace(&format!("{{{name}}}"), &arg.render(lang));
        }
        out
    }
}

/// True when `messages.toml` has `key` (the call definition's rules name their messages).
pub fn has_message(key: &str) -> bool {
    catalogue().contains_key(key)
}

fn catalogue() -> &'static HashMap<String, Localized> {
    static CATALOGUE: OnceLock<HashMap<String, Localized>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        toml::from_str(MESSAGES_TOML).expect("messages.toml is checked by the unit tests")
    })
}

/// One thing the validator found.
#[derive(Debug, Clone)]
pub struct Problem {
    pub severity: Severity,
    pub sheet: Option<String>,
    /// "C14"; None for problems with the whole file.
    pub cell: Option<String>,
    pub field: Option<String>,
    pub label: Option<Localized>,
    pub message: Message,
}

impl Problem {
    pub fn file(message: Message) -> Problem {
        Problem {
            severity: Severity::Error,
            sheet: None,
            cell: None,
            field: None,
            label: None,
            message,
        }
    }

    /// "C14 Superficie coperta: 12.500 m² supera …"
    pub fn line(&self, lang: Lang) -> String {
        let mut out = String::new();
        if let Some(cell) = &self.cell {
            out.push_str(cell);
            out.push(' ');
        }
        if let Some(label) = &self.label {
            out.push_str(label.get(lang));
            out.push_str(": ");
        }
        out.push_str(&self.message.text(lang));
        out
    }
}

/// Formats a number the way each language writes it: 12.500,5 in Italian, 12,500.5 in English.
pub fn format_number(n: f64, lang: Lang) -> String {
    let (thousands, decimal) = match lang {
        Lang::It => ('.', ','),
        Lang::En => (',', '.'),
    };
    let text = format!("{}", (n * 1e6).round() / 1e6);
    let (sign, digits) = text
        .strip_prefix('-')
        .map(|d| ("-", d))
        .unwrap_or(("", &text));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{decimal}{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages() {
        let all = catalogue();
        assert!(all.len() > 30);
        for (key, text) in all {
            assert!(!text.it.is_empty() && !text.en.is_empty(), "{key}");
            let holes = |s: &str| s.matches('{').count();
            assert_eq!(
                holes(&text.it),
                holes(&text.en),
                "{key} has different placeholders"
            );
        }
    }

    #[test]
    fn numbers_are_written_as_each_language_writes_them() {
        assert_eq!(format_number(12500.0, Lang::It), "12.500");
        assert_eq!(format_number(1234.5, Lang::It), "1.234,5");
        assert_eq!(format_number(1234.5, Lang::En), "1,234.5");
        assert_eq!(format_number(-0.25, Lang::En), "-0.25");
        assert_eq!(format_number(100.0, Lang::En), "100");
    }

    #[test]
    fn a_problem_reads_cell_label_message() {
        let p = Problem {
            severity: Severity::Error,
            sheet: Some("Dati".into()),
            cell: Some("C14".into()),
            field: Some("covered_area".into()),
            label: Some(Localized {
                it: "Superficie coperta".into(),
                en: "Covered area".into(),
            }),
            message: Message::new("above_field")
                .with("value", 12500.0)
                .with(
                    "other_label",
                    Localized {
                        it: "Superficie territoriale".into(),
                        en: "Land area".into(),
                    },
                )
                .with("other_value", 10000.0),
        };
        assert_eq!(
            p.line(Lang::It),
            "C14 Superficie coperta: 12.500 supera «Superficie territoriale», 10.000: correggere uno dei due valori."
        );
        assert!(p
            .line(Lang::En)
            .starts_with("C14 Covered area: 12,500 exceeds «Land area», 10,000"));
    }
}
