//! The map of Lombardy as the pages draw it: one site with its province
//! shaded (a site's page, the review page), or the catalogue's results
//! grouped, each province a link that filters by it.

use crate::catalogue::map::clusters;
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
        provinces: shapes(&frame, |code| (own.as_deref() == Some(code), None)),
        marks: vec![MapMark { x, y, count: 1 }],
        description,
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
/// shaded, each province a link (`link` gives its address).
pub fn results(
    lang: Lang,
    results: &[&Site],
    chosen: &[String],
    link: impl Fn(&str) -> String,
) -> MapView {
    let frame = Frame::lombardy(WIDTH);
    let marks: Vec<MapMark> = clusters(results, &frame, CELL)
        .into_iter()
        .map(|c| MapMark {
            x: c.x,
            y: c.y,
            count: c.count,
        })
        .collect();
    let placed: usize = marks.iter().map(|m| m.count).sum();
    let in_province = |code: &str| results.iter().filter(|s| s.province == code).count();
    let provinces = shapes(&frame, |code| {
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
        .replace("{marks}", &marks.len().to_string());
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
    }
}

/// Each province's outline, shaded and linked as `style` says.
fn shapes(
    frame: &Frame,
    style: impl Fn(&str) -> (bool, Option<(String, String)>),
) -> Vec<MapProvince> {
    Provinces::get()
        .outlines(frame)
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
