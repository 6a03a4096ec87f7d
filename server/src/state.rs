//! What every request handler and background job shares.

use crate::catalogue::Catalogue;
use crate::clock::Clock;
use crate::config::Config;
use crate::heavy::Heavy;
use crate::signatures::TrustAnchors;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub leptos: LeptosOptions,
    /// The certification authorities signed forms must chain to.
    pub anchors: Arc<TrustAnchors>,
    /// Turns for the checks whose cost an uploader controls.
    pub heavy: Heavy,
    /// The public catalogue, indexed in memory (rebuilt when what is online changes).
    pub catalogue: Arc<Catalogue>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config, clock: Clock) -> AppState {
        let leptos = LeptosOptions::builder()
            .output_name("app")
            .site_root(config.site_dir.display().to_string())
            .site_pkg_dir("pkg")
            .build();
        // Config::from_env has checked the file; a test config may point anywhere.
        let anchors = match &config.trust_anchors {
            Some(path) => TrustAnchors::load(path).expect("PORTAL_TRUST_ANCHORS loads"),
            None => TrustAnchors::none(),
        };
        AppState {
            anchors: Arc::new(anchors),
            heavy: Heavy::new(config.limits.heavy_checks),
            catalogue: Arc::new(Catalogue::new(config.limits.catalogue_recheck)),
            db,
            config: Arc::new(config),
            clock,
            leptos,
        }
    }

    /// Absolute URL of a page, for emails.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.config.public_url)
    }
}
