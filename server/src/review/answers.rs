//! The template a candidacy was submitted with, read back for the officer:
//! every field that applies to its kind, section by section, with the value
//! as typed in the file and what the checks said about it.

use forms::template::reader;
use forms::value::cell_text;
use forms::{Call, Kind, Lang, Severity};
use std::collections::{BTreeMap, HashMap};

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
                        .map(|c| cell_text(&c.cell))
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

/// One field whose typed value differs between two templates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields of `kind` that differ from `before` to `after`, in the call's
/// order. Values are compared as typed, with surrounding spaces ignored.
pub fn changes(
    call: &Call,
    kind: Kind,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<Change> {
    let value =
        |m: &BTreeMap<String, String>, id: &str| m.get(id).map_or("", |v| v.trim()).to_string();
    call.fields_for(kind)
        .filter_map(|f| {
            let (b, a) = (value(before, &f.id), value(after, &f.id));
            (b != a).then(|| Change {
                field: f.id.clone(),
                before: b,
                after: a,
            })
        })
        .collect()
}
