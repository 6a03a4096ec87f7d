//! Typed values of the call's fields, and the parsing of one spreadsheet cell
//! into one of them. Parsing is forgiving about form (Italian or English number
//! formats, dates as dates or as dd/mm/yyyy text, labels in either language)
//! and strict about meaning.

use crate::call::{Axis, Call, Field, FieldType};
use crate::reference::{Ateco, Municipalities};
use crate::report::Message;
use chrono::{Duration, NaiveDate};

/// A cell as read from any spreadsheet format, before it is given a meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// A formula's error result, e.g. "#DIV/0!".
    Error(String),
}

/// Cadastral references: a sheet (foglio) and its parcels (mappali).
#[derive(Debug, Clone, PartialEq)]
pub struct Parcels {
    pub sheet: String,
    pub parcels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Integer(i64),
    Decimal(f64),
    Date(NaiveDate),
    /// The id of an enumeration option.
    Choice(String),
    Choices(Vec<String>),
    /// The ISTAT code of a municipality.
    Municipality(String),
    Coordinate(f64),
    Cadastral(Vec<Parcels>),
    Ateco(Vec<String>),
}

impl Value {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Decimal(d) | Value::Coordinate(d) => Some(*d),
            _ => None,
        }
    }
}

/// Lombardy's bounding box with a margin: anything outside is a typo, not a border case.
const LAT_RANGE: (f64, f64) = (44.6, 46.7);
const LON_RANGE: (f64, f64) = (8.4, 11.5);

/// Parses a non-empty cell for `field`. Limits that involve other fields are checked later.
pub fn parse(call: &Call, field: &Field, cell: &Cell) -> Result<Value, Message> {
    let text = cell_text(cell);
    let bad = |key: &'static str| Message::new(key).with("value", text.clone());
    match field.kind {
        FieldType::Text | FieldType::LongText => {
            let value = if field.kind == FieldType::Text {
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            } else {
                text.trim().to_string()
            };
            check_len(field, &value)?;
            Ok(Value::Text(value))
        }
        FieldType::Integer => {
            let n = number(cell).ok_or_else(|| bad("not_a_number"))?;
            if n.fract() != 0.0 || n.abs() > 9e15 {
                return Err(bad("not_an_integer"));
            }
            check_range(field, n)?;
            Ok(Value::Integer(n as i64))
        }
        FieldType::Decimal => {
            let n = number(cell).ok_or_else(|| bad("not_a_number"))?;
            check_range(field, n)?;
            Ok(Value::Decimal(n))
        }
        FieldType::Coordinate => {
            // In coordinates the dot is always the decimal separator: 45.464 is never 45,464.
            let n = match cell {
                Cell::Number(n) => Some(*n),
                _ => text
                    .trim()
                    .replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite()),
            }
            .ok_or_else(|| bad("not_a_number"))?;
            let (key, (lo, hi)) = match field.axis {
                Some(Axis::Lat) => ("latitude_range", LAT_RANGE),
                _ => ("longitude_range", LON_RANGE),
            };
            if !(lo..=hi).contains(&n) {
                return Err(Message::new(key).with("value", n));
            }
            Ok(Value::Coordinate(n))
        }
        FieldType::Date => date(cell).map(Value::Date).ok_or_else(|| bad("not_a_date")),
        FieldType::Enum => option_id(call, field, &text)
            .map(Value::Choice)
            .ok_or_else(|| unknown_option(call, field, &text)),
        FieldType::MultiEnum => {
            let mut ids: Vec<String> = Vec::new();
            for part in split_list(&text) {
                let id = option_id(call, field, part)
                    .ok_or_else(|| unknown_option(call, field, part))?;
                if ids.contains(&id) {
                    return Err(Message::new("duplicate_option").with("value", part));
                }
                ids.push(id);
            }
            Ok(Value::Choices(ids))
        }
        FieldType::Municipality => Municipalities::get()
            .find(&text)
            .map(|m| Value::Municipality(m.istat_code.clone()))
            .ok_or_else(|| bad("unknown_municipality")),
        FieldType::Cadastral => {
            check_len(field, &text)?;
            cadastral(&text)
                .map(Value::Cadastral)
                .ok_or_else(|| bad("bad_cadastral"))
        }
        FieldType::AtecoList => {
            check_len(field, &text)?;
            let mut codes = Vec::new();
            for part in split_list(&text) {
                let found = Ateco::get()
                    .find(part)
                    .ok_or_else(|| Message::new("unknown_ateco").with("value", part))?;
                codes.push(found.code.clone());
            }
            Ok(Value::Ateco(codes))
        }
        FieldType::Postcode => {
            let code = match cell {
                Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 => format!("{:05}", *n as u64),
                _ => text.trim().to_string(),
            };
            if is_postcode(&code) {
                Ok(Value::Text(code))
            } else {
                Err(bad("bad_postcode"))
            }
        }
        FieldType::Email => {
            let value = text.trim();
            check_len(field, value)?;
            is_email(value)
                .then(|| Value::Text(value.to_string()))
                .ok_or_else(|| bad("bad_email"))
        }
        FieldType::Phone => {
            let value = text.split_whitespace().collect::<Vec<_>>().join(" ");
            is_phone(&value)
                .then(|| Value::Text(value.clone()))
                .ok_or_else(|| bad("bad_phone"))
        }
        FieldType::Url => {
            let value = text.trim();
            is_url(value)
                .then(|| Value::Text(value.to_string()))
                .ok_or_else(|| bad("bad_url"))
        }
    }
}

