/* checks.c - --checks: clang-tidy style globs selecting rules from sl_rules[]. */
#include "options.h"

#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

/* "tier1".."tier3" name a tier, whether or not it has rules yet. */
static bool tier_name(const char *g, int *tier)
{
    if (!strncmp(g, "tier", 4) && g[4] >= '1' && g[4] <= '3' && !g[5]) {
        *tier = g[4] - '0';
        return true;
    }
    return false;
}

/* Does glob g select rule r?  An experimental rule is selected only by
 * name (its exact id) or through its experimental- alias
 * (`experimental-*`); plain globs, tiers and the default leave it out. */
static bool selects(const char *g, bool is_tier, int tier, const struct sl_rule *r)
{
    if (r->experimental) {
        char alias[128];
        snprintf(alias, sizeof alias, "experimental-%s", r->id);
        return !strcmp(g, r->id) || (!strncmp(g, "experimental-", 13) && fnmatch(g, alias, 0) == 0);
    }
    return is_tier ? r->tier == tier : fnmatch(g, r->id, 0) == 0;
}

static bool valid_glob(const char *g)
{
    for (; *g; g++)
        if (!((*g >= 'a' && *g <= 'z') || (*g >= '0' && *g <= '9') || *g == '-' || *g == '*' ||
              *g == '?'))
            return false;
    return true;
}

int sl_checks_select(const char *checks, const struct sl_rule ***out, size_t *n,
                     char *err, size_t errsz)
{
    size_t cap = sl_rule_count ? sl_rule_count : 1;
    bool *on = calloc(cap, sizeof *on);
    *out = calloc(cap, sizeof **out);
    *n = 0;
    char *copy = checks ? strdup(checks) : NULL;
    if (!on || !*out || (checks && !copy)) {
        snprintf(err, errsz, "out of memory");
        goto fail;
    }
    if (!checks) {
        for (size_t i = 0; i < sl_rule_count; i++) on[i] = !sl_rules[i]->experimental;
    } else {
        bool first = true;
        for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            while (*tok == ' ' || *tok == '\t' || *tok == '\n') tok++;
            size_t l = strlen(tok);
            while (l && (tok[l - 1] == ' ' || tok[l - 1] == '\t' || tok[l - 1] == '\n'))
                tok[--l] = 0;
            if (!*tok) continue;
            bool remove = tok[0] == '-';
            const char *g = remove ? tok + 1 : tok;
            /* clang-tidy: a list that starts by removing starts from everything */
            if (first && remove)
                for (size_t i = 0; i < sl_rule_count; i++) on[i] = !sl_rules[i]->experimental;
            first = false;
            int tier;
            bool is_tier = tier_name(g, &tier), matched = false;
            if (!is_tier && (!*g || !valid_glob(g))) {
                snprintf(err, errsz, "--checks: '%s' is not a rule id, glob or tier name", tok);
                goto fail;
            }
            for (size_t i = 0; i < sl_rule_count; i++) {
                if (!selects(g, is_tier, tier, sl_rules[i])) continue;
                on[i] = !remove;
                matched = true;
            }
            /* a glob that matches only experimental rules by their plain id
             * ("rwlock-*") is not an error: it matches, they stay off */
            for (size_t i = 0; i < sl_rule_count && !matched; i++)
                matched = sl_rules[i]->experimental && fnmatch(g, sl_rules[i]->id, 0) == 0;
            if (!matched && !strncmp(g, "experimental-", 13)) {
                snprintf(err, errsz, "--checks: '%s' matches no experimental rule (see --list-rules)", g);
                goto fail;
            }
            if (!matched && !is_tier) {
                snprintf(err, errsz, "--checks: '%s' matches no rule (see --list-rules)", g);
                goto fail;
            }
        }
    }
    for (size_t i = 0; i < sl_rule_count; i++)
        if (on[i]) (*out)[(*n)++] = sl_rules[i];
    free(on);
    free(copy);
    if (*n == 0) {
        snprintf(err, errsz, "--checks: '%s' enables no rule", checks ? checks : "");
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
fail:
    free(on);
    free(copy);
    free(*out);
    *out = NULL;
    *n = 0;
    return -1;
}
