//! The template a candidacy was submitted with, read back for the officer:
//! every field that applies to its kind, section by section, with the value
//! as typed in the file and what the checks said about it.

use forms::template::{reader, Prefill};
use forms::value::cell_text;
use forms::{Call, Kind, Lang, Severity, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::candidacies::{documents, kind_of};
use crate::db::entities::{candidacy, document};
use crate::error::AppResult;
use crate::state::AppState;

pub struct Answer {
    pub label: String,
    pub typed: String,
    pub problems: Vec<String>,
}

/// (section title, answers) in `lang`. The file was checked when it was
/// uploaded; it is read again here under the same guard, so its cost is
/// bounded the same way. A file that no longer reads gives no sections.
pub fn read(call: &Call, bytes: &[u8], kind: Kind, lang: Lang) -> Vec<(String, Vec<Answer>)> {
    let Ok(upload) = reader::read(call, bytes) else {
        return Vec::new();
    };
    // Checked from what was read: the workbook is parsed once.
    let report = forms::validate::check_upload(call, kind, &upload);
    let mut problems: HashMap<&str, Vec<String>> = HashMap::new();
    // Errors and warnings by their field; notes (where the point falls, say)
    // stay in the list of findings above the fields.
    for p in report
        .problems
        .iter()
        .filter(|p| p.severity != Severity::Info)
    {
        if let Some(field) = p.field.as_deref() {
            problems.entry(field).or_default().push(p.line(lang));
        }
    }
    call.sections
        .iter()
        .filter(|s| s.kinds.is_empty() || s.kinds.contains(&kind))
        .map(|section| {
            let answers = call
                .fields_for(kind)
                .filter(|f| f.section == section.id)
                .map(|f| Answer {
                    label: f.label.get(lang).to_string(),
                    typed: upload
                        .cells
                        .get(&f.id)
                        .map(|c| shown(f, &cell_text(&c.cell), lang))
                        .unwrap_or_default(),
                    problems: problems.remove(f.id.as_str()).unwrap_or_default(),
                })
                .collect::<Vec<_>>();
            (section.label(lang).to_string(), answers)
        })
        .filter(|(_, answers)| !answers.is_empty())
        .collect()
}

/// Every field of `kind` as typed in the file, by id (empty when absent);
/// `None` when the file does not read. Read under the reader's guard.
pub fn typed(call: &Call, bytes: &[u8], kind: Kind) -> Option<BTreeMap<String, String>> {
    let upload = reader::read(call, bytes).ok()?;
    Some(
        call.fields_for(kind)
            .map(|f| {
                let text = upload
                    .cells
                    .get(&f.id)
                    .map(|c| cell_text(&c.cell))
                    .unwrap_or_default();
                (f.id.clone(), text)
            })
            .collect(),
    )
}

/// `typed` (a cell of `field` as [`typed`] reads it) as the officer reads
/// it: a number the file holds as a number, in a numeric field, written
/// the way `lang` writes numbers (12,75 in Italian, not 12.75); anything
/// else exactly as typed. Text is never read as a number here: "12.500"
/// typed as text (twelve thousand five hundred, to the validator) stays so.
pub fn shown(field: &forms::call::Field, typed: &str, lang: Lang) -> String {
    use forms::call::FieldType;
    let numeric = matches!(
        field.kind,
        FieldType::Integer | FieldType::Decimal | FieldType::Coordinate
    );
    match typed.parse::<f64>() {
        // Only the text a number cell reads as (`cell_text`) round-trips.
        Ok(n) if numeric && n.is_finite() && format!("{n}") == typed => {
            forms::report::format_number(n, lang)
        }
        _ => typed.to_string(),
    }
}

/// [`shown`] for the field `id` of the call, or `typed` as it is for an
/// unknown one.
pub fn shown_by_id(id: &str, typed: &str, lang: Lang) -> String {
    match Call::embedded().field(id) {
        Some(field) => shown(field, typed, lang),
        None => typed.to_string(),
    }
}

/// One field whose typed value differs between two templates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields of `kind` that differ from `before` to `after`, in the call's
/// order, each as typed: fields are compared by what they mean where they
/// read as a value (see [`readings`]), else as typed, spaces aside.
fn changes(
    call: &Call,
    kind: Kind,
    before: &BTreeMap<String, Reading>,
    after: &BTreeMap<String, Reading>,
) -> Vec<Change> {
    let empty = Reading::default();
    call.fields_for(kind)
        .filter_map(|f| {
            let (b, a) = (
                before.get(&f.id).unwrap_or(&empty),
                after.get(&f.id).unwrap_or(&empty),
            );
            (b.meaning != a.meaning).then(|| Change {
                field: f.id.clone(),
                before: b.typed.clone(),
                after: a.typed.clone(),
            })
        })
        .collect()
}

/// A field as typed, and what it means.
#[derive(Default)]
struct Reading {
    typed: String,
    meaning: String,
}

/// Each field of `kind` as typed and as meant: its value as the portal
/// keeps it when it reads as one, so "Edificio" in an Italian template and
/// "Building" in an English one, or 12,5 and 12.5, are the same; otherwise
/// its text without surrounding spaces. `None` when the file does not read.
fn readings(call: &Call, bytes: &[u8], kind: Kind) -> Option<BTreeMap<String, Reading>> {
    let upload = reader::read(call, bytes).ok()?;
    Some(
        call.fields_for(kind)
            .map(|f| {
                let cell = upload.cells.get(&f.id).map(|c| &c.cell);
                let typed = cell.map(cell_text).unwrap_or_default().trim().to_string();
                let meaning = match cell {
                    Some(cell) if !typed.is_empty() => forms::value::parse(call, f, cell)
                        .map_or_else(|_| typed.clone(), |v| canonical(&v)),
                    _ => String::new(),
                };
                (f.id.clone(), Reading { typed, meaning })
            })
            .collect(),
    )
}

/// The fields that differ between two stored templates; `None` when either
/// cannot be read (each read is bounded by the reader's guard).
pub fn compare_files(old: &Path, new: &Path, kind: Kind) -> Option<Vec<Change>> {
    let call = Call::embedded();
    let read = |p: &Path| {
        std::fs::read(p)
            .ok()
            .and_then(|bytes| readings(call, &bytes, kind))
    };
    Some(changes(call, kind, &read(old)?, &read(new)?))
}

/// Each field of `c`'s template as typed: see [`stored`].
pub async fn stored_values(
    state: &AppState,
    c: &candidacy::Model,
) -> AppResult<Option<BTreeMap<String, String>>> {
    stored(state, c, typed).await
}

/// What `read` makes of `c`'s stored template, read under the reader's
/// guard on the heavy-work pool; `None` without a template or when it no
/// longer reads.
pub async fn stored<T: Send + 'static>(
    state: &AppState,
    c: &candidacy::Model,
    read: fn(&Call, &[u8], Kind) -> Option<T>,
) -> AppResult<Option<T>> {
    match documents::latest(&state.db, c.id, documents::TEMPLATE).await? {
        Some(doc) => read_document(state, c, &doc, read).await,
        None => Ok(None),
    }
}

