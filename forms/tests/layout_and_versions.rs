//! The reader finds fields by their hidden ids, wherever they are, and knows
//! which template versions it can still read.

mod common;

use common::*;
use forms::call::{Call, Kind, Lang};
use forms::check_file;
use forms::template;
use forms::value::Cell;

const CALL_TOML: &str = include_str!("../call/opportunity-lombardy.toml");

#[test]
fn fields_are_found_after_rows_are_reordered_and_rows_and_columns_inserted() {
    let kind = Kind::Settlement;
    let cells = valid_cells(kind, Lang::It);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook
        .add_worksheet()
        .set_name("Note mie")
        .unwrap()
        .write_string(0, 0, "appunti")
        .unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Foglio rinominato").unwrap();
    // Id column moved to B, value column to E, markers on other rows, fields in reverse order
    // with blank and note rows in between.
    sheet
        .write_string(3, 1, "#call=opportunity-lombardy;version=1;kind=a;lang=it")
        .unwrap();
    sheet.write_string(5, 4, "#value").unwrap();
    let mut row = 9;
    for (id, cell) in cells.iter().rev() {
        sheet.write_string(row, 1, id).unwrap();
        sheet.write_string(row, 2, "etichetta cambiata").unwrap();
        match cell {
            Cell::Number(n) => sheet.write_number(row, 4, *n).unwrap(),
            Cell::Text(t) => sheet.write_string(row, 4, t).unwrap(),
            Cell::Date(d) => {
                use chrono::Datelike;
                let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(
                    d.year() as u16,
                    d.month() as u8,
                    d.day() as u8,
                )
                .unwrap();
                let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
                sheet
                    .write_datetime_with_format(row, 4, &dt, &format)
                    .unwrap()
            }
            other => panic!("unexpected {other:?}"),
        };
        sheet
            .write_string(row + 1, 6, "una nota a margine")
            .unwrap();
        row += 3;
    }
    let report = check_file(call(), &workbook.save_to_buffer().unwrap(), Some(kind));
    assert_eq!(errors(&report), vec![]);
    assert_eq!(report.values, valid_values(kind));
    assert_eq!(report.sheet.as_deref(), Some("Foglio rinominato"));
}

#[test]
fn a_field_row_pasted_twice_is_reported() {
    let call = call();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .write_string(0, 0, "#call=opportunity-lombardy;version=1;kind=a;lang=it")
        .unwrap();
    sheet.write_string(1, 2, "#value").unwrap();
    sheet.write_string(3, 0, "title_it").unwrap();
    sheet.write_string(3, 2, "Area A").unwrap();
    sheet.write_string(7, 0, "title_it").unwrap();
    sheet.write_string(7, 2, "Area B").unwrap();
    let report = check_file(
        call,
        &workbook.save_to_buffer().unwrap(),
        Some(Kind::Settlement),
    );
    let dup = report
        .problems
        .iter()
        .find(|p| p.message.key == "duplicate_row")
        .unwrap();
    assert_eq!(dup.cell.as_deref(), Some("C8"));
    assert!(dup.line(Lang::It).contains("riga 4"));
}

/// The call as a later version: `zoning` renamed, older files still readable from `oldest`.
fn later_call(oldest: u32) -> Call {
    let text = CALL_TOML
        .replace(
            "version = 1\noldest_readable = 1",
            &format!("version = 2\noldest_readable = {oldest}"),
        )
        .replace(
            "id = \"zoning\"\n",
            "id = \"pgt_zoning\"\nrenamed_from = [\"zoning\"]\n",
        );
    assert!(
        text.contains("pgt_zoning") && text.contains("version = 2"),
        "the test's edit no longer applies"
    );
    Call::parse(&text).unwrap()
}

#[test]
fn a_later_call_version_reads_files_of_an_older_template() {
    let bytes = template::write(
        call(),
        Kind::Settlement,
        Lang::It,
        &valid_values(Kind::Settlement),
    )
    .unwrap();
    let v2 = later_call(1);
    let report = check_file(&v2, &bytes, Some(Kind::Settlement));
    assert_eq!(errors(&report), vec![]);
    assert_eq!(
        report.values["pgt_zoning"],
        valid_values(Kind::Settlement)["zoning"]
    );
    assert_eq!(report.meta.unwrap().version, 1);
}

#[test]
fn versions_the_reader_cannot_take_are_refused_with_the_reason() {
    let v1_file = template::write(
        call(),
        Kind::Settlement,
        Lang::It,
        &valid_values(Kind::Settlement),
    )
    .unwrap();
    let report = check_file(&later_call(2), &v1_file, Some(Kind::Settlement));
    assert_eq!(
        errors(&report),
        vec![(String::new(), "version_too_old".to_string())]
    );
    assert!(report.problems[0]
        .line(Lang::It)
        .contains("versione 1, non più accettata"));

    let v2 = later_call(1);
    let v2_file = template::write(&v2, Kind::Settlement, Lang::It, &Default::default()).unwrap();
    let report = check_file(call(), &v2_file, Some(Kind::Settlement));
    assert_eq!(
        errors(&report),
        vec![(String::new(), "newer_version".to_string())]
    );
}
