//! The map of Lombardy, drawn as SVG on the server: no tile server, no
//! script. Only shapes are drawn (text inside SVG escapes colour-contrast
//! checks); what the map shows is said in words beside it, which is also
//! its text alternative.

use crate::view_data::MapView;
use leptos::prelude::*;

/// Provinces: light fill, outlines dark enough for 3:1 against it and the page.
const LAND: &str = "#eef2f6";
const HIGHLIGHT: &str = "#cfe3f8";
const BORDER: &str = "#5c6f82";
/// The site: a dark red pin with a white ring, visible on any fill.
const PIN: &str = "#a4001f";

pub fn lombardy_map(map: &MapView, id: &str) -> impl IntoView {
    let shapes = map
        .provinces
        .iter()
        .map(|(code, d, highlighted)| {
            let fill = if *highlighted { HIGHLIGHT } else { LAND };
            view! { <path d=d.clone() fill=fill stroke=BORDER stroke-width="1" data-province=code.clone()></path> }
        })
        .collect::<Vec<_>>();
    let pins = map
        .points
        .iter()
        .map(|(x, y)| {
            view! {
                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="7" fill=PIN stroke="#ffffff" stroke-width="2.5"></circle>
            }
        })
        .collect::<Vec<_>>();
    let description_id = format!("{id}-description");
    let described = description_id.clone();
    view! {
        <figure class="lombardy-map" id=id.to_string()>
            <svg role="img" aria-labelledby=described focusable="false"
                viewBox=format!("0 0 {:.0} {:.0}", map.width, map.height)
                width="100%">
                {shapes}
                {pins}
            </svg>
            <figcaption id=description_id>{map.description.clone()}</figcaption>
        </figure>
    }
}
