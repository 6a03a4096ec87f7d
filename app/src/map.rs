//! The map of Lombardy, drawn as SVG on the server: no tile server, no
//! script. Only shapes are drawn (text inside SVG escapes colour-contrast
//! checks); what the map shows is said in words beside it, which is also
//! its text alternative.

use crate::view_data::{MapMark, MapView};
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
    let marks = map.marks.iter().map(mark).collect::<Vec<_>>();
    let description_id = format!("{id}-description");
    // With links inside, the picture is a group a keyboard walks through;
    // without, a single image.
    let role = if map.provinces.iter().any(|p| p.link.is_some()) {
        "group"
    } else {
        "img"
    };
    view! {
        <figure class="lombardy-map" id=id.to_string()>
            <svg role=role aria-labelledby=description_id.clone() focusable="false"
                viewBox=format!("0 0 {:.0} {:.0}", map.width, map.height)
                width="100%">
                {shapes}
                <g aria-hidden="true">{marks}</g>
            </svg>
            <figcaption id=description_id>{map.description.clone()}</figcaption>
        </figure>
    }
}

/// A site as a pin; a group as a larger disc with its number in white
/// (7:1 on the red), growing with the logarithm of its size.
fn mark(m: &MapMark) -> AnyView {
    let (x, y) = (format!("{:.1}", m.x), format!("{:.1}", m.y));
    if m.count <= 1 {
        return view! {
            <circle cx=x cy=y r="7" fill=PIN stroke="#ffffff" stroke-width="2.5"></circle>
        }
        .into_any();
    }
    let r = 9.0 + 3.0 * (m.count as f64).log2();
    let height = if m.count >= 1000 { 7.0 } else { 9.0 };
    view! {
        <g class="map-cluster">
            <circle cx=x cy=y r=format!("{r:.1}") fill=PIN stroke="#ffffff" stroke-width="2"></circle>
            <path d=digits(m.count, m.x, m.y, height) fill="none" stroke="#ffffff" stroke-width="1.6"
                stroke-linecap="round" stroke-linejoin="round"></path>
        </g>
    }
    .into_any()
}

/// The seven segments of a digit, in a box 6 wide and 10 high: top, upper
/// right, lower right, bottom, lower left, upper left, middle.
const SEGMENTS: [(f64, f64, f64, f64); 7] = [
    (0.0, 0.0, 6.0, 0.0),
    (6.0, 0.0, 6.0, 5.0),
    (6.0, 5.0, 6.0, 10.0),
    (0.0, 10.0, 6.0, 10.0),
    (0.0, 5.0, 0.0, 10.0),
    (0.0, 0.0, 0.0, 5.0),
    (0.0, 5.0, 6.0, 5.0),
];

/// Which segments each digit lights, as bits from top (1) to middle (64).
const LIT: [u8; 10] = [63, 6, 91, 79, 102, 109, 125, 7, 127, 111];

/// `n` written as strokes, `height` px tall, centred on (`cx`, `cy`). A group's
/// number is drawn, not typed: text inside SVG is text no checker can
/// measure against its background, and these strokes are white on the
/// pin's red (7.3:1) by construction.
pub fn digits(n: usize, cx: f64, cy: f64, height: f64) -> String {
    use std::fmt::Write;
    let scale = height / 10.0;
    let text = n.to_string();
    let count = text.len() as f64;
    let width = (count * 6.0 + (count - 1.0) * 3.0) * scale;
    let (left, top) = (cx - width / 2.0, cy - height / 2.0);
    let mut d = String::new();
    for (i, digit) in text.bytes().enumerate() {
        let lit = LIT[(digit - b'0') as usize];
        let ox = left + i as f64 * 9.0 * scale;
        for (bit, (x0, y0, x1, y1)) in SEGMENTS.iter().enumerate() {
            if lit & (1 << bit) != 0 {
                let _ = write!(
                    d,
                    "M{:.1},{:.1}L{:.1},{:.1}",
                    ox + x0 * scale,
                    top + y0 * scale,
                    ox + x1 * scale,
                    top + y1 * scale
                );
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::digits;

    #[test]
    fn a_number_is_drawn_centred_with_one_stroke_per_lit_segment() {
        // 1 lights two segments, 8 all seven.
        assert_eq!(digits(1, 0.0, 0.0, 10.0).matches('M').count(), 2);
        assert_eq!(digits(18, 0.0, 0.0, 10.0).matches('M').count(), 9);
        // "8" alone spans x from -3 to 3 around the centre.
        let d = digits(8, 0.0, 0.0, 10.0);
        assert!(d.starts_with("M-3.0,-5.0L3.0,-5.0"), "{d}");
    }
}
