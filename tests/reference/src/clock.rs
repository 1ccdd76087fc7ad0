//! The time the services read: the system clock, or a manual one that tests move forward to
//! prove that tokens expire without sleeping.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::lock;

/// A cloneable clock; clones of a manual clock share its time.
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<Mutex<SystemTime>>>);

impl Clock {
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that stands still at `start` until [`Clock::advance`]d.
    pub fn manual(start: SystemTime) -> Self {
        Self(Some(Arc::new(Mutex::new(start))))
    }

    pub fn now(&self) -> SystemTime {
        match &self.0 {
            Some(time) => *lock(time),
            None => SystemTime::now(),
        }
    }

    /// Moves a manual clock forward; returns `false` (and does nothing) on the system clock.
    pub fn advance(&self, by: Duration) -> bool {
        match &self.0 {
            Some(time) => {
                let mut time = lock(time);
                *time += by;
                true
            }
            None => false,
        }
    }

    /// Whole seconds since the Unix epoch (0 before it).
    pub fn unix_seconds(&self) -> u64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(_) => write!(f, "Clock::manual({:?})", self.now()),
            None => f.write_str("Clock::system"),
        }
    }
}
