//! The catalogue as open data (CC BY 4.0): every site online as CSV and as
//! GeoJSON, one column or property per public field of the call (ids as the
//! call names them, values as kept: option ids, plain numbers, ISO dates),
//! and the DCAT-AP_IT description of the dataset that national catalogues
//! (dati.gov.it, the Invest in Italy map) harvest. Made from the index, so
//! they change exactly when what is online changes.

use super::index::{Loaded, Site};
use crate::review::exports::formula_safe;
use forms::call::FieldType;
use forms::reference::Municipalities;
use forms::Call;
use serde_json::{json, Map, Value};

/// The licence every file is published under.
pub const LICENCE: &str = "https://creativecommons.org/licenses/by/4.0/";

/// Columns every row starts with, before the call's public fields.
const FIRST: [&str; 15] = [
    "reference",
    "version",
    "published_at",
    "declared_at",
    "validated_at",
    "kind",
    "municipality_code",
    "municipality",
    "province",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "page_it",
    "page_en",
];

/// The call's public fields not already among the first columns, in its order.
fn public_fields() -> impl Iterator<Item = &'static forms::call::Field> {
    let already = [
        "municipality",
        "address",
        "postcode",
        "latitude",
        "longitude",
    ];
    Call::embedded()
        .fields
        .iter()
        .filter(move |f| f.public && !already.contains(&f.id.as_str()))
}

/// Every column's name, in order.
pub fn columns() -> Vec<String> {
    FIRST
        .iter()
        .map(|c| c.to_string())
        .chain(public_fields().map(|f| f.id.clone()))
        .collect()
}

/// One site's values by column, numbers as numbers; `pages` gives its
/// address in Italian and English.
fn record(site: &Site, pages: &dyn Fn(&str) -> (String, String)) -> Map<String, Value> {
    let s = &site.snapshot;
    let at = |d: Option<chrono::DateTime<chrono::Utc>>| d.map(|d| d.to_rfc3339()).into();
    let (page_it, page_en) = pages(site.reference());
    let mut out = Map::new();
    out.insert("reference".into(), site.reference().into());
    out.insert("version".into(), site.version.into());
    out.insert("published_at".into(), at(Some(site.published_at)));
    out.insert("declared_at".into(), at(s.declared_at));
    out.insert("validated_at".into(), at(s.validated_at));
    out.insert("kind".into(), s.kind.clone().into());
    out.insert(
        "municipality_code".into(),
        s.municipality_code.clone().into(),
    );
    let town = Municipalities::get().by_istat_code(&s.municipality_code);
    out.insert("municipality".into(), town.map(|m| m.name.clone()).into());
    out.insert("province".into(), site.province.clone().into());
    out.insert("address".into(), s.address.clone().into());
    out.insert("postcode".into(), s.postcode.clone().into());
    out.insert("latitude".into(), s.latitude.into());
    out.insert("longitude".into(), s.longitude.into());
    out.insert("page_it".into(), page_it.into());
    out.insert("page_en".into(), page_en.into());
    for field in public_fields() {
        let numeric = matches!(field.kind, FieldType::Integer | FieldType::Decimal);
        let value = match site.value(&field.id) {
            None => Value::Null,
            Some(v) if numeric => v.parse::<f64>().map_or_else(|_| v.into(), Value::from),
            Some(v) => v.into(),
        };
        out.insert(field.id.clone(), value);
    }
    out
}

/// The CSV file: a header of column names, a row per site, comma-separated,
/// UTF-8. Text a spreadsheet would run as a formula is neutralised (the
/// texts are the proponents').
pub fn csv(loaded: &Loaded, pages: &dyn Fn(&str) -> (String, String)) -> Result<Vec<u8>, String> {
    let columns = columns();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&columns).map_err(|e| e.to_string())?;
    for site in &loaded.sites {
        let r = record(site, pages);
        let cells = columns.iter().map(|c| match r.get(c) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => formula_safe(s),
            Some(other) => other.to_string(),
        });
        w.write_record(cells).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The GeoJSON file: a feature per site, a point where it has coordinates
