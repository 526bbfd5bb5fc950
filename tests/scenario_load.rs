//! Loading scenarios: `extends`, `--set`, maps, and one located line for
//! every error. Messages are asserted in full, so a wrong file, line,
//! column or field fails the test.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use stabsim::scenario::{
    NeighbourhoodShape, Scenario, ScenarioError, Terrain, Topology, load, load_str,
};

const DIR: &str = "tests/fixtures/scenarios";

fn fixture(name: &str) -> PathBuf {
    Path::new(DIR).join(name)
}

fn sets(overrides: &[&str]) -> Vec<String> {
    overrides.iter().map(|s| s.to_string()).collect()
}

/// The one-line message of loading fixture `name` with `overrides`.
fn error(name: &str, overrides: &[&str]) -> String {
    match load(&fixture(name), &sets(overrides)) {
        Ok(_) => panic!("{name} loaded without error"),
        Err(e) => e.to_string(),
    }
}

fn ok(name: &str, overrides: &[&str]) -> Scenario {
    load(&fixture(name), &sets(overrides)).unwrap_or_else(|e| panic!("{e}"))
}

/// Writes `files` (name, text) into a fresh directory.
fn temp_files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

// --- Unknown keys, types, ranges -------------------------------------------

#[test]
fn unknown_key_suggests_the_nearest_field_at_the_key() {
    assert_eq!(
        error("unknown_key.toml", &[]),
        "tests/fixtures/scenarios/unknown_key.toml:5:3: field citizens.visoin: unknown key; \
         did you mean `vision`? (expected one of `vision`, `threshold`, `arrest_constant`, \
         `hardship`, `risk_aversion`)"
    );
}

#[test]
fn unknown_top_level_key_without_a_close_name() {
    let message = load_str("zzzz = 1\n", "s.toml", &[])
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("s.toml:1:1: field zzzz: unknown key (expected one of `name`, "),
        "{message}"
    );
}

#[test]
fn wrong_type_points_at_the_value() {
    assert_eq!(
        error("wrong_type.toml", &[]),
        "tests/fixtures/scenarios/wrong_type.toml:2:10: field citizens.vision: invalid type: \
         string \"seven\" (expected an integer in 1..=50)"
    );
}

