//! The repository is packaged the way users and archives expect: both
//! licences named in `Cargo.toml` are present, and the citation metadata
//! carry the crate's own version (so a release cannot cite a stale one).

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
