//! Hostile-input defences, run before any spreadsheet parser sees the bytes.
//!
//! The type is sniffed from the content, never from the name. ZIP containers
//! (.xlsx, .ods) are decompressed once into a counting sink with hard caps on
//! entry count and total size, so a zip bomb is refused after at most
//! `MAX_UNZIPPED_BYTES` of work. Files whose cells reach far beyond anything a
//! template can hold are refused before calamine builds its dense grid (which
//! would allocate rows × columns cells). Encrypted and macro-enabled files are
//! refused with a message that says what to do.

use crate::report::Message;
use std::io::{Cursor, Read};

pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_UNZIPPED_BYTES: u64 = 64 * 1024 * 1024;
pub const MAX_ZIP_ENTRIES: usize = 2_000;
/// The template has about a hundred rows and six columns; these leave ample room
/// for notes people add, and bound the parser's grid to a few megabytes.
pub const MAX_ROWS: u32 = 10_000;
pub const MAX_COLS: u32 = 256;
/// Cells holding values in an .ods, after expanding its "repeated" shorthand.
pub const MAX_ODS_CELLS: u64 = 500_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }

    /// The media type a download of this format is sent with.
    pub const fn mime(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Xls => "application/vnd.ms-excel",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ODS_MIME: &[u8] = Format::Ods.mime().as_bytes();

/// Says what the bytes are, or why they are refused.
pub fn inspect(bytes: &[u8]) -> Result<Format, Message> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Message::new("too_large")
            .with("size", megabytes(bytes.len() as u64))
            .with("max", megabytes(MAX_FILE_BYTES as u64)));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        inspect_zip(bytes)
    } else if bytes.starts_with(CFB_MAGIC) {
        inspect_cfb(bytes)
    } else {
        Err(Message::new("not_a_spreadsheet"))
    }
}

fn megabytes(n: u64) -> String {
    format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
}

fn zip_bomb() -> Message {
    Message::new("zip_bomb").with("max", megabytes(MAX_UNZIPPED_BYTES))
}

fn inspect_zip(bytes: &[u8]) -> Result<Format, Message> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Message::new("unreadable"))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(zip_bomb());
    }
    // The sizes the archive declares are checked first (cheap), then the real
    // ones, since a hostile archive can lie in its directory.
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| Message::new("unreadable"))?;
        declared = declared.saturating_add(entry.size());
        if entry.encrypted() {
            return Err(Message::new("encrypted"));
        }
    }
    if declared > MAX_UNZIPPED_BYTES {
        return Err(zip_bomb());
    }
    let mut budget = MAX_UNZIPPED_BYTES;
    let (mut is_xlsx, mut is_ods, mut macros, mut encrypted) = (false, false, false, false);
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|_| Message::new("unreadable"))?;
        let name = entry
            .name()
            .map_err(|_| Message::new("unreadable"))?
            .to_ascii_lowercase();
        is_xlsx |= name == "xl/workbook.xml";
        macros |= name.ends_with("vbaproject.bin")
            || name.starts_with("basic/")
            || name.contains("/basic/");
        let inspect_text =
            name == "mimetype" || name == "[content_types].xml" || name == "meta-inf/manifest.xml";
        let mut head = Vec::new();
        let read = if inspect_text {
            (&mut entry)
                .take(budget + 1)
                .read_to_end(&mut head)
                .map(|n| n as u64)
        } else {
            std::io::copy(&mut (&mut entry).take(budget + 1), &mut std::io::sink())
        }
        .map_err(|_| Message::new("unreadable"))?;
        if read > budget {
            return Err(zip_bomb());
        }
        budget -= read;
        if name == "mimetype" {
            is_ods = head.trim_ascii() == ODS_MIME;
        }
        if name == "[content_types].xml" {
            macros |= contains(&head, b"macroEnabled");
        }
        if name == "meta-inf/manifest.xml" {
            encrypted |= contains(&head, b"encryption-data");
        }
    }
    if macros {
        return Err(Message::new("macros"));
    }
    if encrypted {
        return Err(Message::new("encrypted"));
    }
    match (is_xlsx, is_ods) {
        (true, _) => Ok(Format::Xlsx),
        (false, true) => {
            check_ods_cells(bytes)?;
            Ok(Format::Ods)
        }
        _ => Err(Message::new("not_a_spreadsheet")),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Legacy .xls, or an encrypted .xlsx (Office wraps those in a compound file too).
fn inspect_cfb(bytes: &[u8]) -> Result<Format, Message> {
    let mut file =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| Message::new("unreadable"))?;
    if file.exists("/EncryptedPackage") || file.exists("/EncryptionInfo") {
        return Err(Message::new("encrypted"));
    }
    if file.exists("/_VBA_PROJECT_CUR") || file.exists("/Macros") {
        return Err(Message::new("macros"));
    }
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|s| file.is_stream(s))
        .ok_or_else(|| Message::new("not_a_spreadsheet"))?;
    let mut data = Vec::new();
    file.open_stream(stream)
        .and_then(|s| s.take(MAX_FILE_BYTES as u64).read_to_end(&mut data))
        .map_err(|_| Message::new("unreadable"))?;
    check_biff_extent(&data)?;
    Ok(Format::Xls)
}

