#!/usr/bin/env python3
"""Runs differential cases with ansible-playbook only (no budgetctl) to check that a case is sane.

Usage: ansible-only.py [CASE_DIR_NAME ...]   (default: every NN-name directory beside this script)

For each case: copies it into a temp dir, runs ansible-playbook like AnsibleDifferentialIT does (same env, same
arguments), the number of runs case.yaml asks for, and checks the exit code against expect_rc and, when the case is
marked idempotent, that run 2 changed nothing. Prints the recap lines and the resulting file tree. Exit code 1 when a
case is not sane. This is a helper for writing cases; the real check is the Java IT.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)"
                   r"\s+rescued=(\d+)\s+ignored=(\d+)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def case_args(case, case_dir, base_dir, http_port, closed_port):
    args = ["-i", os.path.join(case_dir, "inventory.yml"), "-e", "base_dir=" + base_dir]
    if http_port:
        args += ["-e", "http_port=%d" % http_port]
    if closed_port:
        args += ["-e", "closed_port=%d" % closed_port]
    for ev in case.get("extra_vars", []):
        args += ["-e", "@" + os.path.join(case_dir, ev[1:]) if ev.startswith("@") else ev]
    for t in case.get("tags", []):
        args += ["-t", t]
    for t in case.get("skip_tags", []):
        args += ["--skip-tags", t]
    if case.get("limit"):
        args += ["-l", case["limit"]]
    args += case.get("args", [])
    args.append(os.path.join(case_dir, case.get("playbook", "playbook.yml")))
    return args


def tree(root):
    lines = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                lines.append("%s -> %s" % (rel, os.readlink(p)))
            elif os.path.isdir(p):
                lines.append("%s/ %o" % (rel, st.st_mode & 0o7777))
            elif name in filenames:
                with open(p, "rb") as f:
                    data = f.read()
                lines.append("%s %o %d bytes" % (rel, st.st_mode & 0o7777, len(data)))
    return lines


def run_case(name):
    case_src = os.path.join(HERE, name)
    with open(os.path.join(case_src, "case.yaml")) as f:
        case = yaml.safe_load(f) or {}
    tmp = tempfile.mkdtemp(prefix="diff-" + name + "-")
    case_dir = os.path.join(tmp, "case")
    base_dir = os.path.join(tmp, "out")
    shutil.copytree(case_src, case_dir, symlinks=True)
    os.makedirs(base_dir)
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_HOST_KEY_CHECKING="0",
               ANSIBLE_LOCAL_TEMP=os.path.join(tmp, "ansible-local"), ANSIBLE_REMOTE_TEMP=os.path.join(tmp, "ansible-remote"),
               ANSIBLE_PYTHON_INTERPRETER="auto_silent", ANSIBLE_FORCE_COLOR="0", ANSIBLE_CONFIG=os.path.join(tmp, "ansible.cfg"))
    open(env["ANSIBLE_CONFIG"], "w").close()
    server = None
    http_port = closed_port = None
    if case.get("http"):
        http_port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(http_port),
                                   "--directory", os.path.join(case_dir, "www")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", http_port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
    if case.get("closed_port"):
        closed_port = free_port()
    sane = True
    try:
        runs = int(case.get("runs", 2))
        expected = case.get("expect_rc", 0)
        for run in range(1, runs + 1):
            args = ["ansible-playbook"] + case_args(case, case_dir, base_dir, http_port, closed_port)
            t0 = time.time()
            p = subprocess.run(args, env=env, cwd=case_dir, capture_output=True, text=True)
            recap = [m.groups() for m in (RECAP.match(l) for l in p.stdout.splitlines()) if m]
            print("== %s run %d: rc=%d (expect %s) %.1fs" % (name, run, p.returncode, expected, time.time() - t0))
            for r in recap:
                print("   %-6s ok=%s changed=%s unreachable=%s failed=%s skipped=%s rescued=%s ignored=%s" % r)
            if p.returncode != expected:
                sane = False
                print("   !! unexpected exit code\n" + p.stdout[-3000:] + p.stderr[-2000:])
            if run == 2 and case.get("idempotent", True) and any(r[2] != "0" for r in recap):
                sane = False
                print("   !! run 2 is not idempotent")
            if os.environ.get("SHOW"):
                print(p.stdout + p.stderr)
            secret = case.get("secret")
            if secret and (secret in p.stdout or secret in p.stderr):
                sane = False
                print("   !! secret appears in output")
        for line in tree(base_dir):
            print("   " + line)
    finally:
        if server:
            server.terminate()
            server.wait()
    if sane and not os.environ.get("KEEP"):
        shutil.rmtree(tmp, ignore_errors=True)
    return sane


def main(argv):
    names = argv or sorted(d for d in os.listdir(HERE) if re.match(r"^\d\d-", d))
    bad = [n for n in names if not run_case(n.rstrip("/"))]
    print("\nnot sane: %s" % (", ".join(bad) if bad else "none"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
