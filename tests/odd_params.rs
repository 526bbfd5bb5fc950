//! Every mission-model parameter is documented in `docs/ODD.md`: each path
//! of `MissionConfig::param_catalogue()` and each field of the mission's
//! parameter tables (array elements written `[]`) must appear there in
//! backticks, so a parameter added to a table without a row in the ODD
//! fails here.

use stabsim::scenario::MissionConfig;
use stabsim::scenario::params::{Group, leaf_paths};

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
fn every_mission_field_is_in_the_odd() {
    let text = odd();
    let fields = leaf_paths("mission", MissionConfig::FIELDS);
    assert!(fields.len() > 130, "only {} fields", fields.len());
    // Non-numeric fields, which the catalogue does not list, are among them.
    for field in [
        "mission.mandate.disarmament",
        "mission.mandate.pmc_lethal",
        "mission.factions[].kind",
        "mission.factions[].name",
        "mission.contributors[].refuses_forced_disarmament",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} is not listed");
    }
    let absent = missing(&text, fields.iter().map(String::as_str));
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
