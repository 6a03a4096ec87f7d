//! The queue, as filtered, in files staff take away: Excel (every field of
//! the call, one row per candidacy, headers in Italian or English), CSV
//! (the same, with spreadsheet formulas neutralised) and GeoJSON (a point
//! per candidacy). Candidacies are read a page at a time, by id, and the
//! values come from those frozen at submission: no file is parsed again.

use crate::candidacies::status::Status;
use crate::clock::rome;
use crate::db::entities::{candidacy, candidacy_value};
use crate::error::{AppError, AppResult};
use crate::review::answers::{self, Kept};
use crate::review::queue::{self, Filter};
use app::i18n::t;
use app::Lang;
use chrono::{DateTime, Utc};
use forms::call::Field;
use forms::reference::Municipalities;
use forms::Call;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// Candidacies read at once.
pub const PAGE: u64 = 500;

/// One cell of an exported row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

/// The columns before the template's fields: translation keys.
const FIXED: [&str; 11] = [
    "export.reference",
    "export.status",
    "export.kind",
    "export.municipality",
    "export.province",
    "export.address",
    "export.postcode",
    "export.latitude",
    "export.longitude",
    "export.submitted",
    "export.officer",
];

/// Every field of the call once, in its order (both kinds).
fn fields() -> Vec<&'static Field> {
    Call::embedded().fields.iter().collect()
}

/// The header row in `lang`.
pub fn headers(lang: Lang) -> Vec<String> {
    let doc = crate::candidacies::signed_forms::document_lang(lang);
    FIXED
        .iter()
        .map(|key| t(lang, key))
        .chain(fields().iter().map(|f| f.label.get(doc).to_string()))
        .collect()
}

/// A candidacy of an export: its row, the officer in charge's email, and
/// the template's values frozen at submission (JSON, if any).
pub struct Exported {
    pub candidacy: candidacy::Model,
    pub officer: Option<String>,
    pub values: Option<String>,
}

/// A page of the candidacies `f` selects, after id `after`.
pub async fn page(
    db: &impl ConnectionTrait,
    f: &Filter,
    me: i64,
    now: DateTime<Utc>,
    after: i64,
) -> AppResult<Vec<Exported>> {
    let found = queue::selected(f, me, now)
        .filter(candidacy::Column::Id.gt(after))
        .order_by_asc(candidacy::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    let officers = queue::emails_of(db, found.iter().filter_map(|c| c.assigned_to)).await?;
    let mut values: HashMap<i64, String> = candidacy_value::Entity::find()
        .filter(candidacy_value::Column::CandidacyId.is_in(found.iter().map(|c| c.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.candidacy_id, v.values))
        .collect();
    Ok(found
        .into_iter()
        .map(|c| Exported {
            officer: c.assigned_to.and_then(|id| officers.get(&id).cloned()),
            values: values.remove(&c.id),
            candidacy: c,
        })
        .collect())
}

/// The row of `c` in `lang`: the fixed columns, then each field of the call
/// as frozen at submission (options by their label, numbers as numbers).
pub fn row(e: &Exported, lang: Lang) -> Vec<Cell> {
    let (c, officer) = (&e.candidacy, e.officer.as_deref());
    let text = |s: Option<String>| s.filter(|s| !s.is_empty()).map_or(Cell::Empty, Cell::Text);
    let number = |n: Option<f64>| n.map_or(Cell::Empty, Cell::Number);
    let town = c
        .municipality_code
        .as_deref()
        .and_then(|code| Municipalities::get().by_istat_code(code));
    let kind = if c.kind == "b" {
        "candidacy.kind_b"
    } else {
        "candidacy.kind_a"
    };
    let mut cells = vec![
        text(c.reference.clone()),
        Cell::Text(t(lang, &status_key(c.status))),
        Cell::Text(t(lang, kind)),
        text(town.map(|m| m.name.clone())),
        text(town.map(|m| m.province_code.clone())),
        text(c.address.clone()),
        text(c.postcode.clone()),
        number(c.latitude),
        number(c.longitude),
        text(c.submitted_at.map(|at| {
            let r = rome(at);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                r.year, r.month, r.day, r.hour, r.minute
            )
        })),
        text(officer.map(str::to_string)),
    ];
    let values: BTreeMap<String, String> = e
        .values
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let doc = crate::candidacies::signed_forms::document_lang(lang);
    cells.extend(
        fields()
            .iter()
            .map(|f| values.get(&f.id).map_or(Cell::Empty, |v| value(f, v, doc))),
    );
    cells
}

fn status_key(s: Status) -> String {
    format!("candidacy.status_{}", s.as_str())
}

/// A frozen value as a cell: options by their label in `lang`, numbers as
/// numbers, municipalities by name.
pub fn value(field: &Field, kept: &str, lang: forms::Lang) -> Cell {
    match answers::read_kept(field, kept, lang) {
        Kept::Number(n) => Cell::Number(n),
        Kept::Text(t) => Cell::Text(t),
        Kept::Labels(labels) => Cell::Text(labels.join("; ")),
    }
}

/// Text a spreadsheet would read as a formula gets an apostrophe in front,
/// so opening the file runs nothing (OWASP's CSV injection advice): `=`,
/// `+`, `-`, `@` (or their full-width forms) first, also after spaces a
/// spreadsheet may trim, or a tab or carriage return first.
pub fn formula_safe(text: &str) -> String {
    let first = text
        .chars()
        .find(|c| !matches!(c, ' ' | '\u{a0}' | '\u{3000}' | '\n'));
    let risky = matches!(text.chars().next(), Some('\t' | '\r'))
        || matches!(
            first,
            Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠')
        );
    match risky {
        true => format!("'{text}"),
        false => text.to_string(),
    }
}

/// CSV lines for `rows` (and the header first when given), UTF-8. Fields
/// are separated by `;` and all quoted, as spreadsheets set to Italian read
/// them (a `;` inside a value cannot start a new cell); numbers are written
/// the language's way.
pub fn csv_lines(header: Option<&[String]>, rows: &[Vec<Cell>], lang: Lang) -> AppResult<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    if let Some(header) = header {
        w.write_record(header.iter().map(|h| formula_safe(h)))
            .map_err(fail)?;
    }
    for row in rows {
        w.write_record(row.iter().map(|cell| match cell {
            Cell::Text(s) => formula_safe(s),
            Cell::Number(n) if lang == Lang::It => n.to_string().replace('.', ","),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }))
        .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))
}

