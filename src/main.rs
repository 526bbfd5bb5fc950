//! The `stabsim` command line (in progress).
fn main() {}
