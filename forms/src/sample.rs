//! A complete, valid set of answers for every field of a kind: a building in
//! Bergamo. Used by the tests, the demo data and the benchmarks, so all of
//! them exercise the same realistic filling.

use crate::call::{Axis, Call, Field, FieldType, Kind, Lang};
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

/// A complete template of `kind` plus a notes sheet of incompressible text,
/// about 5 MB on disk: the large upload of the benchmarks. Written with
/// rust_xlsxwriter directly, found by the same markers as the real template.
pub fn five_megabyte_upload(kind: Kind) -> Vec<u8> {
    use crate::template::{self, layout::Meta};
    let call = Call::embedded();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Dati").expect("a valid sheet name");
    let marker = Meta::for_template(call, kind, Lang::It).to_marker();
    sheet.write_string(0, 0, marker).expect("cell written");
    sheet.write_string(1, 2, "#value").expect("cell written");
    for (row, (id, v)) in complete(kind).iter().enumerate() {
        let row = row as u32 + 3;
        sheet.write_string(row, 0, id).expect("cell written");
        let field = call.field(id).expect("a field of the call");
        match template::to_cell(call, field, v, Lang::It).expect("a valid value") {
            crate::Cell::Number(n) => sheet.write_number(row, 2, n),
            other => sheet.write_string(row, 2, crate::value::cell_text(&other)),
        }
        .expect("cell written");
    }
    let notes = workbook.add_worksheet();
    notes.set_name("Note").expect("a valid sheet name");
    // Random letters and digits barely compress: 8,000 rows × 36 cells of 24 characters ≈ 5 MB zipped.
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for row in 0..8_000 {
        for col in 0..36 {
            let text: String = (0..24)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ALPHABET[(seed % 62) as usize] as char
                })
                .collect();
            notes.write_string(row, col, text).expect("cell written");
        }
    }
    workbook
        .save_to_buffer()
        .expect("the workbook is written in memory")
}
