//! What a visitor asks of the catalogue, read from the address (so a search
//! can be shared, bookmarked and gone back to). One table names every
//! parameter and what it asks of a site; a value that does not read is
//! kept as typed, reported next to its field, and asks nothing.

use super::index::Site;
use super::search;
use chrono::NaiveDate;
use forms::reference::{Municipalities, Provinces};
use forms::Call;

/// What a parameter asks of a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// Words to find in the site's texts (either language).
    Words,
    /// The candidacy's kind: "a" settlement, "b" investment.
    Kind,
    /// One of these provinces (codes).
    Province,
    /// This municipality (name or ISTAT code as typed).
    Municipality,
    /// At least one of these options of the field (enum or multiple choice).
    AnyOf(&'static str),
    /// The field's number is at least this.
    AtLeast(&'static str),
    /// The field's number is at most this.
    AtMost(&'static str),
    /// Available from this date or earlier.
    AvailableBy,
}

/// A filter's parameter in the address, what it asks, and the translation
/// key of its label (for the form, the active filters and the advice).
#[derive(Debug)]
pub struct Param {
    pub key: &'static str,
    pub ask: Ask,
    pub label: &'static str,
}

/// Why a value typed for a filter asks nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not one of the options offered.
    UnknownOption,
    /// No municipality of Lombardy by that name or code.
    UnknownMunicipality,
    NotANumber,
    Negative,
    /// A maximum below its minimum.
    Range,
    NotADate,
}

/// Every filter, in the order of the form.
pub const PARAMS: &[Param] = &[
    Param {
        key: "q",
        ask: Ask::Words,
        label: "catalogue.f_q",
    },
    Param {
        key: "kind",
        ask: Ask::Kind,
        label: "catalogue.f_kind",
    },
    Param {
        key: "province",
        ask: Ask::Province,
        label: "catalogue.f_province",
    },
    Param {
        key: "municipality",
        ask: Ask::Municipality,
        label: "catalogue.f_municipality",
    },
    Param {
        key: "asset",
        ask: Ask::AnyOf("asset_type"),
        label: "catalogue.f_asset",
    },
    Param {
        key: "state",
        ask: Ask::AnyOf("asset_state"),
        label: "catalogue.f_state",
    },
    Param {
        key: "function",
        ask: Ask::AnyOf("permitted_functions"),
        label: "catalogue.f_function",
    },
    Param {
        key: "offer",
        ask: Ask::AnyOf("availability"),
        label: "catalogue.f_offer",
    },
    Param {
        key: "land_min",
        ask: Ask::AtLeast("land_area"),
        label: "catalogue.f_land_min",
    },
    Param {
        key: "land_max",
        ask: Ask::AtMost("land_area"),
        label: "catalogue.f_land_max",
    },
    Param {
        key: "covered_min",
        ask: Ask::AtLeast("covered_area"),
        label: "catalogue.f_covered_min",
    },
    Param {
        key: "covered_max",
        ask: Ask::AtMost("covered_area"),
        label: "catalogue.f_covered_max",
    },
    Param {
        key: "price_min",
        ask: Ask::AtLeast("price_eur"),
        label: "catalogue.f_price_min",
    },
    Param {
        key: "price_max",
        ask: Ask::AtMost("price_eur"),
        label: "catalogue.f_price_max",
    },
    Param {
        key: "motorway_km",
        ask: Ask::AtMost("km_motorway"),
        label: "catalogue.f_motorway_km",
    },
    Param {
        key: "railway_km",
        ask: Ask::AtMost("km_railway"),
        label: "catalogue.f_railway_km",
    },
    Param {
        key: "intermodal_km",
        ask: Ask::AtMost("km_intermodal"),
        label: "catalogue.f_intermodal_km",
    },
    Param {
        key: "airport_km",
        ask: Ask::AtMost("km_airport"),
        label: "catalogue.f_airport_km",
    },
    Param {
        key: "power_kw",
        ask: Ask::AtLeast("power_kw"),
        label: "catalogue.f_power_kw",
    },
    Param {
        key: "voltage",
        ask: Ask::AnyOf("voltage"),
        label: "catalogue.f_voltage",
    },
    Param {
        key: "remediation",
        ask: Ask::AnyOf("remediation"),
        label: "catalogue.f_remediation",
    },
    Param {
        key: "energy",
        ask: Ask::AnyOf("energy_class"),
        label: "catalogue.f_energy",
    },
    Param {
        key: "available_by",
        ask: Ask::AvailableBy,
        label: "catalogue.f_available_by",
    },
];

/// The most parameters read from one address, the longest value and the
/// most characters kept in all: a hostile address costs a bounded parse, and
/// the links a page repeats it in stay small.
const MAX_PAIRS: usize = 200;
const MAX_VALUE_CHARS: usize = 200;
const MAX_TYPED_CHARS: usize = 2_000;
/// Sites per page of results.
pub const PAGE_SIZE: usize = 20;

/// The order of the results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Most recently published first.
    #[default]
    Newest,
    /// Largest land area first.
    Area,
    /// Nearest to a motorway exit first.
    Motorway,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Newest, Sort::Area, Sort::Motorway];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Area => "area",
            Sort::Motorway => "motorway",
        }
    }
}

