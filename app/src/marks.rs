//! How the map's marks are drawn: by the pages (`map`), and by the server
//! when it draws the map again for the zoom island (which must know how
//! far a mark reaches, to leave out those cut by the view's edge).

/// The site: a dark red pin with a white ring, visible on any fill.
pub const PIN: &str = "#a4001f";

/// A single site's pin, at zoom 1.
pub const PIN_RADIUS: f64 = 7.0;

/// A group's disc grows with the logarithm of its size.
pub fn group_radius(count: usize) -> f64 {
    9.0 + 3.0 * (count as f64).log2()
}

/// How far a mark of `count` sites reaches from its centre, ring included, at zoom 1.
pub fn radius(count: usize) -> f64 {
    match count {
        0 | 1 => PIN_RADIUS + 1.25,
        n => group_radius(n) + 1.0,
    }
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
