#!/usr/bin/env python3
"""The JSON Schema of scenarios (docs/scenario.schema.json) is a valid
Draft 2020-12 schema, and every scenario that procsim accepts (examples and
tests/scenarios, including fail/) validates against it.

usage: validate_schema.py ROOT
"""
import glob
import json
import os
import sys

import jsonschema

root = sys.argv[1]
with open(os.path.join(root, "docs", "scenario.schema.json")) as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
files = sorted(glob.glob(os.path.join(root, "examples", "scenarios", "*.json")) +
               glob.glob(os.path.join(root, "tests", "scenarios", "*.json")) +
               glob.glob(os.path.join(root, "tests", "scenarios", "fail", "*.json")) +
               glob.glob(os.path.join(root, "tests", "conformance", "cases", "*.json")))
bad = 0
for path in files:
    with open(path) as f:
        doc = json.load(f)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:3]:
        where = "/" + "/".join(str(p) for p in e.absolute_path)
        print(f"{os.path.relpath(path, root)}: {where}: {e.message}")
    bad += bool(errors)
print(f"{len(files)} scenarios checked against the schema, {bad} invalid")
sys.exit(1 if bad or not files else 0)
