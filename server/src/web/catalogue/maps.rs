//! The map of Lombardy as the pages draw it: one site with its province
//! shaded (a site's page, the review page), or the catalogue's results
//! grouped, each province a link that filters by it.

use crate::catalogue::map::{clusters, Cluster};
use crate::catalogue::Site;
use app::view_data::{MapMark, MapProvince, MapView};
use app::{i18n::t, Lang};
use forms::pdf::Figure;
use forms::reference::{Frame, Municipalities, Provinces};

/// How wide the map is drawn, in the picture's own pixels.
pub const WIDTH: f64 = 600.0;
/// The side of the square whose sites make one mark on the results map.
const CELL: f64 = 28.0;

/// One site at (`lat`, `lon`) in the municipality `municipality_code`,
/// whose province is shaded; `description` says it in words.
pub fn one_site(lat: f64, lon: f64, municipality_code: &str, description: String) -> MapView {
    let frame = Frame::lombardy(WIDTH);
    let own = Municipalities::get()
        .by_istat_code(municipality_code)
        .map(|m| m.province_code.clone());
    let (x, y) = frame.project(lat, lon);
    MapView {
        width: frame.width,
        height: frame.height,
        provinces: shapes(&frame, None, |code| (own.as_deref() == Some(code), None)),
        marks: vec![MapMark {
            x,
            y,
            count: 1,
            site: None,
        }],
        description,
        view: None,
    }
}

/// [`one_site`] as the brief's PDF draws it: vectors, not SVG.
pub fn one_site_figure(lat: f64, lon: f64, municipality_code: &str, alt: String) -> Figure {
    let frame = Frame::lombardy(WIDTH);
    let own = Municipalities::get()
        .by_istat_code(municipality_code)
        .map(|m| m.province_code.clone());
    let (x, y) = frame.project(lat, lon);
    let outlines = Provinces::get()
        .rings(&frame)
        .into_iter()
        .map(|(code, rings)| {
            let rings = rings
                .into_iter()
                .map(|ring| {
                    ring.into_iter()
                        .map(|(x, y)| (x as f32, y as f32))
                        .collect()
                })
                .collect();
            (rings, own.as_deref() == Some(code))
        })
        .collect();
    Figure::Map {
        width: frame.width as f32,
        height: frame.height as f32,
        outlines,
        points: vec![(x as f32, y as f32)],
        alt,
    }
}

/// The catalogue's `results` grouped on the map; the `chosen` provinces
/// shaded, each province a link (`link` gives its address). `view`, when
/// zoomed in: the part shown, and how finely the sites are grouped.
pub fn results(
    lang: Lang,
    results: &[&Site],
    chosen: &[String],
    link: impl Fn(&str) -> String,
    view: &View,
) -> MapView {
    let frame = Frame::lombardy(WIDTH);
    let zoom = view.zoom as f64;
    let all: Vec<Cluster> = clusters(results, &frame, CELL / zoom);
    let placed: usize = all.iter().map(|c| c.count).sum();
    let groups = all.len();
    let marks: Vec<MapMark> = all
        .into_iter()
        // Zoomed in, whole marks inside the view only: a ring cut by its
        // edge would reach beyond the picture, over the page.
        .filter(|c| !view.zoomed() || view.holds(c.x, c.y, app::marks::radius(c.count) / zoom))
        .take(MAX_MARKS)
        .map(|c| MapMark {
            x: c.x,
            y: c.y,
            count: c.count,
            site: (c.count == 1).then(|| results[c.one]).map(|s| {
                (
                    super::site_path(lang, s.reference()),
                    s.snapshot.title(lang).to_string(),
                )
            }),
        })
        .collect();
    let in_province = |code: &str| results.iter().filter(|s| s.province == code).count();
    // A pixel or two wider than the view, so the edges of the cut are not
    // drawn; no wider, or the shapes would reach over the page around it.
    let cut = view.zoomed().then(|| {
        let (x0, y0, x1, y1) = view.rect();
        let m = 2.0 / zoom;
        (x0 - m, y0 - m, x1 + m, y1 + m)
    });
    let provinces = shapes(&frame, cut, |code| {
        let name = Municipalities::get().province_name(code).unwrap_or(code);
        let n = in_province(code);
        let key = if n == 1 {
            "catalogue.map_province_one"
        } else {
            "catalogue.map_province"
        };
        let label = t(lang, key)
            .replace("{province}", name)
            .replace("{n}", &n.to_string());
        (chosen.iter().any(|c| c == code), Some((link(code), label)))
    });
    let key = if placed == 1 {
        "catalogue.map_description_one"
    } else {
        "catalogue.map_description"
    };
    let mut description = t(lang, key)
        .replace("{n}", &placed.to_string())
        .replace("{marks}", &groups.to_string());
    if placed < results.len() {
        description.push(' ');
        description.push_str(
            &t(lang, "catalogue.map_unplaced")
                .replace("{n}", &(results.len() - placed).to_string()),
        );
    }
    MapView {
        width: frame.width,
        height: frame.height,
        provinces,
        marks,
        description,
        view: view.zoomed().then_some((view.x, view.y, view.w, view.h)),
    }
}

