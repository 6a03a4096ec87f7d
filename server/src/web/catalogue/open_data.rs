//! The catalogue for machines: the open-data files and their page
//! (`/dati-aperti`, `/en/open-data`), the DCAT-AP_IT description harvesters
//! read, `sitemap.xml` (both languages of every page a search engine should
//! know) and `robots.txt`. Made from the index, so a site taken offline is
//! gone from all of them with the next request.

use super::{list_path, site_path};
use crate::catalogue::open_data::{self, Addresses, LICENCE};
use crate::catalogue::Loaded;
use crate::error::{AppError, AppResult};
use crate::web::context::Ctx;
use crate::web::page;
use app::i18n::t;
use app::view_data::OpenDataView;
use app::Lang;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, OnceLock};

const CSV: &str = "/open-data/opportunities.csv";
const GEOJSON: &str = "/open-data/opportunities.geojson";
const DCAT: &str = "/open-data/catalogue.jsonld";

/// The open-data page in `lang`.
pub fn page_path(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "/dati-aperti",
        Lang::En => "/en/open-data",
    }
}

pub async fn show(ctx: Ctx) -> AppResult<Response> {
    let lang = ctx.lang;
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let newest = loaded.sites.iter().map(|s| s.published_at).max();
    let file =
        |name: &str, path: &str, about: &str| (name.to_string(), path.to_string(), t(lang, about));
    let view = OpenDataView {
        sites: loaded.sites.len(),
        modified: newest.map(|at| app::pages::format_date(lang, &crate::clock::rome(at))),
        files: vec![
            file("opportunities.csv", CSV, "open_data.csv"),
            file("opportunities.geojson", GEOJSON, "open_data.geojson"),
            file("catalogue.jsonld", DCAT, "open_data.dcat"),
        ],
        licence: LICENCE.to_string(),
        catalogue: ctx.state.link(DCAT),
    };
    let mut page_ctx = ctx.page();
    let other = match lang {
        Lang::It => Lang::En,
        Lang::En => Lang::It,
    };
    page_ctx.alternate = Some(page_path(other).to_string());
    Ok(page(
        StatusCode::OK,
        app::pages::catalogue::open_data(&page_ctx, &view),
    ))
}

/// A site's page in both languages, absolute.
fn pages(ctx: &Ctx) -> impl Fn(&str) -> (String, String) + '_ {
    move |reference: &str| {
        (
            ctx.state.link(&site_path(Lang::It, reference)),
            ctx.state.link(&site_path(Lang::En, reference)),
        )
    }
}

/// An open-data file: cached per generation (a version of the catalogue),
/// tagged with it so harvesters ask again cheaply, readable from any origin.
fn file(
    headers: &HeaderMap,
    loaded: &Loaded,
    content_type: &'static str,
    bytes: Arc<Vec<u8>>,
) -> Response {
    let tag = format!("\"catalogue-{}\"", loaded.generation);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, bytes.as_ref().clone()).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, tag);
    }
    response
}

/// The file kept in `slot` for this generation, made once.
fn made(
    slot: &OnceLock<Arc<Vec<u8>>>,
    make: impl FnOnce() -> Result<Vec<u8>, String>,
) -> AppResult<Arc<Vec<u8>>> {
    if let Some(bytes) = slot.get() {
        return Ok(bytes.clone());
    }
    let bytes = Arc::new(make().map_err(AppError::Internal)?);
    Ok(slot.get_or_init(|| bytes).clone())
}

pub async fn csv(ctx: Ctx, headers: HeaderMap) -> AppResult<Response> {
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let bytes = made(&loaded.csv, || open_data::csv(&loaded, &pages(&ctx)))?;
    Ok(file(&headers, &loaded, "text/csv; charset=utf-8", bytes))
}

pub async fn geojson(ctx: Ctx, headers: HeaderMap) -> AppResult<Response> {
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let bytes = made(&loaded.geojson, || {
        Ok(open_data::geojson(&loaded, &pages(&ctx)))
    })?;
    Ok(file(&headers, &loaded, "application/geo+json", bytes))
}

pub async fn dcat(ctx: Ctx, headers: HeaderMap) -> AppResult<Response> {
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let link = |p: &str| ctx.state.link(p);
    let addresses = Addresses {
        base: link("/"),
        page_it: link(page_path(Lang::It)),
        page_en: link(page_path(Lang::En)),
        csv: link(CSV),
        geojson: link(GEOJSON),
        description: link(DCAT),
        contact: ctx.state.config.service_email.clone(),
    };
    let bytes = Arc::new(open_data::dcat(&loaded, &addresses));
    Ok(file(&headers, &loaded, "application/ld+json", bytes))
}

/// Every public page in both languages, each with its other language.
pub async fn sitemap(ctx: Ctx) -> AppResult<Response> {
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut pair = |it: String, en: String, modified: Option<String>| {
        for own in [&it, &en] {
            xml.push_str(&format!("<url><loc>{}</loc>", escape(&ctx.state.link(own))));
            if let Some(m) = &modified {
                xml.push_str(&format!("<lastmod>{m}</lastmod>"));
            }
            for (lang, other) in [("it", &it), ("en", &en)] {
                xml.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>",
                    escape(&ctx.state.link(other))
                ));
            }
            xml.push_str("</url>\n");
        }
    };
    pair(list_path(Lang::It).into(), list_path(Lang::En).into(), None);
    pair(page_path(Lang::It).into(), page_path(Lang::En).into(), None);
    for site in &loaded.sites {
        let r = site.reference();
        let day = site.published_at.format("%Y-%m-%d").to_string();
        pair(site_path(Lang::It, r), site_path(Lang::En, r), Some(day));
    }
    xml.push_str("</urlset>\n");
    let headers = [(header::CONTENT_TYPE, "application/xml; charset=utf-8")];
    Ok((headers, xml).into_response())
}

/// Crawlers may read the public pages; the rest needs an account anyway.
pub async fn robots(ctx: Ctx) -> Response {
    let text = format!(
        "User-agent: *\nDisallow: /staff\nDisallow: /candidacies\nDisallow: /account\n\
         Disallow: /admin\nDisallow: /profile\nDisallow: /lang/\n\nSitemap: {}\n",
        ctx.state.link("/sitemap.xml")
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

/// `text` safe inside XML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
