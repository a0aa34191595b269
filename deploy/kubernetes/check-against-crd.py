#!/usr/bin/env python3
"""Validates SparkApplication / ScheduledSparkApplication manifests against the Spark operator's CRD schemas.

    python3 check-against-crd.py CRD_FOLDER MANIFEST...

CRD_FOLDER holds the operator's CustomResourceDefinitions, e.g. config/crd/bases of
https://github.com/kubeflow/spark-operator (Apache-2.0). Stricter than the API server's default: a field the
schema does not know is an error here (the API server would drop it with a warning), unless the schema keeps
unknown fields (x-kubernetes-preserve-unknown-fields). Needs PyYAML and jsonschema (Debian: python3-yaml,
python3-jsonschema).
"""
import pathlib
import sys

import jsonschema
import yaml


def strict(schema):
    """The schema with additionalProperties: false wherever it lists properties and keeps no unknown fields."""
    if isinstance(schema, dict):
        schema = {k: strict(v) for k, v in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema \
                and not schema.get("x-kubernetes-preserve-unknown-fields"):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


def schemas(folder):
    found = {}
    for path in sorted(pathlib.Path(folder).glob("*.yaml")):
        for crd in yaml.safe_load_all(path.read_text()):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                found[(group + "/" + version["name"], kind)] = strict(version["schema"]["openAPIV3Schema"])
    return found


def main(folder, manifests):
    known = schemas(folder)
    failures = 0
    for manifest in manifests:
        for doc in yaml.safe_load_all(pathlib.Path(manifest).read_text()):
            key = (doc["apiVersion"], doc["kind"])
            if key not in known:
                print(f"{manifest}: no CRD for {key[1]} in {key[0]}")
                failures += 1
                continue
            validator = jsonschema.Draft7Validator(known[key])
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
            for error in errors:
                print(f"{manifest}: {'.'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}")
            failures += len(errors)
            if not errors:
                print(f"{manifest}: valid {key[1]} ({key[0]})")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
