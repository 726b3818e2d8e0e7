#!/usr/bin/env python3
"""Validate JSON files against a JSON Schema (draft 2020-12), for the subset
of keywords docs/sync-lint.schema.json uses; a keyword outside the subset is
an error, so the schema cannot silently grow past what is checked.

    validate-json-schema.py SCHEMA FILE...

Prints one line per violation (file, JSON path, problem) and exits 1 if any
file is invalid, 2 on a usage error or a schema outside the subset.  Needs
only the Python 3 standard library.
"""
import json
import re
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description", "default", "examples", "$comment"}
CHECKED = {"type", "properties", "additionalProperties", "required", "items", "enum", "const",
           "propertyNames", "minItems", "minLength", "pattern", "oneOf", "anyOf", "$ref", "$defs"}


class SchemaError(Exception):
    pass


def type_ok(value, name):
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or (
            isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "null":
        return value is None
    raise SchemaError("unknown type '%s'" % name)


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise SchemaError("only local $ref are supported: '%s'" % ref)
    node = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def validate(root, schema, value, path, errors):
    """Append (path, problem) for each violation of schema by value."""
    if schema is True:
        return
    if schema is False:
        errors.append((path, "no value is allowed here"))
        return
    unknown = set(schema) - ANNOTATIONS - CHECKED
    if unknown:
        raise SchemaError("keyword(s) outside the supported subset: %s" % ", ".join(sorted(unknown)))
    if "$ref" in schema:
        validate(root, resolve(root, schema["$ref"]), value, path, errors)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(type_ok(value, t) for t in types):
            errors.append((path, "expected %s, got %s" % (" or ".join(types), json.dumps(value)[:60])))
            return
    if "enum" in schema and value not in schema["enum"]:
        errors.append((path, "%s is not one of the allowed values" % json.dumps(value)[:60]))
    if "const" in schema and value != schema["const"]:
        errors.append((path, "must be %s" % json.dumps(schema["const"])))
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append((path, "shorter than %d characters" % schema["minLength"]))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append((path, "'%s' does not match %s" % (value, schema["pattern"])))
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append((path, "fewer than %d items" % schema["minItems"]))
        if "items" in schema:
            for i, item in enumerate(value):
                validate(root, schema["items"], item, "%s[%d]" % (path, i), errors)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                errors.append((path, "missing required key '%s'" % key))
        for key, item in value.items():
            sub = "%s.%s" % (path, key)
            if "propertyNames" in schema:
                name_errors = []
                validate(root, schema["propertyNames"], key, sub, name_errors)
                if name_errors:
                    errors.append((sub, "key '%s' is not allowed" % key))
                    continue
            if key in props:
                validate(root, props[key], item, sub, errors)
            elif "additionalProperties" in schema:
                extra = schema["additionalProperties"]
                if extra is False:
                    errors.append((sub, "unknown key '%s'" % key))
                else:
                    validate(root, extra, item, sub, errors)
    for word in ("oneOf", "anyOf"):
        if word in schema:
            passing = 0
            for alt in schema[word]:
                alt_errors = []
                validate(root, alt, value, path, alt_errors)
                passing += not alt_errors
            if (word == "oneOf" and passing != 1) or (word == "anyOf" and passing == 0):
                errors.append((path, "matches %d of the %s alternatives" % (passing, word)))


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: cannot read the schema: %s" % (argv[1], e), file=sys.stderr)
        return 2
    bad = 0
    for name in argv[2:]:
        try:
            with open(name, encoding="utf-8") as f:
                value = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: not JSON: %s" % (name, e))
            bad += 1
            continue
        errors = []
        try:
            validate(schema, schema, value, "$", errors)
        except SchemaError as e:
            print("%s: schema outside the supported subset: %s" % (argv[1], e), file=sys.stderr)
            return 2
        for path, problem in errors:
            print("%s: %s: %s" % (name, path, problem))
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
