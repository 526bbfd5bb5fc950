//! The agents, as struct-of-arrays populations. Their rules are plain
//! functions here; the order in which they act is in [`crate::sim`].

pub mod citizens;
pub mod cops;

pub use citizens::{CitizenStatus, Citizens, arrest_probability, is_active};
pub use cops::Cops;
