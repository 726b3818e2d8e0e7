#!/usr/bin/env bash
# Smoke test of tools/bench-lint.sh --generated at tiny sizes: every shape of
# tools/gen-tu.py parses (clang and sync-lint), and the benchmark prints one
# line with numbers per shape and size, and a growth line per shape.  Never
# asserts on timings (machines are noisy).
source "$(dirname "$0")/lib.bash"
shapes="counters long-function many-locks call-chain mixed"
gen="$SRC_DIR/tools/gen-tu.py"
clang=$(command -v clang-19 || command -v clang || true)

# the generator: deterministic, valid C11 for clang and for sync-lint (which
# exits 0 or 1 on findings, 2 when the unit does not parse)
for s in $shapes; do
  python3 "$gen" --shape "$s" --n 60 -o "$WORK/$s.c"
  python3 "$gen" --shape "$s" --n 60 > "$WORK/$s.again.c"
  if cmp -s "$WORK/$s.c" "$WORK/$s.again.c"; then ok "$s: deterministic"; else bad "$s: output differs between runs"; fi
  if [ -n "$clang" ]; then
    if "$clang" -fsyntax-only -std=gnu11 -pthread "$WORK/$s.c" 2>"$WORK/clang.err"; then ok "$s: clang parses it"
    else bad "$s: clang rejects it"; sed 's/^/    /' "$WORK/clang.err" | head -10; fi
  fi
  set +e
  timeout 60 "$SYNC_LINT" -j 1 "$WORK/$s.c" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  set -e
  if [ "$rc" -le 1 ]; then ok "$s: sync-lint exit $rc"; else
    bad "$s: sync-lint exit $rc"; sed 's/^/    err: /' "$WORK/err" | head -10; fi
done
expect_rc 2 python3 "$gen" --shape no-such-shape --n 1

# the benchmark itself
expect_rc 0 timeout 120 bash "$SRC_DIR/tools/bench-lint.sh" --generated --sizes 50,200 --reps 1 \
  --timeout 60 --sync-lint "$SYNC_LINT"
lacks out "error"
lacks out "=timeout"
num='-?[0-9]+(\.[0-9]+)?'
for s in $shapes; do
  for n in 50 200; do
    if grep -Eq "^shape=$s n=$n lint_s=$num parse_s=$num ratio=$num lint_per_unit_us=$num( |$)" "$WORK/out"
    then ok "line for $s n=$n"; else bad "no line with numbers for $s n=$n"; fi
  done
  if grep -Eq "^shape=$s growth=($num|n/a)( |$)" "$WORK/out"; then ok "growth line for $s"; else bad "no growth line for $s"; fi
done
if [ "$(grep -c '^shape=' "$WORK/out")" -eq 15 ]; then ok "15 shape lines"; else
  bad "expected 15 shape lines"; sed 's/^/    /' "$WORK/out"; fi

# a unit sync-lint cannot parse fails the benchmark (exit 2) and is named
mkdir -p "$WORK/fakebin"
cat > "$WORK/fakebin/sync-lint" <<'SH'
#!/bin/sh
echo "cannot parse 'tu.c'" >&2
exit 2
SH
chmod +x "$WORK/fakebin/sync-lint"
expect_rc 2 timeout 60 bash "$SRC_DIR/tools/bench-lint.sh" --generated --sizes 10 --reps 1 \
  --shapes counters --sync-lint "$WORK/fakebin/sync-lint"
has out "error: sync-lint exited 2: cannot parse"
finish