/// The Excel workbook: the header row, then each page of rows as `pages`
/// gives it (as they are read, so a page is dropped once written). Numbers
/// stay numbers; text is written as text, never as a formula.
pub fn xlsx(
    headers: &[String],
    pages: impl Iterator<Item = Vec<Vec<Cell>>>,
) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    for (col, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, h, &bold)
            .map_err(e)?;
    }
    sheet.set_freeze_panes(1, 1).map_err(e)?;
    let mut r: u32 = 1;
    for page in pages {
        for row in page {
            for (col, cell) in row.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(s) => sheet.write_string(r, col, cut(s)).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(r, col, *n).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(e)?;
            }
            r += 1;
        }
    }
    sheet
        .autofilter(
            0,
            0,
            r.saturating_sub(1),
            headers.len().saturating_sub(1) as u16,
        )
        .map_err(e)?;
    book.save_to_buffer().map_err(e)
}

/// At most the 32,767 characters a cell of Excel holds.
fn cut(s: &str) -> &str {
    match s.char_indices().nth(32_767) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

/// GeoJSON features of `page` that have a point, joined by commas (the
/// caller writes the collection around them). No personal data: staff
/// share these files with map tools.
pub fn features(page: &[Exported], lang: Lang) -> String {
    let out: Vec<String> = page
        .iter()
        .filter_map(|e| {
            let c = &e.candidacy;
            let (lat, lon) = (c.latitude?, c.longitude?);
            let kind = if c.kind == "b" {
                "candidacy.kind_b"
            } else {
                "candidacy.kind_a"
            };
            let mut props: BTreeMap<&str, serde_json::Value> = BTreeMap::new();
            props.insert("reference", c.reference.clone().into());
            props.insert("status", t(lang, &status_key(c.status)).into());
            props.insert("status_code", c.status.as_str().into());
            props.insert("kind", t(lang, kind).into());
            props.insert("kind_code", c.kind.clone().into());
            props.insert(
                "municipality",
                crate::candidacies::municipality_label(c).into(),
            );
            let feature = serde_json::json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [lon, lat] },
                "properties": props,
            });
            Some(feature.to_string())
        })
        .collect();
    out.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_not() {
        for risky in [
            "=1+1", "+39 035", "-2", "@SUM(A1)", "\tx", "\rx", "  =1+1", "＝1+1", "\u{a0}@x",
        ] {
            assert!(formula_safe(risky).starts_with('\''), "{risky:?}");
        }
        for plain in ["Bergamo", "OL-2027-000001", "", "1=1"] {
            assert_eq!(formula_safe(plain), plain);
        }
    }

    #[test]
    fn csv_keeps_numbers_and_quotes_what_needs_it() {
        let rows = vec![vec![
            Cell::Text("=HYPERLINK(\"http://x\")".into()),
            Cell::Number(25000.5),
            Cell::Empty,
            Cell::Text("Via Roma, 1".into()),
        ]];
        let out = String::from_utf8(csv_lines(None, &rows, Lang::It).unwrap()).unwrap();
        let expected = "\"'=HYPERLINK(\"\"http://x\"\")\";\"25000,5\";\"\";\"Via Roma, 1\"\n";
        assert_eq!(out, expected);
        let out = String::from_utf8(csv_lines(None, &rows, Lang::En).unwrap()).unwrap();
        assert!(out.contains(";\"25000.5\";"), "{out}");
    }
}
