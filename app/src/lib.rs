//! The portal's user interface: pages rendered on the server, plus the few
//! interactive islands compiled to WebAssembly.
//!
//! `app` knows nothing of SQL or HTTP: the server loads the data, fills the
//! view structs defined here and calls [`page::render`].

pub mod i18n;
pub mod islands;
pub mod marks;
pub mod view_data;

#[cfg(feature = "ssr")]
pub mod components;
#[cfg(feature = "ssr")]
pub mod layout;
#[cfg(feature = "ssr")]
pub mod map;
#[cfg(feature = "ssr")]
pub mod page;
#[cfg(feature = "ssr")]
pub mod pages;

pub use i18n::Lang;

/// Entry point of the WebAssembly bundle: wakes up the islands on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
