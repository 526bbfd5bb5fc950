//! Every field settable (issue 15, item 3): `--set` reaches entries of
//! arrays of tables by index and by name; `check` accepts what `run` and
//! `compare` accept; `timing` times the model the scenario selects; errors
//! are located where they were written. Each test failed on the code before.

mod common;

use common::{root, stabsim, text};

use std::fs;

use stabsim::scenario;

const GAZA: &str = "scenarios/gaza/baseline.toml";

fn troops(set: &[&str]) -> Vec<f64> {
    let set: Vec<String> = set.iter().map(|s| s.to_string()).collect();
    let sc = scenario::load(&root().join(GAZA), &set).unwrap();
    sc.mission
        .unwrap()
        .contributors
        .iter()
        .map(|c| c.troops)
        .collect()
}

#[test]
fn set_reaches_contributors_by_index_and_by_name() {
    let before = troops(&[]);
    let european = 2;
    assert_ne!(before[european], 100.0);
    for set in [
        "mission.contributors[2].troops=100",
        "mission.contributors.european.troops=100",
        "mission.contributors[name=european].troops=100",
    ] {
        let after = troops(&[set]);
        assert_eq!(after[european], 100.0, "{set}");
        for (k, (a, b)) in before.iter().zip(&after).enumerate() {
            if k != european {
                assert_eq!(a, b, "{set} changed contributor {k}");
            }
        }
    }
}

#[test]
fn set_errors_in_arrays_are_located_and_name_the_entry() {
    let o = stabsim(&[
        "check",
        GAZA,
        "--set",
        "mission.contributors.european.troops=-5",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("--set:1:38: field mission.contributors[2].troops: -5 is out of range"),
        "{err}"
    );
    let o = stabsim(&[
        "check",
        GAZA,
        "--set",
        "mission.contributors.europe.troops=1",
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains(
            "field mission.contributors: no entry named \"europe\"; did you mean \"european\"?"
        ),
        "{err}"
    );
    let o = stabsim(&["check", GAZA, "--set", "mission.contributors[9].troops=1"]);
    assert!(text(&o.stderr).contains("no entry [9] (expected an index in 0..=3)"));
}

#[test]
fn with_several_sets_the_error_names_the_one_it_came_from() {
    let o = stabsim(&[
        "check",
        GAZA,
        "--set",
        "run.replicates=3",
        "--set",
        "mission.mandate.force_scale=x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains(
            "--set #2 (mission.mandate.force_scale=x):1:29: field mission.mandate.force_scale"
        ),
        "{err}"
    );
}

#[test]
fn a_quoted_number_is_a_type_error() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("q.toml");
    fs::write(&path, "[run]\nseed = \"99999999999999999999\"\n").unwrap();
    let o = stabsim(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("a number in quotes"), "{err}");
    assert!(!err.contains("out of range"), "{err}");
}

#[test]
fn check_accepts_folders_and_comparison_files() {
    let o = stabsim(&["check", "scenarios/gaza"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("force_large.toml: ok (gaza_force_large)"),
        "{out}"
    );
    let o = stabsim(&["check", "scenarios/comparisons/gaza_posture_and_size.toml"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("ok (comparison of 5 scenarios)"));

    // A comparison file's own overrides are checked, located in `--set`.
    let tmp = tempfile::tempdir().unwrap();
    let cmp = tmp.path().join("c.toml");
    let gaza = root().join("scenarios/gaza");
    fs::write(
        &cmp,
        format!(
            "scenarios = [{:?}, {:?}]\n[set]\nforce_large = [\"mission.mandate.force_scale=-1\"]\n",
            gaza.join("baseline.toml"),
            gaza.join("force_large.toml")
        ),
    )
    .unwrap();
    let o = stabsim(&["check", cmp.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("field mission.mandate.force_scale"));
}

#[test]
fn map_days_of_a_comparison_file_are_blamed_on_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cmp = tmp.path().join("c.toml");
    let gaza = root().join("scenarios/gaza");
    fs::write(
        &cmp,
        format!(
            "scenarios = [{:?}]\nreplicates = 2\n\nmap_days = [5, 100000]\n",
            gaza.join("baseline.toml")
        ),
    )
    .unwrap();
    let o = stabsim(&["check", cmp.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!(
            "{}:4:1: field map_days: day 100000 is after the end",
            cmp.display()
        )),
        "{err}"
    );
    let out = tmp.path().join("out");
    let o = stabsim(&[
        "compare",
        cmp.to_str().unwrap(),
        "--ticks",
        "20",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("c.toml:4:1: field map_days"), "{err}");
    assert!(!err.contains("--map-days"), "{err}");
}

#[test]
fn timing_times_the_mission_model_of_a_mission_scenario() {
    let o = stabsim(&["timing", GAZA, "--ticks", "2"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["model"], "mission");
    let o = stabsim(&[
        "timing",
        "scenarios/epstein/mesa_app_default.toml",
        "--ticks",
        "2",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["model"], "epstein");
}
