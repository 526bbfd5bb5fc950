//! Random streams. A replicate's streams derive from (master seed, replicate
//! index, purpose) only, never from thread identity or timing, so a batch
//! gives the same bytes with any number of threads. Each purpose has its own
//! stream so that a change touching one process (say, a cop reduction) does
//! not shift the draws of another (say, where citizens move): the basis for
//! common random numbers when mandates are compared.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used everywhere: portable and value-stable across
/// platforms and versions of rand_xoshiro (unlike `SmallRng`).
pub type SimRng = Xoshiro256PlusPlus;

/// What a stream is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// Initial placement and fixed traits.
    World = 1,
    /// The random activation order, reshuffled every tick.
    Schedule = 2,
    /// Agents' choices: where to move, whom to arrest, jail terms.
    Actions = 3,
    /// Scheduled interventions such as cop reductions.
    Events = 4,
    /// Mission model: fighters' choices and the outcomes of incidents.
    Fighters = 5,
    /// Mission model: mission units' choices.
    Forces = 6,
    /// Mission model: the counter-terror track.
    CounterTerror = 7,
    /// Mission model: the external military.
    External = 8,
    /// Mission model: humanitarian convoys.
    Humanitarian = 9,
    /// Mission model: parties' returns to war.
    War = 10,
    /// Mission model: clashes between factions.
    Clashes = 11,
}

/// SplitMix64's finaliser: a bijective 64-bit mixer.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream for `purpose` in replicate `replicate` of a batch seeded `seed`.
pub fn stream(seed: u64, replicate: u64, purpose: Stream) -> SimRng {
    let key = mix(mix(mix(seed) ^ replicate) ^ purpose as u64);
    SimRng::seed_from_u64(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: u64 = stream(7, 3, Stream::Actions).random();
        let b: u64 = stream(7, 3, Stream::Actions).random();
        assert_eq!(a, b);
        let others = [
            stream(7, 3, Stream::World).random::<u64>(),
            stream(7, 4, Stream::Actions).random::<u64>(),
            stream(8, 3, Stream::Actions).random::<u64>(),
        ];
        assert!(others.iter().all(|&o| o != a));
    }

    #[test]
    fn first_draw_is_pinned() {
        // Guards value stability: a change of generator or derivation would
        // silently change every published result.
        let x: u64 = stream(1, 0, Stream::World).random();
        assert_eq!(x, PINNED_FIRST_DRAW);
    }

    const PINNED_FIRST_DRAW: u64 = 15_953_810_294_117_694_994;
}
