//! The back office's review of candidacies (the *istruttoria* of DGR XII/4959
//! §4.2): the queue officers work from, taking a candidacy in charge,
//! asking for integration, deciding it and publishing it. Every change of
//! status goes through `candidacies::status`.

pub mod answers;
pub mod dashboard;
pub mod decisions;
pub mod exports;
pub mod integration;
pub mod notes;
pub mod plausibility;
pub mod publication;
pub mod queue;
