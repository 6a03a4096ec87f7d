//! The portal's notion of "now", injected so tests can stand at any instant
//! (for example one second before the submission deadline).

use chrono::{DateTime, Utc};
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
