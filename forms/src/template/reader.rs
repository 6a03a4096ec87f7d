//! Reads an uploaded template (.xlsx, .xls or .ods) with calamine, after the
//! guard has vetted the bytes, and finds every field's value cell by the hidden
//! markers (see `layout`), never by position alone.

use super::guard::{self, Format, MAX_COLS, MAX_ROWS};
use super::layout::{cell_ref, Meta, META_PREFIX, VALUE_MARKER};
use crate::call::Call;
use crate::report::{Message, Problem, Severity};
use crate::value::Cell;
use calamine::{open_workbook_auto_from_rs, Data, DataRef, Reader, Sheets};
use std::collections::HashMap;
use std::io::Cursor;

/// Sheets looked at before giving up on finding the data sheet.
const MAX_SHEETS: usize = 32;

/// The file cannot be read as a template at all; the message says why and what to do.
#[derive(Debug, Clone)]
pub struct ReadError(pub Message);

/// One field's value cell as found in the file.
#[derive(Debug, Clone)]
pub struct FieldCell {
    pub row: u32,
    pub col: u32,
    pub cell: Cell,
    pub formula: bool,
}

impl FieldCell {
    pub fn reference(&self) -> String {
        cell_ref(self.row, self.col as u16)
    }
}

/// What was found in a readable template, before the values are checked.
#[derive(Debug, Clone)]
pub struct Upload {
    pub format: Format,
    pub meta: Meta,
    pub sheet: String,
    /// By field id (the current id, also when the file used an old one).
    pub cells: HashMap<String, FieldCell>,
    /// Problems with the layout itself, e.g. a field's row pasted twice.
    pub problems: Vec<Problem>,
}

struct GridCell {
    row: u32,
    col: u32,
    cell: Cell,
    formula: bool,
}

pub fn read(call: &Call, bytes: &[u8]) -> Result<Upload, ReadError> {
    let format = guard::inspect(bytes).map_err(ReadError)?;
    // calamine can panic on malformed input (the fuzzer found an out-of-range slice in
    // its .xls formula parser): a damaged upload must be answered, not crash the request.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(call, format, bytes)))
        .unwrap_or_else(|_| Err(ReadError(Message::new("unreadable"))))
}

fn parse(call: &Call, format: Format, bytes: &[u8]) -> Result<Upload, ReadError> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError(calamine_error(&e.to_string())))?;
    let mut names = book.sheet_names();
    // The data sheet is normally called Dati or Data: look there first.
    names.sort_by_key(|n| !matches!(n.as_str(), "Dati" | "Data"));
    for name in names.into_iter().take(MAX_SHEETS) {
        let grid = load_grid(&mut book, &name)?;
        if let Some(upload) = find_fields(call, format, &name, &grid)? {
            return Ok(upload);
        }
    }
    Err(ReadError(Message::new("not_our_template")))
}

fn calamine_error(text: &str) -> Message {
    if text.contains("password") {
        Message::new("encrypted")
    } else {
        Message::new("unreadable")
    }
}

