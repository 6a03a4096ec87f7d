//! Public reference lists copied from `../shared/data` into `forms/data` and
//! embedded at build time: municipalities (ISTAT), ATECO 2025, province boundaries.

pub mod ateco;
pub mod municipalities;
pub mod provinces;

pub use ateco::Ateco;
pub use municipalities::{Municipalities, Municipality};
pub use provinces::{Frame, Placement, Provinces};
