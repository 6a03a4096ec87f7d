//! Shared by the `forms` integration tests: a complete set of valid answers
//! for every field of a kind, derived from the call definition.
#![allow(dead_code)]

use forms::call::{Call, Kind, Lang};
use forms::template::{self, Prefill};
use forms::value::Cell;
use forms::{check_file, Report};
use std::collections::BTreeMap;

pub fn call() -> &'static Call {
    Call::embedded()
}

/// A valid value for every field of `kind` (see `forms::sample`).
pub fn valid_values(kind: Kind) -> Prefill {
    forms::sample::complete(kind)
}

/// The valid answers as the cells a person would type, in `lang`.
pub fn valid_cells(kind: Kind, lang: Lang) -> BTreeMap<String, Cell> {
    let call = call();
    valid_values(kind)
        .iter()
        .map(|(id, v)| {
            (
                id.clone(),
                template::to_cell(call, call.field(id).unwrap(), v, lang).unwrap(),
            )
        })
        .collect()
}

pub fn check_cells(kind: Kind, cells: &BTreeMap<String, Cell>) -> Report {
    let bytes = template::write_cells(call(), kind, Lang::It, cells).unwrap();
    check_file(call(), &bytes, Some(kind))
}

/// (field id, message key) of every error, sorted.
pub fn errors(report: &Report) -> Vec<(String, String)> {
    let mut out: Vec<_> = report
        .errors()
        .map(|p| (p.field.clone().unwrap_or_default(), p.message.key.clone()))
        .collect();
    out.sort();
    out
}

/// Whether a test that needs an outside program must fail, not skip, when the
/// program is missing: in CI, and in `./portal test`, which installs them all
/// first (it sets PORTAL_TEST_ALL). Only a bare `cargo test` may skip.
pub fn everything_required() -> bool {
    std::env::var("CI").as_deref() == Ok("true") || std::env::var_os("PORTAL_TEST_ALL").is_some()
}