#[test]
fn negative_integer_for_unsigned_field() {
    assert_eq!(
        load_str("[run]\nseed = -3\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:2:8: field run.seed: invalid value: integer `-3` (expected an integer in \
         0..=9_223_372_036_854_775_807)"
    );
}

#[test]
fn table_where_a_number_belongs() {
    assert_eq!(
        load_str("[run]\nticks = { a = 1 }\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:2:9: field run.ticks: invalid type: table (expected an integer in 1..=1_000_000)"
    );
}

#[test]
fn unknown_key_in_an_array_of_tables() {
    let text = "[run]\nticks = 100\nburn_in = 0\n\n[[cops.reductions]]\ntick = 5\ntik = 6\n";
    assert_eq!(
        load_str(text, "s.toml", &[]).unwrap_err().to_string(),
        "s.toml:7:1: field cops.reductions[0].tik: unknown key; did you mean `tick`? (expected \
         `tick` or `fraction`)"
    );
}

#[test]
fn unknown_table_suggests_at_its_header() {
    assert_eq!(
        load_str("[citizen]\nvision = 3\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:1:2: field citizen: unknown key; did you mean `citizens`? (expected one of \
         `name`, `description`, `extends`, `run`, `world`, `population`, `citizens`, \
         `legitimacy`, `cops`, `rules`, `metrics`, `mission`)"
    );
}

#[test]
fn enum_field_given_a_number() {
    assert_eq!(
        load_str("world.topology = 3\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:1:18: field world.topology: invalid type: integer `3` (expected \"torus\" or \
         \"bounded\")"
    );
}

#[test]
fn datetime_is_not_a_string() {
    assert_eq!(
        load_str("name = 1979-05-27\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:1:8: field name: invalid type: datetime `1979-05-27` (expected a non-empty name \
         of letters, digits, `_`, `-` and `.`, not starting with `.`)"
    );
    // From the shell, a date-like value can only mean its text.
    let scenario = load_str("", "s.toml", &sets(&["name=2024-06-01"])).unwrap();
    assert_eq!(scenario.name, "2024-06-01");
}

#[test]
fn enum_typo_suggests_the_variant() {
    assert_eq!(
        load_str("[rules]\nneighbourhood = \"moor\"\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:2:17: field rules.neighbourhood: unknown value \"moor\"; did you mean \"moore\"? \
         (expected one of \"von_neumann\", \"moore\", \"euclidean\")"
    );
}

#[test]
fn out_of_range_points_at_the_value() {
    assert_eq!(
        error("out_of_range.toml", &[]),
        "tests/fixtures/scenarios/out_of_range.toml:2:10: field cops.vision: 0 is out of range \
         (expected an integer in 1..=50)"
    );
}

#[test]
fn nan_is_rejected() {
    assert_eq!(
        error("nan.toml", &[]),
        "tests/fixtures/scenarios/nan.toml:2:11: field legitimacy.initial: nan is not a finite \
         number (expected a number in 0..=1)"
    );
}

#[test]
fn density_sum_above_one() {
    assert_eq!(
        error("density.toml", &[]),
        "tests/fixtures/scenarios/density.toml:2:19: field population.citizen_density: 0.8 plus \
         population.cop_density = 0.3 is 1.1 (expected citizen_density + cop_density ≤ 1)"
    );
}

#[test]
fn density_sum_blames_the_value_written_last() {
    // base.toml sets citizen_density = 0.6; the --set makes the sum 1.1.
    assert_eq!(
        error("base.toml", &["population.cop_density=0.5"]),
        "--set:1:24: field population.cop_density: 0.5 plus population.citizen_density = 0.6 \
         is 1.1 (expected citizen_density + cop_density ≤ 1)"
    );
}

#[test]
fn syntax_error_is_located() {
    let message = load_str("name = \"a\"\n[run\n", "s.toml", &[])
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("s.toml:2:5: TOML syntax: "),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn duplicate_key_is_a_syntax_error_at_the_second_key() {
    let message = load_str("name = \"a\"\nname = \"b\"\n", "s.toml", &[])
        .unwrap_err()
        .to_string();
    assert_eq!(message, "s.toml:2:1: TOML syntax: duplicate key");
}

#[test]
fn bad_name() {
    assert_eq!(
        load_str("name = \"my run\"\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:1:8: field name: \"my run\" contains ' ' (expected a non-empty name of letters, \
         digits, `_`, `-` and `.`, not starting with `.`)"
    );
}

#[test]
fn consistency_rule_blames_the_field_that_was_written() {
    // burn_in keeps its default of 100; the ticks written make it too large.
    assert_eq!(
        load_str("[run]\nticks = 80\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:2:9: field run.ticks: 80 is not greater than run.burn_in = 100 (expected an \
         integer in 101..=1_000_000)"
    );
}

#[test]
fn torus_too_small_for_vision() {
    assert_eq!(
        load_str("[world]\nwidth = 10\nheight = 30\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:2:9: field world.width: 10 is too small for citizens.vision = 7 on a torus \
         (expected an integer in 15..=10_000)"
    );
}

#[test]
fn reduction_tick_beyond_the_run() {
    let text = "[run]\nticks = 200\nburn_in = 10\n\n[[cops.reductions]]\ntick = 100\n\
                fraction = 0.5\n\n[[cops.reductions]]\ntick = 300\nfraction = 0.5\n";
    assert_eq!(
        load_str(text, "s.toml", &[]).unwrap_err().to_string(),
        "s.toml:10:8: field cops.reductions[1].tick: 300 is out of range (expected an integer \
         in 1..=200, the run's ticks)"
    );
}

#[test]
fn cop_moves_to_arrestee_needs_leave_grid() {
    assert_eq!(
        load_str("rules.cop_moves_to_arrestee = true\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:1:31: field rules.cop_moves_to_arrestee: true needs rules.jailed = \
         \"leave_grid\" (expected false while rules.jailed = \"stay_on_cell\")"
    );
    let ok = load_str(
        "rules.cop_moves_to_arrestee = true\nrules.jailed = \"leave_grid\"\n",
        "s.toml",
        &[],
    );
    assert!(ok.is_ok());
}

#[test]
fn linear_legitimacy_end_before_start() {
    let text = "[legitimacy]\nshape = \"linear\"\nstart_tick = 300\nend_tick = 200\n";
    assert_eq!(
        load_str(text, "s.toml", &[]).unwrap_err().to_string(),
        "s.toml:4:12: field legitimacy.end_tick: 200 is less than legitimacy.start_tick = 300 \
         (expected an integer ≥ 300)"
    );
}

#[test]
fn uniform_range_min_above_max() {
    let text = "[citizens.hardship]\nmin = 0.9\nmax = 0.1\n";
    assert_eq!(
        load_str(text, "s.toml", &[]).unwrap_err().to_string(),
        "s.toml:3:7: field citizens.hardship.max: 0.1 is less than citizens.hardship.min = 0.9 \
         (expected a number in 0.9..=1)"
    );
}

// --- extends ----------------------------------------------------------------

#[test]
fn child_values_win_and_base_values_are_kept() {
    let child = ok("child.toml", &[]);
    assert_eq!(child.name, "child");
    assert_eq!(child.citizens.vision, 6);
    assert_eq!(child.citizens.threshold, 0.2);
    assert_eq!(child.run.ticks, 500);
    assert_eq!(child.run.burn_in, 50);
    assert_eq!(child.population.citizen_density, 0.6);
    assert_eq!(child.description, "Base for extends tests.");
    assert_eq!(child.extends, None);
    // Untouched fields keep their defaults.
    assert_eq!(child.run.replicates, Scenario::default().run.replicates);
}

#[test]
fn extends_chains_across_directories() {
    let grandchild = ok("nested/grandchild.toml", &[]);
    assert_eq!(grandchild.name, "grandchild");
    assert_eq!(grandchild.run.seed, 42);
    assert_eq!(grandchild.run.ticks, 500);
    assert_eq!(grandchild.citizens.vision, 6);
}

#[test]
fn out_of_range_in_a_base_file_points_at_the_base() {
    assert_eq!(
        error("extends_bad_base.toml", &[]),
        "tests/fixtures/scenarios/bad_base.toml:4:13: field citizens.threshold: 1.5 is out of \
         range (expected a number in 0..=1)"
    );
}

#[test]
fn overridden_bad_base_value_is_fine_but_wrong_type_in_base_is_not() {
    // A child may fix a base's out-of-range value...
    assert!(
        load(
            &fixture("extends_bad_base.toml"),
            &sets(&["citizens.threshold=0.5"])
        )
        .is_ok()
    );
    // ...but a base with a type error is reported in the base even when
    // the child overrides the value.
    let dir = temp_files(&[
        ("base.toml", "[citizens]\nvision = \"x\"\n"),
        (
            "child.toml",
            "extends = \"base.toml\"\ncitizens.vision = 3\n",
        ),
    ]);
    let message = load(&dir.path().join("child.toml"), &[])
        .unwrap_err()
        .to_string();
    let base = dir.path().join("base.toml").display().to_string();
    assert_eq!(
        message,
        format!(
            "{base}:2:10: field citizens.vision: invalid type: string \"x\" (expected an integer \
             in 1..=50)"
        )
    );
}

#[test]
fn extends_cycle_is_reported_with_its_chain() {
    let a = "tests/fixtures/scenarios/cycle_a.toml";
    let b = "tests/fixtures/scenarios/cycle_b.toml";
    assert_eq!(
        error("cycle_a.toml", &[]),
        format!(
            "{b}:2:11: field extends: cycle: {a} -> {b} -> {a} (expected a chain of files that \
             ends in one without `extends`)"
        )
    );
}

#[test]
fn extending_itself_is_a_cycle() {
    let dir = temp_files(&[("self.toml", "extends = \"self.toml\"\n")]);
    let error = load(&dir.path().join("self.toml"), &[]).unwrap_err();
    assert!(
        matches!(error, ScenarioError::ExtendsCycle { .. }),
        "{error}"
    );
}

#[test]
fn missing_base_file() {
    assert_eq!(
        error("missing_base.toml", &[]),
        "tests/fixtures/scenarios/missing_base.toml:1:11: field extends: cannot read \
         no_such_base.toml: No such file or directory"
    );
}

#[test]
fn missing_scenario_file() {
    assert_eq!(
        error("no_such_scenario.toml", &[]),
        "tests/fixtures/scenarios/no_such_scenario.toml: cannot read: No such file or directory"
    );
}

#[test]
fn extends_of_wrong_type() {
    assert_eq!(
        load_str("extends = 3\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:1:11: field extends: invalid type: integer `3` (expected a path to a scenario \
         file, relative to this one)"
    );
}

// --- --set --------------------------------------------------------------------

#[test]
fn set_overrides_after_all_files() {
    let scenario = ok(
        "child.toml",
        &[
            "citizens.vision=4",
            "rules.neighbourhood=moore",
            "name=\"quoted\"",
        ],
    );
    assert_eq!(scenario.citizens.vision, 4);
    assert_eq!(scenario.rules.neighbourhood, NeighbourhoodShape::Moore);
    assert_eq!(scenario.name, "quoted");
    assert_eq!(scenario.run.ticks, 500);
}

#[test]
fn set_out_of_range_points_into_the_argument() {
    assert_eq!(
        error("child.toml", &["citizens.threshold=2"]),
        "--set:1:20: field citizens.threshold: 2 is out of range (expected a number in 0..=1)"
    );
}

#[test]
fn set_unquoted_word_is_a_string_hence_a_type_error_for_numbers() {
    assert_eq!(
        error("child.toml", &["citizens.vision=abc"]),
        "--set:1:17: field citizens.vision: invalid type: string \"abc\" (expected an integer in \
         1..=50)"
    );
}

#[test]
fn set_unknown_key_suggests_and_points_at_the_key() {
    assert_eq!(
        error("child.toml", &["citizens.visoin=3"]),
        "--set:1:10: field citizens.visoin: unknown key; did you mean `vision`? (expected one \
         of `vision`, `threshold`, `arrest_constant`, `hardship`, `risk_aversion`)"
    );
}

#[test]
fn set_that_makes_ticks_too_small() {
    assert_eq!(
        error("child.toml", &["run.ticks=40"]),
        "--set:1:11: field run.ticks: 40 is not greater than run.burn_in = 50 (expected an \
         integer in 51..=1_000_000)"
    );
}

#[test]
fn set_without_equals() {
    assert_eq!(
        error("child.toml", &["citizens.vision"]),
        "--set:1:1: field citizens.vision: missing `=` (expected key.path=value, e.g. \
         citizens.vision=7)"
    );
}

#[test]
fn set_legend_entry_with_quoted_key() {
    let scenario = ok("with_map.toml", &["world.legend.\"#\"=open"]);
    assert_eq!(scenario.world.legend["#"], Terrain::Open);
    assert_eq!(scenario.world.terrain().unwrap().open_cells(), 8);
}

// --- maps ------------------------------------------------------------------------

#[test]
fn map_file_is_resolved_inline() {
    let scenario = ok("with_map.toml", &[]);
    let text = std::fs::read_to_string(fixture("maps/island.txt")).unwrap();
    assert_eq!(scenario.world.map, None);
    assert_eq!(scenario.world.map_inline.as_deref(), Some(text.as_str()));
    assert_eq!((scenario.world.width, scenario.world.height), (6, 4));
    let terrain = scenario.world.terrain().unwrap();
    assert_eq!(terrain.open_cells(), 7);
    assert_eq!(terrain.at(3, 2), Terrain::Blocked);
    assert_eq!(terrain.at(1, 1), Terrain::Open);
}

#[test]
fn ragged_map_row_is_located_in_the_map_file() {
    assert_eq!(
        error("ragged_map.toml", &[]),
        "tests/fixtures/scenarios/maps/ragged.txt:3:5: field world.map: row 3 is 4 cells long \
         but row 1 is 6 (expected every row 6 cells long)"
    );
}

#[test]
fn unknown_map_character_is_located_in_the_map_file() {
    assert_eq!(
        error("unknown_char_map.toml", &[]),
        "tests/fixtures/scenarios/maps/unknown_char.txt:3:4: field world.map: unknown character \
         '@' (expected one of '#', '.')"
    );
}

#[test]
fn missing_map_file() {
    assert_eq!(
        error("missing_map.toml", &[]),
        "tests/fixtures/scenarios/missing_map.toml:1:13: field world.map: cannot read \
         maps/no_such_map.txt: No such file or directory"
    );
}

#[test]
fn legend_key_longer_than_one_character() {
    assert_eq!(
        error("legend_long_key.toml", &[]),
        "tests/fixtures/scenarios/legend_long_key.toml:3:1: field world.legend.\"##\": legend \
         key \"##\" is 2 characters long (expected exactly one character)"
    );
}

#[test]
fn legend_value_typo() {
    assert_eq!(
        load_str("[world.legend]\n\"~\" = \"water\"\n", "s.toml", &[])
            .unwrap_err()
            .to_string(),
        "s.toml:2:7: field world.legend.\"~\": unknown value \"water\" (expected one of \
         \"open\", \"urban\", \"rubble\", \"sea\", \"border\", \"crossing\", \"buffer\", \
         \"blocked\")"
    );
}

#[test]
fn map_with_crlf_and_no_final_newline() {
    let dir = temp_files(&[
        (
            "s.toml",
            "world.map = \"m.txt\"\nworld.topology = \"bounded\"\ncitizens.vision = 1\ncops.vision = 1\n",
        ),
        ("m.txt", "..#\r\n...\r\n.#."),
    ]);
    let scenario = load(&dir.path().join("s.toml"), &[]).unwrap();
    assert_eq!((scenario.world.width, scenario.world.height), (3, 3));
    assert_eq!(scenario.world.map_inline.as_deref(), Some("..#\n...\n.#."));
    assert_round_trip(&scenario);
}

#[test]
fn all_blocked_map_has_no_passable_cell() {
    let dir = temp_files(&[("s.toml", "world.map = \"m.txt\"\n"), ("m.txt", "##\n##\n")]);
    // Located where the scenario names the map (the map file as a whole
    // has no line to point at).
    let scenario = dir.path().join("s.toml").display().to_string();
    assert_eq!(
        load(&dir.path().join("s.toml"), &[])
            .unwrap_err()
            .to_string(),
        format!(
            "{scenario}:1:13: field world.map: the map has no passable cell (expected at least one cell \
             whose legend entry is \"open\", \"urban\", \"rubble\" or \"crossing\")"
        )
    );
}

#[test]
fn map_too_small_for_vision_on_a_torus_points_at_the_map() {
    let dir = temp_files(&[
        ("s.toml", "name = \"x\"\nworld.map = \"m.txt\"\n"),
        ("m.txt", "...\n...\n"),
    ]);
    let file = dir.path().join("s.toml").display().to_string();
    assert_eq!(
        load(&dir.path().join("s.toml"), &[])
            .unwrap_err()
            .to_string(),
        format!(
            "{file}:2:13: field world.width: 3 is too small for citizens.vision = 7 on a torus \
             (expected an integer in 15..=10_000)"
        )
    );
}

#[test]
fn map_and_map_inline_in_one_file() {
    let text = "[world]\nmap = \"m.txt\"\nmap_inline = \"..\"\n";
    assert_eq!(
        load_str(text, "s.toml", &[]).unwrap_err().to_string(),
        "s.toml:3:14: field world.map_inline: both world.map and world.map_inline are set \
         (expected at most one of them)"
    );
}

#[test]
fn child_may_replace_a_map_file_with_an_inline_map() {
    let inline = "extends = \"with_map.toml\"\nworld.map_inline = \"\"\"\n....\n.~~.\n\"\"\"\n";
    let dir = Path::new(DIR);
    let scenario = load_str(
        inline,
        &dir.join("inline_child.toml").display().to_string(),
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((scenario.world.width, scenario.world.height), (4, 2));
    assert_eq!(scenario.world.terrain().unwrap().open_cells(), 6);
}

#[test]
fn inline_map_errors_are_located_in_the_scenario_file() {
    let text = "name = \"x\"\n[world]\nmap_inline = \"\"\"\n....\n..\n\"\"\"\n";
    assert_eq!(
        load_str(text, "s.toml", &[]).unwrap_err().to_string(),
        "s.toml:5:3: field world.map_inline: row 2 is 2 cells long but row 1 is 4 (expected \
         every row 4 cells long)"
    );
}

// --- the resolved scenario round-trips ------------------------------------------

fn assert_round_trip(scenario: &Scenario) {
    let text = toml::to_string(scenario).unwrap();
    let again = load_str(&text, "resolved.toml", &[]).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(&again, scenario);
    assert_eq!(toml::to_string(&again).unwrap(), text);
}

#[test]
fn resolved_scenarios_round_trip() {
    assert_round_trip(&Scenario::default());
    assert_round_trip(&ok("nested/grandchild.toml", &[]));
    assert_round_trip(&ok(
        "with_map.toml",
        &["cops.reductions=[{tick = 10, fraction = 0.25}]"],
    ));
    let bounded = ok("child.toml", &["world.topology=bounded"]);
    assert_eq!(bounded.world.topology, Topology::Bounded);
    assert_round_trip(&bounded);
}

#[test]
fn resolved_scenario_writes_every_field() {
    let text = toml::to_string(&ok("child.toml", &[])).unwrap();
    for key in [
        "ticks",
        "replicates",
        "seed",
        "burn_in",
        "outburst_threshold",
        "movement",
    ] {
        assert!(
            text.contains(&format!("{key} = ")),
            "{key} missing from\n{text}"
        );
    }
    assert!(!text.contains("extends ="));
}

// --- never a panic ---------------------------------------------------------------

/// Any outcome is fine except a panic or a badly shaped error: an error is
/// one line that starts with the file, or with `--set` for an override.
fn check_one_located_line(
    result: Result<stabsim::scenario::Scenario, stabsim::scenario::ScenarioError>,
) -> Result<(), proptest::test_runner::TestCaseError> {
    if let Err(e) = result {
        let message = e.to_string();
        prop_assert!(!message.contains('\n'), "multi-line error: {message:?}");
        prop_assert!(
            message.starts_with("/nonexistent-stabsim-dir/") || message.starts_with("--set"),
            "error not located: {message:?}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_one_located_line(load_str(&text, "/nonexistent-stabsim-dir/prop.toml", &[]))?;
    }

    #[test]
    fn toml_like_text_never_panics(
        text in r#"(\[{1,2}[a-z._]{0,12}\]{1,2}\n|[a-z_."]{1,16} ?= ?("[^"\n]{0,8}"|[0-9.e+-]{1,8}|nan|inf|true|\[[0-9, ]{0,8}\]|\{[a-z =0-9,]{0,12}\}|"""\n[.#x\n]{0,20}""")\n){0,8}"#
    ) {
        check_one_located_line(load_str(&text, "/nonexistent-stabsim-dir/prop.toml", &[]))?;
    }

    #[test]
    fn mutated_scenario_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<char>(), 0..3u8), 1..8)
    ) {
        let mut text: Vec<char> = toml::to_string(&Scenario::default()).unwrap().chars().collect();
        for (index, c, operation) in edits {
            let i = index.index(text.len() + 1);
            match operation {
                0 => text.insert(i, c),
                1 if i < text.len() => {
                    text.remove(i);
                }
                _ if i < text.len() => text[i] = c,
                _ => {}
            }
        }
        let text: String = text.into_iter().collect();
        check_one_located_line(load_str(&text, "/nonexistent-stabsim-dir/prop.toml", &[]))?;
    }

    #[test]
    fn arbitrary_set_never_panics(
        key in r#"[a-z_."\[\] =]{0,24}"#,
        value in any::<String>(),
    ) {
        let argument = format!("{key}={value}");
        check_one_located_line(load_str("", "/nonexistent-stabsim-dir/prop.toml", &[argument]))?;
    }

    #[test]
    fn set_on_real_fields_never_panics(
        field in prop::sample::select(vec![
            "name", "run.ticks", "run.seed", "run.burn_in", "world.width", "world.map",
            "world.map_inline", "world.legend.x", "world.legend", "population.cop_density",
            "citizens.vision", "citizens.hardship", "citizens.hardship.min",
            "cops.reductions", "rules.neighbourhood", "legitimacy", "metrics",
        ]),
        value in r#"(-?[0-9]{1,12}(\.[0-9]{1,3})?|nan|-?inf|true|"[^"]{0,6}"|[a-z_]{0,10}|\[.{0,12}\]|\{.{0,16}\})"#,
    ) {
        let argument = format!("{field}={value}");
        check_one_located_line(load_str("", "/nonexistent-stabsim-dir/prop.toml", &[argument]))?;
    }
}

// --- sectors ---------------------------------------------------------------------

#[test]
fn sector_map_of_the_wrong_size_is_located_where_it_differs() {
    assert_eq!(
        error("sectors_size.toml", &[]),
        "tests/fixtures/scenarios/maps/island_sectors_narrow.txt:1:6: field world.sectors: the \
         sector map is 5 × 4 cells but the terrain is 6 × 4 (expected 6 × 4)"
    );
}

#[test]
fn unknown_sector_character_is_located_in_the_sector_file() {
    assert_eq!(
        error("sectors_unknown_char.toml", &[]),
        "tests/fixtures/scenarios/maps/island_sectors_unknown.txt:3:4: field world.sectors: \
         unknown character 'x' (expected one of '-', '1', '2')"
    );
}

#[test]
fn short_inline_sector_map_is_located_in_the_scenario_file() {
    let text = "[world]\ntopology = \"bounded\"\nmap_inline = \"\"\"\n...\n...\n\"\"\"\n\
                sectors_inline = \"\"\"\n1-1\n\"\"\"\nsector_names = { \"1\" = \"A\" }\n\
                [citizens]\nvision = 1\n[cops]\nvision = 1\n";
    assert_eq!(
        load_str(text, "s.toml", &[]).unwrap_err().to_string(),
        "s.toml:9:1: field world.sectors_inline: the sector map is 3 × 1 cells but the terrain \
         is 3 × 2 (expected 3 × 2)"
    );
}

/// The Gaza fixture's terrain text, as rows of characters.
fn gaza_rows(scenario: &Scenario) -> Vec<Vec<char>> {
    let text = scenario.world.map_inline.as_deref().unwrap();
    text.lines().map(|row| row.chars().collect()).collect()
}

#[test]
fn gaza_map_loads_with_its_sectors_and_crossings() {
    let scenario = ok("gaza.toml", &[]);
    assert_eq!(scenario.world.sectors, None);
    let terrain = scenario.world.terrain().unwrap();
    assert_eq!((terrain.width, terrain.height), (56, 160));
    let sectors = scenario.world.sectors().unwrap().unwrap();
    assert_eq!((sectors.width, sectors.height), (56, 160));
    assert_eq!(
        sectors.names,
        [
            "North Gaza",
            "Gaza City",
            "Deir al-Balah",
            "Khan Younis",
            "Rafah"
        ]
    );
    // Every governorate has passable cells; the sea, border and outside
    // have no sector.
    for index in 0..5u16 {
        let passable = (0..terrain.cells.len())
            .filter(|&i| sectors.cells[i] == Some(index) && terrain.cells[i].is_passable())
            .count();
        assert!(passable > 100, "sector {index} has {passable} cells");
    }
    for (i, &t) in terrain.cells.iter().enumerate() {
        if matches!(t, Terrain::Sea | Terrain::Border | Terrain::Blocked) {
            assert_eq!(sectors.cells[i], None, "cell {i} is {t:?}");
        }
    }
    // North to south: the first sector met down the middle column is 1.
    let middle = 40;
    let first = (0..160).find_map(|y| sectors.at(middle, y)).unwrap();
    assert_eq!(sectors.names[usize::from(first)], "North Gaza");
    // Each crossing is one cell on the border line: border cells beside it
    // along the line, the outside (blocked) on one side.
    let rows = gaza_rows(&scenario);
    for name in ['Z', 'E', 'K', 'R'] {
        let found: Vec<(u32, u32)> = (0..160u32)
            .flat_map(|y| (0..56u32).map(move |x| (x, y)))
            .filter(|&(x, y)| rows[y as usize][x as usize] == name)
            .collect();
        assert_eq!(found.len(), 1, "crossing {name}: {found:?}");
        let (x, y) = found[0];
        assert_eq!(terrain.at(x, y), Terrain::Crossing);
        let near =
            |dx: i32, dy: i32| terrain.at(x.wrapping_add_signed(dx), y.wrapping_add_signed(dy));
        let across_line = [(0, -1), (0, 1), (-1, 0), (1, 0)]
            .iter()
            .any(|&(dx, dy)| near(dx, dy) == Terrain::Blocked && near(-dx, -dy).is_passable());
        let along_line = [(0, -1), (0, 1), (-1, 0), (1, 0)]
            .iter()
            .filter(|&&(dx, dy)| near(dx, dy) == Terrain::Border)
            .count();
        assert!(
            across_line,
            "crossing {name} does not lead from outside into the Strip"
        );
        assert_eq!(along_line, 2, "crossing {name} is not on a border line");
    }
    assert_round_trip(&scenario);
}

#[test]
fn epstein_model_runs_on_the_gaza_map() {
    let scenario = ok("gaza.toml", &[]);
    let terrain = scenario.world.terrain().unwrap();
    let series = stabsim::model::run_replicate(&scenario, &terrain, 0);
    assert_eq!(series.len(), 6);
    let quiescent = series.row(0)[0] + series.row(0)[1] + series.row(0)[2];
    let passable = terrain.passable_cells() as f64;
    assert!(quiescent > 0.1 * passable && quiescent < 0.3 * passable);
    for t in 0..6 {
        let row = series.row(t);
        assert_eq!(row[0] + row[1] + row[2], quiescent, "citizens at tick {t}");
    }
}
