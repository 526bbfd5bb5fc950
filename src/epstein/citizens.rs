//! Citizens: Epstein's "agents". Fixed traits (hardship H, risk aversion R),
//! a status, and the activation rule A: active when G − N > T, with
//! grievance G = H·(1 − L) and net risk N = R·P.

use crate::scenario::ArrestRounding;
use crate::world::{CellIndex, NO_CELL};

/// A citizen's status. Every citizen is in exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CitizenStatus {
    /// Not rebelling.
    Quiescent,
    /// Openly rebelling (rule A fired).
    Active,
    /// In jail for `jail_left` more countdowns.
    Jailed,
}

/// All citizens, struct-of-arrays: index `i` of each vector is citizen `i`.
#[derive(Debug, Clone, Default)]
pub struct Citizens {
    /// Perceived hardship H in [0, 1], fixed.
    pub hardship: Vec<f64>,
    /// Risk aversion R in [0, 1], fixed.
    pub risk_aversion: Vec<f64>,
    /// Current status.
    pub status: Vec<CitizenStatus>,
    /// Remaining jail countdowns (meaningful while jailed).
    pub jail_left: Vec<u32>,
    /// Current cell, or [`NO_CELL`] while jailed off the grid.
    pub cell: Vec<CellIndex>,
    /// Cell of the last arrest: where a citizen jailed off the grid returns.
    pub arrest_cell: Vec<CellIndex>,
}

impl Citizens {
    /// Adds a quiescent citizen on `cell`; returns its id.
    pub fn push(&mut self, cell: CellIndex, hardship: f64, risk_aversion: f64) -> u32 {
        self.hardship.push(hardship);
        self.risk_aversion.push(risk_aversion);
        self.status.push(CitizenStatus::Quiescent);
        self.jail_left.push(0);
        self.cell.push(cell);
        self.arrest_cell.push(NO_CELL);
        (self.hardship.len() - 1) as u32
    }

    /// Number of citizens.
    pub fn len(&self) -> usize {
        self.hardship.len()
    }

    /// Whether there are no citizens.
    pub fn is_empty(&self) -> bool {
        self.hardship.is_empty()
    }
}

/// Epstein's estimated arrest probability P = 1 − exp(−k·f(C/A)), where
/// `actives` counts the citizen itself (A ≥ 1) and f is the rounding rule.
#[inline]
pub fn arrest_probability(k: f64, rounding: ArrestRounding, cops: u32, actives: u32) -> f64 {
    arrest_probability_of_ratio(k, rounding, f64::from(cops) / f64::from(actives))
}

/// [`arrest_probability`] of a ratio C/A already formed: the mission model
/// forms it from people-weighted counts (`src/mission/civilians.rs`).
#[inline]
pub fn arrest_probability_of_ratio(k: f64, rounding: ArrestRounding, ratio: f64) -> f64 {
    let f = match rounding {
        ArrestRounding::None => ratio,
        ArrestRounding::Floor => ratio.floor(),
        // Python's round(): half to even, as Mesa.
        ArrestRounding::Round => ratio.round_ties_even(),
    };
    1.0 - (-k * f).exp()
}

/// Rule A: whether a citizen with hardship `h` and risk aversion `r`, facing
/// legitimacy `l` and arrest probability `p`, turns (or stays) active.
#[inline]
pub fn is_active(h: f64, r: f64, l: f64, p: f64, threshold: f64) -> bool {
    let grievance = h * (1.0 - l);
    let net_risk = r * p;
    grievance - net_risk > threshold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrest_probability_follows_each_rounding_rule() {
        let k = 2.3;
        // C/A = 1/2: round-half-even gives 0, floor 0, none 0.5.
        assert_eq!(arrest_probability(k, ArrestRounding::Round, 1, 2), 0.0);
        assert_eq!(arrest_probability(k, ArrestRounding::Floor, 1, 2), 0.0);
        let p = arrest_probability(k, ArrestRounding::None, 1, 2);
        assert!((p - (1.0 - (-1.15f64).exp())).abs() < 1e-15);
        // C/A = 3/2: round gives 2, floor 1.
        let p2 = 1.0 - (-4.6f64).exp();
        assert!((arrest_probability(k, ArrestRounding::Round, 3, 2) - p2).abs() < 1e-15);
        let p1 = 1.0 - (-2.3f64).exp();
        assert!((arrest_probability(k, ArrestRounding::Floor, 3, 2) - p1).abs() < 1e-15);
        // C/A = 5/2 = 2.5: half to even gives 2, not 3.
        assert!((arrest_probability(k, ArrestRounding::Round, 5, 2) - p2).abs() < 1e-15);
        // The paper's calibration: P ≈ 0.9 at C = A = 1.
        assert!((arrest_probability(k, ArrestRounding::None, 1, 1) - 0.8997).abs() < 1e-4);
        assert_eq!(arrest_probability(k, ArrestRounding::None, 0, 1), 0.0);
    }

    #[test]
    fn rule_a_compares_grievance_minus_risk_with_threshold() {
        // G = 0.9·(1 − 0.5) = 0.45; N = 0.5·0.6 = 0.3; G − N = 0.15 > 0.1.
        assert!(is_active(0.9, 0.5, 0.5, 0.6, 0.1));
        // Equality is not enough (strict >).
        assert!(!is_active(0.4, 0.0, 0.5, 0.0, 0.2));
        // Full legitimacy: no grievance, never active.
        assert!(!is_active(1.0, 0.0, 1.0, 0.0, 0.0));
    }
}
