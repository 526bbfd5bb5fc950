//! A JSON Schema (draft 2020-12) of the scenario format, generated from the
//! `group!` tables that also validate scenarios: every key, its type, the
//! range a number accepts as `minimum`/`maximum`, enum names, defaults and
//! the doc comment as `description`. Editors with taplo (VS Code's Even
//! Better TOML) validate and complete scenario files against it
//! (`#:schema ./stabsim.schema.json` on the first line of a file).
//!
//! The schema checks what a file can be on its own: bounds that depend on
//! other fields (a map's size, sector names) are checked by `stabsim check`.

use serde_json::{Map, Value as Json, json};

use super::params::{Accepts, Field, Group, Range, Value};
use super::types::Scenario;

/// The schema's `$id`.
pub const SCHEMA_ID: &str = "https://stabsim.invalid/scenario.schema.json";

/// The JSON Schema of a scenario file.
pub fn scenario_schema() -> Json {
    let mut root = object(Scenario::FIELDS);
    if let Json::Object(map) = &mut root {
        map.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        map.insert("$id".into(), json!(SCHEMA_ID));
        map.insert(
            "title".into(),
            json!(concat!(
                "stabsim scenario (version ",
                env!("CARGO_PKG_VERSION"),
                ")"
            )),
        );
        map.insert(
            "description".into(),
            json!(
                "A stabsim scenario: every key optional (defaults apply). stabsim explores \
                 mechanisms and counterfactuals; it does not forecast."
            ),
        );
    }
    root
}

/// Whether the field at `path` (keys and array indices) is a table, by
/// the schema: to say "write `[x]`, not `[[x]]`" where serde would only say
/// "invalid type: table (expected f64)".
pub fn is_table(path: &crate::scenario::error::FieldPath) -> bool {
    use crate::scenario::error::PathSegment;
    let root = scenario_schema();
    let mut node = &root;
    for segment in &path.0 {
        let next = match segment {
            PathSegment::Key(key) => node.get("properties").and_then(|p| p.get(key)),
            PathSegment::Index(_) => node.get("items"),
        };
        match next {
            Some(n) => node = n,
            None => return false,
        }
    }
    node.get("type") == Some(&json!("object"))
}

/// An object whose properties are `fields`, no others.
fn object(fields: &[Field]) -> Json {
    let properties: Map<String, Json> = fields
        .iter()
        .map(|f| (f.name.to_string(), field(f)))
        .collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    })
}

/// The schema of one field.
fn field(f: &Field) -> Json {
    let mut schema = match f.accepts {
        Accepts::Range(Range::Number(lo, hi)) => {
            json!({"type": "number", "minimum": lo, "maximum": hi})
        }
        Accepts::Range(Range::Integer(lo, hi)) => {
            json!({"type": "integer", "minimum": lo, "maximum": hi})
        }
        Accepts::Text(_) => json!({"type": json_type(f.rust_type)}),
        Accepts::Choice(names) => json!({"type": "string", "enum": choices(&names())}),
        Accepts::Table(sub) => object(sub),
        Accepts::Tables(_, sub) => json!({"type": "array", "items": object(sub)}),
        Accepts::Legend(_, values) => {
            let value = match values {
                Accepts::Choice(names) => json!({"type": "string", "enum": choices(&names())}),
                _ => json!({"type": "string"}),
            };
            json!({
                "type": "object",
                "propertyNames": {"minLength": 1, "maxLength": 1},
                "additionalProperties": value,
            })
        }
    };
    if let Json::Object(map) = &mut schema {
        let doc = f.doc();
        if !doc.is_empty() {
            map.insert("description".into(), json!(doc));
        }
        match f.default {
            Some(Value::Number(v)) => {
                map.insert("default".into(), json!(v));
            }
            Some(Value::Integer(v)) => {
                map.insert("default".into(), json!(v));
            }
            None => {}
        }
    }
    schema
}

/// The JSON type of a Rust type as written (`Option<…>` is its inner type:
/// an absent key is what `None` means).
fn json_type(rust: &str) -> &'static str {
    let rust = rust.replace(' ', "");
    let inner = rust
        .strip_prefix("Option<")
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(&rust);
    match inner {
        "bool" => "boolean",
        "f64" | "f32" => "number",
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" => "integer",
        t if t.starts_with("Vec<") => "array",
        t if t.starts_with("BTreeMap<") => "object",
        _ => "string",
    }
}

/// The backticked names in serde's "expected one of `a`, `b`" message.
fn choices(message: &str) -> Vec<String> {
    let list = message.split_once("expected").map_or(message, |(_, l)| l);
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_which_fields_are_tables() {
        use crate::scenario::error::FieldPath;
        assert!(is_table(&FieldPath::keys(&["mission", "mandate"])));
        assert!(is_table(&FieldPath::keys(&["run"])));
        assert!(!is_table(&FieldPath::keys(&["run", "ticks"])));
        assert!(!is_table(&FieldPath::keys(&["cops", "reductions"])));
        assert!(is_table(&FieldPath::keys(&["cops", "reductions"]).index(0)));
        assert!(!is_table(&FieldPath::keys(&["no", "such"])));
    }

    #[test]
    fn the_schema_carries_ranges_enums_and_descriptions() {
        let s = scenario_schema();
        let vision = &s["properties"]["citizens"]["properties"]["vision"];
        assert_eq!(vision["type"], "integer");
        assert!(vision["minimum"].is_number() && vision["maximum"].is_number());
        assert!(
            vision["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
        let topology = &s["properties"]["world"]["properties"]["topology"];
        let names = topology["enum"].as_array().unwrap();
        assert!(names.iter().any(|n| n == "bounded"), "{topology}");
        let factions = &s["properties"]["mission"]["properties"]["factions"];
        assert_eq!(factions["type"], "array");
        assert_eq!(factions["items"]["additionalProperties"], false);
        assert_eq!(s["properties"]["name"]["type"], "string");
        assert_eq!(s["additionalProperties"], false);
    }
}
