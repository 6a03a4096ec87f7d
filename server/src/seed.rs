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
    // A run of its own, so seeding again adds rather than collides.
    let run = format!("seed{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let mut users = Vec::with_capacity(proponents);
    for p in 0..proponents {
        users.push(user::ActiveModel {
            email: Set(format!("{run}-{p}@seed.invalid")),
            // Not a hash any password gives: seeded accounts cannot log in.
            password_hash: Set("!seeded".into()),
            role: Set("proponent".into()),
            lang: Set("it".into()),
            email_verified_at: Set(Some(now)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
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
