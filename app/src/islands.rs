//! Interactive islands: the only parts of a page that ship WebAssembly.
//! Each renders meaningful HTML on the server, so the page works without JavaScript.

pub mod countdown;
pub mod file_chooser;
pub mod map_zoom;
