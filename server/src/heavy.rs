//! The work whose cost grows with what an uploader sends: reading a
//! spreadsheet, decoding a picture, verifying a signature, making a PDF. It
//! runs on the blocking pool, at most `PORTAL_HEAVY_CHECKS` at a time; the
//! rest wait their turn with their upload on disk, not in memory. Reading the
//! file happens inside the turn, so memory is bounded by the number of turns,
//! not by the number of people uploading at once.

use crate::error::{AppError, AppResult};
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct Heavy(Arc<Semaphore>);

impl Heavy {
    pub fn new(at_once: usize) -> Heavy {
        Heavy(Arc::new(Semaphore::new(at_once.max(1))))
    }

    /// Runs `work` when a turn is free. The turn is held by the work itself,
    /// so a client that disconnects does not free it while the work goes on.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let turn = self
            .0
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work()
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
    }
}
