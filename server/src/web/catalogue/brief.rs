//! A site's brief, as an Excel file (`/opportunita/{reference}/scheda.xlsx`)
//! and as a tagged PDF (`scheda.pdf`): who, where, when it was declared and
//! verified, and every public field, in Italian and in English. Each made
//! once per version of the catalogue and kept with it, so it changes when
//! the site does.

use super::{cards, maps, site_path};
use crate::candidacies::{documents, thumbnails};
use crate::catalogue::Site;
use crate::error::{AppError, AppResult};
use crate::review::exports::{self, Cell};
use crate::web::context::Ctx;
use crate::web::download;
use app::i18n::t;
use app::Lang;
use axum::extract::Path;
use axum::response::Response;
use forms::pdf::Figure;
use forms::Call;

/// The brief's address.
pub fn xlsx_path(reference: &str) -> String {
    format!("/opportunita/{reference}/scheda.xlsx")
}

/// The brief as PDF.
pub fn pdf_path(reference: &str) -> String {
    format!("/opportunita/{reference}/scheda.pdf")
}

pub async fn pdf(ctx: Ctx, Path(reference): Path<String>) -> AppResult<Response> {
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let site = loaded.site(&reference).ok_or(AppError::NotFound)?;
    let key = format!("brief.pdf|{reference}");
    let kept = match loaded.pages.get(&key) {
        Some(kept) => kept,
        None => {
            let markdown = both_languages(&ctx, site);
            let meta = forms::pdf::PdfMeta {
                title: cards::card(Lang::It, &site.snapshot).title,
                lang: forms::Lang::It,
                keywords: vec![reference.clone()],
                footer: format!("Opportunity Lombardy · {reference}"),
            };
            let figures = figures(&ctx, site).await?;
            // Laying out text is CPU work: in the heavy-work turns.
            let made = ctx
                .state
                .heavy
                .run(move || forms::pdf::render_with_figures(&markdown, &meta, &figures))
                .await?
                .map_err(|e| AppError::Internal(e.to_string()))?;
            loaded.pages.put(key, made)
        }
    };
    Ok(download(
        "application/pdf",
        &format!("{reference}.pdf"),
        kept.body.to_vec(),
    ))
}

/// What the brief shows under its title: the site on the map (when it has
/// coordinates) and its first photo, scaled again by the server (no EXIF),
/// each described in both languages.
async fn figures(ctx: &Ctx, site: &Site) -> AppResult<Vec<Figure>> {
    let s = &site.snapshot;
    let both =
        |f: &dyn Fn(Lang) -> Option<String>| Some(format!("{} / {}", f(Lang::It)?, f(Lang::En)?));
    let mut out = Vec::new();
    if let (Some(lat), Some(lon), Some(alt)) = (
        s.latitude,
        s.longitude,
        both(&|l| super::map_in_words(l, s)),
    ) {
        out.push(maps::one_site_figure(lat, lon, &s.municipality_code, alt));
    }
    let Some(&first) = s.photos.first() else {
        return Ok(out);
    };
    let doc = documents::find(&ctx.state.db, site.candidacy_id, first).await?;
    let jpeg = match doc {
        Some(doc) => thumbnails::of_size(&ctx.state, &doc, thumbnails::LARGE)
            .await
            // A photo that does not decode leaves the brief without it.
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "the brief's photo was not made");
                None
            }),
        None => None,
    };
    if let Some(jpeg) = jpeg {
        let alt = both(&|l| {
            let title = s.title(l);
            let n = s.photos.len().to_string();
            let words = t(l, "catalogue.photo_alt");
            Some(
                words
                    .replace("{i}", "1")
                    .replace("{n}", &n)
                    .replace("{title}", title),
            )
        })
        .unwrap_or_default();
        out.push(Figure::Photo { jpeg, alt });
    }
    Ok(out)
}

/// The brief in Markdown: the Italian part, then the English one.
fn both_languages(ctx: &Ctx, site: &Site) -> String {
    [Lang::It, Lang::En]
        .map(|l| in_words(ctx, site, l))
        .join("\n\n---\n\n")
}

