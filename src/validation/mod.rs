//! Validation against independent implementations: docking (distributional
//! equivalence of per-run outcomes, Axtell et al. 1996) and tick timing for
//! side-by-side speed comparisons.

mod dock;
mod reference;
mod timing;

pub use dock::{DOCKED_OUTCOMES, DockError, DockReport, DockTest, dock, dock_outcomes};
pub use reference::{ReferenceError, ReferenceRuns};
pub use timing::{TimingReport, time_ticks};
