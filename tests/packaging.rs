//! The repository is packaged the way users and archives expect: both
//! licences named in `Cargo.toml` are present, and the citation metadata
//! carry the crate's own version (so a release cannot cite a stale one).

mod common;

use common::stabsim;

use std::fs;

fn read(path: &str) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn both_licences_named_in_the_manifest_are_shipped() {
    assert!(env!("CARGO_PKG_LICENSE").contains("MIT"));
    assert!(env!("CARGO_PKG_LICENSE").contains("Apache-2.0"));
    assert!(read("LICENSE-MIT").contains("Permission is hereby granted"));
    assert!(read("LICENSE-APACHE").contains("Version 2.0, January 2004"));
}

#[test]
fn citation_metadata_carry_the_crate_version() {
    let version = env!("CARGO_PKG_VERSION");
    let cff = read("CITATION.cff");
    assert!(cff.starts_with("cff-version: 1.2.0"));
    assert!(
        cff.lines().any(|l| l == format!("version: {version}")),
        "CITATION.cff must say version: {version}"
    );
    let codemeta: serde_json::Value = serde_json::from_str(&read("codemeta.json")).unwrap();
    assert_eq!(codemeta["version"], version);
    assert_eq!(codemeta["name"], env!("CARGO_PKG_NAME"));
    assert!(read("CHANGELOG.md").contains(&format!("## [{version}]")));
}

#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = stabsim(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let script = String::from_utf8(o.stdout).unwrap();
        // Subcommands and their flags are completed.
        assert!(script.contains("compare"), "{shell}");
        assert!(script.contains("replicates"), "{shell}");
    }
    let o = stabsim(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_man_page_is_roff_with_every_subcommand() {
    let o = stabsim(&["man"]);
    assert!(o.status.success());
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH stabsim"),
        "{page}"
    );
    assert!(page.contains(".TH stabsim 1"), "{page}");
    for sub in ["run", "compare", "scenarios", "params", "schema"] {
        assert!(page.contains(sub), "{sub}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let o = stabsim(&["man", "--dir", tmp.path().to_str().unwrap()]);
    assert!(o.status.success());
    assert!(tmp.path().join("stabsim.1").is_file());
    assert!(tmp.path().join("stabsim-run.1").is_file());
}

/// Checks `value` against the subset of JSON Schema that `stabsim schema`
/// emits (type, properties, additionalProperties, items, enum, minimum,
/// maximum, propertyNames lengths); returns the first violation's path.
fn violation(schema: &serde_json::Value, value: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value as J;
    let fail = |what: &str| Some(format!("{at}: {what}"));
    if let Some(t) = schema["type"].as_str() {
        let ok = match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            _ => false,
        };
        if !ok {
            return fail(&format!("expected {t}, got {value}"));
        }
    }
    if let Some(names) = schema["enum"].as_array() {
        if !names.contains(value) {
            return fail(&format!("{value} not in {names:?}"));
        }
    }
    if let Some(x) = value.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|m| x < m) {
            return fail("below minimum");
        }
        if schema["maximum"].as_f64().is_some_and(|m| x > m) {
            return fail("above maximum");
        }
    }
    match value {
        J::Object(map) => {
            for (key, v) in map {
                let sub = match schema["properties"].get(key) {
                    Some(sub) => sub,
                    None => match &schema["additionalProperties"] {
                        J::Bool(false) => return fail(&format!("unknown key {key}")),
                        other => {
                            if key.chars().count() != 1 && schema.get("propertyNames").is_some() {
                                return fail(&format!("key {key} is not one character"));
                            }
                            other
                        }
                    },
                };
                if let Some(v) = violation(sub, v, &format!("{at}.{key}")) {
                    return Some(v);
                }
            }
            None
        }
        J::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| violation(&schema["items"], v, &format!("{at}[{i}]"))),
        _ => None,
    }
}

#[test]
fn every_shipped_scenario_validates_against_the_schema_and_a_bad_one_does_not() {
    let o = stabsim(&["schema"]);
    assert!(o.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let mut checked = 0;
    for dir in ["scenarios/gaza", "scenarios/mali", "scenarios/epstein"] {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = read(path.to_str().unwrap());
            let table: toml::Table = toml::from_str(&text).unwrap();
            let json = serde_json::to_value(&table).unwrap();
            assert_eq!(violation(&schema, &json, ""), None, "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 25);
    let bad: toml::Table =
        toml::from_str("[citizens]\nvision = 1000000\n[world]\ntopology = \"flat\"\n").unwrap();
    let bad = serde_json::to_value(&bad).unwrap();
    assert!(violation(&schema, &bad, "").is_some());
    let typo: toml::Table = toml::from_str("[citizens]\nvison = 3\n").unwrap();
    let typo = serde_json::to_value(&typo).unwrap();
    assert_eq!(
        violation(&schema, &typo, ""),
        Some(".citizens: unknown key vison".into())
    );
}
