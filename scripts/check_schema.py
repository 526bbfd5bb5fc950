#!/usr/bin/env python3
"""Validates every shipped scenario against `stabsim schema` with the
`jsonschema` package (Draft 2020-12), and checks that a file with a typo
and one with an out-of-range value are rejected.

    pip install jsonschema
    stabsim schema > /tmp/stabsim.schema.json
    python3 scripts/check_schema.py /tmp/stabsim.schema.json

Exit 0 when every shipped scenario validates and both bad files fail.
"""
import json
import pathlib
import sys
import tomllib

import jsonschema


def main() -> int:
    schema = json.loads(pathlib.Path(sys.argv[1]).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    root = pathlib.Path(__file__).resolve().parent.parent / "scenarios"
    failures = 0
    checked = 0
    for path in sorted(root.glob("*/*.toml")):
        data = tomllib.loads(path.read_text())
        if "scenarios" in data or "check" in data:
            continue  # comparison files and the validation suite's table
        errors = list(validator.iter_errors(data))
        checked += 1
        for e in errors:
            failures += 1
            print(f"{path}: {'.'.join(map(str, e.absolute_path))}: {e.message}")
    for bad in ("[citizens]\nvison = 3\n", "[world]\ntopology = \"flat\"\n"):
        if validator.is_valid(tomllib.loads(bad)):
            failures += 1
            print(f"not rejected: {bad!r}")
    print(f"{checked} shipped scenarios checked, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
