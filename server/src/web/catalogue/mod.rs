//! The public catalogue's pages: the list with its filters and map
//! (`/opportunita`, `/en/opportunities`), each site's page, its photos.
//! Only versions online are read, from the catalogue's index; a site that
//! is not online is a 404 everywhere.

pub mod brief;
pub mod cards;
pub mod compare;
pub mod maps;
pub mod open_data;
pub mod saved;

use crate::catalogue::filters::{Ask, Criterion, Filters, Problem, Sort, PARAMS};
use crate::catalogue::index::Kept;
use crate::catalogue::{Loaded, Site};
use crate::error::{AppError, AppResult};
use crate::review::publication::Snapshot;
use crate::web::context::Ctx;
use crate::web::page;
use app::i18n::t;
use app::page::Seo;
use app::view_data::{CatalogueView, FilterField, FilterGroup, FilterInput, SiteSection, SiteView};
use app::Lang;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use forms::reference::{Municipalities, Provinces};
use forms::Call;
use std::sync::Arc;

pub use crate::catalogue::{list_path, site_path};

/// A photo of a site online, `large` or as a thumbnail.
fn photo_path(reference: &str, document: i64, large: bool) -> String {
    let size = if large { "?size=large" } else { "" };
    format!("/opportunita/{reference}/foto/{document}{size}")
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::It => Lang::En,
        Lang::En => Lang::It,
    }
}

use crate::candidacies::signed_forms::document_lang as forms_lang;

/// "?query", or nothing for an empty one.
fn with_query(path: &str, query: &str) -> String {
    match query {
        "" => path.to_string(),
        q => format!("{path}?{q}"),
    }
}

/// The list: the filters in the address, the sites that match, the map.
pub async fn list(ctx: Ctx, headers: HeaderMap, RawQuery(query): RawQuery) -> AppResult<Response> {
    let lang = ctx.lang;
    let filters = Filters::parse(query.as_deref().unwrap_or_default());
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    // What the page shows (a page with errors is not kept).
    let key = filters
        .errors
        .is_empty()
        .then(|| format!("list|{}|{}", lang.code(), filters.key()));
    if let Some(kept) = kept(&ctx, &loaded, key.as_deref()) {
        return Ok(send(&headers, &kept));
    }
    let found = loaded.search(&filters);
    let path = list_path(lang);
    let href = |changes: &[(&str, &str)]| with_query(path, &filters.query_with(changes));
    let cards = found.page.iter().map(|s| list_card(lang, s)).collect();
    let chosen = chosen_provinces(&filters);
    let whole = maps::View::whole();
    let map = maps::results(
        lang,
        &found.all,
        &chosen,
        |code| href(&[("province", code)]),
        &whole,
    );
    let relax = match found.all.is_empty() {
        true => relaxations(lang, &loaded, &filters, &href),
        false => Vec::new(),
    };
    let page_link = |n: usize| href(&[("page", &n.to_string())]);
    let view = CatalogueView {
        action: path.to_string(),
        q: filters.values("q").next().unwrap_or_default().to_string(),
        empty_catalogue: loaded.sites.is_empty(),
        groups: groups(lang, &filters),
        active: active(lang, &filters, &href),
        total: found.all.len(),
        cards,
        map,
        sorts: Sort::ALL
            .iter()
            .map(|s| {
                let label = t(lang, &format!("catalogue.sort_{}", s.code()));
                (s.code().to_string(), label, *s == filters.sort)
            })
            .collect(),
        page: found.page_number,
        pages: found.pages,
        previous: (found.page_number > 1).then(|| page_link(found.page_number - 1)),
        next: (found.page_number < found.pages).then(|| page_link(found.page_number + 1)),
        relax,
        clear: path.to_string(),
        open_data: open_data::page_path(lang).to_string(),
        compare: compare::compare_path(lang).to_string(),
        save: saved::offer(&ctx, &filters, &with_query(path, &filters.query_with(&[]))),
        zoom: maps::zoom_props(lang, &filters.query_with(&[])),
    };
    let own_query = filters.query_with(&[("page", &found.page_number.to_string())]);
    let mut page_ctx = ctx.page();
    page_ctx.alternate = Some(with_query(list_path(other(lang)), &own_query));
    page_ctx.seo = Some(Seo {
        canonical: ctx.state.link(&with_query(path, &own_query)),
        alternates: Lang::ALL
            .iter()
            .map(|l| {
                let address = ctx.state.link(&with_query(list_path(*l), &own_query));
                (l.code().to_string(), address)
            })
            .collect(),
        description: t(lang, "catalogue.intro"),
        image: None,
        json_ld: None,
    });
    let html = app::pages::catalogue::list(&page_ctx, &view);
    // Only a page that exists is kept: page=N beyond the last shows the
    // last page, which must not be kept once per N.
    let exists = found.page_number == filters.page;
    match (key, filters.errors.is_empty()) {
        (Some(key), true) if anonymous(&ctx) && exists => {
            Ok(send(&headers, &loaded.pages.put(key, html)))
        }
        (_, true) => Ok(page(StatusCode::OK, html)),
        (_, false) => Ok(page(StatusCode::UNPROCESSABLE_ENTITY, html)),
    }
}

