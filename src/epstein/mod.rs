//! Epstein's (2002) civil violence Model I: citizens and cops on a grid,
//! the special case of stabsim that a scenario without `[mission]` runs,
//! docked against Mesa (`docs/DOCKING.md`). Pure: no I/O, no threads, no
//! printing.
//!
//! Read it in this order:
//!
//! * [`citizens`]: citizens as struct-of-arrays, and rule A (activation)
//!   with the arrest probability as plain functions;
//! * [`cops`]: cops as struct-of-arrays;
//! * [`legitimacy`]: the legitimacy schedule L(t);
//! * [`state`]: one replicate's state, built from a scenario and a
//!   replicate index;
//! * [`step`]: one tick as four numbered phases;
//! * [`metrics`]: the per-tick metrics and the per-run outcome.

pub mod citizens;
pub mod cops;
pub mod legitimacy;
pub mod metrics;
pub mod state;
pub mod step;

pub use metrics::{EPSTEIN_METRICS, RUN_COLUMNS, RunOutcome, outcome};
pub use state::SimState;
