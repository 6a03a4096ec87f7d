//! The Opportunity Lombardy portal server: wires the `app` pages and the `forms`
//! texts to HTTP, the database and email.

pub mod accounts;
pub mod audit;
pub mod candidacies;
pub mod catalogue;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_pki;
pub mod email;
pub mod error;
pub mod fields;
pub mod heavy;
pub mod review;
pub mod seed;
pub mod signatures;
pub mod state;
pub mod web;

use clock::Clock;
use config::Config;
use state::AppState;

/// Connects to the database (running migrations) and builds the shared state.
pub async fn build_state(config: Config) -> Result<AppState, String> {
    let db = db::connect(&config.database_url, None).await.map_err(|e| {
        format!(
            "cannot open the database {}: {e}",
            redact(&config.database_url)
        )
    })?;
    // Once per database: records older than the frozen-parties column.
    candidacies::owners::freeze_missing(&db)
        .await
        .map_err(|e| format!("cannot freeze earlier submissions: {e}"))?;
    // Once per database: the history written before the audit log.
    match audit::import_history(&db).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(lines = n, "earlier history imported into the audit log"),
        Err(e) => return Err(format!("cannot import the history into the audit log: {e}")),
    }
    let clock = match config.fixed_now {
        Some(at) => Clock::fixed(at),
        None => Clock::system(),
    };
    let state = AppState::new(db, config, clock);
    // Once per database: submissions older than the frozen values.
    match candidacies::submission::freeze_missing_values(&state).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            candidacies = n,
            "template values frozen for earlier submissions"
        ),
        Err(e) => tracing::warn!(error = %e, "earlier submissions' values not frozen"),
    }
    Ok(state)
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}
