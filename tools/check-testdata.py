#!/usr/bin/env python3
"""Run every testdata/<rule-id>/*.c file through the real sync-lint binary and
compare its findings with the file's expectations (closed world).

A case is a file, or a folder testdata/<rule-id>/<case>/ whose .c files are
linted together in one run (the whole-program rules see them all; files in
order of their names); every file of the folder, headers included, carries
its own expectations.

Expectations (DESIGN.md): a line that must be flagged carries
`// expect: rule-id` (several ids separated by commas), or the line before it
carries `// expect+1: rule-id`.  Every other line must be clean: any missing
or extra finding fails.  A file may give extra sync-lint arguments in a
comment `// sync-lint-args: --wrapper=my_lock:lock` (before the first
non-comment line).  The linter itself never reads these comments.

With --min-cases N, a rule folder testdata/<rule-id>/ must hold at least N
positive cases (expected findings of <rule-id>) and N negative ones
(function definitions in which no finding at all is expected: the correct
look-alikes).
"""
import argparse
import collections
import os
import re
import shlex
import subprocess
import sys

EXPECT = re.compile(r"//\s*expect(\+1)?:\s*([A-Za-z0-9_,\s-]+?)\s*(?:\*/|$)")
ARGS = re.compile(r"//\s*sync-lint-args:\s*(.*)$")
FINDING = re.compile(r"^(.*?):(\d+):(\d+): (warning|error): (.*) \[([A-Za-z0-9_-]+)\]$")


def expectations(path):
    want = collections.Counter()
    extra_args = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            m = ARGS.search(line)
            if m:
                extra_args += shlex.split(m.group(1))
            for m in EXPECT.finditer(line):
                target = lineno + (1 if m.group(1) else 0)
                for rule in m.group(2).split(","):
                    rule = rule.strip()
                    if rule:
                        want[(target, rule)] += 1
    return want, extra_args


def case_files(case):
    """(sources to lint, files carrying expectations) of a case."""
    if os.path.isdir(case):
        names = sorted(os.listdir(case))
        srcs = [os.path.join(case, n) for n in names if n.endswith(".c")]
        annotated = [os.path.join(case, n) for n in names if n.endswith((".c", ".h"))]
        return srcs, annotated
    return [case], [case]


FUNC_START = re.compile(r"^[A-Za-z_][^;=]*\)\s*(\{\s*)?$")


def case_counts(folder, rule):
    """(positive, negative) cases of rule in its folder: expected findings of
    rule, and function definitions with no expected finding inside."""
    pos = neg = 0
    paths = []
    for root, _, names in os.walk(folder):
        paths += [os.path.join(root, n) for n in names if n.endswith((".c", ".h"))]
    for path in sorted(paths):
        want, _ = expectations(path)
        pos += sum(n for (_, r), n in want.items() if r == rule)
        flagged = {line for (line, _) in want}
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        i = 0
        while i < len(lines):
            if FUNC_START.match(lines[i]) and (lines[i].rstrip().endswith("{") or
                                               (i + 1 < len(lines) and lines[i + 1].startswith("{"))):
                start = i
                while i < len(lines) and not lines[i].startswith("}"):
                    i += 1
                if not any(start + 1 <= ln <= i + 1 for ln in flagged):
                    neg += 1
            i += 1
    return pos, neg


def run(binary, srcs, annotated, extra_args):
    # every rule, experimental ones too: each case is closed-world for all
    cmd = [binary, "--format=text", "--checks=*,experimental-*", *extra_args, *srcs]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    got = collections.Counter()
    tool_errors = []
    known = {os.path.abspath(f): f for f in annotated}
    for line in p.stdout.splitlines():
        m = FINDING.match(line)
        if not m:
            continue
        f = known.get(os.path.abspath(m.group(1)))
        if f is None or m.group(6) == "sync-lint":
            tool_errors.append(line)
            continue
        got[(f, int(m.group(2)), m.group(6))] += 1
    return p.returncode, got, tool_errors, p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sync-lint", required=True, help="path of the sync-lint binary")
    ap.add_argument("--min-cases", type=int, default=0,
                    help="each rule folder needs this many positive and negative cases")
    ap.add_argument("dirs", nargs="+", help="testdata/<rule-id> folders, or single .c cases")
    a = ap.parse_args()
    short = []
    for d in a.dirs:
        if a.min_cases and os.path.isdir(d):
            rule = os.path.basename(os.path.normpath(d))
            pos, neg = case_counts(d, rule)
            print(f"cases {rule}: {pos} positive, {neg} negative")
            if pos < a.min_cases or neg < a.min_cases:
                short.append(f"{d}: {pos} positive and {neg} negative cases, "
                             f"at least {a.min_cases} of each wanted")
    files = []
    for d in a.dirs:
        if os.path.isdir(d):   # a rule folder: its .c files and folder cases
            for n in sorted(os.listdir(d)):
                full = os.path.join(d, n)
                if n.endswith(".c") or (os.path.isdir(full) and
                                        any(x.endswith(".c") for x in os.listdir(full))):
                    files.append(full)
        else:
            files.append(d)
    if not files:
        print("no testdata files found in", " ".join(a.dirs))
        return 1
    failed = 0
    positives = negatives = 0
    for path in files:
        srcs, annotated = case_files(path)
        want = collections.Counter()
        extra = []
        for f in annotated:
            w, e = expectations(f)
            for (line, rule), n in w.items():
                want[(f, line, rule)] += n
            extra += e
        rc, got, tool_errors, p = run(a.sync_lint, srcs, annotated, extra)
        problems = []
        for key in sorted(set(want) | set(got)):
            w, g = want[key], got[key]
            if g < w:
                problems.append(f"{key[0]}:{key[1]}: missing finding [{key[2]}] (expected {w}, got {g})")
            elif g > w:
                problems.append(f"{key[0]}:{key[1]}: unexpected finding [{key[2]}] (expected {w}, got {g})")
        problems += [f"tool error: {t}" for t in tool_errors]
        expected_rc = 1 if sum(want.values()) else 0
        if rc != expected_rc:
            problems.append(f"{path}: exit code {rc}, expected {expected_rc}")
        positives += sum(want.values())
        negatives += 1 if not want else 0
        if problems:
            failed += 1
            print(f"FAIL {path}")
            for pr in problems:
                print("  " + pr)
            if p.stdout.strip():
                print("  --- output ---")
                print("  " + p.stdout.strip().replace("\n", "\n  "))
            if p.stderr.strip():
                print("  --- stderr ---")
                print("  " + p.stderr.strip().replace("\n", "\n  "))
        else:
            print(f"ok   {path}")
    print(f"{len(files)} files, {positives} expected findings, {negatives} files expecting none")
    print(f"{len(files) - failed} passed, {failed} failed")
    for msg in short:
        print("FAIL " + msg)
    return 1 if failed or short else 0


if __name__ == "__main__":
    sys.exit(main())
