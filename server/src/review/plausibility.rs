//! What the portal checks on its own before an officer reads a candidacy:
//! the point lies in the municipality's province, the covered area fits in
//! the land area, the distances are ones Lombardy has room for. Findings,
//! not verdicts: the officer decides.

use crate::db::entities::candidacy;
use forms::reference::{Placement, Provinces};
use std::collections::BTreeMap;

/// Distances (field, the most a site in Lombardy plausibly declares, km):
/// the region is about 300 km across and crossed by motorways and railways.
pub const DISTANCES: [(&str, f64); 4] = [
    ("km_motorway", 60.0),
    ("km_railway", 60.0),
    ("km_intermodal", 150.0),
    ("km_airport", 150.0),
];

#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// The point lies in the municipality's province.
    InProvince {
        province: String,
    },
    /// Just outside the simplified boundary of the municipality's province.
    NearBorder {
        province: String,
        km: f64,
    },
    /// In another province than the municipality's.
    OtherProvince {
        found: String,
        declared: String,
    },
    OutsideLombardy,
    CoveredFits {
        covered: f64,
        land: f64,
    },
    CoveredExceeds {
        covered: f64,
        land: f64,
    },
    DistancesPlausible,
    DistanceImplausible {
        field: &'static str,
        km: f64,
        max: f64,
    },
}

impl Finding {
    pub fn ok(&self) -> bool {
        matches!(
            self,
            Finding::InProvince { .. }
                | Finding::NearBorder { .. }
                | Finding::CoveredFits { .. }
                | Finding::DistancesPlausible
        )
    }
}

/// The findings for `c` with its template's `values` (as frozen at
/// submission: field id → canonical value). A check without its data (no
/// point, no covered area, no distance) says nothing.
pub fn check(c: &candidacy::Model, values: &BTreeMap<String, String>) -> Vec<Finding> {
    let mut found = Vec::new();
    if let Some(place) = place(c) {
        found.push(place);
    }
    let number = |id: &str| values.get(id).and_then(|v| v.parse::<f64>().ok());
    if let (Some(covered), Some(land)) = (number("covered_area"), number("land_area")) {
        found.push(match covered <= land {
            true => Finding::CoveredFits { covered, land },
            false => Finding::CoveredExceeds { covered, land },
        });
    }
    let declared: Vec<_> = DISTANCES
        .iter()
        .filter_map(|(field, max)| Some((*field, number(field)?, *max)))
        .collect();
    let far: Vec<Finding> = declared
        .iter()
        .filter(|(_, km, max)| km > max)
        .map(|&(field, km, max)| Finding::DistanceImplausible { field, km, max })
        .collect();
    match (declared.is_empty(), far.is_empty()) {
        (true, _) => {}
        (false, true) => found.push(Finding::DistancesPlausible),
        (false, false) => found.extend(far),
    }
    found
}

/// Where the point lies against the municipality's province.
fn place(c: &candidacy::Model) -> Option<Finding> {
    let (lat, lon) = (c.latitude?, c.longitude?);
    let declared = crate::candidacies::declared_province(c)?;
    Some(match Provinces::get().place(lat, lon) {
        Placement::Inside { province } if province == declared => Finding::InProvince { province },
        Placement::Near { province, km } if province == declared => {
            Finding::NearBorder { province, km }
        }
        Placement::Inside { province } | Placement::Near { province, .. } => {
            Finding::OtherProvince {
                found: province,
                declared,
            }
        }
        Placement::Outside => Finding::OutsideLombardy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidacies::status::Status;

    /// A candidacy in Bergamo's province (Dalmine) at `point`.
    fn at(point: Option<(f64, f64)>) -> candidacy::Model {
        let now = chrono::Utc::now();
        candidacy::Model {
            id: 1,
            user_id: 1,
            kind: "a".into(),
            status: Status::Submitted,
            municipality_code: Some("016091".into()),
            address: None,
            postcode: None,
            latitude: point.map(|p| p.0),
            longitude: point.map(|p| p.1),
            created_at: now,
            updated_at: now,
            reference: None,
            submitted_at: Some(now),
            owner_id: None,
            submitted_parties: None,
            submitted_reader_email: None,
            assigned_to: None,
            assigned_at: None,
        }
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_point_is_checked_against_the_municipalitys_province() {
        let none = values(&[]);
        assert_eq!(check(&at(None), &none), vec![]);
        let dalmine = check(&at(Some((45.6479, 9.6066))), &none);
        assert_eq!(
            dalmine,
            vec![Finding::InProvince {
                province: "BG".into()
            }]
        );
        let milan = check(&at(Some((45.4642, 9.19))), &none);
        assert_eq!(
            milan,
            vec![Finding::OtherProvince {
                found: "MI".into(),
                declared: "BG".into()
            }]
        );
        assert!(!milan[0].ok());
        let rome = check(&at(Some((41.9, 12.5))), &none);
        assert_eq!(rome, vec![Finding::OutsideLombardy]);
    }

    #[test]
    fn areas_and_distances_are_checked_when_declared() {
        let c = at(None);
        let ok = check(
            &c,
            &values(&[
                ("land_area", "1000"),
                ("covered_area", "400"),
                ("km_motorway", "2.5"),
            ]),
        );
        assert_eq!(
            ok,
            vec![
                Finding::CoveredFits {
                    covered: 400.0,
                    land: 1000.0
                },
                Finding::DistancesPlausible
            ]
        );
        assert!(ok.iter().all(Finding::ok));
        let odd = check(
            &c,
            &values(&[
                ("land_area", "1000"),
                ("covered_area", "1400"),
                ("km_airport", "480"),
            ]),
        );
        assert_eq!(
            odd,
            vec![
                Finding::CoveredExceeds {
                    covered: 1400.0,
                    land: 1000.0
                },
                Finding::DistanceImplausible {
                    field: "km_airport",
                    km: 480.0,
                    max: 150.0
                }
            ]
        );
        assert!(odd.iter().all(|f| !f.ok()));
    }
}
