#!/usr/bin/python3
"""Checks minhours.py's payloads against the protocol's JSON Schemas.

Usage: check_payloads.py SCHEMA_DIR REQUEST_FILE

REQUEST_FILE holds a Call request as the host sends it. The script checks
the request, the plug-in's Info and its answers (to the request and to a
malformed one) against schema/plugin-*.schema.json, and prints one line per
problem; it exits 1 if there is any. Needs python3-jsonschema (4.x).
"""

import importlib.util
import json
import os
import sys

from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))


def load_plugin():
    spec = importlib.util.spec_from_file_location("minhours", os.path.join(HERE, "minhours.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    schema_dir, request_file = sys.argv[1], sys.argv[2]
    validators = {}

    def check(name, doc, what):
        if name not in validators:
            with open(os.path.join(schema_dir, name + ".schema.json")) as f:
                validators[name] = Draft202012Validator(json.load(f))
        errs = sorted(validators[name].iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errs:
            print(f"{what} against {name}: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}")
        return len(errs)

    m = load_plugin()
    with open(request_file, "rb") as f:
        body = f.read()
    req = json.loads(body)
    problems = 0
    problems += check("plugin-info", m.info_doc(25), "Info")
    problems += check("plugin-request", req, "request")
    problems += check("plugin-check-input", req["input"], "request input")
    resp = m.handle_call(body, 25)
    problems += check("plugin-response", resp, "response")
    problems += check("plugin-check-output", resp.get("output"), "response output")
    if not any(r["reasons"] for r in resp["output"]["results"]):
        print("no reason in the response: the request should hold an applicant working too few hours")
        problems += 1
    bad = m.handle_call(b"{not json", 25)
    problems += check("plugin-response", bad, "error response")
    if "error" not in bad:
        print("a malformed request got no error")
        problems += 1
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
