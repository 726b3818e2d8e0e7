#!/bin/bash
# table.sh - the runtime benchmark table, quiet and loaded side by side.
#
# Runs `sl-bench` (quiet: no load of its own) and `SL_BENCH_LOAD=2 sl-bench`
# (two spinning threads; pairs unpinned at twice the cores) alternately,
# RUNS times each, keeps every output, and prints one markdown table: per
# pair, the median of the runs' speedups with their range and in how many
# runs the line was marked unstable, quiet at 1 thread and at every core,
# loaded per wall-second and per CPU-second.  Above it: the command, the
# machine (cpu model, cores, kernel), how many runs started on an idle
# machine, and what the runs discarded.
#
# usage: runtime/bench/table.sh [--bench PATH] [--runs N] [--keep DIR] [--mode both|quiet|loaded] [PAIR...]
#   --bench PATH   the sl-bench binary (default build/runtime/sl-bench)
#   --runs N       runs of each mode (default 2; 1..20)
#   --keep DIR     keep the raw outputs there (default: a temporary dir, removed)
#   --mode M       both (default), quiet or loaded only
#   PAIR...        only these pairs (default: all)
# The environment passes through (SL_BENCH_QUICK=1 for a format check).
# Exit: 0, 1 when a run failed, 2 on bad usage.
set -u

bench=build/runtime/sl-bench
runs=2
keep=
mode=both
pairs=()
die() { echo "table.sh: error: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --bench) [ $# -ge 2 ] || die "--bench needs a path"; bench=$2; shift 2 ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs=$2; shift 2 ;;
    --keep) [ $# -ge 2 ] || die "--keep needs a directory"; keep=$2; shift 2 ;;
    --mode) [ $# -ge 2 ] || die "--mode needs both, quiet or loaded"; mode=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --*) die "unknown option '$1'" ;;
    *) pairs+=("$1"); shift ;;
  esac
done
case "$runs" in ''|*[!0-9]*) die "--runs: '$runs' is not a number from 1 to 20" ;; esac
[ "$runs" -ge 1 ] && [ "$runs" -le 20 ] || die "--runs: '$runs' is not a number from 1 to 20"
case "$mode" in both|quiet|loaded) ;; *) die "--mode: '$mode' is not both, quiet or loaded" ;; esac
[ -x "$bench" ] || die "$bench: not an executable (build first: cmake --build build)"
if [ -n "$keep" ]; then
  mkdir -p "$keep" || die "$keep: cannot create the directory"
  dir=$keep
else
  dir=$(mktemp -d) || die "cannot create a temporary directory"
  trap 'rm -rf "$dir"' EXIT
fi

rc=0
start=$(date -u +%s)
for ((i = 1; i <= runs; i++)); do
  if [ "$mode" != loaded ]; then
    echo "table.sh: quiet run $i of $runs" >&2
    SL_BENCH_LOAD= "$bench" "${pairs[@]}" > "$dir/quiet.$i" 2> "$dir/quiet.$i.err" || rc=1
  fi
  if [ "$mode" != quiet ]; then
    echo "table.sh: loaded run $i of $runs" >&2
    SL_BENCH_LOAD=2 "$bench" "${pairs[@]}" > "$dir/loaded.$i" 2> "$dir/loaded.$i.err" || rc=1
  fi
done
secs=$(( $(date -u +%s) - start ))
[ $rc -eq 0 ] || echo "table.sh: a run failed; see ${keep:-the outputs}" >&2

