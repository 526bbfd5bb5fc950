//! The shipped theatre maps (`scenarios/maps/`): Gaza and Mali load through
//! the same scenario code, with sectors and crossings, and the same
//! simulation runs on both. No theatre has code of its own.

use std::collections::VecDeque;
use std::path::Path;

use stabsim::scenario::{Scenario, SectorMap, Terrain, TerrainMap, load};

const DIR: &str = "tests/fixtures/scenarios";

/// A shipped theatre: its fixture, size, sector names, border crossings
/// and river crossings (characters of its map).
struct Theatre {
    fixture: &'static str,
    size: (u32, u32),
    sectors: &'static [&'static str],
    border_crossings: &'static [char],
    river_crossings: &'static [char],
    towns: &'static [char],
}

const GAZA: Theatre = Theatre {
    fixture: "gaza.toml",
    size: (56, 160),
    sectors: &[
        "North Gaza",
        "Gaza City",
        "Deir al-Balah",
        "Khan Younis",
        "Rafah",
    ],
    border_crossings: &['Z', 'E', 'K', 'R'],
    river_crossings: &[],
    towns: &['u', 'r'],
};

const MALI: Theatre = Theatre {
    fixture: "mali.toml",
    size: (64, 80),
    sectors: &["Timbuktu", "Gao", "Kidal", "Mopti", "Ménaka"],
    border_crossings: &['B', 'T', 'A', 'L', 'O', 'F'],
    river_crossings: &['m', 'k', 'g'],
    towns: &['u'],
};

struct Loaded {
    scenario: Scenario,
    terrain: TerrainMap,
    sectors: SectorMap,
    rows: Vec<Vec<char>>,
}

