#!/usr/bin/python3
"""Validate mfactl's JSON output against the schemas in docs/json/.

    scripts/validate-json.py SCHEMA [FILE]

SCHEMA is a command schema (docs/json/commands/users-show.schema.json) or an object
schema (docs/json/user.schema.json); FILE (default: stdin) is what the command printed.
A schema marked "x-mfactl-output": "lines" takes one JSON object per line (a list);
any other takes exactly one line holding one JSON object. Every schema in docs/json/
is loaded, so $ref between them resolves offline.

Exit 0 valid, 1 invalid (each problem on stderr), 2 usage error or jsonschema missing
(Debian: python3-jsonschema, installed by scripts/deps.sh).
"""
import json
import os
import sys


def fail(msg, code):
    print("validate-json: " + msg, file=sys.stderr)
    sys.exit(code)


def load_schemas(root):
    """Every *.schema.json under root, by $id."""
    schemas = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".schema.json"):
                with open(os.path.join(d, f)) as fh:
                    s = json.load(fh)
                schemas[s["$id"]] = s
    return schemas


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError("duplicate keys: " + ", ".join(sorted(dup)))
    return dict(pairs)


def main(argv):
    if len(argv) not in (2, 3) or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        fail("the jsonschema module is missing (apt-get install python3-jsonschema)", 2)
    schema_path = os.path.abspath(argv[1])
    with open(schema_path) as fh:
        schema = json.load(fh)
    root = os.path.dirname(schema_path)
    if os.path.basename(root) == "commands":
        root = os.path.dirname(root)
    schemas = load_schemas(root)

    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource

        registry = Registry().with_resources((i, Resource.from_contents(s)) for i, s in schemas.items())
        validator = cls(schema, registry=registry)
    except ImportError:  # Debian bookworm: 4.10
        resolver = jsonschema.RefResolver(schema["$id"], schema, store=schemas)
        validator = cls(schema, resolver=resolver)

    data = open(argv[2], "rb").read() if len(argv) == 3 else sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("output is not UTF-8: %s" % e, 1)
    if text and not text.endswith("\n"):
        fail("output does not end with a newline", 1)
    lines = text.split("\n")[:-1] if text else []
    if schema.get("x-mfactl-output") != "lines" and len(lines) != 1:
        fail("expected exactly one line (one JSON object), got %d" % len(lines), 1)
    bad = 0
    for n, line in enumerate(lines, 1):
        try:
            value = json.loads(line, object_pairs_hook=no_duplicates)
        except ValueError as e:
            print("validate-json: line %d is not JSON: %s" % (n, e), file=sys.stderr)
            bad += 1
            continue
        for err in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in err.absolute_path) or "(top)"
            print("validate-json: line %d: %s: %s" % (n, where, err.message), file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
