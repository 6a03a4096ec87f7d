//! The public catalogue: the list of sites with its filters and map (a GET
//! form; everything works without JavaScript) and each site's page. Both
//! languages have their own addresses; the site's texts carry the language
//! they were written in.

use crate::components::field_id;
use crate::i18n::t;
use crate::islands::map_zoom::MapZoom;
use crate::map::lombardy_map;
use crate::page::{render, render_with_islands, PageCtx};
use crate::view_data::{
    CardView, CatalogueView, CompareView, FilterField, FilterInput, OpenDataView, SiteView,
};
use leptos::prelude::*;

/// A site's card, in its own language (marked on the element, for screen
/// readers): the catalogue's list and the officer's preview share it.
pub fn site_card(card: &CardView) -> impl IntoView {
    let lang = card.lang;
    let figures = card
        .figures
        .iter()
        .map(|(label, value)| view! { <dt class="col-6">{label.clone()}</dt><dd class="col-6">{value.clone()}</dd> })
        .collect::<Vec<_>>();
    let description = (!card.description.is_empty())
        .then(|| view! { <p class="card-text">{card.description.clone()}</p> });
    let title = match &card.href {
        Some(href) => view! { <a href=href.clone()>{card.title.clone()}</a> }.into_any(),
        None => card.title.clone().into_any(),
    };
    // The photo is decoration here: the title says what the card is.
    let photo = card
        .photo
        .as_ref()
        .map(|src| view! { <img class="card-photo" src=src.clone() alt="" loading="lazy" width="320" height="213" /> });
    // The box belongs to the comparison's form, after the list (`form=`).
    let choose = card.compare.as_ref().map(|reference| {
        let id = format!("compare-{reference}");
        let label = t(lang, "compare.choose_label").replace("{site}", &card.title);
        view! {
            <div class="form-check compare-check">
                <input class="form-check-input" type="checkbox" form="compare-form" name="site"
                    value=reference.clone() id=id.clone() aria-label=label />
                <label class="form-check-label" for=id>{t(lang, "compare.choose")}</label>
            </div>
        }
    });
    view! {
        <article class="card h-100 border site-card" lang=lang.code() aria-label=card.title.clone()>
            {photo}
            <div class="card-body">
                {choose}
                <p class="text-muted small mb-1">{t(lang, card.kind)}</p>
                <h2 class="h4 card-title" lang=card.title_lang.map(|l| l.code())>{title}</h2>
                <p class="mb-2">{card.place.clone()}</p>
                {description}
                <dl class="row mb-0 small">{figures}</dl>
            </div>
        </article>
    }
}

