/* test_registry.c - the rule registry is sorted, unique, spelled as in
 * RULES.md, and every rule has testdata and every explain section. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rule.h"

#ifndef SL_SOURCE_DIR
#error "SL_SOURCE_DIR must be defined"
#endif

static int failures;

#define CHECK(cond, ...) do { \
        if (!(cond)) { failures++; fprintf(stderr, "check failed: " __VA_ARGS__); fputc('\n', stderr); } \
    } while (0)

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) { free(s); s = NULL; }
    if (s) s[n] = 0;
    fclose(f);
    return s;
}

static int count_c_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 2 && !strcmp(e->d_name + l - 2, ".c")) n++;
    }
    closedir(d);
    return n;
}

int main(void)
{
    /* RULES.md lives in the steering folder beside the repo (../shared). */
    char *rules_md = slurp(SL_SOURCE_DIR "/../shared/RULES.md");
    CHECK(sl_rule_count >= 5, "at least the five tier-1 rules are registered");
    for (size_t i = 0; i < sl_rule_count; i++) {
        const struct sl_rule *r = sl_rules[i];
        CHECK(r->id && *r->id, "rule %zu has an id", i);
        if (i > 0)
            CHECK(strcmp(sl_rules[i - 1]->id, r->id) < 0, "registry sorted and unique at '%s'", r->id);
        for (const char *p = r->id; *p; p++)
            CHECK((*p >= 'a' && *p <= 'z') || *p == '-', "id '%s' is lowercase-with-dashes", r->id);
        if (rules_md) {
            char quoted[128];
            snprintf(quoted, sizeof quoted, "`%s`", r->id);
            CHECK(strstr(rules_md, quoted) != NULL, "'%s' is spelled as in RULES.md", r->id);
        }
        CHECK(r->tier >= 1 && r->tier <= 3, "'%s' has a tier", r->id);
        if (r->precision) {
            static const char *const words[] = { "very-high", "high", "medium", "low" };
            bool ok = false;
            for (size_t w = 0; w < 4; w++) ok |= !strcmp(r->precision, words[w]);
            CHECK(ok, "'%s' precision '%s' is one of very-high/high/medium/low", r->id, r->precision);
            CHECK(!r->experimental || strcmp(r->precision, "high") != 0, "experimental '%s' is not high precision", r->id);
        }
        CHECK(r->summary && *r->summary, "'%s' has a summary", r->id);
        CHECK(r->replacement && *r->replacement, "'%s' names a replacement", r->id);
        CHECK(r->what && strlen(r->what) > 40, "'%s' explains what it finds", r->id);
        CHECK(r->why && strlen(r->why) > 40, "'%s' explains why it costs", r->id);
        CHECK(r->before && *r->before && r->after && *r->after, "'%s' has a before/after example", r->id);
        CHECK(r->when_not && strlen(r->when_not) > 20, "'%s' says when not to apply it", r->id);
        CHECK(r->check != NULL || r->check_project != NULL, "'%s' has a check function", r->id);
        CHECK(sl_rule_find(r->id) == r, "'%s' is found by id", r->id);
        char dir[512];
        snprintf(dir, sizeof dir, "%s/testdata/%s", SL_SOURCE_DIR, r->id);
        int n = count_c_files(dir);
        CHECK(n > 0, "'%s' has testdata in %s", r->id, dir);
    }
    CHECK(sl_rule_find("no-such-rule") == NULL, "unknown ids are not found");
    free(rules_md);
    printf("%zu rules, %d failed checks\n", sl_rule_count, failures);
    return failures ? 1 : 0;
}
