/* test_suppress.c - suppression comments: forms, lines covered, literals,
 * unused and unknown suppressions, rules disabled by --checks. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rule.h"
#include "suppress.h"

#define CW "cond-wait-not-in-loop"
#define MG "mutex-guarded-counter"

static const struct sl_rule *enabled_all[64];
static size_t n_all;

/* One finding of rule at each line in lines[] (0-terminated) of "f.c";
 * filter through the suppressions of text; return the lines left and the
 * "sync-lint" messages in msgs. */
static void run(const char *text, const char *rule, const unsigned *lines,
                const struct sl_rule *const *en, size_t n_en, bool main_file,
                char *left, size_t leftsz, char *msgs, size_t msgsz)
{
    struct sl_diag_list l;
    sl_diag_list_init(&l);
    for (size_t i = 0; lines[i]; i++) {
        struct sl_range r = { "f.c", lines[i], 5, lines[i], 9 };
        sl_diag_add(&l, rule, SL_SEV_WARNING, r, "finding");
    }
    struct sl_suppressions *s = sl_suppressions_new();
    sl_suppressions_scan(s, "f.c", text, main_file);
    sl_suppressions_filter(s, &l, en, n_en);
    left[0] = msgs[0] = 0;
    for (size_t i = 0; i < l.n; i++) {
        char b[512];
        if (l.items[i].kind == SL_DIAG_TOOL) {
            snprintf(b, sizeof b, "%u:%u %s|", l.items[i].where.line, l.items[i].where.col,
                     l.items[i].message);
            strncat(msgs, b, msgsz - strlen(msgs) - 1);
        } else {
            snprintf(b, sizeof b, "%u ", l.items[i].where.line);
            strncat(left, b, leftsz - strlen(left) - 1);
        }
    }
    sl_suppressions_free(s);
    sl_diag_list_free(&l);
}

static char left[1024], msgs[4096];
#define RUN(text, rule, ...) do { \
    static const unsigned lines_[] = { __VA_ARGS__, 0 }; \
    run(text, rule, lines_, enabled_all, n_all, true, left, sizeof left, msgs, sizeof msgs); \
} while (0)

static void test_forms(void)
{
    /* 1: trailing comment covers its own line only */
    RUN("wait(); // sync-lint: ignore[" CW "] by design\nwait();\n", CW, 1, 2);
    CHECK(!strcmp(left, "2 ") && !*msgs, "trailing: left '%s' msgs '%s'", left, msgs);
    /* a comment alone on its line covers the next line */
    RUN("  // sync-lint: ignore[" CW "] reason\n  wait();\nwait();\n", CW, 2, 3);
    CHECK(!strcmp(left, "3 ") && !*msgs, "alone: left '%s' msgs '%s'", left, msgs);
    /* block comment forms */
    RUN("/* sync-lint: ignore[" CW "] */\nwait();\nwait(); /* sync-lint: ignore[" CW "] */\n", CW, 2, 3);
    CHECK(!*left && !*msgs, "block: left '%s' msgs '%s'", left, msgs);
    RUN("/* sync-lint: ignore[" CW "] */ wait();\nwait();\n", CW, 1, 2);
    CHECK(!strcmp(left, "2 "), "block before code covers its own line: '%s'", left);
    RUN("/*\n * sync-lint: ignore[" CW "]\n * because\n */\nwait();\n", CW, 5);
    CHECK(!*left && !*msgs, "multi-line block before the line: '%s' '%s'", left, msgs);
    /* lists, globs, star */
    RUN("x(); // sync-lint: ignore[" MG ", " CW "]\n", CW, 1);
    CHECK(!*left, "comma list: '%s'", left);
    CHECK(strstr(msgs, "'" MG "' matches no finding"), "the unused entry of a list: '%s'", msgs);
    RUN("x(); // sync-lint: ignore[cond-*]\n", CW, 1);
    CHECK(!*left && !*msgs, "glob: '%s' '%s'", left, msgs);
    RUN("x(); // sync-lint: ignore[*]\n", CW, 1);
    CHECK(!*left && !*msgs, "star: '%s' '%s'", left, msgs);
    /* file-wide */
    RUN("// sync-lint: ignore-file[" CW "]\n\n\nwait();\nwait();\n", CW, 4, 5);
    CHECK(!*left && !*msgs, "ignore-file: '%s' '%s'", left, msgs);
    /* NOLINT forms */
    RUN("wait(); // NOLINT(sync-lint-" CW ")\nwait();\n", CW, 1, 2);
    CHECK(!strcmp(left, "2 "), "NOLINT: its own line only: '%s'", left);
    RUN("// NOLINTNEXTLINE(bugprone-foo, sync-lint-" CW ")\nwait();\nwait();\n", CW, 2, 3);
    CHECK(!strcmp(left, "3 ") && !*msgs, "NOLINTNEXTLINE: '%s' '%s'", left, msgs);
    RUN("a();\n// NOLINTBEGIN(sync-lint-" CW ")\nwait();\nwait();\n// NOLINTEND(sync-lint-" CW ")\nwait();\n",
        CW, 3, 4, 6);
    CHECK(!strcmp(left, "6 ") && !*msgs, "NOLINTBEGIN/END: '%s' '%s'", left, msgs);
    RUN("// NOLINTBEGIN(sync-lint-" CW ")\nwait();\n", CW, 2);
    CHECK(!strcmp(left, "2 ") && strstr(msgs, "no matching NOLINTEND"), "unmatched: '%s' '%s'", left, msgs);
    RUN("wait(); // NOLINT\nwait(); // NOLINT(bugprone-*)\n", CW, 1, 2);
    CHECK(!strcmp(left, "1 2 ") && !*msgs, "other tools' NOLINTs are not ours: '%s' '%s'", left, msgs);
    RUN("wait(); // NOLINT(*)\n", CW, 1);
    CHECK(!*left && !*msgs, "NOLINT(*) suppresses, never reported: '%s' '%s'", left, msgs);
}