pub fn list(ctx: &PageCtx, v: &CatalogueView) -> String {
    let title = ctx.t("catalogue.title");
    let groups = v
        .groups
        .iter()
        .map(|g| {
            let fields = g.fields.iter().map(filter_field).collect::<Vec<_>>();
            view! {
                <details class="filter-group mb-2" open=g.open>
                    <summary>{g.legend.clone()}</summary>
                    <div class="filter-fields">{fields}</div>
                </details>
            }
        })
        .collect::<Vec<_>>();
    let active = (!v.active.is_empty()).then(|| {
        let chips = v
            .active
            .iter()
            .map(|(label, href)| {
                let remove = ctx.t("catalogue.remove_filter").replace("{filter}", label);
                view! { <li><a class="chip-link" href=href.clone() aria-label=remove>{label.clone()} " ×"</a></li> }
            })
            .collect::<Vec<_>>();
        view! {
            <div class="active-filters mb-3">
                <p class="mb-1 small">{ctx.t("catalogue.active")}</p>
                <ul class="chips">{chips}</ul>
                <a href=v.clear.clone()>{ctx.t("catalogue.clear")}</a>
            </div>
        }
        .into_any()
    });
    let count = match v.total {
        1 => ctx.t("catalogue.count_one"),
        n => ctx.t("catalogue.count").replace("{n}", &n.to_string()),
    };
    let sorts = v
        .sorts
        .iter()
        .map(|(code, label, chosen)| view! { <option value=code.clone() selected=*chosen>{label.clone()}</option> })
        .collect::<Vec<_>>();
    let cards = v
        .cards
        .iter()
        .map(|c| view! { <li class="col-md-6 mb-4">{site_card(c).into_any()}</li> }.into_any())
        .collect::<Vec<_>>();
    let relax = (v.total == 0).then(|| {
        let items = v
            .relax
            .iter()
            .map(|(text, href)| view! { <li><a href=href.clone()>{text.clone()}</a></li> })
            .collect::<Vec<_>>();
        let advice = match (v.empty_catalogue, v.relax.is_empty()) {
            (true, _) => ctx.t("catalogue.none_at_all"),
            (false, true) => ctx.t("catalogue.none_several"),
            (false, false) => ctx.t("catalogue.none_relax"),
        };
        view! {
            <div class="alert alert-info" id="no-results">
                <p class="mb-1">{ctx.t("catalogue.none")} " " {advice}</p>
                <ul class="mb-0">{items}</ul>
            </div>
        }
        .into_any()
    });
    let pages = (v.pages > 1).then(|| {
        let status = ctx
            .t("catalogue.page_of")
            .replace("{page}", &v.page.to_string())
            .replace("{pages}", &v.pages.to_string());
        view! {
            <nav class="pagination-wrapper" aria-label=ctx.t("catalogue.pages")>
                <ul class="pagination">
                    {v.previous.clone().map(|h| view! { <li class="page-item"><a class="page-link" href=h rel="prev">{ctx.t("catalogue.previous")}</a></li> })}
                    <li class="page-item"><span class="page-link" aria-current="page">{status}</span></li>
                    {v.next.clone().map(|h| view! { <li class="page-item"><a class="page-link" href=h rel="next">{ctx.t("catalogue.next")}</a></li> })}
                </ul>
            </nav>
        }
        .into_any()
    });
    let results = view! {
        <p id="result-count" class="h4" role="status">{count}</p>
        {active}
        {relax}
        {crate::pages::saved::save_box(ctx, &v.save)}
        <div class="map-wrap">
            {lombardy_map(&v.map, "catalogue-map").into_any()}
            <MapZoom map=v.zoom.clone() />
        </div>
        <ul class="row list-unstyled site-list" aria-labelledby="result-count">{cards}</ul>
        {(!v.cards.is_empty()).then(|| view! {
            <form method="get" action=v.compare.clone() id="compare-form" class="mb-3">
                <button type="submit" class="btn btn-outline-primary">{ctx.t("compare.submit")}</button>
            </form>
        })}
        {pages}
        <p class="small"><a href=v.open_data.clone()>{ctx.t("catalogue.open_data_link")}</a></p>
    }
    .into_any();
    let search = view! {
        <form method="get" action=v.action.clone() class="catalogue-search mb-4" role="search" aria-label=ctx.t("catalogue.search_label")>
            <div class="mb-3">
                <label for=field_id("q") class="form-label">{ctx.t("catalogue.f_q")}</label>
                <input type="search" class="form-control" id=field_id("q") name="q" value=v.q.clone() maxlength="200" />
            </div>
            <div class="select-wrapper mb-3">
                <label for="f-sort">{ctx.t("catalogue.sort")}</label>
                <select id="f-sort" name="sort">{sorts}</select>
            </div>
            <h2 class="h5">{ctx.t("catalogue.filters")}</h2>
            {groups}
            <button type="submit" class="btn btn-primary mt-2">{ctx.t("catalogue.apply")}</button>
        </form>
    }
    .into_any();
    let body = view! {
        <h1>{title.clone()}</h1>
        <p class="lead">{ctx.t("catalogue.intro")}</p>
        <div class="row mt-3">
            <div class="col-lg-4">{search}</div>
            <div class="col-lg-8">{results}</div>
        </div>
    };
    // The map's zoom is an island.
    render_with_islands(ctx, &title, body.into_any())
}

