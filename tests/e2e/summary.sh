#!/usr/bin/env bash
# The run's summary line and progress line on stderr: the summary is the
# last line of stderr (files, findings by severity, tool errors, seconds)
# with findings, with none, with a tool error, in every format, and -q
# silences it; the progress line ([N/M] file, rewritten in place, cut to
# the terminal's width, erased at the end) appears only when stderr is a
# terminal (a pseudo-terminal made by python3's pty module) and not with -q.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
write_bad_c bad.c
printf 'int x;\n' > clean.c
printf 'int main( {\n' > broken.c
last_err() { tail -n 1 "$WORK/err" > "$WORK/last"; }
re='^sync-lint: [0-9]+ files?, [0-9]+ warnings?, [0-9]+ errors?, [0-9]+ tool errors? in [0-9]+\.[0-9] s$'
summary_is() {   # summary_is REGEX-PREFIX: the last stderr line is a summary starting so
  last_err
  if grep -Eq "$re" "$WORK/last" && grep -q -- "^$1" "$WORK/last"; then ok "summary: $1"
  else bad "summary (wanted '$1...')"; sed 's/^/    err: /' "$WORK/err" | tail -5; fi
}

expect_rc 1 "$SYNC_LINT" bad.c clean.c
summary_is "sync-lint: 2 files, 1 warning, 0 errors, 0 tool errors in "
lacks out "sync-lint: 2 files"          # stderr only: the report on stdout stays clean

expect_rc 0 "$SYNC_LINT" clean.c
summary_is "sync-lint: 1 file, 0 warnings, 0 errors, 0 tool errors in "

expect_rc 2 "$SYNC_LINT" broken.c clean.c
summary_is "sync-lint: 2 files, 0 warnings, 0 errors, [1-9][0-9]* tool errors\? in "
has err "cannot parse 'broken.c'"

# A stale suppression is a warning of the tool's own; an unused --wrapper a note.
printf 'int y; // sync-lint: ignore[cond-wait-not-in-loop]\n' > stale.c
expect_rc 1 "$SYNC_LINT" --wrapper=no_such_fn:lock stale.c
last_err
if grep -q "^sync-lint: 1 file, 1 warning, 0 errors, 1 note, 0 tool errors in " "$WORK/last"; then
  ok "summary counts notes when there are some"; else bad "summary with a note"; cat "$WORK/err"; fi

# Every format: the summary is on stderr, the document on stdout untouched.
for f in json sarif; do
  expect_rc 1 "$SYNC_LINT" --format=$f bad.c
  summary_is "sync-lint: 1 file, 1 warning, 0 errors, 0 tool errors in "
  python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$WORK/out" && ok "$f on stdout parses" || bad "$f on stdout"
done

# -q / --quiet: no summary, findings and errors still reported, exit codes unchanged.
expect_rc 1 "$SYNC_LINT" -q bad.c
[ ! -s "$WORK/err" ] && ok "-q: stderr empty" || { bad "-q: stderr not empty"; cat "$WORK/err"; }
has out "cond-wait-not-in-loop"
expect_rc 0 "$SYNC_LINT" --quiet clean.c
[ ! -s "$WORK/err" ] && ok "--quiet: stderr empty" || bad "--quiet: stderr not empty"
expect_rc 2 "$SYNC_LINT" -q broken.c
has err "cannot parse 'broken.c'"
lacks err "tool error"

# Progress: absent when stderr is a file (every run above), present on a
# terminal.  Several files so there are several updates; -j2 exercises the
# workers' serialised callback.
for i in 1 2 3 4 5; do write_bad_c "a_file_with_a_rather_long_name_number_$i.c"; done
expect_rc 1 "$SYNC_LINT" -j 2 a_file_with_a_rather_long_name_number_*.c
lacks err "\[1/5\]"
if [ "$(grep -c . "$WORK/err")" -eq 1 ]; then ok "stderr to a file: the summary line alone"; else bad "stderr to a file has more than the summary"; cat -A "$WORK/err"; fi

cat > "$WORK/pty_run.py" <<'PY'
# Run argv[3:] with stderr on a pseudo-terminal of argv[1] columns, stdout
# to a file; print what the terminal received (repr per chunk joined) to argv[2].
import fcntl, os, pty, struct, subprocess, sys, termios
cols = int(sys.argv[1])
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
env = dict(os.environ, TERM="xterm")
with open(os.devnull, "w") as null:
    p = subprocess.Popen(sys.argv[3:], stdin=subprocess.DEVNULL, stdout=null, stderr=slave, env=env)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:   # EIO: the child closed its end
        break
    if not chunk:
        break
    data += chunk
rc = p.wait()
open(sys.argv[2], "wb").write(data)
sys.exit(rc)
PY
set +e
python3 "$WORK/pty_run.py" 40 "$WORK/tty" "$SYNC_LINT" -j 2 a_file_with_a_rather_long_name_number_*.c
rc=$?
python3 "$WORK/pty_run.py" 40 "$WORK/tty_q" "$SYNC_LINT" -q -j 2 a_file_with_a_rather_long_name_number_*.c
rcq=$?
set -e
[ "$rc" -eq 1 ] && [ "$rcq" -eq 1 ] && ok "exit codes under a terminal" || bad "exit $rc / $rcq under a terminal"
python3 - "$WORK/tty" 40 <<'PY' && ok "progress on a terminal: [N/5] lines in order, cut to 40 columns, erased, then the summary" || bad "progress on a terminal"
import re, sys
raw = open(sys.argv[1], "rb").read().decode()
cols = int(sys.argv[2])
raw = raw.replace("\r\n", "\n")          # the pty's output processing
body, sep, tail = raw.rpartition("\r\x1b[K")   # the erase at the end
assert sep, repr(raw)
assert re.fullmatch(r"sync-lint: 5 files, 5 warnings, 0 errors, 0 tool errors in \d+\.\d s\n", tail), repr(tail)
updates = [u for u in body.split("\r") if u]
assert len(updates) == 5, updates
for n, u in enumerate(updates, 1):
    assert u.endswith("\x1b[K"), repr(u)
    line = u[:-3]
    assert line.startswith(f"[{n}/5] "), (n, line)
    assert len(line) <= cols - 1, (len(line), line)
    assert line.endswith(".c") and "..." in line, line   # the end of the path is kept
PY
python3 - "$WORK/tty_q" <<'PY' && ok "-q under a terminal: no progress, no summary" || bad "-q under a terminal"
import sys
raw = open(sys.argv[1], "rb").read()
assert raw == b"", raw
PY
finish