fn load_theatre(theatre: &Theatre) -> Loaded {
    let path = Path::new(DIR).join(theatre.fixture);
    let scenario = load(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
    let terrain = scenario.world.terrain().unwrap();
    let sectors = scenario.world.sectors().unwrap().unwrap();
    let rows = scenario
        .world
        .map_inline
        .as_deref()
        .unwrap()
        .lines()
        .map(|row| row.chars().collect())
        .collect();
    Loaded {
        scenario,
        terrain,
        sectors,
        rows,
    }
}

impl Loaded {
    /// The one cell holding map character `ch`.
    fn only(&self, ch: char) -> (u32, u32) {
        let found: Vec<(u32, u32)> = self.cells().filter(|&(x, y)| self.ch(x, y) == ch).collect();
        assert_eq!(found.len(), 1, "character {ch}: {found:?}");
        found[0]
    }

    fn cells(&self) -> impl Iterator<Item = (u32, u32)> + use<> {
        let (width, height) = (self.terrain.width, self.terrain.height);
        (0..height).flat_map(move |y| (0..width).map(move |x| (x, y)))
    }

    fn ch(&self, x: u32, y: u32) -> char {
        self.rows[y as usize][x as usize]
    }

    /// The terrain `(dx, dy)` from `(x, y)`; off the map reads as blocked.
    fn near(&self, (x, y): (u32, u32), (dx, dy): (i32, i32)) -> Terrain {
        let (nx, ny) = (x.wrapping_add_signed(dx), y.wrapping_add_signed(dy));
        if nx < self.terrain.width && ny < self.terrain.height {
            self.terrain.at(nx, ny)
        } else {
            Terrain::Blocked
        }
    }

    /// Passable cells reached from `start` by steps to the four neighbours.
    fn reachable(&self, start: (u32, u32)) -> Vec<bool> {
        let width = self.terrain.width as usize;
        let mut seen = vec![false; self.terrain.cells.len()];
        let mut queue = VecDeque::from([start]);
        seen[start.1 as usize * width + start.0 as usize] = true;
        while let Some(cell) = queue.pop_front() {
            for step in STEPS {
                if !self.near(cell, step).is_passable() {
                    continue;
                }
                let next = (
                    cell.0.wrapping_add_signed(step.0),
                    cell.1.wrapping_add_signed(step.1),
                );
                let i = next.1 as usize * width + next.0 as usize;
                if !seen[i] {
                    seen[i] = true;
                    queue.push_back(next);
                }
            }
        }
        seen
    }
}

const STEPS: [(i32, i32); 4] = [(0, -1), (0, 1), (-1, 0), (1, 0)];

fn check_map(theatre: &Theatre) {
    let loaded = load_theatre(theatre);
    let (terrain, sectors) = (&loaded.terrain, &loaded.sectors);
    assert_eq!((terrain.width, terrain.height), theatre.size);
    assert_eq!((sectors.width, sectors.height), theatre.size);
    assert_eq!(sectors.names, theatre.sectors);
    // Every named sector has passable cells; impassable lines and the
    // outside have no sector.
    for index in 0..theatre.sectors.len() {
        let passable = (0..terrain.cells.len())
            .filter(|&i| sectors.cells[i] == Some(index as u16) && terrain.cells[i].is_passable())
            .count();
        assert!(
            passable > 100,
            "{}: sector {} has {passable} passable cells",
            theatre.fixture,
            theatre.sectors[index]
        );
    }
    for (i, &t) in terrain.cells.iter().enumerate() {
        if matches!(t, Terrain::Sea | Terrain::Border | Terrain::Blocked) {
            assert_eq!(
                sectors.cells[i], None,
                "{}: cell {i} is {t:?}",
                theatre.fixture
            );
        }
    }
    // Each border crossing is one cell on the border line: border on both
    // sides along the line, the outside (blocked) on one side across it and
    // passable ground on the other.
    for &name in theatre.border_crossings {
        let cell = loaded.only(name);
        assert_eq!(terrain.at(cell.0, cell.1), Terrain::Crossing);
        let across = STEPS.iter().any(|&(dx, dy)| {
            loaded.near(cell, (dx, dy)) == Terrain::Blocked
                && loaded.near(cell, (-dx, -dy)).is_passable()
                && loaded.near(cell, (dy, dx)) == Terrain::Border
                && loaded.near(cell, (-dy, -dx)) == Terrain::Border
        });
        assert!(
            across,
            "{}: crossing {name} is not on a border line",
            theatre.fixture
        );
        assert!(sectors.at(cell.0, cell.1).is_some(), "crossing {name}");
    }
    // Each river crossing is one cell of the river (blocked) with the river
    // on two opposite sides and passable banks on the other two.
    for &name in theatre.river_crossings {
        let cell = loaded.only(name);
        assert_eq!(terrain.at(cell.0, cell.1), Terrain::Crossing);
        let bridge = STEPS.iter().any(|&(dx, dy)| {
            loaded.near(cell, (dx, dy)) == Terrain::Blocked
                && loaded.near(cell, (-dx, -dy)) == Terrain::Blocked
                && loaded.near(cell, (dy, dx)).is_passable()
                && loaded.near(cell, (-dy, -dx)).is_passable()
        });
        assert!(
            bridge,
            "{}: crossing {name} does not span the river",
            theatre.fixture
        );
    }
    // All of the theatre's ground is one piece, step by step: every town
    // and every crossing is reached from the first town.
    let towns: Vec<(u32, u32)> = loaded
        .cells()
        .filter(|&(x, y)| theatre.towns.contains(&loaded.ch(x, y)))
        .collect();
    assert!(
        towns.len() > 20,
        "{}: {} town cells",
        theatre.fixture,
        towns.len()
    );
    let reached = loaded.reachable(towns[0]);
    let crossings = theatre
        .border_crossings
        .iter()
        .chain(theatre.river_crossings);
    for (x, y) in towns
        .iter()
        .copied()
        .chain(crossings.map(|&c| loaded.only(c)))
    {
        let i = y as usize * terrain.width as usize + x as usize;
        assert!(reached[i], "{}: ({x}, {y}) is cut off", theatre.fixture);
    }
}

fn check_run(theatre: &Theatre) {
    let loaded = load_theatre(theatre);
    let (scenario, terrain) = (&loaded.scenario, &loaded.terrain);
    let series = stabsim::model::run_replicate(scenario, terrain, 0);
    let ticks = scenario.run.ticks as usize;
    assert_eq!(series.len(), ticks + 1);
    let citizens = |t: usize| {
        let row = series.row(t);
        row[0] + row[1] + row[2]
    };
    let start = citizens(0);
    let passable = terrain.passable_cells() as f64;
    let density = scenario.population.citizen_density;
    assert!(
        start > 0.5 * density * passable && start < 1.5 * density * passable,
        "{}: {start} citizens on {passable} passable cells",
        theatre.fixture
    );
    for t in 0..=ticks {
        assert_eq!(
            citizens(t),
            start,
            "{}: citizens at tick {t}",
            theatre.fixture
        );
    }
}

#[test]
fn gaza_map_has_its_sectors_and_crossings() {
    check_map(&GAZA);
}

#[test]
fn mali_map_has_its_sectors_and_crossings() {
    check_map(&MALI);
}

#[test]
fn the_same_simulation_runs_on_both_theatres() {
    check_run(&GAZA);
    check_run(&MALI);
}

#[test]
fn mali_regions_lie_where_they_should() {
    let loaded = load_theatre(&MALI);
    // Each crossing lies in the region of the route or town it serves.
    for (ch, region) in [
        ('B', "Kidal"),
        ('T', "Kidal"),
        ('A', "Ménaka"),
        ('L', "Gao"),
        ('O', "Mopti"),
        ('F', "Timbuktu"),
        ('m', "Mopti"),
        ('k', "Timbuktu"),
        ('g', "Gao"),
    ] {
        let (x, y) = loaded.only(ch);
        let index = loaded.sectors.at(x, y).unwrap();
        assert_eq!(
            loaded.sectors.names[usize::from(index)],
            region,
            "crossing {ch}"
        );
    }
    // North at the top: Kidal lies north of Gao, Gao north of Mopti.
    let mean_row = |name: &str| {
        let index = loaded.sectors.names.iter().position(|n| n == name).unwrap() as u16;
        let rows: Vec<u32> = loaded
            .cells()
            .filter(|&(x, y)| loaded.sectors.at(x, y) == Some(index))
            .map(|(_, y)| y)
            .collect();
        f64::from(rows.iter().sum::<u32>()) / rows.len() as f64
    };
    assert!(mean_row("Kidal") < mean_row("Gao"));
    assert!(mean_row("Gao") < mean_row("Mopti"));
}
