//! Email: queued in the `outbox` table inside the transaction of the change that
//! causes it, then delivered by a background worker with retries.

pub mod outbox;
pub mod transport;
pub mod worker;
