//! A site as the public sees it: its card (title, place, key figures) and
//! each public value in words, in either language. The catalogue's list,
//! its site pages and the officer's preview before publishing share them.

use crate::candidacies::signed_forms::document_lang;
use crate::review::answers::{self, Kept};
use crate::review::publication::Snapshot;
use app::view_data::CardView;
use forms::call::Field;
use forms::Call;

/// The key figures a card shows, when the template has them.
const FIGURES: [&str; 9] = [
    "asset_type",
    "asset_state",
    "land_area",
    "covered_area",
    "availability",
    "price_eur",
    "km_motorway",
    "power_kw",
    "energy_class",
];

/// The public card of `s` in `lang`: the title and description in that
/// language (the other one when left empty), the place, the key figures.
pub fn card(lang: app::Lang, s: &Snapshot) -> CardView {
    let value = |id: &str| s.fields.get(id).map(|v| v.trim()).filter(|v| !v.is_empty());
    let call = Call::embedded();
    let figures = FIGURES
        .iter()
        .filter_map(|id| {
            let field = call.field(id)?;
            let shown = shown(call, field, value(id)?, document_lang(lang));
            Some((field.label.get(document_lang(lang)).to_string(), shown))
        })
        .collect();
    let place = match s.address.trim() {
        "" => s.municipality.clone(),
        address => format!("{address}, {}", s.municipality),
    };
    let title = s.title(lang).to_string();
    // The title may be in the other language, when only that one was filled in.
    let title_lang = Some(written_in(lang, s, "title_it", "title_en")).filter(|l| *l != lang);
    CardView {
        lang,
        title_lang,
        title,
        href: None,
        photo: None,
        compare: None,
        place,
        kind: if s.kind == "b" {
            "candidacy.kind_b"
        } else {
            "candidacy.kind_a"
        },
        description: s
            .text_in(lang, "description_it", "description_en")
            .map(|(d, _)| d.to_string())
            .unwrap_or_default(),
        figures,
    }
}

/// A field's kept value as `lang` reads it: options by their label, numbers
/// grouped the language's way with their unit.
pub fn shown(call: &Call, field: &Field, kept: &str, lang: forms::Lang) -> String {
    if field.kind == forms::call::FieldType::Date {
        if let Ok(date) = chrono::NaiveDate::parse_from_str(kept, "%Y-%m-%d") {
            return day_in_words(date, lang);
        }
    }
    let text = match answers::read_kept(field, kept, lang) {
        Kept::Number(n) => forms::report::format_number(n, lang),
        Kept::Text(t) => t,
        Kept::Labels(labels) => labels.join(", "),
    };
    match call.unit(field, lang) {
        "" => text,
        unit => format!("{text} {unit}"),
    }
}

/// "30 aprile 2027" / "30 April 2027".
pub fn day_in_words(date: chrono::NaiveDate, lang: forms::Lang) -> String {
    use chrono::Datelike;
    let lang = match lang {
        forms::Lang::En => app::Lang::En,
        forms::Lang::It => app::Lang::It,
    };
    let day = app::view_data::RomeDateTime {
        year: date.year(),
        month: date.month(),
        day: date.day(),
        hour: 0,
        minute: 0,
        second: 0,
    };
    app::pages::format_date(lang, &day)
}

/// The language the text `it`/`en` of a site is shown in on a page in
/// `lang`: that one, unless the proponent wrote it only in the other.
pub fn written_in(lang: app::Lang, s: &Snapshot, it: &str, en: &str) -> app::Lang {
    s.text_in(lang, it, en).map_or(lang, |(_, written)| written)
}