cmd="runtime/bench/table.sh --runs $runs"
[ "$mode" != both ] && cmd="$cmd --mode $mode"
[ ${#pairs[@]} -gt 0 ] && cmd="$cmd ${pairs[*]}"
commit=$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)

awk -v runs="$runs" -v mode="$mode" -v cmd="$cmd" -v secs="$secs" -v commit="$commit" \
    -v kernel="$(uname -r)" '
function num(s, k,   re, v) {          # the value of field k= in line s
  re = " " k "=[^ ]+"
  if (!match(" " s, re)) return ""
  v = substr(" " s, RSTART + length(k) + 2, RLENGTH - length(k) - 2)
  return v
}
function sortn(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t } }
function fmt(x) { return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : sprintf("%.2f", x) }
# median (min-max) of the values in list "v1 v2 ..."
function summ(list,   a, n, med) {
  n = split(list, a, " ")
  if (n == 0) return "-"
  sortn(a, n)
  med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  return n == 1 ? fmt(med) "x" : fmt(med) "x (" fmt(a[1]) "-" fmt(a[n]) ")"
}
FNR == 1 {
  m = FILENAME; sub(/.*\//, "", m); split(m, parts, "."); m = parts[1]
  nrun[m]++
}
/^# sl-bench: [0-9]+ online cpus/ { ncpu = $3 }
/^# cpu: / { cpu = substr($0, 8) }
/^machine / { if (num($0, "idle") == 1) idle[m]++ }
/^summary / { total[m] += num($0, "runs"); disc[m] += num($0, "discarded") }
/^stat / {
  k = num($0, "pair") SUBSEP num($0, "threads")
  cpu_ns[m, k, num($0, "variant")] = num($0, "cpu_ns")
}
/^pair=/ {
  p = num($0, "pair"); t = num($0, "threads"); k = p SUBSEP t
  if (!(p in order)) { order[p] = ++npairs; name[npairs] = p }
  th[m, p, t] = 1
  sp[m, k] = sp[m, k] " " num($0, "speedup")
  if (num($0, "unstable") == 1) unst[m, k]++
  cb = cpu_ns[m, k, "before"]; ca = cpu_ns[m, k, "after"]
  if (ca > 0) csp[m, k] = csp[m, k] " " sprintf("%.4f", cb / ca)
}
function cell(m, p, t,   k, s) {
  k = p SUBSEP t
  if (!((m, k) in sp)) return "-"
  s = summ(sp[m, k])
  if (m == "loaded") s = s " / " summ(csp[m, k])
  if (unst[m, k] > 0) s = s ", unstable " unst[m, k] "/" nrun[m]
  return s
}
# the thread count a pair ran with in mode m (the only one, or "want")
function tcount(m, p, want,   t, found) {
  if ((m, p, want) in th) return want
  found = ""
  for (t = 1; t <= 256; t++) if ((m, p, t) in th && t != 1 && t != ncpu) found = t
  return found
}
END {
  over = 2 * ncpu
  printf "`%s` (%d s) at commit %s on %s, %d online cpus, kernel %s", cmd, secs, commit, cpu, ncpu, kernel
  printf "; each cell the median of the runs (their range)"
  if (mode != "quiet") printf ", loaded: ops per wall-second / per CPU-second, after over before"
  printf ".\n"
  if (mode != "loaded") printf "Quiet runs: %d, %d of them opened with `machine idle=1`, %d of %d repetitions discarded as disturbed.\n", nrun["quiet"], idle["quiet"], disc["quiet"], total["quiet"]
  if (mode != "quiet") printf "Loaded runs (SL_BENCH_LOAD=2, %d threads unpinned): %d, %d opened idle, %d of %d repetitions discarded (other processes or steal).\n", over, nrun["loaded"], idle["loaded"], disc["loaded"], total["loaded"]
  printf "\n| pair |"
  if (mode != "loaded") printf " quiet, 1 thread | quiet, %d threads |", ncpu
  if (mode != "quiet") printf " loaded, %d threads: wall / CPU |", over
  printf "\n|---|"
  if (mode != "loaded") printf "---|---|"
  if (mode != "quiet") printf "---|"
  printf "\n"
  for (i = 1; i <= npairs; i++) {
    p = name[i]
    printf "| %s |", p
    if (mode != "loaded") printf " %s | %s |", cell("quiet", p, 1), (ncpu > 1 ? cell("quiet", p, ncpu) : "-")
    if (mode != "quiet") {
      t = tcount("loaded", p, over)
      if (t == "") t = ((("loaded", p, 1) in th)) ? 1 : over
      printf " %s%s |", cell("loaded", p, t), (t != over ? " [" t " thread" (t > 1 ? "s" : "") "]" : "")
    }
    printf "\n"
  }
}' $( [ "$mode" != loaded ] && ls "$dir"/quiet.[0-9]* | grep -v '\.err$' ) \
   $( [ "$mode" != quiet ] && ls "$dir"/loaded.[0-9]* | grep -v '\.err$' )
exit $rc
