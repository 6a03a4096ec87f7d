//! The Excel template: its layout (shared by the writer and the reader), the
//! writer, and the reader that turns an uploaded file back into typed values.

pub mod guard;
pub mod layout;
pub mod reader;
pub mod writer;

pub use reader::{read, ReadError, Upload};
pub use writer::{to_cell, write, write_cells, Prefill, WriteError};
