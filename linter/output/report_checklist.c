/* report_checklist.c - the pre-merge review checklist (markdown for a pull-request comment). */
#include "report.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "md.h"
#include "rule.h"

/* The questions and the rules that decide them.  A rule may decide more
 * than one question (an rwlock read-mostly finding answers both the ratio
 * and the shared-map question); a finding of a rule named by no question
 * is listed under "Other findings", so none is lost. */
enum { SL_CL_MAX_RULES = 4 };
struct sl_cl_question {
    const char *text;
    const char *hint;              /* what a reviewer looks for when no rule decides it */
    const char *rules[SL_CL_MAX_RULES];   /* NULL-terminated; none: answered elsewhere */
    bool tsan;                     /* answered from the build, not from findings */
};

static const struct sl_cl_question questions[] = {
    { "Is a synchronisation primitive needed at all?",
      "check that each new lock guards data more than one thread touches, and that a lone "
      "counter is not an atomic",
      { "mutex-guarded-counter", "semaphore-as-mutex", "per-call-lock-alloc", NULL }, false },
    { "What is the read/write ratio of each new lock?",
      "count the read and write sections of each new lock: read-mostly wants a snapshot or an "
      "rwlock, write-heavy a plain mutex",
      { "rwlock-write-heavy", "rwlock-read-mostly-snapshot", NULL }, false },
    { "Which values must move together, and are they split across atomics?",
      "look for two atomics that must be consistent with each other",
      { "split-atomic-state", NULL }, false },
    { "Does a thread only relay a value to another?",
      "look for a thread whose only job is to take a value from a queue and store it",
      { "relay-thread", NULL }, false },
    { "Are condition-variable waits in predicate loops (and is a condvar needed)?",
      "check that every wait re-tests its predicate in a loop, and whether a one-shot event "
      "would do",
      { "cond-wait-not-in-loop", "condvar-one-shot", NULL }, false },
    { "Are queues and thread counts bounded?",
      "check that every queue has a capacity and a drop policy, and that threads are not "
      "spawned per request",
      { "unbounded-thread-spawn", NULL }, false },
    { "Does each shared map fit its access pattern (one lock, sharded locks, or a read-mostly "
      "snapshot)?",
      "check how each shared table is read and written",
      { "global-lock-hot-map", "rwlock-read-mostly-snapshot", NULL }, false },
    { "Are hot atomics padded to their own cache line?",
      "check that atomics written by different threads do not share a cache line",
      { "false-sharing-atomics", NULL }, false },
    { "Can every blocking call be cancelled (and is none made under a lock)?",
      "check that each blocking wait has a deadline or a cancellation path",
      { "lock-held-across-blocking-call", "busy-wait", NULL }, false },
    { "Does the test suite run under ThreadSanitizer?",
      "add a CI job that builds the tests with -fsanitize=thread", { NULL }, true },
};
enum { N_QUESTIONS = sizeof questions / sizeof questions[0] };

/* Findings listed per question before the rest is summarised by rule. */
enum { SHOWN_PER_QUESTION = 10 };

static bool enabled(const struct sl_checklist_input *in, const char *id)
{
    for (size_t i = 0; i < in->n_enabled; i++)
        if (!strcmp(in->enabled[i]->id, id)) return true;
    return false;
}

static bool decides(const struct sl_cl_question *q, const char *id)
{
    for (size_t k = 0; k < SL_CL_MAX_RULES && q->rules[k]; k++)
        if (!strcmp(q->rules[k], id)) return true;
    return false;
}

static bool is_finding(const struct sl_diag *d) { return d->kind == SL_DIAG_FINDING; }

/* Does finding d answer q (q NULL: no question, "Other findings")? */
static bool matches(const struct sl_cl_question *q, const struct sl_diag *d)
{
    if (!is_finding(d)) return false;
    if (q) return decides(q, d->rule);
    for (size_t k = 0; k < N_QUESTIONS; k++)
        if (decides(&questions[k], d->rule)) return false;
    return true;
}

/* The rules of q that ran and those that did not, as "`a`, `b`". */
static void put_rule_list(FILE *out, const struct sl_cl_question *q,
                          const struct sl_checklist_input *in, bool want_enabled)
{
    const char *sep = "";
    for (size_t k = 0; k < SL_CL_MAX_RULES && q->rules[k]; k++) {
        if (enabled(in, q->rules[k]) != want_enabled) continue;
        fprintf(out, "%s`%s`", sep, q->rules[k]);
        sep = ", ";
    }
}

static size_t count_rules(const struct sl_cl_question *q, const struct sl_checklist_input *in,
                          bool want_enabled)
{
    size_t n = 0;
    for (size_t k = 0; k < SL_CL_MAX_RULES && q->rules[k]; k++) n += enabled(in, q->rules[k]) == want_enabled;
    return n;
}

static size_t count_findings(const struct sl_diag_list *l, const struct sl_cl_question *q)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) n += matches(q, &l->items[i]);
    return n;
}

