/* test_fixedit.c - fixes as text: building a fix (sorted, non-overlapping
 * edits), applying edits, the unified diff, and suppression edits (checked
 * by scanning the edited text with the real suppression filter). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "fixedit.h"
#include "rule.h"
#include "suppress.h"

#define CW "cond-wait-not-in-loop"
#define FS "false-sharing-atomics"

static struct sl_range R(unsigned l, unsigned c, unsigned el, unsigned ec)
{
    return (struct sl_range){ "f.c", l, c, el, ec };
}

static void test_fix_builder(void)
{
    struct sl_diag_list l;
    sl_diag_list_init(&l);
    struct sl_diag *d = sl_diag_add(&l, CW, SL_SEV_WARNING, R(3, 5, 3, 9), "x");
    struct sl_fix *f = sl_fix_start(&l, "two edits");
    CHECK(sl_fix_add(&l, f, R(5, 1, 5, 1), "B") == 0, "insertion");
    CHECK(sl_fix_add(&l, f, R(2, 3, 2, 6), "A") == 0, "replacement before it");
    CHECK(sl_fix_add(&l, f, R(2, 4, 2, 5), "x") == -EINVAL, "inside a replaced range");
    CHECK(sl_fix_add(&l, f, R(5, 1, 5, 1), "y") == -EINVAL, "two insertions at one point");
    CHECK(sl_fix_add(&l, f, R(2, 6, 2, 6), "C") == 0, "insertion at the end of a replacement");
    struct sl_range other = { "g.c", 9, 1, 9, 1 };
    CHECK(sl_fix_add(&l, f, other, "z") == -EINVAL, "another file");
    CHECK(sl_fix_add(&l, f, R(4, 5, 4, 2), "z") == -EINVAL, "end before start");
    sl_fix_attach(&l, d, f);
    CHECK(d->fix && d->fix->n_edits == 3, "%zu edits", d->fix ? d->fix->n_edits : 0);
    CHECK(!strcmp(d->fix->edits[0].replacement, "A") && !strcmp(d->fix->edits[1].replacement, "C") &&
          !strcmp(d->fix->edits[2].replacement, "B"), "sorted by position");
    CHECK(!strcmp(d->fix->file, "f.c"), "file %s", d->fix->file);
    /* moved into another list, the fix survives whole */
    struct sl_diag_list m;
    sl_diag_list_init(&m);
    sl_diag_list_move(&m, &l);
    CHECK(m.n == 1 && m.items[0].fix && m.items[0].fix->n_edits == 3 &&
          !strcmp(m.items[0].fix->edits[2].replacement, "B"), "moved");
    sl_diag_list_free(&m);
    sl_diag_list_free(&l);
}

static void test_apply(void)
{
    const char *t = "int a;\nif (x)\n  w();\n";
    struct sl_edit e[] = { { R(2, 1, 2, 3), "while" }, { R(3, 7, 3, 7), " /* loop */" },
                           { R(4, 1, 4, 1), "end\n" } };
    char *out;
    size_t n;
    CHECK(sl_edits_apply(t, strlen(t), e, 3, &out, &n) == 0, "apply");
    CHECK(!strcmp(out, "int a;\nwhile (x)\n  w(); /* loop */\nend\n"), "got '%s'", out);
    CHECK(n == strlen(out), "length");
    free(out);
    struct sl_edit outside[] = { { R(2, 9, 2, 10), "x" } };
    CHECK(sl_edits_apply(t, strlen(t), outside, 1, &out, &n) == -EINVAL, "column past the line");
    struct sl_edit beyond[] = { { R(7, 1, 7, 1), "x" } };
    CHECK(sl_edits_apply(t, strlen(t), beyond, 1, &out, &n) == -EINVAL, "line past the end");
    struct sl_edit unordered[] = { { R(3, 1, 3, 2), "x" }, { R(2, 1, 2, 2), "y" } };
    CHECK(sl_edits_apply(t, strlen(t), unordered, 2, &out, &n) == -EINVAL, "out of order");
    /* an insertion at the start of a replaced range, and one at its end */
    struct sl_edit edge[] = { { R(2, 1, 2, 1), "/*a*/" }, { R(2, 1, 2, 3), "while" },
                              { R(2, 3, 2, 3), "/*b*/" } };
    CHECK(sl_edits_apply(t, strlen(t), edge, 3, &out, &n) == 0 &&
          !strncmp(out, "int a;\n/*a*/while/*b*/ (x)\n", 26), "edges: '%s'", out);
    free(out);
    struct sl_edit twice[] = { { R(2, 1, 2, 1), "a" }, { R(2, 1, 2, 1), "b" } };
    CHECK(sl_edits_apply(t, strlen(t), twice, 2, &out, &n) == -EINVAL, "two insertions at one point");
    CHECK(sl_text_offset(t, strlen(t), 1, 7) == 6 && sl_text_offset(t, strlen(t), 1, 8) == -1,
          "column one past the line's end only");
}

