//! A complete, valid set of answers for every field of a kind: a building in
//! Bergamo. Used by the tests, the demo data and the benchmarks, so all of
//! them exercise the same realistic filling.

use crate::call::{Axis, Call, Field, FieldType, Kind};
use crate::template::Prefill;
use crate::value::{Parcels, Value};
use chrono::NaiveDate;

/// A valid value for every field of `kind`: realistic where fields depend on
/// each other (a building in Bergamo, with coordinates in Bergamo), otherwise
/// derived from the field's type and limits.
pub fn complete(kind: Kind) -> Prefill {
    let call = Call::embedded();
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

/// A small real PNG photograph stand-in (a sky-to-field gradient), for demos and tests.
pub fn photo_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(96, 64, |_, y| {
        if y < 40 {
            image::Rgb([120, 170, 220])
        } else {
            image::Rgb([90, 140, 60])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG encodes in memory");
    out.into_inner()
}
