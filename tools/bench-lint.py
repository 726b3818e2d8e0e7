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

With --generated (no build directory), times synthetic translation units from
tools/gen-tu.py instead: for each --shapes shape and --sizes size it writes
the unit and a compile_commands.json (-std=gnu11 -pthread) into a temporary
directory and times, interleaved, median of --reps, sync-lint -p DIR -j 1 (all
rules) against clang -fsyntax-only with the same flags, one line per case:
  shape=<s> n=<n> lint_s=<s> parse_s=<s> ratio=<lint/parse> lint_per_unit_us=<us> ...
lint_per_unit_us is (lint_s - baseline lint_s) / n, the baseline being the
same prelude with no units (shape 'empty'), so fixed start-up cost does not
hide growth.  Then one line per shape:
  shape=<s> growth=<per-unit cost at the largest size / at the smallest>
(~1.0 is linear).  A sync-lint run longer than --timeout seconds is killed and
reported as 'timeout'; its remaining reps and the shape's larger sizes are
not run.  A run longer than --slow seconds (60) is not repeated either.  Exit status: 0, 1 if some case timed out, 2 if a generated unit did
not parse or sync-lint/clang failed (its stderr is printed).
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
import tempfile
import threading
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


def run_measured(cmd, cwd=None, stderr=subprocess.DEVNULL, timeout=None):
    """Run cmd; return (exit code, its own peak RSS in MiB, stderr text).
    With timeout (seconds), a run still going then is killed and the exit
    code returned is None."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE if stderr is None else stderr, text=True)
    expired = threading.Event()

    def kill():
        expired.set()
        p.kill()
    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    err = ""
    if stderr is None:
        err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    if timer:
        timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    if expired.is_set():
        return None, ru.ru_maxrss / 1024.0, err
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


GEN_SHAPES = ("counters", "long-function", "many-locks", "call-chain", "mixed")
GEN_FLAGS = ["-std=gnu11", "-pthread"]


def gen_case(gen, workdir, shape, n):
    """Write shape/n's unit and its compile database; return (dir, entry)."""
    d = os.path.join(workdir, f"{shape}-{n}")
    os.makedirs(d, exist_ok=True)
    subprocess.run([sys.executable, gen, "--shape", shape, "--n", str(n),
                    "-o", os.path.join(d, "tu.c")], check=True)
    entry = {"directory": d, "arguments": ["cc", *GEN_FLAGS, "-c", "-o", "tu.o", "tu.c"],
             "file": "tu.c"}
    with open(os.path.join(d, "compile_commands.json"), "w") as f:
        json.dump([entry], f, indent=1)
    return d, entry


def measure_case(a, d, entry, skip_lint=False):
    """Interleaved reps of sync-lint and clang on one generated unit.  Returns
    a dict: lint (median s, 'timeout', or None if skipped), parse, peaks,
    error text (or None)."""
    res = {"lint": None, "parse": None, "lint_peak": 0.0, "parse_peak": 0.0, "error": None}
    lint_t, parse_t = [], []
    lint_done = skip_lint
    src = os.path.join(d, entry["file"])
    for rep in range(a.reps):
        order = ["lint", "parse"] if rep % 2 == 0 else ["parse", "lint"]
        for what in order:
            if what == "lint":
                if lint_done:
                    continue
                t0 = time.monotonic()
                rc, peak, err = run_measured([a.sync_lint, "-p", d, "-j", "1", "--format=json",
                                              "-o", os.devnull, src], stderr=None,
                                             timeout=a.timeout)
                t = time.monotonic() - t0
                res["lint_peak"] = max(res["lint_peak"], peak)
                if rc is None:
                    res["lint"] = "timeout"
                    lint_done = True
                elif rc not in (0, 1):
                    res["error"] = f"sync-lint exited {rc}: {err.strip()[-2000:]}"
                    return res
                else:
                    lint_t.append(t)
                    if a.slow and t > a.slow:
                        lint_done = True   # far from any target: one run says enough
            else:
                args, _ = entry_args(entry)
                t0 = time.monotonic()
                rc, peak, err = run_measured([a.clang, "-fsyntax-only", "-w", *args, src],
                                             cwd=d, stderr=None, timeout=a.timeout)
                t = time.monotonic() - t0
                if rc != 0:
                    res["error"] = (f"{os.path.basename(a.clang)} -fsyntax-only "
                                    f"{'timed out' if rc is None else f'exited {rc}'}: "
                                    f"{err.strip()[-2000:]}")
                    return res
                parse_t.append(t)
                res["parse_peak"] = max(res["parse_peak"], peak)
    if lint_t and res["lint"] != "timeout":
        res["lint"] = statistics.median(lint_t)
    res["lint_reps"] = len(lint_t)
    res["parse"] = statistics.median(parse_t)
    return res


