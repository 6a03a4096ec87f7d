//! Writes the prefilled template of one candidacy with rust_xlsxwriter.

use super::layout::*;
use crate::call::{Axis, Call, Field, FieldType, Kind, Lang};
use crate::reference::Municipalities;
use crate::texts;
use crate::value::{Cell, Value};
use chrono::Datelike;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatBorder, Formula, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};
use std::collections::BTreeMap;

/// What the portal already knows, by field id.
pub type Prefill = BTreeMap<String, Value>;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the spreadsheet writer failed: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("prefilled value for {0} does not fit the field")]
    Prefill(String),
}

/// Column widths, in Excel's units (the width of a digit in the default font).
const INSTRUCTIONS_WIDTH: f64 = 110.0;
const LABEL_WIDTH: f64 = 38.0;
const VALUE_WIDTH: f64 = 40.0;
const HELP_WIDTH: f64 = 70.0;
/// A line of the default font (Calibri 11) in points, with Excel's own spacing.
const LINE_HEIGHT: f64 = 15.0;
/// The title's row, in 14-point type.
const TITLE_HEIGHT: f64 = 21.0;
/// Room to type in a long-text cell. A row given a height keeps it (neither
/// Excel nor Calc grows it while typing): the person enlarges it if needed,
/// which the sheet's protection allows.
const LONG_TEXT_LINES: usize = 4;

/// Excel's limits on data-validation texts.
const INPUT_TITLE_MAX: usize = 32;
const INPUT_MESSAGE_MAX: usize = 255;

/// The template for `kind`, in `lang`, with `prefill` written into the value cells.
pub fn write(
    call: &Call,
    kind: Kind,
    lang: Lang,
    prefill: &Prefill,
) -> Result<Vec<u8>, WriteError> {
    let mut cells = BTreeMap::new();
    for (id, value) in prefill {
        let field = call
            .field(id)
            .ok_or_else(|| WriteError::Prefill(id.clone()))?;
        cells.insert(
            id.clone(),
            to_cell(call, field, value, lang).ok_or_else(|| WriteError::Prefill(id.clone()))?,
        );
    }
    write_cells(call, kind, lang, &cells)
}

/// The template with raw cells in the value column: what a person would have
/// typed. Tests use it to write invalid values the typed `Prefill` cannot hold.
pub fn write_cells(
    call: &Call,
    kind: Kind,
    lang: Lang,
    cells: &BTreeMap<String, Cell>,
) -> Result<Vec<u8>, WriteError> {
    let mut workbook = Workbook::new();
    // Fast deflate: the template is generated on every download, and level 1
    // makes it about 16 KB larger (36 → 52 KB) and twice as fast to write.
    workbook.set_zip_compression_level(1);
    let props = DocProperties::new()
        .set_title(call.info.title.get(lang))
        .set_author("Regione Lombardia – Opportunity Lombardy")
        .set_custom_property("call", call.info.id.as_str())
        .set_custom_property("template_version", call.info.version as i32)
        .set_custom_property("kind", kind.code());
    workbook.set_properties(&props);

    write_instructions(workbook.add_worksheet(), call, kind, lang)?;
    let lists = Lists::new(call, kind, lang);
    write_data(workbook.add_worksheet(), call, kind, lang, cells, &lists)?;
    lists.write(workbook.add_worksheet(), lang)?;
    workbook.worksheet_from_index(1)?.set_active(true);
    Ok(workbook.save_to_buffer()?)
}

/// A typed value as the cell a person would fill in: numbers and dates as such,
/// options by their label in the template's language.
pub fn to_cell(call: &Call, field: &Field, value: &Value, lang: Lang) -> Option<Cell> {
    Some(match value {
        Value::Date(d) => Cell::Date(*d),
        v => match v.as_f64() {
            Some(n) => Cell::Number(n),
            None => Cell::Text(display(call, field, v, lang)?),
        },
    })
}

