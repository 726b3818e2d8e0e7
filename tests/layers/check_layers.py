#!/usr/bin/env python3
"""check_layers.py BUILD_DIR SRC_DIR - the layering of DESIGN.md, proved with
the compiler: for each layer, take the real compile command of one of its
sources from the build's compile_commands.json and compile small probes with
it.  A probe including a header of layer M must compile from layer L exactly
when L may use M (arrows point down), and <clang-c/Index.h> only from
frontend/.  A probe that compiles where it must not is a layering hole."""
import json, os, shlex, subprocess, sys, tempfile

build, src = sys.argv[1], os.path.abspath(sys.argv[2])

# One representative header per layer; "registry" is rules/rule.h (what
# filter/ and output/ may read), "rules" the rule kit.
HEADERS = {
    "core": "arena.h", "model": "model.h", "frontend": "frontend.h",
    "analysis": "lockflow.h", "rules": "rulekit.h", "registry": "rule.h",
    "filter": "suppress.h", "output": "report.h", "engine": "analyze.h",
    "cli": "options.h", "lsp": "lsp.h", "libclang": "clang-c/Index.h",
}
ALLOWED = {
    "core": {"core"},
    "model": {"core", "model"},
    "frontend": {"core", "model", "frontend", "libclang"},
    "analysis": {"core", "model", "analysis"},
    "rules": {"core", "model", "analysis", "rules", "registry"},
    "filter": {"core", "registry", "filter"},
    "output": {"core", "registry", "output"},
    "engine": {"core", "model", "frontend", "analysis", "rules", "registry",
               "filter", "engine"},
    "cli": {"core", "model", "registry", "filter", "output", "engine", "cli"},
    # the language server: a second client of the engine, with cli/'s
    # configuration and compile-database modules
    "lsp": {"core", "model", "registry", "filter", "output", "engine", "cli", "lsp"},
}
FOLDER = {name: os.path.join(src, "linter", name) for name in ALLOWED}
FOLDER["rules"] = os.path.join(src, "rules")

with open(os.path.join(build, "compile_commands.json")) as f:
    db = json.load(f)

def command_for(layer):
    folder = FOLDER[layer] + os.sep
    for e in db:
        if os.path.abspath(e["file"]).startswith(folder):
            args = e.get("arguments") or shlex.split(e["command"])
            return e["directory"], args, e["file"]
    return None

failures = checks = 0
with tempfile.TemporaryDirectory() as tmp:
    for layer, allowed in ALLOWED.items():
        found = command_for(layer)
        if not found:
            print(f"FAIL no compile command for a source of {layer}/")
            failures += 1
            continue
        directory, args, source = found
        for target, header in HEADERS.items():
            probe = os.path.join(tmp, f"probe_{layer}_{target}.c")
            with open(probe, "w") as f:
                f.write(f"#include <{header}>\nint sl_probe;\n")
            cmd = []
            skip = False
            for a in args:
                if skip:
                    skip = False
                    continue
                if a in ("-o", "-MF", "-MT", "-MQ"):
                    skip = True
                    continue
                if a in ("-c", "-MD", "-MMD") or a == source or \
                        os.path.abspath(os.path.join(directory, a)) == os.path.abspath(source):
                    continue
                cmd.append(a)
            cmd += ["-fsyntax-only", probe]
            r = subprocess.run(cmd, cwd=directory, capture_output=True, text=True)
            ok = r.returncode == 0
            want = target in allowed
            checks += 1
            if ok != want:
                failures += 1
                how = "compiles" if ok else "does not compile"
                print(f"FAIL {layer}/ including <{header}> ({target}) {how}")
                if not ok:
                    print("    " + r.stderr.strip().replace("\n", "\n    ")[:600])
print(f"{checks} probes, {failures} failed")
sys.exit(1 if failures else 0)