def main_generated(a):
    gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen-tu.py")
    try:
        sizes = sorted({int(x) for x in a.sizes.split(",") if x.strip()})
    except ValueError:
        sys.exit(f"bench-lint: --sizes wants comma-separated integers, got '{a.sizes}'")
    shapes = [x for x in a.shapes.split(",") if x]
    for sh in shapes:
        if sh not in GEN_SHAPES:
            sys.exit(f"bench-lint: unknown shape '{sh}' (one of {','.join(GEN_SHAPES)})")
    if not sizes or sizes[0] <= 0:
        sys.exit("bench-lint: --sizes wants positive integers")
    if not os.access(a.sync_lint, os.X_OK):
        sys.exit(f"bench-lint: no sync-lint binary at '{a.sync_lint}' (use --sync-lint PATH)")
    workdir = a.keep or tempfile.mkdtemp(prefix="bench-gen.")
    status = 0
    try:
        print(f"generated shapes={','.join(shapes)} sizes={','.join(map(str, sizes))} "
              f"reps={a.reps} jobs=1 timeout_s={a.timeout:g} flags={' '.join(GEN_FLAGS)}", flush=True)
        d, e = gen_case(gen, workdir, "empty", 0)
        base = measure_case(a, d, e)
        if base["error"] or base["lint"] == "timeout":
            print(f"baseline error: {base['error'] or 'sync-lint timed out'}", flush=True)
            return 2
        print(f"baseline lint_s={base['lint']:.3f} parse_s={base['parse']:.3f}", flush=True)
        growth = []
        for sh in shapes:
            per_unit = {}
            timed_out_at = None
            for n in sizes:
                d, e = gen_case(gen, workdir, sh, n)
                r = measure_case(a, d, e, skip_lint=timed_out_at is not None)
                head = f"shape={sh} n={n}"
                if r["error"]:
                    print(f"{head} error: {r['error']}", flush=True)
                    status = 2
                    continue
                if r["lint"] is None or r["lint"] == "timeout":
                    status = max(status, 1)
                    note = (f" skipped=timed-out-at-n={timed_out_at}" if timed_out_at is not None
                            else f" lint_min_s={a.timeout:g}")
                    timed_out_at = timed_out_at or n
                    print(f"{head} lint_s=timeout parse_s={r['parse']:.3f} ratio=timeout "
                          f"lint_per_unit_us=timeout{note} parse_peak_mib={r['parse_peak']:.0f}",
                          flush=True)
                    continue
                pu = max(r["lint"] - base["lint"], 0.0) / n * 1e6
                per_unit[n] = pu
                print(f"{head} lint_s={r['lint']:.3f} parse_s={r['parse']:.3f} "
                      f"ratio={r['lint'] / r['parse']:.2f} lint_per_unit_us={pu:.1f} "
                      f"lint_peak_mib={r['lint_peak']:.0f} parse_peak_mib={r['parse_peak']:.0f}"
                      + (f" lint_reps={r['lint_reps']}" if r["lint_reps"] < a.reps else ""),
                      flush=True)
            growth.append((sh, per_unit, timed_out_at))
        for sh, per_unit, timed_out_at in growth:
            done = sorted(per_unit)
            lo = done[0] if done else None
            if timed_out_at is not None:
                line = f"shape={sh} growth=timeout"
                if lo is not None and per_unit[lo] > 0:
                    floor = a.timeout / timed_out_at * 1e6
                    line += f" growth_at_least={floor / per_unit[lo]:.1f} (n={timed_out_at} vs n={lo})"
                    if len(done) > 1:
                        line += (f" growth_completed={per_unit[done[-1]] / per_unit[lo]:.2f}"
                                 f" (n={done[-1]} vs n={lo})")
            elif len(done) < 2:
                line = f"shape={sh} growth=n/a (fewer than two sizes completed)"
            elif per_unit[lo] <= 0 or per_unit[done[-1]] <= 0:
                line = (f"shape={sh} growth=n/a (n={lo if per_unit[lo] <= 0 else done[-1]} "
                        f"not above the baseline)")
            else:
                line = (f"shape={sh} growth={per_unit[done[-1]] / per_unit[lo]:.2f} "
                        f"(per-unit n={done[-1]} vs n={lo})")
            print(line, flush=True)
    finally:
        if not a.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("builddir", nargs="?", help="directory holding compile_commands.json")
    ap.add_argument("--generated", action="store_true",
                    help="time generated units (tools/gen-tu.py) instead of a compile database")
    ap.add_argument("--sizes", default="1000,5000,20000", help="--generated: sizes, comma-separated")
    ap.add_argument("--shapes", default=",".join(GEN_SHAPES), help="--generated: shapes, comma-separated")
    ap.add_argument("--timeout", type=float, default=300, help="--generated: seconds per sync-lint run")
    ap.add_argument("--slow", type=float, default=60,
                    help="--generated: a sync-lint run longer than this many seconds is not "
                         "repeated (the line then says lint_reps=1); 0 repeats always")
    ap.add_argument("--keep", metavar="DIR", help="--generated: write the units to DIR and keep them")
    ap.add_argument("--sync-lint", default=os.path.join(os.path.dirname(__file__), "..", "build", "sync-lint"))
    ap.add_argument("--clang", default=shutil.which("clang-19") or shutil.which("clang") or "clang")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="only the first N entries")
    a = ap.parse_args()
    if a.generated:
        if a.builddir:
            ap.error("--generated takes no build directory")
        sys.exit(main_generated(a))
    if not a.builddir:
        ap.error("a build directory is required (or --generated)")
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
