//! Shared by the `forms` integration tests: a complete set of valid answers
//! for every field of a kind, derived from the call definition.
#![allow(dead_code)]

use chrono::NaiveDate;
use forms::call::{Axis, Call, Field, FieldType, Kind, Lang};
use forms::template::{self, Prefill};
use forms::value::{Cell, Parcels, Value};
use forms::{check_file, Report};
use std::collections::BTreeMap;

pub fn call() -> &'static Call {
    Call::embedded()
}

/// A valid value for every field of `kind`: realistic where fields depend on
/// each other (a building in Bergamo, with coordinates in Bergamo), otherwise
/// derived from the field's type and limits.
pub fn valid_values(kind: Kind) -> Prefill {
    let call = call();
    call.fields_for(kind)
        .map(|f| (f.id.clone(), valid_value(call, f)))
        .collect()
}

fn valid_value(call: &Call, field: &Field) -> Value {
    match field.id.as_str() {
        "asset_type" => return Value::Choice("building".into()),
        "land_area" => return Value::Decimal(25_000.5),
        "covered_area" => return Value::Decimal(12_000.0),
        "municipality" => return Value::Municipality("016024".into()), // Bergamo
        "postcode" => return Value::Text("24121".into()),
        _ => {}
    }
    match field.kind {
        FieldType::Text | FieldType::LongText => {
            let text = format!("Valore di prova «{}» – àèìòù", field.id);
            Value::Text(text.chars().take(field.max_len.unwrap_or(200)).collect())
        }
        FieldType::Integer => Value::Integer(field.min.unwrap_or(0.0) as i64 + 3),
        FieldType::Decimal => {
            Value::Decimal(field.min.or(field.min_exclusive).unwrap_or(0.0) + 12.75)
        }
        FieldType::Date => Value::Date(NaiveDate::from_ymd_opt(2027, 9, 1).unwrap()),
        FieldType::Enum => Value::Choice(call.options(field).last().unwrap().id.clone()),
        FieldType::MultiEnum => Value::Choices(
            call.options(field)
                .iter()
                .take(2)
                .map(|o| o.id.clone())
                .collect(),
        ),
        FieldType::Municipality => Value::Municipality("016024".into()),
        FieldType::Coordinate if field.axis == Some(Axis::Lat) => Value::Coordinate(45.6983),
        FieldType::Coordinate => Value::Coordinate(9.6773),
        FieldType::Cadastral => Value::Cadastral(vec![
            Parcels {
                sheet: "12".into(),
                parcels: vec!["345".into(), "346A".into()],
            },
            Parcels {
                sheet: "13".into(),
                parcels: vec!["12".into()],
            },
        ]),
        FieldType::AtecoList => Value::Ateco(vec!["C".into(), "26".into(), "62.10".into()]),
        FieldType::Postcode => Value::Text("24121".into()),
        FieldType::Email => Value::Text("ufficio.tecnico@comune.bergamo.it".into()),
        FieldType::Phone => Value::Text("+39 035 399111".into()),
        FieldType::Url => Value::Text("https://www.comune.bergamo.it/aree-produttive".into()),
    }
}

/// The valid answers as the cells a person would type, in `lang`.
pub fn valid_cells(kind: Kind, lang: Lang) -> BTreeMap<String, Cell> {
    let call = call();
    valid_values(kind)
        .iter()
        .map(|(id, v)| {
            (
                id.clone(),
                template::to_cell(call, call.field(id).unwrap(), v, lang).unwrap(),
            )
        })
        .collect()
}

pub fn check_cells(kind: Kind, cells: &BTreeMap<String, Cell>) -> Report {
    let bytes = template::write_cells(call(), kind, Lang::It, cells).unwrap();
    check_file(call(), &bytes, Some(kind))
}

/// (field id, message key) of every error, sorted.
pub fn errors(report: &Report) -> Vec<(String, String)> {
    let mut out: Vec<_> = report
        .errors()
        .map(|p| (p.field.clone().unwrap_or_default(), p.message.key.clone()))
        .collect();
    out.sort();
    out
}
