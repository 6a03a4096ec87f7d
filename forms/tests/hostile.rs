//! Files that are not what they claim, or are built to hurt the reader: each is
//! refused with the message that fits, quickly, and nothing panics.

mod common;

use common::*;
use forms::call::{Kind, Lang};
use forms::check_file;
use forms::template;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

fn refusal(bytes: &[u8]) -> String {
    let report = check_file(call(), bytes, Some(Kind::Settlement));
    assert!(!report.is_accepted());
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(report.problems[0].cell.is_none());
    report.problems[0].message.key.clone()
}

fn template_bytes() -> Vec<u8> {
    template::write(
        call(),
        Kind::Settlement,
        Lang::It,
        &valid_values(Kind::Settlement),
    )
    .unwrap()
}

/// Rewrites a ZIP container, letting `edit` add entries or change the content types.
fn rezip(
    bytes: &[u8],
    edit: impl Fn(&str, Vec<u8>) -> Vec<u8>,
    extra: &[(&str, &[u8])],
) -> Vec<u8> {
    let mut input = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..input.len() {
        let mut entry = input.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        out.start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        out.write_all(&edit(&name, data)).unwrap();
    }
    for (name, data) in extra {
        out.start_file(*name, SimpleFileOptions::default()).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        out.start_file(*name, SimpleFileOptions::default()).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn files_that_are_not_spreadsheets_are_refused_whatever_their_name() {
    assert_eq!(refusal(b""), "not_a_spreadsheet");
    assert_eq!(
        refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        "not_a_spreadsheet"
    );
    assert_eq!(
        refusal(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        "not_a_spreadsheet"
    );
    assert_eq!(
        refusal(b"campo;valore\ntitle_it;Area\n"),
        "not_a_spreadsheet"
    );
    assert_eq!(
        refusal(&zip_of(&[("word/document.xml", b"<w:document/>")])),
        "not_a_spreadsheet"
    );
}

#[test]
fn a_truncated_or_damaged_template_is_unreadable_not_a_crash() {
    let bytes = template_bytes();
    assert_eq!(refusal(&bytes[..bytes.len() / 2]), "unreadable");
    // Flip bytes all over the file: whatever comes out, the reader answers.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for n in 0..40 {
        let mut damaged = bytes.clone();
        for _ in 0..8 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed % damaged.len() as u64) as usize;
            damaged[at] ^= (seed >> 32) as u8 | 1;
        }
        // Each is refused as a whole, saying why: mostly "unreadable" (an
        // entry's checksum catches a flipped byte in the compressed data),
        // but a flip in the central directory can make an entry look
        // encrypted or its declared size absurd, and those are refused first.
        let reason = refusal(&damaged);
        assert!(
            ["unreadable", "encrypted", "zip_bomb"].contains(&reason.as_str()),
            "damaged file {n}: {reason}"
        );
    }
}

#[test]
fn a_zip_bomb_is_refused_before_parsing() {
    let zeros = vec![0u8; 80 * 1024 * 1024];
    let bomb = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/worksheets/sheet1.xml", &zeros),
    ]);
    assert!(
        bomb.len() < 1024 * 1024,
        "the bomb itself is small: {}",
        bomb.len()
    );
    assert_eq!(refusal(&bomb), "zip_bomb");

    let names: Vec<String> = (0..2_500)
        .map(|i| format!("xl/media/image{i}.png"))
        .collect();
    let many: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    assert_eq!(refusal(&zip_of(&many)), "zip_bomb");
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let mut big = template_bytes();
    big.resize(11 * 1024 * 1024, 0);
    assert_eq!(refusal(&big), "too_large");
}

#[test]
fn macro_enabled_workbooks_are_refused() {
    let bytes = template_bytes();
    let xlsm = rezip(
        &bytes,
        |name, data| {
            if name == "[Content_Types].xml" {
                String::from_utf8(data)
                    .unwrap()
                    .replace("sheet.main+xml", "sheet.macroEnabled.main+xml")
                    .into_bytes()
            } else {
                data
            }
        },
        &[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")],
    );
    assert_eq!(refusal(&xlsm), "macros");
}

#[test]
fn encrypted_workbooks_are_refused() {
    // Office wraps a password-protected .xlsx in a compound file with these streams.
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    file.create_stream("/EncryptionInfo")
        .unwrap()
        .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
        .unwrap();
    file.create_stream("/EncryptedPackage")
        .unwrap()
        .write_all(&[0; 64])
        .unwrap();
    let bytes = file.into_inner().into_inner();
    assert_eq!(refusal(&bytes), "encrypted");

    let manifest = br#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
    let ods = zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", b"\x01\x02"),
    ]);
    assert_eq!(refusal(&ods), "encrypted");
}

#[test]
fn a_cell_far_beyond_the_template_is_refused_before_the_grid_is_built() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Dati").unwrap();
    sheet
        .write_string(0, 0, "#call=opportunity-lombardy;version=1;kind=a;lang=it")
        .unwrap();
    sheet.write_string(1, 2, "#value").unwrap();
    sheet.write_string(1_048_575, 16_383, "far away").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    assert_eq!(refusal(&bytes), "too_many_cells");
}

#[test]
fn an_ods_repeating_a_filled_cell_a_billion_times_is_refused() {
    let content = br#"<office:document-content><office:body><office:spreadsheet><table:table table:name="Dati">
<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
    let ods = zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content),
    ]);
    assert_eq!(refusal(&ods), "too_many_values");
}

#[test]
fn a_spreadsheet_that_is_not_the_template_says_so() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook
        .add_worksheet()
        .write_string(0, 0, "Superficie")
        .unwrap();
    assert_eq!(
        refusal(&workbook.save_to_buffer().unwrap()),
        "not_our_template"
    );
}

#[test]
fn a_file_that_makes_the_spreadsheet_parser_panic_is_answered_as_unreadable() {
    // Found by `cargo fuzz` (forms/fuzz): calamine 0.38 slices out of range in its .xls formula parser.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fuzz-calamine-xls-formula-panic.xls"
    ))
    .unwrap();
    assert_eq!(refusal(&bytes), "unreadable");
}

#[test]
fn an_xls_whose_sheet_claims_a_huge_extent_is_refused_before_calamine_allocates_it() {
    // Found by `cargo fuzz`: calamine reserves rows × columns from a sheet's DIMENSIONS
    // record and builds its grid up to the farthest cell, found at BOUNDSHEET offsets.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fuzz-calamine-xls-dimensions-oom.xls"
    ))
    .unwrap();
    assert_eq!(refusal(&bytes), "too_many_cells_any");
}
