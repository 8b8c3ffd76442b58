//! What every other layer stands on: the error type, the seeded RNG, the clock, the thread
//! pieces and the hyperparameter schema. Imports nothing from the crate above it.

pub mod clock;
pub mod error;
pub mod json;
pub mod memory;
pub mod par;
pub mod py;
pub mod rng;
pub mod schema;
pub mod shared_memory;
pub mod sort;
