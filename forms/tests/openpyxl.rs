//! A second, independent reader of the Office Open XML format: Python's openpyxl
//! opens every generated template with warnings turned into errors, and sees
//! the sheets, the hidden id column, the protection and the drop-down lists.
//! Without openpyxl a bare `cargo test` skips, saying so; CI and `./portal test` fail.

mod common;

use common::*;
use forms::call::{Kind, Lang};
use forms::template;
use std::process::Command;

const CHECK: &str = r##"
import sys, warnings
warnings.simplefilter("error")
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1])
data = wb.worksheets[1]
assert [ws.title for ws in wb.worksheets] == sys.argv[2].split(","), [ws.title for ws in wb.worksheets]
assert wb.worksheets[2].sheet_state == "hidden"
assert data.column_dimensions["A"].hidden
assert data.protection.sheet
assert data["A1"].value.startswith("#call=opportunity-lombardy;version=1")
lists = [dv for dv in data.data_validations.dataValidation if dv.type == "list"]
assert len(lists) >= 8, len(lists)
print("ok", len(data.data_validations.dataValidation))
"##;

/// Whether openpyxl can run here; its absence skips the test, saying so, only in a bare `cargo test`.
fn openpyxl() -> bool {
    let available = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        assert!(
            !common::everything_required(),
            "this run requires openpyxl (pip install openpyxl)"
        );
        eprintln!("SKIPPED: openpyxl is not installed (python3 -m pip install openpyxl)");
    }
    available
}

#[test]
fn openpyxl_opens_every_template_without_warnings() {
    if !openpyxl() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("forms-openpyxl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for kind in [Kind::Settlement, Kind::Investment] {
        for (lang, sheets) in [
            (Lang::It, "Istruzioni,Dati,Elenchi"),
            (Lang::En, "Instructions,Data,Lists"),
        ] {
            let path = dir.join(format!("{}-{}.xlsx", kind.code(), lang.code()));
            std::fs::write(
                &path,
                template::write(call(), kind, lang, &valid_values(kind)).unwrap(),
            )
            .unwrap();
            let out = Command::new("python3")
                .args(["-c", CHECK])
                .arg(&path)
                .arg(sheets)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{kind:?} {lang:?}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// openpyxl writes formulas without their computed result: the engine must say
/// so at the cell, not call the field missing.
const FORMULA: &str = r##"
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1])
data = wb.worksheets[1]
for row in data.iter_rows():
    if row[0].value == "land_area":
        row[2].value = "=25000+0.5"
wb.save(sys.argv[1])
"##;

#[test]
fn a_formula_saved_without_its_result_is_named_at_its_cell() {
    if !openpyxl() {
        return;
    }
    let path = std::env::temp_dir().join(format!("forms-formula-{}.xlsx", std::process::id()));
    let kind = Kind::Settlement;
    std::fs::write(
        &path,
        template::write(call(), kind, Lang::It, &valid_values(kind)).unwrap(),
    )
    .unwrap();
    let out = Command::new("python3")
        .args(["-c", FORMULA])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = forms::check_file(call(), &std::fs::read(&path).unwrap(), Some(kind));
    std::fs::remove_file(&path).ok();
    let lines: Vec<String> = report.problems.iter().map(|p| p.line(Lang::It)).collect();
    let about_formula: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("formula salvata senza il suo risultato"))
        .collect();
    assert_eq!(about_formula.len(), 1, "{lines:#?}");
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("campo obbligatorio: inserire un valore")),
        "not called missing: {lines:#?}"
    );
}
