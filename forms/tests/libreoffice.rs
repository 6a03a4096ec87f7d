//! The real program: LibreOffice Calc (headless, driven through UNO by
//! `libreoffice/fill.py`) opens a generated template, fills it after inserting
//! rows and a column, and saves it as .xlsx, .ods and .xls; each reads back with
//! the right values. Without LibreOffice a bare `cargo test` skips, saying so;
//! CI and `./portal test` fail instead.

mod common;

use common::*;
use forms::call::{Kind, Lang};
use forms::check_file;
use forms::report::Severity;
use forms::template;
use forms::value::{Cell, Value};
use serde_json::{json, Map};
use std::path::PathBuf;
use std::process::Command;

/// Calibri's metric twin, which Calc uses for the template's default font:
/// without it Calc lays the text out in a wider font and measures other rows.
fn carlito_available() -> bool {
    let found = Command::new("fc-match")
        .arg("Calibri")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("Carlito"));
    if !found {
        assert!(
            !everything_required(),
            "this run requires Carlito (apt-get install fonts-crosextra-carlito)"
        );
        eprintln!(
            "SKIPPED: the font Carlito is not installed (apt-get install fonts-crosextra-carlito)"
        );
    }
    found
}

fn libreoffice_available() -> bool {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
        && Command::new("/usr/bin/python3")
            .args(["-c", "import uno"])
            .status()
            .is_ok_and(|s| s.success());
    if !found {
        assert!(
            !common::everything_required(),
            "this run requires LibreOffice Calc and python3-uno"
        );
        eprintln!("SKIPPED: LibreOffice Calc or python3-uno is not installed (apt-get install libreoffice-calc python3-uno)");
    }
    found
}

fn temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("forms-lo-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The plan entry for one cell, as a person would type it.
fn typed(cell: &Cell) -> serde_json::Value {
    match cell {
        Cell::Number(n) => json!({ "number": n }),
        Cell::Text(t) => json!({ "text": t }),
        Cell::Date(d) => {
            let serial = (*d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
            json!({ "date": serial })
        }
        other => panic!("not used here: {other:?}"),
    }
}

#[test]
fn libreoffice_fills_the_template_and_every_saved_format_reads_back() {
    if !libreoffice_available() || !carlito_available() {
        return;
    }
    let kind = Kind::Investment;
    let dir = temp_dir();
    let template_path = dir.join("template.xlsx");
    // The portal prefills what it knows; the person types the rest in Calc.
    let values = valid_values(kind);
    let prefill = values
        .iter()
        .filter(|(id, _)| ["municipality", "title_it"].contains(&id.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    std::fs::write(
        &template_path,
        template::write(call(), kind, Lang::It, &prefill).unwrap(),
    )
    .unwrap();

    let mut typed_cells: Map<String, serde_json::Value> = valid_cells(kind, Lang::It)
        .iter()
        .filter(|(id, _)| !prefill.contains_key(*id))
        .map(|(id, c)| (id.clone(), typed(c)))
        .collect();
    // Typed the Italian way, and one value computed by a formula.
    typed_cells.insert("land_area".into(), json!({ "formula": "=25000+0.5" }));
    typed_cells.insert("price_eur".into(), json!({ "text": "1.250.000,5" }));
    let mut div0 = typed_cells.clone();
    div0.insert("gross_floor_area".into(), json!({ "formula": "=1/0" }));
    // An optional field whose formula computes to nothing: saved with an empty
    // result, it is simply blank (unlike a formula saved with no result at all).
    let mut empty = typed_cells.clone();
    empty.insert(
        "title_en".into(),
        json!({ "formula": "=IF(1>2;\"x\";\"\")" }),
    );
    let plan = json!({ "files": [
        { "name": "filled", "formats": ["xlsx", "ods", "xls"], "cells": typed_cells },
        { "name": "div0", "formats": ["xlsx"], "cells": div0 },
        { "name": "empty", "formats": ["xlsx", "ods"], "cells": empty },
        { "name": "locked", "formats": ["ods", "xls"], "password": "segreto", "cells": {} },
    ]});
    let plan_path = dir.join("plan.json");
    std::fs::write(&plan_path, plan.to_string()).unwrap();

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/libreoffice/fill.py");
    let status = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(&template_path)
        .arg(&plan_path)
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success(), "LibreOffice script failed");

    // What Calc saw in the template.
    let checks: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("checks.json")).unwrap()).unwrap();
    assert_eq!(checks["sheets"], json!(["Istruzioni", "Dati", "Elenchi"]));
    assert_eq!(checks["protected"], json!(true));
    // Every help text, label and unit shows whole where it is needed: no row
    // lower and no unit column narrower than Calc's own optimal size.
    assert_eq!(checks["cramped"], json!([]), "{checks}");
    assert_eq!(checks["asset_type_validation"], json!("LIST"), "{checks}");
    assert_eq!(
        checks["fields"].as_u64().unwrap() as usize,
        call().fields_for(kind).count()
    );

    let mut expected = values.clone();
    expected.insert("price_eur".into(), Value::Decimal(1_250_000.5));
    for ext in ["xlsx", "ods", "xls"] {
        let bytes = std::fs::read(dir.join(format!("filled.{ext}"))).unwrap();
        let report = check_file(call(), &bytes, Some(kind));
        assert_eq!(errors(&report), vec![], "{ext}");
        assert_eq!(report.values, expected, "{ext}");
        let warnings: Vec<_> = report
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .collect();
        assert_eq!(warnings.len(), 1, "{ext}: {warnings:?}");
        assert_eq!(
            (
                warnings[0].field.as_deref(),
                warnings[0].message.key.as_str()
            ),
            (Some("land_area"), "formula"),
            "{ext}"
        );
        // Two rows and a column were inserted: the value column is now D.
        assert!(
            warnings[0].cell.as_deref().unwrap().starts_with('D'),
            "{ext}: {:?}",
            warnings[0].cell
        );
    }

    let div0 = check_file(
        call(),
        &std::fs::read(dir.join("div0.xlsx")).unwrap(),
        Some(kind),
    );
    assert_eq!(
        errors(&div0),
        vec![("gross_floor_area".to_string(), "cell_error".to_string())]
    );

    for ext in ["xlsx", "ods"] {
        let bytes = std::fs::read(dir.join(format!("empty.{ext}"))).unwrap();
        let report = check_file(call(), &bytes, Some(kind));
        assert_eq!(errors(&report), vec![], "{ext}");
        assert!(!report.values.contains_key("title_en"), "{ext}");
    }

    // Password-protected .xlsx files are built in tests/hostile.rs: Calc cannot write them through UNO.
    for ext in ["ods", "xls"] {
        let locked = check_file(
            call(),
            &std::fs::read(dir.join(format!("locked.{ext}"))).unwrap(),
            Some(kind),
        );
        assert_eq!(
            errors(&locked),
            vec![(String::new(), "encrypted".to_string())],
            "{ext}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
