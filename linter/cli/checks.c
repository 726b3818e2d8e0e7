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
        for (size_t i = 0; i < sl_rule_count; i++) on[i] = true;
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
                for (size_t i = 0; i < sl_rule_count; i++) on[i] = true;
            first = false;
            int tier;
            bool is_tier = tier_name(g, &tier), matched = false;
            if (!is_tier && (!*g || !valid_glob(g))) {
                snprintf(err, errsz, "--checks: '%s' is not a rule id, glob or tier name", tok);
                goto fail;
            }
            for (size_t i = 0; i < sl_rule_count; i++) {
                bool m = is_tier ? sl_rules[i]->tier == tier : fnmatch(g, sl_rules[i]->id, 0) == 0;
                if (m) { on[i] = !remove; matched = true; }
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