/// True when the cell holds nothing a person typed (spaces count as nothing).
pub fn is_blank(cell: &Cell) -> bool {
    match cell {
        Cell::Empty => true,
        Cell::Text(t) => t.trim().is_empty(),
        _ => false,
    }
}

/// The cell as a person would read it, for messages.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.clone(),
        Cell::Number(n) => format!("{n}"),
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Error(e) => e.clone(),
    }
}

fn check_len(field: &Field, text: &str) -> Result<(), Message> {
    let len = text.chars().count();
    match field.max_len {
        Some(max) if len > max => Err(Message::new("too_long")
            .with("len", len as f64)
            .with("max", max as f64)),
        _ => Ok(()),
    }
}

fn check_range(field: &Field, n: f64) -> Result<(), Message> {
    if let Some(min) = field.min_exclusive {
        if n <= min {
            return Err(Message::new("not_above_min")
                .with("value", n)
                .with("min", min));
        }
    }
    if let Some(min) = field.min {
        if n < min {
            return Err(Message::new("below_min").with("value", n).with("min", min));
        }
    }
    if let Some(max) = field.max {
        if n > max {
            return Err(Message::new("above_max").with("value", n).with("max", max));
        }
    }
    Ok(())
}

/// A number typed as a number, or as text in Italian ("1.234,5", "12.500") or
/// English ("1,234.5") form, with an optional unit after it ("12.500 m²").
pub fn number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) => Some(*n).filter(|n| n.is_finite()),
        Cell::Text(t) => parse_number_text(t),
        _ => None,
    }
}

// Longest first, so "km" is not read as "k" + "m".
const UNIT_SUFFIXES: &[&str] = &[
    "months", "euro", "mesi", "eur", "m²", "m2", "mq", "km", "kw", "€", "m",
];

/// A number as a person types it: "2.500,5", "2500.5", "2 500", "12 km", "€ 9000".
pub fn parse_number_text(text: &str) -> Option<f64> {
    let mut t = text.trim().to_lowercase();
    for unit in UNIT_SUFFIXES {
        if let Some(rest) = t.strip_suffix(unit) {
            t = rest.trim_end().to_string();
            break;
        }
    }
    if let Some(rest) = t.strip_prefix('€') {
        t = rest.trim_start().to_string();
    }
    // Spaces (also non-breaking) and apostrophes are thousands separators.
    let t: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'' && *c != '\u{a0}')
        .collect();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || ".,-+".contains(c)) {
        return None;
    }
    let normalised = match (t.rfind('.'), t.rfind(',')) {
        // Both: the last one is the decimal separator.
        (Some(d), Some(c)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        // Only commas: one is the Italian decimal comma, several are thousands.
        (None, Some(_)) if t.matches(',').count() == 1 => t.replace(',', "."),
        (None, Some(_)) => t.replace(',', ""),
        // Only dots: several, or one followed by exactly three digits, are Italian thousands.
        (Some(d), None)
            if t.matches('.').count() > 1
                || (t.len() - d - 1 == 3 && !matches!(&t[..d], "0" | "-0" | "+0")) =>
        {
            t.replace('.', "")
        }
        _ => t,
    };
    normalised.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A date cell, or text as dd/mm/yyyy (also with - or .) or yyyy-mm-dd, or an
/// Excel serial number in a cell that lost its date format.
pub fn date(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) => Some(*d),
        Cell::Number(n) if n.fract() == 0.0 && (1.0..=2_958_465.0).contains(n) => {
            NaiveDate::from_ymd_opt(1899, 12, 30).map(|base| base + Duration::days(*n as i64))
        }
        Cell::Text(t) => {
            let t = t.trim();
            ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        }
        _ => None,
    }
}

/// Splits a list typed in one cell: "Produttivo; Logistica", also with commas or new lines.
pub fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', ',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// An option given by its label in either language or by its id, in any case.
fn option_id(call: &Call, field: &Field, text: &str) -> Option<String> {
    let wanted = text.trim().to_lowercase();
    call.options(field)
        .iter()
        .find(|o| {
            [&o.id, &o.it, &o.en]
                .iter()
                .any(|s| s.to_lowercase() == wanted)
        })
        .map(|o| o.id.clone())
}