/// One filter: a label, its control, and what is wrong with what was typed.
fn filter_field(f: &FilterField) -> AnyView {
    let id = field_id(&f.name);
    let error_id = format!("{id}-error");
    let described = f.error.as_ref().map(|_| error_id.clone());
    let error = f
        .error
        .clone()
        .map(|e| view! { <div id=error_id.clone() class="invalid-feedback d-block">{e}</div> });
    let class = if f.error.is_some() {
        "form-control is-invalid"
    } else {
        "form-control"
    };
    let name = f.name.clone();
    match &f.input {
        FilterInput::Checks(options) => {
            let boxes = options
                .iter()
                .enumerate()
                .map(|(i, (value, label, ticked))| {
                    let box_id = format!("{id}-{i}");
                    view! {
                        <div class="form-check">
                            <input class="form-check-input" type="checkbox" id=box_id.clone()
                                name=name.clone() value=value.clone() checked=*ticked />
                            <label class="form-check-label" for=box_id>{label.clone()}</label>
                        </div>
                    }
                })
                .collect::<Vec<_>>();
            view! {
                <fieldset class="mb-3" id=id aria-describedby=described>
                    <legend class="form-label fs-6">{f.label.clone()}</legend>
                    {boxes}
                    {error}
                </fieldset>
            }
            .into_any()
        }
        FilterInput::Select(options) => {
            let options = options
                .iter()
                .map(|(value, label, chosen)| view! { <option value=value.clone() selected=*chosen>{label.clone()}</option> })
                .collect::<Vec<_>>();
            view! {
                <div class="select-wrapper mb-3">
                    <label for=id.clone()>{f.label.clone()}</label>
                    <select id=id name=name aria-describedby=described>{options}</select>
                    {error}
                </div>
            }
            .into_any()
        }
        FilterInput::Number(value) | FilterInput::Date(value) | FilterInput::Text(value) => {
            let (kind, step) = match &f.input {
                FilterInput::Number(_) => ("number", Some("any")),
                FilterInput::Date(_) => ("date", None),
                _ => ("text", None),
            };
            view! {
                <div class="mb-3">
                    <label for=id.clone() class="form-label">{f.label.clone()}</label>
                    <input type=kind id=id name=name value=value.clone() class=class step=step
                        min=step.map(|_| "0") inputmode=step.map(|_| "decimal") aria-describedby=described />
                    {error}
                </div>
            }
            .into_any()
        }
    }
}

pub fn detail(ctx: &PageCtx, v: &SiteView) -> String {
    let lang = v.content_lang;
    let photos = (!v.photos.is_empty()).then(|| {
        let items = v
            .photos
            .iter()
            .map(|(small, large, alt)| {
                view! { <li><a href=large.clone()><img src=small.clone() alt=alt.clone() loading="lazy" width="320" height="213" /></a></li> }
            })
            .collect::<Vec<_>>();
        view! {
            <section aria-labelledby="photos-title" class="mb-4">
                <h2 id="photos-title" class="h4">{ctx.t("catalogue.photos")}</h2>
                <ul class="site-photos">{items}</ul>
            </section>
        }
    });
    let sections = v
        .sections
        .iter()
        .map(|s| {
            let heading = format!("section-{}", s.id);
            let labelled = heading.clone();
            let rows = s
                .rows
                .iter()
                .map(|(label, value)| view! { <dt class="col-sm-5">{label.clone()}</dt><dd class="col-sm-7">{value.clone()}</dd> })
                .collect::<Vec<_>>();
            view! {
                <section aria-labelledby=labelled class="site-section mb-4">
                    <h2 id=heading class="h4">{s.title.clone()}</h2>
                    <dl class="row">{rows}</dl>
                    <p class="provenance small">{s.provenance.clone()}</p>
                </section>
            }
        })
        .collect::<Vec<_>>();
    let body = view! {
        <p class="text-muted mb-1 no-print"><a href=v.back.clone()>{ctx.t("catalogue.back")}</a></p>
        <article class="site-page">
            <p class="text-muted mb-1">{v.kind.clone()} " · " {v.reference.clone()}</p>
            <h1 lang=lang.code()>{v.title.clone()}</h1>
            <p class="lead">{v.place.clone()}</p>
            <div class="row">
                <div class="col-lg-7">
                    <p lang=v.description_lang.code() class="site-description">{v.description.clone()}</p>
                    {photos}
                    {sections}
                </div>
                <div class="col-lg-5">
                    {v.map.as_ref().map(|m| lombardy_map(m, "site-map"))}
                    <div class="card card-bg mb-3">
                        <div class="card-body">
                            <p class="mb-2"><a class="btn btn-primary" href=v.ask.clone()>{ctx.t("catalogue.ask")}</a></p>
                            <p class="mb-2 no-print"><a href=v.brief_pdf.clone()>{ctx.t("catalogue.brief_pdf")}</a></p>
                            <p class="mb-2 no-print"><a href=v.brief.clone()>{ctx.t("catalogue.brief_xlsx")}</a></p>
                            <p class="small mb-1">{ctx.t("catalogue.share")}</p>
                            <p class="small share-link"><a href=v.share.clone()>{v.share.clone()}</a></p>
                            <p class="small mb-0">{v.updated.clone()}</p>
                        </div>
                    </div>
                </div>
            </div>
        </article>
    };
    render(ctx, &v.title, body.into_any())
}

