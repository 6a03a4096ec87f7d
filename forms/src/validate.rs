//! Checks a template's values against the call: every field, then the rules
//! across fields, collecting every problem in one pass.

use crate::call::{Call, Field, Kind, Lang, Localized, Rule};
use crate::reference::{Municipalities, Placement, Provinces};
use crate::report::{format_number, Message, Problem, Severity};
use crate::template::guard::Format;
use crate::template::layout::Meta;
use crate::template::reader::{self, FieldCell, Upload};
use crate::value::{self, Cell, Value};
use std::collections::BTreeMap;

/// Everything the portal needs to know about one uploaded file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub format: Option<Format>,
    pub meta: Option<Meta>,
    pub kind: Option<Kind>,
    pub sheet: Option<String>,
    /// The valid values, by field id.
    pub values: BTreeMap<String, Value>,
    pub problems: Vec<Problem>,
    /// The province the coordinates fall in, when they do.
    pub province: Option<String>,
}

impl Report {
    /// True when no problem is an error: the file can be accepted.
    pub fn is_accepted(&self) -> bool {
        !self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    /// The report as text for people: a header, one line per problem, a verdict.
    pub fn to_text(&self, call: &Call, lang: Lang) -> String {
        let mut out = String::new();
        if let (Some(format), Some(meta), Some(kind), Some(sheet)) =
            (self.format, &self.meta, self.kind, &self.sheet)
        {
            let header = Message::new("report_header")
                .with("format", format.extension())
                .with("version", meta.version as f64)
                .with("kind", call.kind_label(kind, lang))
                .with("sheet", sheet.as_str());
            out.push_str(&header.text(lang));
            out.push('\n');
        }
        for p in &self.problems {
            let severity = match p.severity {
                Severity::Error => "severity_error",
                Severity::Warning => "severity_warning",
                Severity::Info => "severity_info",
            };
            out.push_str(&format!(
                "{} {}\n",
                Message::new(severity).text(lang),
                p.line(lang)
            ));
        }
        let verdict = if self.is_accepted() {
            Message::new("report_accepted").with("count", self.values.len() as f64)
        } else {
            Message::new("report_refused").with("count", self.errors().count() as f64)
        };
        out.push_str(&verdict.text(lang));
        out.push('\n');
        out
    }

    fn refused(message: Message) -> Report {
        Report {
            problems: vec![Problem::file(message)],
            ..Report::default()
        }
    }
}

/// Reads and checks an uploaded file. `expected` is the kind of the candidacy it
/// is uploaded for; a template of the other kind is refused.
pub fn check_file(call: &Call, bytes: &[u8], expected: Option<Kind>) -> Report {
    let upload = match reader::read(call, bytes) {
        Ok(upload) => upload,
        Err(reader::ReadError(message)) => return Report::refused(message),
    };
    let kind = match (upload.meta.kind, expected) {
        (Some(found), Some(wanted)) if found != wanted => {
            let label = |k: Kind| Localized {
                it: call.kind_label(k, Lang::It).into(),
                en: call.kind_label(k, Lang::En).into(),
            };
            return Report::refused(
                Message::new("wrong_kind")
                    .with("found", label(found))
                    .with("expected", label(wanted)),
            );
        }
        (Some(found), _) => found,
        (None, Some(wanted)) => wanted,
        (None, None) => return Report::refused(Message::new("not_our_template")),
    };
    check_upload(call, kind, &upload)
}

/// Checks the cells found in a template of `kind`.
pub fn check_upload(call: &Call, kind: Kind, upload: &Upload) -> Report {
    let mut v = Validator {
        call,
        upload,
        values: BTreeMap::new(),
        problems: upload.problems.clone(),
        blank: Vec::new(),
    };
    for field in call.fields_for(kind) {
        v.field(field);
    }
    for field in call.fields_for(kind) {
        v.cross_field(field);
    }
    let mut province = None;
    for rule in &call.rules {
        province = province.or(v.rule(kind, rule));
    }
    Report {
        format: Some(upload.format),
        meta: Some(upload.meta.clone()),
        kind: Some(kind),
        sheet: Some(upload.sheet.clone()),
        values: v.values,
        problems: v.problems,
        province,
    }
}

struct Validator<'a> {
    call: &'a Call,
    upload: &'a Upload,
    values: BTreeMap<String, Value>,
    problems: Vec<Problem>,
    /// Fields left empty (not those with an invalid value).
    blank: Vec<String>,
}

