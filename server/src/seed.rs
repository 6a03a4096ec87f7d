//! Many candidacies at once, in every status, spread over Lombardy's
//! municipalities: to try the back office's queue by hand and to measure it
//! (`portal-server seed --candidacies 10000`, and the queue benchmark).
//! Seeded proponents cannot log in (their password hash is no hash); the
//! officers they are assigned to are the accounts passed in.

use crate::candidacies::status::Status;
use crate::db::entities::{candidacy, integration_request, user};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Duration, Utc};
use forms::reference::Municipalities;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait,
};

/// Rows written per statement: well under SQLite's limit on bound values.
const BATCH: usize = 200;

/// Out of 20 candidacies, how many are in each status: most of the work is
/// waiting or under review, as in a real call.
const MIX: [(Status, u32); 8] = [
    (Status::Draft, 2),
    (Status::Submitted, 4),
    (Status::UnderReview, 5),
    (Status::IntegrationRequested, 2),
    (Status::Validated, 2),
    (Status::Published, 2),
    (Status::Rejected, 2),
    (Status::Withdrawn, 1),
];

/// A small deterministic generator: the same seed gives the same data.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// One of `options`, each as likely.
    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.below(options.len() as u64) as usize]
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A number in `[from, to)`.
    fn between(&mut self, from: f64, to: f64) -> f64 {
        from + (to - from) * (self.below(1_000_000) as f64 / 1_000_000.0)
    }
}

fn status_of(i: usize) -> Status {
    let total: u32 = MIX.iter().map(|(_, n)| n).sum();
    let mut slot = (i as u32) % total;
    for (status, n) in MIX {
        if slot < n {
            return status;
        }
        slot -= n;
    }
    Status::Submitted
}

/// What was seeded.
pub struct Seeded {
    pub candidacies: usize,
    pub proponents: usize,
    pub requests: usize,
}