/* The findings of q as a list: the first SHOWN_PER_QUESTION, then the rest
 * counted per rule (registry order). */
static void put_findings(FILE *out, const struct sl_diag_list *l, const struct sl_checklist_input *in,
                         const struct sl_cl_question *q, size_t total)
{
    size_t shown = 0;
    for (size_t i = 0; i < l->n && shown < SHOWN_PER_QUESTION; i++) {
        const struct sl_diag *d = &l->items[i];
        if (!matches(q, d)) continue;
        fputs("  - ", out);
        if (d->where.file) sl_md_link(out, d->where.file, d->where.line, in->root);
        else fputs("(no location)", out);
        fprintf(out, " `%s`: ", d->rule);
        sl_md_text(out, d->message);
        putc('\n', out);
        shown++;
    }
    if (total <= shown) return;
    fprintf(out, "  - and %zu more:", total - shown);
    const char *sep = " ";
    for (size_t r = 0; r < sl_rule_count; r++) {
        size_t n = 0, seen = 0;
        for (size_t i = 0; i < l->n; i++) {
            const struct sl_diag *d = &l->items[i];
            if (!matches(q, d)) continue;
            /* the first `shown` matches in list order were listed above */
            if (seen++ >= shown && !strcmp(d->rule, sl_rules[r]->id)) n++;
        }
        if (!n) continue;
        fprintf(out, "%s`%s` %zu", sep, sl_rules[r]->id, n);
        sep = ", ";
    }
    putc('\n', out);
}

static void put_tsan(FILE *out, const struct sl_cl_question *q, const struct sl_checklist_input *in)
{
    if (in->n_tsan > 0) {
        fprintf(out, "- [x] **%s** Yes: `-fsanitize=thread` in ", q->text);
        for (size_t i = 0; i < in->n_tsan; i++) {
            fprintf(out, "%s`", i ? ", " : "");
            sl_md_text(out, in->tsan[i]);
            putc('`', out);
        }
        fputs(in->tsan_more ? " and more.\n" : ".\n", out);
        return;
    }
    fprintf(out, "- [ ] **%s** Needs a reviewer: `-fsanitize=thread` was not found in the %zu "
            "build file%s searched (CMake, Makefiles, meson, CI workflows)%s; %s.\n",
            q->text, in->tsan_files, in->tsan_files == 1 ? "" : "s",
            in->tsan_truncated ? ", the search stopped at its limit" : "", q->hint);
}

int sl_report_checklist(FILE *out, const struct sl_diag_list *l, const struct sl_checklist_input *in)
{
    size_t tool_errors = 0, all = 0;
    /* files with a tool error (a file may have several) */
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        if (!sl_diag_is_tool_error(d)) continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = sl_diag_is_tool_error(&l->items[k]) && d->where.file && l->items[k].where.file &&
                   !strcmp(d->where.file, l->items[k].where.file);
        tool_errors += !seen;
    }
    for (size_t i = 0; i < l->n; i++) all += is_finding(&l->items[i]);

    fputs("## sync-lint review checklist\n\n", out);
    fprintf(out, "Answers cover the findings of %s: %zu finding%s from %zu rule%s.\n",
            in->scope ? in->scope : "this run", all, all == 1 ? "" : "s", in->n_enabled,
            in->n_enabled == 1 ? "" : "s");
    if (tool_errors)
        fprintf(out, "\n**%zu file%s could not be analysed** (see the log): \"no finding\" does not "
                "cover %s.\n", tool_errors, tool_errors == 1 ? "" : "s",
                tool_errors == 1 ? "it" : "them");
    fputc('\n', out);
    for (size_t k = 0; k < N_QUESTIONS; k++) {
        const struct sl_cl_question *q = &questions[k];
        if (q->tsan) { put_tsan(out, q, in); continue; }
        size_t ran = count_rules(q, in, true), off = count_rules(q, in, false);
        size_t n = count_findings(l, q);
        if (n > 0) {
            fprintf(out, "- [ ] **%s** %zu finding%s:\n", q->text, n, n == 1 ? "" : "s");
            put_findings(out, l, in, q, n);
        } else if (ran > 0) {
            fprintf(out, "- [x] **%s** No finding (", q->text);
            put_rule_list(out, q, in, true);
            fputs(" ran", out);
            if (off) { fputs("; not run: ", out); put_rule_list(out, q, in, false); }
            fputs(").\n", out);
        } else {
            fprintf(out, "- [ ] **%s** Needs a reviewer: no enabled rule decides it (", q->text);
            put_rule_list(out, q, in, false);
            fprintf(out, " disabled); %s.\n", q->hint);
        }
    }
    size_t other = count_findings(l, NULL);
    if (other > 0) {
        fprintf(out, "\n**Other findings** (%zu):\n", other);
        put_findings(out, l, in, NULL, other);
    }
    return ferror(out) ? -1 : 0;
}