pub fn open_data(ctx: &PageCtx, v: &OpenDataView) -> String {
    let title = ctx.t("open_data.title");
    let files = v
        .files
        .iter()
        .map(|(name, href, about)| view! { <li><a href=href.clone()>{name.clone()}</a> " – " {about.clone()}</li> })
        .collect::<Vec<_>>();
    let count = ctx
        .t("open_data.count")
        .replace("{n}", &v.sites.to_string());
    let modified = v
        .modified
        .clone()
        .map(|m| ctx.t("open_data.modified").replace("{date}", &m));
    let body = view! {
        <h1>{title.clone()}</h1>
        <p class="lead">{ctx.t("open_data.intro")}</p>
        <p>{count} " " {modified}</p>
        <h2 class="h4">{ctx.t("open_data.files")}</h2>
        <ul>{files}</ul>
        <h2 class="h4">{ctx.t("open_data.licence_title")}</h2>
        <p>{ctx.t("open_data.licence")} " " <a href=v.licence.clone() rel="license">"CC BY 4.0"</a></p>
        <p>{ctx.t("open_data.fields")}</p>
        <h2 class="h4">{ctx.t("open_data.harvest_title")}</h2>
        <p>{ctx.t("open_data.harvest")} " " <a href=v.catalogue.clone()>{v.catalogue.clone()}</a></p>
    };
    render(ctx, &title, body.into_any())
}

pub fn compare(ctx: &PageCtx, v: &CompareView) -> String {
    let title = ctx.t("compare.title");
    let notices = v
        .notices
        .iter()
        .map(|n| view! { <div class="alert alert-warning" role="status">{n.clone()}</div> })
        .collect::<Vec<_>>();
    let heads = v
        .columns
        .iter()
        .map(|(name, place, href, without)| {
            view! {
                <th scope="col">
                    <a href=href.clone()>{name.clone()}</a>
                    <span class="d-block small fw-normal">{place.clone()}</span>
                    <a class="d-block small fw-normal no-print" href=without.clone()>{ctx.t("compare.remove_short")}</a>
                </th>
            }
        })
        .collect::<Vec<_>>();
    let rows = v
        .rows
        .iter()
        .map(|(label, values)| {
            let cells = values
                .iter()
                .map(|x| view! { <td>{x.clone()}</td> })
                .collect::<Vec<_>>();
            view! { <tr><th scope="row">{label.clone()}</th>{cells}</tr> }
        })
        .collect::<Vec<_>>();
    let table = (!v.columns.is_empty()).then(|| {
        view! {
            <div class="table-responsive compare-table" tabindex="0" role="region" aria-labelledby="compare-caption">
                <table class="table">
                    <caption id="compare-caption">{ctx.t("compare.caption")}</caption>
                    <thead><tr><th scope="col">{ctx.t("compare.field")}</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    });
    let empty = v
        .columns
        .is_empty()
        .then(|| view! { <p id="compare-empty">{ctx.t("compare.empty")}</p> });
    let body = view! {
        <p class="text-muted mb-1 no-print"><a href=v.back.clone()>{ctx.t("catalogue.back")}</a></p>
        <h1>{title.clone()}</h1>
        {notices}
        {empty}
        {table}
        {v.xlsx.clone().map(|href| view! { <p class="no-print"><a class="btn btn-outline-primary" href=href>{ctx.t("compare.xlsx")}</a></p> })}
    };
    render(ctx, &title, body.into_any())
}