fn unknown_option(call: &Call, field: &Field, text: &str) -> Message {
    let list = |lang: crate::call::Lang| {
        call.options(field)
            .iter()
            .map(|o| o.label(lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Message::new("unknown_option")
        .with("value", text.trim())
        .with(
            "options",
            crate::call::Localized {
                it: list(crate::call::Lang::It),
                en: list(crate::call::Lang::En),
            },
        )
}

/// "12/345, 346; 13/12", also "Fg. 12 mapp. 345, 346" and "foglio 12 mappale 345".
pub fn cadastral(text: &str) -> Option<Vec<Parcels>> {
    let mut out = Vec::new();
    for group in text.split(';').map(str::trim).filter(|g| !g.is_empty()) {
        let tokens: Vec<&str> = group
            .split(|c: char| c.is_whitespace() || c == ',' || c == '/' || c == ':')
            .filter(|t| !t.is_empty())
            .filter(|t| !is_cadastral_word(t))
            .collect();
        let (sheet, parcels) = tokens.split_first()?;
        if !sheet.bytes().all(|b| b.is_ascii_digit()) || parcels.is_empty() || sheet.len() > 6 {
            return None;
        }
        if !parcels.iter().all(|p| {
            p.len() <= 8
                && p.chars().all(|c| c.is_ascii_alphanumeric())
                && p.as_bytes()[0].is_ascii_digit()
        }) {
            return None;
        }
        out.push(Parcels {
            sheet: sheet.to_string(),
            parcels: parcels.iter().map(|p| p.to_uppercase()).collect(),
        });
    }
    (!out.is_empty()).then_some(out)
}

fn is_cadastral_word(token: &str) -> bool {
    let word = token.trim_end_matches('.').to_lowercase();
    [
        "f",
        "fg",
        "fgl",
        "foglio",
        "sheet",
        "m",
        "mapp",
        "mappale",
        "mappali",
        "part",
        "particella",
        "particelle",
        "parcel",
        "parcels",
    ]
    .contains(&word.as_str())
}

/// An Italian postcode (CAP): five digits.
pub fn is_postcode(text: &str) -> bool {
    text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A plausible address: one @, a dotted domain, no spaces or list separators.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
        && !domain.contains('@')
}

/// 6 to 15 digits, with spaces, +, -, /, . and brackets; a + only at the start.
pub fn is_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (6..=15).contains(&digits)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-/.()".contains(c))
        && !text.chars().skip(1).any(|c| c == '+')
}

fn is_url(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.contains('.') && !text.chars().any(char::is_whitespace) && text.len() <= 500
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Cell {
        Cell::Text(t.into())
    }

    #[test]
    fn numbers_in_italian_and_english_form() {
        assert_eq!(number(&text("1.234,5")), Some(1234.5));
        assert_eq!(number(&text("1234,5")), Some(1234.5));
        assert_eq!(number(&text("12.500")), Some(12500.0));
        assert_eq!(number(&text("12.500 m²")), Some(12500.0));
        assert_eq!(number(&text("1,234.5")), Some(1234.5));
        assert_eq!(number(&text("3.5")), Some(3.5));
        assert_eq!(number(&text("€ 1.200.000")), Some(1_200_000.0));
        assert_eq!(number(&text("10 000")), Some(10000.0));
        assert_eq!(number(&Cell::Number(7.25)), Some(7.25));
        assert_eq!(number(&text("dodici")), None);
        assert_eq!(number(&text("1e400")), None);
    }

    #[test]
    fn dates_as_dates_text_or_serials() {
        let d = NaiveDate::from_ymd_opt(2027, 9, 1).unwrap();
        assert_eq!(date(&text("01/09/2027")), Some(d));
        assert_eq!(date(&text("1-9-2027")), Some(d));
        assert_eq!(date(&text("2027-09-01")), Some(d));
        assert_eq!(date(&Cell::Number(46631.0)), Some(d));
        assert_eq!(date(&text("31/02/2027")), None);
    }

    #[test]
    fn cadastral_references_in_the_usual_forms() {
        let parsed = cadastral("12/345, 346; 13/12a").unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].parcels, vec!["345", "346"]);
        assert_eq!(
            parsed[1],
            Parcels {
                sheet: "13".into(),
                parcels: vec!["12A".into()]
            }
        );
        assert_eq!(
            cadastral("Fg. 12 mapp. 345, 346").unwrap()[0].parcels.len(),
            2
        );
        assert!(cadastral("dodici").is_none());
        assert!(cadastral("12").is_none());
    }

    #[test]
    fn contacts() {
        assert!(is_email("ufficio.tecnico@comune.bergamo.it"));
        assert!(!is_email("ufficio tecnico@comune"));
        assert!(is_phone("+39 02 1234 5678"));
        assert!(!is_phone("call me"));
        assert!(is_url("https://www.comune.bergamo.it/aree"));
        assert!(!is_url("javascript:alert(1)"));
    }
}
