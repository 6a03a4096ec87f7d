//! Any bytes uploaded as a template: the reader answers with a report, never a
//! panic, a hang or an unbounded allocation (libFuzzer's -rss_limit_mb catches those).
#![no_main]

use forms::call::{Call, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The reader catches a parser's panic and answers "unreadable"; libFuzzer's hook would
    // abort on the panic before that. Keep panics that escape the reader fatal all the same:
    // libfuzzer-sys aborts on any panic that unwinds out of this closure.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let report = forms::check_file(Call::embedded(), data, Some(Kind::Settlement));
    // Every problem must render in both languages without a leftover placeholder.
    for p in &report.problems {
        for lang in [forms::Lang::It, forms::Lang::En] {
            assert!(!p.line(lang).contains("{"), "unfilled placeholder: {}", p.line(lang));
        }
    }
});