/// A filter that reads: what it asks, ready to test a site.
#[derive(Clone, Debug, PartialEq)]
pub enum Criterion {
    Words(Vec<String>),
    Kind(String),
    Provinces(Vec<String>),
    Municipality(String),
    AnyOf(&'static str, Vec<String>),
    AtLeast(&'static str, f64),
    AtMost(&'static str, f64),
    AvailableBy(NaiveDate),
}

impl Criterion {
    /// Whether `site` meets it; words are tested by the index, not here.
    pub fn accepts(&self, site: &Site) -> bool {
        match self {
            Criterion::Words(_) => true,
            Criterion::Kind(k) => site.snapshot.kind == *k,
            Criterion::Provinces(codes) => codes.contains(&site.province),
            Criterion::Municipality(code) => site.snapshot.municipality_code == *code,
            Criterion::AnyOf(field, ids) => site
                .value(field)
                .is_some_and(|v| v.split(';').any(|id| ids.iter().any(|w| w == id))),
            Criterion::AtLeast(field, n) => site.number(field).is_some_and(|v| v >= *n),
            Criterion::AtMost(field, n) => site.number(field).is_some_and(|v| v <= *n),
            Criterion::AvailableBy(date) => site.available_from.is_some_and(|from| from <= *date),
        }
    }
}

/// A visitor's search, as the address gave it.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Each filter that reads, by its parameter.
    pub criteria: Vec<(&'static str, Criterion)>,
    /// Every value as typed, by parameter (to fill the form in again).
    pub typed: Vec<(&'static str, String)>,
    /// Each parameter whose value does not read, and why.
    pub errors: Vec<(&'static str, Problem)>,
    pub sort: Sort,
    /// From 1.
    pub page: usize,
}

impl Filters {
    /// The filters of the query string `query` (without its `?`).
    pub fn parse(query: &str) -> Filters {
        let mut f = Filters {
            page: 1,
            ..Default::default()
        };
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()).take(MAX_PAIRS) {
            let value: String = value.trim().chars().take(MAX_VALUE_CHARS).collect();
            if value.is_empty() {
                continue;
            }
            match key.as_ref() {
                "sort" => {
                    f.sort = Sort::ALL
                        .into_iter()
                        .find(|s| s.code() == value)
                        .unwrap_or_default()
                }
                "page" => f.page = value.parse().ok().filter(|p| *p >= 1).unwrap_or(1),
                key => {
                    if let Some(p) = PARAMS.iter().find(|p| p.key == key) {
                        f.keep(p, value);
                    }
                }
            }
        }
        for p in PARAMS {
            let values: Vec<&str> = f.values(p.key).collect();
            if values.is_empty() {
                continue;
            }
            match read(p.ask, &values) {
                // Only function words ("the", "di"): nothing to look for.
                Ok(Criterion::Words(w)) if w.is_empty() => {}
                Ok(c) => f.criteria.push((p.key, c)),
                Err(problem) => f.errors.push((p.key, problem)),
            }
        }
        f.check_ranges();
        f
    }

    /// Keeps `value` typed for `p`: once, the first only where one value
    /// asks (a number, a date), within [`MAX_TYPED_CHARS`] in all.
    fn keep(&mut self, p: &Param, value: String) {
        let single = !matches!(p.ask, Ask::Province | Ask::AnyOf(_) | Ask::Words);
        let seen = |(k, v): &(&str, String)| *k == p.key && (single || *v == value);
        let used: usize = self.typed.iter().map(|(_, v)| v.len()).sum();
        if !self.typed.iter().any(seen) && used + value.len() <= MAX_TYPED_CHARS {
            self.typed.push((p.key, value));
        }
    }

    /// The values typed for `key`.
    pub fn values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.typed
            .iter()
            .filter(move |(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A minimum above its maximum asks for nothing: said next to the maximum.
    fn check_ranges(&mut self) {
        let bound = |f: &Filters, key: &str| {
            f.criteria
                .iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, c)| match c {
                    Criterion::AtLeast(_, n) | Criterion::AtMost(_, n) => Some(*n),
                    _ => None,
                })
        };
        for (min, max) in [
            ("land_min", "land_max"),
            ("covered_min", "covered_max"),
            ("price_min", "price_max"),
        ] {
            if let (Some(lo), Some(hi)) = (bound(self, min), bound(self, max)) {
                if lo > hi {
                    self.criteria.retain(|(k, _)| *k != min && *k != max);
                    self.errors.push((max, Problem::Range));
                }
            }
        }
    }

    /// What this search shows, as a key for the pages kept: everything
    /// typed (also what asks nothing, which the form shows again), the
    /// order, the page.
    pub fn key(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.typed {
            out.append_pair(k, v);
        }
        out.append_pair("sort", self.sort.code());
        out.append_pair("page", &self.page.to_string());
        out.finish()
    }

    /// The words searched for, if any.
    pub fn words(&self) -> &[String] {
        self.criteria
            .iter()
            .find_map(|(_, c)| match c {
                Criterion::Words(w) => Some(w.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// Whether `site` meets every filter but the words (the index tests those).
    pub fn accepts(&self, site: &Site) -> bool {
        self.criteria.iter().all(|(_, c)| c.accepts(site))
    }

    /// The query string of this search with `changes`: each (parameter,
    /// value) replaces that parameter's values (an empty value removes it).
    /// The page goes back to 1 unless a change sets it.
    pub fn query_with(&self, changes: &[(&str, &str)]) -> String {
        let changed = |k: &str| changes.iter().any(|(c, _)| *c == k);
        // Values that do not read stay in the form, not in the links.
        let reads = |k: &str| self.criteria.iter().any(|(c, _)| *c == k);
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.typed {
            if !changed(k) && reads(k) {
                out.append_pair(k, v);
            }
        }
        if !changed("sort") && self.sort != Sort::Newest {
            out.append_pair("sort", self.sort.code());
        }
        for (k, v) in changes.iter().filter(|(_, v)| !v.is_empty()) {
            if !(*k == "page" && *v == "1") {
                out.append_pair(k, v);
            }
        }
        out.finish()
    }
}

/// The criterion `values` of a parameter asking `ask` make, or why they do not read.
fn read(ask: Ask, values: &[&str]) -> Result<Criterion, Problem> {
    let first = values[0];
    match ask {
        Ask::Words => Ok(Criterion::Words(search::query_words(&values.join(" ")))),
        Ask::Kind => match first.to_ascii_lowercase().as_str() {
            k @ ("a" | "b") => Ok(Criterion::Kind(k.to_string())),
            _ => Err(Problem::UnknownOption),
        },
        Ask::Province => {
            let known: Vec<&str> = Provinces::get().codes().collect();
            let codes: Vec<String> = values.iter().map(|v| v.to_ascii_uppercase()).collect();
            match codes.iter().all(|c| known.contains(&c.as_str())) {
                true => Ok(Criterion::Provinces(codes)),
                false => Err(Problem::UnknownOption),
            }
        }
        Ask::Municipality => Municipalities::get()
            .find(first)
            .map(|m| Criterion::Municipality(m.istat_code.clone()))
            .ok_or(Problem::UnknownMunicipality),
        Ask::AnyOf(field) => {
            let call = Call::embedded();
            let options = call.field(field).map(|f| call.options(f)).unwrap_or(&[]);
            // Each value as the option's own id, whatever its case.
            let id = |v: &&str| options.iter().find(|o| o.id.eq_ignore_ascii_case(v));
            let ids: Option<Vec<String>> =
                values.iter().map(|v| id(v).map(|o| o.id.clone())).collect();
            ids.map(|ids| Criterion::AnyOf(field, ids))
                .ok_or(Problem::UnknownOption)
        }
        Ask::AtLeast(field) => number(first).map(|n| Criterion::AtLeast(field, n)),
        Ask::AtMost(field) => number(first).map(|n| Criterion::AtMost(field, n)),
        Ask::AvailableBy => forms::value::date(&forms::Cell::Text(first.to_string()))
            .map(Criterion::AvailableBy)
            .ok_or(Problem::NotADate),
    }
}

/// A number as a form sends it ("2500.5") or a person types it ("2.500,5").
fn number(text: &str) -> Result<f64, Problem> {
    match forms::value::parse_number_text(text) {
        Some(n) if n >= 0.0 => Ok(n),
        Some(_) => Err(Problem::Negative),
        None => Err(Problem::NotANumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_from_the_address_and_keep_what_was_typed() {
        let f = Filters::parse(
            "q=Logistica+Dalmine&province=bg&province=MI&land_min=5000&land_max=abc\
             &function=logistics&sort=area&page=3&unknown=1",
        );
        assert_eq!(f.sort, Sort::Area);
        assert_eq!(f.page, 3);
        assert_eq!(f.words(), ["logistica", "dalmine"]);
        assert!(f.criteria.contains(&(
            "province",
            Criterion::Provinces(vec!["BG".into(), "MI".into()])
        )));
        assert!(f
            .criteria
            .contains(&("land_min", Criterion::AtLeast("land_area", 5000.0))));
        assert_eq!(f.errors, [("land_max", Problem::NotANumber)]);
        assert_eq!(f.values("land_max").collect::<Vec<_>>(), ["abc"]);
        assert!(f.typed.iter().all(|(k, _)| *k != "unknown"));
    }

    #[test]
    fn bad_values_are_reported_where_they_were_typed() {
        let f = Filters::parse(
            "province=XX&asset=castle&municipality=Atlantide&available_by=31/31/2027\
             &power_kw=-5&price_min=9&price_max=3&kind=c",
        );
        let errors: Vec<_> = f.errors.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            errors,
            [
                "kind",
                "province",
                "municipality",
                "asset",
                "power_kw",
                "available_by",
                "price_max"
            ]
        );
        assert!(f.criteria.is_empty(), "{:?}", f.criteria);
    }

    #[test]
    fn a_municipality_reads_by_name_or_code() {
        let by_name = Filters::parse("municipality=dalmine");
        let by_code = Filters::parse("municipality=016091");
        assert_eq!(by_name.criteria, by_code.criteria);
        assert!(by_name.errors.is_empty());
    }

    #[test]
    fn links_change_one_parameter_and_go_back_to_the_first_page() {
        let f = Filters::parse("province=BG&land_min=100&page=4&sort=area");
        assert_eq!(f.query_with(&[]), "province=BG&land_min=100&sort=area");
        assert_eq!(
            f.query_with(&[("page", "2")]),
            "province=BG&land_min=100&sort=area&page=2"
        );
        assert_eq!(f.query_with(&[("province", "")]), "land_min=100&sort=area");
        assert_eq!(
            f.query_with(&[("sort", "newest")]),
            "province=BG&land_min=100&sort=newest"
        );
    }

    #[test]
    fn a_hostile_address_costs_a_bounded_parse() {
        let long = format!("q={}", "a".repeat(1_000_000));
        let f = Filters::parse(&long);
        assert_eq!(f.values("q").next().unwrap().len(), MAX_VALUE_CHARS);
        // Repeated values are kept once; distinct ones up to a total size.
        let many = "province=BG&".repeat(100_000);
        assert_eq!(Filters::parse(&many).typed.len(), 1);
        let distinct: String = (0..200)
            .map(|i| format!("q=word{i:03}xxxxxxxxxxxx&"))
            .collect();
        let f = Filters::parse(&distinct);
        let kept: usize = f.typed.iter().map(|(_, v)| v.len()).sum();
        assert!(kept <= MAX_TYPED_CHARS && f.typed.len() < 200, "{kept}");
        // A second value of a single-valued filter is not kept.
        let f = Filters::parse("land_min=5&land_min=7");
        assert_eq!(f.values("land_min").collect::<Vec<_>>(), ["5"]);
    }
}

#[cfg(test)]
mod reading {
    use super::*;

    #[test]
    fn numbers_dates_and_options_read_as_people_type_them() {
        let f = Filters::parse(
            "land_min=2.500&price_max=1.200.000,50&available_by=31/12/2027&asset=BUILDING&kind=B",
        );
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let has = |k: &str, c: Criterion| f.criteria.contains(&(param_key(k), c));
        assert!(has("land_min", Criterion::AtLeast("land_area", 2500.0)));
        assert!(has(
            "price_max",
            Criterion::AtMost("price_eur", 1_200_000.5)
        ));
        let end = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
        assert!(has("available_by", Criterion::AvailableBy(end)));
        assert!(has(
            "asset",
            Criterion::AnyOf("asset_type", vec!["building".into()])
        ));
        assert!(has("kind", Criterion::Kind("b".into())));
        // Only function words: no filter at all.
        assert!(Filters::parse("q=the+of+di").criteria.is_empty());
        // Links leave out what does not read.
        assert_eq!(
            Filters::parse("land_min=tanto&province=BG").query_with(&[]),
            "province=BG"
        );
    }

    fn param_key(k: &str) -> &'static str {
        PARAMS.iter().find(|p| p.key == k).unwrap().key
    }
}
