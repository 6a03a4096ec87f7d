//! One module per page family. Each public function renders a complete page.

pub mod account;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod candidacies;
pub mod catalogue;
pub mod dashboard;
pub mod home;
pub mod info;
pub mod profile;
pub mod review;
pub mod saved;
pub mod second_factor;
pub mod signed_forms;
pub mod staff;
pub mod submission;

use crate::i18n::{t, Lang};
use crate::view_data::RomeDateTime;

/// "30 giugno 2028" / "30 June 2028".
pub fn format_date(lang: Lang, at: &RomeDateTime) -> String {
    let month = t(lang, &format!("time.months.{}", at.month.saturating_sub(1)));
    format!("{} {month} {}", at.day, at.year)
}

/// "30 giugno 2028, ore 23:59:59 (ora italiana)" / "30 June 2028 at 23:59:59 (Italian time)".
pub fn format_datetime(lang: Lang, at: &RomeDateTime) -> String {
    let sep = if lang == Lang::It { ", " } else { " " };
    format!(
        "{}{sep}{} {:02}:{:02}:{:02} ({})",
        format_date(lang, at),
        t(lang, "time.at"),
        at.hour,
        at.minute,
        at.second,
        t(lang, "time.rome")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let at = RomeDateTime {
            year: 2028,
            month: 6,
            day: 30,
            hour: 23,
            minute: 59,
            second: 59,
        };
        assert_eq!(
            format_datetime(Lang::It, &at),
            "30 giugno 2028, ore 23:59:59 (ora italiana)"
        );
        assert_eq!(
            format_datetime(Lang::En, &at),
            "30 June 2028 at 23:59:59 (Italian time)"
        );
    }
}