static void test_not_comments(void)
{
    RUN("const char *s = \"// sync-lint: ignore[" CW "]\";\nwait();\n", CW, 1, 2);
    CHECK(!strcmp(left, "1 2 ") && !*msgs, "inside a string: '%s' '%s'", left, msgs);
    RUN("char c = '\"'; // sync-lint: ignore[" CW "]\n", CW, 1);
    CHECK(!*left, "a quote in a char literal does not open a string: '%s'", left);
    RUN("const char *s = \"a\\\"b\"; wait(); // sync-lint: ignore[" CW "]\n", CW, 1);
    CHECK(!*left, "escaped quote: '%s'", left);
}

static void test_reports(void)
{
    RUN("x(); // sync-lint: ignore[" CW "]\n", MG, 1);
    CHECK(!strcmp(left, "1 ") && strstr(msgs, "1:") && strstr(msgs, "suppression of '" CW
          "' matches no finding; remove it"), "unused: '%s' '%s'", left, msgs);
    RUN("x(); // sync-lint: ignore[no-such-rule]\n", CW, 1);
    CHECK(strstr(msgs, "unknown rule 'no-such-rule'"), "unknown: '%s'", msgs);
    CHECK(strstr(msgs, "1:27 "), "the column of the id: '%s'", msgs);
    RUN("x(); // NOLINT(sync-lint-nope)\n", CW, 1);
    CHECK(strstr(msgs, "NOLINT suppression names unknown rule 'nope'"), "unknown in NOLINT: '%s'", msgs);
    RUN("x(); // sync-lint: ignore(" CW ")\n", CW, 1);
    CHECK(strstr(msgs, "malformed suppression"), "malformed: '%s'", msgs);
    RUN("x(); // sync-lint: ignore[" CW "\n", CW, 1);
    CHECK(strstr(msgs, "no closing ']'"), "unclosed: '%s'", msgs);

    /* a rule disabled by --checks: its suppressions are not "unused" */
    const struct sl_rule *only_mg[] = { sl_rule_find(MG) };
    static const unsigned none[] = { 0 };
    run("x(); // sync-lint: ignore[" CW "]\n", CW, none, only_mg, 1, true, left, sizeof left,
        msgs, sizeof msgs);
    CHECK(!*msgs, "disabled rule: '%s'", msgs);
    /* headers (not main files) never report unused */
    run("x(); // sync-lint: ignore[" CW "]\n", CW, none, enabled_all, n_all, false, left,
        sizeof left, msgs, sizeof msgs);
    CHECK(!*msgs, "header: '%s'", msgs);

    /* a file that failed to parse: no unused reports, tool errors never suppressed */
    struct sl_diag_list l;
    sl_diag_list_init(&l);
    struct sl_range r = { "f.c", 1, 1, 1, 2 };
    sl_diag_tool(&l, SL_SEV_ERROR, r, "cannot parse 'f.c'");
    struct sl_suppressions *s = sl_suppressions_new();
    sl_suppressions_scan(s, "f.c", "x(); // sync-lint: ignore[*]\n", true);
    sl_suppressions_filter(s, &l, enabled_all, n_all);
    CHECK(l.n == 1 && l.items[0].severity == SL_SEV_ERROR, "parse failure: %zu items", l.n);
    sl_suppressions_free(s);
    sl_diag_list_free(&l);
}

int main(void)
{
    for (size_t i = 0; i < sl_rule_count && i < 64; i++) enabled_all[n_all++] = sl_rules[i];
    test_forms();
    test_not_comments();
    test_reports();
    return CHECK_DONE();
}
