//! The public catalogue of the sites online: the index of the versions
//! published (`index`), the filters a visitor sets in the address
//! (`filters`), full-text search in both languages (`search`) and the sites
//! grouped for the map (`map`), the open data made from it (`open_data`), investors' `saved`
//! searches and their emails. Only what a publication froze is read here:
//! public fields, never the working copy or the proponent's data.

pub mod filters;
pub mod index;
pub mod map;
pub mod open_data;
pub mod saved;
pub mod search;

pub use filters::Filters;
pub use index::{bump, Catalogue, Loaded, Site};

use app::Lang;

/// The list's address in `lang` (the pages, the emails about saved searches).
pub fn list_path(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "/opportunita",
        Lang::En => "/en/opportunities",
    }
}

/// A site's page in `lang`.
pub fn site_path(lang: Lang, reference: &str) -> String {
    format!("{}/{reference}", list_path(lang))
}
