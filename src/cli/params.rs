//! `stabsim params [SCENARIO] [FILTER]`: every numeric parameter with its
//! value, default, accepted and plausible ranges, unit and meaning, from
//! the `group!` tables that also validate it (`list_params`, `FIELDS`).

use stabsim::scenario::params::{self, Field, Group, Param, Params, Range, Value};
use stabsim::scenario::{Contributor, Faction, MissionConfig, Scenario};

/// One row of the listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `mission.mandate.force_scale`, `mission.factions[0].strength`.
    pub key: String,
    /// The value in the scenario.
    pub value: String,
    /// The default of the field.
    pub default: String,
    /// The range the field accepts.
    pub accepts: String,
    /// The plausible range, if stated.
    pub plausible: String,
    /// The unit, where the name or doc says it.
    pub unit: String,
    /// The first sentence of the field's doc comment.
    pub meaning: String,
}

/// A scenario holding every numeric field that can exist, at its default:
/// the mission model with one faction and one contributor.
pub fn catalogue() -> Scenario {
    Scenario {
        mission: Some(MissionConfig {
            factions: vec![Faction::default()],
            contributors: vec![Contributor::default()],
            ..MissionConfig::default()
        }),
        ..Scenario::default()
    }
}

/// Every numeric parameter of `scenario` whose key contains `filter`.
pub fn rows(scenario: &Scenario, filter: Option<&str>) -> Vec<Row> {
    let mut params: Vec<Param> = Vec::new();
    scenario.list_params(&mut Params::new(Vec::new(), &mut params, true));
    params
        .iter()
        .map(|p| {
            let key = p.path.join(".");
            let field = field_at(&p.path);
            let doc = field.map(Field::doc).unwrap_or_default();
            Row {
                value: value_text(p.value),
                default: field
                    .and_then(|f| f.default)
                    .map(value_text)
                    .unwrap_or_default(),
                accepts: range_text(p.range),
                plausible: p
                    .plausible
                    .map(|(lo, hi)| format!("{}..{}", number(lo), number(hi)))
                    .unwrap_or_default(),
                unit: unit(p.path.last().map_or("", String::as_str), &doc).to_string(),
                meaning: field.map(Field::meaning).unwrap_or_default(),
                key,
            }
        })
        .filter(|r| filter.is_none_or(|f| r.key.contains(f)))
        .collect()
}

/// The field a parameter path names (see [`params::field_at`]).
fn field_at(path: &[String]) -> Option<&'static Field> {
    params::field_at(Scenario::FIELDS, path)
}

/// A unit where the field's name or doc states one (the model's
/// conventions: distances in km, durations in days, rates per day).
fn unit(name: &str, doc: &str) -> &'static str {
    let doc = doc.to_lowercase();
    if name.ends_with("_km") || doc.contains(" in km") {
        "km"
    } else if name.ends_with("_hours") || doc.contains(" in hours") {
        "hours"
    } else if name.ends_with("_days")
        || name.ends_with("_day")
        || name == "ticks"
        || name == "burn_in"
        || doc.contains(" in days")
    {
        "days"
    } else if doc.contains("per day") || doc.contains("daily") {
        "per day"
    } else {
        ""
    }
}

/// A number as short as it reads exactly; large ones in e-notation.
fn number(v: f64) -> String {
    if v.abs() >= 1e7 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn value_text(v: Value) -> String {
    match v {
        Value::Number(x) => number(x),
        Value::Integer(i) if i >= 10_000_000 => format!("{:e}", i as f64),
        Value::Integer(i) => i.to_string(),
    }
}

fn range_text(r: Range) -> String {
    match r {
        Range::Number(lo, hi) => format!("{}..{}", number(lo), number(hi)),
        Range::Integer(lo, hi) => format!(
            "{}..{}",
            value_text(Value::Integer(lo)),
            value_text(Value::Integer(hi))
        ),
    }
}

/// The rows as an aligned table, columns as wide as their widest cell;
/// without a scenario the value column is left out (it is the default).
pub fn render(rows: &[Row], with_value: bool) -> String {
    let header = Row {
        key: "key".into(),
        value: "value".into(),
        default: "default".into(),
        accepts: "accepts".into(),
        plausible: "plausible".into(),
        unit: "unit".into(),
        meaning: "meaning".into(),
    };
    let cells = |r: &Row| -> Vec<String> {
        let mut c = vec![r.key.clone()];
        if with_value {
            c.push(r.value.clone());
        }
        c.extend([
            r.default.clone(),
            r.accepts.clone(),
            r.plausible.clone(),
            r.unit.clone(),
            r.meaning.clone(),
        ]);
        c
    };
    let table: Vec<Vec<String>> = std::iter::once(&header).chain(rows).map(cells).collect();
    let columns = table[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            table
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &table {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == columns {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_has_its_default_range_and_meaning() {
        let all = rows(&catalogue(), None);
        assert!(all.len() > 150, "{}", all.len());
        for r in &all {
            assert!(!r.default.is_empty(), "{} has no default", r.key);
            assert!(!r.meaning.is_empty(), "{} has no meaning", r.key);
            assert!(r.accepts.contains(".."), "{}", r.key);
        }
        let vision = all.iter().find(|r| r.key == "citizens.vision").unwrap();
        assert_eq!(vision.value, vision.default);
        let cell = all.iter().find(|r| r.key == "mission.cell_km").unwrap();
        assert_eq!(cell.unit, "km");
        assert!(cell.meaning.starts_with("Side of one grid cell"));
        let faction = rows(&catalogue(), Some("factions[0]."));
        assert!(!faction.is_empty());
        assert!(
            faction
                .iter()
                .all(|r| r.key.starts_with("mission.factions[0]."))
        );
    }

    #[test]
    fn the_table_is_aligned_whatever_the_key_lengths() {
        let all = rows(&catalogue(), Some("mission.mandate"));
        let text = render(&all, true);
        let lines: Vec<&str> = text.lines().collect();
        // The second column starts at the same place on every line.
        let start = |l: &str| {
            let key_end = l.find(' ').unwrap();
            key_end + l[key_end..].find(|c: char| c != ' ').unwrap()
        };
        let first = start(lines[0]);
        assert!(lines.iter().all(|l| start(l) == first), "{text}");
    }
}
