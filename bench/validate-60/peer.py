#!/usr/bin/env python3
"""The peer for bench/validate-60: the same JSON Schema pass through python3-jsonschema (Draft 2020-12).

Usage: peer.py SCHEMAS_DIR REPO_DIR. Validates clients/*.yaml, environments/*.yaml, access.yaml and releases.yaml
against the schemas and prints one line per error; exit 1 when there is any. Schema checks only (no semantic checks),
so it does less work than budgetctl validate.
"""
import glob, json, os, sys
import yaml
import jsonschema
from referencing import Registry, Resource

schemas_dir, repo = sys.argv[1], sys.argv[2]
resources = {}
for path in glob.glob(os.path.join(schemas_dir, "*.schema.json")):
    with open(path) as f:
        doc = json.load(f)
    resources[doc["$id"]] = Resource.from_contents(doc)
registry = Registry().with_resources(resources.items())
base = "https://budgetctl.io/schemas/"

def validator(name):
    return jsonschema.Draft202012Validator(resources[base + name].contents, registry=registry)

plan = [("client.schema.json", "clients/*.yaml"), ("environment.schema.json", "environments/*.yaml"),
        ("access.schema.json", "access.yaml"), ("releases.schema.json", "releases.yaml")]
errors = 0
files = 0
for schema, pattern in plan:
    v = validator(schema)
    for path in sorted(glob.glob(os.path.join(repo, pattern))):
        files += 1
        with open(path) as f:
            doc = yaml.safe_load(f)
        for e in v.iter_errors(doc):
            errors += 1
            print(f"{os.path.relpath(path, repo)}: /{'/'.join(map(str, e.absolute_path))}: {e.message}")
print(f"{files} files, {errors} errors")
sys.exit(1 if errors else 0)
