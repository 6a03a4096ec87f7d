//! Live "time left" until the submission deadline.
//! The server renders the figures at request time; in the browser they tick every second.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountdownLabels {
    pub days: String,
    pub hours: String,
    pub minutes: String,
    pub seconds: String,
    pub closed: String,
}

/// Days, hours, minutes and seconds in `ms` milliseconds; `None` once it is over.
pub fn split_remaining(ms: i64) -> Option<[i64; 4]> {
    if ms < 0 {
        return None;
    }
    let s = ms / 1000;
    Some([s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60])
}

#[island]
pub fn Countdown(deadline_ms: i64, now_ms: i64, labels: CountdownLabels) -> impl IntoView {
    let (now, _set_now) = signal(now_ms);
    // Start ticking only after hydration, so the first paint matches the server's HTML.
    #[cfg(feature = "hydrate")]
    set_interval(
        move || _set_now.set(js_sys::Date::now() as i64),
        std::time::Duration::from_secs(1),
    );
    let labels_view = labels.clone();
    let units = move || {
        let names = [
            &labels_view.days,
            &labels_view.hours,
            &labels_view.minutes,
            &labels_view.seconds,
        ];
        match split_remaining(deadline_ms - now.get()) {
            Some(parts) => parts
                .iter()
                .zip(names)
                .map(|(value, name)| {
                    view! {
                        <span class="countdown-unit">
                            <span class="countdown-value">{*value}</span>
                            " "
                            <span class="countdown-label">{name.clone()}</span>
                        </span>
                    }
                    .into_any()
                })
                .collect::<Vec<_>>(),
            None => vec![
                view! { <span class="countdown-closed">{labels_view.closed.clone()}</span> }
                    .into_any(),
            ],
        }
    };
    view! { <p class="countdown" role="timer">{units}</p> }
}

#[cfg(test)]
mod tests {
    use super::split_remaining;

    #[test]
    fn splits_into_units() {
        let ms = ((2 * 86_400 + 3 * 3600 + 4 * 60 + 5) * 1000) + 999;
        assert_eq!(split_remaining(ms), Some([2, 3, 4, 5]));
        assert_eq!(split_remaining(0), Some([0, 0, 0, 0]));
        assert_eq!(split_remaining(-1), None);
    }
}