fn write_instructions(
    sheet: &mut Worksheet,
    call: &Call,
    kind: Kind,
    lang: Lang,
) -> Result<(), WriteError> {
    sheet.set_name(instructions_sheet_name(lang))?;
    sheet.set_column_width(0, INSTRUCTIONS_WIDTH)?;
    let title = Format::new().set_bold().set_font_size(14);
    let heading = Format::new().set_bold().set_font_size(12);
    let body = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    sheet.set_row_height(0, TITLE_HEIGHT)?;
    sheet.write_string_with_format(0, 0, call.info.title.get(lang), &title)?;
    sheet.write_string(1, 0, call.kind_label(kind, lang))?;
    let mut row = 3;
    // Both languages, the template's own first: the file may reach a colleague who reads the other.
    let other = if lang == Lang::It { Lang::En } else { Lang::It };
    for l in [lang, other] {
        let text = texts::template_instructions(l.code()).unwrap_or_default();
        for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            match paragraph.strip_prefix("# ") {
                Some(h) => sheet.write_string_with_format(row, 0, h, &heading)?,
                None => {
                    let paragraph = paragraph.replace('\n', " ");
                    sheet.set_row_height(row, row_height(lines(&paragraph, INSTRUCTIONS_WIDTH)))?;
                    sheet.write_string_with_format(row, 0, paragraph, &body)?
                }
            };
            row += 1;
        }
        row += 1;
    }
    // Locked, but rows can still be enlarged if a paragraph shows cut.
    sheet.protect_with_options(&ProtectionOptions {
        format_rows: true,
        ..ProtectionOptions::default()
    });
    Ok(())
}

/// The hidden sheet holding the drop-down lists: municipalities, then one column per enumeration.
struct Lists {
    columns: Vec<(String, Vec<String>)>,
}

impl Lists {
    fn new(call: &Call, kind: Kind, lang: Lang) -> Lists {
        let mut columns = vec![(
            "#municipality".to_string(),
            Municipalities::get()
                .all()
                .iter()
                .map(|m| m.list_label())
                .collect(),
        )];
        for field in call.fields_for(kind).filter(|f| f.kind == FieldType::Enum) {
            let name = field.options.clone().unwrap_or_default();
            if !columns.iter().any(|(n, _)| *n == name) {
                columns.push((
                    name,
                    call.options(field)
                        .iter()
                        .map(|o| o.label(lang).to_string())
                        .collect(),
                ));
            }
        }
        Lists { columns }
    }

    /// The absolute range formula of a list, e.g. `=Elenchi!$B$2:$B$5`.
    fn range(&self, name: &str, lang: Lang) -> Option<Formula> {
        let col = self.columns.iter().position(|(n, _)| n == name)?;
        let len = self.columns[col].1.len() as u32;
        let first = cell_ref(1, col as u16);
        let last = cell_ref(len, col as u16);
        let abs = |r: &str| {
            let split = r.find(|c: char| c.is_ascii_digit()).unwrap_or(r.len());
            format!("${}${}", &r[..split], &r[split..])
        };
        Some(Formula::new(format!(
            "={}!{}:{}",
            lists_sheet_name(lang),
            abs(&first),
            abs(&last)
        )))
    }

    fn write(&self, sheet: &mut Worksheet, lang: Lang) -> Result<(), WriteError> {
        sheet.set_name(lists_sheet_name(lang))?;
        for (col, (name, values)) in self.columns.iter().enumerate() {
            sheet.write_string(0, col as u16, name)?;
            for (row, value) in values.iter().enumerate() {
                sheet.write_string(row as u32 + 1, col as u16, value)?;
            }
        }
        sheet.set_hidden(true);
        sheet.protect();
        Ok(())
    }
}

struct Formats {
    title: Format,
    heading: Format,
    section: Format,
    label: Format,
    help: Format,
    value: Format,
    value_required: Format,
    date: Format,
    date_required: Format,
}

