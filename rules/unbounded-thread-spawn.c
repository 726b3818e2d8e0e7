/* unbounded-thread-spawn - TODO: one line saying what this rule finds. */
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

const struct sl_rule sl_rule_unbounded_thread_spawn = {
    .id = "unbounded-thread-spawn",
    .tier = 3,
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
