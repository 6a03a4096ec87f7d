//! The map of Lombardy, drawn as SVG on the server: no tile server, no
//! script. Only shapes are drawn (text inside SVG escapes colour-contrast
//! checks); what the map shows is said in words beside it, which is also
//! its text alternative.

use crate::marks::{digits, group_radius, PIN, PIN_RADIUS};
use crate::view_data::{MapMark, MapView};
use leptos::prelude::*;

/// Provinces: light fill, outlines dark enough for 3:1 against it and the page.
const LAND: &str = "#eef2f6";
const HIGHLIGHT: &str = "#cfe3f8";
const BORDER: &str = "#5c6f82";

pub fn lombardy_map(map: &MapView, id: &str) -> impl IntoView {
    let description_id = format!("{id}-description");
    view! {
        <figure class="lombardy-map" id=id.to_string()>
            // Zoomed in (the island), the shapes are cut to the view by the
            // server; the frame clips what a mark's ring would spill.
            <div class="map-frame">{map_svg(map, id)}</div>
            <figcaption id=description_id>{map.description.clone()}</figcaption>
        </figure>
    }
}

/// The map's `<svg>` alone, as the island swaps it in at each zoom and view.
pub fn map_svg_html(map: &MapView, id: &str) -> String {
    Owner::new().with(|| map_svg(map, id).to_html())
}

/// The provinces (each a link when it has one), then the sites' marks,
/// drawn at a size that does not change with the zoom.
fn map_svg(map: &MapView, id: &str) -> impl IntoView {
    let shapes = map
        .provinces
        .iter()
        .map(|p| {
            let fill = if p.highlighted { HIGHLIGHT } else { LAND };
            let shape = view! {
                <path d=p.d.clone() fill=fill stroke=BORDER stroke-width="1" data-province=p.code.clone()></path>
            };
            match &p.link {
                Some((href, name)) => view! {
                    <a href=href.clone() aria-label=name.clone() class="map-province">{shape}</a>
                }
                .into_any(),
                None => shape.into_any(),
            }
        })
        .collect::<Vec<_>>();
    let (x, y, w, h) = map.view.unwrap_or((0.0, 0.0, map.width, map.height));
    let k = w / map.width;
    let marks = map.marks.iter().map(|m| mark(m, k)).collect::<Vec<_>>();
    // With links inside, the picture is a group a keyboard walks through;
    // without, a single image.
    let role = if map.provinces.iter().any(|p| p.link.is_some()) {
        "group"
    } else {
        "img"
    };
    view! {
        <svg role=role aria-labelledby=format!("{id}-description") focusable="false"
            viewBox=format!("{x:.1} {y:.1} {w:.1} {h:.1}") width="100%"
            data-zoom=format!("{:.0}", map.width / w)>
            {shapes}
            <g aria-hidden="true" id=format!("{id}-marks")>{marks}</g>
        </svg>
    }
}

/// A site as a pin; a group as a larger disc with its number in white
/// (7:1 on the red), growing with the logarithm of its size.
fn mark(m: &MapMark, k: f64) -> AnyView {
    let (x, y) = (format!("{:.1}", m.x), format!("{:.1}", m.y));
    let size = |v: f64| format!("{:.2}", v * k);
    if m.count <= 1 {
        let (href, title) = m.site.clone().unzip();
        return view! {
            <circle cx=x cy=y r=size(PIN_RADIUS) fill=PIN stroke="#ffffff" stroke-width=size(2.5)
                data-count="1" data-href=href data-title=title></circle>
        }
        .into_any();
    }
    let r = group_radius(m.count);
    let height = if m.count >= 1000 { 7.0 } else { 9.0 };
    view! {
        <g class="map-cluster" data-count=m.count>
            <circle cx=x cy=y r=size(r) fill=PIN stroke="#ffffff" stroke-width=size(2.0)></circle>
            <path d=digits(m.count, m.x, m.y, height * k) fill="none" stroke="#ffffff" stroke-width=size(1.6)
                stroke-linecap="round" stroke-linejoin="round"></path>
        </g>
    }
    .into_any()
}
