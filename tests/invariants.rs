//! Invariants checked after every tick, over random scenarios and rule
//! variants (proptest): each citizen in exactly one status and on the cell
//! the grid says, counts conserved, at most one agent per cell, jail terms
//! in range, no NaN in the metrics.

use proptest::prelude::*;
use stabsim::epstein::citizens::CitizenStatus;
use stabsim::epstein::state::SimState;
use stabsim::scenario::{
    ArrestRounding, CitizenStepOrder, JailCountdown, JailPlacement, JailTermRange,
    NeighbourhoodShape, Placement, Scenario, Topology,
};
use stabsim::world::{Cell, NO_CELL};

fn scenario() -> impl Strategy<Value = Scenario> {
    let rules = (
        prop_oneof![
            Just(NeighbourhoodShape::VonNeumann),
            Just(NeighbourhoodShape::Moore),
            Just(NeighbourhoodShape::Euclidean)
        ],
        prop_oneof![
            Just(ArrestRounding::None),
            Just(ArrestRounding::Floor),
            Just(ArrestRounding::Round)
        ],
        any::<bool>(), // jailed off the grid
        any::<bool>(), // exclusive jail terms
        any::<bool>(), // end-of-tick countdown
        any::<bool>(), // move then decide
        any::<bool>(), // cop moves to arrestee (only with leave_grid)
        any::<bool>(), // bounded grid
    );
    let numbers = (
        8u32..24,
        8u32..24,
        0.0f64..0.9,
        0.0f64..0.1,
        1u32..5,
        0.0f64..1.0,
        0u32..40,
        any::<bool>(),
        any::<u64>(),
        (1u32..5, any::<bool>(), 0u32..4),
    );
    (rules, numbers).prop_map(
        |(
            (shape, rounding, off, excl, eot, mtd, to_arrestee, bounded),
            (w, h, cd, kd, v, l, j, exact, seed, (cop_v, still, walls)),
        )| {
            let mut s = Scenario::default();
            s.world.width = w;
            s.world.height = h;
            s.world.topology = if bounded {
                Topology::Bounded
            } else {
                Topology::Torus
            };
            s.population.citizen_density = cd;
            s.population.cop_density = kd;
            s.population.placement = if exact {
                Placement::Exact
            } else {
                Placement::PerCell
            };
            s.citizens.vision = v;
            s.cops.vision = cop_v;
            s.rules.movement = !still;
            // A few blocked rows, as a map would have (sea, walls).
            let mut rows: Vec<String> = (0..h).map(|_| ".".repeat(w as usize)).collect();
            for k in 0..walls {
                let y = ((seed >> (8 * k)) % u64::from(h)) as usize;
                rows[y] = "#".repeat(w as usize);
            }
            rows[0] = ".".repeat(w as usize);
            s.world.map_inline = Some(rows.join("\n"));
            s.legitimacy.initial = l;
            s.cops.max_jail_term = j;
            s.cops.reductions = vec![stabsim::scenario::CopReduction {
                tick: 5,
                fraction: 0.3,
            }];
            s.run.seed = seed;
            let r = &mut s.rules;
            r.neighbourhood = shape;
            r.arrest_rounding = rounding;
            r.jailed = if off {
                JailPlacement::LeaveGrid
            } else {
                JailPlacement::StayOnCell
            };
            r.jail_term = if excl {
                JailTermRange::Exclusive
            } else {
                JailTermRange::Inclusive
            };
            r.jail_countdown = if eot {
                JailCountdown::EndOfTick
            } else {
                JailCountdown::AtActivation
            };
            r.citizen_step = if mtd {
                CitizenStepOrder::MoveThenDecide
            } else {
                CitizenStepOrder::DecideThenMove
            };
            r.cop_moves_to_arrestee = off && to_arrestee;
            s
        },
    )
}

/// Checks every invariant of one state; `citizens` is the population at tick 0.
fn check(state: &SimState, sc: &Scenario, citizens: usize) -> Result<(), TestCaseError> {
    let grid = state.grid();
    let cz = state.citizens();
    prop_assert_eq!(cz.len(), citizens, "citizens conserved");
    let (q, a, j) = state.status_counts();
    prop_assert_eq!(
        (q + a + j) as usize,
        citizens,
        "each citizen in exactly one status"
    );
    let mut on_grid = 0usize;
    for i in 0..cz.len() {
        let cell = cz.cell[i];
        let status = cz.status[i];
        if status != CitizenStatus::Jailed {
            prop_assert_eq!(cz.jail_left[i], 0, "free citizens owe no jail time");
        } else {
            prop_assert!(
                cz.jail_left[i] <= sc.cops.max_jail_term,
                "jail term in range"
            );
        }
        if cell == NO_CELL {
            prop_assert_eq!(
                status,
                CitizenStatus::Jailed,
                "only jailed citizens leave the grid"
            );
            prop_assert_eq!(sc.rules.jailed, JailPlacement::LeaveGrid);
            continue;
        }
        on_grid += 1;
        let expected = match status {
            CitizenStatus::Quiescent => Cell::Quiet,
            CitizenStatus::Active => Cell::Active,
            CitizenStatus::Jailed => Cell::Jailed,
        };
        prop_assert_eq!(grid.cell(cell), expected, "grid code matches status");
        prop_assert_eq!(
            grid.occupant(cell),
            i as u32,
            "citizen {} is where it thinks",
            i
        );
    }
    let cops = state.cops();
    let mut cops_on_grid = 0usize;
    for k in 0..cops.len() {
        if cops.on_duty[k] {
            cops_on_grid += 1;
            prop_assert_eq!(grid.cell(cops.cell[k]), Cell::Cop);
            prop_assert_eq!(grid.occupant(cops.cell[k]), k as u32);
        } else {
            prop_assert_eq!(cops.cell[k], NO_CELL);
        }
    }
    // At most one agent per cell: the occupied interior cells are exactly as
    // many as the agents on the grid (each agent's own cell checked above).
    let occupied = grid
        .open_cells()
        .iter()
        .filter(|&&c| grid.cell(c) != Cell::Empty)
        .count();
    prop_assert_eq!(occupied, on_grid + cops_on_grid, "one agent per cell");
    // Ghost cells mirror the interior cell they stand for (torus), so
    // neighbourhood scans across an edge see the live grid.
    for i in 0..grid.cells().len() as u32 {
        let c = grid.canonical(i);
        if sc.world.topology == Topology::Torus || c == i {
            prop_assert_eq!(grid.cell(i), grid.cell(c), "ghost {} out of date", i);
        }
    }
    for v in state.metrics() {
        prop_assert!(v.is_finite(), "metric is NaN or infinite");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn invariants_hold_every_tick(mut sc in scenario()) {
        let max_v = (sc.world.width.min(sc.world.height) - 1) / 2;
        sc.citizens.vision = sc.citizens.vision.min(max_v).max(1);
        sc.cops.vision = sc.cops.vision.min(max_v).max(1);
        let terrain = sc.world.terrain().unwrap();
        let mut state = SimState::new(&sc, &terrain, 3);
        let citizens = state.citizens().len();
        check(&state, &sc, citizens)?;
        for _ in 0..60 {
            state.step();
            check(&state, &sc, citizens)?;
        }
    }
}
