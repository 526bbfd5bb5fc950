//! Every mission-model parameter is documented in `docs/ODD.md`: each path
//! of `MissionConfig::param_catalogue()` (array elements written `[]`) and
//! each non-numeric mission field must appear there in backticks, so a
//! parameter added to the catalogue without a row in the ODD fails here.

use stabsim::scenario::MissionConfig;

/// Non-numeric mission fields the catalogue does not list.
const NON_NUMERIC: [&str; 8] = [
    "mission.mandate.disarmament",
    "mission.mandate.handover",
    "mission.mandate.headquarters",
    "mission.mandate.pmc_lethal",
    "mission.mandate.unsc_mandate",
    "mission.external.enabled",
    "mission.contributors[].refuses_forced_disarmament",
    "mission.factions[].kind",
];

fn odd() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ODD.md");
    std::fs::read_to_string(path).expect("docs/ODD.md is readable")
}

/// The catalogue path as the ODD writes it: `mission.factions[].arms`.
fn documented_path(parts: &[String]) -> String {
    parts.join(".").replace("[0]", "[]")
}

fn missing<'a>(text: &str, paths: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    paths
        .into_iter()
        .filter(|p| !text.contains(&format!("`{p}`")))
        .collect()
}

#[test]
fn every_catalogued_parameter_is_in_the_odd() {
    let text = odd();
    let catalogue = MissionConfig::param_catalogue();
    assert!(catalogue.len() > 120, "only {} parameters", catalogue.len());
    let paths: Vec<String> = catalogue.iter().map(|p| documented_path(&p.path)).collect();
    let absent = missing(&text, paths.iter().map(String::as_str));
    assert!(
        absent.is_empty(),
        "{} catalogued parameters are not documented in docs/ODD.md (as `path`): {absent:?}",
        absent.len()
    );
}

#[test]
fn every_non_numeric_mission_field_is_in_the_odd() {
    let text = odd();
    let absent = missing(&text, NON_NUMERIC);
    assert!(
        absent.is_empty(),
        "mission fields not documented in docs/ODD.md: {absent:?}"
    );
}

#[test]
fn catalogue_paths_take_the_documented_form() {
    let paths: Vec<String> = MissionConfig::param_catalogue()
        .iter()
        .map(|p| documented_path(&p.path))
        .collect();
    assert!(paths.iter().all(|p| p.starts_with("mission.")));
    assert!(paths.iter().any(|p| p == "mission.factions[].arms"));
    assert!(paths.iter().any(|p| p == "mission.contributors[].troops"));
    assert!(!paths.iter().any(|p| p.contains("[0]")));
}
