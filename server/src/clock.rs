//! The portal's notion of "now", injected so tests can stand at any instant
//! (for example one second before the submission deadline), and its reading
//! as wall-clock time in Rome, where the call's deadlines are set.

use app::view_data::RomeDateTime;
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Europe::Rome;
use std::sync::{Arc, RwLock};

#[derive(Clone)]
pub struct Clock(Arc<Inner>);

enum Inner {
    System,
    Fixed(RwLock<DateTime<Utc>>),
}

impl Clock {
    pub fn system() -> Clock {
        Clock(Arc::new(Inner::System))
    }

    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Inner::Fixed(RwLock::new(at))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Inner::System => Utc::now(),
            Inner::Fixed(at) => *at.read().expect("clock lock"),
        }
    }

    /// Moves a fixed clock; a system clock cannot be moved.
    pub fn set(&self, to: DateTime<Utc>) {
        match &*self.0 {
            Inner::System => panic!("Clock::set on the system clock"),
            Inner::Fixed(at) => *at.write().expect("clock lock") = to,
        }
    }

    pub fn advance(&self, by: chrono::Duration) {
        self.set(self.now() + by);
    }
}

/// An instant in Europe/Rome wall-clock terms, for display.
pub fn rome(at: DateTime<Utc>) -> RomeDateTime {
    let local = at.with_timezone(&Rome);
    RomeDateTime {
        year: local.year(),
        month: local.month(),
        day: local.day(),
        hour: local.hour(),
        minute: local.minute(),
        second: local.second(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rome_time_follows_summer_time() {
        let summer = DateTime::parse_from_rfc3339("2028-06-30T21:59:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!((rome(summer).hour, rome(summer).day), (23, 30));
        let winter = DateTime::parse_from_rfc3339("2028-01-01T00:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!((rome(winter).hour, rome(winter).minute), (1, 30));
    }
}