static char *diff_of(const char *a, const char *b)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sl_unified_diff(f, "src/x.c", a, strlen(a), b, strlen(b));
    fclose(f);
    return buf;
}

static void test_diff(void)
{
    char *d = diff_of("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n", "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n");
    CHECK(!strcmp(d, "--- a/src/x.c\n+++ b/src/x.c\n"
                     "@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n"
                     "@@ -11,3 +11,4 @@\n k\n l\n m\n+n\n"), "two hunks:\n%s", d);
    free(d);
    d = diff_of("x\n", "// c\nx\n");
    CHECK(!strcmp(d, "--- a/src/x.c\n+++ b/src/x.c\n@@ -0,0 +1,1 @@\n+// c\n x\n") ||
          !strcmp(d, "--- a/src/x.c\n+++ b/src/x.c\n@@ -1,1 +1,2 @@\n+// c\n x\n"),
          "insertion at the top:\n%s", d);
    free(d);
    d = diff_of("a\nb", "a\nB");
    CHECK(!strcmp(d, "--- a/src/x.c\n+++ b/src/x.c\n@@ -1,2 +1,2 @@\n a\n-b\n"
                     "\\ No newline at end of file\n+B\n\\ No newline at end of file\n"),
          "no newline at the end:\n%s", d);
    free(d);
    d = diff_of("same\n", "same\n");
    CHECK(d && !*d, "identical texts: nothing");
    free(d);
    d = diff_of("a\r\nb\r\n", "a\r\nc\r\n");
    CHECK(!strcmp(d, "--- a/src/x.c\n+++ b/src/x.c\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n"),
          "CRLF lines kept as they are:\n%s", d);
    free(d);
}

/* Apply sl_suppression_edit for rule at line, then check that a finding of
 * rule on that line (moved down when a line was inserted above it) is
 * suppressed by the edited text and that nothing is reported about the
 * suppression itself.  Returns the edited text (malloc'd) or NULL. */
static char *suppressed(const char *text, unsigned line, const char *rule, int *rc)
{
    struct sl_arena a;
    sl_arena_init(&a);
    struct sl_edit e;
    *rc = sl_suppression_edit(text, strlen(text), line, rule, "known; tracked in #12", &a, &e);
    if (*rc) { sl_arena_free(&a); return NULL; }
    char *out;
    size_t n;
    if (sl_edits_apply(text, strlen(text), &e, 1, &out, &n)) { sl_arena_free(&a); return NULL; }
    unsigned shift = 0;
    for (const char *p = e.replacement; *p; p++) shift += *p == '\n';
    struct sl_diag_list l;
    sl_diag_list_init(&l);
    sl_diag_add(&l, rule, SL_SEV_WARNING, R(line + shift, 1, line + shift, 2), "finding");
    struct sl_suppressions *s = sl_suppressions_new();
    sl_suppressions_scan(s, "f.c", out, true);
    const struct sl_rule *en[64];
    for (size_t i = 0; i < sl_rule_count && i < 64; i++) en[i] = sl_rules[i];
    sl_suppressions_filter(s, &l, en, sl_rule_count < 64 ? sl_rule_count : 64);
    /* the other rules' ignores in the fixtures match nothing here: not a problem */
    bool ok = true;
    for (size_t i = 0; i < l.n; i++) {
        if (l.items[i].kind == SL_DIAG_TOOL && strstr(l.items[i].message, "'" FS "' matches no"))
            continue;
        ok = false;
        fprintf(stderr, "  left: %u: %s\n", l.items[i].where.line, l.items[i].message);
    }
    sl_suppressions_free(s);
    sl_diag_list_free(&l);
    sl_arena_free(&a);
    if (!ok) { free(out); *rc = -1000; return NULL; }
    return out;
}

