//! The public catalogue of the sites online: the index of the versions
//! published (`index`), the filters a visitor sets in the address
//! (`filters`), full-text search in both languages (`search`) and the sites
//! grouped for the map (`map`), the open data made from it (`open_data`). Only what a publication froze is read here:
//! public fields, never the working copy or the proponent's data.

pub mod filters;
pub mod index;
pub mod map;
pub mod open_data;
pub mod search;

pub use filters::Filters;
pub use index::{bump, Catalogue, Loaded, Site};