/// Each province's outline, shaded and linked as `style` says; cut to
/// `cut` (x0, y0, x1, y1) when zoomed in, and left out when none of it shows.
fn shapes(
    frame: &Frame,
    cut: Option<(f64, f64, f64, f64)>,
    style: impl Fn(&str) -> (bool, Option<(String, String)>),
) -> Vec<MapProvince> {
    let outlines: Vec<(&str, String)> = match cut {
        None => Provinces::get().outlines(frame),
        Some(rect) => Provinces::get()
            .rings(frame)
            .into_iter()
            .map(|(code, rings)| {
                let d = rings
                    .iter()
                    .map(|ring| crate::catalogue::map::clip(ring, rect))
                    .filter(|ring| ring.len() >= 3)
                    .map(|ring| path_data(&ring))
                    .collect::<String>();
                (code, d)
            })
            .filter(|(_, d)| !d.is_empty())
            .collect(),
    };
    outlines
        .into_iter()
        .map(|(code, d)| {
            let (highlighted, link) = style(code);
            MapProvince {
                code: code.to_string(),
                d,
                highlighted,
                link,
            }
        })
        .collect()
}

/// A ring as SVG path data.
fn path_data(ring: &[(f64, f64)]) -> String {
    use std::fmt::Write;
    let mut d = String::new();
    for (i, (x, y)) in ring.iter().enumerate() {
        let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
    }
    d.push('Z');
    d
}

/// How much finer each zoom groups the sites: the map's grid at `zoom` is
/// `CELL / zoom` wide, so marks keep their size on screen.
const ZOOMS: [u32; 5] = [1, 2, 4, 8, 16];
/// Marks one map carries at most (a view at the finest zoom holds far fewer).
const MAX_MARKS: usize = 2_000;

/// Where the map island asks for the map at a zoom and a view, in `lang`.
fn zoomed_path(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "/opportunita/mappa.svg",
        Lang::En => "/en/opportunities/map.svg",
    }
}

/// What the list's map island needs: the map, where to ask, its words.
pub fn zoom_props(lang: Lang, query: &str) -> app::islands::map_zoom::MapZoomView {
    let frame = Frame::lombardy(WIDTH);
    let source = match query {
        "" => zoomed_path(lang).to_string(),
        q => format!("{}?{q}", zoomed_path(lang)),
    };
    app::islands::map_zoom::MapZoomView {
        map_id: "catalogue-map".into(),
        width: frame.width,
        height: frame.height,
        source,
        zoom_in: t(lang, "catalogue.zoom_in"),
        zoom_out: t(lang, "catalogue.zoom_out"),
        reset: t(lang, "catalogue.zoom_reset"),
        controls: t(lang, "catalogue.zoom_controls"),
        status: t(lang, "catalogue.zoom_status"),
    }
}

/// The part of the map shown, and its zoom.
pub struct View {
    zoom: u32,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl View {
    /// All of the map, at zoom 1.
    pub fn whole() -> View {
        let frame = Frame::lombardy(WIDTH);
        View {
            zoom: 1,
            x: 0.0,
            y: 0.0,
            w: frame.width,
            h: frame.height,
        }
    }

    /// The zoom asked (rounded down to one of [`ZOOMS`]) around the centre
    /// of the part asked, kept inside the map; anything that does not read
    /// is all of the map.
    fn parse(query: &str) -> View {
        let whole = View::whole();
        let (mut zoom, mut x, mut y) = (1.0, f64::NAN, f64::NAN);
        for (k, value) in url::form_urlencoded::parse(query.as_bytes()).take(64) {
            let n = value.parse::<f64>().ok().filter(|n| n.is_finite());
            match (k.as_ref(), n) {
                ("zoom", Some(n)) => zoom = n,
                ("cx", Some(n)) => x = n,
                ("cy", Some(n)) => y = n,
                _ => {}
            }
        }
        let zoom = ZOOMS
            .into_iter()
            .filter(|l| *l as f64 <= zoom)
            .max()
            .unwrap_or(1);
        if zoom == 1 || x.is_nan() || y.is_nan() {
            return whole;
        }
        let (w, h) = (whole.w / zoom as f64, whole.h / zoom as f64);
        View {
            zoom,
            x: (x - w / 2.0).clamp(0.0, whole.w - w),
            y: (y - h / 2.0).clamp(0.0, whole.h - h),
            w,
            h,
        }
    }

    fn zoomed(&self) -> bool {
        self.zoom > 1
    }

    /// (x0, y0, x1, y1).
    fn rect(&self) -> (f64, f64, f64, f64) {
        (self.x, self.y, self.x + self.w, self.y + self.h)
    }

    /// Whether a disc of radius `r` around (`x`, `y`) is wholly in view.
    fn holds(&self, x: f64, y: f64, r: f64) -> bool {
        x - r >= self.x && x + r <= self.x + self.w && y - r >= self.y && y + r <= self.y + self.h
    }
}

/// The list's map at the zoom and around the centre the island asks for
/// (`zoom`, `cx`, `cy` beside the list's filters): provinces cut to the
/// view, sites grouped more finely, each single site with its page and
/// title. An `<svg>` the island puts in place of the one it shows.
pub async fn zoomed(
    ctx: crate::web::context::Ctx,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> crate::error::AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let query = query.unwrap_or_default();
    let filters = crate::catalogue::Filters::parse(&query);
    let view = View::parse(&query);
    let loaded = ctx.state.catalogue.current(&ctx.state.db).await?;
    let found = loaded.search(&filters);
    let lang = ctx.lang;
    let chosen = super::chosen_provinces(&filters);
    let list = super::list_path(lang);
    let link = |code: &str| super::with_query(list, &filters.query_with(&[("province", code)]));
    let map = results(lang, &found.all, &chosen, link, &view);
    let svg = app::map::map_svg_html(&map, "catalogue-map");
    let headers = [
        (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
        (axum::http::header::CACHE_CONTROL, "private, max-age=60"),
    ];
    Ok((headers, svg).into_response())
}
