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
}

/// The marks for `sites` on `frame`, one per `cell`-pixel square; sites
/// without coordinates are left out (the caller says how many).
pub fn clusters(sites: &[&Site], frame: &Frame, cell: f64) -> Vec<Cluster> {
    let mut squares: BTreeMap<(i64, i64), (f64, f64, usize)> = BTreeMap::new();
    for site in sites {
        let (Some(lat), Some(lon)) = (site.snapshot.latitude, site.snapshot.longitude) else {
            continue;
        };
        let (x, y) = frame.project(lat, lon);
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let key = ((x / cell).floor() as i64, (y / cell).floor() as i64);
        let square = squares.entry(key).or_insert((0.0, 0.0, 0));
        square.0 += x;
        square.1 += y;
        square.2 += 1;
    }
    squares
        .into_values()
        .map(|(sx, sy, n)| Cluster {
            x: sx / n as f64,
            y: sy / n as f64,
            count: n,
        })
        .collect()
}