/// The provinces the filters ask for (shaded on the map).
fn chosen_provinces(filters: &Filters) -> Vec<String> {
    filters
        .criteria
        .iter()
        .find_map(|(_, c)| match c {
            Criterion::Provinces(p) => Some(p.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// A visitor without an account (or not yet through its second factor):
/// every such visitor gets the same page for the same address.
fn anonymous(ctx: &Ctx) -> bool {
    ctx.user.is_none() && ctx.pending.is_none()
}

/// The page kept under `key` for an anonymous visitor, if any.
fn kept(ctx: &Ctx, loaded: &Loaded, key: Option<&str>) -> Option<Arc<Kept>> {
    key.filter(|_| anonymous(ctx))
        .and_then(|k| loaded.pages.get(k))
}

/// A kept page, compressed with brotli (once) for a browser that takes it.
fn send(headers: &HeaderMap, page: &Kept) -> Response {
    let takes_brotli = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|part| {
                let mut it = part.split(';').map(str::trim);
                let weight = |q: &str| q.strip_prefix("q=").and_then(|w| w.parse::<f32>().ok());
                it.next()
                    .is_some_and(|name| name.eq_ignore_ascii_case("br"))
                    && it.all(|q| weight(q).is_none_or(|w| w > 0.0))
            })
        });
    let mut response = if takes_brotli {
        let body = page.brotli.get_or_init(|| brotli(&page.body)).clone();
        let mut r = Response::new(axum::body::Body::from(body));
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        r
    } else {
        Response::new(axum::body::Body::from(page.body.clone()))
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    // The first visit also sets the CSRF cookie: no shared cache keeps it.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

/// `html` compressed with brotli, once per page (so a little harder than the
/// compression layer, which does it on every response).
fn brotli(html: &[u8]) -> bytes::Bytes {
    let mut out = Vec::with_capacity(html.len() / 5);
    let params = ::brotli::enc::BrotliEncoderParams {
        quality: 5,
        ..Default::default()
    };
    // Writing to memory cannot fail.
    let _ = ::brotli::BrotliCompress(&mut &html[..], &mut out, &params);
    bytes::Bytes::from(out)
}

/// A result's card: linked to its page, with its first photo, the
/// description cut to a few lines.
fn list_card(lang: Lang, s: &Site) -> app::view_data::CardView {
    let mut card = cards::card(lang, &s.snapshot);
    card.href = Some(site_path(lang, s.reference()));
    card.photo = s
        .snapshot
        .photos
        .first()
        .map(|id| photo_path(s.reference(), *id, false));
    card.description = shorten(&card.description, 220);
    card.compare = Some(s.reference().to_string());
    card
}

/// `text` cut at a word to at most `max` characters, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// The filters' form, grouped, each with what was typed and its error.
fn groups(lang: Lang, f: &Filters) -> Vec<FilterGroup> {
    const GROUPS: [(&str, &[&str]); 5] = [
        ("catalogue.g_where", &["province", "municipality"]),
        (
            "catalogue.g_what",
            &[
                "kind",
                "asset",
                "state",
                "function",
                "offer",
                "available_by",
            ],
        ),
        (
            "catalogue.g_size",
            &[
                "land_min",
                "land_max",
                "covered_min",
                "covered_max",
                "price_min",
                "price_max",
            ],
        ),
        (
            "catalogue.g_infrastructure",
            &[
                "motorway_km",
                "railway_km",
                "intermodal_km",
                "airport_km",
                "power_kw",
                "voltage",
            ],
        ),
        ("catalogue.g_environment", &["remediation", "energy"]),
    ];
    GROUPS
        .iter()
        .map(|(legend, keys)| {
            let fields: Vec<FilterField> = keys.iter().map(|k| field(lang, f, k)).collect();
            let open = keys.iter().any(|k| f.values(k).next().is_some());
            FilterGroup {
                legend: t(lang, legend),
                open,
                fields,
            }
        })
        .collect()
}

fn param(key: &str) -> &'static crate::catalogue::filters::Param {
    PARAMS
        .iter()
        .find(|p| p.key == key)
        .expect("the form names only parameters of the table")
}

/// One filter of the form.
fn field(lang: Lang, f: &Filters, key: &str) -> FilterField {
    let p = param(key);
    let typed: Vec<&str> = f.values(key).collect();
    let first = typed.first().copied().unwrap_or_default().to_string();
    let ticks = |options: Vec<(String, String)>| {
        options
            .into_iter()
            .map(|(id, label)| {
                let ticked = typed.iter().any(|t| t.eq_ignore_ascii_case(&id));
                (id, label, ticked)
            })
            .collect()
    };
    let input = match p.ask {
        Ask::Words | Ask::Municipality => FilterInput::Text(first),
        Ask::Kind => {
            let call = Call::embedded();
            let mut options = vec![(String::new(), t(lang, "catalogue.any"), first.is_empty())];
            for kind in [forms::Kind::Settlement, forms::Kind::Investment] {
                let label = call.kind_label(kind, forms_lang(lang)).to_string();
                options.push((kind.code().to_string(), label, first == kind.code()));
            }
            FilterInput::Select(options)
        }
        Ask::Province => {
            let names = Municipalities::get();
            let mut options: Vec<(String, String)> = Provinces::get()
                .codes()
                .map(|c| {
                    (
                        c.to_string(),
                        names.province_name(c).unwrap_or(c).to_string(),
                    )
                })
                .collect();
            options.sort_by(|a, b| a.1.cmp(&b.1));
            FilterInput::Checks(ticks(options))
        }
        Ask::AnyOf(id) => {
            let call = Call::embedded();
            let options = call
                .field(id)
                .map(|field| call.options(field))
                .unwrap_or(&[])
                .iter()
                .map(|o| (o.id.clone(), o.label(forms_lang(lang)).to_string()))
                .collect();
            FilterInput::Checks(ticks(options))
        }
        Ask::AtLeast(_) | Ask::AtMost(_) => FilterInput::Number(first),
        Ask::AvailableBy => FilterInput::Date(first),
    };
    FilterField {
        name: key.to_string(),
        label: t(lang, p.label),
        input,
        error: f
            .errors
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, problem)| t(lang, problem_key(*problem))),
    }
}

