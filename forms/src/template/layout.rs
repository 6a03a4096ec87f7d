//! Where things are in a template, and the hidden markers the reader finds them by.
//!
//! The reader never trusts positions: it looks for the `#call=` marker to find
//! the data sheet and the id column, for `#value` to find the value column, and
//! for each field id to find its row. People can insert rows and columns, sort
//! the sheet or save it from another program and the file still reads.

use crate::call::{Call, Kind, Lang};

/// Column letters of the template as written (the reader does not rely on them).
pub const COL_ID: u16 = 0;
pub const COL_LABEL: u16 = 1;
pub const COL_VALUE: u16 = 2;
pub const COL_UNIT: u16 = 3;
pub const COL_REQUIRED: u16 = 4;
pub const COL_HELP: u16 = 5;

/// Row 0 holds the title and the metadata marker, row 1 the hidden column markers,
/// row 2 the visible headings; fields start on row 3.
pub const ROW_TITLE: u32 = 0;
pub const ROW_MARKERS: u32 = 1;
pub const ROW_HEADINGS: u32 = 2;
pub const ROW_FIRST_FIELD: u32 = 3;

pub const META_PREFIX: &str = "#call=";
pub const VALUE_MARKER: &str = "#value";
pub const SECTION_PREFIX: &str = "#section:";
pub const COLUMN_MARKERS: [&str; 6] =
    ["#id", "#label", VALUE_MARKER, "#unit", "#required", "#help"];

pub fn data_sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "Dati",
        Lang::En => "Data",
    }
}

pub fn instructions_sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "Istruzioni",
        Lang::En => "Instructions",
    }
}

pub fn lists_sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "Elenchi",
        Lang::En => "Lists",
    }
}

pub fn headings(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::It => ["Codice", "Campo", "Valore", "Unità", "Obbl.", "Aiuto"],
        Lang::En => ["Code", "Field", "Value", "Unit", "Req.", "Help"],
    }
}

/// The template's identity, written in the hidden id column of the title row:
/// `#call=opportunity-lombardy;version=1;kind=a;lang=it`.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub call: String,
    pub version: u32,
    pub kind: Option<Kind>,
    pub lang: Option<Lang>,
}

impl Meta {
    pub fn for_template(call: &Call, kind: Kind, lang: Lang) -> Meta {
        Meta {
            call: call.info.id.clone(),
            version: call.info.version,
            kind: Some(kind),
            lang: Some(lang),
        }
    }

    pub fn to_marker(&self) -> String {
        format!(
            "{META_PREFIX}{};version={};kind={};lang={}",
            self.call,
            self.version,
            self.kind.map(Kind::code).unwrap_or(""),
            self.lang.map(Lang::code).unwrap_or("")
        )
    }

    /// Reads a marker back; None when it is not one of ours at all.
    pub fn parse(text: &str) -> Option<Meta> {
        let rest = text.trim().strip_prefix(META_PREFIX)?;
        let mut parts = rest.split(';');
        let call = parts.next()?.to_string();
        let mut meta = Meta {
            call,
            version: 0,
            kind: None,
            lang: None,
        };
        for part in parts {
            match part.split_once('=') {
                Some(("version", v)) => meta.version = v.parse().ok()?,
                Some(("kind", k)) => meta.kind = Kind::from_code(k),
                Some(("lang", l)) => meta.lang = Lang::from_code(l),
                _ => {}
            }
        }
        Some(meta)
    }
}

/// "C14" for row 13, column 2 (both zero-based).
pub fn cell_ref(row: u32, col: u16) -> String {
    let mut letters = String::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_spreadsheet_style() {
        assert_eq!(cell_ref(13, 2), "C14");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn the_marker_reads_back() {
        let meta = Meta {
            call: "opportunity-lombardy".into(),
            version: 3,
            kind: Some(Kind::Investment),
            lang: Some(Lang::En),
        };
        assert_eq!(Meta::parse(&meta.to_marker()), Some(meta));
        assert_eq!(Meta::parse("hello"), None);
        assert_eq!(Meta::parse("#call=x;version=oops"), None);
    }
}
