//! Up to four sites side by side (`/opportunita/confronto?site=…`,
//! `/en/opportunities/compare?site=…`): every public field in a row, one
//! column per site; the same as an Excel file. The choice lives in the
//! address, so it needs no account and can be shared.

use super::{cards, forms_lang, list_path, other, site_path, with_query};
use crate::catalogue::{Loaded, Site};
use crate::error::{AppError, AppResult};
use crate::review::exports::{self, Cell};
use crate::web::context::Ctx;
use crate::web::{download, page};
use app::i18n::t;
use app::view_data::CompareView;
use app::Lang;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::Response;
use forms::Call;

/// The most sites compared at once.
pub const MAX_SITES: usize = 4;

/// The comparison's address in `lang`.
pub fn compare_path(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "/opportunita/confronto",
        Lang::En => "/en/opportunities/compare",
    }
}

/// The sites the address names that are online, at most [`MAX_SITES`], and
/// translation keys of what was left out.
fn chosen<'a>(loaded: &'a Loaded, query: &str) -> (Vec<&'a Site>, Vec<&'static str>) {
    let mut sites: Vec<&Site> = Vec::new();
    let mut notices = Vec::new();
    let asked = url::form_urlencoded::parse(query.as_bytes())
        .take(64)
        .filter(|(k, _)| k == "site");
    for (_, reference) in asked {
        match loaded.site(&reference) {
            Some(s) if sites.iter().any(|c| c.reference() == s.reference()) => {}
            Some(_) if sites.len() == MAX_SITES => notices.push("compare.too_many"),
            Some(s) => sites.push(s),
            None => notices.push("compare.gone"),
        }
    }
    notices.sort_unstable();
    notices.dedup();
    (sites, notices)
}

/// The address comparing `sites` (in `lang`, with `suffix` such as ".xlsx").
fn address(lang: Lang, suffix: &str, sites: &[&Site]) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for s in sites {
        q.append_pair("site", s.reference());
    }
    with_query(&format!("{}{suffix}", compare_path(lang)), &q.finish())
}

/// The public fields filled in for at least one of `sites`: (label, each
/// site's value as kept).
fn rows<'a>(sites: &[&'a Site]) -> Vec<(&'static forms::call::Field, Vec<Option<&'a str>>)> {
    Call::embedded()
        .fields
        .iter()
        .filter(|f| f.public)
        .filter_map(|f| {
            let values: Vec<Option<&str>> = sites.iter().map(|s| s.value(&f.id)).collect();
            values.iter().any(Option::is_some).then_some((f, values))
        })
        .collect()
}

pub async fn show(ctx: Ctx, RawQuery(query): RawQuery) -> AppResult<Response> {
    let lang = ctx.lang;
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let (sites, notices) = chosen(&loaded, query.as_deref().unwrap_or_default());
    let call = Call::embedded();
    let fl = forms_lang(lang);
    let columns = sites
        .iter()
        .map(|s| {
            let card = cards::card(lang, &s.snapshot);
            let rest: Vec<&Site> = sites
                .iter()
                .copied()
                .filter(|o| o.reference() != s.reference())
                .collect();
            (
                card.title,
                card.place,
                site_path(lang, s.reference()),
                address(lang, "", &rest),
            )
        })
        .collect();
    let rows = rows(&sites)
        .into_iter()
        .map(|(f, values)| {
            let shown = values
                .into_iter()
                .map(|v| {
                    v.map(|v| cards::shown(call, f, v, fl))
                        .unwrap_or_else(|| "–".into())
                })
                .collect();
            (f.label.get(fl).to_string(), shown)
        })
        .collect();
    let view = CompareView {
        columns,
        rows,
        notices: notices.iter().map(|k| t(lang, k)).collect(),
        xlsx: (!sites.is_empty()).then(|| address(lang, ".xlsx", &sites)),
        back: list_path(lang).to_string(),
    };
    let mut page_ctx = ctx.page();
    page_ctx.alternate = Some(address(other(lang), "", &sites));
    Ok(page(
        StatusCode::OK,
        app::pages::catalogue::compare(&page_ctx, &view),
    ))
}

/// The comparison as an Excel workbook: a row per field, a column per site;
/// numbers as numbers.
pub async fn xlsx(ctx: Ctx, RawQuery(query): RawQuery) -> AppResult<Response> {
    let lang = ctx.lang;
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let (sites, _) = chosen(&loaded, query.as_deref().unwrap_or_default());
    if sites.is_empty() {
        return Err(AppError::NotFound);
    }
    let fl = forms_lang(lang);
    let mut headers = vec![t(lang, "compare.field")];
    headers.extend(sites.iter().map(|s| cards::card(lang, &s.snapshot).title));
    let mut table = vec![{
        let mut row = vec![Cell::Text(t(lang, "compare.reference"))];
        row.extend(sites.iter().map(|s| Cell::Text(s.reference().to_string())));
        row
    }];
    for (f, values) in rows(&sites) {
        let mut row = vec![Cell::Text(f.label.get(fl).to_string())];
        row.extend(values.into_iter().map(|v| match v {
            Some(v) => exports::value(f, v, fl),
            None => Cell::Empty,
        }));
        table.push(row);
    }
    let bytes = exports::xlsx(&headers, std::iter::once(table)).map_err(AppError::Internal)?;
    let name = format!("{}.xlsx", t(lang, "compare.file"));
    let mime = forms::template::guard::Format::Xlsx.mime();
    Ok(download(mime, &name, bytes))
}