/// The message that says what is wrong with a value typed for a filter.
fn problem_key(p: Problem) -> &'static str {
    match p {
        Problem::UnknownOption => "catalogue.error_option",
        Problem::UnknownMunicipality => "catalogue.error_municipality",
        Problem::NotANumber => "catalogue.error_number",
        Problem::Negative => "catalogue.error_negative",
        Problem::Range => "catalogue.error_range",
        Problem::NotADate => "catalogue.error_date",
    }
}

/// What a filter in force asks, in words: "Province: Bergamo, Milano".
fn in_words(lang: Lang, key: &str, c: &Criterion) -> String {
    let call = Call::embedded();
    let fl = forms_lang(lang);
    let names = Municipalities::get();
    let number = |n: f64| forms::report::format_number(n, fl);
    let value = match c {
        Criterion::Words(words) => format!("«{}»", words.join(" ")),
        Criterion::Kind(k) => forms::Kind::from_code(k)
            .map(|k| call.kind_label(k, fl).to_string())
            .unwrap_or_default(),
        Criterion::Provinces(codes) => codes
            .iter()
            .map(|c| names.province_name(c).unwrap_or(c))
            .collect::<Vec<_>>()
            .join(", "),
        Criterion::Municipality(code) => names
            .by_istat_code(code)
            .map(|m| m.list_label())
            .unwrap_or_default(),
        Criterion::AnyOf(field, ids) => {
            let field = call.field(field);
            ids.iter()
                .map(|id| {
                    field
                        .and_then(|f| call.option_label(f, id, fl))
                        .unwrap_or(id)
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
        Criterion::AtLeast(_, n) | Criterion::AtMost(_, n) => number(*n),
        Criterion::AvailableBy(d) => cards::day_in_words(*d, fl),
    };
    format!("{}: {value}", t(lang, param(key).label))
}

/// Each filter in force as a chip that removes it.
fn active(
    lang: Lang,
    f: &Filters,
    href: &impl Fn(&[(&str, &str)]) -> String,
) -> Vec<(String, String)> {
    f.criteria
        .iter()
        .map(|(key, c)| (in_words(lang, key, c), href(&[(key, "")])))
        .collect()
}

/// When nothing matches: each filter whose removal finds sites, and how many.
fn relaxations(
    lang: Lang,
    loaded: &Loaded,
    f: &Filters,
    href: &impl Fn(&[(&str, &str)]) -> String,
) -> Vec<(String, String)> {
    loaded
        .relaxations(f)
        .into_iter()
        .map(|(key, n)| {
            let key_text = if n == 1 {
                "catalogue.relax_one"
            } else {
                "catalogue.relax"
            };
            let text = t(lang, key_text)
                .replace("{filter}", &t(lang, param(key).label))
                .replace("{n}", &n.to_string());
            (text, href(&[(key, "")]))
        })
        .collect()
}

/// A site's page: every public field by section, with who declared and who
/// verified it; its photos; the map; how to ask about it.
pub async fn site(
    ctx: Ctx,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let site = loaded.site(&reference).ok_or(AppError::NotFound)?;
    let key = format!("site|{}|{reference}", lang.code());
    if let Some(kept) = kept(&ctx, &loaded, Some(&key)) {
        return Ok(send(&headers, &kept));
    }
    let s = &site.snapshot;
    let card = cards::card(lang, s);
    let call = Call::embedded();
    let kind = forms::Kind::from_code(&s.kind).unwrap_or(forms::Kind::Settlement);
    let share = ctx.state.link(&site_path(lang, &reference));
    let view = SiteView {
        content_lang: cards::written_in(lang, s, "title_it", "title_en"),
        description_lang: cards::written_in(lang, s, "description_it", "description_en"),
        title: card.title.clone(),
        reference: reference.clone(),
        kind: call.kind_label(kind, forms_lang(lang)).to_string(),
        place: card.place.clone(),
        description: card.description.clone(),
        photos: photos(lang, site, &card.title),
        map: site_map(lang, s),
        sections: sections(lang, site, kind),
        updated: t(lang, "catalogue.updated")
            .replace("{date}", &day(lang, site.published_at))
            .replace("{version}", &site.version.to_string()),
        share: share.clone(),
        brief: brief::xlsx_path(&reference),
        brief_pdf: brief::pdf_path(&reference),
        ask: ask_link(&ctx, &reference, &card.title),
        back: list_path(lang).to_string(),
    };
    let mut page_ctx = ctx.page();
    page_ctx.alternate = Some(site_path(other(lang), &reference));
    let image = s
        .photos
        .first()
        .map(|id| ctx.state.link(&photo_path(&reference, *id, true)));
    let alternates = Lang::ALL
        .iter()
        .map(|l| {
            (
                l.code().to_string(),
                ctx.state.link(&site_path(*l, &reference)),
            )
        })
        .collect();
    page_ctx.seo = Some(Seo {
        canonical: share,
        alternates,
        description: shorten(&card.description, 200),
        json_ld: Some(place_json_ld(&ctx, lang, site, &card, image.as_deref())),
        image,
    });
    let html = app::pages::catalogue::detail(&page_ctx, &view);
    match anonymous(&ctx) {
        true => Ok(send(&headers, &loaded.pages.put(key, html))),
        false => Ok(page(StatusCode::OK, html)),
    }
}

/// The site's photos: (thumbnail, large, alternative text).
fn photos(lang: Lang, site: &Site, title: &str) -> Vec<(String, String, String)> {
    let all = &site.snapshot.photos;
    all.iter()
        .enumerate()
        .map(|(i, id)| {
            let alt = t(lang, "catalogue.photo_alt")
                .replace("{i}", &(i + 1).to_string())
                .replace("{n}", &all.len().to_string())
                .replace("{title}", title);
            let r = site.reference();
            (photo_path(r, *id, false), photo_path(r, *id, true), alt)
        })
        .collect()
}

/// The site on the map, said in words; none without coordinates.
fn site_map(lang: Lang, s: &Snapshot) -> Option<app::view_data::MapView> {
    let (lat, lon) = (s.latitude?, s.longitude?);
    let description = map_in_words(lang, s)?;
    Some(maps::one_site(lat, lon, &s.municipality_code, description))
}

/// What the site's map shows, in words (its text alternative).
fn map_in_words(lang: Lang, s: &Snapshot) -> Option<String> {
    let (lat, lon) = (s.latitude?, s.longitude?);
    let degrees = |d: f64| forms::report::format_number((d * 1e5).round() / 1e5, forms_lang(lang));
    Some(
        t(lang, "catalogue.site_map")
            .replace("{place}", &s.municipality)
            .replace("{lat}", &degrees(lat))
            .replace("{lon}", &degrees(lon)),
    )
}

/// Each section of the call that applies, with its public fields filled in
/// and who declared and verified them.
fn sections(lang: Lang, site: &Site, kind: forms::Kind) -> Vec<SiteSection> {
    let call = Call::embedded();
    let fl = forms_lang(lang);
    let provenance = provenance(lang, &site.snapshot, site.published_at);
    let shown = |f: &&forms::call::Field| f.public && !SHOWN_ABOVE.contains(&f.id.as_str());
    call.sections
        .iter()
        .filter(|sec| sec.kinds.is_empty() || sec.kinds.contains(&kind))
        .filter_map(|sec| {
            let rows: Vec<(String, String)> = call
                .fields_for(kind)
                .filter(|f| f.section == sec.id)
                .filter(shown)
                .filter_map(|f| {
                    let kept = site.value(&f.id)?;
                    Some((f.label.get(fl).to_string(), cards::shown(call, f, kept, fl)))
                })
                .collect();
            (!rows.is_empty()).then(|| SiteSection {
                id: sec.id.clone(),
                title: sec.label(fl).to_string(),
                rows,
                provenance: provenance.clone(),
            })
        })
        .collect()
}

/// "Ask about this site": an email to the service, the site in its subject
/// (until investors' requests exist).
fn ask_link(ctx: &Ctx, reference: &str, title: &str) -> String {
    let subject = t(ctx.lang, "catalogue.ask_subject")
        .replace("{reference}", reference)
        .replace("{title}", title);
    let encoded: String = url::form_urlencoded::byte_serialize(subject.as_bytes()).collect();
    format!(
        "mailto:{}?subject={}",
        ctx.state.config.service_email,
        encoded.replace('+', "%20")
    )
}

/// Shown at the top of a site's page, not again in its sections.
const SHOWN_ABOVE: [&str; 6] = [
    "title_it",
    "title_en",
    "description_it",
    "description_en",
    "address",
    "municipality",
];

/// "Declared by the proponent on …; verified by Regione Lombardia on …".
fn provenance(lang: Lang, s: &Snapshot, published: DateTime<Utc>) -> String {
    let declared = s
        .declared_at
        .map(|at| t(lang, "catalogue.declared").replace("{date}", &day(lang, at)));
    let verified = match s.validated_at {
        Some(at) => t(lang, "catalogue.verified").replace("{date}", &day(lang, at)),
        None => t(lang, "catalogue.verified_before").replace("{date}", &day(lang, published)),
    };
    declared
        .into_iter()
        .chain([verified])
        .collect::<Vec<_>>()
        .join(" ")
}

/// "3 maggio 2027": the day in Rome.
fn day(lang: Lang, at: DateTime<Utc>) -> String {
    app::pages::format_date(lang, &crate::clock::rome(at))
}

/// schema.org's description of the site: a Place with its address and
/// coordinates, for search engines.
fn place_json_ld(
    ctx: &Ctx,
    lang: Lang,
    site: &Site,
    card: &app::view_data::CardView,
    image: Option<&str>,
) -> String {
    let s = &site.snapshot;
    let locality = Municipalities::get()
        .by_istat_code(&s.municipality_code)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let mut place = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Place",
        "name": card.title,
        "description": card.description,
        "url": ctx.state.link(&site_path(lang, site.reference())),
        "identifier": site.reference(),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": s.address,
            "postalCode": s.postcode,
            "addressLocality": locality,
            "addressRegion": "Lombardia",
            "addressCountry": "IT",
        },
    });
    if let (Some(lat), Some(lon)) = (s.latitude, s.longitude) {
        place["geo"] = serde_json::json!({
            "@type": "GeoCoordinates", "latitude": lat, "longitude": lon,
        });
    }
    if let Some(image) = image {
        place["image"] = image.into();
    }
    place.to_string()
}

