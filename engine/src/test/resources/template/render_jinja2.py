#!/usr/bin/env python3
"""Reference renderer for Jinja2DifferentialIT: renders every case with Ansible's own Templar (Jinja2 plus
Ansible's filters, tests and lookups), so the Java templater is compared with what ansible-playbook would do.

stdin:  {"cases": [{"name": ..., "kind": "text"|"native"|"expr", "template": ..., "vars": {...}}, ...]}
stdout: {"<name>": {"ok": "<text or Python repr of the native value>"} | {"error": "<message>"}, ...}

kind text:   the template module: Templar.do_template(preserve_trailing_newlines=True, escape_backslashes=False)
kind native: a task argument with jinja2_native (one "{{ expr }}" keeps its type); the result's repr
kind task:   a task argument as ansible-playbook 2.14 renders it by default (Templar.template, jinja2_native off):
             compared with the native kind where the two agree (e.g. a trailing newline); the result's repr
kind expr:   a bare expression (when:, assert that:), evaluated natively; the result's repr
"""
import json
import sys

real_stdout = sys.stdout
sys.stdout = sys.stderr  # Ansible's Display must not mix into the JSON answer

import jinja2  # noqa: E402  (fail loudly when python3-jinja2 is missing)
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.template import Templar, AnsibleNativeEnvironment  # noqa: E402


def plain(v):
    """Ansible's unsafe/str subclasses and generators to plain Python values, so repr() is stable."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, dict):
        return {plain(k): plain(x) for k, x in v.items()}
    if isinstance(v, tuple):
        return tuple(plain(x) for x in v)
    if isinstance(v, (list, set)) or hasattr(v, '__iter__'):
        return [plain(x) for x in v]
    return v


def main():
    request = json.load(sys.stdin)
    out = {}
    for case in request["cases"]:
        loader = DataLoader()
        variables = case.get("vars") or {}
        if "playbook_dir" in variables:
            loader.set_basedir(variables["playbook_dir"])
        templar = Templar(loader=loader, variables=variables)
        try:
            if case["kind"] == "text":
                res = templar.do_template(case["template"], preserve_trailing_newlines=True,
                                          escape_backslashes=False)
                out[case["name"]] = {"ok": str(res)}
            elif case["kind"] == "task":
                res = templar.template(case["template"])
                out[case["name"]] = {"ok": repr(plain(res))}
            else:
                native = templar.copy_with_new_env(environment_class=AnsibleNativeEnvironment)
                src = case["template"] if case["kind"] == "native" else "{{ " + case["template"] + " }}"
                res = native.template(src)
                out[case["name"]] = {"ok": repr(plain(res))}
        except Exception as e:  # every failure is a result: the Java side must fail too
            out[case["name"]] = {"error": "%s: %s" % (type(e).__name__, e)}
    real_stdout.write(json.dumps(out))
    real_stdout.flush()


if __name__ == "__main__":
    main()