impl Validator<'_> {
    fn report(&mut self, severity: Severity, field: &Field, message: Message) {
        let cell = self.upload.cells.get(&field.id).map(FieldCell::reference);
        self.problems.push(Problem {
            severity,
            sheet: Some(self.upload.sheet.clone()),
            cell,
            field: Some(field.id.clone()),
            label: Some(field.label.clone()),
            message,
        });
    }

    fn field(&mut self, field: &Field) {
        let Some(found) = self.upload.cells.get(&field.id) else {
            if field.required {
                self.report(Severity::Error, field, Message::new("row_missing"));
            }
            self.blank.push(field.id.clone());
            return;
        };
        if let Cell::Error(e) = &found.cell {
            self.report(
                Severity::Error,
                field,
                Message::new("cell_error").with("value", e.clone()),
            );
            return;
        }
        // A formula saved with no result at all (openpyxl and some converters
        // write none; a formula whose result is "" is a saved empty text, not
        // this): the value exists for its author, not here.
        if found.formula && found.cell == Cell::Empty {
            let message = Message::new("formula_without_value");
            self.report(Severity::Error, field, message);
            return;
        }
        if value::is_blank(&found.cell) {
            if field.required {
                self.report(Severity::Error, field, Message::new("required"));
            }
            self.blank.push(field.id.clone());
            return;
        }
        if found.formula {
            self.report(Severity::Warning, field, Message::new("formula"));
        }
        match value::parse(self.call, field, &found.cell) {
            Ok(value) => {
                self.values.insert(field.id.clone(), value);
            }
            Err(message) => self.report(Severity::Error, field, message),
        }
    }

    fn cross_field(&mut self, field: &Field) {
        if let Some(cond) = &field.required_when {
            let chosen = match self.values.get(&cond.field) {
                Some(Value::Choice(id)) if cond.any_of.contains(id) => Some(id.clone()),
                _ => None,
            };
            if let (Some(id), true) = (chosen, self.blank.contains(&field.id)) {
                let other = self
                    .call
                    .field(&cond.field)
                    .expect("checked when the call is loaded");
                let option = self
                    .call
                    .options(other)
                    .iter()
                    .find(|o| o.id == id)
                    .expect("parsed from the options");
                let value = Localized {
                    it: option.it.clone(),
                    en: option.en.clone(),
                };
                let message = Message::new("required_when")
                    .with("other", other.label.clone())
                    .with("value", value);
                self.report(Severity::Error, field, message);
            }
        }
        if let Some(other_id) = &field.not_above {
            let this = self.values.get(&field.id).and_then(Value::as_f64);
            let other = self.values.get(other_id).and_then(Value::as_f64);
            if let (Some(a), Some(b)) = (this, other) {
                if a > b {
                    let other_field = self
                        .call
                        .field(other_id)
                        .expect("checked when the call is loaded");
                    let message = Message::new("above_field")
                        .with("value", self.with_unit(field, a))
                        .with("other_label", other_field.label.clone())
                        .with("other_value", self.with_unit(other_field, b));
                    self.report(Severity::Error, field, message);
                }
            }
        }
    }

    fn with_unit(&self, field: &Field, n: f64) -> Localized {
        let text = |lang| {
            format!("{} {}", format_number(n, lang), self.call.unit(field, lang))
                .trim_end()
                .to_string()
        };
        Localized {
            it: text(Lang::It),
            en: text(Lang::En),
        }
    }

    /// Applies a rule across fields; returns the province when the rule placed the point.
    fn rule(&mut self, kind: Kind, rule: &Rule) -> Option<String> {
        match rule {
            Rule::AtLeastOne {
                kinds,
                field,
                message,
            } => {
                if !kinds.is_empty() && !kinds.contains(&kind) {
                    return None;
                }
                let group: Vec<&Field> = self
                    .call
                    .fields_for(kind)
                    .filter(|f| f.group.as_deref() == Some(field))
                    .collect();
                if !group.is_empty() && !group.iter().any(|f| self.values.contains_key(&f.id)) {
                    let first = group[0];
                    self.report(Severity::Error, first, Message::new(message.clone()));
                }
                None
            }
            Rule::InsideLombardy {
                latitude,
                longitude,
                municipality,
            } => self.inside_lombardy(latitude, longitude, municipality),
        }
    }

    fn inside_lombardy(
        &mut self,
        lat_id: &str,
        lon_id: &str,
        municipality_id: &str,
    ) -> Option<String> {
        let lat = self.values.get(lat_id).and_then(Value::as_f64)?;
        let lon = self.values.get(lon_id).and_then(Value::as_f64)?;
        let lat_field = self.call.field(lat_id)?;
        let (province, severity, message) = match Provinces::get().place(lat, lon) {
            Placement::Outside => {
                let message = Message::new("outside_lombardy")
                    .with("lat", lat)
                    .with("lon", lon);
                self.report(Severity::Error, lat_field, message);
                return None;
            }
            Placement::Inside { province } => {
                let m = Message::new("point_in_province")
                    .with("province", Municipalities::get().province_label(&province));
                (province, Severity::Info, m)
            }
            Placement::Near { province, km } => {
                let m = Message::new("near_border")
                    .with("province", Municipalities::get().province_label(&province))
                    .with("km", (km * 10.0).round() / 10.0);
                (province, Severity::Warning, m)
            }
        };
        self.report(severity, lat_field, message);
        if let Some(Value::Municipality(code)) = self.values.get(municipality_id) {
            let m = Municipalities::get().by_istat_code(code)?;
            if m.province_code != province {
                let message = Message::new("province_mismatch")
                    .with(
                        "point_province",
                        Municipalities::get().province_label(&province),
                    )
                    .with("municipality", m.name.clone())
                    .with(
                        "province",
                        Municipalities::get().province_label(&m.province_code),
                    );
                let field = self.call.field(municipality_id)?;
                self.report(Severity::Warning, field, message);
            }
        }
        Some(province)
    }
}