#[derive(serde::Deserialize)]
pub struct PhotoQuery {
    size: Option<String>,
}

/// A photo of a site online, as the server scaled it (a new JPEG: nothing
/// of the uploaded file, its metadata or position, reaches the public).
/// Only the photos the version online lists; anything else is a 404.
pub async fn photo(
    ctx: Ctx,
    Path((reference, document)): Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<PhotoQuery>,
) -> AppResult<Response> {
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let site = loaded.site(&reference).ok_or(AppError::NotFound)?;
    if !site.snapshot.photos.contains(&document) {
        return Err(AppError::NotFound);
    }
    let doc = crate::candidacies::documents::find(&ctx.state.db, site.candidacy_id, document)
        .await?
        .ok_or(AppError::NotFound)?;
    use crate::candidacies::thumbnails::{of_size, LARGE, SIZE};
    let size = match q.size.as_deref() {
        Some("large") => LARGE,
        _ => SIZE,
    };
    let bytes = of_size(&ctx.state, &doc, size)
        .await?
        .ok_or(AppError::NotFound)?;
    let headers = [
        (header::CONTENT_TYPE, "image/jpeg"),
        // Kept by the browser only, and briefly: a site taken offline takes
        // its photos with it, and no shared cache keeps this response.
        (header::CACHE_CONTROL, "private, max-age=300"),
    ];
    Ok((headers, bytes).into_response())
}