/// Walks the BIFF records of an .xls and refuses cells beyond the limits, before
/// calamine allocates a grid as large as the farthest cell (or as the sheet's
/// DIMENSIONS record claims). Like calamine, it reads the workbook globals from
/// the start, then each sheet from the offset its BOUNDSHEET record gives: the
/// fuzzer showed that a sequential walk alone can be steered past a sheet.
fn check_biff_extent(data: &[u8]) -> Result<(), Message> {
    let mut sheets = Vec::new();
    for (kind, body) in records(data, 0) {
        match kind {
            // FILEPASS: the workbook is encrypted, and so are the record bodies that follow.
            0x002F => return Err(Message::new("encrypted")),
            0x0085 if body.len() >= 4 => {
                sheets.push(u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize)
            }
            0x000A => break,
            _ => {}
        }
    }
    for start in sheets {
        for (kind, body) in records(data, start) {
            check_cell_record(kind, body)?;
            if kind == 0x000A {
                break;
            }
        }
    }
    // Anything else in the stream too: stricter than calamine, never looser.
    for (kind, body) in records(data, 0) {
        check_cell_record(kind, body)?;
    }
    Ok(())
}

/// The BIFF records of `data` from `start`: (type, body), stopping at a truncated one.
fn records(data: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = start;
    std::iter::from_fn(move || {
        let header = data.get(pos..pos + 4)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = u16::from_le_bytes([header[2], header[3]]) as usize;
        let body = data.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len;
        Some((kind, body))
    })
}

fn check_cell_record(kind: u16, body: &[u8]) -> Result<(), Message> {
    // NUMBER, LABEL, BOOLERR, RK, LABELSST, BLANK, MULRK, MULBLANK, FORMULA, RSTRING
    const CELL_RECORDS: [u16; 10] = [
        0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0201, 0x00BD, 0x00BE, 0x0006, 0x00D6,
    ];
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([body[i], body[i + 1]]));
    let (row, col) = match kind {
        // DIMENSIONS: BIFF8 has 32-bit rows (first, last + 1) then 16-bit columns; BIFF5 16-bit rows.
        0x0200 if body.len() >= 14 => {
            let last_row = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
            (last_row.saturating_sub(1), u16_at(10).saturating_sub(1))
        }
        0x0200 if body.len() >= 10 => (u16_at(2).saturating_sub(1), u16_at(6).saturating_sub(1)),
        // MULRK and MULBLANK end with the last column they cover.
        0x00BD | 0x00BE if body.len() >= 6 => (u16_at(0), u16_at(2).max(u16_at(body.len() - 2))),
        k if CELL_RECORDS.contains(&k) && body.len() >= 4 => (u16_at(0), u16_at(2)),
        _ => return Ok(()),
    };
    if row >= MAX_ROWS || col >= MAX_COLS {
        return Err(too_far("", row, col));
    }
    Ok(())
}

pub fn too_far(sheet: &str, row: u32, col: u32) -> Message {
    let cell = crate::template::layout::cell_ref(row, col.min(u32::from(u16::MAX)) as u16);
    if sheet.is_empty() {
        // .xls records are checked before the sheets have names.
        return Message::new("too_many_cells_any").with("cell", cell);
    }
    Message::new("too_many_cells")
        .with("sheet", sheet)
        .with("cell", cell)
}

/// Counts the value cells of an .ods with its repeat shorthand expanded, without
/// building them: LibreOffice writes "this empty cell, 16 000 times", which is
/// fine, but a hostile file can repeat a *filled* cell a billion times.
fn check_ods_cells(bytes: &[u8]) -> Result<(), Message> {
    use quick_xml::events::Event;
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Message::new("unreadable"))?;
    let mut xml = Vec::new();
    archive
        .by_name("content.xml")
        .map_err(|_| Message::new("unreadable"))?
        .take(MAX_UNZIPPED_BYTES)
        .read_to_end(&mut xml)
        .map_err(|_| Message::new("unreadable"))?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let (mut total, mut row_cells, mut row_repeat) = (0u64, 0u64, 1u64);
    let repeat = |e: &quick_xml::events::BytesStart, name: &str| -> u64 {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| a.value.parse().ok())
            .unwrap_or(1)
    };
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table-row" => {
                row_repeat = repeat(&e, "table:number-rows-repeated");
                row_cells = 0;
            }
            // Only cells holding a value count; LibreOffice's long runs of empty cells do not.
            Ok(Event::Start(e) | Event::Empty(e))
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) && e
                    .try_get_attribute("office:value-type")
                    .ok()
                    .flatten()
                    .is_some() =>
            {
                row_cells = row_cells.saturating_add(repeat(&e, "table:number-columns-repeated"));
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => {
                total = total.saturating_add(row_cells.saturating_mul(row_repeat));
                if total > MAX_ODS_CELLS {
                    return Err(Message::new("too_many_values").with("count", total as f64));
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Err(_) => return Err(Message::new("unreadable")),
            _ => {}
        }
        buf.clear();
    }
}