/// The brief in `lang`: title, place, provenance, then each section's fields.
fn in_words(ctx: &Ctx, site: &Site, lang: Lang) -> String {
    use forms::pdf::escape_markdown as esc;
    let s = &site.snapshot;
    let card = cards::card(lang, s);
    let fl = super::forms_lang(lang);
    let call = Call::embedded();
    let kind = forms::Kind::from_code(&s.kind).unwrap_or(forms::Kind::Settlement);
    let mut out = format!(
        "# {}\n\n{} · {} · {}\n\n{}\n\n{}\n",
        esc(&card.title),
        esc(site.reference()),
        esc(call.kind_label(kind, fl)),
        esc(&card.place),
        esc(&card.description),
        esc(&ctx.state.link(&site_path(lang, site.reference()))),
    );
    for section in call
        .sections
        .iter()
        .filter(|x| x.kinds.is_empty() || x.kinds.contains(&kind))
    {
        let rows: Vec<String> = call
            .fields_for(kind)
            .filter(|f| f.public && f.section == section.id)
            .filter_map(|f| {
                let value = cards::shown(call, f, site.value(&f.id)?, fl);
                Some(format!("- **{}**: {}", esc(f.label.get(fl)), esc(&value)))
            })
            .collect();
        if !rows.is_empty() {
            out.push_str(&format!(
                "\n## {}\n\n{}\n",
                esc(section.label(fl)),
                rows.join("\n")
            ));
        }
    }
    out
}

pub async fn xlsx(ctx: Ctx, Path(reference): Path<String>) -> AppResult<Response> {
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let site = loaded.site(&reference).ok_or(AppError::NotFound)?;
    let key = format!("brief.xlsx|{reference}");
    let kept = match loaded.pages.get(&key) {
        Some(kept) => kept,
        None => loaded.pages.put(key, workbook(&ctx, site)?),
    };
    let mime = forms::template::guard::Format::Xlsx.mime();
    let name = format!("{reference}.xlsx");
    Ok(download(mime, &name, kept.body.to_vec()))
}

/// The workbook: (label, value) in Italian, then in English, per row.
fn workbook(ctx: &Ctx, site: &Site) -> AppResult<Vec<u8>> {
    let both = [Lang::It, Lang::En];
    let text = |key: &str| both.map(|l| Cell::Text(t(l, key)));
    let s = &site.snapshot;
    let pair = |label: [Cell; 2], value: [Cell; 2]| {
        let [li, le] = label;
        let [vi, ve] = value;
        vec![li, vi, le, ve]
    };
    let same = |v: String| [Cell::Text(v.clone()), Cell::Text(v)];
    let day = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let titles = both.map(|l| Cell::Text(cards::card(l, s).title));
    let mut rows = vec![
        pair(
            text("compare.reference"),
            same(site.reference().to_string()),
        ),
        pair(text("brief.title"), titles),
        pair(text("brief.place"), same(cards::card(Lang::It, s).place)),
        pair(text("brief.published"), same(day(Some(site.published_at)))),
        pair(text("brief.declared"), same(day(s.declared_at))),
        pair(text("brief.verified"), same(day(s.validated_at))),
        pair(
            text("brief.page"),
            both.map(|l| Cell::Text(ctx.state.link(&site_path(l, site.reference())))),
        ),
    ];
    let call = Call::embedded();
    for field in call.fields.iter().filter(|f| f.public) {
        let Some(kept) = site.value(&field.id) else {
            continue;
        };
        let labels = both.map(|l| Cell::Text(field.label.get(super::forms_lang(l)).to_string()));
        let values = both.map(|l| exports::value(field, kept, super::forms_lang(l)));
        rows.push(pair(labels, values));
    }
    let headers: Vec<String> = both
        .iter()
        .flat_map(|l| [t(*l, "brief.field"), t(*l, "brief.value")])
        .collect();
    exports::xlsx(&headers, std::iter::once(rows)).map_err(AppError::Internal)
}