/// What `read` makes of the stored template `doc` of `c`: see [`stored`].
pub async fn read_document<T: Send + 'static>(
    state: &AppState,
    c: &candidacy::Model,
    doc: &document::Model,
    read: fn(&Call, &[u8], Kind) -> Option<T>,
) -> AppResult<Option<T>> {
    let path = state.config.uploads_dir().join(&doc.sha256);
    let kind = kind_of(c);
    let run = move || {
        std::fs::read(&path)
            .ok()
            .and_then(|b| read(Call::embedded(), &b, kind))
    };
    state.heavy.run(run).await
}

/// Each public field of `kind` (`public = true` in the call) as validated:
/// see [`validated`].
pub fn public_values(call: &Call, bytes: &[u8], kind: Kind) -> Option<BTreeMap<String, String>> {
    validated(call, bytes, kind, true)
}

/// Each field of `kind` as validated: see [`validated`].
pub fn all_values(call: &Call, bytes: &[u8], kind: Kind) -> Option<BTreeMap<String, String>> {
    validated(call, bytes, kind, false)
}

/// Each field of `kind` (only the public ones if `public_only`) as
/// validated: option ids, plain numbers, ISO dates, by field id. Empty
/// fields and values that do not pass are left out; `None` when the file
/// does not read.
fn validated(
    call: &Call,
    bytes: &[u8],
    kind: Kind,
    public_only: bool,
) -> Option<BTreeMap<String, String>> {
    let values = parsed(call, bytes, kind, public_only)?;
    Some(
        values
            .into_iter()
            .map(|(id, v)| (id, canonical(&v)))
            .collect(),
    )
}

/// The fields of `kind` (only the public ones if `public_only`) that are
/// filled in and pass their own checks, as values; `None` when the file
/// does not read.
fn parsed(call: &Call, bytes: &[u8], kind: Kind, public_only: bool) -> Option<Prefill> {
    let upload = reader::read(call, bytes).ok()?;
    Some(
        call.fields_for(kind)
            .filter(|f| f.public || !public_only)
            .filter_map(|f| {
                let cell = &upload.cells.get(&f.id)?.cell;
                if cell_text(cell).trim().is_empty() {
                    return None;
                }
                let value = forms::value::parse(call, f, cell).ok()?;
                Some((f.id.clone(), value))
            })
            .collect(),
    )
}

/// A value kept by [`canonical`], read back in one language.
#[derive(Clone, Debug, PartialEq)]
pub enum Kept {
    Number(f64),
    Text(String),
    /// The labels of a multiple choice, for the caller to join.
    Labels(Vec<String>),
}

/// What `kept` (a [`canonical`] value of `field`) says in `lang`: options
/// by their label, municipalities by name, numbers as numbers.
pub fn read_kept(field: &forms::call::Field, kept: &str, lang: Lang) -> Kept {
    use forms::call::FieldType;
    let call = Call::embedded();
    let label = |id: &str| call.option_label(field, id, lang).unwrap_or(id).to_string();
    match field.kind {
        FieldType::Integer | FieldType::Decimal | FieldType::Coordinate => kept
            .parse()
            .map_or_else(|_| Kept::Text(kept.to_string()), Kept::Number),
        FieldType::Enum => Kept::Text(label(kept)),
        FieldType::MultiEnum => Kept::Labels(kept.split(';').map(label).collect()),
        FieldType::Municipality => Kept::Text(
            forms::reference::Municipalities::get()
                .by_istat_code(kept)
                .map_or(kept.to_string(), |m| m.list_label()),
        ),
        _ => Kept::Text(kept.to_string()),
    }
}

/// A value as the portal keeps it (the published version, the values
/// frozen at submission), whatever language it was typed in.
pub fn canonical(v: &Value) -> String {
    match v {
        Value::Text(t) | Value::Choice(t) | Value::Municipality(t) => t.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(d) | Value::Coordinate(d) => d.to_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Choices(ids) | Value::Ateco(ids) => ids.join(";"),
        Value::Cadastral(sheets) => sheets
            .iter()
            .map(|s| format!("{}:{}", s.sheet, s.parcels.join(",")))
            .collect::<Vec<_>>()
            .join(";"),
    }
}
