//! The sites on the map of Lombardy, grouped: one mark per square of the
//! map's grid holding any site, at the mean of their positions, with their
//! number. Ten thousand sites make at most a few hundred marks, so the map
//! weighs the same whatever the catalogue holds.

use super::index::Site;
use forms::reference::Frame;
use std::collections::BTreeMap;

/// A mark on the map: `count` sites around (`x`, `y`), in the frame's pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    pub x: f64,
    pub y: f64,
    pub count: usize,
    /// The index in `sites` of one site of the mark (the only one when
    /// `count` is 1).
    pub one: usize,
}

/// The marks for `sites` on `frame`, one per `cell`-pixel square; sites
/// without coordinates are left out (the caller says how many).
pub fn clusters(sites: &[&Site], frame: &Frame, cell: f64) -> Vec<Cluster> {
    let mut squares: BTreeMap<(i64, i64), (f64, f64, usize, usize)> = BTreeMap::new();
    for (index, site) in sites.iter().enumerate() {
        let (Some(lat), Some(lon)) = (site.snapshot.latitude, site.snapshot.longitude) else {
            continue;
        };
        let (x, y) = frame.project(lat, lon);
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let key = ((x / cell).floor() as i64, (y / cell).floor() as i64);
        let square = squares.entry(key).or_insert((0.0, 0.0, 0, index));
        square.0 += x;
        square.1 += y;
        square.2 += 1;
    }
    squares
        .into_values()
        .map(|(sx, sy, n, one)| Cluster {
            x: sx / n as f64,
            y: sy / n as f64,
            count: n,
            one,
        })
        .collect()
}

/// `ring` cut to the rectangle (x0, y0, x1, y1), edge by edge
/// (Sutherland–Hodgman): what of a province a zoomed map shows, so no
/// shape reaches beyond the picture.
pub fn clip(ring: &[(f64, f64)], (x0, y0, x1, y1): (f64, f64, f64, f64)) -> Vec<(f64, f64)> {
    type Edge = fn((f64, f64), f64) -> bool;
    let sides: [(Edge, f64, bool); 4] = [
        (|p, v| p.0 >= v, x0, true),
        (|p, v| p.0 <= v, x1, true),
        (|p, v| p.1 >= v, y0, false),
        (|p, v| p.1 <= v, y1, false),
    ];
    let mut out: Vec<(f64, f64)> = ring.to_vec();
    for (inside, v, vertical) in sides {
        let input = std::mem::take(&mut out);
        let Some(&last) = input.last() else { break };
        let cross = |a: (f64, f64), b: (f64, f64)| {
            if vertical {
                let t = (v - a.0) / (b.0 - a.0);
                (v, a.1 + t * (b.1 - a.1))
            } else {
                let t = (v - a.1) / (b.1 - a.1);
                (a.0 + t * (b.0 - a.0), v)
            }
        };
        let mut prev = last;
        for &p in &input {
            match (inside(p, v), inside(prev, v)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cross(prev, p));
                    out.push(p);
                }
                (false, true) => out.push(cross(prev, p)),
                (false, false) => {}
            }
            prev = p;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn a_ring_is_cut_to_the_rectangle() {
        let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let cut = clip(&square, (5.0, -1.0, 20.0, 20.0));
        assert_eq!(cut.len(), 4);
        assert!(
            cut.iter().all(|&(x, _)| (5.0..=10.0).contains(&x)),
            "{cut:?}"
        );
        assert!(clip(&square, (20.0, 20.0, 30.0, 30.0)).is_empty());
        assert_eq!(clip(&square, (-1.0, -1.0, 11.0, 11.0)).len(), 4);
    }
}