/// The non-empty cells of one sheet, as a sparse list.
fn load_grid(book: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Result<Vec<GridCell>, ReadError> {
    let mut grid = Vec::new();
    let too_far = |row: u32, col: u32| ReadError(guard::too_far(name, row, col));
    if let Sheets::Xlsx(xlsx) = book {
        // Streamed, so a cell at XFD1048576 is refused without building the grid up to it.
        let mut cells = xlsx
            .worksheet_cells_reader(name)
            .map_err(|e| ReadError(calamine_error(&e.to_string())))?;
        while let Some(c) = cells
            .next_cell_with_formula()
            .map_err(|e| ReadError(calamine_error(&e.to_string())))?
        {
            let formula = c.formula.as_deref().is_some_and(|f| !f.is_empty());
            let cell = from_data_ref(c.value);
            if cell == Cell::Empty && !formula {
                continue;
            }
            let (row, col) = c.pos;
            if row >= MAX_ROWS || col >= MAX_COLS {
                return Err(too_far(row, col));
            }
            grid.push(GridCell {
                row,
                col,
                cell,
                formula,
            });
        }
        return Ok(grid);
    }
    // .xls and .ods: the guard has already bounded their extent.
    let range = book
        .worksheet_range(name)
        .map_err(|e| ReadError(calamine_error(&e.to_string())))?;
    let formulas = book
        .worksheet_formula(name)
        .map_err(|e| ReadError(calamine_error(&e.to_string())))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, value) in range.used_cells() {
        let (row, col) = (r0 + r as u32, c0 + c as u32);
        if row >= MAX_ROWS || col >= MAX_COLS {
            return Err(too_far(row, col));
        }
        let formula = formulas
            .get_value((row, col))
            .is_some_and(|f| !f.is_empty());
        grid.push(GridCell {
            row,
            col,
            cell: from_data(value),
            formula,
        });
    }
    Ok(grid)
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => dt
            .as_datetime()
            .map(|d| Cell::Date(d.date()))
            .unwrap_or(Cell::Number(dt.as_f64())),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

fn from_data_ref(d: DataRef<'_>) -> Cell {
    match d {
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Int(i) => from_data(&Data::Int(i)),
        DataRef::Float(f) => from_data(&Data::Float(f)),
        DataRef::String(s) => from_data(&Data::String(s)),
        DataRef::Bool(b) => from_data(&Data::Bool(b)),
        DataRef::DateTime(dt) => from_data(&Data::DateTime(dt)),
        DataRef::DateTimeIso(s) => from_data(&Data::DateTimeIso(s)),
        DataRef::DurationIso(s) => from_data(&Data::DurationIso(s)),
        DataRef::Error(e) => from_data(&Data::Error(e)),
        DataRef::Empty => Cell::Empty,
    }
}

/// ODS stores dates as ISO text ("2027-09-01" or "2027-09-01T00:00:00").
fn iso_date(s: &str) -> Cell {
    chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
        .map(Cell::Date)
        .unwrap_or_else(|_| Cell::Text(s.to_string()))
}

fn text_of(cell: &Cell) -> Option<&str> {
    match cell {
        Cell::Text(t) => Some(t.trim()),
        _ => None,
    }
}

/// Finds the markers in one sheet; None when this sheet is not the data sheet.
fn find_fields(
    call: &Call,
    format: Format,
    sheet: &str,
    grid: &[GridCell],
) -> Result<Option<Upload>, ReadError> {
    let Some((marker, meta)) = grid
        .iter()
        .find_map(|c| Some((c, Meta::parse(text_of(&c.cell)?)?)))
    else {
        // A cell that starts like our marker but does not parse is a damaged template.
        if grid
            .iter()
            .any(|c| text_of(&c.cell).is_some_and(|t| t.starts_with(META_PREFIX)))
        {
            return Err(ReadError(Message::new("not_our_template")));
        }
        return Ok(None);
    };
    check_meta(call, &meta)?;
    let id_col = marker.col;
    let value_col = grid
        .iter()
        .find(|c| text_of(&c.cell) == Some(VALUE_MARKER))
        .map(|c| c.col)
        .ok_or_else(|| ReadError(Message::new("not_our_template")))?;

    let aliases: HashMap<&str, &str> = call
        .fields
        .iter()
        .flat_map(|f| {
            std::iter::once(f.id.as_str())
                .chain(f.renamed_from.iter().map(String::as_str))
                .map(move |a| (a, f.id.as_str()))
        })
        .collect();
    let by_pos: HashMap<(u32, u32), &GridCell> = grid.iter().map(|c| ((c.row, c.col), c)).collect();
    let mut cells: HashMap<String, FieldCell> = HashMap::new();
    let mut problems = Vec::new();
    for id_cell in grid.iter().filter(|c| c.col == id_col) {
        let Some(field_id) = text_of(&id_cell.cell).and_then(|t| aliases.get(t)) else {
            continue;
        };
        let found = by_pos.get(&(id_cell.row, value_col));
        let field_cell = FieldCell {
            row: id_cell.row,
            col: value_col,
            cell: found.map(|c| c.cell.clone()).unwrap_or(Cell::Empty),
            formula: found.is_some_and(|c| c.formula),
        };
        if let Some(first) = cells.get(*field_id) {
            let field = call.field(field_id);
            problems.push(Problem {
                severity: Severity::Error,
                sheet: Some(sheet.to_string()),
                cell: Some(field_cell.reference()),
                field: Some(field_id.to_string()),
                label: field.map(|f| f.label.clone()),
                message: Message::new("duplicate_row").with("other", format!("{}", first.row + 1)),
            });
            continue;
        }
        cells.insert(field_id.to_string(), field_cell);
    }
    Ok(Some(Upload {
        format,
        meta,
        sheet: sheet.to_string(),
        cells,
        problems,
    }))
}

fn check_meta(call: &Call, meta: &Meta) -> Result<(), ReadError> {
    let info = &call.info;
    if meta.call != info.id {
        return Err(ReadError(
            Message::new("wrong_call").with("found", meta.call.clone()),
        ));
    }
    if meta.version > info.version {
        return Err(ReadError(
            Message::new("newer_version")
                .with("found", meta.version as f64)
                .with("current", info.version as f64),
        ));
    }
    if meta.version < info.oldest_readable {
        return Err(ReadError(
            Message::new("version_too_old")
                .with("found", meta.version as f64)
                .with("oldest", info.oldest_readable as f64),
        ));
    }
    Ok(())
}