/// (none otherwise, as GeoJSON allows), the same properties as the CSV.
pub fn geojson(loaded: &Loaded, pages: &dyn Fn(&str) -> (String, String)) -> Vec<u8> {
    let features: Vec<Value> = loaded
        .sites
        .iter()
        .map(|site| {
            let s = &site.snapshot;
            let geometry = match (s.latitude, s.longitude) {
                (Some(lat), Some(lon)) => json!({ "type": "Point", "coordinates": [lon, lat] }),
                _ => Value::Null,
            };
            json!({ "type": "Feature", "geometry": geometry, "properties": record(site, pages) })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
        .to_string()
        .into_bytes()
}

/// Where the dataset and its files are, for its description.
pub struct Addresses {
    /// The portal's public address, without a trailing slash.
    pub base: String,
    pub page_it: String,
    pub page_en: String,
    pub csv: String,
    pub geojson: String,
    pub description: String,
    pub contact: String,
}

/// The DCAT-AP_IT description (JSON-LD) of the catalogue and its dataset.
pub fn dcat(loaded: &Loaded, a: &Addresses) -> Vec<u8> {
    let modified = loaded
        .sites
        .iter()
        .map(|s| s.published_at)
        .max()
        .map(|d| d.format("%Y-%m-%d").to_string());
    let text = |it: &str, en: &str| json!([{ "@language": "it", "@value": it }, { "@language": "en", "@value": en }]);
    let publisher = json!({
        "@type": ["foaf:Organization", "dcatapit:Agent"],
        "foaf:name": "Regione Lombardia",
        "dct:identifier": "r_lombar",
    });
    let distribution = |url: &str, format: &str, media: &str| {
        json!({
            "@type": "dcatapit:Distribution",
            "dcat:accessURL": { "@id": url },
            "dcat:downloadURL": { "@id": url },
            "dct:format": { "@id": format!("http://publications.europa.eu/resource/authority/file-type/{format}") },
            "dcat:mediaType": media,
            "dct:license": { "@id": LICENCE, "@type": "dcatapit:LicenseDocument" },
        })
    };
    let dataset = json!({
        "@id": a.description.clone() + "#dataset",
        "@type": "dcatapit:Dataset",
        "dct:identifier": "r_lombar:opportunity-lombardy-sites",
        "dct:title": text("Opportunity Lombardy – aree ed edifici per investimenti", "Opportunity Lombardy – sites and buildings for investment"),
        "dct:description": text(
            "Aree ed edifici candidati da proprietari pubblici e privati e verificati da Regione Lombardia (DGR XII/4959, §4.2), con posizione, dimensioni, infrastrutture e disponibilità.",
            "Sites and buildings put forward by public and private owners and verified by Regione Lombardia (DGR XII/4959, §4.2), with location, size, infrastructure and availability.",
        ),
        "dcat:theme": { "@id": "http://publications.europa.eu/resource/authority/data-theme/ECON" },
        "dct:publisher": publisher.clone(),
        "dct:rightsHolder": publisher.clone(),
        "dct:modified": modified,
        "dct:accrualPeriodicity": { "@id": "http://publications.europa.eu/resource/authority/frequency/CONT" },
        "dct:spatial": { "@type": "dct:Location", "dcatapit:geographicalIdentifier": "http://www.geonames.org/3174618", "locn:geographicalName": "Lombardia" },
        "dcat:keyword": ["investimenti", "aree produttive", "attrattività", "investment", "sites"],
        "dcat:landingPage": [{ "@id": a.page_it.clone() }, { "@id": a.page_en.clone() }],
        "dcat:contactPoint": { "@type": "dcatapit:Organization", "vcard:fn": "Opportunity Lombardy", "vcard:hasEmail": { "@id": format!("mailto:{}", a.contact) } },
        "dcat:distribution": [
            distribution(&a.csv, "CSV", "text/csv"),
            distribution(&a.geojson, "GEOJSON", "application/geo+json"),
        ],
    });
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatapit": "http://dati.gov.it/onto/dcatapit#",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "locn": "http://www.w3.org/ns/locn#",
        },
        "@id": a.description.clone(),
        "@type": "dcatapit:Catalog",
        "dct:title": text("Catalogo Opportunity Lombardy", "Opportunity Lombardy catalogue"),
        "dct:description": text("Dati aperti del portale Opportunity Lombardy.", "Open data of the Opportunity Lombardy portal."),
        "dct:publisher": publisher,
        "dct:modified": modified,
        "foaf:homepage": { "@id": a.base.clone() },
        "dcat:dataset": [dataset],
    })
    .to_string()
    .into_bytes()
}
