//! The command line's own modules (the binary's, not the library's): the
//! shipped pack's listing and export, and what `main.rs` dispatches to.

pub mod docs;
pub mod first_minute;
pub mod help;
pub mod params;
pub mod progress;
pub mod scenarios;