static void test_suppression(void)
{
    int rc;
    char *t;
    t = suppressed("void f(void)\n{\n\tif (!ready)\n\t\twait();\n}\n", 4, CW, &rc);
    CHECK(t && !strcmp(t, "void f(void)\n{\n\tif (!ready)\n\t\t// sync-lint: ignore[" CW
                          "] known; tracked in #12\n\t\twait();\n}\n"), "tabs: %d '%s'", rc, t);
    free(t);
    t = suppressed("    x = 1;\n", 1, CW, &rc);
    CHECK(t && !strcmp(t, "    // sync-lint: ignore[" CW "] known; tracked in #12\n    x = 1;\n"),
          "first line, spaces: %d '%s'", rc, t);
    free(t);
    t = suppressed("a;\r\n  b;\r\n", 2, CW, &rc);
    CHECK(t && !strcmp(t, "a;\r\n  // sync-lint: ignore[" CW "] known; tracked in #12\r\n  b;\r\n"),
          "CRLF: %d '%s'", rc, t);
    free(t);
    t = suppressed("a;\r\nb;", 2, CW, &rc);
    CHECK(t && strstr(t, "#12\r\nb;"), "last line without newline in a CRLF file: %d '%s'", rc, t);
    free(t);
    /* an existing ignore: its list grows */
    t = suppressed("  // sync-lint: ignore[" FS "] padded later\n  x = 1;\n", 2, CW, &rc);
    CHECK(t && !strcmp(t, "  // sync-lint: ignore[" FS "," CW "] padded later\n  x = 1;\n"),
          "appended to the line before: %d '%s'", rc, t);
    free(t);
    t = suppressed("  x = 1; // sync-lint: ignore[" FS "] why\n", 1, CW, &rc);
    CHECK(t && !strcmp(t, "  x = 1; // sync-lint: ignore[" FS "," CW "] why\n"),
          "appended on the line: %d '%s'", rc, t);
    free(t);
    t = suppressed("  // sync-lint: ignore[" CW "] why\n  x = 1;\n", 2, CW, &rc);
    CHECK(!t && rc == -EEXIST, "already suppressed: %d", rc);
    t = suppressed("  // sync-lint: ignore[cond-*] why\n  x = 1;\n", 2, CW, &rc);
    CHECK(!t && rc == -EEXIST, "already suppressed by a glob: %d", rc);
    /* a string or block comment continued from the line before: the comment
     * goes at the end of the line instead */
    t = suppressed("s = \"abc\\\ndef\"; x = 1;\n", 2, CW, &rc);
    CHECK(t && !strcmp(t, "s = \"abc\\\ndef\"; x = 1; // sync-lint: ignore[" CW "] known; tracked in #12\n"),
          "string continuation: %d '%s'", rc, t);
    free(t);
    t = suppressed("/* a\n b */ x = 1;\n", 2, CW, &rc);
    CHECK(t && strstr(t, " b */ x = 1; // sync-lint: ignore[" CW "]"), "comment continuation: %d '%s'", rc, t);
    free(t);
    /* a macro body: a block comment before the backslash */
    t = suppressed("#define W(c) \\\n  if (!r) wait(c); \\\n  done()\n", 2, CW, &rc);
    CHECK(t && !strcmp(t, "#define W(c) \\\n  if (!r) wait(c); /* sync-lint: ignore[" CW
                          "] known; tracked in #12 */ \\\n  done()\n"), "macro: %d '%s'", rc, t);
    free(t);
    t = suppressed("/* only\n   comment */\n", 2, CW, &rc);
    CHECK(!t && rc == -EINVAL, "a line inside a comment has no safe place: %d", rc);
    t = suppressed("  // NOLINTNEXTLINE(bugprone-foo)\n  x = 1;\n", 2, CW, &rc);
    CHECK(t && strstr(t, "  x = 1; // sync-lint: ignore[" CW "]") && strstr(t, "NOLINTNEXTLINE(bugprone-foo)\n  x"),
          "NOLINTNEXTLINE before keeps its line: %d '%s'", rc, t);
    free(t);
    struct sl_arena a;
    sl_arena_init(&a);
    struct sl_edit e;
    CHECK(sl_suppression_edit("x;\n", 3, 2, CW, "", &a, &e) == -EINVAL, "no line 2");
    CHECK(sl_suppression_edit("x;\n", 3, 1, "bad]id", "", &a, &e) == -EINVAL, "malformed id");
    CHECK(sl_suppression_edit("x;\n", 3, 1, CW "," FS, "why\nnot */", &a, &e) == 0 &&
          !strcmp(e.replacement, "// sync-lint: ignore[" CW "," FS "] why not */\n"),
          "two ids, reason on one line: '%s'", e.replacement);
    sl_arena_free(&a);
}

int main(void)
{
    test_fix_builder();
    test_apply();
    test_diff();
    test_suppression();
    return CHECK_DONE();
}