impl Formats {
    fn new() -> Formats {
        let value = Format::new()
            .set_unlocked()
            .set_border(FormatBorder::Thin)
            .set_text_wrap();
        let required = value.clone().set_background_color(Color::RGB(0xFFF2CC));
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            heading: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x0066CC))
                .set_font_color(Color::White),
            section: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDCE6F2)),
            label: Format::new().set_text_wrap(),
            help: Format::new()
                .set_text_wrap()
                .set_font_color(Color::RGB(0x404040)),
            date: value.clone().set_num_format("dd/mm/yyyy"),
            date_required: required.clone().set_num_format("dd/mm/yyyy"),
            value,
            value_required: required,
        }
    }
}

fn write_data(
    sheet: &mut Worksheet,
    call: &Call,
    kind: Kind,
    lang: Lang,
    cells: &BTreeMap<String, Cell>,
    lists: &Lists,
) -> Result<(), WriteError> {
    let f = Formats::new();
    sheet.set_name(data_sheet_name(lang))?;
    // The unit column fits its longest unit ("gradi decimali"), not a guess.
    let unit_width = call
        .fields_for(kind)
        .map(|f| call.unit(f, lang).chars().count())
        .chain(std::iter::once(
            headings(lang)[COL_UNIT as usize].chars().count(),
        ))
        .max()
        .unwrap_or(0) as f64
        + 2.0;
    for (col, width) in [
        (COL_ID, 24.0),
        (COL_LABEL, LABEL_WIDTH),
        (COL_VALUE, VALUE_WIDTH),
        (COL_UNIT, unit_width),
        (COL_REQUIRED, 6.0),
        (COL_HELP, HELP_WIDTH),
    ] {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_row_height(ROW_TITLE, TITLE_HEIGHT)?;
    sheet.write_string(
        ROW_TITLE,
        COL_ID,
        Meta::for_template(call, kind, lang).to_marker(),
    )?;
    sheet.write_string_with_format(
        ROW_TITLE,
        COL_LABEL,
        format!(
            "{} – {}",
            call.info.title.get(lang),
            call.kind_label(kind, lang)
        ),
        &f.title,
    )?;
    for (col, marker) in COLUMN_MARKERS.iter().enumerate() {
        sheet.write_string(ROW_MARKERS, col as u16, *marker)?;
    }
    sheet.set_row_hidden(ROW_MARKERS)?;
    for (col, heading) in headings(lang).iter().enumerate() {
        sheet.write_string_with_format(ROW_HEADINGS, col as u16, *heading, &f.heading)?;
    }

    let mut row = ROW_FIRST_FIELD;
    let mut section = "";
    for field in call.fields_for(kind) {
        if field.section != section {
            section = &field.section;
            let label = call
                .section(section)
                .map(|s| s.label(lang))
                .unwrap_or(section);
            sheet.write_string(row, COL_ID, format!("{SECTION_PREFIX}{section}"))?;
            for col in COL_LABEL..=COL_HELP {
                sheet.write_blank(row, col, &f.section)?;
            }
            sheet.write_string_with_format(row, COL_LABEL, label, &f.section)?;
            row += 1;
        }
        write_field(
            sheet,
            row,
            call,
            field,
            lang,
            cells.get(&field.id),
            &f,
            lists,
        )?;
        row += 1;
    }

    sheet.set_column_hidden(COL_ID)?;
    sheet.set_freeze_panes(ROW_FIRST_FIELD, COL_VALUE)?;
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_field(
    sheet: &mut Worksheet,
    row: u32,
    call: &Call,
    field: &Field,
    lang: Lang,
    value: Option<&Cell>,
    f: &Formats,
    lists: &Lists,
) -> Result<(), WriteError> {
    let mark = if field.required {
        "M"
    } else if field.required_when.is_some() {
        "M*"
    } else {
        "o"
    };
    sheet.write_string(row, COL_ID, &field.id)?;
    sheet.write_string_with_format(row, COL_LABEL, field.label.get(lang), &f.label)?;
    sheet.write_string(row, COL_UNIT, call.unit(field, lang))?;
    sheet.write_string(row, COL_REQUIRED, mark)?;
    sheet.write_string_with_format(row, COL_HELP, field.help.get(lang), &f.help)?;
    sheet.set_row_height(row, row_height(field_lines(field, lang, value)))?;

    let (plain, date) = if field.required {
        (&f.value_required, &f.date_required)
    } else {
        (&f.value, &f.date)
    };
    match value {
        None | Some(Cell::Empty) => {
            let format = if field.kind == FieldType::Date {
                date
            } else {
                plain
            };
            sheet.write_blank(row, COL_VALUE, format)?;
        }
        Some(Cell::Date(d)) => {
            let excel = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            sheet.write_datetime_with_format(row, COL_VALUE, &excel, date)?;
        }
        Some(Cell::Number(n)) => {
            sheet.write_number_with_format(row, COL_VALUE, *n, plain)?;
        }
        Some(Cell::Bool(b)) => {
            sheet.write_boolean_with_format(row, COL_VALUE, *b, plain)?;
        }
        Some(Cell::Text(t) | Cell::Error(t)) => {
            sheet.write_string_with_format(row, COL_VALUE, t, plain)?;
        }
    }
    if let Some(validation) = validation(call, field, lang, lists)? {
        sheet.add_data_validation(row, COL_VALUE, row, COL_VALUE, &validation)?;
    }
    Ok(())
}

/// How many lines a field's row needs so its label, help and prefilled value
/// show whole. Neither Excel nor LibreOffice sizes rows of a generated file to
/// wrapped text on opening, so the writer sets each row's height itself.
fn field_lines(field: &Field, lang: Lang, value: Option<&Cell>) -> usize {
    let typed = match value {
        Some(Cell::Text(t)) => lines(t, VALUE_WIDTH),
        _ => 1,
    };
    let room = if field.kind == FieldType::LongText {
        LONG_TEXT_LINES
    } else {
        1
    };
    [
        lines(field.label.get(lang), LABEL_WIDTH),
        lines(field.help.get(lang), HELP_WIDTH),
        typed,
        room,
    ]
    .into_iter()
    .max()
    .unwrap_or(1)
}

/// Lines `text` takes when wrapped at word boundaries in a column `width` wide.
/// A character is counted as wide as a digit, which overestimates Italian and
/// English prose a little (a row slightly too tall reads better than one cut
/// short) but underestimates runs of capitals or wide scripts; the LibreOffice
/// test measures the real texts against Calc's own layout.
fn lines(text: &str, width: f64) -> usize {
    let capacity = (width as usize).saturating_sub(1).max(1);
    let mut count = 0;
    for paragraph in text.split('\n') {
        count += 1;
        let mut used = 0;
        for word in paragraph.split_whitespace() {
            let len = word.chars().count();
            if used > 0 && used + 1 + len > capacity {
                count += 1;
                used = 0;
            }
            used += if used > 0 { 1 } else { 0 } + len;
            // A word longer than the line wraps inside itself.
            while used > capacity {
                count += 1;
                used -= capacity;
            }
        }
    }
    count.max(1)
}

/// Excel's tallest row, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

fn row_height(lines: usize) -> f64 {
    (lines as f64 * LINE_HEIGHT).min(MAX_ROW_HEIGHT)
}

/// A non-numeric value as it is written into a cell.
pub fn display(call: &Call, field: &Field, value: &Value, lang: Lang) -> Option<String> {
    let label = |id: &str| call.option_label(field, id, lang).map(str::to_string);
    Some(match value {
        Value::Text(t) => t.clone(),
        Value::Choice(id) => label(id)?,
        Value::Choices(ids) => ids
            .iter()
            .map(|id| label(id))
            .collect::<Option<Vec<_>>>()?
            .join("; "),
        Value::Municipality(code) => Municipalities::get().by_istat_code(code)?.list_label(),
        Value::Cadastral(groups) => groups
            .iter()
            .map(|g| format!("{}/{}", g.sheet, g.parcels.join(", ")))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Ateco(codes) => codes.join("; "),
        Value::Date(d) => d.format("%d/%m/%Y").to_string(),
        Value::Integer(_) | Value::Decimal(_) | Value::Coordinate(_) => return None,
    })
}

/// Excel's own checks for the value cell: drop-downs, number and date ranges, text length.
fn validation(
    call: &Call,
    field: &Field,
    lang: Lang,
    lists: &Lists,
) -> Result<Option<DataValidation>, WriteError> {
    let numeric = |v: DataValidation| v.set_error_style(DataValidationErrorStyle::Warning);
    let dv = match field.kind {
        FieldType::Enum => {
            let list = field.options.as_deref().and_then(|o| lists.range(o, lang));
            list.map(|l| DataValidation::new().allow_list_formula(l))
        }
        FieldType::Municipality => lists
            .range("#municipality", lang)
            .map(|l| DataValidation::new().allow_list_formula(l)),
        FieldType::Integer => {
            let lo = field.min.unwrap_or(0.0) as i32;
            let hi = field.max.unwrap_or(i32::MAX as f64).min(i32::MAX as f64) as i32;
            Some(numeric(
                DataValidation::new().allow_whole_number(DataValidationRule::Between(lo, hi)),
            ))
        }
        FieldType::Decimal => {
            let rule = match (field.min_exclusive, field.min, field.max) {
                (Some(lo), _, Some(hi)) => DataValidationRule::Between(lo + f64::EPSILON, hi),
                (Some(lo), _, None) => DataValidationRule::GreaterThan(lo),
                (None, Some(lo), Some(hi)) => DataValidationRule::Between(lo, hi),
                (None, Some(lo), None) => DataValidationRule::GreaterThanOrEqualTo(lo),
                (None, None, Some(hi)) => DataValidationRule::LessThanOrEqualTo(hi),
                (None, None, None) => DataValidationRule::GreaterThanOrEqualTo(f64::MIN),
            };
            Some(numeric(DataValidation::new().allow_decimal_number(rule)))
        }
        FieldType::Coordinate => {
            let (lo, hi) = if field.axis == Some(Axis::Lat) {
                (44.6, 46.7)
            } else {
                (8.4, 11.5)
            };
            Some(numeric(
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(lo, hi)),
            ))
        }
        FieldType::Date => {
            let lo = ExcelDateTime::from_ymd(1900, 1, 1)?;
            let hi = ExcelDateTime::from_ymd(2100, 12, 31)?;
            Some(numeric(
                DataValidation::new().allow_date(DataValidationRule::Between(lo, hi)),
            ))
        }
        _ => match field.max_len {
            Some(max) => Some(
                DataValidation::new()
                    .allow_text_length(DataValidationRule::LessThanOrEqualTo(max as u32)),
            ),
            None => Some(DataValidation::new().allow_any_value()),
        },
    };
    let Some(dv) = dv else { return Ok(None) };
    let title = truncate(field.label.get(lang), INPUT_TITLE_MAX);
    let mut message = field.help.get(lang).to_string();
    if field.kind == FieldType::MultiEnum {
        let options: Vec<_> = call.options(field).iter().map(|o| o.label(lang)).collect();
        message = format!("{message} {}", options.join("; "));
    }
    let dv = dv
        .set_input_title(title.clone())?
        .set_input_message(truncate(&message, INPUT_MESSAGE_MAX))?;
    let dv = dv
        .set_error_title(title)?
        .set_error_message(truncate(field.help.get(lang), INPUT_MESSAGE_MAX))?;
    Ok(Some(dv))
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn text_wraps_at_words_and_long_words_wrap_inside() {
        assert_eq!(lines("", 10.0), 1);
        assert_eq!(lines("short", 10.0), 1);
        // Nine characters fit on a line ten wide: "aaaa bbbb" then "cccc".
        assert_eq!(lines("aaaa bbbb cccc", 10.0), 2);
        assert_eq!(lines("aaaa\nbbbb", 10.0), 2);
        assert_eq!(lines(&"x".repeat(20), 10.0), 3);
    }
}
