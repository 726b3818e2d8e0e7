/* test_checks.c - --checks selection: globs, removal, tiers, order, errors. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "options.h"
#include "rule.h"

static size_t sel(const char *checks, char *err, size_t errsz, int *rc)
{
    const struct sl_rule **r = NULL;
    size_t n = 0;
    *rc = sl_checks_select(checks, &r, &n, err, errsz);
    /* selected rules keep registry order */
    for (size_t i = 1; i < n; i++)
        CHECK(strcmp(r[i - 1]->id, r[i]->id) < 0, "'%s': order %s, %s", checks, r[i - 1]->id, r[i]->id);
    free(r);
    return n;
}

/* Rules a glob can enable: the experimental ones only by name. */
static size_t count_tier(int tier)
{
    size_t n = 0;
    for (size_t i = 0; i < sl_rule_count; i++)
        n += sl_rules[i]->tier == tier && !sl_rules[i]->experimental;
    return n;
}

static size_t count_default(void)
{
    size_t n = 0;
    for (size_t i = 0; i < sl_rule_count; i++) n += !sl_rules[i]->experimental;
    return n;
}

static size_t count_experimental(void)
{
    return sl_rule_count - count_default();
}

static const struct sl_rule *an_experimental_rule(void)
{
    for (size_t i = 0; i < sl_rule_count; i++)
        if (sl_rules[i]->experimental) return sl_rules[i];
    return NULL;
}

int main(void)
{
    char err[256];
    int rc;
    size_t n;
    size_t all = count_default();
    n = sel(NULL, err, sizeof err, &rc);
    CHECK(rc == 0 && n == all, "default is every rule but the experimental: %zu", n);
    n = sel("*", err, sizeof err, &rc);
    CHECK(rc == 0 && n == all, "*: %zu", n);
    n = sel("-semaphore-as-mutex", err, sizeof err, &rc);
    CHECK(rc == 0 && n == all - 1, "leading removal starts from all: %zu", n);
    /* experimental rules: by their id, or experimental-* */
    const struct sl_rule *ex = an_experimental_rule();
    CHECK(ex != NULL, "some rule is experimental");
    if (ex) {
        n = sel(ex->id, err, sizeof err, &rc);
        CHECK(rc == 0 && n == 1, "experimental by its id: %zu", n);
        n = sel("*,experimental-*", err, sizeof err, &rc);
        CHECK(rc == 0 && n == sl_rule_count, "*,experimental-* is every rule: %zu", n);
        n = sel("experimental-*", err, sizeof err, &rc);
        CHECK(rc == 0 && n == count_experimental(), "experimental-* alone: %zu", n);
        n = sel("*,experimental-*,-experimental-*", err, sizeof err, &rc);
        CHECK(rc == 0 && n == all, "and removed again: %zu", n);
        sel("experimental-no-such-rule", err, sizeof err, &rc);
        CHECK(rc != 0 && strstr(err, "matches no experimental rule"), "unknown experimental: %s", err);
    }
    n = sel("cond-wait-not-in-loop", err, sizeof err, &rc);
    CHECK(rc == 0 && n == 1, "one id: %zu", n);
    n = sel("cond-*,lock-held-*", err, sizeof err, &rc);
    CHECK(rc == 0 && n == 2, "globs: %zu", n);
    n = sel(" cond-* , lock-held-* ", err, sizeof err, &rc);
    CHECK(rc == 0 && n == 2, "spaces around entries: %zu", n);
    n = sel("-*,cond-*", err, sizeof err, &rc);
    CHECK(rc == 0 && n == 1, "-* then enable: %zu", n);
    n = sel("cond-*,-cond-*,cond-*", err, sizeof err, &rc);
    CHECK(rc == 0 && n == 1, "later entries win: %zu", n);
    n = sel("*,-cond-wait-not-in-loop", err, sizeof err, &rc);
    CHECK(rc == 0 && n == all - 1, "remove one: %zu", n);
    n = sel("tier1", err, sizeof err, &rc);
    CHECK(rc == 0 && n == count_tier(1), "tier1: %zu", n);
    n = sel("tier1,tier2,tier3", err, sizeof err, &rc);
    CHECK(rc == 0 && n == all, "all tiers (tier names valid even if empty): %zu", n);
    n = sel("*,-tier2", err, sizeof err, &rc);
    CHECK(rc == 0 && n == all - count_tier(2), "remove a tier: %zu", n);
    n = sel("*,,", err, sizeof err, &rc);
    CHECK(rc == 0 && n == all, "empty entries ignored: %zu", n);

    sel("no-such-rule", err, sizeof err, &rc);
    CHECK(rc != 0 && strstr(err, "'no-such-rule' matches no rule"), "unknown id: %s", err);
    sel("*,-zzz*", err, sizeof err, &rc);
    CHECK(rc != 0 && strstr(err, "'zzz*' matches no rule"), "glob matching nothing: %s", err);
    sel("Cond-Wait-Not-In-Loop", err, sizeof err, &rc);
    CHECK(rc != 0 && strstr(err, "Cond-Wait-Not-In-Loop"), "ids are lower case: %s", err);
    sel("cond wait", err, sizeof err, &rc);
    CHECK(rc != 0 && strstr(err, "not a rule id"), "malformed: %s", err);
    sel("-*", err, sizeof err, &rc);
    CHECK(rc != 0 && strstr(err, "enables no rule"), "nothing enabled: %s", err);
    sel("tier4", err, sizeof err, &rc);
    CHECK(rc != 0 && strstr(err, "tier4"), "tier4: %s", err);
    return CHECK_DONE();
}
