//! The boundaries of Lombardy's 12 provinces (Natural Earth 1:10m, public domain)
//! and the point-in-polygon test that places a coordinate in one of them.
//!
//! The boundaries are simplified, so a real site a few hundred metres inside the
//! regional border may fall just outside the polygon. A point within
//! `BORDER_TOLERANCE_KM` of a province is therefore placed there, as `Near`, and
//! the validator warns instead of refusing it.

use serde::Deserialize;
use std::sync::OnceLock;

const GEOJSON: &str = include_str!("../../data/lombardy-provinces.geojson");

/// How far outside the simplified boundary a point may be and still count as Lombardy.
pub const BORDER_TOLERANCE_KM: f64 = 2.0;

/// Where a point falls.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    Inside { province: String },
    Near { province: String, km: f64 },
    Outside,
}

struct Province {
    code: String,
    /// Outer ring first, then holes; each ring is a list of (lon, lat).
    polygons: Vec<Vec<Vec<(f64, f64)>>>,
    bbox: (f64, f64, f64, f64),
}

pub struct Provinces {
    all: Vec<Province>,
}

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    province_code: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<(f64, f64)>>),
    MultiPolygon(Vec<Vec<Vec<(f64, f64)>>>),
}

impl Provinces {
    pub fn get() -> &'static Provinces {
        static ALL: OnceLock<Provinces> = OnceLock::new();
        ALL.get_or_init(|| Provinces::parse(GEOJSON))
    }

    fn parse(text: &str) -> Provinces {
        let collection: Collection = serde_json::from_str(text)
            .expect("the embedded province boundaries are checked by the unit tests");
        let all = collection
            .features
            .into_iter()
            .map(|f| {
                let polygons = match f.geometry {
                    Geometry::Polygon(p) => vec![p],
                    Geometry::MultiPolygon(m) => m,
                };
                let bbox = bounding_box(&polygons);
                Province {
                    code: f.properties.province_code,
                    polygons,
                    bbox,
                }
            })
            .collect();
        Provinces { all }
    }

    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.all.iter().map(|p| p.code.as_str())
    }

    /// The province a WGS84 point falls in, or the nearest one within the tolerance.
    pub fn place(&self, lat: f64, lon: f64) -> Placement {
        if !lat.is_finite() || !lon.is_finite() {
            return Placement::Outside;
        }
        for p in &self.all {
            let (x0, y0, x1, y1) = p.bbox;
            if lon >= x0
                && lon <= x1
                && lat >= y0
                && lat <= y1
                && p.polygons.iter().any(|poly| inside(poly, lon, lat))
            {
                return Placement::Inside {
                    province: p.code.clone(),
                };
            }
        }
        let nearest = self
            .all
            .iter()
            .map(|p| (p, distance_km(p, lat, lon)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match nearest {
            Some((p, km)) if km <= BORDER_TOLERANCE_KM => Placement::Near {
                province: p.code.clone(),
                km,
            },
            _ => Placement::Outside,
        }
    }
}

/// Where a map of Lombardy is drawn: an equirectangular frame around the
/// region, longitudes narrowed by the cosine of its middle latitude so the
/// provinces keep their shape, y growing southwards as in SVG. Enough for a
/// region 300 km across; no tile server, no projection library.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    west: f64,
    north: f64,
    /// Pixels per degree of latitude.
    scale: f64,
    narrowing: f64,
    pub width: f64,
    pub height: f64,
}

impl Frame {
    /// Lombardy (with a small margin) `width` pixels wide.
    pub fn lombardy(width: f64) -> Frame {
        let (west, east, south, north) = (8.45, 11.47, 44.63, 46.67);
        let narrowing = ((south + north) / 2.0_f64).to_radians().cos();
        let scale = width / ((east - west) * narrowing);
        Frame {
            west,
            north,
            scale,
            narrowing,
            width,
            height: ((north - south) * scale).round(),
        }
    }

    /// A WGS84 point in the frame's pixels.
    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            (lon - self.west) * self.narrowing * self.scale,
            (self.north - lat) * self.scale,
        )
    }
}

impl Provinces {
    /// Each province's outline as SVG path data in `frame`, by province code.
    pub fn outlines(&self, frame: &Frame) -> Vec<(&str, String)> {
        use std::fmt::Write;
        self.rings(frame)
            .into_iter()
            .map(|(code, rings)| {
                let mut d = String::new();
                for ring in rings {
                    for (i, (x, y)) in ring.into_iter().enumerate() {
                        let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
                    }
                    d.push('Z');
                }
                (code, d)
            })
            .collect()
    }

    /// Each province's rings (outer and holes) projected into `frame`: what
    /// [`Provinces::outlines`] writes as SVG, for drawings that are not SVG
    /// (the site's brief as PDF).
    pub fn rings(&self, frame: &Frame) -> Vec<(&str, Vec<Vec<(f64, f64)>>)> {
        self.all
            .iter()
            .map(|p| {
                let rings = p
                    .polygons
                    .iter()
                    .flatten()
                    .map(|ring| {
                        ring.iter()
                            .map(|&(lon, lat)| frame.project(lat, lon))
                            .collect()
                    })
                    .collect();
                (p.code.as_str(), rings)
            })
            .collect()
    }
}

