//! The review page's map and automatic checks: `review::plausibility`'s
//! findings in the officer's language, and the site on the map of Lombardy.

use crate::db::entities::{candidacy, candidacy_value};
use crate::error::AppResult;
use crate::review::plausibility::{self, Finding};
use crate::web::context::Ctx;
use app::i18n::t;
use app::view_data::{CheckView, MapView};
use app::Lang;
use forms::reference::Municipalities;
use forms::Call;
use sea_orm::EntityTrait;
use std::collections::BTreeMap;

pub async fn map_and_checks(
    ctx: &Ctx,
    c: &candidacy::Model,
) -> AppResult<(Option<MapView>, Vec<CheckView>)> {
    // The values as frozen at submission: what the officer decides on.
    let values: BTreeMap<String, String> = candidacy_value::Entity::find_by_id(c.id)
        .one(&ctx.state.db)
        .await?
        .and_then(|v| serde_json::from_str(&v.values).ok())
        .unwrap_or_default();
    let checks = plausibility::check(c, &values)
        .iter()
        .map(|f| CheckView {
            ok: f.ok(),
            text: say(ctx.lang, f),
        })
        .collect();
    Ok((map(ctx.lang, c), checks))
}

fn province(code: &str) -> String {
    Municipalities::get()
        .province_name(code)
        .unwrap_or(code)
        .to_string()
}

fn number(lang: Lang, n: f64) -> String {
    forms::report::format_number(n, crate::candidacies::signed_forms::document_lang(lang))
}

/// A finding as the officer reads it.
fn say(lang: Lang, f: &Finding) -> String {
    let fill = |key: &str, vars: &[(&str, String)]| {
        vars.iter().fold(t(lang, key), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
    };
    match f {
        Finding::InProvince { province: p } => {
            fill("review.check_in_province", &[("province", province(p))])
        }
        Finding::NearBorder { province: p, km } => fill(
            "review.check_near_border",
            &[
                ("province", province(p)),
                ("km", number(lang, (km * 10.0).round() / 10.0)),
            ],
        ),
        Finding::OtherProvince { found, declared } => fill(
            "review.check_other_province",
            &[("found", province(found)), ("declared", province(declared))],
        ),
        Finding::OutsideLombardy => t(lang, "review.check_outside"),
        Finding::CoveredFits { covered, land } => fill(
            "review.check_covered_fits",
            &[
                ("covered", number(lang, *covered)),
                ("land", number(lang, *land)),
            ],
        ),
        Finding::CoveredExceeds { covered, land } => fill(
            "review.check_covered_exceeds",
            &[
                ("covered", number(lang, *covered)),
                ("land", number(lang, *land)),
            ],
        ),
        Finding::DistancesPlausible => t(lang, "review.check_distances"),
        Finding::DistanceImplausible { field, km, max } => {
            let forms_lang = crate::candidacies::signed_forms::document_lang(lang);
            let label = Call::embedded()
                .field(field)
                .map_or(field.to_string(), |f| f.label.get(forms_lang).to_string());
            fill(
                "review.check_distance_far",
                &[
                    ("field", label),
                    ("km", number(lang, *km)),
                    ("max", number(lang, *max)),
                ],
            )
        }
    }
}

/// The site on the map, its province highlighted; none without coordinates.
fn map(lang: Lang, c: &candidacy::Model) -> Option<MapView> {
    let (lat, lon) = (c.latitude?, c.longitude?);
    let municipality = crate::candidacies::municipality_label(c);
    let description = t(lang, "review.map_description")
        .replace("{place}", &municipality)
        .replace("{lat}", &format!("{lat:.5}"))
        .replace("{lon}", &format!("{lon:.5}"));
    let code = c.municipality_code.as_deref().unwrap_or_default();
    Some(crate::web::catalogue::maps::one_site(
        lat,
        lon,
        code,
        description,
    ))
}