/// Writes `count` candidacies for 1 proponent per 20, assigned in turn to
/// `officers` where someone must be in charge, in one transaction.
pub async fn candidacies(
    db: &DatabaseConnection,
    count: usize,
    officers: &[i64],
    now: DateTime<Utc>,
) -> AppResult<Seeded> {
    if officers.is_empty() {
        return Err(AppError::Internal("seeding needs an officer".into()));
    }
    let towns = Municipalities::get().all();
    let mut dice = Dice(0x5EED_0F10_4BA2_D1C3);
    let txn = db.begin().await?;
    let proponents = count.div_ceil(20).max(1);
    let run = new_run();
    let users: Vec<user::ActiveModel> = (0..proponents).map(|p| proponent(&run, p, now)).collect();
    for chunk in users.chunks(BATCH) {
        user::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    let owners = seeded_ids(&txn, &run).await?;
    // Every field filled as the sample building in Bergamo, frozen as a
    // submission freezes them.
    let values = |kind| {
        let values: std::collections::BTreeMap<String, String> = forms::sample::complete(kind)
            .iter()
            .map(|(id, v)| (id.clone(), crate::review::answers::canonical(v)))
            .collect();
        serde_json::to_string(&values).unwrap_or_default()
    };
    let (values_a, values_b) = (
        values(forms::Kind::Settlement),
        values(forms::Kind::Investment),
    );
    let mut rows = Vec::with_capacity(count);
    for i in 0..count {
        let status = status_of(i);
        let town = &towns[dice.below(towns.len() as u64) as usize];
        let waited =
            Duration::days(dice.below(120) as i64) + Duration::minutes(dice.below(1440) as i64);
        let submitted = (status != Status::Draft).then_some(now - waited);
        let in_charge = !matches!(status, Status::Draft | Status::Submitted);
        let kind = if dice.below(3) == 0 { "b" } else { "a" };
        rows.push(candidacy::ActiveModel {
            user_id: Set(owners[i % owners.len()]),
            kind: Set(kind.into()),
            status: Set(status),
            municipality_code: Set(Some(town.istat_code.clone())),
            address: Set(Some(format!("Via del Seme {}", 1 + dice.below(200)))),
            postcode: Set(Some(format!("2{:04}", dice.below(8000)))),
            latitude: Set(Some(dice.between(45.0, 46.5))),
            longitude: Set(Some(dice.between(8.6, 11.3))),
            created_at: Set(now - waited - Duration::days(3)),
            updated_at: Set(submitted.unwrap_or(now)),
            submitted_at: Set(submitted),
            owner_id: Set(None),
            assigned_to: Set(in_charge.then(|| officers[i % officers.len()])),
            assigned_at: Set(submitted.filter(|_| in_charge)),
            ..Default::default()
        });
    }
    for chunk in rows.chunks(BATCH) {
        candidacy::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    frozen_values(&txn, &owners, &values_a, &values_b).await?;
    // References in one statement, the same SQL on SQLite and PostgreSQL.
    // `run` is letters and digits only: safe in the statement.
    txn.execute_unprepared(&format!(
        "UPDATE candidacies SET reference = 'OL-SEED-' || CAST(id AS TEXT) \
         WHERE reference IS NULL AND submitted_at IS NOT NULL AND user_id IN \
         (SELECT id FROM users WHERE email LIKE '{run}-%')"
    ))
    .await?;
    let requests = open_requests(&txn, officers[0], now, &mut dice).await?;
    txn.commit().await?;
    Ok(Seeded {
        candidacies: count,
        proponents,
        requests,
    })
}

/// An open request for each candidacy waiting for integration that has
/// none (seeded before): those asked more than ten days ago are overdue.
async fn open_requests(
    txn: &impl ConnectionTrait,
    officer: i64,
    now: DateTime<Utc>,
    dice: &mut Dice,
) -> AppResult<usize> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let waiting: Vec<i64> = candidacy::Entity::find()
        .select_only()
        .column(candidacy::Column::Id)
        .filter(candidacy::Column::Status.eq(Status::IntegrationRequested))
        .filter(
            candidacy::Column::Id.not_in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(integration_request::Column::CandidacyId)
                    .from(integration_request::Entity)
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(txn)
        .await?;
    let rows: Vec<integration_request::ActiveModel> = waiting
        .iter()
        .map(|id| {
            let asked = now - Duration::days(1 + dice.below(20) as i64);
            integration_request::ActiveModel {
                candidacy_id: Set(*id),
                officer_id: Set(officer),
                requested_at: Set(asked),
                due_at: Set(asked + Duration::days(10)),
                message: Set("Integrazioni richieste (dati di prova).".into()),
                before: Set("{\"documents\":[],\"location\":\"\"}".into()),
                reply: Set(String::new()),
                ..Default::default()
            }
        })
        .collect();
    for chunk in rows.chunks(BATCH) {
        integration_request::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(rows.len())
}

/// The values a submission freezes, for every submitted candidacy of `owners`.
async fn frozen_values(
    txn: &impl ConnectionTrait,
    owners: &[i64],
    values_a: &str,
    values_b: &str,
) -> AppResult<()> {
    use crate::db::entities::candidacy_value;
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let submitted: Vec<(i64, String)> = candidacy::Entity::find()
        .select_only()
        .column(candidacy::Column::Id)
        .column(candidacy::Column::Kind)
        .filter(candidacy::Column::UserId.is_in(owners.to_vec()))
        .filter(candidacy::Column::SubmittedAt.is_not_null())
        .into_tuple()
        .all(txn)
        .await?;
    let rows: Vec<candidacy_value::ActiveModel> = submitted
        .into_iter()
        .map(|(id, kind)| candidacy_value::ActiveModel {
            candidacy_id: Set(id),
            values: Set(if kind == "b" { values_b } else { values_a }.to_string()),
        })
        .collect();
    for chunk in rows.chunks(BATCH) {
        candidacy_value::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// A name for one seeding run, so seeding again adds rather than collides.
fn new_run() -> String {
    format!("seed{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

/// The `n`th proponent of seeding `run`.
fn proponent(run: &str, n: usize, now: DateTime<Utc>) -> user::ActiveModel {
    user::ActiveModel {
        email: Set(format!("{run}-{n}@seed.invalid")),
        // Not a hash any password gives: seeded accounts cannot log in.
        password_hash: Set("!seeded".into()),
        role: Set("proponent".into()),
        lang: Set("it".into()),
        email_verified_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// The ids of the accounts seeded by `run`.
async fn seeded_ids(txn: &impl ConnectionTrait, run: &str) -> AppResult<Vec<i64>> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let ids: Vec<i64> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Email.starts_with(format!("{run}-")))
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    match ids.is_empty() {
        true => Err(AppError::Internal("seeded accounts not found".into())),
        false => Ok(ids),
    }
}

/// Puts `count` made-up sites online, spread over Lombardy with values as
/// varied as real ones (sizes from a plot to a logistics park, prices
/// where sold, distances, power), each published by `officer`: to try the
/// catalogue by hand (`portal-server seed --sites 10000`) and to measure it.
/// The references published, in order.
pub async fn sites(
    db: &DatabaseConnection,
    count: usize,
    officer: i64,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    let mut dice = Dice(0x0CA7_A10E_5EED_2027);
    let snapshots = (0..count).map(|_| site(&mut dice, now)).collect();
    publish_all(db, officer, snapshots, now).await
}

/// Puts each of `snapshots` online: a proponent of their own, then per site
/// a published candidacy and its version 1, published by `officer`; the
/// references are given here (`OL-SEED-<id>`). In one transaction, which
/// moves the catalogue's generation on. The references, in order.
pub async fn publish_all(
    db: &DatabaseConnection,
    officer: i64,
    mut snapshots: Vec<crate::review::publication::Snapshot>,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    use crate::db::entities::publication;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    let txn = db.begin().await?;
    let run = new_run();
    user::Entity::insert(proponent(&run, 0, now))
        .exec(&txn)
        .await?;
    let owner = seeded_ids(&txn, &run).await?[0];
    let rows: Vec<candidacy::ActiveModel> = snapshots
        .iter()
        .map(|s| {
            let at = s.declared_at.unwrap_or(now);
            candidacy::ActiveModel {
                user_id: Set(owner),
                kind: Set(s.kind.clone()),
                status: Set(Status::Published),
                municipality_code: Set(Some(s.municipality_code.clone())),
                address: Set(Some(s.address.clone())),
                postcode: Set(Some(s.postcode.clone())),
                latitude: Set(s.latitude),
                longitude: Set(s.longitude),
                created_at: Set(at),
                updated_at: Set(now),
                submitted_at: Set(Some(at)),
                ..Default::default()
            }
        })
        .collect();
    for chunk in rows.chunks(BATCH) {
        candidacy::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    let ids: Vec<i64> = candidacy::Entity::find()
        .select_only()
        .column(candidacy::Column::Id)
        .filter(candidacy::Column::UserId.eq(owner))
        .order_by_asc(candidacy::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    txn.execute_unprepared(&format!(
        "UPDATE candidacies SET reference = 'OL-SEED-' || CAST(id AS TEXT) WHERE user_id = {owner}"
    ))
    .await?;
    let mut versions = Vec::with_capacity(ids.len());
    for (s, id) in snapshots.iter_mut().zip(&ids) {
        s.reference = format!("OL-SEED-{id}");
        let snapshot = serde_json::to_string(&s)
            .map_err(|e| AppError::Internal(format!("seeded snapshot: {e}")))?;
        versions.push(publication::ActiveModel {
            candidacy_id: Set(*id),
            version: Set(1),
            published_at: Set(s.validated_at.unwrap_or(now)),
            published_by: Set(officer),
            snapshot: Set(snapshot),
            end_reason: Set(String::new()),
            ..Default::default()
        });
    }
    for chunk in versions.chunks(BATCH) {
        publication::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    crate::catalogue::bump(&txn).await?;
    txn.commit().await?;
    Ok(snapshots.into_iter().map(|s| s.reference).collect())
}

/// A point in Lombardy at random, and its province.
fn somewhere(dice: &mut Dice) -> (f64, f64, String) {
    use forms::reference::{Placement, Provinces};
    loop {
        let (lat, lon) = (dice.between(44.68, 46.64), dice.between(8.5, 11.43));
        if let Placement::Inside { province } = Provinces::get().place(lat, lon) {
            return (lat, lon, province);
        }
    }
}

/// `n` rounded to `step`.
fn round_to(n: f64, step: f64) -> String {
    ((n / step).round() * step).to_string()
}

/// One made-up site, as a publication freezes it.
fn site(dice: &mut Dice, now: DateTime<Utc>) -> crate::review::publication::Snapshot {
    use std::collections::BTreeMap;
    let (lat, lon, province) = somewhere(dice);
    let towns: Vec<_> = Municipalities::get()
        .all()
        .iter()
        .filter(|m| m.province_code == province)
        .collect();
    let town = towns[dice.below(towns.len() as u64) as usize];
    let asset = dice.pick(&[
        "greenfield",
        "brownfield",
        "building",
        "building",
        "urban_regeneration",
    ]);
    let functions = dice.pick(&[
        "production;logistics",
        "logistics",
        "production",
        "offices;research",
        "retail;offices",
        "hospitality",
        "data_centre;production",
        "student_housing;residential",
        "health",
    ]);
    let offer = dice.pick(&["sale", "lease", "sale;lease", "concession", "lease"]);
    let (title_it, title_en) = match (asset, functions) {
        ("greenfield", _) => ("Area libera", "Greenfield site"),
        ("brownfield", _) => ("Area produttiva dismessa", "Former industrial site"),
        ("urban_regeneration", _) => ("Area di rigenerazione urbana", "Urban-regeneration area"),
        (_, "logistics") => ("Capannone logistico", "Logistics warehouse"),
        (_, f) if f.starts_with("offices") => ("Edificio per uffici", "Office building"),
        (_, "hospitality") => ("Struttura ricettiva", "Hotel building"),
        _ => ("Capannone produttivo", "Industrial building"),
    };
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut put = |id: &str, v: String| {
        fields.insert(id.to_string(), v);
    };
    put("title_it", format!("{title_it} a {}", town.name));
    put("title_en", format!("{title_en} in {}", town.name));
    put("asset_type", asset.into());
    let land = (dice.between(1_000f64.ln(), 300_000f64.ln())).exp();
    put("land_area", round_to(land, 10.0));
    let built = asset != "greenfield";
    if built {
        put(
            "covered_area",
            round_to(land * dice.between(0.2, 0.7), 10.0),
        );
        put(
            "energy_class",
            dice.pick(&["A2", "B", "C", "D", "E", "F", "G"]).into(),
        );
    }
    let state = if built {
        dice.pick(&["in_use", "inactive", "disused", "being_vacated"])
    } else {
        "inactive"
    };
    put("asset_state", state.into());
    put("availability", offer.into());
    if offer.contains("sale") {
        put(
            "price_eur",
            round_to(land * dice.between(40.0, 400.0), 1000.0),
        );
    }
    let from = now + Duration::days(dice.below(900) as i64 - 300);
    put("available_from", from.format("%Y-%m-%d").to_string());
    put(
        "ownership",
        dice.pick(&["private", "private", "public", "mixed"]).into(),
    );
    put("permitted_functions", functions.into());
    put("zoning", "Ambito produttivo del PGT".into());
    let remediation = if asset == "brownfield" {
        dice.pick(&["needed", "in_progress", "completed", "certified"])
    } else {
        "not_needed"
    };
    put("remediation", remediation.into());
    let km = |dice: &mut Dice, from: f64, to: f64| round_to(dice.between(from, to), 0.1);
    put("km_motorway", km(dice, 0.3, 35.0));
    put("km_railway", km(dice, 0.2, 25.0));
    put("km_intermodal", km(dice, 1.0, 60.0));
    put("km_airport", km(dice, 4.0, 90.0));
    let power = dice.between(50f64.ln(), 8000f64.ln()).exp();
    put("power_kw", round_to(power, 10.0));
    let voltage = match power {
        p if p < 200.0 => "low",
        p if p < 5000.0 => "medium",
        _ => "high",
    };
    put("voltage", voltage.into());
    for utility in ["gas", "water", "sewerage", "broadband"] {
        put(
            utility,
            if dice.below(5) == 0 { "no" } else { "yes" }.into(),
        );
    }
    put(
        "description_it",
        format!(
            "{title_it} di circa {} m² nel comune di {}, in provincia di {}. \
             Accesso diretto alla viabilità principale e servizi a rete disponibili.",
            forms::report::format_number((land / 100.0).round() * 100.0, forms::Lang::It),
            town.name,
            town.province_name
        ),
    );
    put(
        "description_en",
        format!(
            "{title_en} of about {} m² in the municipality of {}, province of {}. \
             Direct access to the main roads; utilities available on site.",
            forms::report::format_number((land / 100.0).round() * 100.0, forms::Lang::En),
            town.name,
            town.province_name
        ),
    );
    let kind = if dice.below(4) == 0 { "b" } else { "a" };
    if kind == "b" {
        put(
            "project_title",
            format!("Sviluppo di {} a {}", title_it.to_lowercase(), town.name),
        );
        put(
            "investment_eur",
            round_to(land * dice.between(200.0, 1500.0), 100_000.0),
        );
        put("timeline_months", (12 + dice.below(48)).to_string());
        put(
            "development_status",
            dice.pick(&["idea", "masterplan", "preliminary_design"])
                .into(),
        );
        put(
            "partners_sought",
            dice.pick(&["investor", "investor;developer", "operator"])
                .into(),
        );
    }
    let declared = now - Duration::days(30 + dice.below(600) as i64);
    crate::review::publication::Snapshot {
        reference: String::new(),
        kind: kind.into(),
        municipality_code: town.istat_code.clone(),
        municipality: town.list_label(),
        address: format!("Via dell'Industria {}", 1 + dice.below(150)),
        postcode: format!("2{:04}", dice.below(8000)),
        latitude: Some((lat * 1e5).round() / 1e5),
        longitude: Some((lon * 1e5).round() / 1e5),
        fields,
        photos: Vec::new(),
        declared_at: Some(declared),
        validated_at: Some(declared + Duration::days(5 + dice.below(40) as i64)),
    }
}