fn bounding_box(polygons: &[Vec<Vec<(f64, f64)>>]) -> (f64, f64, f64, f64) {
    let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in polygons.iter().flat_map(|p| p.first()).flatten() {
        b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
    }
    b
}

/// Even-odd ray casting: inside the outer ring and outside every hole.
fn inside(polygon: &[Vec<(f64, f64)>], x: f64, y: f64) -> bool {
    let mut rings = polygon.iter();
    let Some(outer) = rings.next() else {
        return false;
    };
    ring_contains(outer, x, y) && !rings.any(|hole| ring_contains(hole, x, y))
}

fn ring_contains(ring: &[(f64, f64)], x: f64, y: f64) -> bool {
    let mut inside = false;
    let mut j = ring.len().wrapping_sub(1);
    for i in 0..ring.len() {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Distance from the point to the province's nearest edge, on a local flat
/// projection (good to a few metres over the few kilometres that matter here).
fn distance_km(p: &Province, lat: f64, lon: f64) -> f64 {
    const KM_PER_DEGREE: f64 = 111.32;
    let kx = KM_PER_DEGREE * lat.to_radians().cos();
    let project = |(x, y): (f64, f64)| ((x - lon) * kx, (y - lat) * KM_PER_DEGREE);
    let mut best = f64::MAX;
    for ring in p.polygons.iter().flatten() {
        for pair in ring.windows(2) {
            best = best.min(segment_distance(project(pair[0]), project(pair[1])));
        }
    }
    best
}

/// Distance from the origin to the segment a–b.
fn segment_distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
    };
    let (px, py) = (a.0 + t * dx, a.1 + t * dy);
    (px * px + py * py).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn province(lat: f64, lon: f64) -> Option<String> {
        match Provinces::get().place(lat, lon) {
            Placement::Inside { province } => Some(province),
            _ => None,
        }
    }

    #[test]
    fn the_map_frame_holds_every_outline() {
        let frame = Frame::lombardy(400.0);
        assert!(frame.height > 300.0 && frame.height < 450.0, "{frame:?}");
        let outlines = Provinces::get().outlines(&frame);
        assert_eq!(outlines.len(), 12);
        for (code, d) in outlines {
            assert!(d.starts_with('M') && d.ends_with('Z'), "{code}");
            for pair in d.split(['M', 'L', 'Z']).filter(|s| !s.is_empty()) {
                let (x, y) = pair.split_once(',').unwrap();
                let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                assert!(
                    (0.0..=400.0).contains(&x) && (0.0..=frame.height).contains(&y),
                    "{code}: {pair}"
                );
            }
        }
        // Milan's cathedral lands inside the picture, west of Brescia.
        let (mx, _) = frame.project(45.4642, 9.1900);
        let (bx, _) = frame.project(45.5416, 10.2118);
        assert!(mx < bx);
    }

    #[test]
    fn every_province_has_a_boundary() {
        assert_eq!(Provinces::get().codes().count(), 12);
    }

    #[test]
    fn provincial_capitals_fall_in_their_province() {
        assert_eq!(province(45.4642, 9.1900).as_deref(), Some("MI")); // Milano, Duomo
        assert_eq!(province(45.6983, 9.6773).as_deref(), Some("BG")); // Bergamo
        assert_eq!(province(45.5416, 10.2118).as_deref(), Some("BS")); // Brescia
        assert_eq!(province(45.1564, 10.7914).as_deref(), Some("MN")); // Mantova
        assert_eq!(province(46.1699, 9.8715).as_deref(), Some("SO")); // Sondrio
        assert_eq!(province(45.5845, 9.2744).as_deref(), Some("MB")); // Monza
    }

    #[test]
    fn points_outside_lombardy_are_outside() {
        assert_eq!(Provinces::get().place(41.9028, 12.4964), Placement::Outside); // Roma
        assert_eq!(Provinces::get().place(45.0703, 7.6869), Placement::Outside); // Torino
        assert_eq!(Provinces::get().place(f64::NAN, 9.0), Placement::Outside);
    }

    #[test]
    fn a_point_just_over_the_simplified_border_is_near() {
        // Just east of the Ticino at Sesto Calende's latitude the boundary is simplified;
        // walk west from Milano until the point leaves the polygon, then step 500 m further.
        let lat = 45.45;
        let mut lon = 9.19;
        while province(lat, lon).is_some() {
            lon -= 0.001;
        }
        let step = 0.5 / (111.32 * lat.to_radians().cos());
        match Provinces::get().place(lat, lon - step) {
            Placement::Near { province, km } => {
                assert!(km < 1.0, "{km}");
                assert!(["MI", "PV"].contains(&province.as_str()), "{province}");
            }
            other => panic!("expected Near, got {other:?}"),
        }
    }
}
