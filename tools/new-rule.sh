#!/usr/bin/env bash
# Scaffold a new rule:  tools/new-rule.sh <rule-id> [tier]
# Creates rules/<rule-id>.c (one const struct sl_rule with every explain
# section), adds it to rules/registry.def in sorted order, and creates
# testdata/<rule-id>/ with a positive and a negative file to fill in.
# With SL_SCAFFOLD_ROOT set, works in that tree instead (used by the test).
set -euo pipefail
id=${1:-}
tier=${2:-3}
if ! [[ "$id" =~ ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ ]]; then
  echo "usage: $0 <rule-id> [tier]   (lowercase words joined by '-')" >&2
  exit 2
fi
root=${SL_SCAFFOLD_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
cname=${id//-/_}
rule="$root/rules/$id.c"
reg="$root/rules/registry.def"
td="$root/testdata/$id"
if [ -e "$rule" ] || grep -q "^SL_RULE($cname)$" "$reg"; then
  echo "new-rule: '$id' exists already" >&2
  exit 2
fi

cat > "$rule" <<C
/* $id - TODO: one line saying what this rule finds. */
#include "rulekit.h"

/* The contract is in rules/rule.h: read cx->model, cx->flow and the facts
 * named in .needs; allocate in cx->scratch; report with sl_report. */
static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    const struct sl_flow *fl = cx->flow;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        /* TODO: read the model (f->calls, f->exprs), lock-flow
         * (sl_held_must(fl, e), sl_call_op(fl, c), sl_func_flow(fl, f)) and
         * sl_report(cx, loc, "...") with notes and the replacement. */
        (void)fl;
    }
}

const struct sl_rule sl_rule_$cname = {
    .id = "$id",
    .tier = $tier,
    .summary = "TODO: what it flags, one line",
    .replacement = "TODO: what to use instead",
    .what = "TODO: What it finds.",
    .why = "TODO: Why it costs (speed or correctness).",
    .before = "/* TODO: the flagged C */",
    .after = "/* TODO: the replacement C */",
    .when_not = "TODO: When not to change it.",
    .needs = 0,   /* SL_NEED_* facts check() reads (analysis/facts.h) */
    .check = check,
};
C

# Insert in sorted order among the SL_RULE lines.
tmp=$(mktemp)
{ grep -v '^SL_RULE(' "$reg"; { grep '^SL_RULE(' "$reg"; echo "SL_RULE($cname)"; } | LC_ALL=C sort; } > "$tmp"
mv "$tmp" "$reg"

mkdir -p "$td"
cat > "$td/positive.c" <<C
/* $id: shapes that must be flagged. */
#include <pthread.h>

void flagged(void)
{
    /* TODO: a real-world shape, the flagged line ending with a comment:
     * // expect: $id */
}
C
cat > "$td/negative.c" <<C
/* $id: look-alike correct code that must stay clean. */
#include <pthread.h>

void clean(void)
{
}
C
echo "new-rule: created rules/$id.c, testdata/$id/, and registered sl_rule_$cname"
