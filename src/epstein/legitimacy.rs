//! Regime legitimacy over time: constant, a sudden drop, or a linear change
//! (Epstein 2002's sudden-versus-gradual experiments).

use crate::scenario::{LegitimacyConfig, LegitimacyShape};

/// Legitimacy L(t) as a checked schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Legitimacy {
    /// L = value throughout.
    Constant(f64),
    /// L = `before` for t < `at`, `after` from tick `at` on.
    Drop {
        /// Level before the drop.
        before: f64,
        /// Level from tick `at` on.
        after: f64,
        /// Tick of the drop.
        at: u32,
    },
    /// `from` until tick `start`, linear to `to` at tick `end`, then `to`.
    Linear {
        /// Level until `start`.
        from: f64,
        /// Level from `end` on.
        to: f64,
        /// Start tick of the change.
        start: u32,
        /// End tick of the change (> `start`).
        end: u32,
    },
}

impl Legitimacy {
    /// The schedule a (validated) scenario describes.
    pub fn from_config(c: &LegitimacyConfig) -> Self {
        match c.shape {
            LegitimacyShape::Constant => Self::Constant(c.initial),
            LegitimacyShape::Drop => Self::Drop {
                before: c.initial,
                after: c.target,
                at: c.start_tick,
            },
            // A "linear" change over zero ticks is a drop.
            LegitimacyShape::Linear if c.end_tick <= c.start_tick => Self::Drop {
                before: c.initial,
                after: c.target,
                at: c.start_tick,
            },
            LegitimacyShape::Linear => Self::Linear {
                from: c.initial,
                to: c.target,
                start: c.start_tick,
                end: c.end_tick,
            },
        }
    }

    /// L at tick `t` (tick 0 is the initial state).
    pub fn at(&self, t: u32) -> f64 {
        match *self {
            Self::Constant(l) => l,
            Self::Drop { before, after, at } => {
                if t < at {
                    before
                } else {
                    after
                }
            }
            Self::Linear {
                from,
                to,
                start,
                end,
            } => {
                if t <= start {
                    from
                } else if t >= end {
                    to
                } else {
                    let s = f64::from(t - start) / f64::from(end - start);
                    from + (to - from) * s
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(shape: LegitimacyShape, start: u32, end: u32) -> LegitimacyConfig {
        LegitimacyConfig {
            shape,
            initial: 0.9,
            target: 0.5,
            start_tick: start,
            end_tick: end,
        }
    }

    #[test]
    fn drop_switches_at_its_tick() {
        let l = Legitimacy::from_config(&cfg(LegitimacyShape::Drop, 10, 0));
        assert_eq!(l.at(9), 0.9);
        assert_eq!(l.at(10), 0.5);
        assert_eq!(l.at(1000), 0.5);
    }

    #[test]
    fn linear_interpolates_between_its_ticks() {
        let l = Legitimacy::from_config(&cfg(LegitimacyShape::Linear, 100, 200));
        assert_eq!(l.at(50), 0.9);
        assert_eq!(l.at(100), 0.9);
        assert!((l.at(150) - 0.7).abs() < 1e-12);
        assert_eq!(l.at(200), 0.5);
        assert_eq!(l.at(201), 0.5);
    }

    #[test]
    fn constant_ignores_target() {
        let l = Legitimacy::from_config(&cfg(LegitimacyShape::Constant, 1, 2));
        assert_eq!(l.at(5), 0.9);
    }
}
