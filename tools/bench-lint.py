#!/usr/bin/env python3
"""Time sync-lint against `clang -fsyntax-only` over the same translation units.

Given a build directory with compile_commands.json, runs, interleaved, for
--reps repetitions: sync-lint -p DIR -j N (all rules), and clang -fsyntax-only
on every entry with the entry's own flags (output and dependency flags
dropped) with the same parallelism N.  Prints per-repetition times and a last
line:  lint_s=<median> parse_s=<median> ratio=<lint/parse> lint_peak_mib=<MiB>
parse_peak_mib=<MiB>.  lint_peak_mib is the peak RSS of the one sync-lint
process (all units, N workers); parse_peak_mib the largest single clang
process.
"""
import argparse
import concurrent.futures
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

DROP_WITH_ARG = {"-o", "-MF", "-MT", "-MQ"}
DROP = {"-c", "-MD", "-MMD", "-MP", "-M", "-MM", "-S", "-E", "-pipe"}


def entry_args(e):
    if "arguments" in e:
        args = list(e["arguments"])
    else:
        args = shlex.split(e["command"])
    out = []
    skip = False
    src = os.path.normpath(os.path.join(e["directory"], e["file"]))
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in DROP_WITH_ARG:
            skip = True
            continue
        if a in DROP or a.startswith("-Werror") or a.startswith("-fplugin"):
            continue
        if not a.startswith("-") and os.path.normpath(os.path.join(e["directory"], a)) == src:
            continue
        out.append(a)
    return out, src


def run_measured(cmd, cwd=None, stderr=subprocess.DEVNULL):
    """Run cmd; return (exit code, its own peak RSS in MiB, stderr text)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE if stderr is None else stderr, text=True)
    err = ""
    if stderr is None:
        err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, ru.ru_maxrss / 1024.0, err


def run_parse(entries, clang, jobs):
    def one(e):
        args, src = entry_args(e)
        return run_measured([clang, "-fsyntax-only", "-w", *args, src], cwd=e["directory"])
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        res = list(ex.map(one, entries))
    return time.monotonic() - t0, sum(1 for r in res if r[0] != 0), max(r[1] for r in res)


def run_lint(binary, builddir, jobs, files):
    t0 = time.monotonic()
    rc, peak, err = run_measured([binary, "-p", builddir, "-j", str(jobs), "--format=json",
                                  "-o", os.devnull, *files], stderr=None)
    return time.monotonic() - t0, rc, err, peak


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("builddir", help="directory holding compile_commands.json")
    ap.add_argument("--sync-lint", default=os.path.join(os.path.dirname(__file__), "..", "build", "sync-lint"))
    ap.add_argument("--clang", default=shutil.which("clang-19") or shutil.which("clang") or "clang")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="only the first N entries")
    a = ap.parse_args()
    db = os.path.join(a.builddir, "compile_commands.json")
    with open(db) as f:
        entries = json.load(f)
    seen, uniq = set(), []
    for e in entries:
        src = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if src.endswith(".c") and src not in seen and os.path.exists(src):
            seen.add(src)
            uniq.append(e)
    if a.limit:
        uniq = uniq[:a.limit]
    files = [os.path.normpath(os.path.join(e["directory"], e["file"])) for e in uniq]
    lines = 0
    for fpath in files:
        with open(fpath, "rb") as f:
            lines += f.read().count(b"\n")
    print(f"units={len(files)} lines={lines} jobs={a.jobs} reps={a.reps}")
    lint_t, parse_t = [], []
    lint_peak = parse_peak = 0.0
    for rep in range(a.reps):
        # interleave, alternating which goes first
        order = ["lint", "parse"] if rep % 2 == 0 else ["parse", "lint"]
        for what in order:
            if what == "lint":
                t, rc, err, peak = run_lint(a.sync_lint, a.builddir, a.jobs, files)
                if rc not in (0, 1):
                    print(f"sync-lint exited {rc}: {err.strip()[-2000:]}", file=sys.stderr)
                lint_t.append(t)
                lint_peak = max(lint_peak, peak)
            else:
                t, nfail, peak = run_parse(uniq, a.clang, a.jobs)
                parse_t.append(t)
                parse_peak = max(parse_peak, peak)
            print(f"rep={rep} {what}_s={t:.2f}")
    lm, pm = statistics.median(lint_t), statistics.median(parse_t)
    print(f"lint_s={lm:.2f} parse_s={pm:.2f} ratio={lm / pm:.2f} "
          f"lint_peak_mib={lint_peak:.0f} parse_peak_mib={parse_peak:.0f}")


if __name__ == "__main__":
    main()
