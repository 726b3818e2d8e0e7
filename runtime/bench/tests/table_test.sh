#!/bin/bash
# table_test.sh BENCH TABLE_SH - runtime/bench/table.sh on tiny runs
# (SL_BENCH_QUICK=1): the header says the command, machine and discards,
# every row has its quiet and loaded cells, a cell's median and range are
# those of the kept raw outputs' pair lines, the loaded cell carries the
# CPU-second ratio, a 1-thread pair says so, bad usage exits 2.
set -u
bench=$1
table=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "table_test: FAIL: $*" >&2; exit 1; }
export SL_BENCH_QUICK=1 SL_BENCH_BUDGET_MS=30

"$table" --bench "$bench" --runs 3 --keep "$tmp/raw" counter striped-counter-sum > "$tmp/out" 2> "$tmp/err" \
  || fail "table.sh exited $?: $(cat "$tmp/err")"
cat "$tmp/out"
out=$(cat "$tmp/out")
grep -q '^`runtime/bench/table.sh --runs 3 counter striped-counter-sum` ([0-9]* s) at commit [^ ]* on .*, [0-9]* online cpus, kernel ' "$tmp/out" \
  || fail "no header line naming the command and the machine"
grep -Eq '^Quiet runs: 3, [0-3] of them opened with `machine idle=1`, [0-9]+ of [0-9]+ repetitions discarded' "$tmp/out" \
  || fail "no quiet-runs line"
grep -Eq '^Loaded runs \(SL_BENCH_LOAD=2, [0-9]+ threads unpinned\): 3, ' "$tmp/out" || fail "no loaded-runs line"
[ "$(ls "$tmp/raw" | grep -vc err)" -eq 6 ] || fail "--keep did not keep 3 quiet and 3 loaded outputs"

ncpu=$(sed -n 's/^# sl-bench: \([0-9]*\) online cpus.*/\1/p' "$tmp/raw/quiet.1")
grep -q "^| pair | quiet, 1 thread | quiet, $ncpu threads | loaded, $((2 * ncpu)) threads: wall / CPU |$" "$tmp/out" \
  || fail "no table header"
row=$(grep '^| counter |' "$tmp/out") || fail "no counter row"
IFS='|' read -r _ _ q1 qn ld _ <<< "$row"
# the quiet 1-thread cell against the raw pair lines: median and range
vals=$(grep -h '^pair=counter threads=1 ' "$tmp/raw"/quiet.[123] | sed 's/.*speedup=\([0-9.]*\).*/\1/' | sort -g)
[ "$(echo "$vals" | wc -l)" -eq 3 ] || fail "expected 3 quiet counter threads=1 lines"
med=$(echo "$vals" | sed -n 2p); lo=$(echo "$vals" | sed -n 1p); hi=$(echo "$vals" | sed -n 3p)
f() { awk -v x="$1" 'BEGIN { if (x >= 100) printf "%.0f", x; else if (x >= 10) printf "%.1f", x; else printf "%.2f", x }'; }
want="$(f "$med")x ($(f "$lo")-$(f "$hi"))"
case "$q1" in " $want"*) ;; *) fail "quiet 1-thread cell '$q1' is not the raw lines' '$want'" ;; esac
n_unst=$(grep -h '^pair=counter threads=1 .* unstable=1' "$tmp/raw"/quiet.[123] | wc -l)
if [ "$n_unst" -gt 0 ]; then
  case "$q1" in *"unstable $n_unst/3"*) ;; *) fail "quiet cell '$q1' does not say unstable $n_unst/3" ;; esac
else
  case "$q1" in *unstable*) fail "quiet cell '$q1' says unstable; no raw line was" ;; esac
fi
[ "$ncpu" -gt 1 ] && { case "$qn" in *x*) ;; *) fail "no quiet $ncpu-thread figure: '$qn'" ;; esac; }
case "$ld" in *x*" / "*x*) ;; *) fail "loaded cell '$ld' has no wall / CPU figures" ;; esac
grep -q '^| striped-counter-sum | [^|]* | - | [^|]*\[1 thread\] |$' "$tmp/out" \
  || fail "the 1-thread pair's row does not say it ran at 1 thread under load"

# bad usage: exit 2 and a message, nothing run
"$table" --bench "$bench" --runs 0 > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "table.sh: error: --runs: '0'" "$tmp/err" || fail "--runs 0: exit $rc: $(cat "$tmp/err")"
"$table" --bench "$tmp/nothing" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "nothing: not an executable" "$tmp/err" || fail "missing bench: exit $rc"
"$table" --bench "$bench" --mode sideways > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "--mode sideways: exit $rc"
echo "table_test: ok"
